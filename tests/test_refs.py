"""Every kind of ``$ref`` resolves, errors point into the right schema, and bundles are
self-contained and give plain ``jsonschema`` and ``jsonschema-rs`` the same verdicts."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry

import schemakit
from conftest import ROOT, docs_payloads
from schemakit.core.formats import FORMAT_CHECKER, NUMERIC_FORMATS
from schemakit.core.walk import iter_subschemas

REFS = ROOT / "tests" / "data" / "refs"
SOURCES = {
    "set": REFS / "set",
    "tree": REFS / "tree",
    "single": REFS / "single" / "item.json",
    "pets-3.0": REFS / "openapi" / "pets-3.0.yaml",
    "pets-3.1": REFS / "openapi" / "pets-3.1.json",
}


@pytest.fixture(scope="module")
def sets() -> dict[str, schemakit.SchemaSet]:
    return {key: schemakit.load(path) for key, path in SOURCES.items()}


PERSON: dict[str, Any] = {
    "name": "Ann",
    "id": "5ef87410-307e-4171-9fea-b4d4e638964e",
    "home": {"street": "Main", "country": "DE", "geo": {"lat": 1, "lon": 2}},
    "street": "Side",
    "country": "FR",
    "position": {"lat": 0, "lon": -180},
    "children": [{"name": "Bo", "children": [{"name": "Cy"}]}],
    "pet": {"species": "cat", "owner": {"name": "Ann"}, "favourite": "ball"},
}


def edit(document: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``document`` with the value at ``path`` (a/b/0/c) set; ``...`` removes it."""
    result: dict[str, Any] = json.loads(json.dumps(document))
    *parents, last = path.split("/")
    node: Any = result
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if value is ...:
        del node[last]
    else:
        node[int(last) if isinstance(node, list) else last] = value
    return result


@dataclasses.dataclass(frozen=True)
class Case:
    source: str
    schema: str
    document: Any
    issues: tuple[tuple[str, str], ...]  # (document pointer, "schema#rule location")
    numeric_format: bool = False  # plain jsonschema-rs does not know OpenAPI number formats

    def __str__(self) -> str:
        return f"{self.source}:{self.schema}:{self.issues}"


CASES = [
    Case("set", "person", PERSON, ()),
    Case("set", "person", {"name": "Solo"}, ()),
    # $id-relative ref, then a JSON pointer inside the target
    Case(
        "set",
        "person",
        edit(PERSON, "home/country", "de"),
        (("/home/country", "address#/$defs/country/pattern"),),
    ),
    # address#/$defs/country: a pointer into another resource
    Case(
        "set",
        "person",
        edit(PERSON, "country", "F"),
        (("/country", "address#/$defs/country/pattern"),),
    ),
    # address#street: an $anchor
    Case(
        "set",
        "person",
        edit(PERSON, "street", ""),
        (("/street", "address#/properties/street/minLength"),),
    ),
    # a nested $id resource, by its absolute URI and by a relative ref from its parent
    Case(
        "set",
        "person",
        edit(PERSON, "position/lat", 200),
        (("/position/lat", "address#/$defs/geo/$defs/degrees/maximum"),),
    ),
    Case(
        "set",
        "person",
        edit(PERSON, "home/geo/lon", ...),
        (("/home/geo", "address#/$defs/geo/required"),),
    ),
    # recursion through "#"
    Case(
        "set",
        "person",
        edit(PERSON, "children/0/children/0/name", ""),
        (("/children/0/children/0/name", "person#/$defs/name/minLength"),),
    ),
    Case(
        "set",
        "person",
        edit(PERSON, "children/0/name", ...),
        (("/children/0", "person#/required"),),
    ),
    # #/components/schemas/sub~1pet across files, then ../person.json back
    Case(
        "set",
        "person",
        edit(PERSON, "pet/species", "cow"),
        (("/pet/species", "sub/pet#/properties/species/enum"),),
    ),
    Case("set", "person", edit(PERSON, "pet/owner", {}), (("/pet/owner", "person#/required"),)),
    # a YAML schema, by a file-relative ref with a pointer
    Case(
        "set",
        "person",
        edit(PERSON, "pet/favourite", "kite"),
        (("/pet/favourite", "sub/toy#/properties/kind/enum"),),
    ),
    Case("set", "person", edit(PERSON, "id", "nope"), (("/id", "person#/properties/id/format"),)),
    Case(
        "set",
        "person",
        edit(PERSON, "nickname", "A"),
        (("", "person#/additionalProperties"),),
    ),
    Case(
        "set",
        "person",
        edit(edit(PERSON, "street", ""), "pet/species", "cow"),
        (
            ("/pet/species", "sub/pet#/properties/species/enum"),
            ("/street", "address#/properties/street/minLength"),
        ),
    ),
    Case("set", "sub/pet", {"species": "dog", "owner": {"name": "Z"}}, ()),
    Case(
        "set",
        "sub/pet",
        {"species": "dog", "owner": {"name": 1}},
        (("/owner/name", "person#/$defs/name/type"),),
    ),
    # $dynamicRef: the extensible tree
    Case("tree", "tree", {"data": 1, "children": [{"extra": True, "children": [{}]}]}, ()),
    Case("tree", "strict-tree", {"data": 1, "children": [{"data": 2, "children": [{}]}]}, ()),
    Case(
        "tree",
        "strict-tree",
        {"children": [{"children": [{"daat": 1}]}]},
        (("/children/0/children/0", "strict-tree#/unevaluatedProperties"),),
    ),
    Case("tree", "strict-tree", {"daat": 1}, (("", "strict-tree#/unevaluatedProperties"),)),
    Case(
        "tree",
        "tree",
        {"children": [{"children": 5}]},
        (("/children/0/children", "tree#/properties/children/type"),),
    ),
    # a single file: local $anchor and recursion
    Case("single", "item", {"sku": "ABC-1234", "parts": [{"sku": "XYZ-0001", "parts": []}]}, ()),
    Case(
        "single",
        "item",
        {"sku": "ABC-1234", "parts": [{"sku": "bad"}], "price": 0},
        (
            ("/parts/0/sku", "item#/$defs/sku/pattern"),
            ("/price", "item#/$defs/money/exclusiveMinimum"),
        ),
    ),
    # OpenAPI components referencing each other (and themselves through Owner.pets)
    Case("pets-3.0", "Owner", {"pets": [{"petType": "dog", "name": "Rex", "owner": None}]}, ()),
    Case(
        "pets-3.0",
        "Owner",
        {"pets": [{"petType": "dog", "name": "Rex", "owner": {"pets": [{"petType": "cat"}]}}]},
        (("/pets/0/owner/pets/0", "Pet#/required"),),
    ),
    Case(
        "pets-3.1",
        "Cat",
        {"petType": "cat", "name": "Tom", "age": 2**31},
        (("/age", "Pet#/properties/age/format"),),
        numeric_format=True,
    ),
    Case("pets-3.1", "Cat", {"petType": "cat", "name": "Tom", "nickname": None}, ()),
]


