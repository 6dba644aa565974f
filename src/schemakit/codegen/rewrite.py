"""Finish the generator's module: only what none of its extension points can do.

The classes come out of datamodel-code-generator already as the models need them, through
its hooks: ``base_class`` (``DataModel``), a custom ``dataclass.jinja2`` template fed with
the schema's facts as extra template data (``UNSET`` defaults, JSON-name and default
metadata, ``_closed``; see ``facts``), its naming, typing and formatter options. This step
edits the output in place, statement by statement (located with ``ast``), for the rest:

- imports: the generator writes one import per type it used, in its own order, and knows
  nothing of the package's relative ``._runtime`` module (``base_class`` takes an absolute
  path); the block is rebuilt as ruff sorts it, keeping the generator's ``as`` aliases;
- the synthetic root becomes a placeholder alias (``SchemakitSyntheticRoot = Any``): no
  option leaves it out, so it is dropped;
- docstrings: the generator copies descriptions unwrapped and black does not wrap strings,
  so every docstring is wrapped to the line length;
- an enum member holding an object or array gets ``# noqa: RUF012`` (the enum template has
  no per-member hook);
- the ``SCHEMAS`` table is appended (it needs the final names), and black formats the
  result with the same settings the generator's formatter uses.

A new release of the generator can change what its hooks receive; the committed Sentinel
package is compared byte for byte (``schemakit models --check`` in CI), so any change in
the output shows as a diff to regenerate or a template to adjust, never silently.
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from black import format_str
from black.mode import Mode, TargetVersion
from black.parsing import InvalidInput

from ..core.errors import CodegenError
from .schema import RUNTIME_MODULE

LINE_LENGTH = 100
RUNTIME_NAMES = ("UNSET", "DataModel", "Unset")
_OWN_IMPORTS = {
    "dataclass": "dataclasses",
    "field": "dataclasses",
    "ClassVar": "typing",
    "TypeAlias": "typing",
    "Any": "typing",
}
_BLACK_MODE = Mode(target_versions={TargetVersion.PY310}, line_length=LINE_LENGTH, is_pyi=False)


@dataclass(frozen=True)
class _Edit:
    first: int  # 1-based first line replaced
    last: int  # 1-based last line replaced (inclusive)
    text: list[str]


def rewrite_module(
    source: str,
    models: list[dict[str, Any]],
    header: str,
    closing: Callable[[list[str]], str] = lambda _names: "",
) -> tuple[str, list[str]]:
    """The finished module text and the public names it defines, in definition order.

    ``closing(names)`` gives statements to append (the ``SCHEMAS`` table).
    """
    tree = ast.parse(source)
    lines = source.splitlines()
    meta = {model["class_name"]: model for model in models}
    edits: list[_Edit] = []
    imports: dict[str, tuple[str, str]] = {}  # bound name -> (module, imported name)
    names: list[str] = []
    body = tree.body
    for position, node in enumerate(body):
        following = body[position + 1] if position + 1 < len(body) else None
        if isinstance(node, ast.ImportFrom):
            if node.module not in ("__future__", RUNTIME_MODULE):
                # Keep the generator's aliases: a field called "datetime" needs the type
                # imported as datetime_aliased, which its annotations then use.
                imports.update(
                    {
                        alias.asname or alias.name: (node.module or "", alias.name)
                        for alias in node.names
                    }
                )
            edits.append(_Edit(node.lineno, _end(node), []))
        elif isinstance(node, ast.ClassDef):
            names.append(node.name)
            edits.extend(_class_edits(node, lines))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name = node.target.id
            info = meta.get(name)
            if info is not None and info.get("source_ref") == "#":
                edits.append(_Edit(node.lineno, _end(node), []))  # the root placeholder
                if following is not None and _is_docstring(following):
                    edits.append(_Edit(following.lineno, _end(following), []))
                continue
            names.append(name)
        elif _is_docstring(node):
            edits.append(_docstring_edit(node, 0, None))
    for name in names:
        if name in RUNTIME_NAMES or name in _OWN_IMPORTS:
            raise CodegenError(f"a schema gives a class the reserved name {name!r}")
    text = "\n".join(_apply(lines, edits))
    text = _drop_future_import(text) + "\n" + closing(names)
    full = header + _import_block(text, imports) + "\n\n" + text.strip() + "\n"
    try:
        return format_str(full, mode=_BLACK_MODE), names
    except InvalidInput as exc:  # pragma: no cover - a bug in this module
        raise CodegenError(f"rewritten models are not valid Python: {exc}") from exc


def _end(node: ast.AST) -> int:
    end = getattr(node, "end_lineno", None)
    return int(end if end is not None else getattr(node, "lineno", 0))


def _is_docstring(node: ast.AST | None) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _apply(lines: list[str], edits: list[_Edit]) -> list[str]:
    result = list(lines)
    # Bottom up, so line numbers stay valid; at one line, replace before inserting there.
    for edit in sorted(edits, key=lambda e: (e.first, e.last >= e.first), reverse=True):
        result[edit.first - 1 : edit.last] = edit.text
    return result


def _drop_future_import(text: str) -> str:
    """Without the generator's header comment and future import (the header replaces them)."""
    lines = text.replace("from __future__ import annotations\n", "", 1).splitlines()
    while lines and (not lines[0].strip() or lines[0].startswith("#")):
        lines.pop(0)
    return "\n".join(lines)


