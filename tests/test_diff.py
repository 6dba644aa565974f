"""``schemakit diff``: each kind of edit shows up as the change it is, proved by a document that
plain ``jsonschema`` (with every format checker) also tells apart; refactors are no change;
OpenAPI operations pair by method + path; the published vs corrected Sentinel Hub set shows
each correction; the CLI's exit codes and one-line errors hold."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

import schemakit
from schemakit.cli import main
from schemakit.core.formats import FORMAT_CHECKER
from schemakit.diff import DiffReport, Direction, diff
from schemakit.diff.normal import Normaliser
from schemakit.diff.render import terminal_progress
from schemakit.diff.versions import Version
from schemakit.load.corrections import load_corrections
from schemakit.load.loader import bundled_schemas_dir

NARROWED, WIDENED = Direction.narrowed, Direction.widened
BUDGET = 10.0  # generous: a found witness returns at once; only failures use all of it


# -- helpers ----------------------------------------------------------------------------------


def write_set(folder: Path, schemas: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, schema in schemas.items():
        (folder / f"{name}.json").write_text(json.dumps(schema))
    return folder


def compare(tmp_path: Path, old: dict[str, Any], new: dict[str, Any], **options: Any) -> DiffReport:
    old_dir = write_set(tmp_path / "old", old)
    new_dir = write_set(tmp_path / "new", new)
    report = diff(str(old_dir), str(new_dir), budget=options.pop("budget", BUDGET), **options)
    recheck(report, schemakit.load(old_dir), schemakit.load(new_dir))
    return report


def recheck(report: DiffReport, old_set: schemakit.SchemaSet, new_set: schemakit.SchemaSet) -> None:
    """Every proved witness, checked again with plain jsonschema on both versions' bundles."""
    old, new = Version(old_set, "old"), Version(new_set, "new")
    for finding in report.proved():
        assert finding.schema in old.set and finding.schema in new.set, finding
        accepts, rejects = (old, new) if finding.direction is NARROWED else (new, old)
        accepted = accepts.bundle(finding.schema)
        rejected = rejects.bundle(finding.schema)
        check = Draft202012Validator(accepted, format_checker=FORMAT_CHECKER)
        assert check.is_valid(finding.witness), finding
        check = Draft202012Validator(rejected, format_checker=FORMAT_CHECKER)
        assert not check.is_valid(finding.witness), finding


def proved(report: DiffReport, schema: str = "T") -> set[tuple[Direction, str]]:
    return {(f.direction, f.pointer) for f in report.findings if f.proved and f.schema == schema}


def directions(report: DiffReport, schema: str = "T") -> set[Direction]:
    return {f.direction for f in report.findings if f.proved and f.schema == schema}


OBJECT = {"type": "object", "properties": {"name": {"type": "string"}}}


