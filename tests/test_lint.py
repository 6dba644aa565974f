"""``schemakit lint``: every documented correction fixes a defect the linter reports, each rule
fires on a small defective set and stays quiet once it is fixed, and the CLI contract holds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from schemakit import load
from schemakit.cli import main
from schemakit.core.formats import FORMAT_CHECKER
from schemakit.core.schemaset import Correction
from schemakit.lint import RULES, Finding, LintReport, Severity, lint
from schemakit.load.corrections import load_corrections
from schemakit.load.loader import bundled_schemas_dir, read_schema_set

ROOT = Path(__file__).resolve().parents[1]


def published_document() -> Path:
    """The published OpenAPI document in shared/reference (beside the clone in CI)."""
    name = Path("reference") / "sentinel-hub-batch-v2-openapi.yml"
    for shared in (ROOT.parent / "shared", Path("/work/shared")):
        if (shared / name).is_file():
            return shared / name
    raise FileNotFoundError(f"shared/{name} is neither beside the clone nor in /work/shared")


PUBLISHED = published_document()
CORRECTIONS = load_corrections(bundled_schemas_dir())


# -- the documented corrections ------------------------------------------------------------


def _tokens(pointer: str) -> list[str]:
    return pointer.split("/")[1:] if pointer else []


def _overlaps(a: str, b: str) -> bool:
    """One pointer lies inside the other."""
    ta, tb = _tokens(a), _tokens(b)
    return ta[: len(tb)] == tb or tb[: len(ta)] == ta


def fixed_by(correction: Correction, finding: Finding) -> bool:
    """The finding is at (or relates to) a place the correction's patch changes."""
    if finding.severity is Severity.info:
        return False
    paths = [str(op["path"]) for op in correction.patch if op.get("op") != "test"]
    places = [finding.location, *finding.related]
    return any(
        place.schema == correction.schema and _overlaps(place.pointer, path)
        for place in places
        for path in paths
    )


@pytest.fixture(scope="module")
def upstream_report() -> LintReport:
    return lint(upstream=True)


@pytest.fixture(scope="module")
def published_report() -> LintReport:
    return lint(PUBLISHED)


@pytest.fixture(scope="module")
def corrected_report() -> LintReport:
    return lint()


def test_there_are_corrections() -> None:
    assert len(CORRECTIONS) >= 8


@pytest.mark.parametrize("correction", CORRECTIONS, ids=lambda c: Path(c.file).stem)
def test_each_correction_fixes_a_reported_defect(
    correction: Correction,
    upstream_report: LintReport,
    published_report: LintReport,
    corrected_report: LintReport,
) -> None:
    for report in (upstream_report, published_report):
        matching = [f for f in report.findings if fixed_by(correction, f)]
        assert matching, f"lint reports nothing that {correction.file} fixes ({report.source})"
    still = [f for f in corrected_report.findings if fixed_by(correction, f)]
    assert not still, f"still reported after the correction: {[f.to_dict() for f in still]}"


def test_published_document_and_bundled_upstream_agree(
    upstream_report: LintReport, published_report: LintReport
) -> None:
    def key(report: LintReport) -> set[tuple[str, str, str]]:
        return {
            (f.rule, str(f.location), f.severity.value)
            for f in report.findings
            if f.rule != "unused-schema"  # only the OpenAPI document knows its operations
        }

    assert key(upstream_report) == key(published_report)
    assert published_report.findings[0].file == str(PUBLISHED)
    assert published_report.findings[0].file_pointer.startswith("/components/schemas/")


def test_corrected_set_has_no_errors(corrected_report: LintReport) -> None:
    assert corrected_report.count(Severity.error) == 0, [
        f.to_dict() for f in corrected_report.findings
    ]
    assert corrected_report.exit_code() == 0


