"""The pytest plugin and ``assert_valid``, exercised through pytester as a user would."""

from __future__ import annotations

import copy
import json
import pickle
import re
from pathlib import Path
from typing import Any

import pytest

import schemakit
from schemakit import SchemaAssertionError, assert_valid

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
TASK = json.loads((ROOT / "examples" / "task.json").read_text())

SMALL_SCHEMAS: dict[str, Any] = {
    "Pet": {
        "type": "object",
        "required": ["name", "kind"],
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "kind": {"enum": ["cat", "dog"]},
            "age": {"type": "integer", "minimum": 0},
        },
        "additionalProperties": False,
    },
}


def write_schemas(directory: Path, schemas: dict[str, Any] = SMALL_SCHEMAS) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, schema in schemas.items():
        (directory / f"{name}.json").write_text(json.dumps(schema))
    return directory


# -- assert_valid ------------------------------------------------------------------------


def test_assert_valid_accepts_a_valid_document(sentinel: schemakit.SchemaSet) -> None:
    assert_valid(TASK, "BatchV2ProcessTask", schemas=sentinel)
    assert_valid(TASK, "BatchV2ProcessTask")  # default: the bundled, corrected set


def test_failure_lists_pointer_value_and_rule(sentinel_upstream: schemakit.SchemaSet) -> None:
    with pytest.raises(SchemaAssertionError) as caught:
        assert_valid(TASK, "BatchV2ProcessTask", schemas=sentinel_upstream)
    message = str(caught.value)
    expected = sentinel_upstream.validator("BatchV2ProcessTask").errors(TASK)
    assert len(caught.value.issues) == len(expected) > 0
    assert message.startswith(f"document is not valid against BatchV2ProcessTask ({len(expected)}")
    for issue in expected:
        assert f"  {issue.pointer}: {issue.message}" in message
        assert f"rule:  {issue.schema_name}#{issue.rule_location}" in message
    assert "rule:  BatchV2RasterOutput#/required" in message
    assert 'value: "default"' in message
    # Readable without scrolling: no schema dumped, short lines, a few lines per error.
    assert "$defs" not in message and '"properties"' not in message
    assert max(len(line) for line in message.splitlines()) < 200
    assert len(message.splitlines()) == 1 + 3 * len(expected)
    assert isinstance(caught.value, AssertionError)


def test_failure_caps_the_number_of_listed_errors(tmp_path: Path) -> None:
    schemas = write_schemas(
        tmp_path / "s", {"Many": {"type": "array", "items": {"type": "integer"}}}
    )
    with pytest.raises(SchemaAssertionError) as caught:
        assert_valid(["x"] * 30, "Many", schemas=schemas)
    message = str(caught.value)
    assert len(caught.value.issues) == 30
    assert "... and 10 more" in message
    assert message.count("rule:") == 20


def test_assertion_error_pickles(sentinel_upstream: schemakit.SchemaSet) -> None:
    with pytest.raises(SchemaAssertionError) as caught:
        assert_valid(TASK, "BatchV2ProcessTask", schemas=sentinel_upstream)
    copied = pickle.loads(pickle.dumps(caught.value))
    assert str(copied) == str(caught.value)


def test_unknown_schema_name_is_a_named_error() -> None:
    with pytest.raises(schemakit.UnknownSchemaError, match="BatchV2ProcessTask"):
        assert_valid({}, "BatchV2ProcesTask")


# -- through pytest ----------------------------------------------------------------------


