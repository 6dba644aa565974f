"""Reading a recording's structure: each missing or mistyped field is one ``RecordingError``
naming the file and the JSON pointer of the place, so a bad recording is one line."""

from __future__ import annotations

import base64
import binascii
from typing import Any, TypeVar

from ..core.errors import SourceError
from ..core.pointer import escape
from .exchange import Headers, sent_bytes

T = TypeVar("T")

_TYPE_NAMES = {dict: "an object", list: "a list", str: "a string", int: "an integer"}


class RecordingError(SourceError):
    """A recording (HAR, cassette, collection) that cannot be read as one."""


class Place:
    """A position in one recording: ``file#/log/entries/3``. The pointer is only spelled
    out for an error, so walking a large recording stays cheap."""

    __slots__ = ("parent", "source", "token")

    def __init__(self, source: str, parent: Place | None = None, token: str | int = "") -> None:
        self.source = source
        self.parent = parent
        self.token = token

    def __truediv__(self, token: str | int) -> Place:
        return Place(self.source, self, token)

    @property
    def pointer(self) -> str:
        tokens: list[str] = []
        place: Place | None = self
        while place is not None and place.parent is not None:
            tokens.append(escape(str(place.token)))
            place = place.parent
        return "".join(f"/{token}" for token in reversed(tokens))

    def __str__(self) -> str:
        return f"{self.source}#{self.pointer}"

    def error(self, message: str) -> RecordingError:
        return RecordingError(message, str(self))


def need(container: Any, key: str, kind: type[T], place: Place) -> T:
    """``container[key]``, which must exist and be of ``kind``."""
    if not isinstance(container, dict) or key not in container:
        raise place.error(f"missing {key!r}")
    return of_kind(container[key], kind, place / key)


def of_kind(value: Any, kind: type[T], place: Place) -> T:
    # bool is an int in Python, never in a recording
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise place.error(f"expected {_TYPE_NAMES.get(kind, kind.__name__)}")
    return value


def optional(container: dict[str, Any], key: str, kind: type[T], place: Place, default: T) -> T:
    if container.get(key) is None:
        return default
    return of_kind(container[key], kind, place / key)


def text_body(text: str, encoding: str | None, place: Place, headers: Headers) -> bytes:
    """A body stored as text, base64 when ``encoding`` says so (else decoded text, encoded
    back as the message's Content-Type says)."""
    if encoding is None or encoding.lower() != "base64":
        return sent_bytes(text, headers)
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise place.error("body is not valid base64") from None