def with_(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    result = copy.deepcopy(base)
    result.update(changes)
    return result


# -- the table of edits -----------------------------------------------------------------------

# (id, OLD, NEW, the proved directions, the keyword pointer reported)
EDITS = [
    ("enum value added", {"enum": ["a", "b"]}, {"enum": ["a", "b", "c"]}, {WIDENED}, "/enum"),
    ("enum value removed", {"enum": ["a", "b", "c"]}, {"enum": ["a", "c"]}, {NARROWED}, "/enum"),
    (
        "maximum tightened",
        {"type": "number", "maximum": 100},
        {"type": "number", "maximum": 50},
        {NARROWED},
        "/maximum",
    ),
    (
        "minimum loosened",
        {"type": "integer", "minimum": 10},
        {"type": "integer", "minimum": 0},
        {WIDENED},
        "/minimum",
    ),
    ("required added", OBJECT, with_(OBJECT, required=["name"]), {NARROWED}, "/required"),
    (
        "optional typed property added to an open object",
        OBJECT,
        with_(OBJECT, properties={"name": {"type": "string"}, "size": {"type": "integer"}}),
        {NARROWED},
        "/properties/size",
    ),
    (
        "property removed from a closed object",
        with_(
            OBJECT,
            properties={"name": {"type": "string"}, "size": {"type": "integer"}},
            additionalProperties=False,
        ),
        with_(OBJECT, additionalProperties=False),
        {NARROWED},
        "/properties/size",
    ),
    (
        "property added to a closed object",
        with_(OBJECT, additionalProperties=False),
        with_(
            OBJECT,
            properties={"name": {"type": "string"}, "size": {"type": "integer"}},
            additionalProperties=False,
        ),
        {WIDENED},
        "/properties/size",
    ),
    (
        "pattern widened",
        {"type": "string", "pattern": "^[a-z]{3}$"},
        {"type": "string", "pattern": "^[a-z]{2,4}$"},
        {WIDENED},
        "/pattern",
    ),
    (
        "minItems lowered",
        {"type": "array", "items": {"type": "integer"}, "minItems": 2},
        {"type": "array", "items": {"type": "integer"}, "minItems": 1},
        {WIDENED},
        "/minItems",
    ),
    ("integer to number", {"type": "integer"}, {"type": "number"}, {WIDENED}, "/type"),
    (
        "oneOf branch added",
        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]},
        {WIDENED},
        "/oneOf",
    ),
    (
        "oneOf branch removed",
        {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]},
        {"oneOf": [{"type": "string"}, {"type": "boolean"}]},
        {NARROWED},
        "/oneOf",
    ),
    (
        "oneOf branch added that overlaps: integers now match twice",
        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "number"}]},
        {NARROWED, WIDENED},
        "/oneOf",
    ),
    (
        "anyOf branch added",
        {"anyOf": [{"type": "string"}, {"type": "null"}]},
        {"anyOf": [{"type": "string"}, {"type": "null"}, {"type": "integer"}]},
        {WIDENED},
        "/anyOf",
    ),
    (
        "format added",
        {"type": "string"},
        {"type": "string", "format": "date-time"},
        {NARROWED},
        "/format",
    ),
    (
        "bound inside an array of objects",
        {"type": "array", "items": {"type": "object", "properties": {"n": {"maximum": 9}}}},
        {"type": "array", "items": {"type": "object", "properties": {"n": {"maximum": 5}}}},
        {NARROWED},
        "/items/properties/n/maximum",
    ),
    (
        "enum changed both ways",
        {"enum": ["a", "b"]},
        {"enum": ["b", "c"]},
        {NARROWED, WIDENED},
        "/enum",
    ),
    ("const changed", {"const": 1}, {"const": 2}, {NARROWED, WIDENED}, "/const"),
    (
        "additionalProperties closed",
        OBJECT,
        with_(OBJECT, additionalProperties=False),
        {NARROWED},
        "/additionalProperties",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "expected", "pointer"), [e[1:] for e in EDITS], ids=[e[0] for e in EDITS]
)
def test_each_edit_is_the_change_it_is(
    tmp_path: Path, old: Any, new: Any, expected: set[Direction], pointer: str
) -> None:
    report = compare(tmp_path, {"T": old}, {"T": new})
    assert directions(report) == expected, [f.to_dict() for f in report.findings]
    assert all(f.pointer == pointer for f in report.proved()), report.proved()
    unsettled = {f.direction for f in report.findings if not f.proved}
    # A regex change may go both ways; where it cannot, no witness exists and none is claimed.
    assert unsettled == ({NARROWED} if pointer == "/pattern" else set())
    assert report.unchanged == ()
    assert report.exit_code() == 1


def test_findings_carry_what_a_user_needs(tmp_path: Path) -> None:
    report = compare(
        tmp_path,
        {"T": {"type": "number", "maximum": 100, "description": "old"}},
        {"T": {"type": "number", "maximum": 50, "description": "new"}},
    )
    [finding] = report.findings
    assert finding.change == "maximum-lowered"
    assert finding.message == "maximum lowered from 100 to 50"
    assert finding.side == "new" and finding.at == "T"
    assert finding.file.endswith("new/T.json") and finding.file_pointer == "/maximum"
    assert 50 < finding.witness <= 100  # what the change rejects, nothing else
    assert "senders" in finding.breaks
    data = finding.to_dict()
    assert data["witness"] == finding.witness and data["proved"] is True


