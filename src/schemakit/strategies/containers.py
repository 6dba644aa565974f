"""Drawing objects and arrays from compiled plans (the child strategies are built already).

Sizes are kept realistic and finite: an optional property is present three times in four at
the top (shrinking makes it absent), less often the deeper a draw sits inside recursive
``$ref``s, and arrays get a few items past ``minItems``, fewer when nested in other arrays.
Wide schemas without recursion (objects of dozens of optional objects, each with arrays of
more) are kept within Hypothesis' choice budget the same way: the more of it a document has
used, the deeper its later draws count.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

from .choices import Packed, drawn_by, integer, packed, packed_of, raw_bytes, spent, value_of
from .jsonvalues import json_key

Strategy = st.SearchStrategy[Any]

# Chance, in quarters, that an optional property is drawn, by recursion depth.
PRESENCE = (3, 2, 1, 1, 0)
# How many items an array may get beyond minItems, by how deep it is nested in arrays and refs.
EXTRA_ITEMS = (4, 3, 2, 1, 1, 0)
# How many undeclared keys an object made of them may get, by recursion depth.
EXTRA_KEYS = (3, 2, 1, 0)
# An object with declared properties also gets one undeclared key when two presence
# digits are both 3: one time in 16, at the top recursion level.


# Presence of up to four optional properties per draw, one base-4 digit each (fewer draws
# make generation faster; an all-zero draw, where shrinking heads, means all absent).
_state = threading.local()


# Past this many objects and arrays drawn inside recursive $refs in one document, every draw
# counts as deep inside recursion (optional parts left out, no extra items or keys): schemas
# whose every level branches (maps of configurations holding maps of configurations...) stay
# small, and schemas without recursion are not affected at all.
DOCUMENT_NODES = 30

# Hypothesis gives up on a test case (an "overrun") past 8 KiB of choices. From SPENT_FREE
# on, every further SPENT_STEP bytes used count as one more level of recursion, so optional
# parts thin out and stop well before that: an overrun costs a whole discarded document.
SPENT_FREE = 2048
SPENT_STEP = 768


def recursion_depth(draw: st.DrawFn) -> int:
    """How many recursive ``$ref``s the current draw is nested in, plus a level per
    ``SPENT_STEP`` bytes of choices used past ``SPENT_FREE`` (or, once the document has
    ``DOCUMENT_NODES`` objects and arrays inside recursive refs, as deep as the tables go)."""
    depth = int(getattr(_state, "depth", 0)) + max(0, spent(draw) - SPENT_FREE) // SPENT_STEP
    if int(getattr(_state, "nodes", 0)) >= DOCUMENT_NODES:
        return max(depth, len(EXTRA_ITEMS))
    return depth


def _count_node() -> None:
    if getattr(_state, "depth", 0):
        _state.nodes = int(getattr(_state, "nodes", 0)) + 1


@contextmanager
def one_document() -> Iterator[None]:
    """Count the objects and arrays of one document (a draw of the whole schema)."""
    outer = getattr(_state, "nodes", 0)
    _state.nodes = 0
    try:
        yield
    finally:
        _state.nodes = outer


def _array_depth() -> int:
    return int(getattr(_state, "arrays", 0))


def deeper(get: Callable[[], Strategy]) -> Strategy:
    """A recursive reference: draws ``get()`` one recursion level deeper."""
    inner = st.deferred(get)

    def draw_deeper(draw: st.DrawFn) -> Any:
        _state.depth = int(getattr(_state, "depth", 0)) + 1
        try:
            return draw(inner)
        finally:
            _state.depth -= 1

    return drawn_by(draw_deeper)


def mostly(usual: Strategy, rare: Strategy, percent: int = 90) -> Strategy:
    """``usual`` in ``percent`` of draws, else ``rare``; shrinks towards ``usual``."""
    common, uncommon = packed_of(usual), packed_of(rare)
    if common is not None and uncommon is not None:
        cut = 256 * percent // 100

        def decode_mostly(raw: bytes, draw: st.DrawFn) -> Any:
            chosen = common if raw[0] < cut else uncommon
            assert chosen is not None
            return chosen.decode(raw[1 : 1 + chosen.width], draw)

        return packed(1 + max(common.width, uncommon.width), decode_mostly)

    def draw_mostly(draw: st.DrawFn) -> Any:
        return draw(usual if integer(draw, 0, 99) < percent else rare)

    return drawn_by(draw_mostly)


def _at(table: tuple[int, ...], depth: int) -> int:
    return table[min(depth, len(table) - 1)]


# -- objects ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    strategy: Strategy
    required: bool


@dataclass
class ObjectPlan:
    fields: list[Field]
    min_properties: int = 0
    max_properties: int | None = None
    dependencies: dict[str, tuple[str, ...]] = field(default_factory=dict)
    extra_keys: st.SearchStrategy[str] | None = None
    extra_value: Callable[[str], Strategy | None] | None = None
    open_only: bool = False  # undeclared keys are allowed, not what the object is made of


def _close_dependencies(present: set[str], plan: ObjectPlan, declared: set[str]) -> set[str]:
    """Add what present keys depend on, transitively; drop optional keys whose dependencies
    (at any remove) cannot exist. (Dropping one key while another re-adds it used to loop.)"""
    required = {f.name for f in plan.fields if f.required}
    kept: set[str] = set()
    for key in sorted(present):
        closure = _dependency_closure(key, plan.dependencies)
        if key in required or closure <= declared:
            kept |= closure
    return kept


def _dependency_closure(key: str, dependencies: dict[str, tuple[str, ...]]) -> set[str]:
    """``key`` and every name it needs, directly or through the names they need."""
    closure, pending = {key}, [key]
    while pending:
        for name in dependencies.get(pending.pop(), ()):
            if name not in closure:
                closure.add(name)
                pending.append(name)
    return closure


def _digits(raw: bytes, count: int) -> list[int]:
    """``count`` base-4 digits read from ``raw``."""
    value = int.from_bytes(raw, "big")
    digits = []
    for _ in range(count):
        value, digit = divmod(value, 4)
        digits.append(digit)
    return digits


# Objects whose packed properties need more bytes than this draw them in two runs (presence
# first, then only the present properties), keeping documents far from Hypothesis' 8 KiB.
ONE_RUN_LIMIT = 256


def object_strategy(plan: ObjectPlan) -> st.SearchStrategy[dict[str, Any]]:
    """Objects from a plan. One run of bytes per object holds a base-4 digit per optional
    property (present when at least ``4 - quarters``, see ``PRESENCE``), two digits for a
    stray undeclared key (both 3) and the bytes of every packed property, present or not, so
    each keeps its place. Zero bytes, where shrinking heads: required properties only."""
    declared = {f.name for f in plan.fields}
    required = [f.name for f in plan.fields if f.required]
    optional = [f.name for f in plan.fields if not f.required]
    most = plan.max_properties
    slots = len(optional) + (2 if plan.open_only else 0)
    offset = head = (slots + 3) // 4
    layout: list[tuple[Field, Packed | None, int]] = []
    for f in plan.fields:
        part = packed_of(f.strategy)
        layout.append((f, part, offset))
        offset += part.width if part is not None else 0
    total = offset
    one_run = total <= ONE_RUN_LIMIT

    def draw_object(draw: st.DrawFn) -> dict[str, Any]:
        _count_node()
        depth = recursion_depth(draw)
        chance = _at(PRESENCE, depth)
        # With no optional property possible, neither digits nor absent values are drawn.
        whole = one_run and chance > 0
        raw = raw_bytes(draw, total if whole else head if chance else 0)
        digits = _digits(raw[:head], slots)
        present = set(required)
        budget = len(optional) if most is None else most - len(required)
        if chance:
            for name, digit in zip(optional, digits, strict=False):
                if digit >= 4 - chance and budget > 0:
                    present.add(name)
                    budget -= 1
        stray = plan.open_only and depth == 0 and chance > 0 and digits[-2:] == [3, 3]
        for name in optional:  # minProperties: add declared properties first
            if len(present) >= plan.min_properties:
                break
            present.add(name)
        if plan.dependencies:
            present = _close_dependencies(present, plan, declared)
        if most is not None and len(present) > most:
            reject()
        if whole:
            slices = {f.name: raw[at : at + p.width] for f, p, at in layout if p is not None}
        else:  # a second run with the bytes of the present packed properties only
            slices = _split_run(
                draw, [(f.name, p.width) for f, p, _ in layout if p and f.name in present]
            )
        result = {}
        for f, part, _ in layout:
            if f.name in present:
                if part is not None:
                    result[f.name] = part.decode(slices[f.name], draw)
                else:
                    result[f.name] = value_of(draw, f.strategy)
        if plan.extra_keys is not None and plan.extra_value is not None:
            _add_extras(draw, plan, result, declared, depth, stray)
        if len(result) < plan.min_properties:
            reject()
        return result

    return drawn_by(draw_object)


def _split_run(draw: st.DrawFn, widths: list[tuple[str, int]]) -> dict[str, bytes]:
    """One run of bytes, cut into a slice per name."""
    raw = raw_bytes(draw, sum(width for _, width in widths))
    slices, start = {}, 0
    for name, width in widths:
        slices[name] = raw[start : start + width]
        start += width
    return slices


def _add_extras(
    draw: st.DrawFn,
    plan: ObjectPlan,
    result: dict[str, Any],
    declared: set[str],
    depth: int,
    stray: bool,
) -> None:
    assert plan.extra_keys is not None and plan.extra_value is not None
    need = max(0, plan.min_properties - len(result))
    if plan.open_only and not need:
        count = int(stray)
    else:
        count = need + integer(draw, 0, _at(EXTRA_KEYS, depth))
    if plan.max_properties is not None:
        count = min(count, plan.max_properties - len(result))
    added = attempts = 0
    while added < count and attempts < count + 5:
        attempts += 1
        key = draw(plan.extra_keys)
        if key in result or key in declared:
            continue
        values = plan.extra_value(key)
        if values is None:
            continue
        result[key] = value_of(draw, values)
        added += 1


# -- arrays -------------------------------------------------------------------------------


@dataclass
class ArrayPlan:
    prefix: list[Strategy]
    items: Strategy | None  # None: nothing may follow the prefix
    min_items: int
    max_items: int | None
    unique: bool
    min_contains: int = 0
    max_contains: int | None = None
    # Per position (the prefix positions, then one entry for every later position): items that
    # match ``contains``, and items that do not (only needed when maxContains is set).
    matching: list[Strategy | None] = field(default_factory=list)
    other: list[Strategy | None] = field(default_factory=list)
    # uniqueItems over a finite set of values: drawn without replacement (no retries).
    distinct: list[Any] | None = None


def _position(options: list[Strategy | None], index: int) -> Strategy | None:
    return options[min(index, len(options) - 1)]


def array_strategy(plan: ArrayPlan) -> st.SearchStrategy[list[Any]]:
    least = max(plan.min_items, plan.min_contains if plan.matching else 0)

    def longest(depth: int) -> int:
        cap = least + _at(EXTRA_ITEMS, depth)
        if plan.items is None:
            cap = min(cap, len(plan.prefix))
        if plan.distinct is not None:
            cap = min(cap, len(plan.distinct))
        return cap if plan.max_items is None else min(cap, plan.max_items)

    def base(index: int) -> Strategy:
        if index < len(plan.prefix):
            return plan.prefix[index]
        assert plan.items is not None
        return plan.items

    def draw_array(draw: st.DrawFn) -> list[Any]:
        _count_node()
        depth = recursion_depth(draw) + _array_depth()
        top = max(least, longest(depth))
        _state.arrays = _array_depth() + 1
        try:
            # The length is one choice; shrinking it drops items from the end.
            size = integer(draw, least, top) if top > least else least
            if plan.distinct is not None:
                return _without_replacement(draw, plan.distinct, size)
            kinds = _choose_matches(draw, plan, size) if plan.matching else {}
            strategies = [kinds[i] if i in kinds else base(i) for i in range(size)]
            parts = [packed_of(strategy) for strategy in strategies]
            # Every packed item's bytes in one choice; the other items are drawn one by one.
            raw = raw_bytes(draw, sum(p.width for p in parts if p is not None))
            result: list[Any] = []
            seen: set[Any] = set()
            start = 0
            for strategy, part in zip(strategies, parts, strict=True):
                if part is not None:
                    value = part.decode(raw[start : start + part.width], draw)
                    start += part.width
                else:
                    value = value_of(draw, strategy)
                if plan.unique:
                    value = _fresh(draw, strategy, value, seen)
                result.append(value)
            return result
        finally:
            _state.arrays -= 1

    return drawn_by(draw_array)


def _without_replacement(draw: st.DrawFn, values: list[Any], size: int) -> list[Any]:
    """``size`` different values, in an order drawn from one run of bytes."""
    raw = raw_bytes(draw, 2 * size)
    pool = list(values)
    chosen = []
    for index in range(size):
        position = int.from_bytes(raw[2 * index : 2 * index + 2], "big") % len(pool)
        chosen.append(copy.deepcopy(pool.pop(position)))
    return chosen


def _choose_matches(draw: st.DrawFn, plan: ArrayPlan, size: int) -> dict[int, Strategy]:
    """Which positions hold items matching ``contains`` (and what the others are drawn from)."""
    eligible = [i for i in range(size) if _position(plan.matching, i) is not None]
    most = len(eligible) if plan.max_contains is None else min(plan.max_contains, len(eligible))
    if plan.min_contains > most:
        reject()
    count = integer(draw, plan.min_contains, most)
    chosen = set(draw(st.permutations(eligible))[:count]) if count else set()
    kinds: dict[int, Strategy] = {}
    for index in range(size):
        if index in chosen:
            match = _position(plan.matching, index)
            assert match is not None
            kinds[index] = match
        elif plan.max_contains is not None:
            other = _position(plan.other, index)
            if other is None:
                reject()
            assert other is not None
            kinds[index] = other
    return kinds


def _fresh(draw: st.DrawFn, strategy: Strategy, value: Any, seen: set[Any]) -> Any:
    """``value``, or another draw if it repeats an earlier item (uniqueItems)."""
    for _ in range(5):
        key = json_key(value)
        if key not in seen:
            seen.add(key)
            return value
        value = value_of(draw, strategy)
    reject()
