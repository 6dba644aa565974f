"""What JSON types a parameter's (or form field's) schema allows, to turn text into values.

A query string says ``count=3``; whether that is the integer 3 or the string "3" depends
on the schema. This reads the types a schema allows (through ``$ref`` and the
combinators), and those of its items and properties, once per schema; the validator then
judges the converted value, so ``count=abc`` for an int32 fails with the usual ``type``
explanation.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from referencing.exceptions import Unresolvable

from ..core.schemaset import PureSchemaSet

_INTEGER = re.compile(r"[+-]?\d+")
_MAX_DEPTH = 8
_JSON_TYPES = {bool: "boolean", int: "integer", float: "number", str: "string", type(None): "null"}


@dataclass(frozen=True)
class Kinds:
    """The types a schema allows (empty: any), and those of its items and properties."""

    types: frozenset[str] = frozenset()
    items: Kinds | None = None
    properties: Mapping[str, Kinds] = field(default_factory=dict)

    @property
    def is_array(self) -> bool:
        return "array" in self.types and "string" not in self.types

    @property
    def is_object(self) -> bool:
        return "object" in self.types and "string" not in self.types

    @property
    def wants_json(self) -> bool:
        """A structured value (sent as JSON text in a form field)."""
        return bool(self.types) and self.types <= {"object", "array", "null"}


ANY = Kinds()


def kinds_of(schema_set: PureSchemaSet, name: str) -> Kinds:
    """The kinds of the named schema (memoised on the set)."""
    resource = schema_set.resource(name)

    def build() -> Kinds:
        resolver = schema_set.registry.resolver(base_uri=resource.uri)
        return _collect(resource.contents, resolver, 0)

    return schema_set.memo(("traffic.kinds", resource.uri), build)


def _collect(schema: Any, resolver: Any, depth: int) -> Kinds:
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return ANY
    types: set[str] = set()
    items: Kinds | None = None
    properties: dict[str, Kinds] = {}
    declared = schema.get("type")
    if isinstance(declared, (str, list)):
        types.update([declared] if isinstance(declared, str) else map(str, declared))
    values: list[Any] = schema["enum"] if isinstance(schema.get("enum"), list) else []
    if "const" in schema:
        values = [*values, schema["const"]]
    if not declared:
        types.update(_JSON_TYPES.get(type(v), "object") for v in values)
    if isinstance(schema.get("items"), dict):
        items = _collect(schema["items"], resolver, depth + 1)
    for key, sub in (schema.get("properties") or {}).items():
        properties[key] = _collect(sub, resolver, depth + 1)
    parts: list[Kinds] = []
    if isinstance(schema.get("$ref"), str):
        try:
            resolved = resolver.lookup(schema["$ref"])
            parts.append(_collect(resolved.contents, resolved.resolver, depth + 1))
        except Unresolvable:
            pass
    for keyword in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(keyword) or []:
            parts.append(_collect(branch, resolver, depth + 1))
    for part in parts:
        types |= part.types
        items = items or part.items
        properties = {**part.properties, **properties}
    return Kinds(frozenset(types), items, properties)


def coerce(text: str, kinds: Kinds) -> Any:
    """The JSON value ``text`` stands for under ``kinds`` (the text itself if none fits)."""
    allowed = kinds.types
    if not allowed or "string" in allowed:
        return text
    if ("integer" in allowed or "number" in allowed) and _INTEGER.fullmatch(text.strip()):
        return int(text)
    if "number" in allowed:
        try:
            number = float(text)
        except ValueError:
            pass
        else:
            if math.isfinite(number):
                return number
    if "boolean" in allowed and text in ("true", "false"):
        return text == "true"
    if "null" in allowed and text in ("", "null"):
        return None
    return text