def test_witnesses_are_put_in_place_inside_whole_documents(tmp_path: Path) -> None:
    item = {
        "type": "object",
        "properties": {"kind": {"enum": ["a", "b", "c"]}, "size": {"type": "integer"}},
        "required": ["kind", "size"],
    }
    old: dict[str, Any] = {
        "type": "object",
        "properties": {"id": {"type": "string"}, "items": {"type": "array", "items": item}},
        "required": ["id", "items"],
    }
    new = copy.deepcopy(old)
    new["properties"]["items"]["items"]["properties"]["kind"]["enum"] = ["a", "c"]
    report = compare(tmp_path, {"T": old}, {"T": new})
    [finding] = report.findings
    assert finding.direction is NARROWED
    assert finding.pointer == "/properties/items/items/properties/kind/enum"
    witness = finding.witness
    assert isinstance(witness, dict) and set(witness) == {"id", "items"}
    assert any(entry.get("kind") == "b" for entry in witness["items"])


# -- no change ----------------------------------------------------------------------------------

REFACTORS = [
    ("reordered enum", {"enum": ["a", "b", "c"]}, {"enum": ["c", "a", "b"]}),
    (
        "reordered required",
        with_(OBJECT, required=["name", "size"]),
        with_(OBJECT, required=["size", "name"]),
    ),
    (
        "inline enum moved to a $ref",
        with_(OBJECT, properties={"s": {"type": "string", "enum": ["on", "off"]}}),
        with_(
            OBJECT,
            properties={"s": {"$ref": "#/$defs/State"}},
            **{"$defs": {"State": {"type": "string", "enum": ["off", "on"]}}},
        ),
    ),
    (
        "renamed $defs",
        {"properties": {"a": {"$ref": "#/$defs/Old"}}, "$defs": {"Old": {"type": "integer"}}},
        {"properties": {"a": {"$ref": "#/$defs/New"}}, "$defs": {"New": {"type": "integer"}}},
    ),
    (
        "descriptions, titles and examples",
        {"type": "string", "description": "a", "examples": ["x"], "title": "A"},
        {"type": "string", "description": "b", "examples": ["y"], "default": "z"},
    ),
    (
        "a recursive $defs renamed",
        {
            "$ref": "#/$defs/Node",
            "$defs": {"Node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/Node"}}}},
        },
        {
            "$ref": "#/$defs/Link",
            "$defs": {"Link": {"properties": {"next": {"$ref": "#/$defs/Link"}}, "type": "object"}},
        },
    ),
    ("a format nobody asserts", {"type": "string"}, {"type": "string", "format": "color"}),
    ("a one-value enum is a const", {"enum": ["x"], "type": "string"}, {"const": "x"}),
    (
        "a subschema wrapped in a one-branch allOf",
        {"properties": {"a": {"allOf": [{"$ref": "#/$defs/A"}]}}, "$defs": {"A": {"minimum": 1}}},
        {"properties": {"a": {"minimum": 1, "description": "inline now"}}},
    ),
]


@pytest.mark.parametrize(("old", "new"), [r[1:] for r in REFACTORS], ids=[r[0] for r in REFACTORS])
def test_refactors_are_no_change(tmp_path: Path, old: Any, new: Any) -> None:
    report = compare(tmp_path, {"T": old}, {"T": new})
    assert report.findings == () and report.changes == ()
    assert report.unchanged == ("T",)
    assert report.exit_code() == 0
    assert "1 unchanged (identical after normalising refs" in report.summary()


def test_inline_schema_moved_to_another_named_schema(tmp_path: Path) -> None:
    old = {"T": with_(OBJECT, properties={"s": {"enum": ["on", "off"]}})}
    new = {
        "T": with_(OBJECT, properties={"s": {"$ref": "State.json"}}),
        "State": {"enum": ["off", "on"], "description": "moved out"},
    }
    report = compare(tmp_path, old, new)
    assert report.findings == () and report.unchanged == ("T",)
    assert [(c.kind, c.name) for c in report.changes] == [("schema-added", "State")]
    assert report.exit_code() == 0


