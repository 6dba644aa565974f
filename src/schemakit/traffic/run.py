"""A whole traffic run, as ``schemakit traffic`` does it: check, render, count, cover.

Text: one line per exchange, then the coverage summary and the counts. JSON: one object
per exchange (JSON Lines) on stdout, nothing else there. An unreadable recording is one
``error:`` line on stderr; the run goes on and ends with exit code 2.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

from ..core.errors import SourceError
from ..core.operations import Deployment
from ..core.schemaset import PureSchemaSet
from . import TrafficChecker, TrafficSummary, check_recordings
from .coverage import Coverage
from .render import RENDERERS


def run(
    schema_set: PureSchemaSet,
    recordings: Iterable[str | Path],
    servers: Sequence[Deployment],
    output_format: str,
    out: TextIO,
    err: TextIO,
) -> int:
    """Check every exchange of ``recordings``; returns the exit code (0, 1 or 2)."""
    checker = TrafficChecker(schema_set, servers)
    render = RENDERERS[output_format]
    summary = TrafficSummary()
    coverage = Coverage(schema_set.operations)
    for result in check_recordings(checker, recordings):
        if isinstance(result, SourceError):
            summary.unreadable += 1
            err.write(f"schemakit: error: {result}\n")
            continue
        summary.add(result)
        coverage.add(result)
        render(result, out)
    if output_format == "text":
        if not schema_set.operations:
            out.write(f"\n{schema_set.source} declares no operations\n")
        else:
            out.write("\n" + "\n".join(coverage.lines()) + "\n")
        out.write(f"{summary}\n")
    return summary.exit_code
