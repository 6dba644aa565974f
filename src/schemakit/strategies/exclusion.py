"""``oneOf`` exactness: narrowing one branch so that another branch fails on all it allows.

In order of preference: nothing to do when the two cannot share a value (``disjoint``: other
types, other enum values, disjoint ranges, a required property whose values differ); else
require a property whose values never satisfy the other branch (a discriminator: the 15 data
collections differ by ``type``); else merge in the cheapest way the other branch fails
(``negate.failure_modes``: a property it requires becomes forbidden); last, a residual
``not`` checked by the reference validator. Only ``disjoint`` answers are exact; the others
keep a subset of the valid values, which the result reports.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .jsonvalues import meet_types, unique
from .merge import Alt, is_true, merge, property_schema, set_bounds, tightest_high, tightest_low
from .negate import complement
from .resolve import schema_key

if TYPE_CHECKING:
    from .canonical import Canon, Canonicaliser

# How deep disjointness checks look into children.
MAX_CHECK_DEPTH = 3


def exclude(canon: Canonicaliser, alt: Alt, other: Canon, raw: Any) -> tuple[Alt | None, bool]:
    """``alt`` narrowed so that nothing in it is valid under ``raw`` (canon ``other``);
    ``None`` if nothing is left. The flag says whether no valid value was lost."""
    if not other.exact:
        return {**alt, "allOf": unique([*alt.get("allOf", []), {"not": raw}])}, True
    exact = True
    current: Alt | None = alt
    for branch in other.alts:
        if current is None:
            break
        current, step_exact = _exclude_one(canon, current, branch)
        exact = exact and step_exact
    return current, exact


def _exclude_one(canon: Canonicaliser, alt: Alt, other: Alt) -> tuple[Alt | None, bool]:
    if disjoint(canon, alt, other, 0):
        return alt, True
    narrowed = _discriminate(canon, alt, other)
    if narrowed is not None:
        return narrowed, False
    options = []
    for _, mode in complement(other, canon.annotations_matter):
        merged, _ = merge(alt, mode, canon.refs.is_valid)
        merged = None if merged is None else canon.normalise(merged)
        if merged is not None and canon.satisfiable(merged, ""):
            options.append(merged)
    if not options:
        return None, True
    return options[0], len(options) == 1


def _discriminate(canon: Canonicaliser, alt: Alt, other: Alt) -> Alt | None:
    """Require a property of ``alt`` whose values never satisfy ``other``'s schema for it:
    one both declare with disjoint values, else one ``other`` forbids (closed objects that
    share some properties: a ``not`` of the whole other object, checked after drawing,
    would reject most small objects, all of them deep in recursion)."""
    if alt["type"] != "object" or other["type"] != "object" or "propertyNames" in alt:
        return None
    disjoint_values = (
        name
        for name in other.get("properties", {})
        if property_schema(alt, name) is not False
        and _children_disjoint(canon, property_schema(alt, name), property_schema(other, name), 0)
    )
    forbidden = sorted(
        (
            name
            for name, sub in alt.get("properties", {}).items()
            if sub is not False and property_schema(other, name) is False
        ),
        key=lambda name: _cost(alt["properties"][name]),
    )
    for name in itertools.chain(disjoint_values, forbidden):
        required = list(dict.fromkeys([*alt.get("required", []), name]))
        narrowed = canon.normalise({**alt, "required": required})
        if narrowed is not None and canon.satisfiable(narrowed, ""):
            return narrowed
    return None


def _cost(schema: Any) -> tuple[bool, int]:
    """How much a required property adds to documents: references (maybe recursive) last,
    then by the size of the schema."""
    text = schema_key(schema)
    return '"$ref"' in text, len(text)


def disjoint(canon: Canonicaliser, a: Alt, b: Alt, depth: int) -> bool:
    """True only if no value satisfies both alts."""
    kind = meet_types(a["type"], b["type"])
    if kind is None:
        return True
    for this, that in ((a, b), (b, a)):
        if "enum" in this:
            return not any(canon.refs.is_valid(that, v) for v in this["enum"])
    return DISJOINT[kind](canon, a, b, depth)


def _children_disjoint(canon: Canonicaliser, a: Any, b: Any, depth: int) -> bool:
    if a is False or b is False:
        return True
    if depth >= MAX_CHECK_DEPTH or is_true(a) or is_true(b):
        return False
    left, right = canon.child(a, ""), canon.child(b, "")
    if left is None or right is None:
        return False
    return all(disjoint(canon, x, y, depth + 1) for x in left.alts for y in right.alts)


def _plain(canon: Canonicaliser, a: Alt, b: Alt, depth: int) -> bool:
    return False


def _numbers(canon: Canonicaliser, a: Alt, b: Alt, depth: int) -> bool:
    probe = {"type": "number"}
    set_bounds(probe, tightest_low(a, b), tightest_high(a, b))
    return not canon.satisfiable(probe, "")


def _strings(canon: Canonicaliser, a: Alt, b: Alt, depth: int) -> bool:
    low = max(a.get("minLength", 0), b.get("minLength", 0))
    return bool(low > min(a.get("maxLength", math.inf), b.get("maxLength", math.inf)))


def _arrays(canon: Canonicaliser, a: Alt, b: Alt, depth: int) -> bool:
    low = max(a.get("minItems", 0), b.get("minItems", 0))
    return bool(low > min(a.get("maxItems", math.inf), b.get("maxItems", math.inf)))


def _objects(canon: Canonicaliser, a: Alt, b: Alt, depth: int) -> bool:
    for this, that in ((a, b), (b, a)):
        for name in this.get("required", []):
            if _children_disjoint(
                canon, property_schema(this, name), property_schema(that, name), depth
            ):
                return True
    return False


DISJOINT: dict[str, Callable[[Canonicaliser, Alt, Alt, int], bool]] = {
    "null": _plain,
    "boolean": _plain,
    "integer": _numbers,
    "number": _numbers,
    "string": _strings,
    "array": _arrays,
    "object": _objects,
}
