"""The ``schemakit`` command: validate / list / show / bundle, exit codes 0 (valid),
1 (invalid), 2 (usage or input error), and one readable line per problem, never a
traceback."""

from __future__ import annotations

import copy
import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml

import schemakit
from conftest import ROOT
from schemakit.cli import main

TASK: dict[str, Any] = json.loads((ROOT / "examples" / "task.json").read_text())
REFS = ROOT / "tests" / "data" / "refs"
ITEM = "/request/processRequest/input/data/0"


def bad_task() -> dict[str, Any]:
    task = copy.deepcopy(TASK)
    task["request"]["processRequest"]["input"]["data"][0]["dataFilter"]["maxCloudCoverage"] = 150
    task["status"] = "done"
    return task


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def feed_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "task.json").write_text(json.dumps(TASK, indent=2))
    (tmp_path / "bad.json").write_text(json.dumps(bad_task(), indent=2))
    (tmp_path / "task.yaml").write_text(yaml.safe_dump(TASK))
    lines = [json.dumps(TASK), json.dumps(bad_task()), "", '{"id": ', json.dumps(TASK)]
    (tmp_path / "tasks.jsonl").write_text("\n".join(lines) + "\n")
    (tmp_path / "good.jsonl").write_text(json.dumps(TASK) + "\n" + json.dumps(TASK) + "\n")
    return tmp_path


# -- validate: verdicts and exit codes ---------------------------------------------------


