"""The core values: an immutable SchemaSet, one JSON pointer module, one error tree."""

from __future__ import annotations

import copy
import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import schemakit
from schemakit.core import pointer
from schemakit.core.errors import SchemakitError
from schemakit.core.frozen import FrozenDict, FrozenList, freeze
from schemakit.core.reference import reference_validator
from schemakit.core.schemaset import PureSchemaSet, SchemaResource

# -- the schema set is a value -----------------------------------------------------------


def small_set(tmp_path: Path) -> schemakit.SchemaSet:
    (tmp_path / "Thing.json").write_text(
        '{"type": "object", "properties": {"n": {"type": "integer", "maximum": 5}}}'
    )
    return schemakit.load(tmp_path)


def test_what_a_set_hands_out_cannot_change_what_it_validates(tmp_path: Path) -> None:
    schemas = small_set(tmp_path)
    validator = schemas.validator("Thing")
    contents = schemas.resource("Thing").contents
    with pytest.raises(TypeError, match="read-only"):
        contents["properties"]["n"]["maximum"] = 100
    with pytest.raises(TypeError):
        contents["required"] = ["n"]
    with pytest.raises(TypeError):
        schemas.registry.contents(schemas.uri("Thing"))["type"] = "string"
    # the copies it hands out are plain and editable, and editing them changes nothing
    schema = schemas.schema("Thing")
    bundle = schemas.bundle("Thing")
    assert type(schema) is dict and type(schema["properties"]) is dict
    schema["properties"]["n"]["maximum"] = 100
    bundle["properties"]["n"]["maximum"] = 100
    assert not schemas.validator("Thing").is_valid({"n": 50})
    assert schemas.validator("Thing") is validator
    assert schemas.schema("Thing")["properties"]["n"]["maximum"] == 5


def test_resources_do_not_share_the_callers_dicts() -> None:
    mine: dict[str, Any] = {"type": "object", "properties": {"a": {"type": "string"}}}
    resource = SchemaResource("A", "https://example.com/a", "a.json", mine)
    mine["properties"]["a"]["type"] = "integer"
    assert resource.contents["properties"]["a"]["type"] == "string"


def test_sets_are_hashable_equal_by_value_and_picklable(tmp_path: Path) -> None:
    first, second = small_set(tmp_path), small_set(tmp_path)
    assert first == second and hash(first) == hash(second)
    assert len({first, second}) == 1
    restored = pickle.loads(pickle.dumps(first))
    assert restored == first and isinstance(restored, schemakit.SchemaSet)
    assert restored.validator("Thing").is_valid({"n": 1})


def test_with_resources_returns_a_new_set_and_leaves_this_one(tmp_path: Path) -> None:
    schemas = small_set(tmp_path)
    extra = SchemaResource("Other", "https://example.com/other", "other.json", {"type": "string"})
    bigger = schemas.with_resources([extra])
    assert isinstance(bigger, schemakit.SchemaSet) and bigger is not schemas
    assert "Other" in bigger and "Other" not in schemas
    assert bigger.validator("Other").is_valid("x") and not bigger.validator("Other").is_valid(1)
    replaced = schemas.with_resources(
        [SchemaResource("Thing", schemas.uri("Thing"), "t.json", {"type": "string"})]
    )
    assert replaced.validator("Thing").is_valid("x")
    assert not schemas.validator("Thing").is_valid("x")


def test_the_public_set_is_the_pure_set_plus_derived_views(tmp_path: Path) -> None:
    schemas = small_set(tmp_path)
    pure = PureSchemaSet(schemas.resources, schemas.source)
    public = schemakit.SchemaSet.of(pure)
    assert public == schemas and public.validator("Thing").is_valid({"n": 5})


def test_frozen_values_behave_as_json() -> None:
    frozen = freeze({"a": [1, {"b": None}], "c": "d"})
    assert isinstance(frozen, FrozenDict) and isinstance(frozen["a"], FrozenList)
    assert frozen == {"a": [1, {"b": None}], "c": "d"}
    thawed = copy.deepcopy(frozen)
    thawed["a"].append(2)
    assert frozen["a"] == [1, {"b": None}]
    assert pickle.loads(pickle.dumps(frozen)) == frozen
    mutations: list[Callable[[], object]] = [
        frozen.clear,
        frozen["a"].clear,
        lambda: frozen.update(x=1),
    ]
    for mutate in mutations:
        with pytest.raises(TypeError):
            mutate()


