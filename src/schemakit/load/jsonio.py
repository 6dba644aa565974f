"""Strict reading of JSON, YAML and JSON Lines, with file:line:col in every error.

Strict means: no NaN/Infinity (nor numbers that overflow to it, like ``1e400``), no
integers longer than Python's digit limit, no lone UTF-16 surrogates (``"\\ud800"``), no
duplicate object keys, no nesting deeper than the parser's recursion limit, UTF-8 only (a
leading BOM is accepted and dropped), no file or JSON Lines line larger than
``MAX_DOCUMENT_BYTES``. YAML is read as JSON data: safe loader, plain scalars by the YAML
1.2 core schema (``yes`` and ``12:30:00`` stay strings, unquoted dates too), tags with no
JSON meaning (``!!binary``, ``!!set``) and alias bombs are refused.
These are the documented input rules of schemakit; each violation is a ``SourceError``.
"""

from __future__ import annotations

import io
import json
import math
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..core.errors import SourceError

MAX_DEPTH = 512
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024  # one file or one JSON Lines line; bigger: split it
MAX_YAML_NODES = 1_000_000  # after expanding aliases: stops "billion laughs" documents
_YAML_SUFFIXES = {".yaml", ".yml"}
_JSONL_SUFFIXES = {".jsonl", ".ndjson"}
STDIN = "<stdin>"


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


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):  # "1e400" parses to inf: as un-JSON as a literal Infinity
        raise _BadConstant(text)
    return value


_DECODER = json.JSONDecoder(
    object_pairs_hook=_pairs_without_duplicates,
    parse_constant=_reject_constant,
    parse_float=_finite_float,
)
# A \uD800-\uDFFF escape may leave a lone surrogate, which no UTF-8 output can encode.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


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
        document = _DECODER.decode(text)
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
    except ValueError as exc:  # e.g. an integer longer than sys.get_int_max_str_digits()
        raise SourceError(f"invalid JSON: {str(exc).split(';')[0]}", where) from None
    if "\\u" in text and _SURROGATE_ESCAPE.search(text):
        _reject_lone_surrogates(document, text, where)
    return document


def _reject_lone_surrogates(document: Any, text: str, where: str) -> None:
    try:
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = f"\\u{ord(exc.object[exc.start]):04x}"
        loc = _locate(text, "(?i)" + re.escape(bad))
        raise SourceError(
            f"lone surrogate {bad} in a string (not valid Unicode)", f"{where}{loc}"
        ) from None


def parse_yaml(text: str, where: str) -> Any:
    """Parse one YAML document as JSON data (see the module docstring for the rules)."""
    if text.lstrip("\ufeff \t\r\n")[:1] in ("{", "["):
        # JSON text in a .yaml file (Kubernetes' OpenAPI, many exports): JSON is YAML 1.2,
        # and the JSON reader is ~5x faster. Flow-style YAML ({a: 1}) falls through.
        try:
            return parse_json(text, where)
        except SourceError:
            pass
    from .yamlio import parse_yaml_document  # PyYAML is imported only for YAML input

    return parse_yaml_document(text, where)


def read_text(path: Path) -> str:
    """Read a UTF-8 file; every failure becomes a one-line ``SourceError``."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_DOCUMENT_BYTES + 1)
    except FileNotFoundError:
        raise SourceError("no such file", str(path)) from None
    except IsADirectoryError:
        raise SourceError("is a directory, expected a file", str(path)) from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}", str(path)) from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise SourceError(
            f"larger than {MAX_DOCUMENT_BYTES} bytes (split it, e.g. into JSON Lines)", str(path)
        )
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
    if not text.strip("\ufeff \t\r\n"):
        raise SourceError("file is empty, expected a JSON or YAML document", str(path))
    parse = parse_yaml if is_yaml_path(path) else parse_json
    return parse(text, str(path))


@dataclass(frozen=True)
class Record:
    """One document from an input source, or the error that prevented reading it."""

    where: str
    line: int | None
    document: Any = None
    error: SourceError | None = None


def iter_lines(stream: Readable, start: int = 1) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, raw line)`` pairs; ``None`` stands for a line longer than
    ``MAX_DOCUMENT_BYTES``, which is skipped without ever being held in memory."""
    number = start - 1
    while raw := stream.readline(MAX_DOCUMENT_BYTES + 1):
        number += 1
        if len(raw) > MAX_DOCUMENT_BYTES and not raw.endswith(b"\n"):
            while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield number, None
        else:
            yield number, raw


def record_of_line(where: str, number: int, raw: bytes | None) -> Record | None:
    """The Record for one JSON Lines line (None for a blank line)."""
    line_where = f"{where}:{number}"
    if raw is None:
        error = SourceError(f"line longer than {MAX_DOCUMENT_BYTES} bytes", line_where)
        return Record(where, number, error=error)
    if not raw.strip():
        return None
    raw = raw.removesuffix(b"\n").removesuffix(b"\r")  # else errors point past the line
    try:
        document = parse_json(decode_utf8(raw, line_where), line_where)
    except SourceError as exc:
        return Record(where, number, error=_jsonl_error(exc, line_where))
    return Record(where, number, document=document)


