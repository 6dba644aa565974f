"""Output paths, permissions, closed pipes, empty inputs, --version and default names."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from schemakit.cli import default_package_name, main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("kind", ["under-a-file", "a-directory"])
def test_unwritable_output_is_one_line_naming_the_target(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str
) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    target = blocker / "out.json" if kind == "under-a-file" else tmp_path
    code, out, err = run(capsys, "bundle", "TimeRange", "-o", str(target))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert str(target) in err and ".tmp" not in err
    assert blocker.read_text() == "x"


def test_written_files_follow_the_umask_and_keep_an_existing_mode(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    old = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.json"
        assert run(capsys, "bundle", "TimeRange", "-o", str(fresh))[0] == 0
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        existing = tmp_path / "existing.json"
        existing.write_text("{}")
        existing.chmod(0o640)
        assert run(capsys, "bundle", "TimeRange", "-o", str(existing))[0] == 0
        assert stat.S_IMODE(existing.stat().st_mode) == 0o640
        assert existing.read_text().startswith("{\n")
    finally:
        os.umask(old)


def test_empty_inputs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for suffix in (".json", ".yaml"):
        empty = tmp_path / f"empty{suffix}"
        empty.write_text("  \n")
        code, _out, err = run(capsys, "validate", "-s", "TimeRange", str(empty))
        assert code == 2
        assert "file is empty" in err
    stream = tmp_path / "empty.jsonl"
    stream.write_text("")
    code, out, err = run(capsys, "validate", "-s", "TimeRange", str(stream))
    # nothing at all was checked: an error, as check-jsonschema users expect
    assert (code, out) == (2, "")
    assert err == f"schemakit: error: no documents in {stream}\n"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    import schemakit

    code, out, _err = run(capsys, "--version")
    assert (code, out) == (0, f"schemakit {schemakit.__version__}\n")


@pytest.mark.parametrize(
    ("source", "expected"),
    [("api.yaml", "api_models"), ("my-api v2.json", "my_api_v2_models"), ("3d", "_3d_models")],
)
def test_default_package_name(source: str, expected: str) -> None:
    assert default_package_name(source) == expected


def test_models_for_another_set_do_not_overwrite_the_bundled_package(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = ROOT / "tests" / "data" / "models" / "catalog.yaml"
    code, out, _err = run(capsys, "models", "--schemas", str(source), "--out", str(tmp_path))
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog_models"]
    assert "catalog_models" in out


def test_fixtures_leave_no_hypothesis_folder_in_the_working_directory(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "SCHEMAKIT_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("HYPOTHESIS_STORAGE_DIRECTORY", None)
    result = subprocess.run(
        [sys.executable, "-m", "schemakit.cli", "fixtures", "TimeRange", "-n", "2", "--seed", "1"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert len(result.stdout.splitlines()) == 2
    assert list(work.iterdir()) == []
