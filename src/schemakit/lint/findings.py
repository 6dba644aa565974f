"""``Finding`` and ``LintReport``: the values that flow from the lint rules to the renderers."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    """How bad a finding is; ``error`` fails ``schemakit lint`` by default."""

    error = "error"
    warning = "warning"
    info = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.error: 3, Severity.warning: 2, Severity.info: 1}


@dataclass(frozen=True, order=True)
class Location:
    """A JSON pointer inside one named schema."""

    schema: str
    pointer: str = ""

    def __str__(self) -> str:
        return f"{self.schema}#{self.pointer}"


@dataclass(frozen=True)
class Finding:
    """One defect: which rule, where (named schema + JSON pointer, and file), and why."""

    rule: str
    severity: Severity
    location: Location
    file: str
    message: str
    related: tuple[Location, ...] = ()  # other schemas involved (e.g. overlapping branches)
    witness: Any = None  # a document proving the defect, when there is one
    file_pointer: str = ""  # JSON pointer inside ``file`` (differs for OpenAPI components)

    @property
    def schema(self) -> str:
        return self.location.schema

    @property
    def pointer(self) -> str:
        return self.location.pointer

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity.value,
            "schema": self.schema,
            "pointer": self.pointer,
            "file": self.file,
            "file_pointer": self.file_pointer,
            "message": self.message,
        }
        if self.related:
            result["related"] = [str(location) for location in self.related]
        if self.witness is not None:
            result["witness"] = self.witness
        return result

    def sort_key(self) -> tuple[Any, ...]:
        # Ties keep the order the rules found them in (branch order, enum order, ...).
        return (self.file, self.file_pointer, self.rule)


@dataclass(frozen=True)
class LintReport:
    """Every finding for one schema set, in a stable order."""

    source: str
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity is severity)

    def exit_code(self, fail_on: Severity = Severity.error) -> int:
        failing = any(f.severity.rank >= fail_on.rank for f in self.findings)
        return 1 if failing else 0

    def summary(self) -> str:
        counts = ", ".join(f"{self.count(s)} {s.value}s" for s in Severity)
        return f"{len(self.findings)} findings ({counts})"
