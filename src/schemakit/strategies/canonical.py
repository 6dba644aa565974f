"""First pass: normalise a schema into a union of single-type alternatives ("alts").

``Canonicaliser.canonical(schema)`` returns a ``Canon``: the alts (see ``merge.py``) whose
union is a subset of what ``schema`` accepts, and whether it is the whole of it (``exact``).
In-place applicators are distributed here, one handler per keyword (``APPLICATORS``):
``$ref`` is inlined, ``allOf`` merged, ``anyOf``/``oneOf``/``if`` split into alternatives,
``not`` negated, ``dependentSchemas`` expanded. Bounds are intersected, enums filtered with the
reference validator, and alternatives that cannot hold are pruned, with the reason kept for the
error message. Children (property values, items, ...) stay subschemas until the generator needs
them, which is what lets recursive schemas work.

``oneOf`` is exact by construction: each branch is narrowed so that the other branches fail
(``exclusion.py``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, NamedTuple

from ..core.errors import InvalidSchemaError
from ..core.formats import FLOAT_RANGES, FORMAT_CHECKER, INTEGER_RANGES
from .exclusion import exclude
from .jsonvalues import ALL_TYPES, TYPES, distinct, json_key, unique
from .merge import (
    IMPLICIT,
    MARKERS,
    SCOPE,
    TYPE_KEYWORDS,
    Alt,
    enum_alt,
    integer_bounds,
    is_true,
    item_schema,
    lower_bound,
    merge,
    property_schema,
    set_bounds,
    shape,
    tightest_high,
    tightest_low,
    upper_bound,
)
from .negate import bare, complement
from .resolve import Refs

Bound = tuple[float, bool]

# Past this many alternatives a product is checked as a residual instead of expanded.
MAX_ALTS = 64


class FormatWarning(UserWarning):
    """A ``format`` schemakit cannot generate; values are generated without it."""


class Canon(NamedTuple):
    alts: tuple[Alt, ...]
    exact: bool
    # Did an alternative with constraints exist before pruning? If only alternatives of
    # types the schema never mentions survive, the schema as written cannot be met.
    intended: bool = False


ANY = Canon(tuple(bare(kind) for kind in ALL_TYPES), True)
NOTHING = Canon((), True)


@dataclass
class Failure:
    where: str
    message: str


def _types(schema: dict[str, Any], where: str) -> list[str]:
    declared = schema.get("type", list(ALL_TYPES))
    names = [declared] if isinstance(declared, str) else list(declared)
    unknown = [name for name in names if name not in TYPES]
    if unknown:
        raise InvalidSchemaError(f"unknown type {unknown[0]!r}", where)
    if "number" in names:
        names = [name for name in names if name != "integer"]
    return list(dict.fromkeys(names))


class Canonicaliser:
    """Normalises schemas of one generation job (shares its ``Refs`` and caches)."""

    def __init__(self, refs: Refs, string_formats: Collection[str]) -> None:
        self.refs = refs
        self.string_formats = frozenset(string_formats)
        self._memo: dict[str, Canon] = {}
        # Keys being normalised, one set per nesting level of child checks: a key seen again
        # in the innermost level is an in-place cycle, in an outer level plain recursion.
        self._frames: list[set[str]] = [set()]
        # Per frame: is an enclosing in-place schema using unevaluated*? Then negations must
        # not look like evaluated properties/items (see negate.failure_modes).
        self._sensitive: list[bool] = [False]
        self.failure: Failure | None = None
        # Formats met that no generator or checker knows; ``from_schema`` warns about them once
        # the strategy is built (warning from here could happen while drawing, only once).
        self.unknown_formats: set[str] = set()

    # -- entry points ------------------------------------------------------------------

    def canonical(self, schema: Any, where: str = "#", scope: tuple[str, ...] = ()) -> Canon:
        key = self._key(schema, scope)
        found = self._memo.get(key)
        if found is not None:
            return found
        if key in self._frames[-1]:
            self.fail(where, "$ref cycle that never reaches a value")
            return Canon((), False)
        self._frames[-1].add(key)
        try:
            result = self._canonical(schema, where, scope)
        finally:
            self._frames[-1].discard(key)
        self._memo[key] = result
        return result

    def child(self, schema: Any, where: str, scope: tuple[str, ...] = ()) -> Canon | None:
        """The canon of a child schema, or ``None`` when it is being normalised already."""
        key = self._key(schema, scope)
        if key in self._memo:
            return self._memo[key]
        # No depth limit here: results are cached and reused everywhere, so a child must be
        # judged the same however deep the check that asks is. Cycles stop at active keys.
        if any(key in frame for frame in self._frames):
            return None
        self._frames.append(set())
        self._sensitive.append(False)
        try:
            return self.canonical(schema, where, scope)
        finally:
            self._frames.pop()
            self._sensitive.pop()

    def child_satisfiable(self, schema: Any, where: str) -> bool:
        if schema is False:
            return False
        found = self.child(schema, where)
        return found is None or bool(found.alts)

    @property
    def annotations_matter(self) -> bool:
        """Is an enclosing in-place schema using ``unevaluated*`` (see ``negate.py``)?"""
        return self._sensitive[-1]

    def fail(self, where: str, message: str) -> None:
        """Remember why something was pruned, for the error if nothing is left."""
        self.failure = Failure(where, message)

    def _key(self, schema: Any, scope: tuple[str, ...]) -> str:
        text = self.refs.key(schema)
        if self._sensitive[-1]:
            text = f"{text}|unevaluated"
        return f"{text}|{'|'.join(scope)}" if self.refs.dynamic and scope else text

    def key(self, schema: Any, scope: tuple[str, ...]) -> str:
        """The cache key of a schema at a fresh instance location (for the compiler)."""
        text = self.refs.key(schema)
        return f"{text}|{'|'.join(scope)}" if self.refs.dynamic and scope else text

    # -- the pass ----------------------------------------------------------------------

    def _canonical(self, schema: Any, where: str, scope: tuple[str, ...]) -> Canon:
        if schema is True:
            return ANY
        if schema is False:
            self.fail(where, "the schema is false")
            return NOTHING
        if not isinstance(schema, dict):
            raise InvalidSchemaError("a schema must be an object or a boolean", where)
        if self.refs.dynamic and isinstance(schema.get("$id"), str) and schema["$id"] not in scope:
            scope = (*scope, schema["$id"])
        canon = self._own(schema, where, scope)
        uses_unevaluated = "unevaluatedProperties" in schema or "unevaluatedItems" in schema
        outer = self._sensitive[-1]
        self._sensitive[-1] = outer or uses_unevaluated
        try:
            for keyword, handler in APPLICATORS.items():
                if keyword in schema and canon.alts:
                    canon = handler(self, schema, canon, f"{where}/{keyword}", scope)
        finally:
            self._sensitive[-1] = outer
        if uses_unevaluated:
            loose = any(k in schema for k in ("anyOf", "oneOf", "if", "dependentSchemas"))
            canon = Canon(
                tuple(close_unevaluated(a) for a in canon.alts), canon.exact and not loose
            )
        return self.prune(canon, where)

    def _own(self, schema: dict[str, Any], where: str, scope: tuple[str, ...]) -> Canon:
        """The alts of the schema's own keywords (``type``, ``enum``/``const``, assertions)."""
        values: list[Any] | None = None
        if "enum" in schema:
            values = unique(schema["enum"])
        if "const" in schema:
            const = json_key(schema["const"])
            values = (
                [schema["const"]]
                if values is None or const in {json_key(v) for v in values}
                else []
            )
        alts = []
        for kind in _types(schema, where):
            own = {k: _count(k, schema[k]) for k in TYPE_KEYWORDS[kind] if k in schema}
            alt = self.normalise({"type": kind, **own})
            if alt is not None and values is not None:
                alt = enum_alt(alt["type"], values, (alt,), self.refs.is_valid)
            if alt is not None:
                if self.refs.dynamic and "enum" not in alt:
                    alt[SCOPE] = list(scope)  # children resolve $dynamicRef in this scope
                if "type" not in schema and values is None:
                    alt[IMPLICIT] = True
                alts.append(alt)
        if not alts:
            self.fail(where, "no value has an allowed type and is in enum/const")
        return Canon(tuple(alts), True)

    # -- per-type normalisation ----------------------------------------------------------

    def normalise(self, alt: Alt) -> Alt | None:
        """Tidy one alt: formats folded into bounds, defaults dropped; ``None`` if empty."""
        if "enum" in alt and alt["type"] not in ("null", "boolean"):
            return alt
        return NORMALISERS[alt["type"]](self, dict(alt))

    def _norm_plain(self, alt: Alt) -> Alt | None:
        # null and boolean alts always list their values, so negation and merging are exact.
        markers = {k: alt[k] for k in MARKERS if k in alt and k != SCOPE}
        values: list[Any] = list(alt["enum"]) if "enum" in alt else bare(alt["type"])["enum"]
        if "allOf" in alt:
            narrowed = enum_alt(alt["type"], values, ({"allOf": alt["allOf"]},), self.refs.is_valid)
            if narrowed is None:
                return None
            values = list(narrowed["enum"])
        return {"type": alt["type"], "enum": values, **markers} if values else None

    def _norm_number(self, alt: Alt) -> Alt | None:
        name = alt.pop("format", None)
        if name in INTEGER_RANGES:
            low, high = INTEGER_RANGES[name]
            alt["type"] = "integer"
            _narrow(alt, (low, False), (high, False))
        elif name in FLOAT_RANGES:
            low_f, high_f = FLOAT_RANGES[name]
            if math.isfinite(high_f):  # "double" only asks for a finite number, as we always make
                _narrow(alt, (low_f, False), (high_f, False))
        elif name is not None and name not in FORMAT_CHECKER.checkers:
            self.unknown_formats.add(name)
        if (
            alt.get("multipleOf") is not None
            and float(alt["multipleOf"]).is_integer()
            and alt["type"] == "integer"
        ):
            alt["multipleOf"] = int(alt["multipleOf"])
        if alt["type"] == "integer":
            lo, hi = integer_bounds(alt)
            set_bounds(
                alt, None if lo is None else (lo, False), None if hi is None else (hi, False)
            )
        else:
            set_bounds(alt, lower_bound(alt), upper_bound(alt))
        return alt

    def _norm_string(self, alt: Alt) -> Alt | None:
        name = alt.get("format")
        if name is not None and name not in self.string_formats:
            del alt["format"]
            if name not in FORMAT_CHECKER.checkers:
                self.unknown_formats.add(name)
        if alt.get("minLength") == 0:
            del alt["minLength"]
        return alt

    def _norm_array(self, alt: Alt) -> Alt | None:
        for key, default in (("minItems", 0), ("uniqueItems", False), ("minContains", 1)):
            if alt.get(key) == default:
                del alt[key]
        if "contains" not in alt:
            alt.pop("minContains", None)
            alt.pop("maxContains", None)
        if is_true(alt.get("items", True)):
            alt.pop("items", None)
        prefix = alt.get("prefixItems", [])
        limit = len(prefix) if alt.get("items", True) is False else None
        for index, sub in enumerate(prefix):
            if sub is False:
                limit = index if limit is None else min(limit, index)
        if limit is not None:
            alt["maxItems"] = min(alt.get("maxItems", limit), limit)
            alt["prefixItems"] = prefix[:limit]
            if not alt["prefixItems"]:
                del alt["prefixItems"]
        return alt

    def _norm_object(self, alt: Alt) -> Alt | None:
        required = list(dict.fromkeys(alt.get("required", [])))
        dependencies = alt.get("dependentRequired", {})
        grown = True
        while grown:  # a required key makes its dependencies required too
            extra = [d for key in required for d in dependencies.get(key, []) if d not in required]
            required.extend(dict.fromkeys(extra))
            grown = bool(extra)
        if required:
            alt["required"] = required
        if is_true(alt.get("additionalProperties", True)):
            alt.pop("additionalProperties", None)
        if is_true(alt.get("propertyNames", True)):
            alt.pop("propertyNames", None)
        elif alt.get("properties"):
            names = alt["propertyNames"]
            alt["properties"] = {
                name: (sub if self.refs.is_valid(names, name) else False)
                for name, sub in alt["properties"].items()
            }
        if alt.get("minProperties") == 0:
            del alt["minProperties"]
        return alt

    # -- satisfiability ------------------------------------------------------------------

    def prune(self, canon: Canon, where: str) -> Canon:
        kept = tuple(alt for alt in canon.alts if self.satisfiable(alt, where))
        intended = canon.intended or any(not is_incidental(alt) for alt in canon.alts)
        return Canon(kept, canon.exact, intended)

    def satisfiable(self, alt: Alt, where: str) -> bool:
        """False only when the alt certainly holds no value (the reason is remembered)."""
        if "enum" in alt:
            return bool(alt["enum"])
        before = self.failure
        problem = CHECKS[alt["type"]](self, alt, where)
        if problem and where and self.failure is before:
            self.fail(where, problem)  # a child's own reason, if it gave one, is more precise
        return not problem

    def _check_plain(self, alt: Alt, where: str) -> str:
        return ""

    def _check_number(self, alt: Alt, where: str) -> str:
        low, high = lower_bound(alt), upper_bound(alt)
        step = alt.get("multipleOf")
        if alt["type"] == "integer" or step is not None:
            lo, hi = integer_bounds(alt) if step is None else _multiples(low, high, step)
            if lo is not None and hi is not None and lo > hi:
                what = "integer" if step is None else f"multiple of {step}"
                return f"no {what} between {_show(low)} and {_show(high)}"
        elif (
            low is not None
            and high is not None
            and (low[0] > high[0] or (low[0] == high[0] and (low[1] or high[1])))
        ):
            return f"no number between {_show(low)} and {_show(high)}"
        return ""

    def _check_string(self, alt: Alt, where: str) -> str:
        if alt.get("minLength", 0) > alt.get("maxLength", float("inf")):
            return f"minLength {alt['minLength']} exceeds maxLength {alt['maxLength']}"
        return ""

    def _check_array(self, alt: Alt, where: str) -> str:
        low, high = alt.get("minItems", 0), alt.get("maxItems", float("inf"))
        if low > high:
            return f"needs at least {low} items but at most {high} are possible"
        for index in range(min(low, len(alt.get("prefixItems", [])) + 1)):
            if not self.child_satisfiable(item_schema(alt, index), f"{where}/items"):
                return f"item {index} is required but no value satisfies its schema"
        if "contains" in alt:
            least, most = alt.get("minContains", 1), alt.get("maxContains", float("inf"))
            if least > min(most, high):
                return f"needs {least} items matching contains, at most {min(most, high)} possible"
            if least and not self.child_satisfiable(alt["contains"], f"{where}/contains"):
                return "no value satisfies contains"
        return ""

    def _check_object(self, alt: Alt, where: str) -> str:
        required = alt.get("required", [])
        most = alt.get("maxProperties", float("inf"))
        if len(required) > most or alt.get("minProperties", 0) > most:
            return "needs more properties than maxProperties allows"
        for name in required:
            sub = property_schema(alt, name)
            if sub is False:
                return f"required property {name!r} is forbidden (its schema is false)"
            if not self.child_satisfiable(sub, f"{where}/properties/{name}"):
                return f"required property {name!r} cannot have any value"
            if "propertyNames" in alt and not self.refs.is_valid(alt["propertyNames"], name):
                return f"required property {name!r} is not allowed by propertyNames"
        closed = alt.get("additionalProperties", True) is False and not alt.get("patternProperties")
        if closed:
            possible = [n for n, s in alt.get("properties", {}).items() if s is not False]
            if len(possible) < alt.get("minProperties", 0):
                return "minProperties exceeds the number of allowed properties"
        return ""

    # -- combining -----------------------------------------------------------------------

    def intersect(self, a: Canon, b: Canon) -> Canon:
        if len(a.alts) * len(b.alts) > MAX_ALTS:
            # Too many combinations: check the smaller side as a residual instead.
            small, large = (a, b) if len(a.alts) <= len(b.alts) else (b, a)
            check = {"anyOf": list(small.alts)}
            checked = tuple(
                {**alt, "allOf": unique([*alt.get("allOf", []), check])} for alt in large.alts
            )
            return Canon(checked, a.exact and b.exact, a.intended or b.intended)
        alts: list[Alt] = []
        exact = a.exact and b.exact
        for left in a.alts:
            for right in b.alts:
                merged, merged_exact = merge(left, right, self.refs.is_valid)
                exact = exact and merged_exact
                if merged is not None:
                    merged = self.normalise(merged)
                if merged is not None:
                    alts.append(merged)
        return Canon(tuple(distinct(alts)), exact, a.intended or b.intended)

    def union(self, canons: list[Canon]) -> Canon:
        alts = distinct([alt for canon in canons for alt in canon.alts])
        intended = any(canon.intended for canon in canons)
        return Canon(tuple(alts), all(canon.exact for canon in canons), intended)

    def negate(self, canon: Canon, raw: Any) -> Canon:
        """The values that fail ``raw`` (whose canon is ``canon``)."""
        # Any value of any type, checked against ``raw``: exact, drawn by filtering.
        filtered = Canon(tuple({**bare(k), "allOf": [{"not": raw}]} for k in ALL_TYPES), True)
        if not canon.exact:
            return filtered
        result = ANY
        for alt in canon.alts:
            modes = Canon(tuple(mode for _, mode in complement(alt, self._sensitive[-1])), True)
            if len(result.alts) * len(modes.alts) > MAX_ALTS:
                # Past this, intersect keeps one side as a residual check, and each further
                # alt nests the last check inside the next: the schema grows without end
                # (a oneOf of big objects took minutes). Filtering is exact and bounded.
                return filtered
            result = self.prune(self.intersect(result, modes), "")
            if not result.alts:
                break
        return result


