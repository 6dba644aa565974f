"""Which schema of OLD is compared with which schema of NEW, and what exists on one side only.

Component schemas pair by name. A schema that exists only in OLD and one that exists only in
NEW with the same normal form are a rename (the wire format is the same; generated code and
``$ref``s by name break). OpenAPI operation slots pair by method, path template and slot
(``operations.py``). The rest is added or removed, reported without a witness.
"""

from __future__ import annotations

from dataclasses import dataclass

from .findings import Change
from .versions import Version


@dataclass(frozen=True)
class Pair:
    old: str
    new: str
    use: str  # "schema", "request" or "response"


@dataclass(frozen=True)
class Pairing:
    pairs: tuple[Pair, ...]  # compared for changes in accepted documents
    renames: dict[str, str]  # OLD name -> NEW name, for schemas whose contents did not change
    changes: tuple[Change, ...]

    @property
    def names(self) -> dict[str, str]:
        """OLD name -> NEW name for everything compared (refs between them pair the same)."""
        return {**{pair.old: pair.new for pair in self.pairs}, **self.renames}


def pair_versions(old: Version, new: Version) -> Pairing:
    pairs: list[Pair] = []
    changes: list[Change] = []
    old_names, new_names = set(old.components), set(new.components)
    for name in sorted(old_names & new_names):
        pairs.append(Pair(name, name, "schema"))
    renames = _renames(old, new, sorted(old_names - new_names), sorted(new_names - old_names))
    for old_name, new_name in renames.items():
        changes.append(
            Change(
                "schema-renamed",
                new_name,
                f"{old_name} is now {new_name} with the same contents "
                "(documents are unaffected; generated code and refs by name break)",
                _file(new, new_name),
                old_name=old_name,
            )
        )
    for name in sorted(old_names - new_names - set(renames)):
        changes.append(Change("schema-removed", name, f"{name} was removed", _file(old, name)))
    for name in sorted(new_names - old_names - set(renames.values())):
        changes.append(Change("schema-added", name, f"{name} was added", _file(new, name)))
    slot_pairs, slot_changes = _operations(old, new)
    return Pairing(tuple(pairs + slot_pairs), renames, tuple(changes + slot_changes))


def _renames(old: Version, new: Version, gone: list[str], came: list[str]) -> dict[str, str]:
    by_form: dict[str, list[str]] = {}
    for name in came:
        by_form.setdefault(new.form(name), []).append(name)
    renames = {}
    for name in gone:
        candidates = by_form.get(old.form(name))
        if candidates:
            renames[name] = candidates.pop(0)
    return renames


def _operations(old: Version, new: Version) -> tuple[list[Pair], list[Change]]:
    pairs: list[Pair] = []
    changes: list[Change] = []
    old_ops, new_ops = old.operations, new.operations
    for key in sorted(old_ops.operations.keys() - new_ops.operations.keys()):
        written = old_ops.operations[key]
        changes.append(Change("operation-removed", written, f"{written} was removed", _source(old)))
    for key in sorted(new_ops.operations.keys() - old_ops.operations.keys()):
        written = new_ops.operations[key]
        changes.append(Change("operation-added", written, f"{written} was added", _source(new)))
    for key in sorted(old_ops.operations.keys() & new_ops.operations.keys()):
        written = new_ops.operations[key]
        before = old_ops.body_required.get(key, False)
        after = new_ops.body_required.get(key, False)
        if before != after:
            kind = "request-body-required" if after else "request-body-optional"
            message = (
                f"{written}: the request body is now required (requests without one are refused)"
                if after
                else f"{written}: the request body is now optional"
            )
            changes.append(Change(kind, written, message, _source(new)))
    both_ops = old_ops.operations.keys() & new_ops.operations.keys()
    for key in sorted(old_ops.slots.keys() | new_ops.slots.keys()):
        old_slot, new_slot = old_ops.slots.get(key), new_ops.slots.get(key)
        if old_slot is not None and new_slot is not None:
            pairs.append(Pair(old_slot.name, new_slot.name, new_slot.use))
            continue
        slot = new_slot or old_slot
        assert slot is not None
        if slot.operation_key not in both_ops:
            continue  # the whole operation was added or removed
        kind = "slot-added" if new_slot is not None else "slot-removed"
        verb = "added" if new_slot is not None else "removed"
        version = new if new_slot is not None else old
        changes.append(Change(kind, slot.name, f"{slot.name} {verb}", _file(version, slot.name)))
    return pairs, changes


def _file(version: Version, name: str) -> str:
    return version.set.resource(name).origin


def _source(version: Version) -> str:
    return version.set.source
