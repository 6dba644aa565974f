"""Add to the generator's module what it cannot write itself.

datamodel-code-generator writes the classes, enums, unions, names, types and docs. This
step edits its output in place, statement by statement (located with ``ast``):

- every dataclass derives from the runtime's ``DataModel`` (``from_dict``/``to_dict``);
- an optional field defaults to ``UNSET`` instead of ``None`` (``None`` stays in the type
  only when the schema allows null), so absent and null stay apart;
- a field whose JSON name differs gets ``metadata={"json": ...}``; a schema default goes to
  ``metadata={"default": ...}`` and the docstring, never into the output;
- a class whose schema forbids other properties says so (``_closed``);
- docstrings are wrapped to the line length, the import block is rebuilt, the root
  placeholder alias is dropped, and black formats the result.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from black import format_str
from black.mode import Mode, TargetVersion
from black.parsing import InvalidInput

from ..core.errors import CodegenError
from .schema import ORIGINAL_TITLE
from .schemaindex import SchemaIndex

LINE_LENGTH = 100
RUNTIME_NAMES = ("UNSET", "DataModel", "Unset")
RESERVED_ATTRIBUTES = frozenset(
    {"additional_properties", "from_dict", "to_dict", "with_defaults", "_closed"}
)
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
    index: SchemaIndex,
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
            if node.module != "__future__":
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
            edits.extend(_class_edits(node, lines, meta.get(node.name), index))
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


def _is_dataclass(node: ast.ClassDef) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Name) and target.id == "dataclass":
            return True
    return False


def _class_edits(
    node: ast.ClassDef, lines: list[str], info: dict[str, Any] | None, index: SchemaIndex
) -> Iterator[_Edit]:
    indent = " " * (node.col_offset + 4)
    schema = index.at(info["source_path"]) if info else None
    body = node.body
    if body and _is_docstring(body[0]):
        yield _docstring_edit(body[0], node.col_offset + 4, None)
    elif isinstance(schema, dict) and isinstance(schema.get(ORIGINAL_TITLE), str):
        # No description: the schema's own title (e.g. "sentinel-2-l2a") documents the class.
        first = body[0]
        yield _Edit(
            first.lineno, first.lineno - 1, _docstring_lines(schema[ORIGINAL_TITLE], indent)
        )
    if not _is_dataclass(node):
        yield from _enum_member_edits(node, lines)
        return
    header_last = body[0].lineno - 1
    if not node.bases:
        # class Name:  ->  class Name(DataModel):
        for number in range(node.lineno, header_last + 1):
            line = lines[number - 1]
            if line.lstrip().startswith(f"class {node.name}:"):
                based = line.replace(f"{node.name}:", f"{node.name}(DataModel):")
                yield _Edit(number, number, [based])
    fields = {field["name"]: field for field in (info or {}).get("fields", [])}
    closed = isinstance(schema, dict) and index.is_closed(schema)
    if closed:
        last = body[-1]
        yield _Edit(_end(last) + 1, _end(last), ["", f"{indent}_closed: ClassVar[bool] = True"])
    for position, statement in enumerate(body):
        if not (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)):
            continue
        following = body[position + 1] if position + 1 < len(body) else None
        docstring = following if _is_docstring(following) else None
        name = statement.target.id
        field_info = fields.get(name, {"name": name, "alias": name, "required": True})
        yield from _field_edits(statement, docstring, field_info, schema, index, indent)


def _enum_member_edits(node: ast.ClassDef, lines: list[str]) -> Iterator[_Edit]:
    """An enum whose values are objects or arrays: ruff would take each member for a
    mutable class attribute (RUF012); an enum member is never assigned to."""
    for statement in node.body:
        if isinstance(statement, ast.Assign) and isinstance(statement.value, (ast.Dict, ast.List)):
            line = lines[statement.lineno - 1]
            yield _Edit(statement.lineno, statement.lineno, [line + "  # noqa: RUF012"])


def _field_edits(
    statement: ast.AnnAssign,
    docstring: ast.AST | None,
    info: dict[str, Any],
    owner: Any,
    index: SchemaIndex,
    indent: str,
) -> Iterator[_Edit]:
    attr = info["name"]
    key = info.get("alias") or attr
    if attr in RESERVED_ATTRIBUTES:
        attr = attr + "_"
    schemas = index.property_schemas(owner, key) if isinstance(owner, dict) else []
    default = index.default_of(schemas)
    metadata: dict[str, Any] = {}
    if key != attr:
        metadata["json"] = key
    if default is not _NO_DEFAULT:
        metadata["default"] = default
    annotation = statement.annotation
    required = index.is_required(owner, key) if isinstance(owner, dict) else info["required"]
    if required:
        # A one-value Literal (a tag such as type: "raster") defaults to its value.
        constant = _single_literal(annotation)
        source = f"{attr}: {ast.unparse(annotation)}"
        if metadata:
            default_arg = f"default={constant}, " if constant is not None else ""
            source += f" = field({default_arg}metadata={metadata!r})"
        elif constant is not None:
            source += f" = {constant}"
    else:
        members = _union_members(annotation)
        nullable = index.admits_null(schemas) if schemas else True
        kept = [ast.unparse(m) for m in members if not _is_none(m)]
        null = ["None"] if nullable and len(kept) < len(members) else []
        typed = " | ".join([*kept, "Unset", *null])
        if metadata:
            source = f"{attr}: {typed} = field(default=UNSET, metadata={metadata!r})"
        else:
            source = f"{attr}: {typed} = UNSET"
    yield _Edit(statement.lineno, _end(statement), [indent + source])
    note = None if default is _NO_DEFAULT else f"Default: ``{json.dumps(default)}``."
    if docstring is not None:
        yield _docstring_edit(docstring, len(indent), note)
    elif note is not None:
        yield _Edit(_end(statement) + 1, _end(statement), _docstring_lines(note, indent))


_NO_DEFAULT = SchemaIndex.NO_DEFAULT


def _single_literal(annotation: ast.expr) -> str | None:
    """The source of the one value a ``Literal[...]`` annotation allows, if it is just one."""
    if (
        isinstance(annotation, ast.Subscript)
        and isinstance(annotation.value, ast.Name)
        and annotation.value.id == "Literal"
        and isinstance(annotation.slice, ast.Constant)
    ):
        return ast.unparse(annotation.slice)
    return None


def _union_members(annotation: ast.expr) -> list[ast.expr]:
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return _union_members(annotation.left) + _union_members(annotation.right)
    return [annotation]


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


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