def test_overlap_witnesses_really_match_two_branches(upstream_report: LintReport) -> None:
    schema_set = load(upstream=True)
    overlaps = [f for f in upstream_report.findings if f.rule == "oneof-overlap"]
    assert len(overlaps) >= 15
    for finding in overlaps:
        for branch in finding.related:
            assert branch.pointer == ""
            validator = Draft202012Validator(
                schema_set.bundle(branch.schema), format_checker=FORMAT_CHECKER
            )
            assert validator.is_valid(finding.witness), (finding.message, branch)
        where = schema_set.bundle(finding.schema)
        container = Draft202012Validator(where, format_checker=FORMAT_CHECKER)
        document = [finding.witness] if where.get("type") == "array" else None
        if document is not None:
            errors = list(container.iter_errors(document))
            assert [e.validator for e in errors] == ["oneOf"]


# -- each rule on a small set ----------------------------------------------------------------

OBJECT = {"type": "object"}
CASES: list[tuple[str, dict[str, Any], dict[str, Any], str]] = [
    # (rule, defective set, fixed set, "Schema#pointer" of the finding)
    (
        "required-undeclared",
        {"A": {**OBJECT, "required": ["a", "b"], "properties": {"a": {}}}},
        {"A": {**OBJECT, "required": ["a"], "properties": {"a": {}}}},
        "A#/required/1",
    ),
    (
        "required-undeclared",  # declared through an allOf sibling: fine
        {
            "A": {"allOf": [{"$ref": "B.json"}], "required": ["b", "d"], "properties": {"c": {}}},
            "B": {"properties": {"b": {}}},
        },
        {
            "A": {"allOf": [{"$ref": "B.json"}], "required": ["b", "c"], "properties": {"c": {}}},
            "B": {"properties": {"b": {}}},
        },
        "A#/required/1",
    ),
    (
        "required-described-optional",
        {
            "A": {
                **OBJECT,
                "required": ["x"],
                "properties": {"x": {"description": "Can be omitted for defaults."}},
            }
        },
        {"A": {**OBJECT, "properties": {"x": {"description": "Can be omitted for defaults."}}}},
        "A#/required/0",
    ),
    (
        "partial-requires",
        {"PetUpdate": {**OBJECT, "required": ["name"], "properties": {"name": {}}}},
        {"PetUpdate": {**OBJECT, "properties": {"name": {}}}},
        "PetUpdate#/required",
    ),
    (
        "oneof-overlap",
        {"A": {"oneOf": [{"type": "integer"}, {"type": "number", "minimum": 3}]}},
        {"A": {"oneOf": [{"type": "integer"}, {"type": "string"}]}},
        "A#/oneOf",
    ),
    (
        "oneof-overlap",  # no small hand-made document overlaps: found by the strategies
        {"A": {"oneOf": [{"type": "string", "minLength": 3}, {"pattern": "^a"}]}},
        {"A": {"oneOf": [{"type": "string", "minLength": 3, "pattern": "^b"}, {"pattern": "^a"}]}},
        "A#/oneOf",
    ),
    (
        "oneof-untagged-overlap",
        {
            "A": {
                "oneOf": [
                    {**OBJECT, "properties": {"kind": {"const": "a"}}},
                    {**OBJECT, "properties": {"kind": {"const": "b"}}},
                ]
            }
        },
        {
            "A": {
                "oneOf": [
                    {**OBJECT, "required": ["kind"], "properties": {"kind": {"const": "a"}}},
                    {**OBJECT, "required": ["kind"], "properties": {"kind": {"const": "b"}}},
                ]
            }
        },
        "A#/oneOf",
    ),
    (
        "discriminator-mapping",
        {
            "A": {
                "oneOf": [{"$ref": "Cat.json"}, {"$ref": "Dog.json"}],
                "discriminator": {
                    "propertyName": "k",
                    "mapping": {"cat": "Cat.json", "dog": "Cow.json"},
                },
            },
            "Cat": {**OBJECT, "required": ["k"], "properties": {"k": {"const": "cat"}}},
            "Dog": {**OBJECT, "required": ["k"], "properties": {"k": {"const": "dog"}}},
        },
        {
            "A": {
                "oneOf": [{"$ref": "Cat.json"}, {"$ref": "Dog.json"}],
                "discriminator": {
                    "propertyName": "k",
                    "mapping": {"cat": "Cat.json", "dog": "Dog.json"},
                },
            },
            "Cat": {**OBJECT, "required": ["k"], "properties": {"k": {"const": "cat"}}},
            "Dog": {**OBJECT, "required": ["k"], "properties": {"k": {"const": "dog"}}},
        },
        "A#/discriminator/mapping/dog",
    ),
    (
        "discriminator-mapping",  # the branch rejects its own value
        {
            "A": {
                "oneOf": [{"$ref": "Cat.json"}],
                "discriminator": {"propertyName": "k", "mapping": {"cat": "Cat.json"}},
            },
            "Cat": {**OBJECT, "properties": {"k": {"const": "kitten"}}},
        },
        {
            "A": {
                "oneOf": [{"$ref": "Cat.json"}],
                "discriminator": {"propertyName": "k", "mapping": {"kitten": "Cat"}},
            },
            "Cat": {**OBJECT, "properties": {"k": {"const": "kitten"}}},
        },
        "A#/discriminator/mapping/cat",
    ),
    (
        "discriminator-unpinned",
        {
            "A": {
                "oneOf": [{"$ref": "Cat.json"}, {"$ref": "Dog.json"}],
                "discriminator": {
                    "propertyName": "k",
                    "mapping": {"cat": "Cat.json", "dog": "Dog.json"},
                },
            },
            "Cat": {**OBJECT, "required": ["k", "m"], "properties": {"k": {"type": "string"}}},
            "Dog": {**OBJECT, "required": ["k"], "properties": {"k": {"const": "dog"}}},
        },
        {
            "A": {
                "oneOf": [{"$ref": "Cat.json"}, {"$ref": "Dog.json"}],
                "discriminator": {
                    "propertyName": "k",
                    "mapping": {"cat": "Cat.json", "dog": "Dog.json"},
                },
            },
            "Cat": {**OBJECT, "required": ["k", "m"], "properties": {"k": {"const": "cat"}}},
            "Dog": {**OBJECT, "required": ["k"], "properties": {"k": {"const": "dog"}}},
        },
        "Cat#/properties/k",
    ),
    (
        "unsatisfiable",
        {"A": {"type": "integer", "minimum": 5, "maximum": 2}},
        {"A": {"type": "integer", "minimum": 2, "maximum": 5}},
        "A#",
    ),
    (
        "unsatisfiable",
        {"A": {"type": "string", "allOf": [{"$ref": "B.json"}]}, "B": {"type": "integer"}},
        {"A": {"type": "string", "allOf": [{"$ref": "B.json"}]}, "B": {"type": "string"}},
        "A#",
    ),
    (
        "unsatisfiable",
        {"A": {"type": "string", "enum": [1, 2]}},
        {"A": {"type": "string", "enum": ["1", "2"]}},
        "A#",
    ),
    (
        "enum-value-invalid",
        {"A": {"type": "string", "enum": ["a", 2]}},
        {"A": {"type": "string", "enum": ["a", "2"]}},
        "A#/enum/1",
    ),
    (
        "placeholder-enum",
        {"A": {"type": "string", "enum": ["<identifier>", "userdata"]}},
        {"A": {"type": "string"}},
        "A#/enum/0",
    ),
    (
        "type-format-mismatch",
        {"A": {"type": "number", "format": "integer"}},
        {"A": {"type": "integer"}},
        "A#/format",
    ),
    (
        "type-format-mismatch",
        {"A": {"type": "integer", "format": "uuid"}},
        {"A": {"type": "string", "format": "uuid"}},
        "A#/format",
    ),
    (
        "invalid-default",
        {
            "A": {**OBJECT, "properties": {"n": {"$ref": "N.json", "default": -1}}},
            "N": {"minimum": 0},
        },
        {
            "A": {**OBJECT, "properties": {"n": {"$ref": "N.json", "default": 1}}},
            "N": {"minimum": 0},
        },
        "A#/properties/n/default",
    ),
    (
        "invalid-example",
        {"A": {"type": "string", "format": "date", "examples": ["2024-01-01", "yesterday"]}},
        {"A": {"type": "string", "format": "date", "examples": ["2024-01-01"]}},
        "A#/examples/1",
    ),
    (
        "fill-value-nan",
        {"A": {**OBJECT, "properties": {"fill_value": {"type": "number"}}}},
        {"A": {**OBJECT, "properties": {"fill_value": {"type": ["number", "string"]}}}},
        "A#/properties/fill_value",
    ),
    (
        "untyped-object",
        {"A": {"required": ["a"], "properties": {"a": {}}}},
        {"A": {**OBJECT, "required": ["a"], "properties": {"a": {}}}},
        "A#",
    ),
    (
        "tolerated-form",
        {"A": {"deprecated": "use B", "examples": "x"}},
        {"A": {"deprecated": True, "examples": ["x"]}},
        "A#/deprecated",
    ),
    (
        "tolerated-form",
        {"A": {"$schema": "http://json-schema.org/draft-07/schema#", "$defs": {"n": "note"}}},
        {"A": {"$schema": "http://json-schema.org/draft-07/schema#", "$defs": {"n": {}}}},
        "A#/$defs/n",
    ),
    (
        "untyped-object",  # a oneOf branch is typed by its parent: no finding there
        {"A": {"oneOf": [{"properties": {"a": {}}}], "properties": {"b": {}}}},
        {"A": {**OBJECT, "oneOf": [{"properties": {"a": {}}}], "properties": {"b": {}}}},
        "A#",
    ),
    (
        "dangling-ref",
        {"A": {**OBJECT, "properties": {"b": {"$ref": "#/components/schemas/Missing"}}}},
        {"A": {**OBJECT, "properties": {"b": {"$ref": "#/components/schemas/B"}}}, "B": {}},
        "A#/properties/b/$ref",
    ),
    (
        "ref-cycle",
        {"A": {"$ref": "B.json"}, "B": {"allOf": [{"$ref": "A.json"}]}},
        {"A": {"$ref": "B.json"}, "B": {"properties": {"next": {"$ref": "A.json"}}}},
        "B#/allOf/0/$ref",
    ),
    (
        "invalid-schema",
        {"A": {"type": "objekt"}},
        {"A": {"type": "object"}},
        "A#/type",
    ),
    (
        "unused-schema",
        {"A": {"properties": {"b": {"$ref": "B.json"}}}, "B": {}, "C": {"type": "string"}},
        {"A": {"properties": {"b": {"$ref": "B.json"}, "c": {"$ref": "C.json"}}}, "B": {}, "C": {}},
        "C#",
    ),
]