def test_openapi_30_and_31_spellings_of_one_api_are_no_change() -> None:
    """nullable vs a null type, boolean vs numeric exclusiveMinimum, enum [x] vs const x,
    allOf around a $ref: the translations accept the same documents, proved without search."""
    refs = Path(__file__).parent / "data" / "refs" / "openapi"
    report = diff(str(refs / "pets-3.0.yaml"), str(refs / "pets-3.1.yaml"), budget=BUDGET)
    assert report.findings == () and report.changes == () and report.through_refs == {}
    assert report.unchanged == ("AnyPet", "Cat", "Dog", "Owner", "Pet")


def test_normal_form_is_the_same_for_a_ref_and_its_target() -> None:
    inline = Normaliser({"properties": {"a": {"type": "integer", "title": "A"}}})
    by_ref = Normaliser(
        {"properties": {"a": {"$ref": "#/$defs/A"}}, "$defs": {"A": {"type": ["integer"]}}}
    )
    assert inline.text("") == by_ref.text("")
    assert inline.text("/properties/a") == by_ref.text("/$defs/A")


# -- added, removed, renamed, changed through refs ---------------------------------------------


def test_added_removed_and_renamed_schemas(tmp_path: Path) -> None:
    old = {"Keep": {"type": "string"}, "Gone": {"type": "integer"}, "Before": {"enum": [1, 2]}}
    new = {"Keep": {"type": "string"}, "Fresh": {"type": "boolean"}, "After": {"enum": [2, 1]}}
    report = compare(tmp_path, old, new)
    kinds = {(c.kind, c.name, c.old_name) for c in report.changes}
    assert kinds == {
        ("schema-renamed", "After", "Before"),
        ("schema-removed", "Gone", None),
        ("schema-added", "Fresh", None),
    }
    assert report.findings == () and report.unchanged == ("Keep",)
    assert report.exit_code() == 0  # nothing proved changes the accepted documents


def test_a_change_reached_through_a_ref_is_reported_once(tmp_path: Path) -> None:
    leaf = {"type": "integer", "maximum": 10}
    old: dict[str, Any] = {
        "Leaf": leaf,
        "Top": {"type": "object", "properties": {"n": {"$ref": "Leaf.json"}}},
    }
    new = copy.deepcopy(old)
    new["Leaf"]["maximum"] = 5
    report = compare(tmp_path, old, new)
    assert {(f.schema, f.direction) for f in report.findings} == {("Leaf", NARROWED)}
    assert report.through_refs == {"Top": ("Leaf",)}
    assert report.findings[0].used_by == ("Top",)


def test_a_narrowed_branch_widens_the_oneof_that_holds_it(tmp_path: Path) -> None:
    """The BYOC correction in small: a catch-all branch gets a pattern, so a document that
    matched two branches (invalid) now matches one (valid)."""
    old: dict[str, Any] = {
        "Any": {"type": "object", "properties": {"type": {"type": "string"}}, "required": ["type"]},
        "Fixed": {"type": "object", "properties": {"type": {"enum": ["s2"]}}, "required": ["type"]},
        "Data": {"oneOf": [{"$ref": "Fixed.json"}, {"$ref": "Any.json"}]},
    }
    new = copy.deepcopy(old)
    new["Any"]["properties"]["type"]["pattern"] = "^byoc-"
    report = compare(tmp_path, old, new)
    assert proved(report, "Any") == {(NARROWED, "/properties/type/pattern")}
    data = {f.direction: f for f in report.findings if f.schema == "Data"}
    assert data[WIDENED].proved and data[WIDENED].witness["type"] == "s2"
    assert data[WIDENED].change == "changed-through-ref"
    assert data[NARROWED].proved and not data[NARROWED].witness["type"].startswith("byoc-")


