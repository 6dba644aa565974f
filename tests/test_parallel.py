"""``--jobs``: same results in the same order as the serial reader, bounded reading."""

from __future__ import annotations

import copy
import io
import json
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from schemakit import SchemaSet
from schemakit.cli import main
from schemakit.load import jsonio
from schemakit.validate import batches, parallel
from schemakit.validate.batches import Batch, iter_batches
from schemakit.validate.checker import check_sources
from schemakit.validate.parallel import check_paths, resolve_jobs
from schemakit.validate.progress import RunProgress, total_bytes
from schemakit.validate.validator import Validator

ROOT = Path(__file__).resolve().parents[1]
TASK = json.loads((ROOT / "examples" / "task.json").read_text())


def _mixed_lines(count: int) -> list[bytes]:
    """Valid tasks, invalid ones, unreadable lines and blank lines, deterministically."""
    lines = []
    for i in range(count):
        doc = copy.deepcopy(TASK)
        doc["id"] = f"{i:08x}-0000-4000-8000-000000000000"
        kind = i % 11
        if kind == 3:
            doc["status"] = "NOT_A_STATUS"
        elif kind == 5:
            del doc["request"]
        if kind == 7:
            lines.append(b'{"broken": ')
        elif kind == 8:
            lines.append(b'{"name": "\xff\xfe"}')
        elif kind == 9:
            lines.append(b"   ")
        else:
            lines.append(json.dumps(doc).encode())
    return lines


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "a.jsonl").write_bytes(b"\n".join(_mixed_lines(300)) + b"\n")
    (folder / "b.json").write_text(json.dumps(TASK))
    (folder / "c.yaml").write_text("id: 1\nstatus: [\n")
    (folder / "d.ndjson").write_bytes(b"\n".join(_mixed_lines(40)))  # no final newline
    return [
        str(folder / "b.json"),
        str(folder / "a.jsonl"),
        str(folder / "missing.json"),
        str(folder / "c.yaml"),
        str(folder / "missing.jsonl"),
        str(folder / "d.ndjson"),
        str(folder / "b.json"),
    ]


@pytest.fixture(scope="module")
def validator(sentinel: SchemaSet) -> Validator:
    return sentinel.validator("BatchV2ProcessTask")


def _dicts(results: Any) -> list[dict[str, Any]]:
    return [result.to_dict() for result in results]


