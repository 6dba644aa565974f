"""Second pass: canonical alternatives -> Hypothesis strategies, one builder per JSON type.

``Compiler.compile(schema)`` normalises the schema (``canonical.py``), builds one strategy per
alternative (``BUILDERS``) and picks among them with ``one_of``. Children are compiled on
demand and cached by their JSON text; a child met again while it is being compiled is a
recursive ``$ref`` and becomes a ``deferred`` strategy that counts how deep it has gone, so
recursive documents stay small. Residual constraints the normaliser could not fold in are the
only filters, checked with the reference validator.
"""

from __future__ import annotations

import copy
import math
import sys
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from ..errors import UnsatisfiableSchemaError
from ..walk import escape
from .canonical import Canonicaliser, is_incidental
from .containers import (
    ArrayPlan,
    Field,
    ObjectPlan,
    array_strategy,
    deeper,
    direct,
    mostly,
    object_strategy,
)
from .jsonvalues import ANY_JSON, KEY_TEXT
from .merge import (
    SCOPE,
    Alt,
    all_of,
    integer_bounds,
    is_true,
    item_schema,
    lower_bound,
    property_schema,
    upper_bound,
)
from .regex import pattern_strings, searcher

FLOAT_MAX = sys.float_info.max


def is_multiple(value: float, step: float) -> bool:
    """``multipleOf`` exactly as the reference validator decides it."""
    if isinstance(step, float):
        quotient = value / step
        try:
            return int(quotient) == quotient
        except OverflowError:
            return (Fraction(value) / Fraction(step)).denominator == 1
    return not value % step