def test_refs_into_another_schema_and_recursion_between_files(tmp_path: Path) -> None:
    """person refers into address (``address#/$defs/country``) and to itself; person and
    sub/pet refer to each other. A change is reported once, in the schema that holds it."""
    source = Path(__file__).parent / "data" / "refs" / "set"
    new = tmp_path / "new"
    shutil.copytree(source, new)
    address = json.loads((new / "address.json").read_text())
    address["$defs"]["country"]["pattern"] = "^[A-Z]{3}$"
    (new / "address.json").write_text(json.dumps(address))
    person = json.loads((new / "person.json").read_text())
    person["$defs"]["name"]["maxLength"] = 5
    (new / "person.json").write_text(json.dumps(person))
    report = diff(str(source), str(new), budget=BUDGET)
    recheck(report, schemakit.load(source), schemakit.load(new))
    assert {(f.schema, f.pointer, f.direction) for f in report.proved()} == {
        ("address", "/$defs/country/pattern", NARROWED),
        ("address", "/$defs/country/pattern", WIDENED),
        ("person", "/$defs/name/maxLength", NARROWED),
    }
    assert report.through_refs == {"sub/pet": ("person",)}


def test_import_schemakit_stays_light_and_the_package_is_the_function() -> None:
    script = (
        "import sys, schemakit\n"
        "assert 'hypothesis' not in sys.modules and 'schemakit.diff' not in sys.modules\n"
        "report = schemakit.diff(schemakit.load(), schemakit.load(), budget=0)\n"
        "assert report.findings == () and len(report.unchanged) == 71\n"
        "from schemakit.diff import diff\n"
        "assert callable(schemakit.diff) and diff is not schemakit.diff\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def test_no_progress_bar_off_a_terminal() -> None:
    with terminal_progress(enabled=True) as progress:
        assert progress is None  # pytest captures stderr


# -- determinism, budget, documents ---------------------------------------------------------------


def test_same_seed_same_report(tmp_path: Path) -> None:
    old = {"T": {"type": "object", "properties": {"a": {"type": "string", "maxLength": 9}}}}
    new = {"T": {"type": "object", "properties": {"a": {"type": "string", "maxLength": 4}}}}
    first = compare(tmp_path, old, new, seed=7)
    again = compare(tmp_path, old, new, seed=7)
    assert first.to_dict() == again.to_dict()


def test_no_budget_means_not_proved_never_a_false_witness(tmp_path: Path) -> None:
    report = compare(tmp_path, {"T": {"maximum": 9}}, {"T": {"maximum": 5}}, budget=0.0)
    [finding] = report.findings
    assert not finding.proved and finding.witness is None
    assert report.exit_code() == 0  # only proved changes fail
    assert "not proved" in report.summary()


def test_recorded_documents_that_no_longer_pass(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "ok.json").write_text('{"size": 3}')
    (docs / "big.json").write_text('{"size": 30}')
    (docs / "lines.jsonl").write_text('{"size": 1}\n{"size": 12}\n')
    old = {"T": {"type": "object", "properties": {"size": {"maximum": 100}}}}
    new = {"T": {"type": "object", "properties": {"size": {"maximum": 10}}}}
    report = compare(tmp_path, old, new, documents=[str(docs)])
    rejected = [f for f in report.findings if f.change == "document-rejected"]
    assert sorted(f.witness_source for f in rejected) == [
        f"{docs / 'big.json'}",
        f"{docs / 'lines.jsonl'}:2",
    ]
    assert all(f.pointer == "/properties/size/maximum" for f in rejected)


# -- OpenAPI operations ---------------------------------------------------------------------------


def openapi(
    paths: dict[str, Any], schemas: dict[str, Any], version: str = "3.1.0"
) -> dict[str, Any]:
    return {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def pets_api(version: str, *, edited: bool) -> dict[str, Any]:
    pet = {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
    status = ["available", "sold"] + (["pending"] if edited else [])
    paths: dict[str, Any] = {
        "/pets/{" + ("petId" if edited else "id") + "}": {
            "get": {
                "parameters": [
                    {
                        "name": "petId" if edited else "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    },
                    {
                        "name": "verbose",
                        "in": "query",
                        "required": edited,
                        "schema": {"type": "boolean"},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "a pet",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "pet": {"$ref": "#/components/schemas/Pet"},
                                        "status": {"enum": status},
                                    },
                                }
                            }
                        },
                    }
                },
            }
        },
        "/pets": {
            "post": {
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "$ref": "#/components/schemas/Pet"
                                if not edited
                                else "#/components/schemas/NewPet"
                            }
                        }
                    },
                },
                "responses": {"201": {"description": "created"}},
            }
        },
    }
    if edited:
        paths["/owners"] = {"get": {"responses": {"200": {"description": "owners"}}}}
    else:
        paths["/pets"]["delete"] = {"responses": {"204": {"description": "gone"}}}
    schemas: dict[str, Any] = {"Pet": pet}
    if edited:
        schemas["NewPet"] = with_(pet, required=["name", "tag"])
    return openapi(paths, schemas, version)


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_openapi_operations_pair_by_method_and_path(tmp_path: Path, version: str) -> None:
    old_file, new_file = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old_file.write_text(yaml.safe_dump(pets_api(version, edited=False)))
    new_file.write_text(yaml.safe_dump(pets_api(version, edited=True)))
    report = diff(str(old_file), str(new_file), budget=BUDGET)
    kinds = {(c.kind, c.name) for c in report.changes}
    assert ("operation-added", "GET /owners") in kinds
    assert ("operation-removed", "DELETE /pets") in kinds
    assert ("schema-added", "NewPet") in kinds
    by_schema = {(f.schema, f.direction): f for f in report.findings}
    # the path parameter was renamed: same operation, same slot
    params = by_schema[("GET /pets/{petId} parameters", NARROWED)]
    assert params.proved and params.use == "request" and "breaks clients" in params.breaks
    assert "verbose" in params.message
    response = by_schema[("GET /pets/{petId} response 200 application/json", WIDENED)]
    assert response.proved and response.witness == {"status": "pending"}
    assert response.use == "response" and "breaks clients" in response.breaks
    body = by_schema[("POST /pets request application/json", NARROWED)]
    assert body.proved and "tag" not in body.witness and body.change == "ref-retargeted"
    assert ("POST /pets request application/json", WIDENED) not in by_schema
    old_version = Version(schemakit.load(old_file), "old")
    new_version = Version(schemakit.load(new_file), "new")
    for finding in report.proved():
        old_name = finding.schema.replace("{petId}", "{id}")
        accepts, rejects = (
            (old_version.bundle(old_name), new_version.bundle(finding.schema))
            if finding.direction is NARROWED
            else (new_version.bundle(finding.schema), old_version.bundle(old_name))
        )
        assert Draft202012Validator(accepts, format_checker=FORMAT_CHECKER).is_valid(
            finding.witness
        )
        assert not Draft202012Validator(rejects, format_checker=FORMAT_CHECKER).is_valid(
            finding.witness
        )


