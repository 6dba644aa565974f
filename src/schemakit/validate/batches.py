"""Cut the inputs of a validation run into batches, and read a batch's lines.

A regular JSON Lines file is planned as byte ranges: the main process only looks at the
file's size, and whoever checks a range (a worker, or the main process with one job)
reads it. A range owns the lines that *start* inside it, so ranges can be cut anywhere
and every line is read exactly once. Streams (stdin, a FIFO) cannot be read twice, so
the main process reads them in blocks of whole lines; single-document files are grouped
by path. A batch is cheap to send to a worker: offsets, paths, or one block of bytes.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..load import jsonio
from ..load.jsonio import STDIN, is_jsonl_path

BATCH_BYTES = 1024 * 1024  # one range, or one block read from a stream
BATCH_FILES = 64  # single-document files per batch
_READ_BYTES = 64 * 1024  # reading on past a range's end to finish its last line


@dataclass(frozen=True)
class Batch:
    """A slice of the input, as offsets, bytes or paths."""

    kind: str  # "range", "lines", "files" or "text"
    source: str
    payload: Any
    size: int  # input bytes it covers, for progress
    first_line: int | None = None  # number of its first line, when known without reading


def iter_batches(paths: Iterable[str], stdin_format: str = "json") -> Iterator[Batch]:
    """The batches of ``paths`` (files, JSON Lines, ``-``), in input order.

    ``stdin_format``: ``"json"`` (JSON or JSON Lines) or ``"yaml"``, for ``-``."""
    files: list[str] = []
    size = 0
    for source in paths:
        if source != "-" and not is_jsonl_path(Path(source)):
            files.append(source)
            size += _size(source)
            if len(files) >= BATCH_FILES:
                yield Batch("files", "", tuple(files), size)
                files, size = [], 0
            continue
        if files:
            yield Batch("files", "", tuple(files), size)
            files, size = [], 0
        yield from _stdin_batches(stdin_format) if source == "-" else _jsonl_batches(source)
    if files:
        yield Batch("files", "", tuple(files), size)


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _stdin_batches(stdin_format: str) -> Iterator[Batch]:
    # JSON Lines are batched as they arrive; only a single document is read whole.
    if stdin_format != "json":
        data = sys.stdin.buffer.read()
        yield Batch(stdin_format, STDIN, data, len(data))
        return
    jsonl, head = jsonio.sniff_stream(sys.stdin.buffer)
    if jsonl:
        yield from line_batches(jsonio.PrefixedStream(head, sys.stdin.buffer), STDIN)
    else:
        yield Batch("text", STDIN, head, len(head))


def _jsonl_batches(source: str) -> Iterator[Batch]:
    try:
        info = os.stat(source)
    except OSError:
        info = None
    if info is not None and stat.S_ISREG(info.st_mode):
        yield from _range_batches(source, info.st_size)
        return
    try:
        stream = open(source, "rb")  # noqa: SIM115 (closed below, after the last batch)
    except OSError:
        # Let the reader say what is wrong, exactly as it would without batches.
        yield Batch("files", "", (source,), 0)
        return
    with stream:
        yield from line_batches(stream, source)


def _range_batches(source: str, size: int) -> Iterator[Batch]:
    for start in range(0, size, BATCH_BYTES):
        end = min(start + BATCH_BYTES, size)
        yield Batch("range", source, (start, end), end - start, 1 if start == 0 else None)


def line_batches(stream: jsonio.Readable, source: str) -> Iterator[Batch]:
    """Blocks of whole lines read from a stream, cut at the last newline of each block."""
    number = 1  # line number of the first line of the next block
    carry = b""  # the unfinished last line of the previous block
    while block := stream.read(BATCH_BYTES):
        data = carry + block
        cut = data.rfind(b"\n") + 1
        if cut:
            yield Batch("lines", source, (data[:cut], False), cut, number)
            number += data.count(b"\n", 0, cut)
        carry = data[cut:]
        if len(carry) > jsonio.MAX_DOCUMENT_BYTES:  # one line that never ends: skip it, bounded
            while (rest := stream.readline(BATCH_BYTES)) and not rest.endswith(b"\n"):
                pass
            yield Batch("lines", source, (b"", True), len(carry), number)
            number, carry = number + 1, b""
    if carry:
        yield Batch("lines", source, (carry, False), len(carry), number)


def read_range(path: str, start: int, end: int) -> list[bytes | None]:
    """The lines that start in ``[start, end)`` of ``path``, without their newlines;
    ``None`` for a line longer than ``MAX_DOCUMENT_BYTES`` (left unread).

    One read of the whole range from byte ``start - 1`` (the first piece, up to the first
    newline, ends a line of the range before) and no copy of it: reading the same size
    every time lets the allocator reuse its pages instead of faulting in fresh ones.
    """
    with open(path, "rb") as stream:
        stream.seek(max(start - 1, 0))
        data = stream.read(end - start + (1 if start else 0))
        ends = data.endswith(b"\n")
        lines: list[bytes | None] = list(data.split(b"\n"))
        if start:
            del lines[0]
        if not lines:
            return lines  # no line starts here: one line spans the whole range
        if ends:
            lines.pop()
        elif stream.tell() >= end:  # the last line goes on past the range
            rest, overlong = _rest_of_line(stream, len(lines[-1] or b""))
            lines[-1] = None if overlong else (lines[-1] or b"") + rest.removesuffix(b"\n")
        return lines


def split_lines(data: bytes, overlong: bool) -> list[bytes | None]:
    """The lines of a block read from a stream (``None``: one more, too long to read)."""
    lines: list[bytes | None] = list(data.split(b"\n"))
    if lines[-1] == b"":
        lines.pop()  # the block ends with a newline (or is empty)
    if overlong:
        lines.append(None)
    return lines


def _rest_of_line(stream: BinaryIO, have: int) -> tuple[bytes, bool]:
    """The rest of a line ``have`` bytes long so far (with its newline, if it has one),
    or (b"", True) once it is too long."""
    parts: list[bytes] = []
    length = have
    while chunk := stream.readline(_READ_BYTES):
        ends = chunk.endswith(b"\n")
        length += len(chunk) - ends
        if length > jsonio.MAX_DOCUMENT_BYTES:
            while not ends and (chunk := stream.readline(_READ_BYTES)):
                ends = chunk.endswith(b"\n")
            return b"", True
        parts.append(chunk)
        if ends:
            break
    return b"".join(parts), False
