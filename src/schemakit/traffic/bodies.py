"""Message bodies as JSON documents for the validator, chosen by the media type sent.

JSON (``application/json``, ``*/*+json``) is parsed with schemakit's strict reader;
form bodies (urlencoded, multipart) become objects whose fields are converted by the
schema's property types (a structured field is read as JSON); ``text/*`` is one string.
Other media types (images, archives) are not documents: their schema is not applied.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

from ..core.errors import SourceError
from ..load.jsonio import parse_json
from .exchange import charset_of
from .kinds import Kinds, coerce

NOT_A_DOCUMENT: Any = object()
_WHERE = re.compile(r":(\d+):(\d+)$")


class BodyError(ValueError):
    """The body cannot be read as its media type says."""


def _text(data: bytes, content_type: str) -> str:
    """The body as text, in the ``charset`` the Content-Type names (UTF-8 when it names
    none, or one Python does not know)."""
    encoding = charset_of(content_type) or "utf-8"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        name = "UTF-8" if encoding == "utf-8" else encoding
        raise BodyError(f"not valid {name} (byte {exc.start})") from None


def _json(data: bytes, content_type: str, kinds: Kinds) -> Any:
    text = _text(data, content_type)
    try:
        return parse_json(text, "")
    except SourceError as exc:
        found = _WHERE.search(exc.where or "")
        where = f" (line {found[1]}, column {found[2]})" if found else ""
        raise BodyError(
            f"not valid JSON: {exc.message.removeprefix('invalid JSON: ')}{where}"
        ) from None


def _field(value: str, kinds: Kinds) -> Any:
    if kinds.is_object or kinds.wants_json:  # a structured field is sent as JSON text
        try:
            return parse_json(value, "")
        except SourceError:
            return value  # the schema's type rule says what is wrong
    return coerce(value, kinds)


def _fields(pairs: list[tuple[str, str]], kinds: Kinds) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        field = kinds.properties.get(key, Kinds())
        if field.is_array:  # repeated keys
            result.setdefault(key, []).append(_field(value, field.items or Kinds()))
        else:
            result[key] = _field(value, field)
    return result


def _urlencoded(data: bytes, content_type: str, kinds: Kinds) -> Any:
    return _fields(parse_qsl(_text(data, content_type), keep_blank_values=True), kinds)


def _multipart(data: bytes, content_type: str, kinds: Kinds) -> Any:
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1", "replace")
    message = BytesParser(policy=HTTP).parsebytes(head + data)
    if not isinstance(message, EmailMessage) or not message.is_multipart():
        raise BodyError("not a multipart body (no boundary, or no parts)")
    pairs = []
    parsed: dict[str, Any] = {}  # parts sent as JSON: read whole, whatever the schema says
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            raise BodyError("a multipart part has no name")
        payload = part.get_payload(decode=True)
        raw = payload if isinstance(payload, bytes) else b""
        if part.get_content_type().endswith(("/json", "+json")):
            parsed[name] = _json(raw, part.get("content-type", ""), kinds)
        else:
            pairs.append((name, raw.decode("utf-8", "replace")))
    return {**_fields(pairs, kinds), **parsed}


def _plain(data: bytes, content_type: str, kinds: Kinds) -> Any:
    return _text(data, content_type)


def _reader(media_type: str) -> Callable[[bytes, str, Kinds], Any] | None:
    if media_type == "application/json" or media_type.endswith("+json"):
        return _json
    if media_type == "application/x-www-form-urlencoded":
        return _urlencoded
    if media_type.startswith("multipart/form-data"):
        return _multipart
    if media_type.startswith("text/"):
        return _plain
    return None


def read_body(data: bytes, content_type: str, kinds: Kinds) -> Any:
    """The document a body holds, ``NOT_A_DOCUMENT`` for binary media types."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    reader = _reader(media_type)
    if reader is None:
        return NOT_A_DOCUMENT
    return reader(data, content_type, kinds)