# -- classes --------------------------------------------------------------------------------


def _class_edits(node: ast.ClassDef, lines: list[str]) -> Iterator[_Edit]:
    """Docstrings wrapped; enum members holding objects or arrays marked for ruff."""
    for statement in node.body:
        if _is_docstring(statement):
            yield _docstring_edit(statement, node.col_offset + 4, None)
    for statement in node.body:
        if isinstance(statement, ast.Assign) and isinstance(statement.value, (ast.Dict, ast.List)):
            # An enum whose values are objects or arrays: ruff would take each member for a
            # mutable class attribute (RUF012); an enum member is never assigned to.
            line = lines[statement.lineno - 1]
            yield _Edit(statement.lineno, statement.lineno, [line + "  # noqa: RUF012"])


# -- docstrings -----------------------------------------------------------------------------


def _docstring_edit(node: ast.AST, indent: int, note: str | None) -> _Edit:
    assert isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    text = inspect.cleandoc(str(node.value.value))
    if note:
        text = f"{text}\n\n{note}" if text else note
    return _Edit(node.lineno, _end(node), _docstring_lines(text, " " * indent))


def _docstring_lines(text: str, indent: str) -> list[str]:
    """A triple-quoted docstring, each paragraph wrapped to the line length."""
    width = LINE_LENGTH - len(indent)
    body: list[str] = []
    for paragraph in text.replace("\r\n", "\n").split("\n"):
        escaped = paragraph.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').rstrip()
        wrapped = textwrap.wrap(
            escaped, width=width, break_long_words=False, break_on_hyphens=False
        )
        body.extend(indent + line if line else "" for line in wrapped or [""])
    while body and not body[-1].strip():
        body.pop()
    if body and body[-1].endswith('"'):
        body[-1] += " "  # a closing quote right before """ would end the string early
    return [f'{indent}"""', *body, f'{indent}"""']


# -- imports --------------------------------------------------------------------------------


def _used_names(text: str) -> set[str]:
    return {node.id for node in ast.walk(ast.parse(text)) if isinstance(node, ast.Name)}


def _import_block(text: str, generated: dict[str, tuple[str, str]]) -> str:
    """``from __future__``, then standard-library imports, then the runtime, as ruff sorts."""
    used = _used_names(text)
    own = {name: (module, name) for name, module in _OWN_IMPORTS.items()}
    by_module: dict[str, set[tuple[str, str]]] = {}
    for bound, (module, name) in {**generated, **own}.items():
        if bound in used:
            by_module.setdefault(module, set()).add((name, bound))
    lines = ["from __future__ import annotations", ""]
    for module, names in sorted(by_module.items()):
        # ruff's order: one line per aliased name ("as"), then the plain names together
        ordered = sorted(names, key=lambda pair: (isort_key(pair[0]), pair[1]))
        aliased = [f"from {module} import {n} as {b}" for n, b in ordered if n != b]
        plain = [n for n, b in ordered if n == b]
        lines += aliased + ([f"from {module} import {', '.join(plain)}"] if plain else [])
    runtime = sorted((name for name in RUNTIME_NAMES if name in used), key=isort_key)
    if runtime:
        lines += ["", f"from ._runtime import {', '.join(runtime)}"]
    return "\n".join(lines)


def isort_key(name: str, *, fold_case: bool = True) -> tuple[int, list[tuple[int, int | str]]]:
    """Ruff's order for imported names (CONSTANTS, Classes, others; natural, case-blind).

    ``fold_case=False`` gives its order for ``__all__`` (RUF022), which keeps case.
    """
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    chunks = re.findall(r"\d+|\D+", name.lower() if fold_case else name)
    return kind, [(0, int(c)) if c.isdigit() else (1, c) for c in chunks]
