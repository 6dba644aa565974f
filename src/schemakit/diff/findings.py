"""The values ``schemakit diff`` produces: findings, structural changes and the report.

A ``Finding`` is a change in the set of accepted documents, in one direction, at one keyword,
with the document that proves it (or ``proved=False`` when the search ran out of budget).
A ``Change`` is what does not need a proof: a schema or operation added, removed or renamed.
The report carries both, the schemas proved unchanged, and the exit code for ``--fail-on``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Direction(str, Enum):
    """Which way the accepted set moved."""

    narrowed = "narrowed"  # a document valid under OLD is invalid under NEW
    widened = "widened"  # a document valid under NEW is invalid under OLD

    @property
    def other(self) -> Direction:
        return Direction.widened if self is Direction.narrowed else Direction.narrowed


class FailOn(str, Enum):
    """Which proved findings make ``schemakit diff`` exit 1."""

    narrowed = "narrowed"
    widened = "widened"
    any = "any"

    def matches(self, direction: Direction) -> bool:
        return self is FailOn.any or self.value == direction.value


# Who a change breaks, by what the schema is used for and the direction.
BREAKS: dict[tuple[str, Direction], str] = {
    ("schema", Direction.narrowed): "breaks senders of documents that were valid",
    ("schema", Direction.widened): "breaks readers built for OLD (generated models)",
    ("request", Direction.narrowed): "breaks clients: requests that were valid are refused",
    ("request", Direction.widened): "breaks no client: the server accepts more",
    ("response", Direction.narrowed): "breaks no client: responses have fewer forms",
    ("response", Direction.widened): "breaks clients: responses they do not expect",
}


@dataclass(frozen=True)
class Finding:
    """One change of the accepted set, at one keyword, in one direction."""

    direction: Direction
    schema: str  # the schema (or operation slot) compared, named as in NEW
    pointer: str  # JSON pointer of the keyword that changed, inside ``at``
    side: str  # "new" or "old": which version ``at``/``pointer`` are in
    at: str  # the named schema that holds the keyword (``schema`` or one it refers to)
    change: str  # short id, e.g. "enum-values-removed"
    message: str
    file: str
    file_pointer: str
    use: str = "schema"  # "schema", "request" or "response"
    proved: bool = False
    witness: Any = None  # the document (meaningful only when ``proved``)
    witness_source: str = "generated"  # or "file:line" for a --documents witness
    used_by: tuple[str, ...] = ()  # schemas (and operations) that refer to ``at``

    @property
    def breaks(self) -> str:
        return BREAKS[(self.use, self.direction)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "direction": self.direction.value,
            "schema": self.schema,
            "pointer": self.pointer,
            "side": self.side,
            "at": self.at,
            "change": self.change,
            "message": self.message,
            "file": self.file,
            "file_pointer": self.file_pointer,
            "use": self.use,
            "breaks": self.breaks,
            "proved": self.proved,
            "witness": self.witness if self.proved else None,
            "witness_source": self.witness_source if self.proved else None,
            "used_by": list(self.used_by),
        }

    def sort_key(self) -> tuple[Any, ...]:
        return (self.schema, self.at, self.pointer, self.direction.value, self.change)


@dataclass(frozen=True)
class Change:
    """A change that needs no witness: something added, removed or renamed."""

    kind: str  # "schema-added", "schema-removed", "schema-renamed", "operation-added", ...
    name: str  # as in NEW (as in OLD for a removal)
    message: str
    file: str
    old_name: str | None = None  # for renames

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "kind": self.kind,
            "name": self.name,
            "message": self.message,
            "file": self.file,
        }
        if self.old_name is not None:
            result["old_name"] = self.old_name
        return result


@dataclass(frozen=True)
class DiffReport:
    """Everything ``diff()`` found between two versions of a schema set."""

    old: str  # the sources, for people
    new: str
    seed: int
    findings: tuple[Finding, ...] = ()
    changes: tuple[Change, ...] = ()
    unchanged: tuple[str, ...] = ()  # pairs whose normal forms are identical
    # schema -> the changed schemas it refers to, where that is its only change (its
    # accepted set moves the way theirs does; see the findings of those schemas)
    through_refs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unreadable: tuple[str, ...] = ()  # --documents that could not be read (one line each)

    def proved(self, direction: Direction | None = None) -> list[Finding]:
        return [
            f for f in self.findings if f.proved and (direction is None or f.direction is direction)
        ]

    def exit_code(self, fail_on: FailOn = FailOn.any) -> int:
        if self.unreadable:
            return 2
        return 1 if any(fail_on.matches(f.direction) for f in self.proved()) else 0

    def summary(self) -> str:
        narrowed = len(self.proved(Direction.narrowed))
        widened = len(self.proved(Direction.widened))
        unproved = sum(1 for f in self.findings if not f.proved)
        parts = [f"{narrowed} narrowed", f"{widened} widened", f"{unproved} not proved"]
        kinds: dict[str, int] = {}
        for change in self.changes:
            kinds[change.kind] = kinds.get(change.kind, 0) + 1
        parts += [f"{count} {kind}" for kind, count in sorted(kinds.items())]
        text = ", ".join(parts)
        if self.through_refs:
            text += f"; {len(self.through_refs)} changed only through the schemas they refer to"
        if self.unchanged:
            text += (
                f"; {len(self.unchanged)} unchanged (identical after normalising refs, "
                "annotations and ordering)"
            )
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "seed": self.seed,
            "summary": {
                "narrowed": len(self.proved(Direction.narrowed)),
                "widened": len(self.proved(Direction.widened)),
                "not_proved": sum(1 for f in self.findings if not f.proved),
                "changes": len(self.changes),
                "unchanged": len(self.unchanged),
            },
            "findings": [finding.to_dict() for finding in self.findings],
            "changes": [change.to_dict() for change in self.changes],
            "through_refs": {name: list(refs) for name, refs in self.through_refs.items()},
            "unchanged": list(self.unchanged),
            "unreadable": list(self.unreadable),
        }