def test_pytest_shows_each_error_compactly(pytester: pytest.Pytester) -> None:
    (pytester.path / "task.json").write_text(json.dumps(TASK))
    pytester.makepyfile(
        """
        import json, pathlib
        from schemakit import assert_valid

        def test_task():
            document = json.loads(pathlib.Path("task.json").read_text())
            assert_valid(document, "BatchV2ProcessTask")
        """
    )
    ok = pytester.runpytest("-p", "no:cacheprovider")
    ok.assert_outcomes(passed=1)
    failed = pytester.runpytest("--schemakit-upstream", "-p", "no:cacheprovider")
    failed.assert_outcomes(failed=1)
    text = failed.stdout.str()
    assert "/request/output: 'group' is a required property" in text
    assert "rule:  BatchV2RasterOutput#/required" in text
    assert "rule:  ProcessRequestOutputBatchV2Response#/properties/identifier/enum" in text
    # The traceback points at the test's line, not into schemakit.
    assert 'assert_valid(document, "BatchV2ProcessTask")' in text
    assert "schemakit/assertions.py" not in text


def test_schemas_option_and_fixture(pytester: pytest.Pytester) -> None:
    write_schemas(pytester.path / "schemas")
    pytester.makepyfile(
        """
        import pytest
        from schemakit import SchemaAssertionError, assert_valid

        def test_fixture(schemakit_schemas):
            assert schemakit_schemas.names == ("Pet",)

        def test_default_follows_option():
            assert_valid({"name": "Rex", "kind": "dog"}, "Pet")
            pattern = r"(?s)/kind: .*rule:  Pet#/properties/kind/enum"
            with pytest.raises(SchemaAssertionError, match=pattern):
                assert_valid({"name": "Rex", "kind": "cow"}, "Pet")
        """
    )
    result = pytester.runpytest("--schemakit-schemas", "schemas")
    result.assert_outcomes(passed=2)


def test_ini_option(pytester: pytest.Pytester) -> None:
    write_schemas(pytester.path / "schemas")
    pytester.makeini("[pytest]\nschemakit_schemas = schemas\n")
    pytester.makepyfile("def test_it(schemakit_schemas):\n    assert 'Pet' in schemakit_schemas\n")
    pytester.runpytest().assert_outcomes(passed=1)


def test_bad_schemas_option_is_one_line(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_it(schemakit_schemas):\n    pass\n")
    result = pytester.runpytest("--schemakit-schemas", "nowhere")
    assert result.ret != 0
    assert "no such file or directory" in result.stdout.str() + result.stderr.str()
    assert "Traceback" not in result.stdout.str()


def test_in_process_run_does_not_leak_its_default(pytester: pytest.Pytester) -> None:
    write_schemas(pytester.path / "schemas")
    pytester.makepyfile("def test_it():\n    pass\n")
    pytester.runpytest("--schemakit-schemas", "schemas").assert_outcomes(passed=1)
    assert_valid(TASK, "BatchV2ProcessTask")  # still the bundled set here


# -- recorded responses ------------------------------------------------------------------


def recorded(pytester: pytest.Pytester) -> None:
    responses = pytester.path / "recorded"
    (responses / "nested").mkdir(parents=True)
    (responses / "a-task.json").write_text(json.dumps(TASK))
    (responses / "nested" / "b-task.yaml").write_text(json.dumps(TASK))
    broken = copy.deepcopy(TASK)
    broken["request"]["output"]["type"] = "tiff"
    (responses / "c-broken.json").write_text(json.dumps(broken))
    (responses / "notes.txt").write_text("not a response")


def test_responses_marker_one_test_per_file(pytester: pytest.Pytester) -> None:
    recorded(pytester)
    pytester.makepyfile(
        """
        import pytest
        from schemakit import assert_valid

        @pytest.mark.schemakit_responses("recorded", schema="BatchV2ProcessTask")
        def test_recorded(document, schema_name):
            assert_valid(document, schema_name)
        """
    )
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*test_recorded?a-task.json? PASSED*",
            "*test_recorded?c-broken.json? FAILED*",
            "*test_recorded?nested/b-task.yaml? PASSED*",
        ]
    )
    assert "/request/output/type:" in result.stdout.str()