# -- the published vs the corrected Sentinel Hub set ---------------------------------------------

# correction file -> (schema, keyword pointer, direction) it shows up as
CORRECTED = {
    "01-raster-output-required-group.json": ("BatchV2RasterOutput", "/required", WIDENED),
    "02-byoc-dataset-type-pattern.json": (
        "BYOCDataset",
        "/allOf/0/properties/type/pattern",
        NARROWED,
    ),
    "03-response-identifier-free-string.json": (
        "ProcessRequestOutputBatchV2Response",
        "/properties/identifier/enum",
        WIDENED,
    ),
    "04-s1-speckle-lee-type-const.json": (
        "S1ProcessingSpeckleFilterLEE",
        "/properties/type/const",
        NARROWED,
    ),
    "05-s1-speckle-none-type-const.json": (
        "S1ProcessingSpeckleFilterNONE",
        "/properties/type/const",
        NARROWED,
    ),
    "06-input-bounds-optional.json": ("ProcessRequestInputForBatchV2", "/required", WIDENED),
    "07-evalscript-optional-multipart.json": ("ProcessRequestForBatchV2", "/required", WIDENED),
    "08-zarr-array-parameters-partial.json": (
        "BatchV2ZarrOutputArrayParameters",
        "/required",
        WIDENED,
    ),
    "09-zarr-fill-value-nan.json": (
        "BatchV2ZarrOutputArrayParameters",
        "/properties/fill_value/type",
        WIDENED,
    ),
    "10-tiling-grid-input-object.json": ("BatchV2TilingGridInput", "/type", NARROWED),
    "11-geopackage-input-object.json": ("BatchV2GeoPackageInput", "/type", NARROWED),
    "12-geopackage-defaults-object.json": ("BatchV2GeoPackageFeatureDefaults", "/type", NARROWED),
    "13-zarr-output-object.json": ("BatchV2ZarrOutput", "/type", NARROWED),
    "14-zarr-array-parameters-object.json": ("BatchV2ZarrOutputArrayParameters", "/type", NARROWED),
    "15-zarr-group-object.json": ("BatchV2ZarrOutputGroup", "/type", NARROWED),
    "16-zarr-chunks-integer.json": (
        "BatchV2ZarrOutputArrayParameters",
        "/properties/chunks/items/type",
        NARROWED,
    ),
}
CORRECTIONS = load_corrections(bundled_schemas_dir())


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> DiffReport:
    # The corrections' counterexamples are recorded documents the published set accepts.
    docs = tmp_path_factory.mktemp("counterexamples")
    for correction in CORRECTIONS:
        if correction.counterexample is not None:
            name = Path(correction.file).name
            (docs / name).write_text(json.dumps(correction.counterexample["document"]))
    report = diff(
        schemakit.load(upstream=True), schemakit.load(), budget=5.0, documents=[str(docs)]
    )
    recheck(report, schemakit.load(upstream=True), schemakit.load())
    return report


