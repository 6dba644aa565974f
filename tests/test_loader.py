"""``schemakit.load``: every kind of source, OpenAPI 3.0/3.1 translation, broken sets as
named exceptions, and the ``SchemaSet`` value (names, copies, frozen, picklable)."""

from __future__ import annotations

import concurrent.futures
import copy
import dataclasses
import json
import pickle
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

import schemakit
from conftest import ROOT, docs_payloads
from schemakit.core.formats import FORMAT_CHECKER

REFS = ROOT / "tests" / "data" / "refs"
BROKEN = REFS / "broken"
OPENAPI = REFS / "openapi"
SENTINEL_DIR = ROOT / "schemas" / "sentinel-hub"


# -- sources -------------------------------------------------------------------------


def test_default_source_is_the_bundled_sentinel_set(sentinel: schemakit.SchemaSet) -> None:
    files = sorted(path.stem for path in SENTINEL_DIR.glob("*.json"))
    assert list(sentinel.names) == files
    assert "BatchV2ProcessTask" in sentinel
    assert len(sentinel) == len(files)
    assert sentinel.uri("BatchV2ProcessTask") == (
        "https://api.sentinel-hub.com/schemas/BatchV2ProcessTask"
    )
    assert sentinel.corrections and not sentinel.upstream


def test_upstream_set_has_no_corrections(sentinel_upstream: schemakit.SchemaSet) -> None:
    assert sentinel_upstream.upstream and sentinel_upstream.corrections == ()
    for name in sentinel_upstream.names:
        published = json.loads((SENTINEL_DIR / f"{name}.json").read_text())
        # Only the component refs are rewritten (to the target's $id); discriminator
        # mappings are annotations and stay as published.
        text = json.dumps(published).replace(
            '"$ref": "#/components/schemas/', '"$ref": "https://api.sentinel-hub.com/schemas/'
        )
        assert sentinel_upstream.schema(name) == json.loads(text), name


def test_directory_names_are_relative_paths_yaml_included() -> None:
    schema_set = schemakit.load(REFS / "set")
    assert schema_set.names == ("address", "person", "sub/pet", "sub/toy")
    assert schema_set.resource("sub/toy").origin == str(REFS / "set" / "sub" / "toy.yaml")
    assert schema_set.uri("person") == "https://example.com/schemas/person"
    # A schema without $id gets a URI of its own; file-relative refs resolve against it.
    assert schema_set.uri("sub/pet").endswith("/sub/pet.json")


def test_single_schema_file() -> None:
    schema_set = schemakit.load(REFS / "single" / "item.json")
    assert schema_set.names == ("item",)
    validator = schema_set.validator("item")
    assert validator.is_valid({"sku": "ABC-1234", "parts": [{"sku": "XYZ-0001"}], "price": 9.5})
    assert [issue.pointer for issue in validator.errors({"parts": [{"sku": "abc"}]})] == [
        "",
        "/parts/0/sku",
    ]


def test_source_may_be_str_or_path() -> None:
    assert schemakit.load(str(REFS / "tree")).names == schemakit.load(REFS / "tree").names


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_openapi_json_and_yaml_load_the_same(version: str) -> None:
    from_yaml = schemakit.load(OPENAPI / f"pets-{version}.yaml")
    from_json = schemakit.load(OPENAPI / f"pets-{version}.json")
    # The fixture pairs are one document in two syntaxes.
    assert yaml.safe_load((OPENAPI / f"pets-{version}.yaml").read_text()) == json.loads(
        (OPENAPI / f"pets-{version}.json").read_text()
    )
    assert from_yaml.names == from_json.names == ("AnyPet", "Cat", "Dog", "Owner", "Pet")
    for name in from_yaml.names:
        assert from_yaml.bundle(name) == from_json.bundle(name)
        assert from_yaml.resource(name).origin.endswith(f"#/components/schemas/{name}")


