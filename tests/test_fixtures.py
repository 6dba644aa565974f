"""``schemakit fixtures``: valid documents, byte-identical for a seed, written atomically."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import schemakit
from schemakit.cli import main
from schemakit.core.formats import FORMAT_CHECKER
from schemakit.strategies import seeded
from schemakit.testing import fixtures as fx

NAME = "BatchV2ProcessTask"


def lines(text: str) -> list[str]:
    """JSON Lines split on newlines only (strings may hold U+2028 and friends)."""
    return text.split("\n")[:-1]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["fixtures", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def reference(sentinel: schemakit.SchemaSet, name: str = NAME) -> Draft202012Validator:
    return Draft202012Validator(sentinel.bundle(name), format_checker=FORMAT_CHECKER)


def test_same_seed_same_bytes_other_seed_other_bytes(capsys: pytest.CaptureFixture[str]) -> None:
    first = run(capsys, NAME, "-n", "8", "--seed", "42")
    again = run(capsys, NAME, "-n", "8", "--seed", "42")
    other = run(capsys, NAME, "-n", "8", "--seed", "43")
    assert first[0] == again[0] == other[0] == 0
    assert first[1] == again[1]
    assert first[1] != other[1]
    assert len(lines(first[1])) == 8


def test_documents_are_valid_and_varied(
    capsys: pytest.CaptureFixture[str], sentinel: schemakit.SchemaSet
) -> None:
    code, out, _ = run(capsys, NAME, "-n", "30", "--seed", "5")
    assert code == 0
    docs = [json.loads(line) for line in lines(out)]
    validator = reference(sentinel)
    assert all(validator.is_valid(doc) for doc in docs)
    assert len({json.dumps(doc, sort_keys=True) for doc in docs}) == 30


def test_document_i_depends_only_on_seed_and_i(capsys: pytest.CaptureFixture[str]) -> None:
    _, five, _ = run(capsys, NAME, "-n", "5", "--seed", "9")
    _, three, _ = run(capsys, NAME, "-n", "3", "--seed", "9")
    assert lines(five)[:3] == lines(three)


def test_same_bytes_in_a_fresh_process(capsys: pytest.CaptureFixture[str]) -> None:
    # A fresh interpreter has other modules loaded (no pytest, no tests): Hypothesis would mix
    # their constants into the draws unless fixtures switch that off.
    _, here, _ = run(capsys, "BatchV2ProcessRequest", "-n", "4", "--seed", "3")
    command = [sys.executable, "-m", "schemakit.cli", "fixtures", "BatchV2ProcessRequest"]
    fresh = subprocess.run(
        [*command, "-n", "4", "--seed", "3"], capture_output=True, text=True, check=True
    )
    assert fresh.stdout == here


def test_out_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sentinel: schemakit.SchemaSet
) -> None:
    target = tmp_path / "fixtures"
    target.mkdir()
    (target / "keep.txt").write_text("not ours")
    code, out, err = run(capsys, NAME, "-n", "12", "--seed", "1", "--out", str(target))
    assert code == 0 and out == ""
    assert not [line for line in lines(err) if not line.startswith("schemakit: warning:")]
    names = sorted(p.name for p in target.iterdir())
    assert names == [*(f"{NAME}-{i:04d}.json" for i in range(1, 13)), "keep.txt"]
    _, listed, _ = run(capsys, NAME, "-n", "12", "--seed", "1")
    validator = reference(sentinel)
    for index, line in enumerate(lines(listed), start=1):
        text = (target / f"{NAME}-{index:04d}.json").read_text()
        assert json.loads(text) == json.loads(line)
        assert text == json.dumps(json.loads(line), indent=2, ensure_ascii=False) + "\n"
        assert validator.is_valid(json.loads(text))
    assert not [p for p in target.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_jsonl_file_matches_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "docs.jsonl"
    assert run(capsys, "Geometry", "-n", "6", "--seed", "2", "--jsonl", str(target))[0] == 0
    assert (
        target.read_text(encoding="utf-8") == run(capsys, "Geometry", "-n", "6", "--seed", "2")[1]
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Nope"], "unknown schema 'Nope'"),
        ([NAME, "-n", "0"], "--count"),
        ([NAME, "--out", "a", "--jsonl", "b"], "not several"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert len(err.strip().split("\n")) == 1 and message in err and "Traceback" not in err


def test_unsatisfiable_schema_names_the_pointer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["size"],
        "properties": {"size": {"type": "integer", "minimum": 5, "maximum": 1}},
    }
    path = tmp_path / "Box.json"
    path.write_text(json.dumps(schema))
    code, _, err = run(capsys, "Box", "--schemas", str(path))
    assert code == 2 and "#/properties/size" in err and "no integer between 5 and 1" in err


def test_invalid_documents_are_never_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Defensive check: were a generator ever wrong, nothing would be written.
    monkeypatch.setattr(schemakit.SchemaSet, "strategy", lambda self, name: st.just({"id": 5}))
    target = tmp_path / "out"
    code, _, err = run(capsys, NAME, "-n", "3", "--out", str(target))
    assert code == 2 and "generated document 1 is invalid" in err
    assert not target.exists()


def test_stdout_gets_nothing_when_a_later_document_is_invalid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Document 1 is valid, document 2 is not: stdout, like --out and --jsonl, stays empty.
    schema = tmp_path / "Count.json"
    schema.write_text(json.dumps({"type": "integer"}))
    real_draw = seeded.draw
    monkeypatch.setattr(
        seeded,
        "draw",
        lambda strategy, seed, index: "two" if index == 1 else real_draw(strategy, seed, index),
    )
    code, out, err = run(capsys, "Count", "-n", "3", "--schemas", str(schema))
    assert code == 2 and "generated document 2 is invalid" in err
    assert out == ""


def test_documents_helper_retries_rejected_draws() -> None:
    odd = st.integers(0, 10**6).filter(lambda n: n % 2 == 1)
    values = list(fx.documents(odd, 50, seed=0))
    assert len(values) == 50 and all(v % 2 == 1 for v in values)


def test_no_progress_bar_when_not_a_terminal() -> None:
    assert not fx.show_progress(10_000, to_files=True)  # pytest's stderr is not a terminal


def test_file_names_widen_for_large_counts() -> None:
    assert fx.file_names("T", 3) == ["T-0001.json", "T-0002.json", "T-0003.json"]
    assert fx.file_names("T", 12345)[-1] == "T-12345.json"


def _with_progress(docs: list[Any]) -> list[Any]:
    return list(fx.with_progress(iter(docs), len(docs), enabled=True))


def test_progress_wrapper_passes_documents_through() -> None:
    assert _with_progress([1, 2, 3]) == [1, 2, 3]
