"""Reproducible fixture documents: N valid documents for a seed, written atomically.

Document *i* depends only on the seed and *i* (``schemakit.strategies.seeded`` draws them),
so the first 10 of 1000 fixtures are the 10 fixtures of ``-n 10``. Every document is
validated before anything is written.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeRemainingColumn,
)

from ..core import atomic
from ..core.errors import FixtureError, OutputError
from ..core.extras import needs
from ..schemaset import SchemaSet

with needs("fixtures", "schemakit fixtures (document generation)"):
    from ..strategies.invalid import InvalidDocument, invalid
    from ..strategies.seeded import MAX_ATTEMPTS, documents, draw

__all__ = [
    "MAX_ATTEMPTS",
    "PROGRESS_FROM",
    "FixtureError",
    "documents",
    "draw",
    "file_names",
    "fixtures",
    "invalid_fixtures",
    "jsonl_line",
    "pretty",
    "show_progress",
    "stream_jsonl",
    "with_progress",
    "write_directory",
    "write_jsonl",
]

# Runs of at least this many documents into files show a progress bar on a terminal.
PROGRESS_FROM = 50


def fixtures(schema_set: SchemaSet, name: str, count: int, seed: int) -> Iterator[Any]:
    """``count`` validated documents of the named schema for ``seed``."""
    validator = schema_set.validator(name)
    return documents(schema_set.strategy(name), count, seed, validator.errors)


def invalid_fixtures(
    schema_set: SchemaSet, name: str, count: int, seed: int
) -> Iterator[dict[str, Any]]:
    """``count`` reproducible ``{"document", "pointer", "rule"}`` records for ``seed``
    (``schemakit fixtures --invalid``); each document is re-checked to be invalid."""
    validator = schema_set.validator(name)

    def problems(record: dict[str, Any]) -> list[str]:
        return ["the document is valid"] if validator.is_valid(record["document"]) else []

    strategy = invalid(name, schemas=schema_set).map(InvalidDocument.to_dict)
    return documents(strategy, count, seed, problems)


def jsonl_line(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def pretty(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def file_names(name: str, count: int) -> list[str]:
    width = max(4, len(str(count)))
    return [f"{name}-{index:0{width}d}.json" for index in range(1, count + 1)]


def write_directory(docs: Iterable[Any], directory: Path, name: str, count: int) -> list[Path]:
    """Write ``NAME-0001.json``... into ``directory``; nothing is written unless all were made."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():  # said before the documents are made
        raise OutputError("exists and is not a directory", str(directory))
    texts = [pretty(document) for document in docs]
    paths = [directory / file_name for file_name in file_names(name, count)]
    for path, text in zip(paths, texts, strict=True):
        atomic.write_text(path, text)
    return paths


def write_jsonl(docs: Iterable[Any], path: Path) -> None:
    atomic.write_text(Path(path), "".join(jsonl_line(document) for document in docs))


def with_progress(docs: Iterable[Any], total: int, enabled: bool) -> Iterator[Any]:
    """``docs`` unchanged, advancing a progress bar on stderr when ``enabled``."""
    if not enabled:
        yield from docs
        return
    columns = (
        SpinnerColumn(),
        TextColumn("generating"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("generating", total=total)
        for document in docs:
            yield document
            bar.advance(task)


def show_progress(count: int, to_files: object) -> bool:
    """A bar only on a terminal, only for files (documents on stdout are their own progress)."""
    return bool(to_files) and count >= PROGRESS_FROM and sys.stderr.isatty()


def stream_jsonl(docs: Iterable[Any], out: IO[str] | None = None) -> None:
    """JSON Lines on ``out`` (stdout), once every document has been made and validated."""
    out = out if out is not None else sys.stdout
    text = "".join(jsonl_line(document) for document in docs)
    out.write(text)
    out.flush()