def refusing_registry() -> Registry[Any]:
    def retrieve(uri: str) -> Any:
        raise AssertionError(f"tried to retrieve {uri}")

    return Registry(retrieve=retrieve)  # type: ignore[call-arg]


def _refuse(uri: str) -> Any:
    raise AssertionError(f"tried to retrieve {uri}")


def plain_rs(bundle: dict[str, Any]) -> Any:
    """jsonschema-rs as anyone would use it: its own formats, except the string formats
    it does not know, which get the reference's functions; never the network."""
    formats = {
        name: (lambda value, name=name: FORMAT_CHECKER.conforms(value, name))
        for name in FORMAT_CHECKER.checkers
        if name not in NUMERIC_FORMATS
    }
    return jsonschema_rs.validator_for(
        bundle, validate_formats=True, formats=formats, retriever=_refuse
    )


@pytest.mark.parametrize("case", CASES, ids=str)
def test_refs_resolve_and_errors_point_into_the_right_schema(
    sets: dict[str, schemakit.SchemaSet], case: Case
) -> None:
    validator = sets[case.source].validator(case.schema)
    issues = validator.errors(case.document)
    assert [(issue.pointer, issue.where_in_schema) for issue in issues] == list(case.issues)
    assert validator.is_valid(case.document) is (not case.issues)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bundle_gives_every_engine_the_same_verdict(
    sets: dict[str, schemakit.SchemaSet], case: Case
) -> None:
    schema_set = sets[case.source]
    valid = not case.issues
    bundle = schema_set.bundle(case.schema)
    unbundled = Draft202012Validator(
        {"$ref": schema_set.uri(case.schema)},
        registry=schema_set.registry,
        format_checker=FORMAT_CHECKER,
    )
    bundled = Draft202012Validator(
        bundle, registry=refusing_registry(), format_checker=FORMAT_CHECKER
    )
    assert unbundled.is_valid(case.document) is valid
    assert bundled.is_valid(case.document) is valid
    if not case.numeric_format:
        assert plain_rs(bundle).is_valid(case.document) is valid


def all_bundles() -> list[tuple[str, str]]:
    sources = [*SOURCES, "sentinel", "sentinel-upstream"]
    return [(source, name) for source in sources for name in _names(source)]


def _load(source: str) -> schemakit.SchemaSet:
    if source.startswith("sentinel"):
        return schemakit.load(upstream=source.endswith("upstream"))
    return schemakit.load(SOURCES[source])


def _names(source: str) -> tuple[str, ...]:
    return _load(source).names


@pytest.fixture(scope="module")
def loaded() -> dict[str, schemakit.SchemaSet]:
    return {source: _load(source) for source in [*SOURCES, "sentinel", "sentinel-upstream"]}


