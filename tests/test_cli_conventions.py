"""Command-line conventions (as check-jsonschema and ruff have them): -h/-V, plain usage
lines, option errors that read like a CLI's, one error prefix, -o/--output, list output
that pipes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemakit.cli import main

COMMANDS = ["validate", "list", "show", "bundle", "fixtures", "lint", "diff", "traffic", "models"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_short_help_and_version_flags(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "-V")
    assert code == 0 and out.startswith("schemakit ")
    code, out, _ = run(capsys, "-h")
    assert code == 0 and out.startswith("Usage: schemakit [OPTIONS] COMMAND")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_short_help_and_a_plain_usage_line(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    code, out, _ = run(capsys, command, "-h")
    usage = out.splitlines()[0]
    assert code == 0 and usage.startswith(f"Usage: schemakit {command} [OPTIONS]")
    assert not any(mark in usage for mark in "{}<>")


def test_the_top_level_help_does_not_cut_descriptions(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "--help")[1]
    listed = out.split("Commands:\n")[1].splitlines()
    assert [line.split()[0] for line in listed] == COMMANDS
    assert not any(line.rstrip().endswith("...") for line in listed)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "--format", "x", "-s", "a", "b"], "--format must be text or json, not 'x'"),
        (["validate", "-j", "abc", "-s", "a", "b"], "--jobs must be an integer, not 'abc'"),
        (["fixtures", "TimeRange", "-n", "0"], "--count must be at least 1, not 0"),
        (["lint", "--fail-on", "x"], "--fail-on must be error, warning or info, not 'x'"),
        (
            ["validate", "--input-format", "toml", "-s", "a", "-"],
            "--input-format must be json or yaml",
        ),
        (["validate", "-s", "A", "-s", "B", "x"], "-s/--schema given 2 times (A, B)"),
    ],
)
def test_option_errors_read_like_a_command_line(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith(f"schemakit: error: {message}")
    assert err.count("\n") == 1
    assert "Value error" not in err and "Input should" not in err


def test_document_errors_carry_the_same_prefix(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    code, _, err = run(capsys, "validate", "-s", "TimeRange", str(bad))
    assert code == 2 and err.startswith(f"schemakit: error: {bad}:1:2: invalid JSON")


def test_list_prints_names_only_and_titles_with_long(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "a.json").write_text(json.dumps({"title": "The A", "type": "string"}))
    (tmp_path / "b.json").write_text(json.dumps({"type": "string"}))
    assert run(capsys, "list", "--schemas", str(tmp_path))[1] == "a\nb\n"
    assert run(capsys, "list", "--long", "--schemas", str(tmp_path))[1] == "a\tThe A\nb\n"


@pytest.mark.parametrize("flag", ["-o", "--output"])
def test_every_command_that_writes_takes_output(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, flag: str
) -> None:
    bundle = tmp_path / "bundle.json"
    assert run(capsys, "bundle", "TimeRange", flag, str(bundle))[0] == 0
    assert "properties" in json.loads(bundle.read_text())
    lines = tmp_path / "docs.jsonl"
    assert run(capsys, "fixtures", "TimeRange", "-n", "3", flag, str(lines))[0] == 0
    assert len(lines.read_text().splitlines()) == 3
    folder = tmp_path / "docs"
    assert run(capsys, "fixtures", "TimeRange", "-n", "2", flag, str(folder))[0] == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "TimeRange-0001.json",
        "TimeRange-0002.json",
    ]
    assert run(capsys, "fixtures", "TimeRange", "-n", "2", "--jsonl", str(lines))[0] == 0
    assert len(lines.read_text().splitlines()) == 2  # --jsonl and --out stay as aliases


def test_models_accepts_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    schema = tmp_path / "s.json"
    schema.write_text(json.dumps({"type": "object", "properties": {"a": {"type": "string"}}}))
    out = tmp_path / "models"
    code, _, err = run(capsys, "models", "--schemas", str(schema), "-o", str(out))
    assert code == 0, err
    assert (out / "s_models" / "models.py").is_file()
    assert run(capsys, "models", "--schemas", str(schema), "--output", str(out), "--check")[0] == 0


def test_models_check_without_a_package_says_what_it_compared_with(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # outside a checkout: no generated/ here
    code, out, err = run(capsys, "models", "--check")
    assert code == 1 and out == ""
    assert err == (
        f"{tmp_path / 'generated' / 'sentinel_hub_models'}: no models there to compare with; "
        "give --output DIR (the folder that holds the package), or run `schemakit models` "
        "to create them\n"
    )
