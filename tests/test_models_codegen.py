"""Model generation: determinism, drift detection, atomic writes, lint and type checks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import schemakit
from schemakit.cli import main
from schemakit.codegen import CodegenError, check_models, generate_models, render_models

ROOT = Path(__file__).resolve().parents[1]
GENERATED = ROOT / "generated"
PACKAGE = "sentinel_hub_models"
MODELS_DATA = ROOT / "tests" / "data" / "models"


@pytest.fixture(scope="module")
def rendered(sentinel: schemakit.SchemaSet) -> dict[str, str]:
    return render_models(sentinel)


@pytest.fixture(scope="module")
def other_packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated")
    generate_models(schemakit.load(MODELS_DATA / "catalog.yaml"), out, "catalog_models")
    generate_models(schemakit.load(MODELS_DATA / "tree"), out, "tree_models")
    return out


def test_generation_is_deterministic(
    sentinel: schemakit.SchemaSet, rendered: dict[str, str]
) -> None:
    again = render_models(schemakit.load())
    assert again == rendered
    assert sorted(rendered) == ["__init__.py", "_runtime.py", "models.py", "py.typed"]
    for text in rendered.values():
        assert str(ROOT) not in text and "/tmp" not in text  # no machine-specific paths
    assert not any(word in rendered["models.py"][:400].lower() for word in ("timestamp", "2025"))


def test_committed_models_are_current(rendered: dict[str, str]) -> None:
    for name, text in rendered.items():
        assert (GENERATED / PACKAGE / name).read_text(encoding="utf-8") == text, (
            f"generated/{PACKAGE}/{name} is stale: run `schemakit models`"
        )


def test_check_detects_drift_in_a_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "generated"
    tree_set = schemakit.load(MODELS_DATA / "tree")
    generate_models(tree_set, out, "tree_models")
    args = ["models", "--schemas", str(MODELS_DATA / "tree"), "--out", str(out)]
    args += ["--package", "tree_models", "--check"]
    assert main(args) == 0
    assert "up to date" in capsys.readouterr().err

    package = out / "tree_models"
    models = package / "models.py"
    models.write_text(models.read_text().replace("class Leaf(", "class Foliage("))
    (package / "py.typed").unlink()
    (package / "stray.py").write_text("")
    assert main(args) == 1
    captured = capsys.readouterr()
    assert "changed: models.py" in captured.err and "missing: py.typed" in captured.err
    assert "unexpected: stray.py" in captured.err
    assert "-class Foliage(" in captured.out and "+class Leaf(" in captured.out

    drift = check_models(tree_set, out, "tree_models")
    assert not drift.current and drift.changed == ("models.py",)
    assert main(args[:-1]) == 0  # regenerate
    assert check_models(tree_set, out, "tree_models").current
    assert not (package / "stray.py").exists()


def test_a_schema_change_makes_the_models_stale(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    shutil.copytree(MODELS_DATA / "tree", schemas)
    out = tmp_path / "out"
    args = ["models", "--schemas", str(schemas), "--out", str(out), "--package", "tree_models"]
    assert main(args) == 0
    assert main([*args, "--check"]) == 0
    leaf = schemas / "Leaf.json"
    leaf.write_text(leaf.read_text().replace('"brown"', '"brown", "red"'))
    assert main([*args, "--check"]) == 1


def test_an_interrupted_write_keeps_the_previous_models(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sentinel: schemakit.SchemaSet
) -> None:
    tree_set = schemakit.load(MODELS_DATA / "tree")
    target = generate_models(tree_set, tmp_path, "tree_models")
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    written: list[str] = []
    original = Path.write_text

    def failing_write(self: Path, text: str, *args: object, **kwargs: object) -> int:
        written.append(self.name)
        if len(written) == 3:
            raise KeyboardInterrupt  # the run is stopped half way through the files
        return original(self, text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", failing_write)
    with pytest.raises(KeyboardInterrupt):
        generate_models(sentinel, tmp_path, "tree_models")
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tree_models"]  # no staging left


def test_generated_packages_pass_ruff_and_mypy_strict(other_packages: Path) -> None:
    packages = [str(GENERATED / PACKAGE), *(str(p) for p in sorted(other_packages.iterdir()))]
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--config",
         str(ROOT / "pyproject.toml"), *packages],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file",
         str(ROOT / "pyproject.toml"), *packages],
        capture_output=True, text=True, check=False, cwd=other_packages,
    )  # fmt: skip
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr


def test_upstream_set_generates_too(tmp_path: Path, sentinel_upstream: schemakit.SchemaSet) -> None:
    files = render_models(sentinel_upstream, "upstream_models")
    assert "class BatchV2ProcessTask(DataModel):" in files["models.py"]
    assert "as published" in files["models.py"].splitlines()[0]


def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["models", "--out", str(tmp_path), "--package", "not-a-name"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a valid Python package name" in err
    assert main(["models", "--schemas", str(tmp_path / "missing"), "--out", str(tmp_path)]) == 2
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(CodegenError):
        render_models(schemakit.load(), "class")
