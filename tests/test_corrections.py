"""The documented corrections: each one is needed (its example fails as published and
without it), sufficient (the example passes once applied), and well-formed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import schemakit
from conftest import ROOT
from schemakit.core.schemaset import Correction

SENTINEL_DIR = ROOT / "schemas" / "sentinel-hub"
CORRECTION_FILES = sorted((SENTINEL_DIR / "corrections").glob("*.json"))


def _correction(path: Path, schema_set: schemakit.SchemaSet) -> Correction:
    [found] = [c for c in schema_set.corrections if Path(c.file).name == path.name]
    return found


def test_every_correction_file_is_loaded(sentinel: schemakit.SchemaSet) -> None:
    assert CORRECTION_FILES, "no corrections found"
    assert [Path(c.file).name for c in sentinel.corrections] == [p.name for p in CORRECTION_FILES]


@pytest.mark.parametrize("path", CORRECTION_FILES, ids=lambda p: p.stem)
def test_correction_is_well_formed(path: Path, sentinel: schemakit.SchemaSet) -> None:
    correction = _correction(path, sentinel)
    assert correction.title.strip() and correction.reason.strip()
    assert correction.schema in sentinel
    # A test op first: the patch fails loudly on a different published version.
    assert correction.patch[0]["op"] == "test"
    # An example (published rejects, corrected accepts) or, for a correction that only
    # tightens, a counterexample (published accepts, corrected rejects).
    cases = [c for c in (correction.example, correction.counterexample) if c is not None]
    assert cases
    for case in cases:
        assert set(case) == {"schema", "document"}
        assert case["schema"] in sentinel


@pytest.mark.parametrize("path", CORRECTION_FILES, ids=lambda p: p.stem)
def test_example_fails_upstream_and_passes_corrected(
    path: Path, sentinel: schemakit.SchemaSet, sentinel_upstream: schemakit.SchemaSet
) -> None:
    correction = _correction(path, sentinel)
    if correction.example is not None:
        schema, document = correction.example["schema"], correction.example["document"]
        assert sentinel_upstream.validator(schema).errors(document) != []
        assert not sentinel_upstream.validator(schema).is_valid(document)
        assert sentinel.validator(schema).errors(document) == []
        assert sentinel.validator(schema).is_valid(document)
    if correction.counterexample is not None:
        schema, document = (
            correction.counterexample["schema"],
            correction.counterexample["document"],
        )
        assert sentinel_upstream.validator(schema).errors(document) == []
        assert sentinel.validator(schema).errors(document) != []
        assert not sentinel.validator(schema).is_valid(document)


@pytest.fixture(scope="module")
def copied_sets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, schemakit.SchemaSet]:
    """For each correction, the set with every *other* correction applied."""
    result = {}
    for path in CORRECTION_FILES:
        directory = tmp_path_factory.mktemp(path.stem) / "sentinel-hub"
        shutil.copytree(SENTINEL_DIR, directory)
        (directory / "corrections" / path.name).unlink()
        result[path.name] = schemakit.load(directory)
    return result


@pytest.mark.parametrize("path", CORRECTION_FILES, ids=lambda p: p.stem)
def test_no_correction_is_redundant(
    path: Path, sentinel: schemakit.SchemaSet, copied_sets: dict[str, schemakit.SchemaSet]
) -> None:
    correction = _correction(path, sentinel)
    without = copied_sets[path.name]
    assert len(without.corrections) == len(CORRECTION_FILES) - 1
    if correction.example is not None:
        example = correction.example
        assert not without.validator(example["schema"]).is_valid(example["document"])
    if correction.counterexample is not None:
        counter = correction.counterexample
        assert without.validator(counter["schema"]).is_valid(counter["document"])


@pytest.mark.parametrize("path", CORRECTION_FILES, ids=lambda p: p.stem)
def test_patch_changes_only_its_own_schema(
    path: Path, sentinel: schemakit.SchemaSet, copied_sets: dict[str, schemakit.SchemaSet]
) -> None:
    target = _correction(path, sentinel).schema
    without = copied_sets[path.name]
    changed = [name for name in sentinel.names if sentinel.schema(name) != without.schema(name)]
    assert changed == [target]


def test_the_published_files_are_untouched(sentinel_upstream: schemakit.SchemaSet) -> None:
    """Corrections live in patches; the component files keep the published defects."""
    raster = json.loads((SENTINEL_DIR / "BatchV2RasterOutput.json").read_text())
    assert "group" in raster["required"]
    assert "group" in sentinel_upstream.schema("BatchV2RasterOutput")["required"]
