"""The compiled explanations (``validate.explain``) say what the ``jsonschema`` reference
says, keyword by keyword: the same pointers, rules, messages, schema paths and locations.

The Sentinel Hub schemas use a dozen keywords; these cases reach every entry of
``explain.MESSAGES``, the format stand-ins of the compiled schema, and the cases that are
handed to the reference on purpose.
"""

from __future__ import annotations

from typing import Any

import pytest

from schemakit.validate.explain import MESSAGES
from schemakit.validate.validator import Validator

OBJECT = {"type": "object"}
CASES: list[tuple[str, dict[str, Any], Any]] = [
    ("type", {"type": "string"}, 1),
    ("type list", {"type": ["string", "null"]}, 1),
    ("enum", {"enum": ["a", 1, None]}, "b"),
    ("const", {"const": {"a": 1}}, 1),
    ("required", {"required": ["a", "b", "c"]}, {"b": 1}),
    ("dependentRequired", {"dependentRequired": {"a": ["c"], "b": ["c", "d"]}}, {"a": 1, "b": 2}),
    ("minimum", {"minimum": 3}, 2.5),
    ("maximum", {"maximum": 3}, 4),
    ("exclusiveMinimum", {"exclusiveMinimum": 3}, 3),
    ("exclusiveMaximum", {"exclusiveMaximum": 3.5}, 4),
    ("multipleOf", {"multipleOf": 0.25}, 0.3),
    ("minLength 1", {"minLength": 1}, ""),
    ("minLength", {"minLength": 3}, "ab"),
    ("maxLength 0", {"maxLength": 0}, "a"),
    ("maxLength", {"maxLength": 2}, "abc"),
    ("minItems", {"minItems": 1}, []),
    ("maxItems", {"maxItems": 1}, [1, 2]),
    ("minProperties", {"minProperties": 2}, {"a": 1}),
    ("maxProperties", {"maxProperties": 0}, {"a": 1}),
    ("uniqueItems", {"uniqueItems": True}, [1, 1]),
    ("pattern", {"pattern": "^a+$"}, "ab"),
    ("format", {"format": "email"}, "not an email"),
    ("format built in", {"format": "date-time"}, "2025-13-01T00:00:00Z"),
    ("format int32", {"format": "int32"}, 2**31),
    ("format int32 clash", {"format": "int32", "maximum": 10**12}, 2.5),
    ("format uri", {"format": "uri"}, "not a uri"),
    ("contains", {"contains": {"type": "string"}}, [1, 2]),
    ("items false", {"prefixItems": [{}], "items": False}, [1, 2, 3]),
    ("items false one", {"prefixItems": [{}, {}], "items": False}, [1, 2, 3]),
    ("additionalProperties", {"properties": {"a": {}}, "additionalProperties": False}, {"b": 1}),
    (
        "additionalProperties patterns",
        {"patternProperties": {"^x": {}}, "additionalProperties": False},
        {"b": 1, "a": 2},
    ),
    ("unevaluatedProperties", {"properties": {"a": {}}, "unevaluatedProperties": False}, {"b": 1}),
    (
        "unevaluatedProperties schema",
        {"properties": {"a": {}}, "unevaluatedProperties": {"type": "string"}},
        {"c": 1, "a": 2, "b": "x", "d": None},
    ),
    ("unevaluatedItems", {"prefixItems": [{}], "unevaluatedItems": False}, [1, "two", {"3": 3}]),
    ("not", {"not": {"type": "integer"}}, 1),
    ("propertyNames", {"propertyNames": {"maxLength": 2, "pattern": "^a"}}, {"abc": 1, "b": 2}),
    ("if then", {"if": {"required": ["a"]}, "then": {"required": ["b"]}}, {"a": 1}),
    ("dependentSchemas", {"dependentSchemas": {"a": {"required": ["b"]}}}, {"a": 1}),
    (
        "nested",
        {"properties": {"a": {"items": {"properties": {"b": {"minimum": 0}}}}}},
        {"a": [{}, {"b": -1}]},
    ),
    (
        "refs",
        {
            "$defs": {"N": {"maximum": 1}},
            "allOf": [{"$ref": "#/$defs/N"}],
            "properties": {"x": {"$ref": "#/$defs/N"}},
        },
        {"x": 2},
    ),
    (
        "percent-encoded ref",
        {"$defs": {"a%b": {"type": "integer"}}, "properties": {"n": {"$ref": "#/$defs/a%25b"}}},
        {"n": "x"},
    ),
    (
        "dynamicRef into embedded resources",
        {
            "$id": "https://example.com/main",
            "properties": {"item": {"$ref": "item"}},
            "$defs": {
                "item": {
                    "$id": "item",
                    "properties": {"content": {"$dynamicRef": "#content"}},
                    "$defs": {"fallback": {"$dynamicAnchor": "content", "type": "integer"}},
                },
            },
        },
        {"item": {"content": "text"}},
    ),
    ("anyOf", {"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 5}]}, 3),
    ("oneOf several", {"oneOf": [{"type": "integer"}, {"title": "Any"}, {"minimum": 0}]}, 1),
    (
        "oneOf tag",
        {
            "$defs": {
                "A": {"properties": {"kind": {"const": "a"}, "n": {"type": "integer"}}},
                "B": {"properties": {"kind": {"enum": ["b", "bb"]}}, "required": ["m"]},
            },
            "oneOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}],
        },
        {"kind": "c"},
    ),
    (
        "oneOf closest",
        {
            "$defs": {
                "A": {"properties": {"kind": {"const": "a"}, "n": {"type": "integer"}}},
                "B": {"properties": {"kind": {"const": "b"}}, "required": ["m", "o"]},
            },
            "oneOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}],
        },
        {"kind": "b", "n": 1},
    ),
    (
        "discriminator",
        {
            "discriminator": {"propertyName": "pet"},
            "oneOf": [
                {
                    "title": "Cat",
                    "properties": {"pet": {"const": "cat"}, "age": {"format": "int8"}},
                },
                {"title": "Dog", "properties": {"pet": {"const": "dog"}}, "required": ["bark"]},
            ],
        },
        {"pet": "cat", "age": 300},
    ),
]


@pytest.mark.parametrize(("label", "schema", "document"), CASES, ids=[c[0] for c in CASES])
def test_compiled_explanations_equal_the_reference(
    label: str, schema: dict[str, Any], document: Any
) -> None:
    validator = Validator(schema)
    assert not validator.is_valid(document)
    compiled = validator.compiled_errors(document)
    assert compiled is not None, "the compiled errors were enough here"
    assert compiled == validator.reference_errors(document)
    assert validator.errors(document) == compiled


def test_every_keyword_the_table_words_is_exercised() -> None:
    reached: set[str] = set()
    for _label, schema, document in CASES:
        validator = Validator(schema)
        reached.update(issue.rule for issue in validator.compiled_errors(document) or [])
    handed_over = {"minContains", "maxContains"}  # see the next test
    own_words = {"falseSchema", "oneOf", "anyOf"}  # see the tests below
    assert set(MESSAGES) - handed_over - own_words <= reached


@pytest.mark.parametrize(
    ("schema", "document"),
    [
        ({"contains": {"type": "string"}, "minContains": 2}, ["a", 1]),
        ({"contains": {"type": "string"}, "maxContains": 1}, ["a", "b"]),
    ],
)
def test_what_the_compiled_errors_cannot_say_is_asked_of_the_reference(
    schema: dict[str, Any], document: Any
) -> None:
    validator = Validator(schema)
    assert validator.compiled_errors(document) is None
    [issue] = validator.errors(document)
    assert issue == validator.reference_errors(document)[0]
    assert "match the given schema" in issue.message


def test_a_false_subschema_is_reported_at_the_value_it_rejects() -> None:
    """The one deliberate difference: jsonschema reports a false subschema at the parent
    with no rule (``None``)."""
    validator = Validator({"properties": {"d": False}, "oneOf": [False, {"type": "object"}]})
    [issue] = validator.errors({"d": 1})
    assert (issue.pointer, issue.rule, issue.message) == (
        "/d",
        "falseSchema",
        "False schema does not allow 1",
    )
    assert issue.schema_path == "/properties/d"
    [reference] = validator.reference_errors({"d": 1})
    assert (reference.pointer, reference.rule) == ("", "None")


def test_documents_the_compiled_validator_cannot_take_are_explained_by_the_reference() -> None:
    validator = Validator({"properties": {"n": {"type": "integer", "maximum": 10}}})
    document = {"n": 2**80}  # beyond 64 bits
    [issue] = validator.errors(document)
    assert (issue.pointer, issue.rule) == ("/n", "maximum")
    assert issue == validator.reference_errors(document)[0]


@pytest.mark.parametrize(
    "document",
    [
        {"groups": {"1": {"patterns": "*"}}},  # jsonschema-rs names the property as index 1
        {"groups": {"": {"patterns": "*"}}},  # ... and leaves the property "" out of its path
        {"groups": {"": {"patterns": "*"}, "patterns": {}}},
    ],
    ids=["numeric name", "empty name", "empty name and a namesake"],
)
def test_property_names_the_compiled_paths_lose(document: Any) -> None:
    """Properties named "1" or "": located as the reference locates them."""
    schema = {
        "properties": {
            "groups": {"additionalProperties": {"properties": {"patterns": {"type": "array"}}}}
        }
    }
    validator = Validator(schema)
    [issue] = validator.errors(document)
    assert issue == validator.reference_errors(document)[0]
    assert issue.pointer == "/groups/" + next(iter(document["groups"])) + "/patterns"
