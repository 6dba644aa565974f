"""Fuzzing the CLI and the loader: whatever the input, an exit code of 0, 1 or 2 and no
traceback (``main`` lets unexpected exceptions through, so any would fail the test)."""

from __future__ import annotations

import copy
import io
import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemakit import SchemaSet, cli
from schemakit.cli import main
from schemakit.validate.report import RENDERERS

ROOT = Path(__file__).resolve().parents[1]
TASK = json.loads((ROOT / "examples" / "task.json").read_text())
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_counter = itertools.count()

# -- strategies -----------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=15,
)
NASTY = st.sampled_from(
    [
        b"NaN",
        b"-Infinity",
        b"1e400",
        b"\xef\xbb\xbf",
        b'"\\ud800"',
        b"\xff\xfe",
        b"{",
        b"]",
        b",",
        b"&a [*a]",
        b"!!binary",
        b"!!python/object:os.system",
        b"\n",
        b"\r\n",
        b'"k": 1, "k": 2',
        b"9" * 4400,
        b"[" * 3000,
        b"- ",
        b": ",
        b"\x00",
    ]
)


@st.composite
def document_bytes(draw: st.DrawFn) -> bytes:
    """Mostly JSON/YAML-shaped text with nasty fragments spliced in; sometimes pure noise."""
    if draw(st.integers(0, 4)) == 0:
        return draw(st.binary(max_size=200))
    value = draw(JSON_VALUES)
    lines = draw(st.integers(1, 3))
    data = b"\n".join(json.dumps(value).encode() for _ in range(lines))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(NASTY) + data[at:]
    return data


SUFFIXES = st.sampled_from([".json", ".yaml", ".jsonl", ".ndjson", ".txt"])

PATTERNS = st.sampled_from(["^a", "(", "^(a+)+$", "[", "\\p{L}", "(?<=x)y", "\\"])
REFS = st.sampled_from(
    [
        "#",
        "#/$defs/a",
        "#/$defs/missing",
        "#/properties",
        "#anchor",
        "other.json",
        "other.json#/$defs/a",
        "../outside.json",
        "file:///etc/passwd",
        "http://127.0.0.1:9/never.json",
        "#/components/schemas/other",
        "urn:x:y",
        "%%",
        "",
    ]
)


def _schemas(depth: int) -> st.SearchStrategy[Any]:
    leaf = st.one_of(
        st.booleans(),
        st.fixed_dictionaries(
            {},
            optional={
                "type": st.sampled_from(["string", "integer", "object", "array", "nope", ["null"]]),
                "pattern": PATTERNS,
                "format": st.sampled_from(["date-time", "uuid", "regex", "int32", "bogus"]),
                "minimum": st.one_of(
                    st.integers(), st.floats(allow_nan=False), st.text(max_size=2)
                ),
                "enum": st.lists(JSON_VALUES, max_size=3),
                "const": JSON_VALUES,
                "$ref": REFS,
                "$dynamicRef": REFS,
                "$anchor": st.sampled_from(["anchor", "bad anchor", "a"]),
                "$id": st.sampled_from(["sub.json", "http://example.com/x", "#frag", ""]),
                "required": st.lists(st.text(max_size=3), max_size=2),
            },
        ),
    )
    if depth == 0:
        return leaf
    inner = _schemas(depth - 1)
    return st.one_of(
        leaf,
        st.fixed_dictionaries(
            {},
            optional={
                "properties": st.dictionaries(st.text(max_size=3), inner, max_size=3),
                "patternProperties": st.dictionaries(PATTERNS, inner, max_size=2),
                "items": inner,
                "allOf": st.lists(inner, max_size=2),
                "oneOf": st.lists(inner, max_size=3),
                "not": inner,
                "if": inner,
                "then": inner,
                "$defs": st.dictionaries(st.sampled_from(["a", "b"]), inner, max_size=2),
                "additionalProperties": inner,
                "unevaluatedProperties": inner,
                "$ref": REFS,
            },
        ),
        st.just({"$ref": "#"}),
        st.just({"allOf": [{"$ref": "#"}]}),  # a cycle with no base case
    )


SCHEMAS = _schemas(2)

# -- helpers ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _fresh(workdir: Path) -> Path:
    folder = workdir / str(next(_counter))
    folder.mkdir()
    return folder


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> int:
    code = main(argv)
    captured = capsys.readouterr()
    assert code in (0, 1, 2), (argv, code, captured.err)
    if code == 2:  # says why: on stderr, or in the JSON results
        assert captured.err.strip() or '"error"' in captured.out, argv
    return code


SMALL_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "when": {"type": "string", "format": "date-time"},
        "name": {"type": "string", "pattern": "^(a+)+$", "maxLength": 50},
        "n": {"type": "integer", "format": "int32"},
        "tags": {"type": "array", "items": {"enum": ["a", "b"]}, "uniqueItems": True},
        "kind": {"oneOf": [{"const": 1}, {"type": "string"}]},
    },
    "patternProperties": {"^x-": True},
    "additionalProperties": False,
}

