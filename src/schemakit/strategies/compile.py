"""Second pass: canonical alternatives -> Hypothesis strategies, one builder per JSON type.

``Compiler.compile(schema)`` normalises the schema (``canonical.py``), builds one strategy per
alternative (``BUILDERS``) and picks among them with ``one_of``. Children are compiled on
demand and cached by their JSON text; a child met again while it is being compiled is a
recursive ``$ref`` and becomes a ``deferred`` strategy that counts how deep it has gone, so
recursive documents stay small. Residual constraints the normaliser could not fold in are the
only filters, checked with the reference validator.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import HypothesisException

from ..core.errors import GenerationError, SchemakitError, UnsatisfiableSchemaError
from ..core.pointer import escape
from .canonical import Canonicaliser, is_incidental
from .choices import direct, drawn_by, one_of, sampled
from .containers import (
    ArrayPlan,
    Field,
    ObjectPlan,
    array_strategy,
    deeper,
    mostly,
    object_strategy,
    one_document,
)
from .jsonvalues import ANY_JSON, KEY_TEXT, text, unique
from .merge import (
    SCOPE,
    Alt,
    all_of,
    integer_bounds,
    is_true,
    item_schema,
    lower_bound,
    matches,
    property_schema,
    upper_bound,
)
from .regex import found_by, pattern_strings, unanchored
from .scalars import decimals, float_bound, float_multiples, integers, multiples


def describe(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def guarded(strategy: st.SearchStrategy[Any], where: str = "#") -> st.SearchStrategy[Any]:
    """``strategy``, with an unexpected failure while drawing reported as a ``GenerationError``
    (Hypothesis' own signals and schemakit's errors pass through unchanged)."""

    def draw_guarded(draw: st.DrawFn) -> Any:
        try:
            with one_document():
                return draw(strategy)
        except (SchemakitError, HypothesisException):
            raise
        except RecursionError:
            raise GenerationError("document nested too deeply to draw", where) from None
        except Exception as exc:
            raise GenerationError(f"cannot draw a document: {describe(exc)}", where) from exc

    return drawn_by(draw_guarded)


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
        except SchemakitError:
            raise
        except RecursionError:
            raise GenerationError("schema nested too deeply to generate from", where) from None
        except Exception as exc:  # a limit of the generators: say where, in one line
            raise GenerationError(f"cannot generate: {describe(exc)}", where) from exc
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
            return mostly(one_of(shaped), one_of(plain), 95)
        return one_of(shaped or plain)

    def unsatisfiable(self, where: str) -> UnsatisfiableSchemaError:
        failure = self.canon.failure
        if failure is None:
            return UnsatisfiableSchemaError("no value satisfies the schema", where)
        return UnsatisfiableSchemaError(
            f"no value satisfies the schema: {failure.message}", failure.where or where
        )

    def alt(self, alt: Alt, where: str, scope: tuple[str, ...]) -> st.SearchStrategy[Any]:
        if "enum" in alt:
            return sampled(alt["enum"])
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
            return integers(lo, hi)
        # k * step is an integer for every k when step is; for a fractional step exactly when
        # k is a multiple of its denominator, i.e. the values are multiples of its numerator
        # (of the step as written in decimal, as the compiled validator reads it).
        unit = step if isinstance(step, int) else Fraction(Decimal(repr(step))).numerator
        if lo is not None and hi is not None and -(-lo // unit) > hi // unit:
            raise UnsatisfiableSchemaError(f"no integer multiple of {step} in range", where)
        return multiples(lo, hi, unit, step)

    def _number(self, alt: Alt, where: str, scope: tuple[str, ...]) -> st.SearchStrategy[Any]:
        low, high = lower_bound(alt), upper_bound(alt)

        def inside(value: float) -> bool:
            return (low is None or value > low[0] or (value == low[0] and not low[1])) and (
                high is None or value < high[0] or (value == high[0] and not high[1])
            )

        if alt.get("multipleOf") is not None:
            return float_multiples(low, high, alt["multipleOf"], inside)
        lo, hi = integer_bounds(alt)
        return decimals(
            None if low is None else float_bound(low, math.inf),
            None if high is None else float_bound(high, -math.inf),
            inside,
            None if lo is not None and hi is not None and lo > hi else (lo, hi),
        )

    def _string(self, alt: Alt, where: str, scope: tuple[str, ...]) -> st.SearchStrategy[Any]:
        shortest, longest = alt.get("minLength", 0), alt.get("maxLength")
        name, pattern = alt.get("format"), alt.get("pattern")
        if name is None and pattern is None:
            return text(shortest, longest)
        checks: list[Callable[[str], bool]] = []
        if name is not None:
            strategy = self.formats[name]
            if pattern is not None:
                checks.append(found_by(pattern))
        else:
            strategy = pattern_strings(pattern, f"{where}/pattern", shortest, longest)
            others = [r["pattern"] for r in alt.get("allOf", []) if set(r) == {"pattern"}]
            if others and all(unanchored(p) for p in [pattern, *others]):
                # Unanchored patterns are searched for: a match of each, one after the
                # other, holds them all (the residual check still confirms it).
                parts = [strategy, *(pattern_strings(p, f"{where}/allOf") for p in others)]
                strategy = st.tuples(*parts).map("".join)
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
        elif plan.unique and not prefix and items is not None:
            plan.distinct = self._finite_values(alt.get("items", True), where, scope)
            if plan.distinct is not None and len(plan.distinct) < shortest:
                raise UnsatisfiableSchemaError(
                    f"needs {shortest} distinct items, only {len(plan.distinct)} exist", where
                )
        return array_strategy(plan)

    def _finite_values(self, schema: Any, where: str, scope: tuple[str, ...]) -> list[Any] | None:
        """Every value ``schema`` allows, when they are few enough to list (enums)."""
        alts = self.canon.canonical(schema, where, scope).alts
        if not alts or not all("enum" in alt and not alt.get("allOf") for alt in alts):
            return None
        return unique([value for alt in alts for value in alt["enum"]])

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
        if all(m is None for m in plan.matching) and plan.min_contains:
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
            pattern_strings(p, f"{where}/patternProperties/{escape(p)}") for p in patterns
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

        def compiled(matched: tuple[str, ...]) -> st.SearchStrategy[Any] | None:
            if not matched:
                return self.child(additional, f"{where}/additionalProperties", scope)
            at = f"{where}/patternProperties/{escape(matched[0])}"
            try:
                return self.child(all_of(*(patterns[p] for p in matched)), at, scope)
            except SchemakitError:
                return None  # keys matching these patterns together are left out

        # Built now, not on first use while drawing: a draw must not depend on what earlier
        # draws happened to build (nor raise what building raises).
        values: dict[tuple[str, ...], st.SearchStrategy[Any] | None]
        values = {(p,): compiled((p,)) for p in patterns}
        values[()] = compiled(()) if additional is not False else None

        def value_for(key: str) -> st.SearchStrategy[Any] | None:
            if not name_ok(key):
                return None
            matched = tuple(p for p in patterns if matches(p, key))
            if matched not in values:  # several patterns at once: rare, kept once built
                values[matched] = compiled(matched)
            return values[matched]

        plan.extra_keys = one_of(keys)
        plan.extra_value = value_for
        plan.open_only = not patterns and names_schema is None and bool(plan.fields)


BUILDERS: dict[str, Callable[[Compiler, Alt, str, tuple[str, ...]], st.SearchStrategy[Any]]] = {
    "null": Compiler._null,
    "boolean": Compiler._boolean,
    "integer": Compiler._integer,
    "number": Compiler._number,
    "string": Compiler._string,
    "array": Compiler._array,
    "object": Compiler._object,
}
