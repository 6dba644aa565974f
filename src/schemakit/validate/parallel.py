"""Validate many documents on several cores, in input order, in bounded memory.

The main process plans batches (byte ranges of JSON Lines files, groups of paths; it
reads only streams, which cannot be read twice) and merges what comes back; workers
read and check. A batch comes back as an ``Outcome``: counts, plus the results that
will be printed (with ``keep_valid=False`` only the problems), so little crosses between
processes. At most ``IN_FLIGHT_PER_JOB * jobs`` batches are out at once and outcomes are
taken in input order, so the output is the same for every ``jobs`` and memory does not
grow with the input. With one job the same batches are checked in this process.

Workers die with the main process, whatever ends it (a signal, even SIGKILL, on Linux):
nothing is left running to hold the input or the terminal.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from itertools import chain, islice
from typing import Any

from ..core.errors import WorkerError
from ..load.jsonio import iter_documents, record_of_text
from .batches import Batch, iter_batches, read_range, split_lines
from .checker import DocumentResult, Outcome, check_record, outcome_of
from .items import check_items
from .lines import check_block
from .validator import Validator

IN_FLIGHT_PER_JOB = 3  # enough queued work that no worker waits for the main process
JOBS_PER_CORE = 2  # more workers than this only share the same cores

ProgressCallback = Callable[[int, int], None]  # (documents done, bytes done) per batch


def cores() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def resolve_jobs(jobs: int) -> int:
    """``jobs`` itself, or every core the process may use for ``0``; never more than
    ``JOBS_PER_CORE`` per core."""
    limit = JOBS_PER_CORE * cores()
    return min(jobs, limit) if jobs > 0 else cores()


def check_outcomes(
    validator: Validator,
    paths: Iterable[str],
    *,
    jobs: int = 1,
    keep_valid: bool = True,
    on_progress: ProgressCallback | None = None,
    items: str | None = None,
    stdin_format: str = "json",
) -> Generator[Outcome, None, None]:
    """Every document of ``paths`` (files, JSON Lines, ``-``) checked, batch by batch, in
    input order, with JSON Lines line numbers counted across batches.

    With ``items`` (a JSON pointer), each path is instead one JSON document whose array
    at that pointer holds the documents; it is streamed in this process.
    """
    if items is not None:
        for path in paths:
            for outcome, size in check_items(validator, path, items, keep_valid=keep_valid):
                if on_progress is not None:
                    on_progress(outcome.summary.documents, size)
                yield outcome
        return
    jobs = resolve_jobs(jobs)
    batches = iter_batches(paths, stdin_format)
    if jobs > 1:
        # Never more workers than batches: look at as many batches as there could be workers.
        head = list(islice(batches, jobs))
        jobs = len(head)
        batches = chain(head, batches)
    numbering = _Numbering()
    if jobs <= 1:
        pairs: Iterator[tuple[Batch, Outcome]] = (
            (batch, check_batch(validator, batch, numbering.first_line(batch), keep_valid))
            for batch in batches
        )
    else:
        pairs = _in_pool(validator, batches, jobs, keep_valid)
    for batch, outcome in pairs:
        placed = numbering.place(batch, outcome)
        if on_progress is not None:
            on_progress(placed.summary.documents, batch.size)
        yield placed


def check_paths(
    validator: Validator,
    paths: Iterable[str],
    *,
    jobs: int = 1,
    on_progress: ProgressCallback | None = None,
    stdin_format: str = "json",
) -> Iterator[DocumentResult]:
    """Every document of ``paths``, one result each, in input order (``stdin_format``:
    how ``-`` is read, ``"json"`` or ``"yaml"``)."""
    outcomes = check_outcomes(
        validator, paths, jobs=jobs, on_progress=on_progress, stdin_format=stdin_format
    )
    for outcome in outcomes:
        yield from outcome.results


class _Numbering:
    """Line numbers across the ranges of one JSON Lines file: a range not at the start
    of its file does not know its first line number until the ranges before it are in."""

    def __init__(self) -> None:
        self.next_line = 1

    def first_line(self, batch: Batch) -> int:
        if batch.first_line is not None:
            self.next_line = batch.first_line
        return self.next_line

    def place(self, batch: Batch, outcome: Outcome) -> Outcome:
        if batch.kind != "range":
            return outcome
        placed = outcome.renumbered(self.first_line(batch))
        self.next_line = placed.first_line + placed.lines
        return placed


# -- checking one batch (worker process, or this one for jobs=1) --------------


def _check_range(validator: Validator, batch: Batch, first: int, keep_valid: bool) -> Outcome:
    start, end = batch.payload
    try:
        lines = read_range(batch.source, start, end)
    except OSError:
        # Gone or unreadable since it was planned: let the reader say what is wrong.
        return outcome_of(
            (check_record(validator, r) for r in iter_documents(batch.source)), keep_valid
        )
    return check_block(validator, batch.source, lines, first, keep_valid=keep_valid)


def _check_lines(validator: Validator, batch: Batch, first: int, keep_valid: bool) -> Outcome:
    lines = split_lines(*batch.payload)
    return check_block(validator, batch.source, lines, first, keep_valid=keep_valid)


def _check_files(validator: Validator, batch: Batch, first: int, keep_valid: bool) -> Outcome:
    results = (
        check_record(validator, record) for path in batch.payload for record in iter_documents(path)
    )
    return outcome_of(results, keep_valid)


# A whole stream read as one document: its batch kind says how it is parsed.
_TEXT_FORMATS = {"text": "json", "yaml": "yaml"}


def _check_text(validator: Validator, batch: Batch, first: int, keep_valid: bool) -> Outcome:
    record = record_of_text(batch.payload, batch.source, _TEXT_FORMATS[batch.kind])
    return outcome_of([check_record(validator, record)], keep_valid)


_CHECKERS: dict[str, Callable[[Validator, Batch, int, bool], Outcome]] = {
    "range": _check_range,
    "lines": _check_lines,
    "files": _check_files,
    "text": _check_text,
    "yaml": _check_text,
}


def check_batch(
    validator: Validator, batch: Batch, first_line: int = 1, keep_valid: bool = True
) -> Outcome:
    """Check one batch; its lines are numbered from ``first_line``."""
    return _CHECKERS[batch.kind](validator, batch, first_line, keep_valid)


# -- worker processes -----------------------------------------------------------

_worker_validator: Validator | None = None
_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when its parent dies (Linux), however it dies."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: workers end when their queue closes
        return
    if parent > 0 and os.getppid() != parent:  # it died before the request was in place
        os._exit(1)


def _start_worker(validator: Validator, parent: int) -> None:
    global _worker_validator
    _die_with_parent(parent)
    _worker_validator = validator
    # Ctrl-C is the main process's to handle (it cancels the pool); a worker that took
    # it too would print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _check_in_worker(batch: Batch, first_line: int, keep_valid: bool) -> Outcome:
    assert _worker_validator is not None, "worker started without a validator"
    return check_batch(_worker_validator, batch, first_line, keep_valid)


def _start_method() -> Any:
    """``fork`` is fastest, but forking a process that runs threads can deadlock."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


