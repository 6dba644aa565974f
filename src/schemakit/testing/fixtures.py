"""Reproducible fixture documents: N valid documents for a seed, written atomically.

Hypothesis' own entry points are built for testing, not for reproducible output:
``strategy.example()`` is random on every call, and ``@given`` (even with ``@seed``) starts
from the simplest example, skips duplicates and stops early on small spaces. So documents are
drawn the way ``@given`` draws them internally, from a ``ConjectureData`` whose choices come
from ``random.Random("<seed>:<index>:<attempt>")`` (string seeds hash the same on every run).
Document *i* therefore depends only on the seed and *i*: the first 10 of 1000 fixtures are
the 10 fixtures of ``-n 10``. Hypothesis normally mixes in constants it finds in the modules
that happen to be loaded; those are switched off, so output does not depend on what else the
process imported. Every document is validated before anything is written.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Callable, Iterable, Iterator
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
    from hypothesis import strategies as st
    from hypothesis.control import BuildContext
    from hypothesis.errors import StopTest, UnsatisfiedAssumption
    from hypothesis.internal.conjecture.data import ConjectureData
    from hypothesis.internal.conjecture.providers import HypothesisProvider

    from ..strategies.invalid import InvalidDocument, invalid

# A draw that is rejected (a filter or size limit) is retried with the next attempt number.
MAX_ATTEMPTS = 100
# Runs of at least this many documents into files show a progress bar on a terminal.
PROGRESS_FROM = 50


class _SeededProvider(HypothesisProvider):
    """Hypothesis' provider without the constants it collects from loaded modules."""

    def _maybe_draw_constant(self, *args: Any, **kwargs: Any) -> None:
        return None


def draw(strategy: st.SearchStrategy[Any], seed: int, index: int) -> Any:
    """Document ``index`` of ``seed``: the same value on every run and machine."""
    for attempt in range(MAX_ATTEMPTS):
        data = ConjectureData(
            random=random.Random(f"{seed}:{index}:{attempt}"), provider=_SeededProvider
        )
        try:
            with BuildContext(data, is_final=False, wrapped_test=draw):
                return data.draw(strategy)
        except (StopTest, UnsatisfiedAssumption):
            continue  # too large or filtered out: try the next attempt
    raise FixtureError(f"no document after {MAX_ATTEMPTS} attempts (document {index + 1})")


def documents(
    strategy: st.SearchStrategy[Any],
    count: int,
    seed: int,
    check: Callable[[Any], list[Any]] | None = None,
) -> Iterator[Any]:
    """``count`` documents for ``seed``; ``check`` returns the problems of one (if any)."""
    for index in range(count):
        document = draw(strategy, seed, index)
        problems = check(document) if check is not None else []
        if problems:
            raise FixtureError(f"generated document {index + 1} is invalid: {problems[0]}")
        yield document


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