def _refs(bundle: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (keyword, node[keyword])
        for node, _base, _pointer in iter_subschemas(bundle, "")
        for keyword in ("$ref", "$dynamicRef", "$id", "$anchor", "$dynamicAnchor")
        if keyword in node and (keyword != "$id" or _pointer)
    ]


@pytest.mark.parametrize(("source", "name"), all_bundles())
def test_bundle_is_self_contained(
    loaded: dict[str, schemakit.SchemaSet], source: str, name: str
) -> None:
    bundle = loaded[source].bundle(name)
    assert bundle["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    json.dumps(bundle)  # plain JSON
    for keyword, value in _refs(bundle):
        assert keyword == "$ref", (keyword, value)
        assert value.startswith("#"), value
    # Every ref resolves inside the bundle alone; building a validator crawls them all.
    Draft202012Validator(bundle, registry=refusing_registry()).is_valid({})
    plain_rs(bundle).is_valid({})
    root_id = bundle.get("$id", "")
    assert not root_id.startswith("https://schemakit.invalid/")


def test_sentinel_bundles_give_every_engine_the_same_verdicts(
    sentinel: schemakit.SchemaSet, sentinel_upstream: schemakit.SchemaSet
) -> None:
    task = json.loads((ROOT / "examples" / "task.json").read_text())
    payloads = [(schema, document) for _f, schema, document in docs_payloads()]
    payloads.append(("BatchV2ProcessTask", task))
    for schema_set in (sentinel, sentinel_upstream):
        verdicts = set()
        for schema, document in payloads:
            bundle = schema_set.bundle(schema)
            expected = schema_set.validator(schema).is_valid(document)
            verdicts.add(expected)
            reference = Draft202012Validator(
                bundle, registry=refusing_registry(), format_checker=FORMAT_CHECKER
            )
            assert reference.is_valid(document) is expected
            assert plain_rs(bundle).is_valid(document) is expected
        assert verdicts == {True, False}


def test_bundle_places_every_referenced_schema_under_defs(sentinel: schemakit.SchemaSet) -> None:
    bundle = sentinel.bundle("BatchV2ProcessTask")
    defs = set(bundle["$defs"])
    assert {"BatchV2ProcessRequest", "S2L2ADataset", "MaxCloudCoverage"} <= defs
    assert "BatchV2ProcessTask" not in defs and "View" not in defs  # root; unreferenced
    targets = {value.split("/")[2] for _k, value in _refs(bundle) if value.startswith("#/$defs/")}
    assert targets == defs


def _write(directory: Path, files: dict[str, Any]) -> Path:
    for name, schema in files.items():
        (directory / name).write_text(json.dumps(schema))
    return directory


def test_dynamic_ref_that_depends_on_the_path_is_bundled_whole(tmp_path: Path) -> None:
    """root -> a -> c resolves c's $dynamicRef to a; root -> c resolves it to c: the
    bundle keeps the resources (with their $ids) so validation follows the path."""
    schema_set = schemakit.load(
        _write(
            tmp_path,
            {
                "a.json": {
                    "$id": "https://e.com/a",
                    "$dynamicAnchor": "n",
                    "properties": {"x": {"$ref": "c"}},
                },
                "c.json": {
                    "$id": "https://e.com/c",
                    "$dynamicAnchor": "n",
                    "type": "object",
                    "properties": {"y": {"$dynamicRef": "#n"}},
                },
                "root.json": {
                    "$id": "https://e.com/root",
                    "properties": {"a": {"$ref": "a"}, "c": {"$ref": "c"}},
                },
            },
        )
    )
    bundle = schema_set.bundle("root")
    assert bundle["$defs"]["a"]["$id"] == "https://e.com/a"
    assert bundle["$defs"]["c"]["properties"]["y"] == {"$dynamicRef": "#n"}
    documents = [
        {"a": {"x": {"y": {"x": 5}}}},  # c reached through a: "#n" is a, x must be an object
        {"a": {"x": {"y": {"y": 5}}}},
        {"c": {"y": {"y": 5}}},  # c reached directly: "#n" is c
        {"c": {"y": {"x": 5}}},
    ]
    root = Draft202012Validator(schema_set.schema("root"), registry=schema_set.registry)
    verdicts = [schema_set.validator("root").is_valid(doc) for doc in documents]
    assert verdicts == [root.is_valid(doc) for doc in documents]
    assert verdicts == [False, True, False, True]
    # Starting at a or c, there is one answer, and the bundle matches the registry.
    for name, document in [("a", {"x": {"y": {"x": 5}}}), ("c", {"y": {"y": 5}})]:
        unbundled = Draft202012Validator(schema_set.schema(name), registry=schema_set.registry)
        for doc in (document, {"x": {}}, {"y": {}}):
            assert schema_set.validator(name).is_valid(doc) is unbundled.is_valid(doc), (name, doc)