def write_set(directory: Path, schemas: dict[str, Any]) -> Path:
    directory.mkdir(parents=True)
    for name, schema in schemas.items():
        (directory / f"{name}.json").write_text(json.dumps(schema))
    return directory


@pytest.mark.parametrize(
    ("rule", "defective", "fixed", "where"),
    CASES,
    ids=[f"{case[0]}-{i}" for i, case in enumerate(CASES)],
)
def test_rule_fires_on_defect_and_not_on_fix(
    tmp_path: Path, rule: str, defective: dict[str, Any], fixed: dict[str, Any], where: str
) -> None:
    found = lint(write_set(tmp_path / "bad", defective)).findings
    assert where in [str(f.location) for f in found if f.rule == rule], [f.to_dict() for f in found]
    after = lint(write_set(tmp_path / "good", fixed)).findings
    assert [f.to_dict() for f in after if f.rule == rule] == []


def test_generated_witness_is_real(tmp_path: Path) -> None:
    schema = {"oneOf": [{"type": "string", "minLength": 3}, {"pattern": "^a"}]}
    report = lint(write_set(tmp_path / "s", {"A": schema}))
    (finding,) = [f for f in report.findings if f.rule == "oneof-overlap"]
    validator = Draft202012Validator(schema, format_checker=FORMAT_CHECKER)
    assert [e.validator for e in validator.iter_errors(finding.witness)] == ["oneOf"]
    for branch in schema["oneOf"]:
        assert Draft202012Validator(branch).is_valid(finding.witness)