class Compiler:
    """Builds (and caches) the strategies of one generation job."""

    def __init__(self, canon: Canonicaliser, formats: Mapping[str, st.SearchStrategy[str]]) -> None:
        self.canon = canon
        self.refs = canon.refs
        self.formats = dict(formats)
        self._memo: dict[str, st.SearchStrategy[Any]] = {}
        self._active: set[str] = set()
        self.last_problem: UnsatisfiableSchemaError | None = None

    # -- schemas -------------------------------------------------------------------------

    def compile(
        self, schema: Any, where: str = "#", scope: tuple[str, ...] = ()
    ) -> st.SearchStrategy[Any]:
        if is_true(schema):
            return ANY_JSON
        key = self.canon.key(schema, scope)
        found = self._memo.get(key)
        if found is not None:
            return found
        if key in self._active:
            return deeper(lambda: self._memo[key] if key in self._memo else st.nothing())
        self._active.add(key)
        try:
            strategy = direct(self._build(schema, where, scope))
        finally:
            self._active.discard(key)
        self._memo[key] = strategy
        return strategy

    def _build(self, schema: Any, where: str, scope: tuple[str, ...]) -> st.SearchStrategy[Any]:
        canon = self.canon.canonical(schema, where, scope)
        if not canon.alts:
            raise self.unsatisfiable(where)
        shaped: list[st.SearchStrategy[Any]] = []
        plain: list[st.SearchStrategy[Any]] = []
        problems: list[UnsatisfiableSchemaError] = []
        for alt in canon.alts:
            try:
                strategy = self.alt(alt, where, scope)
            except UnsatisfiableSchemaError as exc:
                problems.append(exc)  # this alternative is empty; the others may not be
                continue
            (plain if is_incidental(alt) else shaped).append(strategy)
        if not shaped and (not plain or canon.intended):
            # Values of types the schema never mentions would pass, but every alternative
            # it describes is empty: that is a broken schema, not a generator's job.
            raise problems[0] if problems else self.unsatisfiable(where)
        if shaped and plain:
            # A schema without "type" admits every type, but its keywords say what the author
            # meant: mostly draw the alternatives they shaped, sometimes the bare other types.
            return mostly(_one_of(shaped), _one_of(plain), 95)
        return _one_of(shaped or plain)

    def unsatisfiable(self, where: str) -> UnsatisfiableSchemaError:
        failure = self.canon.failure
        if failure is None:
            return UnsatisfiableSchemaError("no value satisfies the schema", where)
        return UnsatisfiableSchemaError(
            f"no value satisfies the schema: {failure.message}", failure.where or where
        )

    def alt(self, alt: Alt, where: str, scope: tuple[str, ...]) -> st.SearchStrategy[Any]:
        if "enum" in alt:
            values = alt["enum"]
            strategy: st.SearchStrategy[Any] = st.sampled_from(values)
            if any(isinstance(v, (list, dict)) for v in values):
                strategy = strategy.map(copy.deepcopy)  # callers may mutate what they get
            return strategy
        scope = tuple(alt.get(SCOPE, scope))
        strategy = BUILDERS[alt["type"]](self, alt, where, scope)
        if alt.get("allOf"):
            strategy = strategy.filter(self.refs.validator({"allOf": alt["allOf"]}).is_valid)
        return direct(strategy)

    def child(
        self, schema: Any, where: str, scope: tuple[str, ...]
    ) -> st.SearchStrategy[Any] | None:
        """A child's strategy, or ``None`` if no value satisfies the child."""
        if schema is False:
            self.last_problem = UnsatisfiableSchemaError("the schema is false", where)
            return None
        try:
            return self.compile(schema, where, scope)
        except UnsatisfiableSchemaError as exc:
            self.last_problem = exc  # the innermost reason, for a required child
            return None

    # -- scalars -------------------------------------------------------------------------

    def _null(self, alt: Alt, where: str, scope: tuple[str, ...]) -> st.SearchStrategy[Any]:
        return st.none()

    def _boolean(self, alt: Alt, where: str, scope: tuple[str, ...]) -> st.SearchStrategy[Any]:
        return st.booleans()

    def _integer(self, alt: Alt, where: str, scope: tuple[str, ...]) -> st.SearchStrategy[Any]:
        lo, hi = integer_bounds(alt)
        step = alt.get("multipleOf")
        if step is None:
            return _integers(lo, hi)
        if isinstance(step, int):
            k_lo = None if lo is None else -(-lo // step)
            k_hi = None if hi is None else hi // step
            if k_lo is not None and k_hi is not None and k_lo > k_hi:
                raise UnsatisfiableSchemaError(f"no multiple of {step} in range", where)
            return st.integers(k_lo, k_hi).map(lambda k: k * step)
        # A fractional step: k * step is an integer exactly when k is a multiple of its denominator.
        unit = Fraction(step).numerator
        k_lo = None if lo is None else -(-lo // unit)
        k_hi = None if hi is None else hi // unit
        if k_lo is not None and k_hi is not None and k_lo > k_hi:
            raise UnsatisfiableSchemaError(f"no integer multiple of {step} in range", where)
        return (
            st.integers(k_lo, k_hi).map(lambda k: k * unit).filter(lambda v: is_multiple(v, step))
        )

    def _number(self, alt: Alt, where: str, scope: tuple[str, ...]) -> st.SearchStrategy[Any]:
        low, high = lower_bound(alt), upper_bound(alt)
        step = alt.get("multipleOf")

        def inside(value: float) -> bool:
            return (low is None or value > low[0] or (value == low[0] and not low[1])) and (
                high is None or value < high[0] or (value == high[0] and not high[1])
            )

        if step is not None:
            k_lo = None if low is None else math.ceil(low[0] / step)
            k_hi = None if high is None else math.floor(high[0] / step)
            return (
                st.integers(k_lo, k_hi)
                .map(lambda k: k * step)
                .filter(lambda v: inside(v) and is_multiple(v, step))
            )
        floats = st.floats(
            min_value=None if low is None else max(float(low[0]), -FLOAT_MAX),
            max_value=None if high is None else min(float(high[0]), FLOAT_MAX),
            exclude_min=low is not None and low[1],
            exclude_max=high is not None and high[1],
            allow_nan=False,
            allow_infinity=False,
        )
        exact_bounds = all(b is None or float(b[0]) == b[0] for b in (low, high))
        if not exact_bounds:
            floats = floats.filter(inside)
        lo, hi = integer_bounds(alt)
        if lo is not None and hi is not None and lo > hi:
            return floats
        return st.one_of(st.integers(lo, hi), floats)

    def _string(self, alt: Alt, where: str, scope: tuple[str, ...]) -> st.SearchStrategy[Any]:
        shortest, longest = alt.get("minLength", 0), alt.get("maxLength")
        name, pattern = alt.get("format"), alt.get("pattern")
        if name is None and pattern is None:
            return st.text(min_size=shortest, max_size=longest)
        checks: list[Callable[[str], bool]] = []
        if name is not None:
            strategy = self.formats[name]
            if pattern is not None:
                checks.append(searcher(pattern).search)  # type: ignore[arg-type]
        else:
            strategy = pattern_strings(pattern, f"{where}/pattern")
        if shortest or longest is not None:
            top = math.inf if longest is None else longest
            checks.append(lambda s: shortest <= len(s) <= top)
        for check in checks:
            strategy = strategy.filter(check)
        return strategy

    # -- containers ----------------------------------------------------------------------

    def _array(self, alt: Alt, where: str, scope: tuple[str, ...]) -> st.SearchStrategy[Any]:
        prefix: list[st.SearchStrategy[Any]] = []
        limit = alt.get("maxItems")
        for index, sub in enumerate(alt.get("prefixItems", [])):
            strategy = self.child(sub, f"{where}/prefixItems/{index}", scope)
            if strategy is None:  # no array can reach past this position
                limit = index if limit is None else min(limit, index)
                break
            prefix.append(strategy)
        items = None
        if limit is None or limit > len(prefix):
            items = self.child(alt.get("items", True), f"{where}/items", scope)
            if items is None:
                limit = len(prefix) if limit is None else min(limit, len(prefix))
        shortest = alt.get("minItems", 0)
        if limit is not None and shortest > limit:
            raise UnsatisfiableSchemaError(
                f"needs {shortest} items, at most {limit} possible", where
            )
        plan = ArrayPlan(prefix, items, shortest, limit, bool(alt.get("uniqueItems")))
        if "contains" in alt:
            self._plan_contains(alt, plan, where, scope)
        return array_strategy(plan)

    def _plan_contains(self, alt: Alt, plan: ArrayPlan, where: str, scope: tuple[str, ...]) -> None:
        contains = alt["contains"]
        plan.min_contains = alt.get("minContains", 1)
        plan.max_contains = alt.get("maxContains")
        positions = [*range(len(plan.prefix)), len(plan.prefix)]
        for index in positions:
            base = item_schema(alt, index)
            plan.matching.append(self.child(all_of(base, contains), f"{where}/contains", scope))
            if plan.max_contains is not None:
                other = self.child(all_of(base, {"not": contains}), f"{where}/contains", scope)
                plan.other.append(other)
        if not any(plan.matching) and plan.min_contains:
            raise UnsatisfiableSchemaError("no item can satisfy contains", f"{where}/contains")

    def _object(self, alt: Alt, where: str, scope: tuple[str, ...]) -> st.SearchStrategy[Any]:
        required = alt.get("required", [])
        dependencies = alt.get("dependentRequired", {})
        names = [
            *alt.get("properties", {}),
            *required,
            *(d for ds in dependencies.values() for d in ds),
        ]
        fields = []
        for name in dict.fromkeys(names):
            strategy = self.child(
                property_schema(alt, name), f"{where}/properties/{escape(name)}", scope
            )
            if strategy is None:
                if name in required:
                    raise self.last_problem or UnsatisfiableSchemaError(
                        f"required property {name!r} cannot have any value", where
                    )
                continue
            fields.append(Field(name, strategy, name in required))
        plan = ObjectPlan(
            fields=fields,
            min_properties=alt.get("minProperties", 0),
            max_properties=alt.get("maxProperties"),
            dependencies={k: tuple(v) for k, v in dependencies.items()},
        )
        self._plan_extras(alt, plan, where, scope)
        return object_strategy(plan)

    def _plan_extras(self, alt: Alt, plan: ObjectPlan, where: str, scope: tuple[str, ...]) -> None:
        """How to draw keys beyond the declared properties, and their values."""
        patterns = alt.get("patternProperties", {})
        additional = alt.get("additionalProperties", True)
        names_schema = alt.get("propertyNames")
        if additional is False and not patterns:
            return
        keys: list[st.SearchStrategy[str]] = [
            pattern_strings(p, f"{where}/patternProperties") for p in patterns
        ]
        if additional is not False:
            if names_schema is not None:
                names = self.child(
                    all_of({"type": "string"}, names_schema), f"{where}/propertyNames", scope
                )
                if names is not None:
                    keys.append(names)
            else:
                keys.append(KEY_TEXT)
        if not keys:
            return

        def name_ok(key: str) -> bool:
            return names_schema is None or self.refs.is_valid(names_schema, key)

        values: dict[tuple[str, ...], st.SearchStrategy[Any] | None] = {}

        def value_for(key: str) -> st.SearchStrategy[Any] | None:
            if not name_ok(key):
                return None
            matched = tuple(p for p in patterns if searcher(p).search(key))
            if matched not in values:
                schema = all_of(*(patterns[p] for p in matched)) if matched else additional
                values[matched] = self.child(schema, f"{where}/additionalProperties", scope)
            return values[matched]

        plan.extra_keys = st.one_of(keys)
        plan.extra_value = value_for
        plan.open_only = not patterns and names_schema is None and bool(plan.fields)


def _integers(lo: int | None, hi: int | None) -> st.SearchStrategy[int]:
    """Integers in range; with one bound, values near it (the bound itself included) are
    common, as they are in real documents and at the edges where bugs live."""
    if (lo is None) == (hi is None):
        return st.integers(lo, hi)
    if lo is not None:
        bound, near = lo, st.integers(lo, lo + 100)
    else:
        assert hi is not None
        bound, near = hi, st.integers(hi - 100, hi)
    return mostly(near | st.integers(lo, hi), st.just(bound), 90)


def _one_of(strategies: list[st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    return strategies[0] if len(strategies) == 1 else direct(st.one_of(strategies))


BUILDERS: dict[str, Callable[[Compiler, Alt, str, tuple[str, ...]], st.SearchStrategy[Any]]] = {
    "null": Compiler._null,
    "boolean": Compiler._boolean,
    "integer": Compiler._integer,
    "number": Compiler._number,
    "string": Compiler._string,
    "array": Compiler._array,
    "object": Compiler._object,
}
