"""Differential: schemakit's fast verdict (jsonschema-rs) equals the reference verdict
(``jsonschema`` with ``schemakit.core.formats.FORMAT_CHECKER``) on thousands of documents.

The documents are the docs payloads, ``examples/task.json`` and hand-made variants,
each mutated at every position: keys deleted, types changed, numbers out of range,
strings turned into bad formats and bad enum values, unknown keys added.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import schemakit
from conftest import ROOT, docs_payloads
from schemakit.core.formats import FORMAT_CHECKER

TASK: dict[str, Any] = json.loads((ROOT / "examples" / "task.json").read_text())
Path = tuple[Any, ...]


def _variants() -> list[tuple[str, str, Any]]:
    """Hand-made documents that reach the parts the payloads do not."""
    request = TASK["request"]
    s1 = copy.deepcopy(request)
    s1["processRequest"]["input"]["data"] = [
        {
            "type": "sentinel-1-grd",
            "dataFilter": {"acquisitionMode": "IW", "polarization": "DV", "resolution": "HIGH"},
            "processing": {
                "orthorectify": True,
                "backCoeff": "GAMMA0_TERRAIN",
                "speckleFilter": {"type": "LEE", "windowSizeX": 5, "windowSizeY": 5},
            },
        },
        {"type": "byoc-5ef87410-307e-4171-9fea-b4d4e638964e", "id": "b"},
    ]
    zarr = copy.deepcopy(request)
    zarr["output"] = {
        "type": "zarr",
        "delivery": {"s3": {"url": "s3://bucket/<requestId>"}},
        "group": {"zarr_format": 2},
        "arrayParameters": {"dtype": "uint16", "order": "C", "chunks": [1, 1000, 1000]},
        "arrayOverrides": {"ndvi": {"dtype": "float32", "fill_value": "NaN"}},
    }
    geopackage = copy.deepcopy(request)
    geopackage["input"] = {
        "type": "geopackage",
        "features": {"s3": {"url": "s3://bucket/aoi.gpkg"}},
    }
    return [
        ("task.json", "BatchV2ProcessTask", TASK),
        ("variant-s1-byoc", "BatchV2ProcessRequest", s1),
        ("variant-zarr", "BatchV2ProcessRequest", zarr),
        ("variant-geopackage", "BatchV2ProcessRequest", geopackage),
    ]


BASES = [*docs_payloads(), *_variants()]
MUTANTS = 60  # per base document, plus a fifth as many with two changes
EXPLAINED = 20  # mutants per base whose explanations are compared (jsonschema is slow)
DELETE = object()


def positions(node: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from positions(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from positions(value, (*path, index))


def replacements(value: Any) -> list[Any]:
    """Values to put in place of ``value``: other types, edge numbers, bad strings."""
    other_types: list[Any] = [None, True, 7, "text", [], {}]
    found: list[Any] = [DELETE, *(v for v in other_types if type(v) is not type(value))]
    if isinstance(value, bool):
        found += ["true", 0]
    elif isinstance(value, (int, float)):
        found += [value + 1_000_000, -value - 1, value + 0.5, 2**31, 2**63, -(2**63) - 1]
        found += [1e300, 0, -0.0, float(value) if isinstance(value, int) else int(value)]
    elif isinstance(value, str):
        found += [value + "x", "", value.upper(), value[:-1], " " + value, "x" * 200]
        found += ["2025-13-01T00:00:00Z", "2025-03-11T09:44:03", "5ef87410-307e-4171-9fea"]
        found += ["not a uri", "s3://bucket/x", "byoc-", "zarr-x y"]
    elif isinstance(value, dict):
        found += [{**value, "unexpectedKey": 1}, {k: v for k, v in list(value.items())[1:]}]
    elif isinstance(value, list):
        found += [value + value[:1], value[1:], [value]]
    return found


def put(document: Any, path: Path, value: Any) -> Any:
    result = copy.deepcopy(document)
    if not path:
        return result if value is DELETE else value
    node = result
    for part in path[:-1]:
        node = node[part]
    if value is DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return result


def mutants(document: Any, count: int, seed: str) -> list[Any]:
    """``count`` single and double mutations of ``document``, chosen deterministically."""
    rng = random.Random(seed)
    singles = [
        (path, value) for path, node in positions(document) if path for value in replacements(node)
    ]
    chosen = rng.sample(singles, min(count, len(singles)))
    result = [put(document, path, value) for path, value in chosen]
    for _ in range(count // 5):  # a few with two changes at once
        (first, a), (second, b) = rng.sample(singles, 2)
        try:
            result.append(put(put(document, first, a), second, b))
        except (KeyError, IndexError, TypeError):
            continue  # the first change removed the place of the second
    return result


@pytest.fixture(scope="module")
def references(
    sentinel: schemakit.SchemaSet, sentinel_upstream: schemakit.SchemaSet
) -> dict[tuple[bool, str], Draft202012Validator]:
    return {
        (schema_set.upstream, name): Draft202012Validator(
            schema_set.bundle(name), format_checker=FORMAT_CHECKER
        )
        for schema_set in (sentinel, sentinel_upstream)
        for name in ("BatchV2ProcessTask", "BatchV2ProcessRequest")
    }


@pytest.mark.parametrize(("name", "schema", "document"), BASES, ids=[b[0] for b in BASES])
def test_fast_verdict_equals_the_reference(
    sentinel: schemakit.SchemaSet,
    sentinel_upstream: schemakit.SchemaSet,
    references: dict[tuple[bool, str], Draft202012Validator],
    name: str,
    schema: str,
    document: Any,
) -> None:
    documents = [document, *mutants(document, MUTANTS, name)]
    verdicts = set()
    for schema_set in (sentinel, sentinel_upstream):
        validator = schema_set.validator(schema)
        reference = references[(schema_set.upstream, schema)]
        for candidate in documents:
            fast = validator.is_valid(candidate)
            assert fast is reference.is_valid(candidate), json.dumps(candidate)[:300]
            verdicts.add(fast)
    assert False in verdicts


def test_enough_documents_of_both_kinds(sentinel: schemakit.SchemaSet) -> None:
    """The mutated documents above: thousands, valid ones among them, not only invalid.
    (Counted with schemakit's verdict, which the test above shows equal to the reference.)"""
    total = valid = 0
    for name, schema, document in BASES:
        validator = sentinel.validator(schema)
        for candidate in [document, *mutants(document, MUTANTS, name)]:
            total += 1
            valid += validator.is_valid(candidate)
    assert total >= 1200
    assert valid >= 200 and total - valid >= 800


@pytest.mark.parametrize(("name", "schema", "document"), BASES[::3], ids=[b[0] for b in BASES[::3]])
def test_is_valid_iff_no_errors(
    sentinel: schemakit.SchemaSet, name: str, schema: str, document: Any
) -> None:
    validator = sentinel.validator(schema)
    for candidate in [document, *mutants(document, 40, name + "/errors")]:
        issues = validator.errors(candidate)
        assert validator.is_valid(candidate) is (issues == [])
        for issue in issues:
            assert issue.pointer == "" or issue.pointer.startswith("/")
            assert issue.message and issue.rule


@pytest.mark.parametrize(("name", "schema", "document"), BASES, ids=[b[0] for b in BASES])
def test_compiled_explanations_name_what_the_reference_names(
    sentinel: schemakit.SchemaSet,
    sentinel_upstream: schemakit.SchemaSet,
    name: str,
    schema: str,
    document: Any,
) -> None:
    """The explanations built from the compiled validator's errors against the Python
    ``jsonschema`` ones (``Validator.reference_errors``): same pointers and rules, and
    the same messages and schema locations too, on invalid mutants of every base."""
    compared = 0
    for schema_set in (sentinel, sentinel_upstream):
        validator = schema_set.validator(schema)
        for candidate in [document, *mutants(document, EXPLAINED, name + "/explain")]:
            if validator.is_valid(candidate):
                continue
            compiled = validator.compiled_errors(candidate)
            assert compiled is not None, json.dumps(candidate)[:300]  # no hand-over here
            reference = validator.reference_errors(candidate)
            assert [(i.pointer, i.rule) for i in compiled] == [
                (i.pointer, i.rule) for i in reference
            ]
            assert compiled == reference
            compared += 1
    assert compared >= EXPLAINED  # most mutants are invalid under one set or the other


PET = {
    "petType": "cat",
    "name": "Tom",
    "nickname": None,
    "age": 3,
    "weight": 4.5,
    "chip": 2**40,
    "ratio": 0.25,
    "photo": "aGVsbG8=",
    "color": "black",
    "owner": {"name": "Ann", "pets": [{"petType": "dog", "name": "Rex", "barks": True}]},
}


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_openapi_formats_and_nullables(version: str) -> None:
    """The OpenAPI number formats (int32, int64, float, double, byte) and nullable types."""
    schema_set = schemakit.load(
        ROOT / "tests" / "data" / "refs" / "openapi" / f"pets-{version}.yaml"
    )
    validator = schema_set.validator("AnyPet")
    reference = Draft202012Validator(schema_set.bundle("AnyPet"), format_checker=FORMAT_CHECKER)
    verdicts = set()
    for candidate in [PET, *mutants(PET, 300, version)]:
        fast = validator.is_valid(candidate)
        assert fast is reference.is_valid(candidate), candidate
        issues = validator.errors(candidate)
        assert fast is (issues == [])
        assert issues == (validator.reference_errors(candidate) if issues else [])
        verdicts.add(fast)
    assert verdicts == {True, False}


def test_known_divergence_end_of_string_in_patterns(sentinel: schemakit.SchemaSet) -> None:
    """Where schemakit and plain ``jsonschema`` differ, on purpose: in ECMA-262 (the JSON
    Schema regex dialect, and Rust's), ``$`` matches only at the very end; Python's ``$``
    also matches before a final newline. schemakit follows ECMA-262, in both passes."""
    request = copy.deepcopy(TASK["request"])
    request["processRequest"]["input"]["data"][0] = {"type": "byoc-abc\n"}
    validator = sentinel.validator("BatchV2ProcessRequest")
    plain = Draft202012Validator(
        sentinel.bundle("BatchV2ProcessRequest"), format_checker=FORMAT_CHECKER
    )
    assert plain.is_valid(request)  # Python's re: "^(byoc|batch|zarr)-[^\s]+$" matches
    assert not validator.is_valid(request)
    [issue] = validator.errors(request)
    assert issue.pointer == "/processRequest/input/data/0/type"
