"""What a command leaves behind and how it reads its input: no ./.hypothesis, stdin read
as JSON unless told otherwise, warnings for files that are no schemas."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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
