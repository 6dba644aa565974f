"""Negation: the ways an instance of one type can fail an alt, one function per keyword.

``failure_modes(alt)`` lists alts of the same type whose union is exactly the instances of
that type that fail ``alt`` (by De Morgan: failing any one keyword is enough). Keywords with a
cheap exact complement get one (``minLength: 3`` -> ``maxLength: 2``, ``required: [k]`` ->
``properties: {k: false}``, ``properties: {p: S}`` -> ``p`` present and not ``S``); the rest
become a residual ``{"not": ...}`` checked by the validator. Each mode carries a rank: cheaper
modes (absence, bounds) come before value negations and residual checks, which is the order
``oneOf`` exclusion tries them in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from .jsonvalues import ALL_TYPES, meet_types
from .merge import Alt, is_true, lower_bound, upper_bound

Mode = tuple[int, Alt]  # (rank, alt)

ABSENCE, BOUND, VALUE, RESIDUAL = 0, 1, 2, 3


def _alt(kind: str, **keywords: Any) -> Alt:
    return {"type": kind, **keywords}


def _residual(kind: str, schema: Any) -> Mode:
    return RESIDUAL, {"type": kind, "allOf": [{"not": schema}]}


def _numbers(alt: Alt) -> Iterator[Mode]:
    kind = alt["type"]
    low, high = lower_bound(alt), upper_bound(alt)
    if low is not None:
        yield BOUND, _alt(kind, **{("maximum" if low[1] else "exclusiveMaximum"): low[0]})
    if high is not None:
        yield BOUND, _alt(kind, **{("minimum" if high[1] else "exclusiveMinimum"): high[0]})
    if "multipleOf" in alt:
        yield _residual(kind, {"multipleOf": alt["multipleOf"]})


def _strings(alt: Alt) -> Iterator[Mode]:
    if alt.get("minLength", 0) > 0:
        yield BOUND, _alt("string", maxLength=alt["minLength"] - 1)
    if "maxLength" in alt:
        yield BOUND, _alt("string", minLength=alt["maxLength"] + 1)
    for keyword in ("pattern", "format"):
        if keyword in alt:
            yield _residual("string", {keyword: alt[keyword]})


def _arrays(alt: Alt) -> Iterator[Mode]:
    if alt.get("minItems", 0) > 0:
        yield BOUND, _alt("array", maxItems=alt["minItems"] - 1)
    if "maxItems" in alt:
        yield BOUND, _alt("array", minItems=alt["maxItems"] + 1)
    prefix = alt.get("prefixItems", [])
    for index, sub in enumerate(prefix):
        if not is_true(sub):
            wrong = [True] * index + [{"not": sub}]
            yield VALUE, _alt("array", minItems=index + 1, prefixItems=wrong)
    items = alt.get("items", True)
    if not is_true(items):
        if prefix:
            yield _residual("array", {"prefixItems": [True] * len(prefix), "items": items})
        else:
            yield VALUE, _alt("array", contains={"not": items})
    if "contains" in alt:
        simple = "maxContains" not in alt and alt.get("minContains", 1) == 1
        if simple and not prefix and "items" not in alt:
            yield VALUE, _alt("array", items={"not": alt["contains"]})
        else:
            group = {k: alt[k] for k in ("contains", "minContains", "maxContains") if k in alt}
            yield _residual("array", group)
    if alt.get("uniqueItems"):
        yield _residual("array", {"uniqueItems": True})


def _objects(alt: Alt) -> Iterator[Mode]:
    for name in alt.get("required", []):
        yield ABSENCE, _alt("object", properties={name: False})
    for name, sub in alt.get("properties", {}).items():
        if sub is False:
            yield VALUE, _alt("object", required=[name])
        elif not is_true(sub):
            yield VALUE, _alt("object", required=[name], properties={name: {"not": sub}})
    if alt.get("patternProperties") or "additionalProperties" in alt:
        group: dict[str, Any] = {
            "properties": {name: True for name in alt.get("properties", {})},
            "patternProperties": alt.get("patternProperties", {}),
        }
        if "additionalProperties" in alt:
            group["additionalProperties"] = alt["additionalProperties"]
        yield _residual("object", group)
    if "propertyNames" in alt:
        yield _residual("object", {"propertyNames": alt["propertyNames"]})
    if alt.get("minProperties", 0) > 0:
        yield BOUND, _alt("object", maxProperties=alt["minProperties"] - 1)
    if "maxProperties" in alt:
        yield BOUND, _alt("object", minProperties=alt["maxProperties"] + 1)
    for key, needed in alt.get("dependentRequired", {}).items():
        for name in needed:
            yield ABSENCE, _alt("object", required=[key], properties={name: False})


def _nothing(alt: Alt) -> Iterator[Mode]:
    return iter(())


KEYWORD_MODES: dict[str, Callable[[Alt], Iterator[Mode]]] = {
    "null": _nothing,
    "boolean": _nothing,
    "integer": _numbers,
    "number": _numbers,
    "string": _strings,
    "array": _arrays,
    "object": _objects,
}


# Keywords of a mode that only say "present" or "long enough", which evaluate nothing.
_PLAIN = frozenset({"type", "required", "minItems", "maxItems", "minProperties", "maxProperties"})


def _unannotated(mode: Mode) -> Mode:
    """A mode whose keywords are checked, not merged: merged ``properties``, ``prefixItems``,
    ``items`` or ``contains`` would count as evaluated for ``unevaluated*``, but keywords that
    only make something fail never produce annotations."""
    rank, alt = mode
    moved = {k: v for k, v in alt.items() if k not in _PLAIN and k != "allOf"}
    if not moved or (
        all(v is False for v in moved.get("properties", {}).values())
        and set(moved) == {"properties"}
    ):
        return mode
    kept = {k: v for k, v in alt.items() if k in _PLAIN}
    return rank, {**kept, "allOf": [*alt.get("allOf", []), moved]}


def failure_modes(alt: Alt, annotations: bool = False) -> list[Mode]:
    """Alts of ``alt``'s type that together hold exactly the instances that fail ``alt``.

    With ``annotations`` (an enclosing schema uses ``unevaluated*``) the modes evaluate nothing.
    """
    modes = _failure_modes(alt)
    return [_unannotated(mode) for mode in modes] if annotations else modes


def _failure_modes(alt: Alt) -> list[Mode]:
    kind = alt["type"]
    if "enum" in alt:
        if kind in ("null", "boolean"):
            rest = [
                v for v in ((None,) if kind == "null" else (False, True)) if v not in alt["enum"]
            ]
            return [(VALUE, _alt(kind, enum=rest))] if rest else []
        return [_residual(kind, {"enum": alt["enum"]})]
    modes = list(KEYWORD_MODES[kind](alt))
    modes.extend(_residual(kind, sub) for sub in alt.get("allOf", []))
    return sorted(modes, key=lambda mode: mode[0])


def complement(alt: Alt, annotations: bool = False) -> list[Mode]:
    """Alts (of any type) that together hold exactly the instances that fail ``alt``."""
    kind = alt["type"]
    others: list[Mode] = [
        (ABSENCE, bare(other)) for other in ALL_TYPES if meet_types(other, kind) is None
    ]
    if kind == "integer":
        # Numbers that are not integers fail an integer alt whatever its other keywords.
        others.append(_residual("number", {"type": "integer"}))
    return others + failure_modes(alt, annotations)


def bare(kind: str) -> Alt:
    """The alt holding every instance of ``kind``."""
    if kind == "null":
        return {"type": "null", "enum": [None]}
    if kind == "boolean":
        return {"type": "boolean", "enum": [False, True]}
    return {"type": kind}