def test_openapi_30_translation() -> None:
    pet = schemakit.load(OPENAPI / "pets-3.0.yaml").schema("Pet")
    props = pet["properties"]
    assert props["nickname"] == {"type": ["string", "null"]}  # nullable: true
    assert props["color"] == {"type": ["string", "null"], "enum": ["black", "white", None]}
    # nullable beside a composition: null or the whole schema
    assert props["owner"]["anyOf"][1] == {"type": "null"}
    assert props["owner"]["anyOf"][0]["allOf"][0]["$ref"].endswith("/components/schemas/Owner")
    assert props["name"] == {"type": "string", "examples": ["Tom"]}  # example -> examples
    assert props["age"] == {"type": "integer", "format": "int32", "exclusiveMinimum": 0}
    assert props["weight"] == {"type": "number", "format": "float", "exclusiveMaximum": 100}
    assert pet["discriminator"]["propertyName"] == "petType"  # kept as an annotation
    assert "nullable" not in json.dumps(pet) and '"example"' not in json.dumps(pet)


@pytest.mark.parametrize(
    ("openapi_30", "draft_2020_12"),
    [
        ({"minimum": 0, "exclusiveMinimum": True}, {"exclusiveMinimum": 0}),
        ({"minimum": 0, "exclusiveMinimum": False}, {"minimum": 0}),
        ({"maximum": 9, "exclusiveMaximum": True}, {"exclusiveMaximum": 9}),
        ({"maximum": 9, "exclusiveMaximum": False}, {"maximum": 9}),
        ({"exclusiveMaximum": True}, {}),
        ({"type": "integer", "nullable": False}, {"type": "integer"}),
        ({"enum": [1, None], "type": "integer", "nullable": True}, None),
        ({"$ref": "#/x", "nullable": True}, {"anyOf": [{"$ref": "#/x"}, {"type": "null"}]}),
        (
            {"items": {"type": "string", "nullable": True, "example": "a"}},
            {"items": {"type": ["string", "null"], "examples": ["a"]}},
        ),
    ],
)
def test_openapi_30_keyword_table(openapi_30: dict[str, Any], draft_2020_12: Any) -> None:
    from schemakit.load.openapi import convert_30_schema

    expected = (
        draft_2020_12
        if draft_2020_12 is not None
        else {"enum": [1, None], "type": ["integer", "null"]}
    )
    assert convert_30_schema(openapi_30) == expected


# (document, valid?) under AnyPet; 3.0 and 3.1 say the same about each.
PET = {"petType": "cat", "name": "Tom"}
PET_CASES: list[tuple[dict[str, Any], bool]] = [
    (PET, True),
    ({**PET, "nickname": None, "owner": None, "color": None}, True),
    ({**PET, "nickname": 5}, False),
    ({**PET, "color": "red"}, False),
    ({**PET, "age": 1, "weight": 99.5, "chip": 2**62, "ratio": 1e300}, True),
    ({**PET, "age": 0}, False),  # exclusiveMinimum: true
    ({**PET, "age": 2**31}, False),  # int32
    ({**PET, "age": 2**31 - 1}, True),
    ({**PET, "weight": 100}, False),  # exclusiveMaximum: true
    ({**PET, "chip": 2**63}, False),  # int64
    ({**PET, "chip": -(2**63)}, True),
    ({**PET, "photo": "aGVsbG8="}, True),  # byte
    ({**PET, "photo": "aGVsbG8"}, False),
    ({**PET, "petType": "cow"}, False),
    ({"petType": "dog", "name": "Rex", "barks": True}, True),
    ({"petType": "dog", "name": "Rex", "barks": "yes"}, False),
    ({**PET, "owner": {"name": "Ann", "pets": [{"petType": "dog", "name": "Rex"}]}}, True),
    ({**PET, "owner": {"pets": [{"petType": "dog"}]}}, False),
    ({"name": "Tom"}, False),
]