# -- JSON pointers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "text"),
    [([], ""), (["a", 0], "/a/0"), (["a/b", "m~n"], "/a~1b/m~0n"), ([""], "/"), (["~1"], "/~01")],
)
def test_pointers_format_and_parse_back(parts: list[object], text: str) -> None:
    assert pointer.format_pointer(parts) == text
    assert pointer.tokens(text) == [str(part) for part in parts]
    assert pointer.tokens("#" + text) == [str(part) for part in parts]


def test_resolve_follows_keys_and_list_indices() -> None:
    document = {"a": [{"b/c": 1}, {"~": 2}], "": {"x": 3}}
    assert pointer.resolve(document, "/a/0/b~1c") == 1
    assert pointer.resolve(document, "/a/1/~0") == 2
    assert pointer.resolve(document, "//x") == 3
    assert pointer.resolve(document, "") is document
    for nowhere in ("/a/2", "/a/01", "/a/-", "/b", "/a/0/b~1c/d"):
        assert pointer.resolve(document, nowhere, None) is None
    assert pointer.resolve(document, "/a/9") is pointer.MISSING


def test_fragment_tokens_are_percent_decoded() -> None:
    assert pointer.fragment_tokens("/$defs/a%20b~1c") == ["$defs", "a b/c"]
    assert pointer.last_token("/$defs/a~1b") == "a/b"


# -- errors carry where they are as fields -------------------------------------------------


@pytest.mark.parametrize(
    ("where", "fields"),
    [
        ("s.json#/properties/a", ("s.json", "/properties/a", None, None)),
        ("s.json#", ("s.json", "", None, None)),
        ("doc.json:3:14", ("doc.json", None, 3, 14)),
        ("doc.jsonl:7", ("doc.jsonl", None, 7, None)),
        ("https://example.com/s.json#/a", ("https://example.com/s.json", "/a", None, None)),
        ("plain.json", ("plain.json", None, None, None)),
        (None, (None, None, None, None)),
    ],
)
def test_error_places_are_fields(where: str | None, fields: tuple[object, ...]) -> None:
    error = SchemakitError("broken", where)
    assert (error.file, error.pointer, error.line, error.column) == fields


def test_every_named_error_is_in_one_tree() -> None:
    for name in ("CodegenError", "FixtureError", "WorkerError", "ValidationError"):
        assert issubclass(getattr(schemakit, name), schemakit.SchemakitError)
    from schemakit.core.errors import RetrievalRefusedError

    assert issubclass(RetrievalRefusedError, schemakit.SchemakitError)


def test_a_broken_ref_error_names_file_and_pointer(tmp_path: Path) -> None:
    (tmp_path / "A.json").write_text('{"properties": {"x": {"$ref": "Missing.json"}}}')
    with pytest.raises(schemakit.UnresolvableRefError) as caught:
        schemakit.load(tmp_path)
    assert caught.value.file is not None and caught.value.file.endswith("A.json")
    assert caught.value.pointer == "/properties/x/$ref"


# -- one reference validator ---------------------------------------------------------------


def test_the_reference_validator_asserts_formats_and_cannot_backtrack() -> None:
    validator = reference_validator({"type": "string", "format": "date-time"})
    assert not validator.is_valid("2025-02-29T00:00:00Z")
    # ^(a+)+$ against "aaa…a!" takes forever with Python's re; here it is linear
    redos = reference_validator({"pattern": "^(a+)+$"})
    assert not redos.is_valid("a" * 5000 + "!")


def test_subschemas_declaring_a_dialect_keep_the_safe_regex_engine() -> None:
    # jsonschema picks a validator class from a subschema's own "$schema" when it evolves
    # (every $ref into another resource does): that must not bring back Python's re
    for dialect in (
        "https://json-schema.org/draft/2020-12/schema",
        "http://json-schema.org/draft-07/schema#",
    ):
        evolved = reference_validator({}).evolve(schema={"$schema": dialect, "pattern": "^(a+)+$"})
        assert not evolved.is_valid("a" * 5000 + "!")
        assert evolved.is_valid("aaa")


def test_lint_on_a_catastrophic_pattern_with_an_example_finishes(tmp_path: Path) -> None:
    # the linter checks defaults and examples with the reference validator; with Python's
    # re this run never ended. The timeout only keeps a regression from hanging CI.
    (tmp_path / "Slow.json").write_text(
        '{"type": "string", "pattern": "^(a+)+$", "default": "' + "a" * 40 + '!",'
        ' "examples": ["' + "a" * 40 + '!"]}'
    )
    result = subprocess.run(
        [sys.executable, "-m", "schemakit", "lint", "--schemas", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in result.stderr
    assert "[invalid-default]" in result.stdout and "does not match" in result.stdout
