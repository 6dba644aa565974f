"""Strict reading of JSON, YAML and JSON Lines, with file:line:col in every error.

Strict means: no NaN/Infinity, no duplicate object keys, no nesting deeper than
``MAX_DEPTH``, UTF-8 only (a leading BOM is accepted and dropped). These are the
documented input rules of schemakit; each violation is a ``SourceError``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import yaml

from .errors import SourceError

MAX_DEPTH = 512
_YAML_SUFFIXES = {".yaml", ".yml"}
_JSONL_SUFFIXES = {".jsonl", ".ndjson"}


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(key)


class _BadConstant(ValueError):
    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(name)


def _pairs_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise _BadConstant(name)


_DECODER = json.JSONDecoder(
    object_pairs_hook=_pairs_without_duplicates, parse_constant=_reject_constant
)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def _locate(text: str, pattern: str, nth: int = 1) -> str:
    matches = list(re.finditer(pattern, text))
    if not matches:
        return ""
    line, col = _line_col(text, matches[min(nth, len(matches)) - 1].start())
    return f":{line}:{col}"


def _too_deep(text: str) -> int | None:
    """Offset where bracket nesting first exceeds MAX_DEPTH (ignoring strings), else None."""
    depth = 0
    in_string = escaped = False
    for offset, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return offset
        elif char in "]}":
            depth -= 1
    return None


def parse_json(text: str, where: str) -> Any:
    """Parse one JSON text strictly; ``where`` names the source in error messages."""
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise SourceError(f"invalid JSON: {exc.msg}", f"{where}:{exc.lineno}:{exc.colno}") from None
    except _DuplicateKey as exc:
        loc = _locate(text, r'"' + re.escape(json.dumps(exc.key)[1:-1]) + r'"\s*:', nth=2)
        raise SourceError(f"duplicate object key {exc.key!r}", f"{where}{loc}") from None
    except _BadConstant as exc:
        loc = _locate(text, r"(?<![\w\"])" + re.escape(exc.name) + r"(?![\w\"])")
        raise SourceError(
            f"{exc.name} is not valid JSON (only finite numbers are allowed)", f"{where}{loc}"
        ) from None
    except RecursionError:
        offset = _too_deep(text)
        loc = "" if offset is None else ":{}:{}".format(*_line_col(text, offset))
        raise SourceError(f"nesting deeper than {MAX_DEPTH} levels", f"{where}{loc}") from None


class _StrictYamlLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate mapping keys instead of keeping the last one."""


def _construct_mapping(loader: _StrictYamlLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            mark = key_node.start_mark
            raise SourceError(
                f"duplicate mapping key {key!r}", f"{mark.name}:{mark.line + 1}:{mark.column + 1}"
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_StrictYamlLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def parse_yaml(text: str, where: str) -> Any:
    """Parse one YAML document with the safe loader; duplicate keys are errors."""
    try:
        loader = _StrictYamlLoader(text)
        loader.name = where
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise SourceError(f"invalid YAML: {exc.problem or exc.context}", f"{where}{loc}") from None
    except yaml.YAMLError as exc:
        raise SourceError(f"invalid YAML: {exc}", where) from None
    except RecursionError:
        raise SourceError(f"nesting deeper than {MAX_DEPTH} levels", where) from None


def read_text(path: Path) -> str:
    """Read a UTF-8 file; every failure becomes a one-line ``SourceError``."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("no such file", str(path)) from None
    except IsADirectoryError:
        raise SourceError("is a directory, expected a file", str(path)) from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}", str(path)) from None
    return decode_utf8(data, str(path))


def decode_utf8(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = data[: exc.start].decode("utf-8", "replace")
        line, col = _line_col(text, len(text))
        raise SourceError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", f"{where}:{line}:{col}"
        ) from None


def is_yaml_path(path: Path) -> bool:
    return path.suffix.lower() in _YAML_SUFFIXES


def is_jsonl_path(path: Path) -> bool:
    return path.suffix.lower() in _JSONL_SUFFIXES


def load_file(path: Path) -> Any:
    """Load a JSON or YAML file (chosen by suffix; other suffixes are read as JSON)."""
    text = read_text(path)
    parse = parse_yaml if is_yaml_path(path) else parse_json
    return parse(text, str(path))


@dataclass(frozen=True)
class Record:
    """One document from an input source, or the error that prevented reading it."""

    where: str
    line: int | None
    document: Any = None
    error: SourceError | None = None


def iter_jsonl(stream: IO[bytes], where: str) -> Iterator[Record]:
    """One Record per non-blank line; a bad line becomes an error Record and reading goes on."""
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        line_where = f"{where}:{number}"
        try:
            text = decode_utf8(raw, line_where)
            document = parse_json(text, line_where)
        except SourceError as exc:
            yield Record(where, number, error=_jsonl_error(exc, line_where))
            continue
        yield Record(where, number, document=document)


def _jsonl_error(exc: SourceError, line_where: str) -> SourceError:
    # parse_json reports "<file>:<n>:1:col" for a line; fold it into "<file>:<n>:col".
    where = exc.where or line_where
    if where.startswith(line_where + ":1:"):
        where = line_where + ":" + where[len(line_where) + 3 :]
    return SourceError(exc.message, where)


def iter_documents(path_or_dash: str) -> Iterator[Record]:
    """Documents from a path (JSON, YAML or JSON Lines by suffix) or ``-`` for stdin.

    Stdin is sniffed: several non-blank lines that each start with ``{`` or ``[``
    are JSON Lines, anything else is one JSON (or YAML) document.
    """
    if path_or_dash == "-":
        yield from _iter_stdin()
        return
    path = Path(path_or_dash)
    if is_jsonl_path(path):
        try:
            stream = path.open("rb")
        except FileNotFoundError:
            yield Record(str(path), None, error=SourceError("no such file", str(path)))
            return
        except OSError as exc:
            yield Record(
                str(path), None, error=SourceError(f"cannot read: {exc.strerror}", str(path))
            )
            return
        with stream:
            yield from iter_jsonl(stream, str(path))
        return
    try:
        yield Record(str(path), None, document=load_file(path))
    except SourceError as exc:
        yield Record(str(path), None, error=exc)


def _iter_stdin() -> Iterator[Record]:
    data = sys.stdin.buffer.read()
    where = "<stdin>"
    lines = [line for line in data.splitlines() if line.strip()]
    if len(lines) > 1 and all(line.lstrip()[:1] in (b"{", b"[") for line in lines):
        try:
            _DECODER.decode(data.decode("utf-8", "replace"))
        except ValueError:
            import io

            yield from iter_jsonl(io.BytesIO(data), where)
            return
    try:
        text = decode_utf8(data, where)
        stripped = text.lstrip("\ufeff \t\r\n")
        parse = parse_json if stripped[:1] in ("{", "[", '"') or not stripped else parse_yaml
        yield Record(where, None, document=parse(text, where))
    except SourceError as exc:
        yield Record(where, None, error=exc)