@pytest.mark.parametrize("version", ["3.0", "3.1"])
@pytest.mark.parametrize(("document", "valid"), PET_CASES)
def test_openapi_verdicts(version: str, document: dict[str, Any], valid: bool) -> None:
    schema_set = schemakit.load(OPENAPI / f"pets-{version}.yaml")
    validator = schema_set.validator("AnyPet")
    assert validator.is_valid(document) is valid
    assert (validator.errors(document) == []) is valid
    reference = Draft202012Validator(
        schema_set.schema("AnyPet"), registry=schema_set.registry, format_checker=FORMAT_CHECKER
    )
    assert reference.is_valid(document) is valid


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_sentinel_as_openapi_31_document_gives_the_same_verdicts(
    tmp_path: Path, suffix: str, sentinel_upstream: schemakit.SchemaSet
) -> None:
    """The component files, put back into one OpenAPI 3.1 document, load to the same set."""
    components = {
        path.stem: json.loads(path.read_text()) for path in sorted(SENTINEL_DIR.glob("*.json"))
    }
    for schema in components.values():  # as published: no $id, refs into the document
        schema.pop("$id")
        schema.pop("$schema")
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Batch V2", "version": "1"},
        "paths": {},
        "components": {"schemas": components},
    }
    path = tmp_path / f"batch{suffix}"
    path.write_text(yaml.safe_dump(document) if suffix == ".yaml" else json.dumps(document))
    from_document = schemakit.load(path)
    assert from_document.names == sentinel_upstream.names
    task = json.loads((ROOT / "examples" / "task.json").read_text())
    for _file, schema, payload in [*docs_payloads(), ("task", "BatchV2ProcessTask", task)]:
        expected = sentinel_upstream.validator(schema).errors(payload)
        got = from_document.validator(schema).errors(payload)
        assert [(i.pointer, i.rule, i.schema_name) for i in got] == [
            (i.pointer, i.rule, i.schema_name) for i in expected
        ]


# -- broken sets: one named exception each, with the ref, the file and the pointer ------


@dataclasses.dataclass(frozen=True)
class Broken:
    source: str
    error: type[schemakit.SchemakitError]
    where: str  # file relative to REFS/broken, then "#pointer" if any
    message: str  # a fragment of the message
    ref: str | None = None


BROKEN_CASES = [
    Broken(
        "dangling",
        schemakit.UnresolvableRefError,
        "dangling/order.json#/properties/customer/$ref",
        "cannot resolve $ref 'customer.json'",
        "customer.json",
    ),
    Broken(
        "dangling-pointer",
        schemakit.UnresolvableRefError,
        "dangling-pointer/order.json#/properties/total/$ref",
        "JSON pointer points at nothing",
        "#/$defs/money",
    ),
    Broken(
        "dangling-anchor",
        schemakit.UnresolvableRefError,
        "dangling-anchor/order.json#/properties/total/$ref",
        "no such $anchor",
        "money.json#amount",
    ),
    Broken(
        "cycle",
        schemakit.RefCycleError,
        "cycle/b.json#/$ref",
        "$ref cycle with no base case: b.json -> a.json -> b.json",
        "b.json",
    ),
    Broken(
        "allof-self",
        schemakit.RefCycleError,
        "allof-self/node.json#/allOf/0/$ref",
        "$ref cycle with no base case: # -> #",
        "#",
    ),
    Broken(
        "invalid-type",
        schemakit.InvalidSchemaError,
        "invalid-type/thing.json#/properties/size/type",
        "not a valid draft 2020-12 schema",
    ),
    Broken(
        "bad-pattern",
        schemakit.InvalidSchemaError,
        "bad-pattern/code.json#/properties/code/pattern",
        "'([A-Z' is not a 'regex'",
    ),
    Broken("swagger2.yaml", schemakit.SchemaLoadError, "swagger2.yaml", "Swagger version"),
]


@pytest.mark.parametrize("case", BROKEN_CASES, ids=lambda case: case.source)
def test_broken_set_raises_a_named_exception(case: Broken) -> None:
    with pytest.raises(case.error) as caught:
        schemakit.load(BROKEN / case.source)
    error = caught.value
    assert isinstance(error, schemakit.SchemaLoadError)
    assert error.where == str(BROKEN / case.where)
    assert case.message in error.message
    assert "\n" not in str(error) and str(error).startswith(str(BROKEN / case.where))
    if case.ref is not None:
        assert error.ref == case.ref  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("pattern", "accepted"),
    [
        ("^[a-z]+$", True),
        ("(?<=a)b", True),  # lookbehind: the backtracking engine
        ("([A-Z", False),  # invalid everywhere
        ("a\\Z", False),  # Python dialect: the meta-schema check takes it, Rust does not
        ("(?P<n>a)(?P=n)", False),
        # ECMA-262 forms other dialects refuse (ecmaregex.to_rust spells them for Rust)
        ("a{,3}", True),  # a brace that starts no quantifier is a literal
        ("^[\\w-_.]+$", True),  # a hyphen beside a class escape is a literal
        ("^(?<major>0|[1-9]\\d*)$", True),  # a named group
        ("(?<=^v?|\\sv?)1", True),  # lookbehind of any width
    ],
)
def test_patterns_must_compile_in_both_engines(
    tmp_path: Path, pattern: str, accepted: bool
) -> None:
    schema = {"patternProperties": {"^x": {"pattern": pattern}}}
    (tmp_path / "s.json").write_text(json.dumps(schema))
    if accepted:
        schemakit.load(tmp_path).validator("s").is_valid({"x": "ab"})
        return
    with pytest.raises(schemakit.InvalidSchemaError) as caught:
        schemakit.load(tmp_path)
    assert caught.value.where == f"{tmp_path / 's.json'}#/patternProperties/^x/pattern"