def test_one_malformed_response_fails_only_its_own_test(pytester: pytest.Pytester) -> None:
    (pytester.path / "bad").mkdir()
    (pytester.path / "bad" / "good.json").write_text('{"a": 1}')
    (pytester.path / "bad" / "x.json").write_text('{"a": 1,}')
    pytester.makepyfile(
        test_bad="""
        import pytest

        @pytest.mark.schemakit_responses("bad")
        def test_bad(document):
            pass
        """
    )
    result = pytester.runpytest("-v")
    text = result.stdout.str()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*test_bad?good.json? PASSED*", "*test_bad?x.json? FAILED*"])
    assert re.search(r"schemakit_responses: .*x\.json:1:\d+: invalid JSON", text)
    assert "Traceback" not in text


def test_responses_marker_errors_are_readable(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_missing="""
        import pytest

        @pytest.mark.schemakit_responses("missing")
        def test_missing(document):
            pass
        """,
        test_unknown="""
        import pytest

        @pytest.mark.schemakit_documents("BatchV2ProcesTask")
        def test_unknown(document):
            pass
        """,
    )
    result = pytester.runpytest("--continue-on-collection-errors")
    text = result.stdout.str()
    result.assert_outcomes(errors=2)
    assert "schemakit_responses: no such directory" in text
    assert "unknown schema 'BatchV2ProcesTask' (did you mean BatchV2ProcessTask" in text
    assert "During handling" not in text and "Traceback" not in text


# -- generated documents -----------------------------------------------------------------

DOCUMENTS_TEST = """
import jsonschema
import pytest
import schemakit
from schemakit.core.formats import FORMAT_CHECKER

@pytest.mark.schemakit_documents("Pet", n=8, seed=3)
def test_generated(document, schema_name, schemakit_schemas):
    schema = schemakit_schemas.bundle(schema_name)
    jsonschema.Draft202012Validator(schema, format_checker=FORMAT_CHECKER).validate(document)
    schemakit.assert_valid(document, schema_name)
"""


def test_documents_marker(pytester: pytest.Pytester) -> None:
    write_schemas(pytester.path / "schemas")
    pytester.makepyfile(DOCUMENTS_TEST)
    first = pytester.runpytest("--schemakit-schemas", "schemas", "--collect-only", "-q")
    ids = [line for line in first.stdout.lines if "::test_generated[" in line]
    assert len(ids) == 8
    assert all(re.search(r"\[Pet-\d+-[0-9a-f]{8}\]$", line) for line in ids)
    again = pytester.runpytest("--schemakit-schemas", "schemas", "--collect-only", "-q")
    assert [line for line in again.stdout.lines if "::test_generated[" in line] == ids
    run = pytester.runpytest("--schemakit-schemas", "schemas")
    run.assert_outcomes(passed=8)


def test_markers_under_xdist(pytester: pytest.Pytester) -> None:
    write_schemas(pytester.path / "schemas")
    recorded(pytester)
    pytester.makepyfile(
        test_docs=DOCUMENTS_TEST,
        test_recorded="""
        import pytest
        from schemakit import assert_valid

        @pytest.mark.schemakit_responses("recorded", schema="BatchV2ProcessTask")
        def test_recorded(document, schema_name):
            assert_valid(document, schema_name, schemas=None)
        """,
    )
    recorded_run = pytester.runpytest_subprocess("-n", "2", "test_recorded.py")
    recorded_run.assert_outcomes(passed=2, failed=1)
    docs_run = pytester.runpytest_subprocess(
        "-n", "2", "--schemakit-schemas", "schemas", "test_docs.py"
    )
    # xdist checks that both workers collected the same ids; the ids hold a digest of each
    # document, so nondeterministic generation would fail here.
    docs_run.assert_outcomes(passed=8)


def test_broken_schema_option_is_one_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_one(schemakit_schemas):\n    assert False\n")
    (pytester.path / "swagger.yaml").write_text("swagger: '1.2'\ninfo: {title: x}\n")
    result = pytester.runpytest_subprocess("--schemakit-schemas", "swagger.yaml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = [line for line in result.stderr.lines if "schemakit:" in line]
    assert len(errors) == 1 and "Swagger version" in errors[0], result.stderr.lines
    assert "test_one" not in result.stdout.str()
