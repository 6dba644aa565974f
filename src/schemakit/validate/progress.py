"""A progress line on stderr for long validation runs, and only on a terminal.

Shown when stderr is a terminal, the run is not ``--quiet``, the per-document results go
elsewhere (stdout redirected: results scrolling on the same terminal would bury it, and
routing every line through the live display costs more than validating it) and the run
has lasted more than ``DELAY`` seconds (short runs stay clean): documents done, input
bytes done of the total when the inputs are files (so a bar and an ETA), documents per
second.
"""

from __future__ import annotations

import os
import stat
import sys
import time
from collections.abc import Iterable
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

DELAY = 1.0  # seconds before the progress line appears


def _console(stream: TextIO) -> Any:
    from rich.console import Console

    return Console(file=stream)


def _documents_column() -> Any:
    """``12,345 docs  4,321/s`` from the task's ``documents`` field (rich is imported only
    when a progress line is shown: most runs never need it)."""
    from rich.progress import ProgressColumn, Task
    from rich.text import Text

    class DocumentsColumn(ProgressColumn):
        def render(self, task: Task) -> Text:
            documents = int(task.fields.get("documents", 0))
            elapsed = task.elapsed or 0.0
            rate = f"  {documents / elapsed:,.0f}/s" if elapsed > 0 else ""
            return Text(f"{documents:,} docs{rate}", style="progress.data.speed")

    return DocumentsColumn()


def total_bytes(paths: Iterable[str]) -> int | None:
    """Input size when every input is a regular file (else None: no bar, no ETA)."""
    total = 0
    for path in paths:
        try:
            info = os.stat(path) if path != "-" else None
        except OSError:
            continue  # reported as unreadable later; adds nothing to do
        if info is None or not stat.S_ISREG(info.st_mode):
            return None
        total += info.st_size
    return total


class RunProgress:
    """Context manager; ``advance(documents, nbytes)`` after each batch of results."""

    def __init__(self, total: int | None, *, enabled: bool, stream: TextIO | None = None) -> None:
        self.total = total
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.documents = 0
        self.done_bytes = 0
        self._started = time.monotonic()
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    @classmethod
    def for_run(cls, paths: list[str], *, quiet: bool) -> RunProgress:
        enabled = not quiet and sys.stderr.isatty() and not sys.stdout.isatty()
        return cls(total_bytes(paths) if enabled else None, enabled=enabled)

    def advance(self, documents: int, nbytes: int) -> None:
        self.documents += documents
        self.done_bytes += nbytes
        if not self.enabled:
            return
        if self._progress is None:
            if time.monotonic() - self._started < DELAY:
                return
            self._show()
        assert self._progress is not None and self._task is not None
        self._progress.update(self._task, completed=self.done_bytes, documents=self.documents)

    def _show(self) -> None:
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeRemainingColumn,
        )

        columns: list[Any] = [SpinnerColumn(), TextColumn("validating")]
        if self.total:
            columns += [BarColumn(), DownloadColumn(), TimeRemainingColumn()]
        columns.append(_documents_column())
        console = _console(self.stream)
        self._progress = Progress(
            *columns,
            console=console,
            transient=True,
            redirect_stdout=False,  # results go to a file or pipe, never this terminal
            redirect_stderr=True,  # unreadable-input lines print above the progress line
        )
        self._task = self._progress.add_task("validating", total=self.total or None, documents=0)
        # Count the time already spent, so the first rate and ETA are not inflated.
        self._progress.tasks[0].start_time = self._progress.get_time() - (
            time.monotonic() - self._started
        )
        self._progress.start()

    def __enter__(self) -> RunProgress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