# -- the fuzz tests ----------------------------------------------------------------------


@FUZZ
@given(data=document_bytes(), suffix=SUFFIXES, jobs=st.sampled_from(["1", "2"]))
def test_random_documents_never_crash_validate(
    workdir: Path, capsys: pytest.CaptureFixture[str], data: bytes, suffix: str, jobs: str
) -> None:
    folder = _fresh(workdir)
    (folder / "s.json").write_text(json.dumps(SMALL_SCHEMA))
    (folder / f"doc{suffix}").write_bytes(data)
    for output in ("text", "json"):
        argv = ["validate", "-s", "s", "--schemas", str(folder / "s.json"), "--format", output]
        _run([*argv, "--jobs", jobs, str(folder / f"doc{suffix}")], capsys)


@FUZZ
@given(files=st.dictionaries(st.sampled_from(["a", "b", "other"]), SCHEMAS, min_size=1, max_size=3))
def test_random_schema_sets_never_crash_the_loader(
    workdir: Path, capsys: pytest.CaptureFixture[str], files: dict[str, Any]
) -> None:
    folder = _fresh(workdir)
    for name, schema in files.items():
        (folder / f"{name}.json").write_text(json.dumps(schema))
    (folder / "doc.json").write_text(json.dumps({"a": [1, "x", {"b": None}]}))
    _run(["list", "--schemas", str(folder)], capsys)
    for name in files:
        _run(["show", name, "--schemas", str(folder)], capsys)
        _run(["bundle", name, "--schemas", str(folder)], capsys)
        _run(["validate", "-s", name, "--schemas", str(folder), str(folder / "doc.json")], capsys)


@FUZZ
@given(schema=SCHEMAS, text=document_bytes())
def test_random_schema_files_in_yaml_and_openapi_never_crash(
    workdir: Path, capsys: pytest.CaptureFixture[str], schema: Any, text: bytes
) -> None:
    folder = _fresh(workdir)
    openapi = {
        "openapi": "3.0.3",
        "components": {"schemas": {"a": schema, "b": {"nullable": True}}},
    }
    (folder / "api.json").write_text(json.dumps(openapi))
    (folder / "raw.yaml").write_bytes(text)  # random bytes as a schema file
    _run(["list", "--schemas", str(folder / "api.json")], capsys)
    _run(["list", "--schemas", str(folder / "raw.yaml")], capsys)
    _run(["list", "--schemas", str(folder)], capsys)


def _mutate(document: Any, path: list[Any], value: Any) -> Any:
    result = copy.deepcopy(document)
    node = result
    for step in path[:-1]:
        node = node[step]
    if path:
        node[path[-1]] = value
        return result
    return value


def _paths(node: Any, prefix: list[Any]) -> list[list[Any]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, child in node.items():
            found += _paths(child, [*prefix, key])
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += _paths(child, [*prefix, index])
    return found


TASK_PATHS = _paths(TASK, [])


@settings(max_examples=60, deadline=None)
@given(path=st.sampled_from(TASK_PATHS), value=JSON_VALUES)
def test_mutated_tasks_get_consistent_verdicts(
    sentinel: SchemaSet, path: list[Any], value: Any
) -> None:
    validator = sentinel.validator("BatchV2ProcessTask")
    document = _mutate(TASK, path, value)
    issues = validator.errors(document)
    assert validator.is_valid(document) == (not issues)
    from schemakit.validate.checker import DocumentResult

    result = DocumentResult("doc", None, tuple(issues))
    for render in RENDERERS.values():
        out, err = io.StringIO(), io.StringIO()
        render(result, out, err, False)
        out.getvalue().encode("utf-8")  # printable as UTF-8


_ENTRY = "import sys; from schemakit.cli import main; sys.exit(main())"


@pytest.mark.parametrize(
    ("argv", "stdin", "codes"),
    [
        (["validate", "-s", "BatchV2ProcessTask", "examples/task.json"], b"", {0}),
        (["validate", "-s", "BatchV2ProcessTask", "-j", "2", "-"], b'{"a": NaN}\n{}\n', {2}),
        (["validate", "-s", "BatchV2ProcessTask", "-"], b"\xff\xfe\x00garbage", {2}),
        (["validate", "--jobs", "-3", "-s", "X", "x.json"], b"", {2}),
    ],
)
def test_the_real_entry_point(argv: list[str], stdin: bytes, codes: set[int]) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from schemakit.cli import main; sys.exit(main())",
            *argv,
        ],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode in codes, err
    assert "Traceback" not in err
    assert all(line and not line[0].isspace() for line in err.splitlines()), err
    if done.returncode == 2:
        assert err.strip(), "exit 2 says why"


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "-s", "NoSuchSchema", "examples/task.json"],
        ["validate", "--jobs", "-3", "-s", "X", "x.json"],
        ["bundle", "X", "--schemas", "/etc/passwd"],
        ["list", "--schemas", "/nonexistent"],
        ["show"],
        ["nosuchcommand"],
    ],
)
def test_bad_usage_is_one_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith("schemakit: error:"), err