_COUNTS = frozenset(
    {
        "minItems",
        "maxItems",
        "minLength",
        "maxLength",
        "minProperties",
        "maxProperties",
        "minContains",
        "maxContains",
    }
)


def _count(keyword: str, value: Any) -> Any:
    """Counts may be written as 2.0; they are integers all the same."""
    if keyword in _COUNTS and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def is_incidental(alt: Alt) -> bool:
    """An alt that only exists because the schema left ``type`` out, and constrains nothing."""
    return bool(alt.get(IMPLICIT)) and shape(alt) == bare(alt["type"])


def _narrow(alt: Alt, low: tuple[float, bool], high: tuple[float, bool]) -> None:
    probe = {"type": "number"}
    set_bounds(probe, low, high)
    set_bounds(alt, tightest_low(alt, probe), tightest_high(alt, probe))


def _multiples(low: Bound | None, high: Bound | None, step: Any) -> tuple[int | None, int | None]:
    """The inclusive range of k for which k * step lies within the bounds."""
    probe: Alt = {"type": "number"}
    set_bounds(
        probe,
        None if low is None else (low[0] / step, low[1]),
        None if high is None else (high[0] / step, high[1]),
    )
    return integer_bounds(probe)


def _show(bound: tuple[float, bool] | None) -> str:
    if bound is None:
        return "unbounded"
    return f"{bound[0]} (exclusive)" if bound[1] else str(bound[0])


