"""Unit tests of the strategy algebra, judged by the reference validator on arbitrary values.

The generators rest on four operations; each has a meaning that can be checked without
generating a single document from a strategy:
- ``canonical``: a schema as a union of single-type alternatives; when marked exact, a value
  is valid under the schema iff it is valid under one alternative;
- ``complement``: alternatives holding exactly the values that fail an alternative;
- ``merge``: the conjunction of two alternatives (exact when it says so);
- ``disjoint``: no value is valid under both alternatives.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemakit.core.reference import reference_validator
from schemakit.strategies.canonical import Canonicaliser
from schemakit.strategies.exclusion import disjoint
from schemakit.strategies.formats import STRING_FORMATS
from schemakit.strategies.merge import all_of, merge
from schemakit.strategies.negate import complement
from schemakit.strategies.resolve import Refs

KEYS = st.sampled_from(["a", "b", "c", "kind"])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-20, 20),
    st.floats(-20, 20, allow_nan=False).map(lambda x: round(x, 1)),
    st.sampled_from(["", "a", "ab", "abc", "cat", "dog", "2024-01-01", "A1"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=8,
)

SCHEMAS: list[Any] = [
    True,
    {"type": "integer", "minimum": 0, "maximum": 10},
    {"type": ["string", "null"], "minLength": 2},
    {"type": "number", "exclusiveMinimum": 0, "multipleOf": 0.5},
    {"enum": [1, "a", None, [1]]},
    {"const": {"a": 1}},
    {"type": "array", "items": {"type": "integer"}, "minItems": 1, "uniqueItems": True},
    {"type": "array", "prefixItems": [{"type": "string"}], "items": False},
    {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
    {"type": "object", "additionalProperties": False, "properties": {"a": {}, "b": {}}},
    {"anyOf": [{"type": "string", "maxLength": 1}, {"type": "integer", "maximum": 0}]},
    {"oneOf": [{"type": "integer"}, {"type": "number", "minimum": 5}]},
    {"allOf": [{"type": "integer", "minimum": -5}, {"maximum": 5, "multipleOf": 2}]},
    {"not": {"type": ["string", "object"]}},
    {"type": "string", "pattern": "^[a-c]+$"},
    {"if": {"type": "integer"}, "then": {"minimum": 3}, "else": {"type": "string"}},
    {
        "type": "object",
        "oneOf": [
            {"properties": {"kind": {"const": "cat"}}, "required": ["kind"]},
            {"properties": {"kind": {"const": "dog"}, "a": {"type": "integer"}}},
        ],
    },
    {  # closed objects sharing a property: each branch must hold a name the other forbids
        "oneOf": [
            {"properties": {"a": {"pattern": "^a"}, "b": {}}, "additionalProperties": False},
            {"properties": {"a": {"pattern": "^a"}, "c": {}}, "additionalProperties": False},
        ],
    },
]


@functools.lru_cache(maxsize=1024)
def _validator(key: str) -> Any:
    return reference_validator(json.loads(key))


def valid(schema: Any, value: Any) -> bool:
    return bool(_validator(json.dumps(schema, sort_keys=True)).is_valid(value))


def canonicaliser(schema: Any) -> Canonicaliser:
    return Canonicaliser(Refs(schema), set(STRING_FORMATS))


def alternatives(schema: Any) -> tuple[tuple[dict[str, Any], ...], bool]:
    return _alternatives(json.dumps(schema, sort_keys=True))


@functools.cache
def _alternatives(key: str) -> tuple[tuple[dict[str, Any], ...], bool]:
    # computed once per schema: building the canonical form is not what the examples vary
    schema = json.loads(key)
    canon = canonicaliser(schema).canonical(schema)
    return canon.alts, canon.exact


def ids(schema: Any) -> str:
    return str(schema)[:40]


@pytest.mark.parametrize("schema", SCHEMAS, ids=ids)
@settings(max_examples=60)
@given(value=VALUES)
def test_canonical_form_accepts_what_the_schema_accepts(schema: Any, value: Any) -> None:
    alts, exact = alternatives(schema)
    in_alts = any(valid(alt, value) for alt in alts)
    if exact:
        assert in_alts == valid(schema, value)
    else:  # inexact: alternatives may be narrower, never wider
        assert valid(schema, value) or not in_alts


@pytest.mark.parametrize("schema", SCHEMAS, ids=ids)
@settings(max_examples=40)
@given(value=VALUES)
def test_complement_holds_exactly_what_fails(schema: Any, value: Any) -> None:
    for alt in alternatives(schema)[0]:
        failing = [mode for _, mode in complement(alt)]
        assert any(valid(mode, value) for mode in failing) != valid(alt, value), alt


PAIRS = [
    ({"type": "integer", "minimum": 0}, {"type": "integer", "maximum": 4, "multipleOf": 2}),
    ({"type": "string", "minLength": 1}, {"type": "string", "maxLength": 2}),
    ({"type": "number", "multipleOf": 0.5}, {"type": "number", "multipleOf": 0.2}),
    ({"type": "array", "minItems": 2}, {"type": "array", "items": {"type": "integer"}}),
    (
        {"type": "object", "required": ["a"]},
        {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False},
    ),
    ({"type": "integer", "minimum": 5}, {"type": "integer", "maximum": 4}),
    ({"type": "string", "enum": ["a", "b"]}, {"type": "string", "enum": ["b", "c"]}),
    ({"type": "object"}, {"type": "object", "required": ["a"], "minProperties": 2}),
    (
        {"type": "string", "pattern": "^a"},
        {"type": "string", "allOf": [{"not": {"pattern": "^a"}}]},
    ),
]


@pytest.mark.parametrize(("a", "b"), PAIRS, ids=lambda v: ids(v))
@settings(max_examples=60)
@given(value=VALUES)
def test_merge_is_the_conjunction(a: dict[str, Any], b: dict[str, Any], value: Any) -> None:
    merged, exact = merge(a, b, valid)
    both = valid(a, value) and valid(b, value)
    if merged is None:
        assert not both
    elif exact:
        assert valid(merged, value) == both
    else:
        assert valid(merged, value) or not both


@pytest.mark.parametrize(("a", "b"), PAIRS, ids=lambda v: ids(v))
@settings(max_examples=40)
@given(value=VALUES)
def test_disjoint_alternatives_share_no_value(
    a: dict[str, Any], b: dict[str, Any], value: Any
) -> None:
    if _disjoint(json.dumps([a, b], sort_keys=True)):
        assert not (valid(a, value) and valid(b, value))


@functools.cache
def _disjoint(key: str) -> bool:
    a, b = json.loads(key)
    return bool(disjoint(canonicaliser({"allOf": [a, b]}), a, b, 0))


def test_disjointness_is_found_where_it_is_plain() -> None:
    canon = canonicaliser(True)
    assert disjoint(canon, {"type": "integer", "minimum": 5}, {"type": "integer", "maximum": 4}, 0)
    assert disjoint(canon, {"type": "string", "enum": ["a"]}, {"type": "string", "enum": ["b"]}, 0)
    assert not disjoint(canon, {"type": "integer"}, {"type": "integer", "minimum": 3}, 0)


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ((True, {}), True),
        (({"type": "string"}, False), False),
        (({"type": "string"}, True, {"type": "string"}), {"type": "string"}),
        (
            ({"allOf": [{"minimum": 1}, {"allOf": [{"maximum": 3}]}]}, {"type": "integer"}),
            {"allOf": [{"minimum": 1}, {"maximum": 3}, {"type": "integer"}]},
        ),
    ],
)
def test_all_of_flattens_and_absorbs(parts: tuple[Any, ...], expected: Any) -> None:
    assert all_of(*parts) == expected


def test_merge_sees_a_keyword_and_its_own_negation() -> None:
    """``oneOf`` exclusion of two branches that share a ``$ref`` asks for a string matching a
    pattern and not matching it: no value, said at once, not left to a filter that never passes."""
    pattern = {"type": "string", "pattern": "^/[a-z]+$"}
    negated = {"type": "string", "allOf": [{"not": {"pattern": "^/[a-z]+$"}}]}
    assert merge(pattern, negated, valid) == (None, True)
    other = {"type": "string", "allOf": [{"not": {"pattern": "^x"}}]}
    assert merge(pattern, other, valid)[0] is not None


def test_one_of_closed_objects_are_told_apart_by_names() -> None:
    alts, _ = alternatives(SCHEMAS[-1])
    assert sorted(alt["required"] for alt in alts) == [["b"], ["c"]]


def test_all_of_keeps_values_python_calls_equal() -> None:
    assert all_of({"const": 1}, {"const": True}) == {"allOf": [{"const": 1}, {"const": True}]}


def _event(index: int) -> dict[str, Any]:
    """An object alternative with several typed, bounded properties (many failure modes)."""
    return {
        "type": "object",
        "properties": {
            f"p{index}": {"type": "string", "maxLength": 3},
            "n": {"type": "integer", "minimum": index},
            "flag": {"type": "boolean"},
            "tags": {"type": "array", "maxItems": 2},
        },
        "required": [f"p{index}"],
        "additionalProperties": False,
    }


def test_negating_many_big_alternatives_stays_bounded() -> None:
    """Negating a oneOf of big objects one alternative at a time multiplies the failure modes;
    past MAX_ALTS the negation is the exact filtered form ("any value that fails it"), not a
    residual check nested once more per alternative (that grew for minutes: GitHub workflow's
    ``on``). The result is still exact: a value is in it iff it fails the schema."""
    inner = {"oneOf": [_event(index) for index in range(8)]}
    schema = {"not": inner}
    alts, exact = alternatives(schema)
    assert exact
    objects = [alt for alt in alts if alt.get("type") == "object"]
    assert objects and all(alt.get("allOf") == [{"not": inner}] for alt in objects)
    assert len(json.dumps(alts)) < 10 * len(json.dumps(inner))  # not nested per alternative
    for value in [{"p0": "abcd"}, {"p1": "x", "n": 1}, 5, None, {"p3": "ok", "n": 0}]:
        assert valid(schema, value) == any(valid(alt, value) for alt in alts), value
