"""``schemakit.strategies``: valid documents (checked by the reference validator), variety,
shrinking, unsatisfiable schemas, models registered with ``st.from_type``."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import schemakit
from schemakit.core.formats import FORMAT_CHECKER
from schemakit.core.walk import iter_subschemas
from schemakit.strategies import FormatWarning, from_schema, register_models
from schemakit.strategies.formats import STRING_FORMATS
from schemakit.testing.fixtures import documents

SENTINEL = ["BatchV2ProcessTask", "BatchV2ProcessRequest", "ProcessRequestInputData", "Geometry"]


def reference(schema: Any) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=FORMAT_CHECKER)


def assert_valid(validator: Draft202012Validator, document: Any) -> None:
    problems = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(document)]
    assert not problems, (problems[:3], json.dumps(document)[:500])


# -- validity ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", SENTINEL)
def test_sentinel_documents_are_valid(sentinel: schemakit.SchemaSet, name: str) -> None:
    validator = reference(sentinel.bundle(name))

    # Default settings: a health check failure (too slow, too many rejections) fails the test.
    @settings(max_examples=40, database=None)
    @given(sentinel.strategy(name))
    def check(document: Any) -> None:
        assert_valid(validator, document)

    check()


PET: dict[str, Any] = {
    "type": "object",
    "required": ["name", "kind"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 2, "maxLength": 12, "pattern": "^[A-Z]"},
        "kind": {"enum": ["cat", "dog", "fish"]},
        "age": {"type": "integer", "minimum": 0, "exclusiveMaximum": 40},
        "weight": {"type": "number", "exclusiveMinimum": 0, "maximum": 80, "multipleOf": 0.25},
        "born": {"type": "string", "format": "date"},
        "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True, "maxItems": 4},
        "owner": {"$ref": "#/$defs/person"},
    },
    "if": {"properties": {"kind": {"const": "fish"}}},
    "then": {"properties": {"tags": {"maxItems": 1}}},
    "$defs": {
        "person": {
            "type": "object",
            "required": ["email"],
            "properties": {"email": {"format": "email", "type": "string"}},
            "dependentRequired": {"phone": ["email"]},
        }
    },
}
TREE: dict[str, Any] = {
    "$defs": {
        "node": {
            "type": "object",
            "required": ["value"],
            "properties": {
                "value": {"type": "integer"},
                "children": {"type": "array", "items": {"$ref": "#/$defs/node"}},
            },
            "additionalProperties": False,
        }
    },
    "$ref": "#/$defs/node",
}
SHAPES: dict[str, Any] = {
    "oneOf": [
        {"type": "object", "properties": {"kind": {"const": "circle"}, "r": {"type": "number"}}},
        {"type": "object", "properties": {"kind": {"const": "square"}, "side": {"type": "number"}}},
        {"type": "object", "required": ["points"], "properties": {"points": {"type": "array"}}},
    ]
}
OVERLAPPING_ONE_OF: dict[str, Any] = {
    "oneOf": [{"type": "integer", "minimum": 0}, {"type": "integer", "multipleOf": 3}]
}
UNEVALUATED: dict[str, Any] = {
    "type": "object",
    "allOf": [{"properties": {"a": {"type": "string"}}}],
    "anyOf": [{"properties": {"b": {"type": "integer"}}, "required": ["b"]}, {"required": ["c"]}],
    "properties": {"c": {"type": "boolean"}},
    "unevaluatedProperties": False,
}
HAND_WRITTEN = {
    # Shapes that would make a naive generator filter too much (a health-check failure).
    "two-patterns": {"type": "string", "allOf": [{"pattern": "ab"}, {"pattern": "[0-9]{2}"}]},
    "pattern-and-length": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 3},
    "unique-enum-items": {"items": {"enum": [1, 2, 3]}, "uniqueItems": True, "minItems": 3},
    "unique-booleans": {"type": "array", "items": {"type": "boolean"}, "uniqueItems": True},
    "format-and-length": {"type": "string", "format": "uri", "minLength": 40},
    # More packed bytes than one run holds comfortably: presence first, then the present ones.
    "wide-object": {
        "type": "object",
        "required": ["p0", "p7"],
        "properties": {f"p{i}": {"type": "string", "maxLength": 60} for i in range(30)},
    },
    "pet": PET,
    "tree": TREE,
    "shapes": SHAPES,
    "overlapping-one-of": OVERLAPPING_ONE_OF,
    "unevaluated": UNEVALUATED,
    "not": {"not": {"type": ["string", "object"]}},
    "true": True,
}


@pytest.mark.parametrize("label", list(HAND_WRITTEN))
def test_hand_written_schemas(label: str) -> None:
    schema = HAND_WRITTEN[label]
    validator = reference(schema)

    @settings(max_examples=60, database=None)
    @given(from_schema(schema))
    def check(document: Any) -> None:
        assert_valid(validator, document)

    check()


def test_one_of_branches_exclude_each_other() -> None:
    # 0, 3, 6, ... match both branches of OVERLAPPING_ONE_OF, so they must never appear.
    values = list(documents(from_schema(OVERLAPPING_ONE_OF), 200, seed=1))
    assert all(not (v >= 0 and v % 3 == 0) for v in values)
    assert any(v >= 0 for v in values) and any(v % 3 == 0 for v in values)


def test_public_strategies_fallback(
    sentinel: schemakit.SchemaSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Should Hypothesis stop exposing its primitive draws, the public strategies take over.
    from schemakit.strategies import choices

    monkeypatch.setattr(choices, "USE_PRIMITIVES", False)
    validator = reference(sentinel.bundle("BatchV2ProcessTask"))
    strategy = from_schema(sentinel.bundle("BatchV2ProcessTask"), formats={"x-fresh": st.just("")})
    assert all(validator.is_valid(doc) for doc in documents(strategy, 60, seed=4))


# -- variety -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def task_documents(sentinel: schemakit.SchemaSet) -> list[Any]:
    return list(documents(sentinel.strategy("BatchV2ProcessTask"), 800, seed=0))


def _walk(document: Any) -> Iterator[tuple[str | None, Any]]:
    """(key, value) of every member and item, depth first."""
    if isinstance(document, dict):
        for key, value in document.items():
            yield key, value
            yield from _walk(value)
    elif isinstance(document, list):
        for value in document:
            yield None, value
            yield from _walk(value)


def _declared(schema: Any) -> tuple[set[str], set[str]]:
    """Every property name and every enum/const value (as JSON text) in a schema."""
    names: set[str] = set()
    values: set[str] = set()
    for node, _, _ in iter_subschemas(schema, ""):
        names.update(node.get("properties", {}))
        values.update(json.dumps(v) for v in node.get("enum", []))
        if "const" in node:
            values.add(json.dumps(node["const"]))
    return names, values


def test_every_property_and_enum_value_appears(
    sentinel: schemakit.SchemaSet, task_documents: list[Any]
) -> None:
    names, values = _declared(sentinel.bundle("BatchV2ProcessTask"))
    seen = list(_walk(task_documents))
    assert names - {key for key, _ in seen if key is not None} == set()
    assert values - {json.dumps(v) for _, v in seen if not isinstance(v, (dict, list))} == set()


def _get(document: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(document, dict) or key not in document:
            return None
        document = document[key]
    return document


def test_every_one_of_branch_appears(
    sentinel: schemakit.SchemaSet, task_documents: list[Any]
) -> None:
    collections = set()
    data_schema = sentinel.bundle("ProcessRequestInputData")
    branches = [
        reference({"$defs": data_schema["$defs"], **branch})
        for branch in data_schema["items"]["oneOf"]
    ]
    for doc in task_documents:
        for item in _get(doc, "request", "processRequest", "input", "data") or []:
            # Which branch holds, by the reference validator (exactly one must).
            holding = [i for i, branch in enumerate(branches) if branch.is_valid(item)]
            assert len(holding) == 1
            collections.add(holding[0])
    assert collections == set(range(len(branches))) and len(branches) == 15

    def kinds(*path: str) -> set[Any]:
        found = {_get(doc, *path) for doc in task_documents}
        return {value for value in found if isinstance(value, str)}

    assert kinds("request", "output", "type") == {"raster", "zarr"}
    assert kinds("request", "input", "type") == {"geopackage", "tiling-grid"}
    geometry = ("request", "processRequest", "input", "bounds", "geometry", "type")
    assert kinds(*geometry) == {"Polygon", "MultiPolygon"}
    deliveries = {
        key for doc in task_documents for key in _get(doc, "request", "output", "delivery") or {}
    }
    assert {"s3", "gs"} <= deliveries


def test_nested_objects_are_usually_present(task_documents: list[Any]) -> None:
    def share(*path: str) -> float:
        found = [_get(doc, *path) for doc in task_documents]
        return sum(isinstance(value, dict) and bool(value) for value in found) / len(found)

    assert share("request") > 0.6
    assert share("request", "output") > 0.5  # request is present in ~3/4 of the documents
    assert share("request", "input") > 0.5
    assert share("request", "processRequest", "input") > 0.5


# -- shrinking ---------------------------------------------------------------------------


def test_shrinks_to_a_small_valid_request(sentinel: schemakit.SchemaSet) -> None:
    validator = reference(sentinel.bundle("BatchV2ProcessRequest"))

    def two_collections(doc: Any) -> bool:
        data = _get(doc, "processRequest", "input", "data")
        return isinstance(data, list) and len(data) >= 2

    smallest = find(
        sentinel.strategy("BatchV2ProcessRequest"),
        two_collections,
        settings=settings(database=None, max_examples=200),
    )
    assert_valid(validator, smallest)
    assert len(smallest["processRequest"]["input"]["data"]) == 2
    assert len(json.dumps(smallest)) < 400, smallest


def test_shrinks_optional_properties_away(sentinel: schemakit.SchemaSet) -> None:
    smallest = find(sentinel.strategy("BatchV2ProcessTask"), lambda doc: True)
    assert smallest == {}


# -- unsatisfiable -----------------------------------------------------------------------

UNSATISFIABLE = [
    ({"type": "integer", "minimum": 5, "maximum": 1}, "#"),
    ({"allOf": [{"type": "string"}, {"type": "number"}]}, "#/allOf/1"),
    ({"required": ["a"], "properties": {"a": False}}, "#"),
    ({"oneOf": [{"type": "string"}, {"type": "string"}]}, "#/oneOf/"),
    (
        {
            "type": "object",
            "required": ["a"],
            "properties": {
                "a": {"type": "object", "required": ["b"], "properties": {"b": {"enum": []}}}
            },
        },
        "#/properties/a",
    ),
    ({"type": "array", "minItems": 2, "maxItems": 1}, "#"),
    ({"type": "string", "minLength": 3, "maxLength": 2}, "#"),
    ({"type": "array", "contains": {"type": "string"}, "items": {"type": "integer"}}, "#"),
    ({"not": {}}, "#"),
    (False, "#"),
]


@pytest.mark.parametrize(("schema", "where"), UNSATISFIABLE)
def test_unsatisfiable_schemas_name_the_pointer(schema: Any, where: str) -> None:
    with pytest.raises(schemakit.UnsatisfiableSchemaError) as caught:
        from_schema(schema)
    assert caught.value.where is not None and caught.value.where.startswith(where)
    assert str(caught.value).startswith(where)


def test_unsatisfiable_inside_a_sentinel_like_bundle() -> None:
    schema = {
        "$defs": {"Range": {"type": "number", "minimum": 10, "maximum": 0}},
        "type": "object",
        "required": ["range"],
        "properties": {"range": {"$ref": "#/$defs/Range"}},
    }
    with pytest.raises(schemakit.UnsatisfiableSchemaError, match="#/\\$defs/Range"):
        from_schema(schema)


# -- formats -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(STRING_FORMATS))
def test_formats_are_generated_valid(name: str) -> None:
    schema = {"type": "string", "format": name}
    values = list(documents(from_schema(schema), 150, seed=3))
    assert all(FORMAT_CHECKER.conforms(value, name) for value in values), name
    assert len(set(values)) > 20  # generated, not a fixed list


@pytest.mark.parametrize(
    ("fmt", "low", "high"),
    [("int32", -(2**31), 2**31 - 1), ("int64", -(2**63), 2**63 - 1), ("int8", -128, 127)],
)
def test_integer_formats_are_bounds(fmt: str, low: int, high: int) -> None:
    values = list(documents(from_schema({"type": "number", "format": fmt}), 100, seed=2))
    assert all(isinstance(v, int) and low <= v <= high for v in values)


def test_unknown_format_warns_once_per_build_never_while_drawing() -> None:
    schema = {
        "type": "object",
        "properties": {"a": {"type": "string", "format": "x-never-heard-of-it"}},
        "additionalProperties": {"type": "string", "format": "x-never-heard-of-it"},
    }
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = from_schema(schema)
        built = len(caught)
        drawn = list(documents(first, 20, seed=0))
    messages = [w for w in caught if issubclass(w.category, FormatWarning)]
    assert built == len(caught) == 1  # a warning while drawing would make replays differ
    assert "x-never-heard-of-it" in str(messages[0].message)
    assert all(isinstance(v, str) for d in drawn for v in d.values())


def test_custom_format_strategies_are_used() -> None:
    strategy = from_schema(
        {"type": "string", "format": "bucket"}, formats={"bucket": st.just("s3://b/k")}
    )
    assert set(documents(strategy, 10, seed=0)) == {"s3://b/k"}


# -- models ------------------------------------------------------------------------------


def test_register_models_makes_from_type_work(sentinel: schemakit.SchemaSet) -> None:
    import sentinel_hub_models as shm

    names = register_models(shm, sentinel)
    assert "BatchV2ProcessTask" in names and "S1Processing" in names
    validator = reference(sentinel.bundle("BatchV2ProcessTask"))

    @settings(max_examples=25, database=None)
    @given(st.from_type(shm.BatchV2ProcessTask))
    def check(task: Any) -> None:
        assert isinstance(task, shm.BatchV2ProcessTask)
        assert_valid(validator, task.to_dict())

    check()


def test_register_models_with_a_small_model_module(tmp_path: Any) -> None:
    import dataclasses
    import types

    @dataclasses.dataclass
    class Point:
        x: int
        y: int

        @classmethod
        def from_dict(cls, data: Any) -> Point:
            if not isinstance(data, dict):
                raise ValueError("expected an object")
            return cls(data["x"], data["y"])

    module = types.ModuleType("point_models")
    module.Point = Point  # type: ignore[attr-defined]
    schema_dir = tmp_path / "schemas"
    schema_dir.mkdir()
    (schema_dir / "Point.json").write_text(
        json.dumps(
            {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "required": ["x", "y"],
                "properties": {"x": {"type": "integer"}, "y": {"type": "integer", "minimum": 0}},
            }
        )
    )
    assert register_models(module, schemakit.load(schema_dir)) == ["Point"]

    @settings(max_examples=30, database=None)
    @given(st.from_type(Point))
    def check(point: Point) -> None:
        assert isinstance(point, Point) and point.y >= 0

    check()
