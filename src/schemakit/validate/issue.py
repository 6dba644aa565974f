"""What a failed validation reports: ``Issue``, and the small renderings it is made of.

Both explainers (the compiled one in ``explain`` and the ``jsonschema`` reference in
``reference``) produce these, so what a user reads does not depend on which one ran.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..core.pointer import escape

_SHORT = 60


def short(value: Any, limit: int = _SHORT) -> str:
    """A JSON rendering of ``value`` cut to ``limit`` characters."""
    try:
        text = json.dumps(value, ensure_ascii=False, sort_keys=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def pointer(path: Iterable[Any]) -> str:
    """The JSON pointer of a path of keys and indexes."""
    parts = [str(part) for part in path]
    if any("~" in part or "/" in part for part in parts):
        parts = [escape(part) for part in parts]
    return "".join("/" + part for part in parts)


# The first character of the repr of a container: no need to write out a large one to
# see that a message does not start with it.
_OPENING: dict[type, str] = {dict: "{", list: "["}


def readable(message: str, instance: Any) -> str:
    """``message`` with a leading Python repr of ``instance`` shown as short JSON instead
    (``'done' is not one of ...`` reads ``"done" is not one of ...``)."""
    opening = _OPENING.get(type(instance))
    if opening is not None and not message.startswith(opening):
        return message
    long_form = repr(instance)
    if message.startswith(long_form):
        return short(instance) + message[len(long_form) :]
    return message


@dataclass(frozen=True)
class Issue:
    """One reason a document is invalid."""

    pointer: str  # where in the document (JSON pointer, "" = the whole document)
    message: str  # what is wrong, for a person
    rule: str  # the keyword that failed, as its schema's file writes it, e.g. "required"
    # the way to the failing keyword, through refs without naming them (as jsonschema
    # reports it), in the terms of each schema's file
    schema_path: str
    schema_name: str | None = None  # the named schema the rule belongs to
    rule_location: str = ""  # JSON pointer of the rule inside that named schema's file
    value: Any = None  # the offending value

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "pointer": self.pointer,
            "message": self.message,
            "rule": self.rule,
            "schema_path": self.schema_path,
            "schema": self.schema_name,
            "rule_location": self.rule_location,
        }

    @property
    def where_in_schema(self) -> str:
        return f"{self.schema_name or ''}#{self.rule_location}"


def unique(issues: Iterable[Issue]) -> list[Issue]:
    """Each issue once, where it first appears: one rule reached along two paths (an
    ``allOf`` of refs) would otherwise read as the same issue twice."""
    found = {(i.pointer, i.message, i.schema_name, i.rule_location): i for i in issues}
    return list(found.values())
