"""The README's examples run as written, and docs/cli.md matches the CLI.

* a ```python block that defines ``test_`` functions is saved as a test module and run by
  pytest (all its tests must pass); any other ```python block is executed;
* in a ```bash block of the sections in ``COMMAND_SECTIONS``, each line starting with
  ``schemakit `` is run; it must exit 0, or the code named by a trailing ``# exit N`` comment.
  (Other sections show commands on files the reader has, such as ``--schemas api.yaml``;
  add a section here once its commands run as written.)

Everything runs in a scratch directory that links the repository's ``examples/``,
``schemas/`` and ``tests/`` so relative paths in the examples work and nothing is written
to the checkout.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
LINKED = ("examples", "schemas", "tests")
FENCE = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
EXPECTED_EXIT = re.compile(r"#\s*exit\s+(\d+)")
COMMAND_SECTIONS = (
    "Testing with pytest",
    "Linting schemas",
    "Comparing schema versions",
    "Checking HTTP traffic",
)


def blocks(language: str) -> list[tuple[int, str]]:
    """(line number, body) of each fenced block of ``language`` in the README."""
    text = README.read_text()
    return [
        (text.count("\n", 0, match.start()) + 1, match.group(2))
        for match in FENCE.finditer(text)
        if match.group(1) == language
    ]


def section_of(line_number: int) -> str:
    heading = ""
    for number, line in enumerate(README.read_text().splitlines(), start=1):
        if number > line_number:
            break
        if line.startswith("## "):
            heading = line[3:].strip()
    return heading


def commands() -> list[tuple[int, str]]:
    found = []
    for line_number, body in blocks("bash"):
        if section_of(line_number) not in COMMAND_SECTIONS:
            continue
        joined = body.replace("\\\n", " ")
        for offset, line in enumerate(joined.splitlines()):
            if line.strip().startswith("schemakit "):
                found.append((line_number + 1 + offset, line.strip()))
    return found


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    for name in LINKED:
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    return tmp_path


def schemakit_command() -> list[str]:
    """The ``schemakit`` console script installed for the running interpreter (not whatever
    ``schemakit`` comes first on PATH), or ``python -m schemakit`` where there is none."""
    script = Path(sysconfig.get_path("scripts")) / "schemakit"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "schemakit"]


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTEST_ADDOPTS", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    return env


def _is_test_module(source: str) -> bool:
    return bool(re.search(r"^def test_", source, re.MULTILINE))


@pytest.mark.parametrize(
    ("line", "source"),
    [block for block in blocks("python") if _is_test_module(block[1])],
    ids=lambda v: str(v)[:12],
)
def test_python_test_module(line: int, source: str, pytester: pytest.Pytester) -> None:
    for name in LINKED:
        (pytester.path / name).symlink_to(ROOT / name, target_is_directory=True)
    module = pytester.makepyfile(**{f"test_readme_line_{line}": source})
    # Name the module: the linked tests/ directory must not be collected (it holds this file).
    result = pytester.runpytest("-p", "no:cacheprovider", module.name)
    outcomes = result.parseoutcomes()
    assert result.ret == 0, f"README line {line}:\n{result.stdout.str()}"
    assert outcomes.get("passed", 0) > 0 and not outcomes.get("failed")


@pytest.mark.parametrize(
    ("line", "source"),
    [block for block in blocks("python") if not _is_test_module(block[1])],
    ids=lambda v: str(v)[:12],
)
def test_python_block(line: int, source: str, scratch: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", source],
        cwd=scratch,
        capture_output=True,
        text=True,
        env=_environment(),
        timeout=300,
    )
    assert result.returncode == 0, f"README line {line}:\n{result.stderr}"


@pytest.mark.parametrize(("line", "command"), commands(), ids=lambda v: str(v)[:40])
def test_bash_command(line: int, command: str, scratch: Path) -> None:
    expected = EXPECTED_EXIT.search(command)
    argv = shlex.split(command, comments=True)
    argv[:1] = schemakit_command()  # this interpreter's, whether or not a venv is active
    result = subprocess.run(
        argv, cwd=scratch, capture_output=True, text=True, env=_environment(), timeout=300
    )
    want = int(expected.group(1)) if expected else 0
    assert result.returncode == want, f"README line {line}: {command}\n{result.stderr}"
    assert "Traceback" not in result.stderr


def test_readme_has_examples_for_the_plugin_and_the_linter() -> None:
    python = "\n".join(body for _line, body in blocks("python"))
    assert "assert_valid(" in python and "schemakit_documents" in python
    assert "schemakit_responses" in python
    assert any(command.startswith("schemakit lint") for _line, command in commands())


def test_cli_reference_is_current() -> None:
    spec = importlib.util.spec_from_file_location(
        "cli_reference", ROOT / "scripts" / "cli_reference.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    current = (ROOT / "docs" / "cli.md").read_text()
    assert current == module.render(), "docs/cli.md is stale: run python scripts/cli_reference.py"
