"""The install footprint: ``pip install schemakit`` validates and lints; the rest are extras,
and a missing one is a single line naming the pip install to run.

An extra is made "missing" in a fresh interpreter by blocking its modules
(``sys.modules[name] = None``, which is how Python reports an absent module).
"""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

import pytest

from conftest import ROOT
from schemakit.core.extras import EXTRAS

OPTIONAL = sorted({module for modules in EXTRAS.values() for module in modules})

RUN = """
import sys
for name in {blocked!r}:
    sys.modules[name] = None
from schemakit.cli import main
sys.exit(main({argv!r}))
"""


def run_without(blocked: list[str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", RUN.format(blocked=blocked, argv=list(argv))],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_the_base_install_needs_no_extra() -> None:
    requirements = importlib.metadata.requires("schemakit") or []
    base = [r.split(";")[0] for r in requirements if "extra ==" not in r]
    heavy = ("hypothesis", "datamodel-code-generator", "black", "dask", "pydantic", "pandas")
    assert not [r for r in base if r.lower().startswith(heavy)], base


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["validate", "-s", "BatchV2ProcessTask", "examples/task.json"], 0),
        (["lint"], 0),
        (["list"], 0),
        (["bundle", "TimeRange"], 0),
        (["traffic", "tests/data/traffic/batch-v2-cassette.yaml"], 0),
    ],
)
def test_validate_and_lint_work_without_any_extra(argv: list[str], code: int) -> None:
    done = run_without(OPTIONAL, *argv)
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("argv", "blocked", "extra"),
    [
        (["fixtures", "TimeRange", "-n", "1"], "hypothesis", "fixtures"),
        (["fixtures", "TimeRange", "--invalid"], "hypothesis", "fixtures"),
        (["models", "--check"], "datamodel_code_generator", "models"),
        (["models", "--check"], "black", "models"),
        (["diff", "schemas/sentinel-hub", "schemas/sentinel-hub"], "hypothesis", "fixtures"),
    ],
)
def test_a_missing_extra_is_one_line_naming_the_install(
    argv: list[str], blocked: str, extra: str
) -> None:
    done = run_without([blocked], *argv)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.endswith(f"which is not installed: pip install 'schemakit[{extra}]'\n")
    assert done.stderr.startswith("schemakit: error: ") and done.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("module", "blocked", "extra"),
    [
        ("schemakit.strategies", "hypothesis", "fixtures"),
        ("schemakit.codegen", "datamodel_code_generator", "models"),
        ("schemakit.dask", "dask", "dask"),
        ("schemakit.diff", "hypothesis", "fixtures"),
    ],
)
def test_importing_a_part_without_its_extra_says_what_to_install(
    module: str, blocked: str, extra: str
) -> None:
    script = (
        f"import sys; sys.modules[{blocked!r}] = None\n"
        "try:\n"
        f"    import {module}\n"
        "except ImportError as exc:\n"
        "    print(type(exc).__name__, exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("MissingExtraError ")
    assert done.stdout.rstrip().endswith(f"pip install 'schemakit[{extra}]'")


def test_importing_schemakit_and_its_cli_pulls_in_no_extra() -> None:
    script = (
        "import sys, schemakit, schemakit.cli\n"
        f"print(sorted(m for m in {OPTIONAL!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