def test_exclusive_by_presence_is_not_an_overlap(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "oneOf": [{"required": ["s3"]}, {"required": ["gs"]}],
        "properties": {"s3": {"type": "string"}, "gs": {"type": "string"}},
    }
    exclusive = {
        "oneOf": [
            {"required": ["s3"], "properties": {"s3": {}}},
            {"required": ["gs"], "properties": {"gs": {}}},
        ]
    }
    overlapping = {"oneOf": [{"required": ["s3"]}, {"properties": {"gs": {}}}]}
    sets = {"A": schema, "B": exclusive, "C": overlapping}
    report = lint(write_set(tmp_path / "s", sets))
    assert [str(f.location) for f in report.findings if f.rule == "oneof-overlap"] == ["C#/oneOf"]


def test_every_rule_has_a_case() -> None:
    operation_rules = {  # cases in test_lint_operations.py
        "response-ref-status",
        "missing-operation-id",
        "duplicate-operation-id",
        "path-param-undeclared",
        "path-param-not-in-path",
    }
    covered = {case[0] for case in CASES} | {"unknown-format"} | operation_rules
    assert {rule.id for rule in RULES} == covered


def test_unknown_format_is_info(tmp_path: Path) -> None:
    report = lint(write_set(tmp_path / "s", {"A": {"type": "string", "format": "colour"}}))
    assert [(f.rule, f.severity) for f in report.findings] == [("unknown-format", Severity.info)]
    assert report.exit_code() == 0
    assert report.exit_code(Severity.info) == 1