def _write(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


@pytest.mark.parametrize(
    ("files", "error", "where", "message"),
    [
        ({"a.json": '{"type": "object",\n  "x": }'}, schemakit.SourceError, "a.json:2:8", "JSON"),
        ({"a.json": '{"type": "object", "type": "array"}'}, schemakit.SourceError, "a.json", "dup"),
        ({"a.yaml": "type: [\n"}, schemakit.SourceError, "a.yaml", "invalid YAML"),
        ({"a.json": "[1, 2]"}, schemakit.InvalidSchemaError, "a.json", "JSON object or boolean"),
        ({"a.json": '{"minimum": NaN}'}, schemakit.SourceError, "a.json:1:13", "NaN"),
        ({"notes.txt": "{}"}, schemakit.SchemaLoadError, "", "no schemas found"),
        (
            {"a.json": '{"$ref": "https://example.com/s.json"}'},
            schemakit.RemoteRefError,
            "a.json#/$ref",
            "network",
        ),
        (
            {"a.json": '{"$ref": "#/components/schemas/Nope"}'},
            schemakit.UnresolvableRefError,
            "a.json#/$ref",
            "no component schema",
        ),
        (
            {
                "a.json": '{"$dynamicAnchor": "n", "anyOf": [{"$dynamicRef": "#n"}]}',
            },
            schemakit.RefCycleError,
            "a.json#/anyOf/0/$dynamicRef",
            "cycle",
        ),
        (
            {"a.json": "{}", "corrections/01.json": '{"title": "t", "reason": "r"}'},
            schemakit.SchemaLoadError,
            "corrections/01.json",
            "correction lacks schema, patch",
        ),
        (
            {
                "a.json": "{}",
                "corrections/01.json": json.dumps(
                    {
                        "title": "t",
                        "reason": "r",
                        "schema": "b",
                        "patch": [],
                        "example": {"schema": "a", "document": {}},
                    }
                ),
            },
            schemakit.SchemaLoadError,
            "corrections/01.json",
            "unknown schema 'b'",
        ),
        (
            {
                "a.json": '{"type": "object"}',
                "corrections/01.json": json.dumps(
                    {
                        "title": "t",
                        "reason": "r",
                        "schema": "a",
                        "patch": [{"op": "test", "path": "/type", "value": "array"}],
                        "example": {"schema": "a", "document": []},
                    }
                ),
            },
            schemakit.SchemaLoadError,
            "corrections/01.json",
            "does not apply",
        ),
    ],
)
def test_broken_files(
    tmp_path: Path,
    files: dict[str, str],
    error: type[schemakit.SchemakitError],
    where: str,
    message: str,
) -> None:
    with pytest.raises(error) as caught:
        schemakit.load(_write(tmp_path, files))
    assert caught.value.where is not None
    assert caught.value.where.startswith(str(tmp_path / where) if where else str(tmp_path))
    assert message in caught.value.message
    assert "\n" not in str(caught.value)


def test_missing_source() -> None:
    with pytest.raises(schemakit.SourceError, match="no such file or directory"):
        schemakit.load(REFS / "does-not-exist")


@pytest.mark.parametrize("version", ["2.0", "3.2.0", "4.0"])
def test_unsupported_openapi_versions(tmp_path: Path, version: str) -> None:
    path = tmp_path / "api.json"
    path.write_text(json.dumps({"openapi": version, "components": {"schemas": {"A": {}}}}))
    with pytest.raises(schemakit.SchemaLoadError, match="unsupported OpenAPI version"):
        schemakit.load(path)


def test_symlink_out_of_the_directory_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text("{}")
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "a.json").symlink_to(outside)
    with pytest.raises(schemakit.SchemaLoadError, match="outside the schema directory"):
        schemakit.load(tmp_path / "set")


