"""Big inputs: the same output for any --jobs, workers that never outlive the command,
a closed pipe that is not success, bounded --jobs, and --items streaming."""

from __future__ import annotations

import copy
import json
import os
import select
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import schemakit
from schemakit.cli import main
from schemakit.load import jsonio, jsonstream
from schemakit.validate import batches, parallel
from schemakit.validate.checker import check_sources
from schemakit.validate.report import RENDERERS
from schemakit.validate.validator import Validator

ROOT = Path(__file__).resolve().parents[1]
TASK = json.loads((ROOT / "examples" / "task.json").read_text())
SCHEMA = "BatchV2ProcessTask"


def _task(i: int, status: str = "DONE") -> dict[str, Any]:
    doc: dict[str, Any] = copy.deepcopy(TASK)
    doc["id"] = f"{i:08x}-0000-4000-8000-000000000000"
    doc["status"] = status
    return doc


def _lines(count: int) -> bytes:
    """Valid and invalid tasks, lines the strict reader refuses, blank lines, CRLF."""
    kinds: dict[int, Callable[[int], bytes]] = {
        3: lambda i: json.dumps(_task(i, "NOT_A_STATUS")).encode(),
        5: lambda i: json.dumps(_task(i), indent=None, separators=(", ", ": ")).encode() + b"\r",
        7: lambda i: b'{"id": "x", "id": "y"}',
        8: lambda i: b'{"status": NaN}',
        9: lambda i: b'["\xff"]',
        10: lambda i: b"",
        11: lambda i: b"[" * 600 + b"]" * 600,  # deep: left to the strict reader
        12: lambda i: b'{"a": 1',
    }
    out = []
    for i in range(count):
        make = kinds.get(i % 13)
        out.append(make(i) if make else json.dumps(_task(i), separators=(",", ":")).encode())
    return b"\n".join(out)  # no final newline


@pytest.fixture(scope="module")
def validator(sentinel: schemakit.SchemaSet) -> Validator:
    return sentinel.validator(SCHEMA)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("mixed")
    (folder / "a.jsonl").write_bytes(_lines(150))
    (folder / "b.json").write_text(json.dumps(TASK))
    (folder / "c.jsonl").write_bytes(_lines(30) + b"\n")
    return [str(folder / "a.jsonl"), str(folder / "b.json"), str(folder / "c.jsonl")]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("options", [[], ["-q"], ["--format", "json"], ["-q", "--format", "json"]])
def test_output_is_byte_identical_for_any_jobs_and_is_the_reference(
    validator: Validator,
    mixed: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    options: list[str],
) -> None:
    monkeypatch.setattr(batches, "BATCH_BYTES", 5000)  # ranges cut mid-line, many of them
    runs = [_run(capsys, "validate", "-s", SCHEMA, "-j", j, *options, *mixed) for j in "123"]
    assert runs[0] == runs[1] == runs[2]
    assert runs[0][0] == 2  # unreadable lines
    # The serial reference reader, rendered the same way.
    import io

    out, err = io.StringIO(), io.StringIO()
    quiet = "-q" in options
    render = RENDERERS["json" if "json" in options else "text"]
    for result in check_sources(validator, mixed):
        render(result, out, err, quiet)
    assert runs[0][1] == out.getvalue()
    assert runs[0][2].startswith(err.getvalue())
    # numbered across 50+ ranges, in either format
    assert f"{mixed[0]}:147: /status" in runs[0][1] or '"line": 147, "valid": false' in runs[0][1]


def test_errors_in_later_ranges_carry_their_file_line_and_column(
    mixed: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batches, "BATCH_BYTES", 3000)
    _code, _out, err = _run(capsys, "validate", "-q", "-s", SCHEMA, "-j", "2", mixed[0])
    # line 138 (i=137, 137 % 13 == 7) has a duplicate key: "id" again at column 13
    assert f"schemakit: error: {mixed[0]}:138:13: duplicate object key 'id'" in err.splitlines()


