"""Small constructive documents for a subschema: candidates for overlap witnesses.

They are guesses, not proofs: a rule only reports a witness after the reference validator
has accepted it. One candidate holds only the required properties; a second one also
fills every "tag" property (one pinned by ``const`` or a one-value ``enum``), so that an
overlap on documents that carry their tag is told apart from one on untagged documents.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .context import LintContext, Part
from .findings import Location

_MAX_DEPTH = 8

# A value that passes each string format (others fall back to "x").
FORMAT_SAMPLES: dict[str, str] = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "00:00:00Z",
    "duration": "P1D",
    "email": "a@example.com",
    "idn-email": "a@example.com",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "uri": "https://example.com/",
    "uri-reference": "https://example.com/",
    "iri": "https://example.com/",
    "iri-reference": "https://example.com/",
    "uri-template": "https://example.com/{id}",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "json-pointer": "/a",
    "relative-json-pointer": "0",
    "regex": "a",
    "byte": "",
}


def candidates(ctx: LintContext, part: Part) -> list[Any]:
    """Up to two documents meant to satisfy ``part``: minimal, and with tags filled."""
    plain = _value(ctx, [part], 0, fill_tags=False)
    tagged = _value(ctx, [part], 0, fill_tags=True)
    return [plain] if tagged == plain else [plain, tagged]


def tag_values(ctx: LintContext, parts: list[Part]) -> dict[str, Any]:
    """Properties pinned to one value (``const`` or one-value ``enum``) across ``parts``."""
    tags: dict[str, Any] = {}
    for part in parts:
        properties = part.schema.get("properties")
        if not isinstance(properties, dict):
            continue
        for name, sub in properties.items():
            if isinstance(sub, dict) and (pinned := _pinned(ctx, sub, part)) is not None:
                tags.setdefault(name, pinned[0])
    return tags


def _pinned(ctx: LintContext, schema: dict[str, Any], owner: Part) -> tuple[Any] | None:
    for part in ctx.parts(schema, owner.base, owner.location):
        if "const" in part.schema:
            return (part.schema["const"],)
        enum = part.schema.get("enum")
        if isinstance(enum, list) and len(enum) == 1:
            return (enum[0],)
    return None


def _value(ctx: LintContext, parts: list[Part], depth: int, *, fill_tags: bool) -> Any:
    merged = [p for part in parts for p in ctx.parts(part.schema, part.base, part.location)]
    for part in merged:
        if "const" in part.schema:
            return part.schema["const"]
    for part in merged:
        enum = part.schema.get("enum")
        if isinstance(enum, list) and enum:
            return enum[0]
    branch = _first_branch(ctx, merged)
    if branch is not None and depth < _MAX_DEPTH:
        return _value(ctx, [*merged, branch], depth + 1, fill_tags=fill_tags)
    kind = _kind(merged)
    return _BUILDERS[kind](ctx, merged, depth, fill_tags)


def _first_branch(ctx: LintContext, parts: list[Part]) -> Part | None:
    for part in parts:
        for keyword in ("oneOf", "anyOf"):
            branches = part.schema.get(keyword)
            if isinstance(branches, list) and branches and isinstance(branches[0], dict):
                branch = branches[0]
                pointer = f"{part.location.pointer}/{keyword}/0"
                location = Location(part.location.schema, pointer)
                if any(p.schema is branch for p in parts):
                    continue
                return Part(branch, part.base, location)
    return None


def _kind(parts: list[Part]) -> str:
    allowed: set[str] | None = None
    for part in parts:
        declared = part.schema.get("type")
        if isinstance(declared, str):
            declared = [declared]
        if isinstance(declared, list):
            names = set(declared) | ({"integer"} if "number" in declared else set())
            allowed = names if allowed is None else allowed & names
    if allowed is None:
        hints = {"properties": "object", "required": "object", "items": "array"}
        for part in parts:
            for keyword, kind in hints.items():
                if keyword in part.schema:
                    return kind
        return "object"
    for kind in ("object", "array", "string", "integer", "number", "boolean", "null"):
        if kind in allowed:
            return kind
    return "null"


def _object(ctx: LintContext, parts: list[Part], depth: int, fill_tags: bool) -> Any:
    names: list[str] = []
    for part in parts:
        required = part.schema.get("required")
        if isinstance(required, list):
            names.extend(n for n in required if isinstance(n, str) and n not in names)
    result: dict[str, Any] = {}
    if fill_tags:
        result.update(tag_values(ctx, parts))
    for name in names:
        if name in result:
            continue
        declared = ctx.property_parts(parts, name)
        result[name] = (
            _value(ctx, declared, depth + 1, fill_tags=fill_tags)
            if declared and depth < _MAX_DEPTH
            else "x"
        )
    return result


def _array(ctx: LintContext, parts: list[Part], depth: int, fill_tags: bool) -> Any:
    count = max((p.schema.get("minItems", 0) for p in parts), default=0)
    items = [
        Part(p.schema["items"], p.base, p.location)
        for p in parts
        if isinstance(p.schema.get("items"), dict)
    ]
    if not count or depth >= _MAX_DEPTH:
        return []
    item = _value(ctx, items, depth + 1, fill_tags=fill_tags) if items else 0
    return [item] * int(count)


def _string(ctx: LintContext, parts: list[Part], depth: int, fill_tags: bool) -> Any:
    for part in parts:
        fmt = part.schema.get("format")
        if isinstance(fmt, str) and fmt in FORMAT_SAMPLES:
            return FORMAT_SAMPLES[fmt]
    length = max((p.schema.get("minLength", 0) for p in parts), default=0)
    return "x" * max(1, int(length))


def _number(ctx: LintContext, parts: list[Part], depth: int, fill_tags: bool) -> Any:
    value: float = 0
    for part in parts:
        if isinstance(part.schema.get("minimum"), (int, float)):
            value = max(value, part.schema["minimum"])
        if isinstance(part.schema.get("exclusiveMinimum"), (int, float)):
            value = max(value, part.schema["exclusiveMinimum"] + 1)
    for part in parts:
        if isinstance(part.schema.get("maximum"), (int, float)):
            value = min(value, part.schema["maximum"])
    return int(value) if float(value).is_integer() else value


Builder = Callable[[LintContext, list[Part], int, bool], Any]
_BUILDERS: dict[str, Builder] = {
    "object": _object,
    "array": _array,
    "string": _string,
    "integer": _number,
    "number": _number,
    "boolean": lambda ctx, parts, depth, fill: False,
    "null": lambda ctx, parts, depth, fill: None,
}