# -- the SchemaSet value -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("asked", "suggested"),
    [
        ("BatchV2ProcessTsk", "BatchV2ProcessTask"),
        ("batchv2processtask", "BatchV2ProcessTask"),
        ("S2L2ADatset", "S2L2ADataset"),
    ],
)
def test_unknown_names_suggest_close_ones(
    sentinel: schemakit.SchemaSet, asked: str, suggested: str
) -> None:
    for call in (sentinel.schema, sentinel.bundle, sentinel.validator, sentinel.resource):
        with pytest.raises(schemakit.UnknownSchemaError) as caught:
            call(asked)
        assert caught.value.suggestions[0] == suggested
        assert f"did you mean '{suggested}'" in str(caught.value)


def test_unknown_name_without_anything_close(sentinel: schemakit.SchemaSet) -> None:
    with pytest.raises(schemakit.UnknownSchemaError) as caught:
        sentinel.schema("Zzzzzz")
    assert caught.value.suggestions == []
    assert str(caught.value) == "unknown schema 'Zzzzzz'"


def test_schema_and_bundle_are_copies(sentinel: schemakit.SchemaSet) -> None:
    before = copy.deepcopy(sentinel.schema("BatchV2ProcessTask"))
    sentinel.schema("BatchV2ProcessTask")["properties"].clear()
    sentinel.bundle("BatchV2ProcessTask")["$defs"].clear()
    assert sentinel.schema("BatchV2ProcessTask") == before
    assert sentinel.bundle("BatchV2ProcessTask")["$defs"]


def test_schema_set_is_frozen(sentinel: schemakit.SchemaSet) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        sentinel.source = "elsewhere"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        sentinel.resource("View").name = "Other"  # type: ignore[misc]
    assert isinstance(sentinel.resources, tuple)


def test_pickle_round_trip(sentinel: schemakit.SchemaSet) -> None:
    sentinel.validator("BatchV2ProcessTask")  # caches must not travel
    restored = pickle.loads(pickle.dumps(sentinel))
    assert restored == sentinel
    assert restored.names == sentinel.names
    assert restored.bundle("BatchV2ProcessTask") == sentinel.bundle("BatchV2ProcessTask")
    assert "_validator_cache" not in restored.__dict__
    task = json.loads((ROOT / "examples" / "task.json").read_text())
    assert restored.validator("BatchV2ProcessTask").is_valid(task)
    assert len(pickle.dumps(sentinel)) < 4 * len(
        json.dumps([r.contents for r in sentinel.resources])
    )


def _verdicts(schema_set: schemakit.SchemaSet, documents: list[tuple[str, Any]]) -> list[bool]:
    return [schema_set.validator(schema).is_valid(document) for schema, document in documents]


def _pointers(validator: schemakit.Validator, document: Any) -> list[str]:
    return [issue.pointer for issue in validator.errors(document)]


def test_schema_set_and_validator_work_in_worker_processes(
    sentinel: schemakit.SchemaSet,
) -> None:
    documents = [(schema, document) for _file, schema, document in docs_payloads()]
    expected = _verdicts(sentinel, documents)
    assert True in expected and False in expected
    validator = sentinel.validator("BatchV2ProcessRequest")
    request = documents[1][1]
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
        assert pool.submit(_verdicts, sentinel, documents).result() == expected
        broken = {**request, "output": {"type": "raster"}}
        assert pool.submit(_pointers, validator, broken).result() == _pointers(validator, broken)


def test_corrected_and_upstream_sets_differ_only_by_the_corrections(
    sentinel: schemakit.SchemaSet, sentinel_upstream: schemakit.SchemaSet
) -> None:
    patched = {correction.schema for correction in sentinel.corrections}
    for name in sentinel.names:
        same = sentinel.schema(name) == sentinel_upstream.schema(name)
        assert same is (name not in patched), name


def test_a_copied_directory_loads_like_the_original(
    tmp_path: Path, sentinel: schemakit.SchemaSet
) -> None:
    copied = tmp_path / "sentinel"
    shutil.copytree(SENTINEL_DIR, copied)
    schema_set = schemakit.load(copied)
    assert schema_set.names == sentinel.names
    assert schema_set.bundle("BatchV2ProcessTask") == sentinel.bundle("BatchV2ProcessTask")
