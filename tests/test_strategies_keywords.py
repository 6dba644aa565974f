"""One row per draft 2020-12 keyword: every document drawn from the row's schema is valid
under the reference validator, and some document shows the keyword at work (``witness``)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, NamedTuple

import jsonschema_rs
import pytest
from hypothesis import given, settings
from jsonschema import Draft202012Validator

from schemakit.core.formats import FORMAT_CHECKER
from schemakit.strategies import from_schema
from schemakit.testing.fixtures import documents


class Row(NamedTuple):
    schema: Any
    witness: Callable[[Any], bool]


def _obj(doc: Any) -> bool:
    return isinstance(doc, dict)


def _arr(doc: Any) -> bool:
    return isinstance(doc, list)


def _num(doc: Any) -> bool:
    return isinstance(doc, (int, float)) and not isinstance(doc, bool)


ROWS: dict[str, Row] = {
    "type": Row({"type": ["integer", "string"]}, lambda d: isinstance(d, str)),
    "enum": Row({"enum": [1, "two", None, [3], {"four": 4}]}, lambda d: d == {"four": 4}),
    "const": Row({"const": {"a": [1, 2]}}, lambda d: d == {"a": [1, 2]}),
    "properties": Row(
        {"type": "object", "properties": {"a": {"type": "integer", "minimum": 10}}},
        lambda d: _obj(d) and d.get("a", 0) >= 10,
    ),
    "required": Row(
        {"type": "object", "required": ["a", "b"], "properties": {"a": {"type": "string"}}},
        lambda d: _obj(d) and {"a", "b"} <= set(d),
    ),
    "additionalProperties": Row(
        {
            "type": "object",
            "properties": {"a": {"type": "integer"}},
            "additionalProperties": {"type": "boolean"},
            "minProperties": 2,
        },
        lambda d: _obj(d) and any(isinstance(v, bool) for k, v in d.items() if k != "a"),
    ),
    "additionalProperties-false": Row(
        {"type": "object", "properties": {"a": {}, "b": {}}, "additionalProperties": False},
        lambda d: _obj(d) and set(d) == {"a", "b"},
    ),
    "patternProperties": Row(
        {
            "type": "object",
            "patternProperties": {"^x-": {"type": "integer"}, "^y-": {"type": "string"}},
            "additionalProperties": False,
        },
        lambda d: (
            _obj(d) and any(k.startswith("x-") for k in d) and any(k.startswith("y-") for k in d)
        ),
    ),
    "propertyNames": Row(
        {"type": "object", "propertyNames": {"pattern": "^[a-c]+$"}, "minProperties": 1},
        lambda d: _obj(d) and len(d) >= 2,
    ),
    "minProperties": Row({"type": "object", "minProperties": 3}, lambda d: _obj(d) and len(d) == 3),
    "maxProperties": Row(
        {"type": "object", "properties": {k: {} for k in "abcdef"}, "maxProperties": 2},
        lambda d: _obj(d) and len(d) == 2,
    ),
    "dependentRequired": Row(
        {
            "type": "object",
            "properties": {"card": {"type": "string"}, "billing": {"type": "string"}},
            "dependentRequired": {"card": ["billing"]},
        },
        lambda d: _obj(d) and "card" in d,
    ),
    "dependentSchemas": Row(
        {
            "type": "object",
            "properties": {"card": {"type": "string"}},
            "dependentSchemas": {
                "card": {"required": ["billing"], "properties": {"billing": {"type": "integer"}}}
            },
        },
        lambda d: _obj(d) and "card" in d and isinstance(d.get("billing"), int),
    ),
    "prefixItems": Row(
        {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "minItems": 2},
        lambda d: _arr(d) and len(d) > 2,
    ),
    "items": Row(
        {"type": "array", "prefixItems": [{"type": "string"}], "items": {"type": "boolean"}},
        lambda d: _arr(d) and len(d) >= 2 and isinstance(d[1], bool),
    ),
    "items-false": Row(
        {"type": "array", "prefixItems": [{"const": 1}, {"const": 2}], "items": False},
        lambda d: d == [1, 2],
    ),
    "contains": Row(
        {"type": "array", "items": {"type": "integer"}, "contains": {"minimum": 100}},
        lambda d: _arr(d) and any(x < 100 for x in d),
    ),
    "minContains": Row(
        {"type": "array", "contains": {"const": "x"}, "minContains": 3},
        lambda d: _arr(d) and d.count("x") >= 3 and len(d) > 3,
    ),
    "maxContains": Row(
        {"type": "array", "contains": {"type": "string"}, "maxContains": 2, "minItems": 4},
        lambda d: _arr(d) and sum(isinstance(x, str) for x in d) == 2,
    ),
    "uniqueItems": Row(
        {
            "type": "array",
            "items": {"enum": [1, 1.0, True, "1", [1], {"a": 1}]},
            "uniqueItems": True,
            "minItems": 3,
        },
        lambda d: _arr(d) and len(d) >= 4,
    ),
    "minItems": Row({"type": "array", "minItems": 3}, lambda d: _arr(d) and len(d) == 3),
    "maxItems": Row({"type": "array", "maxItems": 2}, lambda d: _arr(d) and len(d) == 2),
    "minLength": Row({"type": "string", "minLength": 5}, lambda d: len(d) == 5),
    "maxLength": Row({"type": "string", "maxLength": 3}, lambda d: len(d) == 3),
    "pattern": Row(
        {"type": "string", "pattern": r"^[A-Z]{2}-\d{3}$"},
        lambda d: re.fullmatch(r"[A-Z]{2}-[0-9]{3}", d) is not None,
    ),
    "pattern-unanchored": Row(
        {"type": "string", "pattern": "ab+c", "maxLength": 8},
        lambda d: len(d) > 4 and re.search("ab+c", d) is not None,  # text around the match
    ),
    "minimum": Row({"type": "integer", "minimum": -3}, lambda d: d == -3),
    "maximum": Row({"type": "number", "maximum": 2.5}, lambda d: _num(d) and d < 0),
    "exclusiveMinimum": Row(
        {"type": "number", "exclusiveMinimum": 0, "maximum": 1}, lambda d: 0 < d < 1e-3
    ),
    "exclusiveMaximum": Row({"type": "integer", "exclusiveMaximum": 10}, lambda d: d == 9),
    "multipleOf": Row({"type": "integer", "multipleOf": 7, "minimum": 1}, lambda d: d >= 14),
    "multipleOf-fraction": Row(
        {"type": "number", "multipleOf": 0.01, "maximum": 5}, lambda d: d != int(d)
    ),
    "allOf": Row(
        {
            "allOf": [
                {"type": "object", "required": ["a"]},
                {"properties": {"a": {"type": "integer", "maximum": 0}}},
            ]
        },
        lambda d: _obj(d) and d["a"] <= 0,
    ),
    "anyOf": Row(
        {"anyOf": [{"type": "string", "maxLength": 1}, {"type": "integer"}]},
        lambda d: isinstance(d, str),
    ),
    "oneOf": Row(
        {"oneOf": [{"type": "number", "minimum": 0}, {"type": "number", "maximum": 10}]},
        lambda d: d > 10,
    ),
    "not": Row({"type": "integer", "not": {"enum": [0, 1, 2]}}, lambda d: d < 0),
    "if-then-else": Row(
        {
            "type": "object",
            "required": ["kind"],
            "properties": {"kind": {"enum": ["a", "b"]}},
            "if": {"properties": {"kind": {"const": "a"}}},
            "then": {"required": ["x"], "properties": {"x": {"type": "integer"}}},
            "else": {"required": ["y"], "properties": {"y": {"type": "string"}}},
        },
        lambda d: d["kind"] == "b" and isinstance(d["y"], str),
    ),
    "$ref": Row(
        {
            "$defs": {"pos": {"type": "integer", "minimum": 1}},
            "type": "array",
            "items": {"$ref": "#/$defs/pos"},
        },
        lambda d: len(d) >= 2,
    ),
    "$ref-recursive": Row(
        {
            "type": "object",
            "properties": {"name": {"type": "string"}, "next": {"$ref": "#"}},
            "required": ["name"],
        },
        lambda d: _obj(d.get("next")) and _obj(d["next"].get("next")),
    ),
    "$dynamicRef": Row(
        {
            "$id": "https://example.com/root",
            "$ref": "list",
            "$defs": {
                "strings": {"$dynamicAnchor": "item", "type": "string"},
                "list": {
                    "$id": "list",
                    "type": "array",
                    "items": {"$dynamicRef": "#item"},
                    "$defs": {"default": {"$dynamicAnchor": "item"}},
                },
            },
        },
        lambda d: _arr(d) and len(d) >= 1,
    ),
    "unevaluatedProperties": Row(
        {
            "type": "object",
            "properties": {"a": {"type": "integer"}},
            "anyOf": [{"properties": {"b": {"type": "string"}}, "required": ["b"]}],
            "unevaluatedProperties": {"type": "boolean"},
            "minProperties": 3,
        },
        lambda d: any(isinstance(v, bool) for v in d.values()),
    ),
    "unevaluatedItems": Row(
        {
            "type": "array",
            "prefixItems": [{"type": "string"}],
            "allOf": [{"prefixItems": [True, {"type": "integer"}]}],
            "unevaluatedItems": {"type": "null"},
        },
        lambda d: len(d) >= 3 and d[2] is None,
    ),
    "format": Row({"type": "string", "format": "date-time"}, lambda d: "T" in d),
    "format-int64": Row({"type": "integer", "format": "int64"}, lambda d: abs(d) > 2**31),
}


@pytest.mark.parametrize("keyword", list(ROWS))
def test_keyword(keyword: str) -> None:
    schema, witness = ROWS[keyword]
    validator = Draft202012Validator(schema, format_checker=FORMAT_CHECKER)
    strategy = from_schema(schema)

    @settings(max_examples=30, database=None)
    @given(strategy)
    def every_document_is_valid(document: Any) -> None:
        problems = [e.message for e in validator.iter_errors(document)]
        assert not problems, (problems[:3], json.dumps(document)[:300])

    every_document_is_valid()
    sample = list(documents(strategy, 150, seed=11))
    assert any(witness(document) for document in sample), (keyword, sample[:5])


@pytest.mark.parametrize(
    "schema",
    [
        {"multipleOf": 0.0001},  # 3152 * 0.0001 is 0.31520000000000004 in doubles
        {"type": "number", "multipleOf": 0.1, "minimum": 0.3, "maximum": 1000},
        {"type": "integer", "multipleOf": 0.123456789},  # the suite's "float division = inf"
        {"type": "integer", "multipleOf": 2.5},
    ],
)
def test_fractional_multiples_pass_both_engines(schema: dict[str, Any]) -> None:
    """``jsonschema`` divides in floating point, ``jsonschema-rs`` divides the decimal
    numbers exactly: a generated multiple must be one for both (``fixtures`` checks every
    document with the compiled validator and stops at the first it rejects)."""
    reference = Draft202012Validator(schema)
    compiled = jsonschema_rs.validator_for(schema)
    sample = list(documents(from_schema(schema), 200, seed=3))
    rejected = [d for d in sample if not (reference.is_valid(d) and compiled.is_valid(d))]
    assert not rejected, rejected[:5]
    assert len({json.dumps(d) for d in sample}) > 20  # not only 0