def test_valid_json(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    code, out, err = run(capsys, "validate", "-s", "BatchV2ProcessTask", str(files / "task.json"))
    assert (code, out, err) == (0, f"{files / 'task.json'}: valid\n", "")


def test_invalid_json_text_output(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    path = str(files / "bad.json")
    code, out, err = run(capsys, "validate", "-s", "BatchV2ProcessTask", path)
    assert code == 1 and err == ""
    assert out.splitlines() == [
        f"{path}: {ITEM}/dataFilter/maxCloudCoverage: 150 is greater than the maximum of 100 "
        "(in oneOf branch S2L2ADataset, the closest match)  [MaxCloudCoverage#/maximum]",
        f"{path}: /status: \"done\" is not one of ['CREATED', 'ANALYSING', 'ANALYSIS_DONE', "
        "'PROCESSING', 'DONE', 'FAILED', 'STOPPED']  [BatchV2ProcessTask#/properties/status/enum]",
    ]


def test_yaml_document(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    code, out, _err = run(capsys, "validate", "-s", "BatchV2ProcessTask", str(files / "task.yaml"))
    assert code == 0 and out.endswith("task.yaml: valid\n")


def test_json_lines_one_verdict_per_line(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    path = str(files / "tasks.jsonl")
    code, out, err = run(capsys, "validate", "-s", "BatchV2ProcessTask", path)
    assert code == 2  # a line could not be read; the others were still checked
    lines = out.splitlines()
    assert lines[0] == f"{path}:1: valid"
    assert lines[1].startswith(f"{path}:2: {ITEM}/dataFilter/maxCloudCoverage: 150 is greater")
    assert lines[2].startswith(f"{path}:2: /status: ")
    assert lines[3] == f"{path}:5: valid"  # line 3 is blank, line 4 broken
    assert len(lines) == 4
    assert err.splitlines() == [
        f"schemakit: error: {path}:4:8: invalid JSON: Expecting value",
        "4 documents: 2 valid, 1 invalid, 1 unreadable (maximum: 1, enum: 1)",
    ]


@pytest.mark.parametrize(("name", "code"), [("good.jsonl", 0), ("task.json", 0), ("bad.json", 1)])
def test_exit_codes(capsys: pytest.CaptureFixture[str], files: Path, name: str, code: int) -> None:
    assert run(capsys, "validate", "-s", "BatchV2ProcessTask", str(files / name))[0] == code


def test_several_paths_and_a_summary(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    code, out, err = run(
        capsys,
        "validate",
        "-s",
        "BatchV2ProcessTask",
        str(files / "task.json"),
        str(files / "bad.json"),
        str(files / "good.jsonl"),
    )
    assert code == 1
    assert [line.split(": ")[0] for line in out.splitlines()] == [
        str(files / "task.json"),
        str(files / "bad.json"),
        str(files / "bad.json"),
        f"{files / 'good.jsonl'}:1",
        f"{files / 'good.jsonl'}:2",
    ]
    assert err == "4 documents: 3 valid, 1 invalid (maximum: 1, enum: 1)\n"


def test_json_format(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    code, out, err = run(
        capsys,
        "validate",
        "-s",
        "BatchV2ProcessTask",
        "--format",
        "json",
        str(files / "task.json"),
        str(files / "tasks.jsonl"),
    )
    assert code == 2 and err == ""
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r["source"].rsplit("/", 1)[-1], r["line"], r["valid"]) for r in records] == [
        ("task.json", None, True),
        ("tasks.jsonl", 1, True),
        ("tasks.jsonl", 2, False),
        ("tasks.jsonl", 4, None),
        ("tasks.jsonl", 5, True),
    ]
    assert records[0]["errors"] == []
    first = records[2]["errors"][0]
    assert first == {
        "pointer": f"{ITEM}/dataFilter/maxCloudCoverage",
        "message": "150 is greater than the maximum of 100 "
        "(in oneOf branch S2L2ADataset, the closest match)",
        "rule": "maximum",
        "schema_path": first["schema_path"],
        "schema": "MaxCloudCoverage",
        "rule_location": "/maximum",
    }
    assert records[3]["error"].endswith("tasks.jsonl:4:8: invalid JSON: Expecting value")


def test_quiet_prints_only_problems(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    code, out, err = run(
        capsys,
        "validate",
        "-q",
        "-s",
        "BatchV2ProcessTask",
        str(files / "task.json"),
        str(files / "bad.json"),
    )
    assert code == 1 and err == ""
    assert "valid\n" not in out and len(out.splitlines()) == 2


def test_upstream_flag(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    path = str(files / "task.json")
    code, out, _err = run(capsys, "validate", "--upstream", "-s", "BatchV2ProcessTask", path)
    assert code == 1
    assert "'group' is a required property" in out


@pytest.mark.parametrize(
    ("data", "options", "expected"),
    [
        (json.dumps(TASK).encode(), [], ["<stdin>: valid"]),
        (yaml.safe_dump(TASK).encode(), ["--input-format", "yaml"], ["<stdin>: valid"]),
        (b"\xef\xbb\xbf" + json.dumps(TASK, indent=1).encode(), [], ["<stdin>: valid"]),
        (
            f"{json.dumps(TASK)}\n\n{json.dumps(TASK)}\n".encode(),
            [],
            ["<stdin>:1: valid", "<stdin>:3: valid"],
        ),
    ],
    ids=["json", "yaml", "bom", "jsonl"],
)
def test_stdin(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: bytes,
    options: list[str],
    expected: list[str],
) -> None:
    feed_stdin(monkeypatch, data)
    code, out, _err = run(capsys, "validate", "-s", "BatchV2ProcessTask", *options, "-")
    assert code == 0 and out.splitlines() == expected


def test_stdin_and_files_together(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, files: Path
) -> None:
    feed_stdin(monkeypatch, json.dumps(bad_task()).encode())
    code, out, _err = run(
        capsys, "validate", "-s", "BatchV2ProcessTask", str(files / "task.json"), "-"
    )
    assert code == 1
    assert out.splitlines()[0].endswith("task.json: valid")
    assert out.splitlines()[1].startswith("<stdin>: ")


def test_other_schema_sets(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pet = tmp_path / "pet.json"
    pet.write_text(json.dumps({"petType": "cat", "name": "Tom", "age": 2**31}))
    openapi = str(REFS / "openapi" / "pets-3.0.yaml")
    code, out, _err = run(capsys, "validate", "--schemas", openapi, "-s", "AnyPet", str(pet))
    assert code == 1
    assert out == (
        f"{pet}: /age: 2147483648 is not a 'int32' (in oneOf branch Cat, the closest match)"
        "  [Pet#/properties/age/format]\n"
    )
    person = tmp_path / "person.json"
    person.write_text(json.dumps({"name": "A", "pet": {"species": "cow"}}))
    code, out, _err = run(
        capsys, "validate", "--schemas", str(REFS / "set"), "-s", "person", str(person)
    )
    assert code == 1 and out.endswith("[sub/pet#/properties/species/enum]\n")


# -- bad input: one line, exit 2, no traceback ---------------------------------------------


def one_line_error(err: str) -> str:
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"id": "x",\n  "status": }', "bad.json:2:13: invalid JSON: Expecting value"),
        (b'{"costPU": NaN}', "bad.json:1:12: NaN is not valid JSON"),
        (b'{"costPU": -Infinity}', "bad.json:1:12: -Infinity is not valid JSON"),
        (b'{"id": "a",\n "id": "b"}', "bad.json:2:2: duplicate object key 'id'"),
        (b"[" * 100_000, "bad.json:1:513: nesting deeper than 512 levels"),
        (b'{"description": "caf\xe9"}', "bad.json:1:21: not valid UTF-8 (byte 0xe9)"),
        (b"", "bad.json: file is empty"),
        (b'{"a": 1} {"b": 2}', "bad.json:1:10: invalid JSON: Extra data"),
    ],
    ids=["syntax", "nan", "infinity", "duplicate", "deep", "utf8", "empty", "two"],
)
def test_unreadable_documents(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    code, out, err = run(capsys, "validate", "-s", "BatchV2ProcessTask", str(path))
    assert code == 2 and out == ""
    line = one_line_error(err)
    assert line.startswith(f"schemakit: error: {tmp_path}/")
    assert expected in line


def test_bom_is_accepted(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(TASK).encode())
    assert run(capsys, "validate", "-s", "BatchV2ProcessTask", str(path))[0] == 0


def test_bad_lines_in_json_lines(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [b'{"a": NaN}', b'{"id": 1, "id": 2}', b"\xff", json.dumps(TASK).encode(), b"[" * 5000]
    path.write_bytes(b"\n".join(lines) + b"\n")
    code, out, err = run(capsys, "validate", "-q", "-s", "BatchV2ProcessTask", str(path))
    assert code == 2 and out == ""
    assert "Traceback" not in err
    assert [line.split(": ", 3)[2:] for line in err.splitlines()] == [
        [f"{path}:1:7", "NaN is not valid JSON (only finite numbers are allowed)"],
        [f"{path}:2:11", "duplicate object key 'id'"],
        [f"{path}:3:1", "not valid UTF-8 (byte 0xff)"],
        [f"{path}:5:513", "nesting deeper than 512 levels"],
    ]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["validate", "-s", "BatchV2ProcessTask", "{missing}"], "{missing}: no such file"),
        (["validate", "-s", "BatchV2ProcessTask", "{dir}"], "is a directory, expected a file"),
    ],
)
def test_missing_and_unreadable_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], expected: str
) -> None:
    values = {"missing": str(tmp_path / "nope.json"), "dir": str(tmp_path)}
    code, out, err = run(capsys, *[arg.format(**values) for arg in argv])
    assert code == 2 and out == ""
    assert expected.format(**values) in one_line_error(err)


def test_unreadable_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A path the OS cannot open (a file used as a directory; a mode-000 file would not
    do: the test may run as root)."""
    (tmp_path / "file.json").write_text("{}")
    path = tmp_path / "file.json" / "task.json"
    code, _out, err = run(capsys, "validate", "-s", "BatchV2ProcessTask", str(path))
    assert code == 2
    assert one_line_error(err) == f"schemakit: error: {path}: cannot read: Not a directory"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["validate", "-s", "BatchV2ProcessTsk", "x.json"],
            "schemakit: error: unknown schema 'BatchV2ProcessTsk' (did you mean "
            "'BatchV2ProcessTask'",
        ),
        (["show", "batchv2processtask"], "did you mean 'BatchV2ProcessTask'"),
        (["bundle", "Nope"], "schemakit: error: unknown schema 'Nope'"),
        (["validate", "x.json"], "Missing option '--schema'"),
        (["validate", "-s", "BatchV2ProcessTask"], "Missing argument 'PATHS'"),
        (["validate", "--bogus", "-s", "X", "x.json"], "No such option: --bogus"),
        (["validate", "--format", "xml", "-s", "X", "x.json"], "--format must be text or json"),
        (["frobnicate"], "No such command 'frobnicate'"),
    ],
)
def test_usage_errors(capsys: pytest.CaptureFixture[str], argv: list[str], expected: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert expected in one_line_error(err)


BROKEN = REFS / "broken"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (BROKEN / "dangling", "order.json#/properties/customer/$ref: cannot resolve $ref"),
        (BROKEN / "cycle", "b.json#/$ref: $ref cycle with no base case"),
        (BROKEN / "allof-self", "node.json#/allOf/0/$ref: $ref cycle with no base case"),
        (BROKEN / "invalid-type", "thing.json#/properties/size/type: not a valid draft 2020-12"),
        (BROKEN / "bad-pattern", "code.json#/properties/code/pattern: not a valid draft 2020-12"),
        (BROKEN / "swagger2.yaml", "swagger2.yaml: unsupported Swagger version '1.2' (2.0 is)"),
        (BROKEN / "nope", "nope: no such file or directory"),
    ],
    ids=lambda value: value.name if isinstance(value, Path) else "",
)
def test_broken_schema_sets(
    capsys: pytest.CaptureFixture[str], files: Path, source: Path, expected: str
) -> None:
    for argv in (
        ["validate", "--schemas", str(source), "-s", "x", str(files / "task.json")],
        ["list", "--schemas", str(source)],
        ["bundle", "--schemas", str(source), "x"],
    ):
        code, out, err = run(capsys, *argv)
        assert code == 2 and out == ""
        line = one_line_error(err)
        assert line.startswith(f"schemakit: error: {BROKEN}/")
        assert expected in line


def test_no_traceback_from_a_real_process(tmp_path: Path) -> None:
    """The installed entry point, end to end: the same one-line errors."""
    deep = tmp_path / "deep.json"
    deep.write_bytes(b"[" * 100_000)
    for argv, code in [
        (["validate", "-s", "BatchV2ProcessTask", str(deep)], 2),
        (["validate", "-s", "Nope", str(deep)], 2),
        (["list", "--schemas", str(BROKEN / "cycle")], 2),
    ]:
        done = subprocess.run(
            [sys.executable, "-m", "schemakit.cli", *argv], capture_output=True, text=True
        )
        assert done.returncode == code
        one_line_error(done.stderr)


# -- streaming -----------------------------------------------------------------------------


def test_json_lines_on_a_pipe_are_checked_as_they_arrive() -> None:
    """The first verdict comes out while the writer still holds the pipe open: the input is
    read lazily, not slurped (a generator could write forever)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "schemakit.cli", "validate", "-s", "BatchV2ProcessTask", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None and process.stdout is not None
    line = (json.dumps(TASK) + "\n").encode()
    first: list[bytes] = []
    reader = threading.Thread(target=lambda: first.append(process.stdout.readline()))  # type: ignore[union-attr]
    reader.start()
    try:
        for _ in range(3000):  # a few MB: more than one read block, more than stdout buffers
            process.stdin.write(line)
        process.stdin.flush()
        reader.join(timeout=120)
        assert first == [b"<stdin>:1: valid\n"]  # stdin is still open here
    finally:
        process.stdin.close()
        process.wait(timeout=120)
        process.stdout.close()
        assert process.stderr is not None
        process.stderr.close()
    assert process.returncode == 0


def test_a_json_lines_file_is_read_lazily(tmp_path: Path) -> None:
    """Through a FIFO: records come out before the writer has finished."""
    from schemakit.load.jsonio import iter_documents

    fifo = tmp_path / "tasks.jsonl"
    os.mkfifo(fifo)
    written = threading.Event()
    finish = threading.Event()

    def writer() -> None:
        with fifo.open("w") as stream:
            stream.write(json.dumps(TASK) + "\n")
            stream.flush()
            written.set()
            finish.wait(timeout=60)
            stream.write(json.dumps(TASK) + "\n")

    thread = threading.Thread(target=writer)
    thread.start()
    records = iter_documents(str(fifo))
    first = next(records)
    assert not finish.is_set()  # the writer still holds the FIFO open
    assert written.wait(timeout=60)
    assert first.line == 1 and first.document == TASK
    finish.set()
    assert [record.line for record in records] == [2]
    thread.join(timeout=60)


# -- list / show / bundle ---------------------------------------------------------------------


def test_list(capsys: pytest.CaptureFixture[str], sentinel: schemakit.SchemaSet) -> None:
    code, out, err = run(capsys, "list")
    assert code == 0 and err == ""
    assert out.splitlines() == list(sentinel.names)  # names only: `list | xargs` works
    code, out, err = run(capsys, "list", "--long")
    assert [line.split("\t")[0] for line in out.splitlines()] == list(sentinel.names)
    assert "BatchV2RasterOutput\tRasterOutput" in out.splitlines()
    code, out, _err = run(capsys, "list", "--format", "json")
    assert json.loads(out) == list(sentinel.names)
    code, out, _err = run(capsys, "list", "--long", "--schemas", str(REFS / "set"))
    assert out.splitlines() == [
        "address\tAddress",
        "person\tPerson",
        "sub/pet\tPet",
        "sub/toy\tToy",
    ]


def test_show(
    capsys: pytest.CaptureFixture[str],
    sentinel: schemakit.SchemaSet,
    sentinel_upstream: schemakit.SchemaSet,
) -> None:
    code, out, err = run(capsys, "show", "BatchV2RasterOutput")
    assert code == 0 and err == ""
    assert json.loads(out) == sentinel.schema("BatchV2RasterOutput")
    code, out, _err = run(capsys, "show", "--upstream", "BatchV2RasterOutput")
    assert json.loads(out) == sentinel_upstream.schema("BatchV2RasterOutput")
    assert json.loads(out) != sentinel.schema("BatchV2RasterOutput")


def test_bundle(
    capsys: pytest.CaptureFixture[str], sentinel: schemakit.SchemaSet, tmp_path: Path
) -> None:
    code, out, err = run(capsys, "bundle", "BatchV2ProcessTask")
    assert code == 0 and err == ""
    assert json.loads(out) == sentinel.bundle("BatchV2ProcessTask")
    target = tmp_path / "out" / "task.schema.json"
    code, out, err = run(capsys, "bundle", "BatchV2ProcessTask", "-o", str(target))
    assert (code, out, err) == (0, "", "")
    assert json.loads(target.read_text()) == sentinel.bundle("BatchV2ProcessTask")
    assert [p.name for p in target.parent.iterdir()] == ["task.schema.json"]  # no temp files


def test_output_to_a_closed_pipe_is_quiet() -> None:
    done = subprocess.run(
        f"{sys.executable} -m schemakit.cli list | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
    )
    assert done.stdout.startswith("BYOCDataset")
    assert "Traceback" not in done.stderr and "Error" not in done.stderr


def test_no_arguments_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys)
    assert code == 0 and "validate" in out and "bundle" in out