@contextmanager
def _frozen_heap(starting: bool) -> Iterator[None]:
    """The first submit forks the workers: with the heap frozen, a worker's garbage
    collections skip the objects it inherited, so it neither scans them nor copies their
    pages (each collection writes to every object it visits). This process unfreezes
    right after, so its own garbage is collected as before."""
    if not starting:
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _in_pool(
    validator: Validator, batches: Iterator[Batch], jobs: int, keep_valid: bool = True
) -> Iterator[tuple[Batch, Outcome]]:
    context = _start_method()
    # With fork the workers are children of this process; otherwise of a fork server.
    parent = os.getpid() if context.get_start_method() == "fork" else -1
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_start_worker,
        initargs=(validator, parent),  # a Validator pickles as its bundled schema
    )
    pending: deque[tuple[Batch, Future[Outcome]]] = deque()
    interrupted = False
    try:
        for batch in batches:
            # A range not at its file's start is numbered from 1; the main process
            # renumbers it once the ranges before it are in.
            first = batch.first_line or 1
            with _frozen_heap(not pending):
                future = pool.submit(_check_in_worker, batch, first, keep_valid)
            pending.append((batch, future))
            if len(pending) >= IN_FLIGHT_PER_JOB * jobs:
                yield _result(*pending.popleft())
        while pending:
            yield _result(*pending.popleft())
    except KeyboardInterrupt:
        # Ctrl-C: leave the pool as it is. The interrupt may have landed while the pool
        # held one of its locks, which shutting it down would then wait on for good; the
        # command line exits at once (cli._exit_at_once) and the workers die with it.
        interrupted = True
        raise
    finally:
        if not interrupted:
            pool.shutdown(wait=True, cancel_futures=True)


def _result(batch: Batch, future: Future[Outcome]) -> tuple[Batch, Outcome]:
    try:
        return batch, future.result()
    except BrokenProcessPool:
        where = batch.source or (batch.payload[0] if batch.payload else None)
        raise WorkerError("a worker process died while checking this input", where) from None


__all__ = [
    "Batch",
    "WorkerError",
    "check_batch",
    "check_outcomes",
    "check_paths",
    "iter_batches",
    "resolve_jobs",
]
