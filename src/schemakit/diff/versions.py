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

from ..bundle import all_bundle_sources
from ..schemaset import SchemaSet
from ..validation import Validator
from ..walk import escape
from .normal import Normaliser
from .operations import with_operations


class Version:
    """``old`` or ``new``: a loaded schema set, extended with its operations' schemas."""

    def __init__(self, schema_set: SchemaSet, label: str) -> None:
        self.label = label
        self.components = schema_set.names
        self.set, self.operations = with_operations(schema_set)
        self._bundles: dict[str, dict[str, Any]] = {}
        self._normalisers: dict[str, Normaliser] = {}
        self._strategies: dict[str, st.SearchStrategy[Any]] = {}

    def bundle(self, name: str) -> dict[str, Any]:
        """The bundle of ``name`` (shared: callers copy before changing it)."""
        if name not in self._bundles:
            self._bundles[name] = self.set.bundle(name)
        return self._bundles[name]

    def validator(self, name: str) -> Validator:
        return self.set.validator(name)

    def strategy(self, name: str) -> st.SearchStrategy[Any]:
        if name not in self._strategies:
            from ..strategies import from_schema

            self._strategies[name] = from_schema(self.bundle(name))
        return self._strategies[name]

    def normaliser(self, name: str) -> Normaliser:
        if name not in self._normalisers:
            self._normalisers[name] = Normaliser(self.bundle(name))
        return self._normalisers[name]

    def form(self, name: str) -> str:
        """The normal form of the whole named schema (canonical JSON text)."""
        return self.normaliser(name).text("")

    @cached_property
    def _sources(self) -> dict[str, dict[str, str]]:
        return all_bundle_sources(self.set)

    def sources(self, name: str) -> dict[str, str]:
        """``$defs`` entry -> schema name, for the named schemas embedded in ``name``'s bundle."""
        return self._sources[name]

    @cached_property
    def _users(self) -> dict[str, tuple[str, ...]]:
        users: dict[str, set[str]] = {}
        for name, embedded in self._sources.items():
            for target in embedded.values():
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
        parts = pointer.split("/")
        if len(parts) == 3 and parts[1] == "$defs":
            entry = parts[2].replace("~1", "/").replace("~0", "~")
            return self.sources(name).get(entry)
        return None

    def owner(self, name: str, pointer: str) -> tuple[str, str]:
        """(named schema, pointer inside it) for a pointer into ``name``'s bundle."""
        parts = pointer.split("/")
        if len(parts) >= 3 and parts[1] == "$defs":
            entry = parts[2].replace("~1", "/").replace("~0", "~")
            owner = self.sources(name).get(entry)
            if owner is not None:
                return owner, "".join(f"/{part}" for part in parts[3:])
        return name, pointer

    def place(self, owner: str, pointer: str) -> tuple[str, str]:
        """(file, JSON pointer inside the file) of a pointer inside a named schema."""
        origin = self.set.resource(owner).origin
        file, _, base = origin.partition("#")
        return file, base + pointer


def keyword_pointer(node: str, keyword: tuple[str, ...]) -> str:
    return node + "".join(f"/{escape(token)}" for token in keyword)