def test_jobs_are_capped_by_batches_and_cores(
    validator: Validator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pools: list[int] = []
    real = parallel._in_pool

    def spy(*args: Any) -> Any:
        pools.append(args[2])
        return real(*args)

    monkeypatch.setattr(parallel, "_in_pool", spy)
    one = tmp_path / "one.json"
    one.write_text(json.dumps(TASK))
    assert [r.valid for r in parallel.check_paths(validator, [str(one)], jobs=100_000)] == [True]
    assert pools == []  # one batch: checked here, no worker at all
    three = tmp_path / "three.jsonl"
    three.write_bytes(_lines(3 * 4))
    monkeypatch.setattr(batches, "BATCH_BYTES", three.stat().st_size // 3 + 1)
    assert (
        len(list(parallel.check_paths(validator, [str(three)], jobs=100_000))) == 11
    )  # one blank line
    assert pools == [min(3, parallel.JOBS_PER_CORE * parallel.cores())]
    assert parallel.resolve_jobs(100_000) == parallel.JOBS_PER_CORE * parallel.cores()


def test_help_states_the_jobs_cap(capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _err = _run(capsys, "validate", "--help")
    assert f"at most {parallel.JOBS_PER_CORE} per core" in " ".join(out.split())


# -- real processes ----------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _gone(pid: int, timeout: float) -> bool:
    """Whether ``pid`` ends within ``timeout`` seconds (waits on a pidfd, no polling)."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([fd], [], [], timeout)[0])
    finally:
        os.close(fd)


@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="needs Linux pidfds")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL, signal.SIGINT])
def test_workers_die_with_the_command(tmp_path: Path, signum: int) -> None:
    command = [sys.executable, "-m", "schemakit.cli", "validate", "-j", "2", "-s", SCHEMA, "-"]
    # pytest-xdist's workers ignore SIGINT, and an ignored signal stays ignored across exec:
    # the command would never see the Ctrl-C. Start it as a shell would, with the default.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    assert process.stdin is not None and process.stdout is not None
    # Two batches' worth, the first line invalid; stdin stays open, so the run goes on.
    first = json.dumps(_task(0, "NOT_A_STATUS")).encode() + b"\n"
    rest = (json.dumps(_task(1)) + "\n").encode() * (2 * batches.BATCH_BYTES // 2000 + 10)
    process.stdin.write(first + rest)
    process.stdin.flush()
    assert b"NOT_A_STATUS" in process.stdout.readline()  # a worker has checked it
    workers = _children(process.pid)
    assert len(workers) >= 2
    process.send_signal(signum)
    try:
        code = process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        code = None
    assert process.stderr is not None
    process.stdin.close()
    process.stdout.close()
    said = process.stderr.read().decode()
    process.stderr.close()
    assert code == (130 if signum == signal.SIGINT else -signum), said[-3000:]
    assert all(_gone(pid, timeout=30) for pid in workers)
    assert "Traceback" not in said, said[-3000:]


@pytest.mark.parametrize(
    ("jobs", "first", "expected"),
    [("1", "2020-01-01T00:00:00Z", 141), ("2", "2020-01-01T00:00:00Z", 141), ("2", 5, 1)],
)
def test_a_closed_pipe_is_not_success(tmp_path: Path, jobs: str, first: Any, expected: int) -> None:
    many = tmp_path / "many.jsonl"
    rest = '{"from": "2020-01-01T00:00:00Z"}\n' * 20000  # far more output than a pipe holds
    many.write_text(json.dumps({"from": first}) + "\n" + rest)
    script = (
        f'"{sys.executable}" -m schemakit.cli validate -j {jobs} -s TimeRange "{many}" | head -1;'
        ' echo "status=${PIPESTATUS[0]}"'
    )
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == f"status={expected}"
    assert result.stdout.startswith(f"{many}:1: ")
    assert "Traceback" not in result.stderr


# -- --items ---------------------------------------------------------------------------


def _export(tmp_path: Path, docs: list[Any], *, tail: str = "") -> Path:
    path = tmp_path / "export.json"
    body = ",\n".join(json.dumps(doc, indent=1) for doc in docs)
    path.write_text('{"meta": {"skip": [1, {"x": "]"}]}, "data": [\n' + body + "\n]" + tail + "}")
    return path


def test_items_are_validated_one_by_one_and_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = [_task(i, "NOT_A_STATUS" if i == 3 else "DONE") for i in range(6)]
    export = _export(tmp_path, docs)
    code, out, err = _run(capsys, "validate", "--items", "/data", "-s", SCHEMA, str(export))
    assert code == 1
    assert out.splitlines()[3].startswith(f"{export}:/data/3: /status: ")
    assert f"{export}:/data/5: valid" in out.splitlines()
    assert "6 documents: 5 valid, 1 invalid" in err
    code, out, _err = _run(
        capsys, "validate", "-q", "--items", "/data", "--format", "json", "-s", SCHEMA, str(export)
    )
    [record] = [json.loads(line) for line in out.splitlines()]
    assert (record["item"], record["errors"][0]["pointer"]) == ("/data/3", "/status")


def test_items_agree_with_the_same_documents_as_json_lines(
    tmp_path: Path, validator: Validator, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = [_task(i, ["DONE", "NOPE", "CREATED"][i % 3]) for i in range(40)]
    docs[7] = {"status": 3, "request": []}
    export = _export(tmp_path, docs)
    monkeypatch.setattr(jsonstream, "BLOCK_BYTES", 97)  # items cut across many blocks
    from schemakit.validate.items import check_items

    streamed = [
        r
        for outcome, _ in check_items(validator, str(export), "/data", keep_valid=True)
        for r in outcome.results
    ]
    assert [r.item for r in streamed] == [f"/data/{i}" for i in range(40)]
    expected = [[i.to_dict() for i in validator.errors(doc)] for doc in docs]
    assert [[i.to_dict() for i in r.issues] for r in streamed] == expected
    assert sum(map(bool, expected)) == 13  # the invalid ones among them


def test_a_top_level_array_and_bad_items(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "top.json"
    path.write_text('[\n{"id": 1, "id": 2},\n  {"status": NaN},\n' + json.dumps(TASK) + "\n]")
    code, out, err = _run(capsys, "validate", "-q", "--items", "", "-s", SCHEMA, str(path))
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[0] == f"schemakit: error: {path}:2:11: duplicate object key 'id' (item /0)"
    assert lines[1].startswith(f"schemakit: error: {path}:3:14: NaN is not valid JSON")


@pytest.mark.parametrize(
    ("text", "pointer", "message"),
    [
        ('{"data": {"a": 1}}', "/data", "expected an array at /data"),
        ('{"other": []}', "/data", "/data: no member 'data'"),
        ('{"data": [{"a": 1}, {"a": ]}', "/data", "invalid JSON: Expecting value"),
        ('{"data": [1, 2', "/data", "invalid JSON: expected ',' or ']'"),
        ("[1]", "data", "--items must be a JSON pointer"),
    ],
)
def test_items_that_cannot_be_reached_are_one_clean_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, pointer: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    code, _out, err = _run(capsys, "validate", "-q", "--items", pointer, "-s", SCHEMA, str(path))
    assert code == 2
    assert message in err and "Traceback" not in err


def test_items_memory_is_one_block_and_one_item(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = [_task(i) for i in range(300)]
    export = _export(tmp_path, docs)
    item_size = max(len(json.dumps(doc, indent=1)) for doc in docs)
    monkeypatch.setattr(jsonstream, "BLOCK_BYTES", 4096)
    widest = 0
    fill = jsonstream._Window.fill

    def watched(window: jsonstream._Window) -> bool:
        nonlocal widest
        more = fill(window)
        widest = max(widest, len(window.text))
        return more

    monkeypatch.setattr(jsonstream._Window, "fill", watched)
    items = list(jsonstream.iter_items(str(export), "/data"))
    assert len(items) == 300 and all(item.error is None for item in items)
    assert widest <= 2 * 4096 + item_size
    assert export.stat().st_size > 20 * widest  # the file was never held whole


def test_an_item_larger_than_the_limit_stops_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = _export(tmp_path, [_task(0), {"big": "x" * 5000}, _task(2)])
    monkeypatch.setattr(jsonio, "MAX_DOCUMENT_BYTES", 3000)
    monkeypatch.setattr(jsonstream, "BLOCK_BYTES", 1000)
    items = list(jsonstream.iter_items(str(export), "/data"))
    assert [item.pointer for item in items] == ["/data/0", "/data/1"]
    assert items[0].error is None
    assert items[1].error is not None and "an item larger than 3000 bytes" in str(items[1].error)


def test_items_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    data = json.dumps({"data": [_task(0), _task(1, "NOPE")]}).encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _err = _run(capsys, "validate", "-q", "--items", "/data", "-s", SCHEMA, "-")
    assert code == 1 and out.startswith("<stdin>:/data/1: /status: ")
