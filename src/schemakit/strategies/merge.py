"""Intersecting two single-type alternatives ("alts"), one small function per JSON type.

An alt is a dict that is itself a JSON Schema: ``{"type": T, ...keywords for T...}``, children
left as subschemas, plus optionally ``"allOf": [...]`` with *residual* constraints that could
not be folded in (the generator checks those with the reference validator). Merging never
loosens: where the exact intersection cannot be written down, the result is stricter (and the
merger says so through ``exact``), which keeps generated documents valid.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..core.regex import search
from .jsonvalues import distinct, json_key, json_type, meet_types, type_allows, unique

Alt = dict[str, Any]
Valid = Callable[[Any, Any], bool]  # (schema, value) -> is the value valid?

NUMERIC_KEYWORDS = frozenset(
    {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "format"}
)
# Which keywords constrain an instance of each type (the rest are ignored for that type).
TYPE_KEYWORDS: dict[str, frozenset[str]] = {
    "null": frozenset(),
    "boolean": frozenset(),
    "integer": NUMERIC_KEYWORDS,
    "number": NUMERIC_KEYWORDS,
    "string": frozenset({"minLength", "maxLength", "pattern", "format"}),
    "array": frozenset(
        {
            "prefixItems",
            "items",
            "contains",
            "minContains",
            "maxContains",
            "minItems",
            "maxItems",
            "uniqueItems",
            "unevaluatedItems",
        }
    ),
    "object": frozenset(
        {
            "properties",
            "patternProperties",
            "additionalProperties",
            "required",
            "propertyNames",
            "minProperties",
            "maxProperties",
            "dependentRequired",
            "unevaluatedProperties",
        }
    ),
}


# Where an alt's children resolve ``$dynamicRef`` (the resources entered, outermost first).
# Unknown keywords are ignored by validators, so an alt stays a valid JSON Schema.
SCOPE = "schemakit:scope"
# Marks an alt whose type only comes from a schema without "type" (every type allowed).
IMPLICIT = "schemakit:implicit"
MARKERS = (SCOPE, IMPLICIT)


def shape(alt: Alt) -> Alt:
    """The alt without bookkeeping markers."""
    return {k: v for k, v in alt.items() if k not in MARKERS}


@dataclass
class Merged:
    """A merge result: the keywords, residual constraints, and whether it is exact."""

    keywords: dict[str, Any]
    residual: list[Any] = field(default_factory=list)
    exact: bool = True


# -- raw subschemas -----------------------------------------------------------------------


def is_true(schema: Any) -> bool:
    return schema is True or schema == {}


def all_of(*schemas: Any) -> Any:
    """The conjunction of subschemas, flattened and simplified (``True``/``False`` absorbed)."""
    given = [schema for schema in schemas if not is_true(schema)]
    if len(given) == 1:  # a property only one side declares: nothing to combine
        return given[0]
    parts: list[Any] = []
    if not _flatten(given, parts):
        return False
    kept = distinct(parts)  # merging big objects calls this per property: keep it cheap
    if not kept:
        return True
    return kept[0] if len(kept) == 1 else {"allOf": kept}


def _flatten(schemas: Any, into: list[Any]) -> bool:
    """Append the parts of ``schemas`` (nested ``allOf``s opened) to ``into``; ``False`` if
    one of them is ``false``."""
    for schema in schemas:
        if schema is False:
            return False
        if is_true(schema):
            continue
        if _is_all_of(schema):
            if not _flatten(schema["allOf"], into):
                return False
        else:
            into.append(schema)
    return True


def _is_all_of(schema: Any) -> bool:
    return isinstance(schema, dict) and len(schema) == 1 and "allOf" in schema


def matches(pattern: str, name: str) -> bool:
    """``patternProperties`` matching, exactly as the validator does it (ECMA-262)."""
    return search(pattern, name)


def property_schema(alt: Alt, name: str) -> Any:
    """What an object alt requires of the value of property ``name``."""
    properties = alt.get("properties", {})
    matched = [
        sub for pattern, sub in alt.get("patternProperties", {}).items() if matches(pattern, name)
    ]
    if name in properties or matched:
        return all_of(properties.get(name, True), *matched)
    return alt.get("additionalProperties", True)


def item_schema(alt: Alt, index: int) -> Any:
    """What an array alt requires of the item at ``index``."""
    prefix = alt.get("prefixItems", [])
    return prefix[index] if index < len(prefix) else alt.get("items", True)


# -- numbers ------------------------------------------------------------------------------

Bound = tuple[float, bool]  # (value, exclusive)


def lower_bound(alt: Alt) -> Bound | None:
    candidates = [
        (alt[k], k == "exclusiveMinimum") for k in ("minimum", "exclusiveMinimum") if k in alt
    ]
    return max(candidates) if candidates else None


def upper_bound(alt: Alt) -> Bound | None:
    candidates = [
        (alt[k], k != "exclusiveMaximum") for k in ("maximum", "exclusiveMaximum") if k in alt
    ]
    if not candidates:
        return None
    value, inclusive = min(candidates)
    return value, not inclusive


def tightest_low(a: Alt, b: Alt) -> Bound | None:
    bounds = [x for x in (lower_bound(a), lower_bound(b)) if x is not None]
    return max(bounds) if bounds else None


def tightest_high(a: Alt, b: Alt) -> Bound | None:
    bounds = [x for x in (upper_bound(a), upper_bound(b)) if x is not None]
    if not bounds:
        return None
    value, inclusive = min((v, not exclusive) for v, exclusive in bounds)
    return value, not inclusive


def set_bounds(keywords: dict[str, Any], low: Bound | None, high: Bound | None) -> None:
    for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        keywords.pop(key, None)
    if low is not None:
        keywords["exclusiveMinimum" if low[1] else "minimum"] = low[0]
    if high is not None:
        keywords["exclusiveMaximum" if high[1] else "maximum"] = high[0]


def integer_bounds(alt: Alt) -> tuple[int | None, int | None]:
    """Inclusive integer bounds of a numeric alt."""
    low, high = lower_bound(alt), upper_bound(alt)
    lo = None if low is None else (math.floor(low[0]) + 1 if low[1] else math.ceil(low[0]))
    hi = None if high is None else (math.ceil(high[0]) - 1 if high[1] else math.floor(high[0]))
    return lo, hi


def _tighter(
    a: Bound | None, b: Bound | None, pick: Callable[[Bound, Bound], Bound]
) -> Bound | None:
    if a is None or b is None:
        return a if b is None else b
    return pick(a, b)


def _lcm(a: Any, b: Any) -> Any | None:
    if isinstance(a, int) and isinstance(b, int):
        return a * b // math.gcd(a, b)
    fa, fb = Fraction(a), Fraction(b)
    if fa == fb:
        return a
    big, small = (a, b) if fa > fb else (b, a)
    return (
        big if (Fraction(big) / Fraction(small)).denominator == 1 and isinstance(big, int) else None
    )


def merge_numbers(a: Alt, b: Alt) -> Merged:
    low = _tighter(lower_bound(a), lower_bound(b), lambda x, y: max(x, y))
    high = _tighter(
        upper_bound(a),
        upper_bound(b),
        lambda x, y: x if (x[0], not x[1]) <= (y[0], not y[1]) else y,
    )
    keywords: dict[str, Any] = {}
    set_bounds(keywords, low, high)
    merged = Merged(keywords)
    steps = [a[k] for k in ("multipleOf",) if k in a] + [b[k] for k in ("multipleOf",) if k in b]
    if len(steps) == 1:
        keywords["multipleOf"] = steps[0]
    elif len(steps) == 2:
        common = _lcm(*steps)
        if common is None:
            keywords["multipleOf"] = steps[0]
            merged.residual.append({"multipleOf": steps[1]})
        else:
            keywords["multipleOf"] = common
    return merged


# -- strings ------------------------------------------------------------------------------


def _keep_one(keyword: str, a: Alt, b: Alt, merged: Merged) -> None:
    """Keywords that cannot be combined: keep one, check the other as a residual."""
    values = unique([alt[keyword] for alt in (a, b) if keyword in alt])
    if values:
        merged.keywords[keyword] = values[0]
        merged.residual.extend({keyword: value} for value in values[1:])


def _max_of(keyword: str, a: Alt, b: Alt, into: dict[str, Any]) -> None:
    values = [alt[keyword] for alt in (a, b) if keyword in alt]
    if values:
        into[keyword] = max(values)


def _min_of(keyword: str, a: Alt, b: Alt, into: dict[str, Any]) -> None:
    values = [alt[keyword] for alt in (a, b) if keyword in alt]
    if values:
        into[keyword] = min(values)


def merge_strings(a: Alt, b: Alt) -> Merged:
    merged = Merged({})
    _max_of("minLength", a, b, merged.keywords)
    _min_of("maxLength", a, b, merged.keywords)
    _keep_one("pattern", a, b, merged)
    _keep_one("format", a, b, merged)
    return merged


# -- arrays -------------------------------------------------------------------------------


def merge_arrays(a: Alt, b: Alt) -> Merged:
    merged = Merged({})
    keywords = merged.keywords
    length = max(len(a.get("prefixItems", [])), len(b.get("prefixItems", [])))
    if length:
        keywords["prefixItems"] = [
            all_of(item_schema(a, i), item_schema(b, i)) for i in range(length)
        ]
    if "items" in a or "items" in b:
        keywords["items"] = all_of(a.get("items", True), b.get("items", True))
    _max_of("minItems", a, b, keywords)
    _min_of("maxItems", a, b, keywords)
    if a.get("uniqueItems") or b.get("uniqueItems"):
        keywords["uniqueItems"] = True
    groups = unique([_contains_group(alt) for alt in (a, b) if "contains" in alt])
    if groups:
        keywords.update(groups[0])
        merged.residual.extend(groups[1:])
    if "unevaluatedItems" in a or "unevaluatedItems" in b:
        keywords["unevaluatedItems"] = all_of(
            a.get("unevaluatedItems", True), b.get("unevaluatedItems", True)
        )
    return merged


def _contains_group(alt: Alt) -> dict[str, Any]:
    return {k: alt[k] for k in ("contains", "minContains", "maxContains") if k in alt}


# -- objects ------------------------------------------------------------------------------


def merge_objects(a: Alt, b: Alt) -> Merged:
    merged = Merged({})
    keywords = merged.keywords
    names = list(dict.fromkeys([*a.get("properties", {}), *b.get("properties", {})]))
    if names:
        keywords["properties"] = {
            n: all_of(property_schema(a, n), property_schema(b, n)) for n in names
        }
    patterns: dict[str, Any] = {}
    for this, other in ((a, b), (b, a)):
        for pattern, sub in this.get("patternProperties", {}).items():
            extra = True
            if (
                pattern not in other.get("patternProperties", {})
                and "additionalProperties" in other
            ):
                # Keys matching only this pattern meet the other side's additionalProperties;
                # applying it to every key of the pattern is stricter than needed.
                extra = other["additionalProperties"]
                if other.get("patternProperties"):
                    merged.exact = False
            patterns[pattern] = all_of(patterns.get(pattern, True), sub, extra)
    if patterns:
        keywords["patternProperties"] = patterns
    if "additionalProperties" in a or "additionalProperties" in b:
        keywords["additionalProperties"] = all_of(
            a.get("additionalProperties", True), b.get("additionalProperties", True)
        )
    required = list(dict.fromkeys([*a.get("required", []), *b.get("required", [])]))
    if required:
        keywords["required"] = required
    if "propertyNames" in a or "propertyNames" in b:
        keywords["propertyNames"] = all_of(
            a.get("propertyNames", True), b.get("propertyNames", True)
        )
    _max_of("minProperties", a, b, keywords)
    _min_of("maxProperties", a, b, keywords)
    dependencies: dict[str, list[str]] = {}
    for alt in (a, b):
        for key, needed in alt.get("dependentRequired", {}).items():
            dependencies[key] = list(dict.fromkeys([*dependencies.get(key, []), *needed]))
    if dependencies:
        keywords["dependentRequired"] = dependencies
    if "unevaluatedProperties" in a or "unevaluatedProperties" in b:
        keywords["unevaluatedProperties"] = all_of(
            a.get("unevaluatedProperties", True), b.get("unevaluatedProperties", True)
        )
    return merged


def merge_nothing(a: Alt, b: Alt) -> Merged:
    return Merged({})


MERGERS: dict[str, Callable[[Alt, Alt], Merged]] = {
    "null": merge_nothing,
    "boolean": merge_nothing,
    "integer": merge_numbers,
    "number": merge_numbers,
    "string": merge_strings,
    "array": merge_arrays,
    "object": merge_objects,
}


def merge(a: Alt, b: Alt, valid: Valid) -> tuple[Alt | None, bool]:
    """The intersection of two alts (``None`` if their types or values cannot meet), and
    whether it is exact."""
    kind = meet_types(a["type"], b["type"])
    if kind is None:
        return None, True
    if "enum" in a or "enum" in b:
        result = enum_alt(kind, a["enum"] if "enum" in a else b["enum"], (a, b), valid)
        return (None if result is None else _markers(result, a, b)), True
    for this, that in ((a, b), (b, a)):
        if that["type"] == kind and set(shape(this)) == {"type"}:
            # Every value of the type meets ``this``: the other alt is the intersection
            # (schemas without "type" meet every alt of a $ref this way, often).
            return _markers({k: v for k, v in that.items() if k not in MARKERS}, a, b), True
    merged = MERGERS[kind](a, b)
    result = {"type": kind, **merged.keywords}
    residual = distinct([*a.get("allOf", []), *b.get("allOf", []), *merged.residual])
    residual = [r for r in residual if not _holds_for_type(kind, r)]
    if any(_fails_for_type(kind, r) or _denies(result, r) for r in residual):
        return None, True
    if residual:
        result["allOf"] = residual
    return _markers(result, a, b), merged.exact


def _markers(result: Alt, a: Alt, b: Alt) -> Alt:
    if (SCOPE in a or SCOPE in b) and "enum" not in result:
        result[SCOPE] = list(dict.fromkeys([*a.get(SCOPE, []), *b.get(SCOPE, [])]))
    if a.get(IMPLICIT) and b.get(IMPLICIT):
        result[IMPLICIT] = True
    return result


def _negated_types(residual: Any) -> list[str] | None:
    """The types of a residual ``{"not": {"type": ...}}``, if it is exactly that."""
    if isinstance(residual, dict) and set(residual) == {"not"}:
        inner = residual["not"]
        if isinstance(inner, dict) and set(inner) == {"type"}:
            names = inner["type"]
            return [names] if isinstance(names, str) else list(names)
    return None


def _holds_for_type(kind: str, residual: Any) -> bool:
    names = _negated_types(residual)
    return names is not None and all(meet_types(kind, name) is None for name in names)


def _fails_for_type(kind: str, residual: Any) -> bool:
    names = _negated_types(residual)
    return names is not None and any(type_allows(name, kind) for name in names)


def _denies(result: Alt, residual: Any) -> bool:
    """A residual ``{"not": S}`` where ``result`` states every keyword of S itself (a string
    with ``pattern: P`` that must not match P, as ``oneOf`` exclusion asks of two branches
    that share a ``$ref``): no value is left, which no generator could find by filtering."""
    if not (isinstance(residual, dict) and set(residual) == {"not"}):
        return False
    inner = residual["not"]
    if not isinstance(inner, dict) or not inner:
        return False
    kind = result["type"]
    for keyword, value in inner.items():
        if keyword == "type":
            names = [value] if isinstance(value, str) else value
            if not any(type_allows(name, kind) for name in names):
                return False
        elif keyword not in TYPE_KEYWORDS[kind] or not _same(result.get(keyword), value):
            return False
    return True


def _same(mine: Any, value: Any) -> bool:
    return mine is not None and json_key(mine) == json_key(value)


def enum_alt(kind: str, values: list[Any], schemas: tuple[Any, ...], valid: Valid) -> Alt | None:
    """An alt listing the ``values`` of type ``kind`` that every schema accepts."""
    # Schemas that only name types and list values are checked here, by type and by JSON
    # equality: asking the reference validator costs a scan of the enum per value, which
    # for the long enums of real schemas (thousands of names) took seconds.
    listed = [enum_keys(schema) for schema in schemas if _only_listing(schema) and "enum" in schema]
    checks = [schema for schema in schemas if not _only_listing(schema)]
    kept = [
        v
        for v in unique(values)
        if type_allows(kind, json_type(v))
        and all(json_key(v) in keys for keys in listed)
        and all(valid(schema, v) for schema in checks)
    ]
    return {"type": kind, "enum": kept} if kept else None


def _only_listing(schema: Any) -> bool:
    """A schema whose only assertions are a ``type`` (met by every value of the kind being
    listed: alts only meet when their types do) and an ``enum``."""
    return isinstance(schema, dict) and set(shape(schema)) <= {"type", "enum"}


def enum_keys(alt: Alt) -> set[Any]:
    return {json_key(v) for v in alt.get("enum", [])}
