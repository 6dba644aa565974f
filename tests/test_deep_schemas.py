"""Deeply nested schemas: every command works up to the documented limit and gives one
clean line (exit 2) beyond it, never a RecursionError traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from schemakit.cli import main
from schemakit.load.checks import SCHEMA_MAX_DEPTH


def nested(levels: int) -> dict[str, Any]:
    """``levels`` levels of ``properties`` (2 JSON levels each) over a 2-level innermost."""
    schema: dict[str, Any] = {"type": "object", "required": []}
    for _ in range(levels):
        schema = {"type": "object", "properties": {"a": schema}}
    return schema


def document(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(levels):
        value = {"a": value}
    return value


def commands(schema: Path, tmp_path: Path) -> dict[str, list[str]]:
    doc = tmp_path / "doc.json"
    doc.write_text(json.dumps(document(50)))
    where = ["--schemas", str(schema)]
    return {
        "list": ["list", *where],
        "show": ["show", "deep", *where],
        "bundle": ["bundle", "deep", *where],
        "validate": ["validate", "-s", "deep", str(doc), *where],
        "lint": ["lint", *where],
        "fixtures": ["fixtures", "deep", "-n", "2", *where],
        "models": ["models", "--out", str(tmp_path / "models"), *where],
    }


COMMANDS = ["list", "show", "bundle", "validate", "lint", "fixtures", "models"]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_schema_beyond_the_limit_is_one_clean_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    schema = tmp_path / "deep.json"
    schema.write_text(json.dumps(nested(250)))  # 501 JSON levels: the parser takes it
    code = main(commands(schema, tmp_path)[command])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"schemakit: error: {schema}#/properties/a/")
    assert err.endswith(f": schema nested too deeply: more than {SCHEMA_MAX_DEPTH} levels\n")
    assert err.count("\n") == 1


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_works_at_the_limit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    levels = (SCHEMA_MAX_DEPTH - 2) // 2  # the innermost schema and its list: 2 levels
    schema = tmp_path / "deep.json"
    schema.write_text(json.dumps(nested(levels)))
    assert main(commands(schema, tmp_path)[command]) == 0, capsys.readouterr().err
    schema.write_text(json.dumps({"type": "object", "properties": {"a": nested(levels)}}))
    assert main(commands(schema, tmp_path)[command]) == 2
    assert "nested too deeply" in capsys.readouterr().err