def close_unevaluated(alt: Alt) -> Alt:
    """``unevaluated*`` of a fully merged alt: it covers what nothing else evaluated."""
    if "unevaluatedProperties" in alt:
        alt = dict(alt)
        rest = alt.pop("unevaluatedProperties")
        if "additionalProperties" not in alt and not is_true(rest):
            alt["additionalProperties"] = rest
    if "unevaluatedItems" in alt:
        alt = dict(alt)
        rest = alt.pop("unevaluatedItems")
        if "items" not in alt and not is_true(rest):
            # Items matching contains are evaluated too, so each item needs one or the other.
            alt["items"] = {"anyOf": [alt["contains"], rest]} if "contains" in alt else rest
    return alt


# -- applicators: keyword -> how it combines with the alts so far -----------------------

Handler = Callable[[Canonicaliser, dict[str, Any], Canon, str, tuple[str, ...]], Canon]


def _follow(self: Canonicaliser, target: Any, scope: tuple[str, ...]) -> tuple[str, ...]:
    if self.refs.dynamic and target.resource not in scope:
        return (*scope, target.resource)
    return scope


def _ref(
    self: Canonicaliser, schema: dict[str, Any], canon: Canon, where: str, scope: tuple[str, ...]
) -> Canon:
    target = self.refs.lookup(schema["$ref"])
    return self.intersect(
        canon, self.canonical(target.schema, target.where, _follow(self, target, scope))
    )


