"""One side of a comparison: a schema set (with its operation slots) and what is derived from it.

Bundles, validators, strategies and normal forms are made once per schema and kept here, so
pairing, locating changes and searching witnesses never build them twice. A bundle pointer
(``/$defs/MaxCloudCoverage/maximum``) is mapped back to the named schema that holds it and
to a place in a file, which is what a finding reports.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from hypothesis import strategies as st

from ..core.pointer import format_pointer, tokens
from ..core.schemaset import PureSchemaSet
from ..strategies import strategy_for
from ..validate.bundle import bundle_of, bundle_sources
from ..validate.validator import Validator, validator_for
from .normal import Normaliser
from .operations import with_operations


class Version:
    """``old`` or ``new``: a loaded schema set, extended with its operations' schemas."""

    def __init__(self, schema_set: PureSchemaSet, label: str) -> None:
        self.label = label
        self.components = schema_set.names
        self.set, self.operations = with_operations(schema_set)
        self._normalisers: dict[str, Normaliser] = {}

    def bundle(self, name: str) -> Any:
        """The bundle of ``name`` (read-only; ``copy.deepcopy`` gives an editable one)."""
        return bundle_of(self.set, name)

    def validator(self, name: str) -> Validator:
        return validator_for(self.set, name)

    def strategy(self, name: str) -> st.SearchStrategy[Any]:
        return strategy_for(self.set, name)

    def normaliser(self, name: str) -> Normaliser:
        if name not in self._normalisers:
            self._normalisers[name] = Normaliser(self.bundle(name))
        return self._normalisers[name]

    def form(self, name: str) -> str:
        """The normal form of the whole named schema (canonical JSON text)."""
        return self.normaliser(name).text("")

    def sources(self, name: str) -> dict[str, str]:
        """``$defs`` entry -> schema name, for the named schemas embedded in ``name``'s bundle."""
        return self.set.memo(
            ("bundle-sources", name), lambda: bundle_sources(self.set, self.set.resource(name))
        )

    @cached_property
    def _users(self) -> dict[str, tuple[str, ...]]:
        users: dict[str, set[str]] = {}
        for name in self.set.names:
            for target in self.sources(name).values():
                users.setdefault(target, set()).add(name)
        return {target: tuple(sorted(names)) for target, names in users.items()}

    def used_by(self, name: str) -> tuple[str, ...]:
        """Every schema (and operation slot) whose bundle embeds ``name``."""
        return self._users.get(name, ())

    def named_target(self, name: str, pointer: str) -> str | None:
        """The schema a bundle pointer is the root of: ``name`` for ``""``, else a ``$defs``
        entry that embeds a whole named schema."""
        if pointer == "":
            return name
        parts = tokens(pointer)
        if len(parts) == 2 and parts[0] == "$defs":
            return self.sources(name).get(parts[1])
        return None

    def owner(self, name: str, pointer: str) -> tuple[str, str]:
        """(named schema, pointer inside it) for a pointer into ``name``'s bundle."""
        parts = tokens(pointer)
        if len(parts) >= 2 and parts[0] == "$defs":
            owner = self.sources(name).get(parts[1])
            if owner is not None:
                return owner, format_pointer(parts[2:])
        return name, pointer

    def place(self, owner: str, pointer: str) -> tuple[str, str]:
        """(file, JSON pointer inside the file) of a pointer inside a named schema."""
        origin = self.set.resource(owner).origin
        file, _, base = origin.partition("#")
        return file, base + pointer


def keyword_pointer(node: str, keyword: tuple[str, ...]) -> str:
    return node + format_pointer(keyword)
