"""Validate documents from files and streams, one ``DocumentResult`` at a time.

Results are produced lazily so a multi-gigabyte JSON Lines file is checked in
constant memory; a document that cannot be read becomes a result with ``error`` set
and checking goes on with the next one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import SourceError
from ..load.jsonio import Record, iter_documents
from .validator import Issue, Validator


@dataclass(frozen=True)
class DocumentResult:
    """The verdict on one document (or why it could not be read)."""

    source: str
    line: int | None
    issues: tuple[Issue, ...] = ()
    error: SourceError | None = None

    @property
    def valid(self) -> bool:
        return self.error is None and not self.issues

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line is not None else self.source

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {"source": self.source, "line": self.line}
        if self.error is not None:
            result.update(valid=None, error=str(self.error))
        else:
            result.update(valid=self.valid, errors=[issue.to_dict() for issue in self.issues])
        return result


@dataclass
class Summary:
    """Counts over a run; decides the exit code."""

    documents: int = 0
    valid: int = 0
    invalid: int = 0
    unreadable: int = 0
    rules: Counter[str] = field(default_factory=Counter)

    def add(self, result: DocumentResult) -> None:
        self.documents += 1
        if result.error is not None:
            self.unreadable += 1
        elif result.issues:
            self.invalid += 1
            self.rules.update(issue.rule for issue in result.issues)
        else:
            self.valid += 1

    @property
    def exit_code(self) -> int:
        return 2 if self.unreadable else 1 if self.invalid else 0

    def __str__(self) -> str:
        text = f"{self.documents} documents: {self.valid} valid, {self.invalid} invalid"
        if self.unreadable:
            text += f", {self.unreadable} unreadable"
        if self.rules:
            text += " (" + ", ".join(f"{rule}: {n}" for rule, n in self.rules.most_common()) + ")"
        return text


def check_record(validator: Validator, record: Record) -> DocumentResult:
    if record.error is not None:
        return DocumentResult(record.where, record.line, error=record.error)
    return DocumentResult(record.where, record.line, tuple(validator.errors(record.document)))


def check_sources(validator: Validator, sources: Iterable[str]) -> Iterator[DocumentResult]:
    for source in sources:
        for record in iter_documents(source):
            yield check_record(validator, record)
