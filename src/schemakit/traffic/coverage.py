"""Which operations and documented responses the checked traffic exercised, and which not."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.operations import Operations
from .check import ExchangeResult


@dataclass
class Coverage:
    operations: Operations
    seen: dict[str, set[str]] = field(default_factory=dict)  # label -> response keys hit

    def add(self, result: ExchangeResult) -> None:
        if result.operation is None:
            return
        hit = self.seen.setdefault(result.operation.label, set())
        if result.response is not None:
            hit.add(result.response.status)

    @property
    def documented(self) -> int:
        return sum(len(op.responses) for op in self.operations)

    @property
    def exercised(self) -> int:
        return sum(len(hits) for hits in self.seen.values())

    def lines(self) -> list[str]:
        total = len(self.operations)
        lines = [
            f"coverage: {len(self.seen)} of {total} operations, "
            f"{self.exercised} of {self.documented} documented responses"
        ]
        for op in self.operations:
            hits = self.seen.get(op.label)
            head = f"  {op.label} ({op.method} {op.path}): "
            if hits is None:
                lines.append(head + "not exercised")
                continue
            done = [r.status for r in op.responses if r.status in hits]
            missing = [r.status for r in op.responses if r.status not in hits]
            text = ", ".join(done) or "no documented status"
            lines.append(head + text + (f"; not {', '.join(missing)}" if missing else ""))
        return lines