def iter_jsonl(stream: Readable, where: str) -> Iterator[Record]:
    """One Record per non-blank line; a bad line becomes an error Record and reading goes on."""
    for number, raw in iter_lines(stream):
        record = record_of_line(where, number, raw)
        if record is not None:
            yield record


def _jsonl_error(exc: SourceError, line_where: str) -> SourceError:
    # parse_json reports "<file>:<n>:1:col" for a line; fold it into "<file>:<n>:col".
    where = exc.where or line_where
    if where.startswith(line_where + ":1:"):
        where = line_where + ":" + where[len(line_where) + 3 :]
    return SourceError(exc.message, where)


def iter_documents(path_or_dash: str, stdin_format: str = "json") -> Iterator[Record]:
    """Documents from a path (JSON, YAML or JSON Lines by suffix) or ``-`` for stdin.

    Stdin is JSON, sniffed for JSON Lines (several non-blank lines that each start with
    ``{`` or ``[``), or one YAML document when ``stdin_format`` is ``"yaml"``.
    """
    if path_or_dash == "-":
        yield from _iter_stdin(stdin_format)
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


def looks_like_jsonl(data: bytes) -> bool:
    """Several non-blank lines, each starting with ``{`` or ``[``, that are not one JSON text."""
    lines = [line for line in data.splitlines() if line.strip()]
    if len(lines) > 1 and all(line.lstrip()[:1] in (b"{", b"[") for line in lines):
        try:
            _DECODER.decode(data.decode("utf-8", "replace"))
        except (ValueError, RecursionError):
            return True
    return False


def _iter_stdin(stdin_format: str = "json") -> Iterator[Record]:
    stream = sys.stdin.buffer
    if stdin_format != "json":
        yield record_of_text(stream.read(), STDIN, stdin_format)
        return
    jsonl, head = sniff_stream(stream)
    if jsonl:
        yield from iter_jsonl(PrefixedStream(head, stream), STDIN)
    else:
        yield record_of_text(head, STDIN)


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...
    def readline(self, size: int = -1, /) -> bytes: ...


def sniff_stream(stream: Readable) -> tuple[bool, bytes]:
    """Whether ``stream`` holds JSON Lines, and the bytes read to decide.

    A complete JSON object or array on the first non-blank line, and a second non-blank
    line that starts with ``{`` or ``[``, make JSON Lines: only those lines are read, so
    the rest is checked as it arrives (a pipe, a file larger than memory). Anything else
    is read whole; it is JSON Lines too when every line starts like JSON and the whole is
    no JSON text (JSON Lines with a broken first line).
    """
    head, first = _up_to_content(stream)
    if _overlong(first) or _is_json_container(first):
        more, second = _up_to_content(stream)
        head += more
        if _overlong(first) or _overlong(second) or second.lstrip()[:1] in (b"{", b"["):
            return True, head
    head += stream.read()
    return looks_like_jsonl(head), head


class PrefixedStream:
    """``head`` and then the rest of ``stream``: the sniffed bytes put back in front."""

    def __init__(self, head: bytes, stream: Readable) -> None:
        self._head = io.BytesIO(head)
        self._stream = stream

    def read(self, size: int = -1, /) -> bytes:
        data = self._head.read(size)
        if size < 0:
            return data + self._stream.read()
        if data:
            return data
        # What is there, without waiting for a full block: a pipe is read as it flows.
        read1 = getattr(self._stream, "read1", self._stream.read)
        return bytes(read1(size))

    def readline(self, size: int = -1, /) -> bytes:
        line = self._head.readline(size)
        if line.endswith(b"\n") or (size >= 0 and len(line) >= size):
            return line
        return line + self._stream.readline(size - len(line) if size >= 0 else -1)


def _up_to_content(stream: Readable) -> tuple[bytes, bytes]:
    """(the bytes read, the first non-blank line among them or b"" at the end)"""
    read = b""
    while line := stream.readline(MAX_DOCUMENT_BYTES + 1):
        read += line
        if line.strip():
            return read, line
    return read, b""


def _overlong(line: bytes) -> bool:
    return len(line) > MAX_DOCUMENT_BYTES


def _is_json_container(line: bytes) -> bool:
    if line.lstrip()[:1] not in (b"{", b"["):
        return False
    try:
        _DECODER.decode(line.decode("utf-8"))
    except (ValueError, RecursionError):
        return False
    return True


# How a stream without a file name (stdin) is read: the same bytes get the same verdict
# as in a .json file unless the user says the stream is YAML.
STREAM_PARSERS = {"json": parse_json, "yaml": parse_yaml}


def record_of_text(data: bytes, where: str, input_format: str = "json") -> Record:
    """One document in ``input_format`` (a key of ``STREAM_PARSERS``)."""
    try:
        text = decode_utf8(data, where)
        if not text.strip("\ufeff \t\r\n"):
            raise SourceError(f"no input, expected a {input_format.upper()} document", where)
        return Record(where, None, document=STREAM_PARSERS[input_format](text, where))
    except SourceError as exc:
        return Record(where, None, error=exc)
