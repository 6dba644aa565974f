"""What a command leaves behind and how it reads its input: no ./.hypothesis, stdin read
as JSON unless told otherwise, warnings for files that are no schemas."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from schemakit.cli import main

# Strings make Hypothesis cache its Unicode tables (lint's witness search, fixtures).
OVERLAP = {"oneOf": [{"type": "string", "pattern": "^a"}, {"type": "string", "minLength": 2}]}


@pytest.mark.parametrize("command", [["lint"], ["fixtures", "s", "-n", "3"]])
def test_commands_leave_no_hypothesis_folder_in_the_working_directory(
    tmp_path: Path, command: list[str]
) -> None:
    (tmp_path / "s.json").write_text(json.dumps(OVERLAP))
    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HYPOTHESIS")}
    env["SCHEMAKIT_CACHE_DIR"] = str(tmp_path / "cache")
    done = subprocess.run(
        [sys.executable, "-m", "schemakit.cli", *command, "--schemas", str(tmp_path / "s.json")],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    assert list(work.iterdir()) == []
    assert (tmp_path / "cache" / "hypothesis").is_dir()


def _validate_stdin(
    tmp_path: Path, data: bytes, *options: str
) -> subprocess.CompletedProcess[bytes]:
    (tmp_path / "s.json").write_text(json.dumps({"type": ["object", "string"]}))
    schemas = ["--schemas", str(tmp_path / "s.json")]
    return subprocess.run(
        [sys.executable, "-m", "schemakit.cli", "validate", "-s", "s", *schemas, *options, "-"],
        input=data,
        capture_output=True,
        check=False,
    )


@pytest.mark.parametrize("data", [b"not json\n", b"a: 1\n", b"- 1\n- 2\n"])
def test_stdin_gets_the_verdict_a_json_file_gets(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "same.json").write_bytes(data)
    (tmp_path / "s.json").write_text(json.dumps({"type": ["object", "string"]}))
    schemas = ["--schemas", str(tmp_path / "s.json")]
    code = main(["validate", "-s", "s", *schemas, str(tmp_path / "same.json")])
    done = _validate_stdin(tmp_path, data)
    assert code == done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode().startswith("schemakit: error: <stdin>:1:1: invalid JSON")


def test_stdin_is_yaml_when_told(tmp_path: Path) -> None:
    done = _validate_stdin(tmp_path, b"a: 1\n", "--input-format", "yaml")
    assert (done.returncode, done.stdout) == (0, b"<stdin>: valid\n")
    done = _validate_stdin(tmp_path, b"- 1\n", "--input-format", "yaml")
    assert done.returncode == 1 and b"is not of type" in done.stdout


@pytest.mark.parametrize(
    ("text", "warned"),
    [
        ('services:\n  web:\n    image: nginx\nversion: "3"\n', True),  # docker-compose
        ('{"from": "2020-01-01T00:00:00Z"}', True),  # a document given as the schema
        ('{"type": "object"}', False),
        ('{"description": "anything"}', False),
        ("{}", False),  # accepts everything, on purpose
        ('{"x-vendor": 1}', False),
    ],
)
def test_a_schema_file_without_any_schema_keyword_is_warned_about(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, warned: bool
) -> None:
    schema = tmp_path / "s.yaml"
    schema.write_text(text)
    assert main(["list", "--schemas", str(schema)]) == 0
    out, err = capsys.readouterr()
    assert out == "s\n"
    expected = f"schemakit: warning: {schema}: no JSON Schema keyword (only "
    assert err.startswith(expected) if warned else err == "", err
    assert err.count("\n") == (1 if warned else 0)


def test_a_looping_symlink_in_a_schema_directory_is_warned_about(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "a.json").write_text('{"type": "string"}')
    (tmp_path / "loop.json").symlink_to("loop.json")
    (tmp_path / "gone.json").symlink_to("nowhere.json")
    assert main(["list", "--schemas", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert out == "a\n"
    assert err.splitlines() == [
        f"schemakit: warning: {tmp_path / name}: skipped: a symbolic link that loops or "
        "leads nowhere"
        for name in ("gone.json", "loop.json")
    ]


def test_several_yaml_documents_in_one_file_are_explained(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "s.json").write_text("{}")
    (tmp_path / "two.yaml").write_text("a: 1\n---\nb: 2\n")
    schemas = ["--schemas", str(tmp_path / "s.json")]
    assert main(["validate", "-s", "s", *schemas, str(tmp_path / "two.yaml")]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'two.yaml'}:2:1: invalid YAML: a second document ('---'): one " in err
    assert err.rstrip().endswith("or JSON Lines for many")


def test_fixtures_out_onto_a_file_says_it_is_not_a_directory(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "existing"
    target.write_text("keep")
    assert main(["fixtures", "TimeRange", "-n", "2", "--out", str(target)]) == 2
    assert capsys.readouterr().err == (
        f"schemakit: error: {target}: exists and is not a directory\n"
    )
    assert target.read_text() == "keep"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", [["bundle", "TimeRange"], ["show", "TimeRange"]])
def test_a_full_disk_on_stdout_is_named(command: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "schemakit.cli", *command],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert done.returncode == 2
    assert done.stderr == "schemakit: error: <stdout>: cannot write: No space left on device\n"
