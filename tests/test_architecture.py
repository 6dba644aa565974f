"""The layers of ``src/schemakit`` point one way, and no two parts import each other.

Every import is counted, function-level and ``TYPE_CHECKING`` ones included: a deferred
import hides a dependency from the reader but not from the design.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "schemakit"

# Lowest first. A module may import its own part and any part listed before it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("core",),
    ("load",),
    ("validate",),
    ("strategies",),
    ("codegen",),
    ("lint",),
    ("diff",),
    ("traffic",),
    ("schemaset",),  # the public SchemaSet: data plus what each job derives from it
    ("dask",),
    ("testing",),
    ("__init__",),  # the public namespace re-exports from every layer below it
    ("cli",),
    ("__main__",),
)
RANK = {part: rank for rank, parts in enumerate(LAYERS) for part in parts}


def part_of(module: str) -> str:
    """``schemakit.load.loader`` -> ``load``; ``schemakit`` itself -> ``__init__``."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else "__init__"


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> Iterator[tuple[int, str]]:
    """(line, absolute module) for every import of a schemakit module in ``path``."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "schemakit":
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                if node.module and node.module.split(".")[0] == "schemakit":
                    yield node.lineno, node.module
                continue
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            target = ".".join([*base, node.module] if node.module else base)
            if target == "schemakit" and not node.module:
                # ``from .. import strategies``: each name may be a part of its own
                for alias in node.names:
                    yield node.lineno, f"schemakit.{alias.name}"
            else:
                yield node.lineno, target


def edges() -> Iterator[tuple[str, int, str, str]]:
    """(file, line, importing part, imported part) across parts."""
    for path in sorted(SRC.rglob("*.py")):
        source = part_of(module_name(path))
        for line, target in imported_modules(path):
            target_part = part_of(target)
            if target_part != source:
                yield str(path.relative_to(SRC)), line, source, target_part


def test_every_part_has_a_layer() -> None:
    parts = {part_of(module_name(path)) for path in SRC.rglob("*.py")}
    assert parts <= set(RANK), f"parts without a layer: {sorted(parts - set(RANK))}"


def test_imports_point_down_the_layers() -> None:
    upward = [
        f"{file}:{line}: {source} imports {target}"
        for file, line, source, target in edges()
        if RANK.get(target, -1) > RANK[source]
    ]
    assert upward == []


def test_parts_of_one_layer_do_not_import_each_other() -> None:
    sideways = [
        f"{file}:{line}: {source} imports {target}"
        for file, line, source, target in edges()
        if RANK.get(target) == RANK[source]
        and source != target
        and "__init__" not in (source, target)
    ]
    assert sideways == []


def test_the_checker_sees_function_level_imports(tmp_path: Path) -> None:
    # guard the guard: a deferred upward import must be found like a top-level one
    module = SRC / "core" / "errors.py"
    found = list(imported_modules(module))
    assert all(part_of(target) == "core" for _, target in found)
    tree = ast.parse("def f():\n    from ..cli import main\n")
    nested = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert nested and nested[0].level == 2
