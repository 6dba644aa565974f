"""Render a ``DiffReport`` as text (one line per finding, like ``lint``) or one JSON document,
and show progress on a terminal while a big set is compared."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from ..validate.validator import short
from .findings import DiffReport, Finding

WITNESS_WIDTH = 100
PROGRESS_FROM = 10  # pairs: smaller comparisons finish before a bar would help


def finding_line(finding: Finding) -> str:
    if finding.proved:
        label = "witness" if finding.witness_source == "generated" else "document"
        proof = f"{label}: {short(finding.witness, WITNESS_WIDTH)}"
    else:
        proof = "not proved (no witness found within the budget)"
    where = f"{finding.file}#{finding.file_pointer}"
    subject = (
        finding.schema if finding.at == finding.schema else f"{finding.schema} via {finding.at}"
    )
    return (
        f"{where}: {finding.direction.value} [{finding.change}] {subject}: {finding.message}; "
        f"{finding.breaks}; {proof}"
    )


def render_text(report: DiffReport, out: TextIO) -> None:
    for finding in report.findings:
        out.write(finding_line(finding) + "\n")
    for change in report.changes:
        out.write(f"{change.file}: {change.kind}: {change.message}\n")
    for name, refs in report.through_refs.items():
        out.write(f"{name}: changed through {', '.join(refs)} (see their findings)\n")


def render_json(report: DiffReport, out: TextIO) -> None:
    out.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str) + "\n")


RENDERERS: dict[str, Callable[[DiffReport, TextIO], None]] = {
    "text": render_text,
    "json": render_json,
}


@contextmanager
def terminal_progress(enabled: bool) -> Iterator[Callable[[int, int, str], None] | None]:
    """A progress callback drawing a bar on stderr, or None when there is no terminal."""
    if not (enabled and sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (
        TextColumn("comparing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("", total=None)

        def advance(done: int, total: int, name: str) -> None:
            if total >= PROGRESS_FROM:
                bar.update(task, completed=done, total=total, description=name)

        yield advance
