"""Rules on types and bounds: ``format`` that does not fit ``type``, unknown formats, and
subschemas no value can satisfy (empty type intersections, crossed bounds, enums whose
every value breaks the sibling keywords)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ..core.formats import FLOAT_RANGES, FORMAT_CHECKER, INTEGER_RANGES
from ..validate.validator import short
from .context import LintContext, Node, Part
from .findings import Finding, Severity

_NUMBERS = frozenset({"number", "integer"})
ALL_TYPES = frozenset({"object", "array", "string", "number", "integer", "boolean", "null"})

# format -> the instance types it constrains (a format on other types is ignored)
FORMAT_TYPES: dict[str, frozenset[str]] = {
    **{name: frozenset({"integer", "number"}) for name in INTEGER_RANGES},
    **{name: _NUMBERS for name in FLOAT_RANGES},
}
ANNOTATION_FORMATS = frozenset({"binary", "password"})
TYPE_NAMES_AS_FORMAT: dict[str, str] = {
    "integer": "type: integer",
    "number": "type: number",
    "int": "type: integer (or format: int32/int64)",
    "long": "format: int64",
    "string": "type: string",
    "boolean": "type: boolean",
}


def _types(schema: dict[str, Any]) -> frozenset[str] | None:
    declared = schema.get("type")
    if isinstance(declared, str):
        declared = [declared]
    if not isinstance(declared, list):
        return None
    names = frozenset(str(t) for t in declared)
    return names | {"integer"} if "number" in names else names


def type_format(ctx: LintContext, node: Node) -> Iterator[Finding]:
    fmt = node.schema.get("format")
    if not isinstance(fmt, str):
        return
    types = _types(node.schema)
    location = node.at("/format")
    if fmt in TYPE_NAMES_AS_FORMAT:
        yield ctx.finding(
            "type-format-mismatch",
            Severity.warning,
            location,
            f"format {fmt!r} is a type name, not a format, and constrains nothing; "
            f"use {TYPE_NAMES_AS_FORMAT[fmt]}",
        )
        return
    if fmt not in FORMAT_CHECKER.checkers:
        yield ctx.finding(
            "unknown-format", Severity.info, location, f"format {fmt!r} is not checked by anyone"
        )
        return
    applies = FORMAT_TYPES.get(fmt, frozenset({"string"}))
    if fmt in ANNOTATION_FORMATS or types is None or types & applies:
        return
    yield ctx.finding(
        "type-format-mismatch",
        Severity.warning,
        location,
        f"format {fmt!r} applies to {'/'.join(sorted(applies))} values, but the type is "
        f"{'/'.join(sorted(types - {'integer'} if 'number' in types else types))}, "
        "so the format is never checked",
    )


# -- unsatisfiable subschemas ------------------------------------------------------------

Bounds = tuple[str, str, frozenset[str]]  # (lower keyword, upper keyword, types they bind)
COUNT_BOUNDS: tuple[Bounds, ...] = (
    ("minLength", "maxLength", frozenset({"string"})),
    ("minItems", "maxItems", frozenset({"array"})),
    ("minProperties", "maxProperties", frozenset({"object"})),
    ("minContains", "maxContains", frozenset({"array"})),
)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _allowed_types(parts: list[Part]) -> frozenset[str]:
    allowed = ALL_TYPES
    for part in parts:
        types = _types(part.schema)
        if types is not None:
            allowed = allowed & types
    return allowed


def _crossed(parts: list[Part]) -> Iterator[tuple[str, frozenset[str]]]:
    """(explanation, types it rules out) for each pair of contradicting bounds."""
    low, low_open, high, high_open = -float("inf"), False, float("inf"), False
    for part in parts:
        schema = part.schema
        if _number(schema.get("minimum")) and schema["minimum"] >= low:
            low, low_open = schema["minimum"], low_open and schema["minimum"] == low
        if _number(schema.get("exclusiveMinimum")) and schema["exclusiveMinimum"] >= low:
            low, low_open = schema["exclusiveMinimum"], True
        if _number(schema.get("maximum")) and schema["maximum"] <= high:
            high, high_open = schema["maximum"], high_open and schema["maximum"] == high
        if _number(schema.get("exclusiveMaximum")) and schema["exclusiveMaximum"] <= high:
            high, high_open = schema["exclusiveMaximum"], True
    if low > high or (low == high and (low_open or high_open)):
        yield (
            f"no number is >{'' if low_open else '='} {low} and <{'' if high_open else '='} {high}",
            _NUMBERS,
        )
    for lower, upper, kinds in COUNT_BOUNDS:
        lows = [p.schema[lower] for p in parts if _number(p.schema.get(lower))]
        highs = [p.schema[upper] for p in parts if _number(p.schema.get(upper))]
        if lows and highs and max(lows) > min(highs):
            yield f"{lower} {max(lows)} > {upper} {min(highs)}", kinds
    required = {n for p in parts for n in p.schema.get("required", ()) if isinstance(n, str)}
    highs = [p.schema["maxProperties"] for p in parts if _number(p.schema.get("maxProperties"))]
    if highs and len(required) > min(highs):
        yield (
            f"{len(required)} required properties but maxProperties {min(highs)}",
            frozenset({"object"}),
        )


def unsatisfiable(ctx: LintContext, node: Node) -> Iterator[Finding]:
    parts = ctx.node_parts(node)
    allowed = _allowed_types(parts)
    reasons = []
    if not allowed:
        reasons.append("its type, allOf and $ref targets allow no common type")
    for part in parts:
        if part.schema.get("not") in ({}, True):
            reasons.append(f"'not' at {ctx.written(part.location)} rejects everything")
    for explanation, kinds in _crossed(parts):
        if allowed and allowed <= kinds | ({"integer"} if "number" in kinds else set()):
            reasons.append(explanation)
    if "enum" in node.schema or "const" in node.schema:
        reasons.extend(_no_literal_fits(ctx, node))
    if reasons:
        yield ctx.finding(
            "unsatisfiable",
            Severity.error,
            node.location,
            "no value can satisfy this schema: " + "; ".join(reasons),
        )


def _no_literal_fits(ctx: LintContext, node: Node) -> Iterator[str]:
    """The enum/const values all break the schema's other keywords."""
    values = [node.schema["const"]] if "const" in node.schema else node.schema.get("enum")
    if not isinstance(values, list) or not values:
        return
    fits = [v for v in values if _fits_apart_from_literal(ctx, node, v)]
    if None not in fits and not any(fits):
        yield f"none of the values {short(values)} passes the other keywords"


def _fits_apart_from_literal(ctx: LintContext, node: Node, value: Any) -> bool | None:
    errors = ctx.errors_at(node.location, value)
    if errors is None:
        return None
    own = [e for e in errors if not (e.validator in ("enum", "const") and e.schema is node.schema)]
    return not own


def enum_value_invalid(ctx: LintContext, node: Node) -> Iterator[Finding]:
    """Single enum values that the sibling keywords reject (when others do fit)."""
    values = node.schema.get("enum")
    if not isinstance(values, list) or len(values) < 2:
        return
    verdicts = [_fits_apart_from_literal(ctx, node, v) for v in values]
    if not any(verdicts):
        return  # all fail: that is 'unsatisfiable'
    for index, (value, fits) in enumerate(zip(values, verdicts, strict=True)):
        if fits is False:
            yield ctx.finding(
                "enum-value-invalid",
                Severity.warning,
                node.at(f"/enum/{index}"),
                f"enum value {short(value)} is rejected by the schema's other keywords",
            )


CHECK = Callable[[LintContext, Node], Iterator[Finding]]
