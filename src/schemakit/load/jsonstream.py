"""Stream the items of a JSON array out of a file too big to read whole.

``iter_items(path, "/data")`` walks to the array at that JSON pointer and yields its
items one at a time, holding only a block of the file and the current item in memory.
Each item is read under the same rules as any document (``jsonio``: no duplicate keys,
no NaN, ...), through ``fastjson`` with the strict reader deciding whenever it is unsure;
errors carry the item's pointer and ``file:line:col``.

Why not ijson: its C backend turns lone surrogates into "?", refuses integers beyond 64
bits and keeps the last of duplicate keys, all silently or without a location. Here the
C scanner of ``json`` finds where each item ends, and the item's own text is then read
like a JSON Lines line.
"""

from __future__ import annotations

import codecs
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from ..core.errors import SourceError
from . import jsonio
from .fastjson import UNSURE, sure_parse

BLOCK_BYTES = 1024 * 1024
_SCAN = json.JSONDecoder().raw_decode  # syntax only: the item's text is re-read strictly
_WHITESPACE = " \t\n\r"
_SLACK = 16  # an error this far before the end of what was read is not for want of bytes


@dataclass(frozen=True)
class Item:
    """One item of the array (``document``), or why it or the rest could not be read."""

    pointer: str
    document: Any = None
    error: SourceError | None = None
    read: int = 0  # bytes of the file read so far, for progress