def test_serial_batches_match_the_reference_reader(
    validator: Validator, inputs: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _dicts(check_sources(validator, inputs))
    assert {d["valid"] for d in expected} == {True, False, None}  # the input mixes all three
    monkeypatch.setattr(batches, "BATCH_BYTES", 1500)  # many batches, cut mid-line
    assert _dicts(check_paths(validator, inputs, jobs=1)) == expected


def test_parallel_output_is_the_serial_output(
    validator: Validator, inputs: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batches, "BATCH_BYTES", 4000)
    serial = _dicts(check_paths(validator, inputs, jobs=1))
    assert _dicts(check_paths(validator, inputs, jobs=2)) == serial
    assert len(serial) == 2 + 273 + 1 + 1 + 1 + 37 + 0  # b, a (no blanks), missing, c, ...


def test_cli_output_is_identical_for_any_jobs(
    inputs: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = []
    for jobs in ("1", "2", "3"):
        code = main(["validate", "-s", "BatchV2ProcessTask", "--jobs", jobs, *inputs])
        captured = capsys.readouterr()
        outputs.append((code, captured.out, captured.err))
    assert outputs[0][0] == 2  # unreadable documents
    assert outputs[0] == outputs[1] == outputs[2]
    assert "documents:" in outputs[0][2]  # the summary
    code = main(["validate", "-s", "BatchV2ProcessTask", "-j", "2", "--format", "json", *inputs])
    lines = capsys.readouterr().out.splitlines()
    assert code == 2 and [json.loads(line)["line"] for line in lines[1:4]] == [1, 2, 3]


def test_line_numbers_survive_batch_boundaries(
    validator: Validator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "n.jsonl"
    path.write_bytes(b"\n".join([b"{}", b"", b"[1,", b"{}", b"\n", b'{"a": 1}']))
    monkeypatch.setattr(batches, "BATCH_BYTES", 3)
    results = list(check_paths(validator, [str(path)], jobs=1))
    assert [r.line for r in results] == [1, 3, 4, 7]
    assert results[1].error is not None and results[1].error.where == f"{path}:3:4"


def test_overlong_lines_are_skipped_without_reading_them_whole(
    validator: Validator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "long.jsonl"
    path.write_bytes(b"{}\n" + b"[" + b"1," * 5000 + b"1]\n" + b"{}\n" + b"[" + b"2," * 3000)
    monkeypatch.setattr(jsonio, "MAX_DOCUMENT_BYTES", 1000)
    monkeypatch.setattr(batches, "BATCH_BYTES", 64)
    results = list(check_paths(validator, [str(path)], jobs=1))
    assert [r.line for r in results] == [1, 2, 3, 4]
    assert [r.error is not None for r in results] == [False, True, False, True]
    assert "longer than 1000 bytes" in str(results[1].error)


class _CountingStream(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.served = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.served += len(chunk)
        return chunk


def test_reading_is_lazy_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batches, "BATCH_BYTES", 10_000)
    stream = _CountingStream(b"\n".join(_mixed_lines(2000)))
    blocks = batches.line_batches(stream, "s")
    first = next(blocks)
    assert stream.served <= 2 * 10_000  # one block, not the whole (~4 MB) input
    assert first.first_line == 1 and first.payload[0].endswith(b"\n")


def test_at_most_a_few_batches_are_in_flight(validator: Validator) -> None:
    pulled = 0

    def blocks() -> Iterator[Batch]:
        nonlocal pulled
        for number in range(1, 200):
            pulled += 1
            yield Batch("lines", "s", (b"{}\n", False), 3, number)

    results = parallel._in_pool(validator, blocks(), 2)
    batch, first = next(results)
    assert batch.first_line == 1 and first.results[0].line == 1
    assert pulled <= parallel.IN_FLIGHT_PER_JOB * 2  # not the whole input
    rest = [outcome.results[0].line for _, outcome in results]
    assert rest == list(range(2, 200))  # and in input order


def test_stdin_is_batched_like_a_file(
    validator: Validator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    data = b"\n".join(_mixed_lines(30)) + b"\n"
    path = tmp_path / "same.jsonl"
    path.write_bytes(data)

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    from_stdin = _dicts(check_paths(validator, ["-"], jobs=2))
    from_file = json.dumps(_dicts(check_paths(validator, [str(path)], jobs=1)))
    assert from_stdin == json.loads(from_file.replace(str(path), "<stdin>"))


def test_single_documents_are_grouped_into_batches(tmp_path: Path) -> None:
    paths = [str(tmp_path / f"{i}.json") for i in range(batches.BATCH_FILES + 5)]
    for path in paths:
        Path(path).write_text("{}")
    grouped = list(iter_batches(paths))
    assert [len(b.payload) for b in grouped] == [batches.BATCH_FILES, 5]
    assert sum(b.size for b in grouped) == 2 * len(paths)


def test_jobs_zero_means_every_core() -> None:
    assert resolve_jobs(3) == 3
    assert resolve_jobs(0) >= 1


def test_validator_travels_to_workers_as_its_schema(validator: Validator) -> None:
    clone = pickle.loads(pickle.dumps(validator))
    assert clone.schema == validator.schema and clone.name == validator.name
    assert clone.is_valid(TASK) and not clone.is_valid({**TASK, "status": "NO"})


def test_progress_counts_and_stays_off_when_not_a_terminal(
    validator: Validator, inputs: list[str]
) -> None:
    progress = RunProgress(None, enabled=False)
    results = list(check_paths(validator, inputs, jobs=2, on_progress=progress.advance))
    assert progress.documents == len(results)
    existing = [p for p in inputs if Path(p).exists()]
    assert progress.done_bytes == sum(Path(p).stat().st_size for p in existing)
    assert not RunProgress.for_run(inputs, quiet=False).enabled  # stderr is captured here
    assert total_bytes(existing) == progress.done_bytes
    assert total_bytes(["-"]) is None


def test_progress_renders_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    from schemakit.validate import progress as progress_module

    stream = io.StringIO()
    monkeypatch.setattr(progress_module, "DELAY", 0.0)
    monkeypatch.setattr(
        progress_module,
        "_console",
        lambda stream: Console(file=stream, force_terminal=True, width=100),
    )
    with RunProgress(1000, enabled=True, stream=stream) as progress:
        progress.advance(250, 500)
        progress.advance(250, 250)
    shown = stream.getvalue()
    assert "500 docs" in shown and "validating" in shown


@pytest.mark.parametrize(
    ("stderr_tty", "stdout_tty", "quiet", "shown"),
    [
        (True, False, False, True),  # results redirected to a file: show progress
        (True, True, False, False),  # results scroll on the same terminal
        (True, False, True, False),  # --quiet
        (False, False, False, False),  # stderr piped
    ],
)
def test_when_progress_is_shown(
    monkeypatch: pytest.MonkeyPatch, stderr_tty: bool, stdout_tty: bool, quiet: bool, shown: bool
) -> None:
    monkeypatch.setattr("sys.stderr.isatty", lambda: stderr_tty)
    monkeypatch.setattr("sys.stdout.isatty", lambda: stdout_tty)
    assert RunProgress.for_run([], quiet=quiet).enabled is shown
