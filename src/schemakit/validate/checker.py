"""Validate documents from files and streams: the result values and the reference checker.

Results are produced lazily so a multi-gigabyte JSON Lines file is checked in
constant memory; a document that cannot be read becomes a result with ``error`` set
and checking goes on with the next one. ``Outcome`` is what one batch of input comes
back as: counts for everything, results only for what will be printed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
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
    item: str | None = None  # JSON pointer of the document inside the file (--items)

    @property
    def valid(self) -> bool:
        return self.error is None and not self.issues

    @property
    def where(self) -> str:
        if self.item is not None:
            return f"{self.source}:{self.item}"
        return f"{self.source}:{self.line}" if self.line is not None else self.source

    def shifted(self, lines: int) -> DocumentResult:
        """The same result ``lines`` lines further down its file (a worker numbered the
        lines of its part of the file from 1; the main process knows where it starts)."""
        if not lines or self.line is None:
            return self
        line = self.line + lines
        error = self.error
        if error is not None and error.where is not None:
            old, new = f"{self.source}:{self.line}", f"{self.source}:{line}"
            if error.where == old or error.where.startswith(old + ":"):
                error = SourceError(error.message, new + error.where[len(old) :])
        return DocumentResult(self.source, line, self.issues, error, self.item)

    def reported(self) -> DocumentResult:
        """Without the offending values (reports do not print them): what an Outcome
        keeps, so little crosses between processes and nothing too deep to pickle."""
        if not any(issue.value is not None for issue in self.issues):
            return self
        issues = tuple(replace(issue, value=None) for issue in self.issues)
        return DocumentResult(self.source, self.line, issues, self.error, self.item)

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {"source": self.source, "line": self.line}
        if self.item is not None:
            result["item"] = self.item
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

    def merge(self, other: Summary) -> None:
        self.documents += other.documents
        self.valid += other.valid
        self.invalid += other.invalid
        self.unreadable += other.unreadable
        self.rules.update(other.rules)

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


@dataclass
class Outcome:
    """One batch checked: counts over all its documents, and the results to print (every
    result, or with ``keep_valid=False`` only the invalid and unreadable ones)."""

    summary: Summary
    results: list[DocumentResult]
    lines: int = 0  # lines of the input the batch covered, blank ones included
    first_line: int = 1  # the number its first line was given

    def renumbered(self, first_line: int) -> Outcome:
        """The same outcome with its first line numbered ``first_line``."""
        lines = first_line - self.first_line
        if not lines:
            return self
        results = [result.shifted(lines) for result in self.results]
        return Outcome(self.summary, results, self.lines, first_line)


def outcome_of(results: Iterable[DocumentResult], keep_valid: bool) -> Outcome:
    """Count ``results`` and keep the ones to print."""
    summary = Summary()
    kept = []
    for result in results:
        summary.add(result)
        if keep_valid or not result.valid:
            kept.append(result.reported())
    return Outcome(summary, kept)


def check_record(validator: Validator, record: Record) -> DocumentResult:
    if record.error is not None:
        return DocumentResult(record.where, record.line, error=record.error)
    return DocumentResult(record.where, record.line, tuple(validator.errors(record.document)))


def check_sources(validator: Validator, sources: Iterable[str]) -> Iterator[DocumentResult]:
    for source in sources:
        for record in iter_documents(source):
            yield check_record(validator, record)
