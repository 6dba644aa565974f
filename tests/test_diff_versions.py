"""``schemakit diff`` on version pairs shaped like real ones (GitHub's and Stripe's OpenAPI
descriptions, SchemaStore schemas): each case here is an edit a trial on those documents
showed to be misreported, kept as a small regression case. Witnesses are checked again with
plain ``jsonschema`` and every format checker."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

import schemakit
from schemakit.core.formats import FORMAT_CHECKER
from schemakit.diff import DiffReport, Direction, diff
from schemakit.diff.changes import find_changes
from schemakit.diff.versions import Version

BUDGET = 10.0  # generous: a found witness returns at once


def openapi(version: str, schemas: dict[str, Any], paths: Any = None) -> dict[str, Any]:
    return {
        "openapi": version,
        "info": {"title": "trial", "version": "1"},
        "paths": paths or {},
        "components": {"schemas": schemas},
    }


def compare_documents(tmp_path: Path, old: Any, new: Any) -> DiffReport:
    old_file, new_file = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old_file.write_text(yaml.safe_dump(old))
    new_file.write_text(yaml.safe_dump(new))
    report = diff(str(old_file), str(new_file), budget=BUDGET)
    recheck(report, old_file, new_file)
    return report


def recheck(report: DiffReport, old_source: Path, new_source: Path) -> None:
    """Every proved witness, checked again with plain jsonschema on both versions' bundles."""
    old = Version(schemakit.load(old_source), "old")
    new = Version(schemakit.load(new_source), "new")
    for finding in report.proved():
        accepts, rejects = (old, new) if finding.direction is Direction.narrowed else (new, old)
        check = Draft202012Validator(accepts.bundle(finding.schema), format_checker=FORMAT_CHECKER)
        assert check.is_valid(finding.witness), finding
        check = Draft202012Validator(rejects.bundle(finding.schema), format_checker=FORMAT_CHECKER)
        assert not check.is_valid(finding.witness), finding


# -- OpenAPI 3.0 -> 3.1: the same API, no change -------------------------------------------------

# A 3.0 schema and the way a 3.1 upgrade spells it (GitHub's webhooks have `nullable: true`
# without a type, which 3.0 ignores: the upgrade drops it).
UPGRADES = [
    ("nullable without a type", {"nullable": True, "description": "x"}, {"description": "x"}),
]


@pytest.mark.parametrize(("old", "new"), [u[1:] for u in UPGRADES], ids=[u[0] for u in UPGRADES])
def test_openapi_upgrade_to_31_is_no_change(tmp_path: Path, old: Any, new: Any) -> None:
    def document(version: str, schema: Any) -> dict[str, Any]:
        holder = {"type": "object", "properties": {"field": schema, "id": {"type": "integer"}}}
        return openapi(version, {"T": holder})

    report = compare_documents(tmp_path, document("3.0.3", old), document("3.1.0", new))
    assert report.findings == () and report.changes == ()
    assert report.unchanged == ("T",)


# -- JSON Schema draft upgrades ------------------------------------------------------------------

EVENT = {"oneOf": [{"type": "object"}, {"type": "null"}], "additionalProperties": True}


def test_a_ref_that_gains_siblings_in_a_draft_upgrade_is_those_siblings(tmp_path: Path) -> None:
    """GitHub's workflow schema (draft-07) writes ``{"$ref": ..., "properties": ...}``; the
    siblings are ignored until 2019-09. An upgrade that keeps them adds them: that, and not
    "oneOf removed" from what the ref points at, is the change."""
    push = {"$ref": "#/definitions/event", "properties": {"types": {"type": "array"}}}
    old: dict[str, Any] = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": {"push": push},
        "definitions": {"event": EVENT},
    }
    new = copy.deepcopy(old)
    new["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    new["$defs"] = new.pop("definitions")
    new["properties"]["push"]["$ref"] = "#/$defs/event"
    for side, schema in (("old", old), ("new", new)):
        (tmp_path / side).mkdir()
        (tmp_path / side / "T.json").write_text(json.dumps(schema))
    before, after = (Version(schemakit.load(tmp_path / side), side) for side in ("old", "new"))
    changes = find_changes(before, after, "T", "T", {"T": "T"})
    assert [(site.anchor.new, site.keyword) for site in changes.sites] == [
        ("/properties/push", ("properties", "types"))
    ]
    report = diff(str(tmp_path / "old"), str(tmp_path / "new"), budget=BUDGET)
    recheck(report, tmp_path / "old", tmp_path / "new")
    [finding] = report.findings
    assert (finding.direction, finding.change) == (Direction.narrowed, "property-added")
    assert finding.proved and not isinstance(finding.witness["push"]["types"], list)
