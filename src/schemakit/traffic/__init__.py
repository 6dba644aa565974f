"""Check recorded or live HTTP traffic against the operations of an OpenAPI document.

``read_recording`` turns a HAR file, VCR.py cassette or Postman collection into
``Exchange`` values; ``TrafficChecker`` matches each to its operation and checks it;
``check_recordings`` does both for many files, reporting an unreadable recording as one
error and going on with the others.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import SourceError
from ..core.operations import Deployment
from .check import ExchangeResult, TrafficChecker, TrafficIssue
from .coverage import Coverage
from .exchange import Exchange
from .recordings import read_recording, recording_files
from .shape import RecordingError


def parse_server(text: str) -> Deployment:
    """``URL=PATH`` (``--server``): requests under URL stand for the document's PATH."""
    url, equals, path = text.partition("=")
    if not equals or not url or (path and not path.startswith("/")):
        raise ValueError(f"expected URL=PATH (PATH starting with '/'), got {text!r}")
    return Deployment(url.strip(), path.strip())


@dataclass
class TrafficSummary:
    """Counts over a run; decides the exit code."""

    exchanges: int = 0
    valid: int = 0
    invalid: int = 0
    unmatched: int = 0
    unreadable: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # page resources, by kind

    def add(self, result: ExchangeResult) -> None:
        if result.skipped:
            self.skipped[result.skipped] += 1
            return
        self.exchanges += 1
        if result.operation is None:
            self.unmatched += 1
        elif result.issues:
            self.invalid += 1
        else:
            self.valid += 1

    @property
    def exit_code(self) -> int:
        return 2 if self.unreadable else 1 if self.invalid or self.unmatched else 0

    def __str__(self) -> str:
        text = f"{self.exchanges} exchanges: {self.valid} valid, {self.invalid} invalid, "
        text += f"{self.unmatched} unmatched"
        if self.skipped:
            kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(self.skipped.items()))
            total = sum(self.skipped.values())
            text += f"; {total} page resource{'' if total == 1 else 's'} skipped ({kinds})"
        if self.unreadable:
            plural = "" if self.unreadable == 1 else "s"
            text += f"; {self.unreadable} unreadable recording{plural}"
        return text


def check_recordings(
    checker: TrafficChecker, paths: Iterable[str | Path]
) -> Iterator[ExchangeResult | SourceError]:
    """Each exchange's result, recording by recording; an unreadable one is its error."""
    for path in recording_files(paths):
        try:
            exchanges = read_recording(path)
        except SourceError as exc:
            yield exc
            continue
        for exchange in exchanges:
            yield checker.check(exchange)


__all__ = [
    "Coverage",
    "Exchange",
    "ExchangeResult",
    "RecordingError",
    "TrafficChecker",
    "TrafficIssue",
    "TrafficSummary",
    "check_recordings",
    "parse_server",
    "read_recording",
]