def parse_pointer(pointer: str) -> list[str]:
    """The reference tokens of a JSON pointer (``""`` is the whole document)."""
    if pointer and not pointer.startswith("/"):
        raise SourceError(f"--items must be a JSON pointer such as /data, not {pointer!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


class _Stop(Exception):
    """Reading cannot go on: the reason, as the error of a last Item."""

    def __init__(self, error: SourceError) -> None:
        self.error = error


class _Window:
    """Decoded text of the file from a moving start, with line:col bookkeeping."""

    def __init__(self, stream: BinaryIO, where: str) -> None:
        self.stream = stream
        self.where = where
        self.decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self.text = ""
        self.pos = 0
        self.eof = False
        self.line = 1  # line of text[0]
        self.column = 0  # column (0-based) of text[0] in that line
        self.consumed = 0  # bytes read from the stream

    def fill(self) -> bool:
        """Read one more block; False at the end of the file."""
        if self.eof:
            return False
        self._compact()
        if len(self.text) - self.pos > jsonio.MAX_DOCUMENT_BYTES:
            raise _Stop(self.error(f"an item larger than {jsonio.MAX_DOCUMENT_BYTES} bytes"))
        block = self.stream.read(BLOCK_BYTES)
        self.consumed += len(block)
        self.eof = not block
        try:
            text = self.decoder.decode(block, final=self.eof)
        except UnicodeDecodeError as exc:
            # Point at the bad byte: what decodes before it extends the text.
            self.text += exc.object[: exc.start].decode("utf-8", "replace")
            bad = f"not valid UTF-8 (byte 0x{exc.object[exc.start]:02x})"
            raise _Stop(self.error(bad, len(self.text))) from None
        if self.consumed == len(block) and text.startswith("\ufeff"):
            text = text[1:]  # a leading byte order mark, as jsonio accepts
        self.text += text
        return not self.eof or bool(text)

    def _compact(self) -> None:
        if self.pos < BLOCK_BYTES // 2:
            return
        dropped = self.text[: self.pos]
        newlines = dropped.count("\n")
        if newlines:
            self.line += newlines
            self.column = len(dropped) - dropped.rfind("\n") - 1
        else:
            self.column += len(dropped)
        self.text = self.text[self.pos :]
        self.pos = 0

    def location(self, pos: int) -> tuple[int, int]:
        """1-based line and column of ``text[pos]``."""
        newlines = self.text.count("\n", 0, pos)
        if not newlines:
            return self.line, self.column + pos + 1
        return self.line + newlines, pos - self.text.rfind("\n", 0, pos)

    def error(self, message: str, pos: int | None = None) -> SourceError:
        line, column = self.location(self.pos if pos is None else pos)
        return SourceError(message, f"{self.where}:{line}:{column}")

    def peek(self) -> str:
        """The next character that is not whitespace ("" at the end of the file)."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.text) or not self.fill():
                return self.text[self.pos : self.pos + 1]

    def expect(self, chars: str, what: str) -> str:
        char = self.peek()
        if not char or char not in chars:
            found = f"found {char!r}" if char else "the file ends"
            raise _Stop(self.error(f"invalid JSON: expected {what}, {found}"))
        self.pos += 1
        return char

    def value(self) -> tuple[Any, int]:
        """Scan the JSON value at the cursor: (value, where it started); cursor after it."""
        self.peek()
        start = self.pos
        while True:
            try:
                value, end = _SCAN(self.text, start)
            except json.JSONDecodeError as exc:
                if not self._want_more(exc):
                    raise _Stop(self.error(f"invalid JSON: {exc.msg}", exc.pos)) from None
                self.fill()
                start = self.pos
                continue
            except RecursionError:
                raise _Stop(self.error(f"nesting deeper than {jsonio.MAX_DEPTH} levels")) from None
            if end == len(self.text) and self.fill():
                start = self.pos  # a number may go on in the next block
                continue
            self.pos = end
            return value, start

    def _want_more(self, exc: json.JSONDecodeError) -> bool:
        if self.eof:
            return False
        truncated = exc.pos >= len(self.text) - _SLACK or exc.msg.startswith("Unterminated")
        return truncated


def iter_items(path: str, pointer: str) -> Iterator[Item]:
    """The items of the array at ``pointer`` in the JSON file ``path`` (``-``: stdin)."""
    tokens = parse_pointer(pointer)
    if path == "-":
        yield from _items(sys.stdin.buffer, jsonio.STDIN, tokens, pointer)
        return
    try:
        stream = open(path, "rb")  # noqa: SIM115 (closed below)
    except FileNotFoundError:
        yield Item(pointer, error=SourceError("no such file", path))
        return
    except OSError as exc:
        yield Item(pointer, error=SourceError(f"cannot read: {exc.strerror}", path))
        return
    with stream:
        yield from _items(stream, path, tokens, pointer)


def _items(stream: BinaryIO, where: str, tokens: list[str], pointer: str) -> Iterator[Item]:
    window = _Window(stream, where)
    index = -1
    try:
        _walk_to(window, tokens, pointer)
        window.expect("[", f"an array at {pointer or 'the top'}")
        if window.peek() == "]":
            return
        while True:
            index += 1
            yield _item(window, f"{pointer}/{index}")
            if window.expect(",]", "',' or ']' after an item") == "]":
                return
    except _Stop as stop:
        at = f"{pointer}/{index}" if index >= 0 else pointer
        yield Item(at, error=stop.error, read=window.consumed)


def _walk_to(window: _Window, tokens: list[str], pointer: str) -> None:
    for depth, token in enumerate(tokens):
        here = "/" + "/".join(tokens[:depth]) if depth else "the top"
        opening = window.expect("{[", f"an object or array at {here}")
        if opening == "{":
            _to_member(window, token, pointer)
        else:
            _to_element(window, token, pointer)


def _to_member(window: _Window, name: str, pointer: str) -> None:
    if window.peek() == "}":
        raise _Stop(window.error(f"{pointer}: no member {name!r}"))
    while True:
        if window.peek() != '"':
            window.expect('"', "a member name")
        key, _start = window.value()
        window.expect(":", "':'")
        if key == name:
            return
        window.value()  # a sibling: read and dropped
        if window.expect(",}", "',' or '}'") == "}":
            raise _Stop(window.error(f"{pointer}: no member {name!r}"))


def _to_element(window: _Window, token: str, pointer: str) -> None:
    if not token.isdigit():
        raise _Stop(window.error(f"{pointer}: {token!r} is not an array index"))
    for _ in range(int(token)):
        if window.peek() == "]":
            break
        window.value()
        window.expect(",", "','")
    if window.peek() == "]":
        raise _Stop(window.error(f"{pointer}: the array has no item {token}"))


def _item(window: _Window, pointer: str) -> Item:
    _value, start = window.value()
    text = window.text[start : window.pos]
    document = sure_parse(text.encode())
    if document is not UNSURE:
        return Item(pointer, document, read=window.consumed)
    try:
        return Item(pointer, jsonio.parse_json(text, "\0"), read=window.consumed)
    except SourceError as exc:
        where = _relocate(window, start, exc.where)
        error = SourceError(f"{exc.message} (item {pointer})", where)
        return Item(pointer, error=error, read=window.consumed)


def _relocate(window: _Window, start: int, where: str | None) -> str:
    """``where`` inside the item's text ("\\0:line:col") as a place in the file."""
    line, column = window.location(start)
    parts = (where or "").split(":")[1:]
    if len(parts) == 2 and all(part.isdigit() for part in parts):
        inner_line, inner_column = int(parts[0]), int(parts[1])
        if inner_line == 1:
            column += inner_column - 1
        else:
            line, column = line + inner_line - 1, inner_column
    return f"{window.where}:{line}:{column}"
