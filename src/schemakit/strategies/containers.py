"""Drawing objects and arrays from compiled plans (the child strategies are built already).

Sizes are kept realistic and finite: an optional property is present three times in four at
the top (shrinking makes it absent), less often the deeper a draw sits inside recursive
``$ref``s, and arrays get a few items past ``minItems``, fewer when nested in other arrays.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

from .jsonvalues import json_key

Strategy = st.SearchStrategy[Any]

# Chance, in quarters, that an optional property is drawn, by recursion depth.
PRESENCE = (3, 2, 1, 1, 0)
# How many items an array may get beyond minItems, by how deep it is nested in arrays and refs.
EXTRA_ITEMS = (4, 3, 2, 1, 1, 0)
# How many undeclared keys an object made of them may get, by recursion depth.
EXTRA_KEYS = (3, 2, 1, 0)
# Percent chance that an object with declared properties also gets one undeclared key.
STRAY_KEY = 3


def direct(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """The strategy behind Hypothesis' lazy wrapper (saves an unwrap on every draw)."""
    return getattr(strategy, "wrapped_strategy", strategy)


PERCENT = direct(st.integers(0, 99))
# Presence of up to four optional properties per draw, one base-4 digit each (fewer draws
# make generation faster; an all-zero draw, where shrinking heads, means all absent).
_DIGITS = [direct(st.integers(0, 4**n - 1)) for n in range(5)]
_COUNTS = [direct(st.integers(0, n)) for n in range(max(EXTRA_KEYS) + 1)]
_state = threading.local()


def recursion_depth() -> int:
    """How many recursive ``$ref``s the current draw is nested in."""
    return int(getattr(_state, "depth", 0))


def _array_depth() -> int:
    return int(getattr(_state, "arrays", 0))


def deeper(get: Callable[[], Strategy]) -> Strategy:
    """A recursive reference: draws ``get()`` one recursion level deeper."""
    inner = st.deferred(get)

    @st.composite
    def draw_deeper(draw: st.DrawFn) -> Any:
        _state.depth = recursion_depth() + 1
        try:
            return draw(inner)
        finally:
            _state.depth -= 1

    return draw_deeper()


def mostly(usual: Strategy, rare: Strategy, percent: int = 90) -> Strategy:
    """``usual`` in ``percent`` of draws, else ``rare``; shrinks towards ``usual``."""

    @st.composite
    def draw_mostly(draw: st.DrawFn) -> Any:
        return draw(usual if draw(PERCENT) < percent else rare)

    return direct(draw_mostly())


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
    """Add what present keys depend on; drop optional keys whose dependencies cannot exist."""
    required = {f.name for f in plan.fields if f.required}
    changed = True
    while changed:
        changed = False
        for key in sorted(present):
            needed = plan.dependencies.get(key, ())
            if any(name not in declared for name in needed) and key not in required:
                present.discard(key)
                changed = True
            elif not present.issuperset(needed):
                present.update(needed)
                changed = True
    return present


def _presence(draw: st.DrawFn, count: int, quarters: int) -> list[bool]:
    flags: list[bool] = []
    while len(flags) < count:
        size = min(4, count - len(flags))
        digits = draw(_DIGITS[size])
        for _ in range(size):
            flags.append(digits % 4 >= 4 - quarters)
            digits //= 4
    return flags


def object_strategy(plan: ObjectPlan) -> st.SearchStrategy[dict[str, Any]]:
    declared = {f.name for f in plan.fields}
    required = [f.name for f in plan.fields if f.required]
    optional = [f.name for f in plan.fields if not f.required]
    most = plan.max_properties

    @st.composite
    def draw_object(draw: st.DrawFn) -> dict[str, Any]:
        depth = recursion_depth()
        chance = _at(PRESENCE, depth)
        present = set(required)
        budget = len(optional) if most is None else most - len(required)
        if chance:
            for name, chosen in zip(optional, _presence(draw, len(optional), chance), strict=True):
                if chosen and budget > 0:
                    present.add(name)
                    budget -= 1
        for name in optional:  # minProperties: add declared properties first
            if len(present) >= plan.min_properties:
                break
            present.add(name)
        if plan.dependencies:
            present = _close_dependencies(present, plan, declared)
        if most is not None and len(present) > most:
            reject()
        result = {f.name: draw(f.strategy) for f in plan.fields if f.name in present}
        if plan.extra_keys is not None and plan.extra_value is not None:
            _add_extras(draw, plan, result, declared, depth)
        if len(result) < plan.min_properties:
            reject()
        return result

    return direct(draw_object())


def _add_extras(
    draw: st.DrawFn, plan: ObjectPlan, result: dict[str, Any], declared: set[str], depth: int
) -> None:
    assert plan.extra_keys is not None and plan.extra_value is not None
    need = max(0, plan.min_properties - len(result))
    if plan.open_only and not need:
        count = 1 if depth == 0 and draw(PERCENT) >= 100 - STRAY_KEY else 0
    else:
        count = need + draw(_COUNTS[_at(EXTRA_KEYS, depth)])
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
        result[key] = draw(values)
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


def _position(options: list[Strategy | None], index: int) -> Strategy | None:
    return options[min(index, len(options) - 1)]


def array_strategy(plan: ArrayPlan) -> st.SearchStrategy[list[Any]]:
    simple = not plan.prefix and not plan.matching and plan.items is not None
    lists: dict[tuple[int, int], st.SearchStrategy[list[Any]]] = {}
    least = max(plan.min_items, plan.min_contains if plan.matching else 0)

    def longest(depth: int) -> int:
        cap = least + _at(EXTRA_ITEMS, depth)
        if plan.items is None:
            cap = min(cap, len(plan.prefix))
        return cap if plan.max_items is None else min(cap, plan.max_items)

    def base(index: int) -> Strategy:
        if index < len(plan.prefix):
            return plan.prefix[index]
        assert plan.items is not None
        return plan.items

    @st.composite
    def draw_array(draw: st.DrawFn) -> list[Any]:
        depth = recursion_depth() + _array_depth()
        top = max(least, longest(depth))
        _state.arrays = _array_depth() + 1
        try:
            if simple:
                assert plan.items is not None
                key = (least, top)
                if key not in lists:
                    unique_by = json_key if plan.unique else None
                    lists[key] = direct(
                        st.lists(plan.items, min_size=least, max_size=top, unique_by=unique_by)
                    )
                return draw(lists[key])
            size = draw(st.integers(least, top))
            kinds = _choose_matches(draw, plan, size) if plan.matching else {}
            result: list[Any] = []
            seen: set[Any] = set()
            for index in range(size):
                kind = kinds.get(index)
                strategy = base(index) if kind is None else kind
                result.append(_draw_item(draw, strategy, seen if plan.unique else None))
            return result
        finally:
            _state.arrays -= 1

    return direct(draw_array())


def _choose_matches(draw: st.DrawFn, plan: ArrayPlan, size: int) -> dict[int, Strategy]:
    """Which positions hold items matching ``contains`` (and what the others are drawn from)."""
    eligible = [i for i in range(size) if _position(plan.matching, i) is not None]
    most = len(eligible) if plan.max_contains is None else min(plan.max_contains, len(eligible))
    if plan.min_contains > most:
        reject()
    count = draw(st.integers(plan.min_contains, most))
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


def _draw_item(draw: st.DrawFn, strategy: Strategy, seen: set[Any] | None) -> Any:
    for _ in range(5):
        value = draw(strategy)
        if seen is None:
            return value
        key = json_key(value)
        if key not in seen:
            seen.add(key)
            return value
    reject()