def _dynamic_ref(
    self: Canonicaliser, schema: dict[str, Any], canon: Canon, where: str, scope: tuple[str, ...]
) -> Canon:
    target = self.refs.dynamic_lookup(schema["$dynamicRef"], scope)
    return self.intersect(
        canon, self.canonical(target.schema, target.where, _follow(self, target, scope))
    )


def _all_of(
    self: Canonicaliser, schema: dict[str, Any], canon: Canon, where: str, scope: tuple[str, ...]
) -> Canon:
    for index, sub in enumerate(schema["allOf"]):
        before = self.failure
        canon = self.prune(
            self.intersect(canon, self.canonical(sub, f"{where}/{index}", scope)), where
        )
        if not canon.alts:
            if self.failure is before:
                self.fail(f"{where}/{index}", "shares no value with the rest of the schema")
            break
    return canon


def _any_of(
    self: Canonicaliser, schema: dict[str, Any], canon: Canon, where: str, scope: tuple[str, ...]
) -> Canon:
    branches = [self.canonical(sub, f"{where}/{i}", scope) for i, sub in enumerate(schema["anyOf"])]
    return self.intersect(canon, self.union(branches))


def _one_of(
    self: Canonicaliser, schema: dict[str, Any], canon: Canon, where: str, scope: tuple[str, ...]
) -> Canon:
    raws = schema["oneOf"]
    branches = [self.canonical(sub, f"{where}/{i}", scope) for i, sub in enumerate(raws)]
    parts: list[Canon] = []
    for index, branch in enumerate(branches):
        part = self.prune(self.intersect(canon, branch), f"{where}/{index}")
        alts: list[Alt] = []
        exact = part.exact
        for alt in part.alts:
            current: Alt | None = alt
            for other, (other_canon, raw) in enumerate(zip(branches, raws, strict=True)):
                if other == index or current is None:
                    continue
                current, step_exact = exclude(self, current, other_canon, raw)
                exact = exact and step_exact
            if current is not None:
                alts.append(current)
            else:
                self.fail(
                    f"{where}/{index}", "every value of this branch also matches another branch"
                )
        parts.append(Canon(tuple(alts), exact))
    return self.union(parts)