def test_every_correction_is_in_the_table() -> None:
    assert sorted(Path(c.file).name for c in CORRECTIONS) == sorted(CORRECTED)


@pytest.mark.parametrize("correction", sorted(CORRECTED))
def test_each_correction_shows_up_as_the_change_it_is(
    corrected: DiffReport, correction: str
) -> None:
    schema, pointer, direction = CORRECTED[correction]
    assert (direction, pointer) in proved(corrected, schema), [
        f.to_dict() for f in corrected.findings if f.schema == schema
    ]


def test_corrections_examples_show_up_in_the_schemas_they_name(corrected: DiffReport) -> None:
    old, new = schemakit.load(upstream=True), schemakit.load()
    changed = {f.schema for f in corrected.proved()} | set(corrected.through_refs)
    for correction in CORRECTIONS:
        for key, (accepts, rejects) in (("example", (new, old)), ("counterexample", (old, new))):
            record = getattr(correction, key)
            if record is None:
                continue
            name, document = record["schema"], record["document"]
            assert accepts.validator(name).is_valid(document), correction.file
            assert not rejects.validator(name).is_valid(document), correction.file
            assert name in changed, (correction.file, name)


def test_counterexamples_are_rejected_recorded_documents(corrected: DiffReport) -> None:
    rejected = {
        Path(f.witness_source).name for f in corrected.findings if f.change == "document-rejected"
    }
    expected = {Path(c.file).name for c in CORRECTIONS if c.counterexample is not None}
    assert rejected == expected


def test_the_oneof_corrections_widen_what_holds_the_branches(corrected: DiffReport) -> None:
    """Correction 02 narrows BYOCDataset, and thereby widens ProcessRequestInputData: a
    sentinel-2 dataset no longer also matches the BYOC branch (the correction's example)."""
    widened = {f.schema for f in corrected.proved(WIDENED)}
    assert {"S1Processing", "BatchV2ProcessOutput"} <= widened
    assert corrected.unchanged and "BatchV2ProcessTask" in corrected.through_refs


