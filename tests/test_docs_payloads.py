"""The documentation payloads in ``tests/data/docs``: what fails as published, and why;
what still fails with the corrections, and why (see ``tests/data/docs/README.md``).

Keep ``EXPECTED`` in sync with the payloads and the corrections: a new payload or a new
correction that changes a verdict makes this test fail until the table says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

import schemakit
from conftest import DOCS_DATA, docs_payloads

# The findings of tests/data/docs/README.md that show up as validation issues upstream:
# letter -> (pattern of the issue's pointer, rule).
FINDINGS = {
    "A": (r"(/request)?/output", "required"),  # raster output requires Zarr-only `group`
    "B": (r"(/request)?/processRequest/output/responses/\d+/identifier", "enum"),
    "C": (r"(/request)?/processRequest/input/data/\d+", "oneOf"),  # S2 item also BYOC
    "D": (r"(/request)?/output/arrayOverrides/\w+/fill_value", "type"),  # "NaN"
    "E": (r"(/request)?/output/arrayOverrides/\w+", "required"),  # partial override
}


@dataclass(frozen=True)
class Expected:
    upstream: str  # the findings (letters above) the published schemas report
    corrected: tuple[tuple[str, str], ...] = ()  # (pointer suffix, rule) still reported
    why: str = ""  # why it still fails with the corrections


S1GRD = (("/data/0/type", "oneOf"),)
ORTHO = (("/processing/orthorectify", "type"),)
EXPECTED = {
    "request-card4l-s1-rtc-multipolygon.json": Expected(
        "AB", S1GRD, "F: legacy collection name S1GRD; only the BYOC catch-all took it"
    ),
    "request-cdse-geopackage-input.json": Expected("ABC"),
    "request-cdse-geotiff-tiling-grid.json": Expected("ABC"),
    "request-cdse-zarr-output.json": Expected("BCDE"),
    "request-derived-byoc-input.json": Expected("AB"),
    "request-derived-cog-parameters.json": Expected("ABC"),
    "request-derived-create-collection.json": Expected("ABC"),
    "request-derived-data-fusion-s1-s2.json": Expected(
        "ABC", ORTHO, "H: Process API docs send orthorectify as the string 'true'"
    ),
    "request-derived-s1-speckle-lee.json": Expected(
        "AB", ORTHO, "H: orthorectify 'false' (a string); upstream BYOC hid it (F)"
    ),
    "request-shdocs-geotiff-tiling-grid-iamrole.json": Expected("ABC"),
    "task-card4l-grid2-done.json": Expected("AB", S1GRD, "F: S1GRD in the server's own echo"),
    "task-card4l-grid3-done-multipolygon.json": Expected("AB", S1GRD, "F: as grid2"),
    "task-derived-cdse-geotiff-created.json": Expected("ABC"),
    "task-derived-cdse-zarr-processing.json": Expected("BCDE"),
    "task-derived-geopackage-stopped-out-of-pu.json": Expected("ABC"),
    "task-derived-s1-speckle-failed.json": Expected("AB", ORTHO, "H: as the speckle request"),
    "task-planet-reference-response-sample.json": Expected(""),
}
PAYLOADS = docs_payloads()


def test_the_table_covers_every_payload() -> None:
    assert sorted(EXPECTED) == sorted(path.name for path in DOCS_DATA.glob("*.json"))
    for expected in EXPECTED.values():
        assert bool(expected.corrected) is bool(expected.why)


def _findings(issues: list[schemakit.Issue]) -> str:
    letters = set()
    for issue in issues:
        matching = [
            letter
            for letter, (pattern, rule) in FINDINGS.items()
            if issue.rule == rule and re.fullmatch(pattern, issue.pointer)
        ]
        assert matching, f"an issue no finding explains: {issue}"
        letters.update(matching)
    return "".join(sorted(letters))


@pytest.mark.parametrize(("name", "schema", "document"), PAYLOADS, ids=[p[0] for p in PAYLOADS])
def test_upstream_fails_for_the_documented_reasons(
    sentinel_upstream: schemakit.SchemaSet, name: str, schema: str, document: object
) -> None:
    validator = sentinel_upstream.validator(schema)
    issues = validator.errors(document)
    assert _findings(issues) == EXPECTED[name].upstream
    assert validator.is_valid(document) is (EXPECTED[name].upstream == "")


@pytest.mark.parametrize(("name", "schema", "document"), PAYLOADS, ids=[p[0] for p in PAYLOADS])
def test_corrected_verdicts(
    sentinel: schemakit.SchemaSet, name: str, schema: str, document: object
) -> None:
    validator = sentinel.validator(schema)
    issues = validator.errors(document)
    expected = EXPECTED[name].corrected
    assert len(issues) == len(expected), [str(issue) for issue in issues]
    for issue, (suffix, rule) in zip(issues, expected, strict=True):
        assert issue.pointer.endswith(suffix) and issue.rule == rule, str(issue)
    assert validator.is_valid(document) is (not expected)


def test_most_payloads_pass_once_corrected() -> None:
    passing = [name for name, expected in EXPECTED.items() if not expected.corrected]
    assert len(passing) >= len(EXPECTED) // 2