def _not(
    self: Canonicaliser, schema: dict[str, Any], canon: Canon, where: str, scope: tuple[str, ...]
) -> Canon:
    negated = self.negate(self.canonical(schema["not"], where, scope), schema["not"])
    return self.intersect(canon, negated)


def _if(
    self: Canonicaliser, schema: dict[str, Any], canon: Canon, where: str, scope: tuple[str, ...]
) -> Canon:
    base = where.rsplit("/", 1)[0]
    condition = self.canonical(schema["if"], where, scope)
    then = self.canonical(schema.get("then", True), f"{base}/then", scope)
    otherwise = self.canonical(schema.get("else", True), f"{base}/else", scope)
    yes = self.intersect(condition, then)
    no = self.intersect(self.negate(condition, schema["if"]), otherwise)
    return self.intersect(canon, self.prune(self.union([yes, no]), where))


def _dependent_schemas(
    self: Canonicaliser, schema: dict[str, Any], canon: Canon, where: str, scope: tuple[str, ...]
) -> Canon:
    others = tuple(bare(kind) for kind in ALL_TYPES if kind != "object")
    for name, sub in schema["dependentSchemas"].items():
        absent = Canon((*others, {"type": "object", "properties": {name: False}}), True)
        present = self.intersect(
            Canon(({"type": "object", "required": [name]},), True),
            self.canonical(sub, f"{where}/{name}", scope),
        )
        canon = self.prune(self.intersect(canon, self.union([absent, present])), where)
    return canon


APPLICATORS: dict[str, Handler] = {
    "$ref": _ref,
    "$dynamicRef": _dynamic_ref,
    "allOf": _all_of,
    "anyOf": _any_of,
    "oneOf": _one_of,
    "not": _not,
    "if": _if,
    "dependentSchemas": _dependent_schemas,
}

NORMALISERS: dict[str, Callable[[Canonicaliser, Alt], Alt | None]] = {
    "null": Canonicaliser._norm_plain,
    "boolean": Canonicaliser._norm_plain,
    "integer": Canonicaliser._norm_number,
    "number": Canonicaliser._norm_number,
    "string": Canonicaliser._norm_string,
    "array": Canonicaliser._norm_array,
    "object": Canonicaliser._norm_object,
}

CHECKS: dict[str, Callable[[Canonicaliser, Alt, str], str]] = {
    "null": Canonicaliser._check_plain,
    "boolean": Canonicaliser._check_plain,
    "integer": Canonicaliser._check_number,
    "number": Canonicaliser._check_number,
    "string": Canonicaliser._check_string,
    "array": Canonicaliser._check_array,
    "object": Canonicaliser._check_object,
}
