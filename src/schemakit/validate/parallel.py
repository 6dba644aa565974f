"""Validate many documents on several cores, in input order, in bounded memory.

The main process only cuts the input into batches of raw bytes (JSON Lines are never
parsed here, so the main process stays light); worker processes parse and validate. At
most ``IN_FLIGHT_PER_JOB * jobs`` batches are out at once and results come back in input
order, so a multi-gigabyte file is checked in constant memory and the output is the same
for every ``jobs``. ``jobs=1`` runs the same batches in this process, without a pool.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import WorkerError
from ..load import jsonio
from ..load.jsonio import (
    STDIN,
    is_jsonl_path,
    iter_documents,
    record_of_line,
    record_of_text,
)
from .checker import DocumentResult, check_record
from .validator import Validator

BATCH_BYTES = 1024 * 1024  # JSON Lines are sent in blocks of about this size
BATCH_FILES = 64  # single-document files per batch
IN_FLIGHT_PER_JOB = 3  # enough queued work that no worker waits for the reader

ProgressCallback = Callable[[int, int], None]  # (documents done, bytes done) per batch


@dataclass(frozen=True)
class Batch:
    """A slice of the input, as bytes or paths: cheap to send to a worker."""

    kind: str  # a key of _CHECKERS
    source: str
    payload: Any
    size: int  # input bytes it covers, for progress


def resolve_jobs(jobs: int) -> int:
    """``jobs`` itself, or every core the process may use for ``0``."""
    if jobs > 0:
        return jobs
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def check_paths(
    validator: Validator,
    paths: Iterable[str],
    *,
    jobs: int = 1,
    on_progress: ProgressCallback | None = None,
    stdin_format: str = "json",
) -> Iterator[DocumentResult]:
    """Every document of ``paths`` (files, JSON Lines, ``-``) checked, in input order.

    ``stdin_format``: ``"json"`` (JSON or JSON Lines) or ``"yaml"``, for ``-``."""
    jobs = resolve_jobs(jobs)
    batches = iter_batches(paths, stdin_format)
    if jobs == 1:
        results: Iterator[tuple[Batch, list[DocumentResult]]] = (
            (batch, check_batch(validator, batch)) for batch in batches
        )
    else:
        results = _in_pool(validator, batches, jobs)
    for batch, batch_results in results:
        if on_progress is not None:
            on_progress(len(batch_results), batch.size)
        yield from batch_results


# -- cutting the input into batches (main process) ---------------------------


def iter_batches(paths: Iterable[str], stdin_format: str = "json") -> Iterator[Batch]:
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
        yield from _line_batches(jsonio.PrefixedStream(head, sys.stdin.buffer), STDIN)
    else:
        yield Batch("text", STDIN, head, len(head))


def _jsonl_batches(source: str) -> Iterator[Batch]:
    try:
        stream = open(source, "rb")  # noqa: SIM115 (closed below, after the last batch)
    except OSError:
        # Let the reader say what is wrong, exactly as it would without batches.
        yield Batch("files", "", (source,), 0)
        return
    with stream:
        yield from _line_batches(stream, source)


def _line_batches(stream: jsonio.Readable, source: str) -> Iterator[Batch]:
    """Blocks of whole lines, cut at the last newline; the main process looks at no line."""
    number = 1  # line number of the first line of the next block
    carry = b""  # the unfinished last line of the previous block
    while block := stream.read(BATCH_BYTES):
        data = carry + block
        cut = data.rfind(b"\n") + 1
        if cut:
            yield Batch("lines", source, (number, data[:cut]), cut)
            number += data.count(b"\n", 0, cut)
        carry = data[cut:]
        if len(carry) > jsonio.MAX_DOCUMENT_BYTES:  # one line that never ends: skip it, bounded
            while (rest := stream.readline(BATCH_BYTES)) and not rest.endswith(b"\n"):
                pass
            yield Batch("lines", source, (number, None), len(carry))
            number, carry = number + 1, b""
    if carry:
        yield Batch("lines", source, (number, carry), len(carry))


# -- checking one batch (worker process, or this one for jobs=1) --------------


def _check_lines(validator: Validator, batch: Batch) -> list[DocumentResult]:
    first, data = batch.payload
    if data is None:
        lines: list[bytes | None] = [None]
    else:
        lines = [
            line if len(line) <= jsonio.MAX_DOCUMENT_BYTES else None
            for line in data.split(b"\n")[: data.count(b"\n") or 1]
        ]
    records = (record_of_line(batch.source, first + i, raw) for i, raw in enumerate(lines))
    return [check_record(validator, record) for record in records if record is not None]


def _check_files(validator: Validator, batch: Batch) -> list[DocumentResult]:
    return [
        check_record(validator, record) for path in batch.payload for record in iter_documents(path)
    ]


def _check_text(validator: Validator, batch: Batch) -> list[DocumentResult]:
    return [check_record(validator, record_of_text(batch.payload, batch.source))]


def _check_yaml(validator: Validator, batch: Batch) -> list[DocumentResult]:
    return [check_record(validator, record_of_text(batch.payload, batch.source, "yaml"))]


_CHECKERS: dict[str, Callable[[Validator, Batch], list[DocumentResult]]] = {
    "lines": _check_lines,
    "files": _check_files,
    "text": _check_text,
    "yaml": _check_yaml,
}


def check_batch(validator: Validator, batch: Batch) -> list[DocumentResult]:
    return _CHECKERS[batch.kind](validator, batch)


_worker_validator: Validator | None = None


def _start_worker(validator: Validator) -> None:
    global _worker_validator
    _worker_validator = validator
    # Ctrl-C is the main process's to handle (it cancels the pool); a worker that took
    # it too would print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _check_in_worker(batch: Batch) -> list[DocumentResult]:
    assert _worker_validator is not None, "worker started without a validator"
    return check_batch(_worker_validator, batch)


# -- the pool -----------------------------------------------------------------


def _start_method() -> Any:
    """``fork`` is fastest, but forking a process that runs threads can deadlock."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def _in_pool(
    validator: Validator, batches: Iterator[Batch], jobs: int
) -> Iterator[tuple[Batch, list[DocumentResult]]]:
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=_start_method(),
        initializer=_start_worker,
        initargs=(validator,),  # a Validator pickles as its bundled schema and is rebuilt
    )
    pending: deque[tuple[Batch, Future[list[DocumentResult]]]] = deque()
    try:
        for batch in batches:
            pending.append((batch, pool.submit(_check_in_worker, batch)))
            if len(pending) >= IN_FLIGHT_PER_JOB * jobs:
                yield _result(*pending.popleft())
        while pending:
            yield _result(*pending.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _result(
    batch: Batch, future: Future[list[DocumentResult]]
) -> tuple[Batch, list[DocumentResult]]:
    try:
        return batch, future.result()
    except BrokenProcessPool:
        where = batch.source or (batch.payload[0] if batch.payload else None)
        raise WorkerError("a worker process died while checking this input", where) from None


__all__ = [
    "BATCH_BYTES",
    "Batch",
    "WorkerError",
    "check_batch",
    "check_paths",
    "iter_batches",
    "resolve_jobs",
]