# -- the command ----------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    old = write_set(
        tmp_path / "old", {"T": {"type": "object", "properties": {"n": {"maximum": 9}}}}
    )
    new = write_set(
        tmp_path / "new", {"T": {"type": "object", "properties": {"n": {"maximum": 5}}}}
    )
    return old, new


def test_cli_text_output_and_exit_codes(
    capsys: pytest.CaptureFixture[str], versions: tuple[Path, Path]
) -> None:
    old, new = versions
    code, out, err = run(capsys, "diff", str(old), str(new))
    assert code == 1
    [line] = out.splitlines()
    assert line.startswith(f"{new / 'T.json'}#/properties/n/maximum: narrowed [maximum-lowered] T:")
    assert "witness: {" in line
    assert "1 narrowed, 0 widened, 0 not proved" in err
    assert run(capsys, "diff", "--fail-on", "widened", str(old), str(new))[0] == 0
    assert run(capsys, "diff", "--fail-on", "narrowed", str(old), str(new))[0] == 1
    assert run(capsys, "diff", str(old), str(old))[0] == 0
    assert run(capsys, "diff", "--fail-on", "any", str(new), str(old))[0] == 1


def test_cli_json_output(capsys: pytest.CaptureFixture[str], versions: tuple[Path, Path]) -> None:
    old, new = versions
    code, out, _err = run(capsys, "diff", "--format", "json", "--seed", "3", str(old), str(new))
    assert code == 1
    data = json.loads(out)
    assert data["seed"] == 3 and data["summary"]["narrowed"] == 1
    [finding] = data["findings"]
    assert finding["schema"] == "T" and finding["pointer"] == "/properties/n/maximum"
    assert 5 < finding["witness"]["n"] <= 9


def test_cli_upstream_flags(capsys: pytest.CaptureFixture[str]) -> None:
    bundled = str(bundled_schemas_dir())
    code, _out, err = run(capsys, "diff", "--budget", "0", bundled, bundled)
    assert code == 0 and "0 narrowed, 0 widened, 0 not proved" in err
    # --budget 0: every suspected change is reported, none proved, so exit 0
    code, out, _err = run(capsys, "diff", "--budget", "0", "--old-upstream", bundled, bundled)
    assert code == 0 and "not proved" in out


def test_cli_documents(
    capsys: pytest.CaptureFixture[str], versions: tuple[Path, Path], tmp_path: Path
) -> None:
    old, new = versions
    (tmp_path / "rec.json").write_text('{"n": 7}')
    code, out, _err = run(capsys, "diff", "-d", str(tmp_path / "rec.json"), str(old), str(new))
    assert code == 1 and "document-rejected" in out and 'document: {"n": 7}' in out
    (tmp_path / "bad.json").write_text("{")
    code, _out, err = run(capsys, "diff", "-d", str(tmp_path / "bad.json"), str(old), str(new))
    assert code == 2 and "bad.json:1:2: invalid JSON" in err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["diff", "missing-old", "missing-new"], "missing-old: no such file or directory"),
        (["diff", "-s", "Nope", "OLD", "NEW"], "unknown schema 'Nope'"),
        (["diff", "--budget", "-1", "OLD", "NEW"], "--budget"),
        (["diff", "--fail-on", "sometimes", "OLD", "NEW"], "--fail-on"),
        (["diff", "OLD"], "Missing argument 'NEW'"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
    versions: tuple[Path, Path],
    argv: list[str],
    expected: str,
) -> None:
    old, new = versions
    argv = [str(old) if a == "OLD" else str(new) if a == "NEW" else a for a in argv]
    code, _out, err = run(capsys, *argv)
    assert code == 2
    assert expected in err and len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err


def test_cli_broken_schema_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text('{"type": "object",\n "properties": [}')
    (tmp_path / "fine.json").write_text('{"type": "object"}')
    code, _out, err = run(
        capsys, "diff", str(tmp_path / "broken.json"), str(tmp_path / "fine.json")
    )
    assert code == 2 and "broken.json:2:" in err and len(err.strip().splitlines()) == 1