def test_lint_reads_sets_that_load_refuses(tmp_path: Path) -> None:
    from schemakit import UnresolvableRefError

    broken = write_set(
        tmp_path / "s", {"A": {"type": "object", "properties": {"b": {"$ref": "Nope.json"}}}}
    )
    with pytest.raises(UnresolvableRefError):
        load(broken)
    assert read_schema_set(broken).names == ("A",)
    assert [f.rule for f in lint(broken).findings] == ["dangling-ref"]


# -- CLI -------------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["lint", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_exit_codes_and_text(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "--upstream")
    assert code == 1
    assert "BatchV2RasterOutput.json#/required/1: error [required-undeclared] 'group'" in out
    assert "errors" in err
    code, out, err = run(capsys)
    assert code == 0
    assert "error [" not in out
    code, _out, _err = run(capsys, "--fail-on", "warning")
    assert code == 1
    code, out, err = run(capsys, "--schemas", str(tmp_path / "missing"))
    assert (code, out) == (2, "")
    assert err.startswith("schemakit: error: ") and err.count("\n") == 1
    (tmp_path / "bad.json").write_text("{")
    code, out, err = run(capsys, "--schemas", str(tmp_path / "bad.json"))
    assert code == 2 and "bad.json:1:2" in err and "Traceback" not in err


def test_cli_json_is_the_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--schemas", str(PUBLISHED), "--format", "json")
    data = json.loads(out)
    report = lint(PUBLISHED)
    assert code == 1
    assert data["findings"] == json.loads(json.dumps([f.to_dict() for f in report.findings]))
    assert data["summary"]["error"] == report.count(Severity.error) > 0
    first = data["findings"][0]
    assert set(first) >= {"rule", "severity", "schema", "pointer", "file", "message"}


def test_output_is_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    first = run(capsys, "--upstream", "--format", "json")
    second = run(capsys, "--upstream", "--format", "json")
    assert first == second
