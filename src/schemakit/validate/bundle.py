"""Bundle one schema and everything it references into one self-contained document.

The result is draft 2020-12 with every referenced resource under ``$defs/<name>`` and
every ``$ref`` rewritten to a local JSON pointer, so it needs no registry and gives the
same verdicts in any validator. Because no reference needs them any more, embedded
``$id``s (nested ones too), ``$anchor``s and ``$dynamicAnchor``s are dropped; the root
keeps a real ``$id``.

``$dynamicRef`` becomes a plain ``$ref`` to the anchor it resolves to when validation
starts at the root: the root's own ``$dynamicAnchor`` if it has one (the extensible
tree pattern), the one every path from the root enters first (a meta-schema and its
vocabularies), else the statically referenced one. When that depends on the path taken,
the bundle is a compound document instead: each referenced schema embedded under
``$defs`` with its own ``$id`` and anchors, refs left to resolve as written, so the
dynamic scope (and the verdicts) stay those of the set.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urldefrag

from ..core.errors import SchemaLoadError
from ..core.frozen import freeze
from ..core.pointer import escape, last_token, resolve
from ..core.schemaset import SYNTHETIC_BASE, PureSchemaSet, SchemaResource
from ..core.walk import iter_subschemas, join_uri

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_DROPPED_IN_PLACE = ("$anchor", "$dynamicAnchor")


@dataclass(frozen=True)
class _Place:
    """One schema resource (a file, or a nested ``$id``) and where it sits in its file."""

    uri: str
    resource: SchemaResource
    pointer: str  # JSON pointer of the resource root inside resource.contents


def _index(schema_set: PureSchemaSet) -> dict[str, _Place]:
    """Every schema resource of the set by URI: files (and their aliases) and nested ``$id``s."""
    places: dict[str, _Place] = {}
    for resource in schema_set.resources:
        for uri in (resource.uri, *resource.aliases):
            places[uri] = _Place(resource.uri, resource, "")
        for node, base, pointer in iter_subschemas(resource.contents, resource.uri):
            if pointer and isinstance(node.get("$id"), str):
                places.setdefault(base, _Place(base, resource, pointer))
    return places


def _node_at(contents: Any, pointer: str) -> Any:
    return resolve(contents, pointer, None)


class _Bundler:
    def __init__(self, schema_set: PureSchemaSet, root: SchemaResource) -> None:
        # One index per set, not per bundle: comparing or bundling every schema of a set
        # would otherwise walk the whole set once per schema.
        self.index = schema_set.memo(("bundle-index",), lambda: _index(schema_set))
        self.root = root
        self.needed = self._reachable()
        contents = root.contents
        taken = set((contents.get("$defs") or {}) if isinstance(contents, dict) else ())
        self.location: dict[str, str] = {root.uri: ""}
        for resource in self.needed:
            def_name = _unique(resource.name.replace("/", "."), taken)
            self.location[resource.uri] = f"/$defs/{escape(def_name)}"

    def resolve(self, base: str, ref: str) -> tuple[_Place, str] | None:
        """(schema resource, pointer inside its file) that ``ref`` names, like ``$ref`` does."""
        uri, fragment = urldefrag(join_uri(base, ref))
        place = self.index.get(uri)
        if place is None:
            return None
        if fragment and not fragment.startswith("/"):
            pointer = self._anchor(place, unquote(fragment))
            return None if pointer is None else (place, pointer)
        return place, place.pointer + fragment

    def _anchor(self, place: _Place, anchor: str) -> str | None:
        for node, base, pointer in iter_subschemas(place.resource.contents, place.resource.uri):
            if base == place.uri and anchor in (node.get("$anchor"), node.get("$dynamicAnchor")):
                return pointer
        return None

    def resolve_dynamic(self, base: str, ref: str, where: str) -> tuple[_Place, str] | None:
        """Where ``$dynamicRef`` lands when validation starts at the bundle root."""
        static = self.resolve(base, ref)
        anchor = unquote(urldefrag(ref)[1])
        if static is None or not anchor or anchor.startswith("/"):
            return static
        place, pointer = static
        target = _node_at(place.resource.contents, pointer)
        if not isinstance(target, dict) or target.get("$dynamicAnchor") != anchor:
            return static  # an ordinary anchor: $dynamicRef behaves like $ref
        declared = self._dynamic_anchors(anchor)
        if self.root.uri in declared:
            return declared[self.root.uri]
        first = self._first_declarers(declared)
        if first is not None and len(first) == 1:
            return declared[first.pop()]
        if set(declared) == {place.uri}:
            return static
        raise _PathDependent(
            f"cannot bundle $dynamicRef {ref!r}: it resolves to one of "
            f"{', '.join(sorted(declared))} depending on the path taken",
            where,
        )

    def _dynamic_anchors(self, anchor: str) -> dict[str, tuple[_Place, str]]:
        found: dict[str, tuple[_Place, str]] = {}
        for resource in (self.root, *self.needed):
            for node, base, pointer in iter_subschemas(resource.contents, resource.uri):
                if node.get("$dynamicAnchor") == anchor and base in self.index:
                    found.setdefault(base, (self.index[base], pointer))
        return found

    def _first_declarers(self, declared: dict[str, tuple[_Place, str]]) -> set[str] | None:
        """The declaring files met first on the ways from the root (None: some schema
        inside a file declares too, which this file-level view cannot place)."""
        if any(place.pointer for place, _pointer in declared.values()):
            return None
        seen, found, queue = {self.root.uri}, set(), [self.root]
        while queue:
            for target in self._targets(queue.pop(0)):
                if target.uri in seen:
                    continue
                seen.add(target.uri)
                if target.uri in declared:
                    found.add(target.uri)
                else:
                    queue.append(target)
        return found

    def _targets(self, resource: SchemaResource) -> list[SchemaResource]:
        found = []
        for node, base, _pointer in iter_subschemas(resource.contents, resource.uri):
            for keyword in ("$ref", "$dynamicRef"):
                ref = node.get(keyword)
                resolved = self.resolve(base, ref) if isinstance(ref, str) else None
                if resolved is not None:
                    found.append(resolved[0].resource)
        return found

    def _reachable(self) -> list[SchemaResource]:
        """Resources referenced from the root, transitively, in first-seen order."""
        seen = {self.root.uri}
        order: list[SchemaResource] = []
        queue = [self.root]
        while queue:
            for target in self._targets(queue.pop(0)):
                if target.uri not in seen:
                    seen.add(target.uri)
                    order.append(target)
                    queue.append(target)
        return order

    def rewritten(self, resource: SchemaResource) -> Any:
        contents = copy.deepcopy(resource.contents)
        # Walk first, edit after: dropping a nested $id must not change the bases seen.
        for node, base, pointer in list(iter_subschemas(contents, resource.uri)):
            self._rewrite_node(node, base, resource, pointer)
            for keyword in _DROPPED_IN_PLACE:
                node.pop(keyword, None)
            if pointer:
                node.pop("$id", None)
        return contents

    def _rewrite_node(
        self, node: dict[str, Any], base: str, resource: SchemaResource, pointer: str
    ) -> None:
        ref = node.get("$ref")
        if isinstance(ref, str) and (resolved := self.resolve(base, ref)):
            node["$ref"] = self._local(*resolved)
        dynamic = node.get("$dynamicRef")
        if not isinstance(dynamic, str):
            return
        where = resource.location(f"{pointer}/$dynamicRef")  # $recursiveRef in a 2019-09 file
        resolved = self.resolve_dynamic(base, dynamic, where)
        if resolved is None:
            return
        del node["$dynamicRef"]
        local = {"$ref": self._local(*resolved)}
        if "$ref" in node:
            node["allOf"] = [*node.get("allOf", []), local]
        else:
            node.update(local)

    def _local(self, place: _Place, pointer: str) -> str:
        return "#" + self.location[place.resource.uri] + pointer


class _PathDependent(SchemaLoadError):
    """A ``$dynamicRef`` whose target depends on the way validation reaches it."""


def bundle(schema_set: PureSchemaSet, root: SchemaResource) -> dict[str, Any]:
    bundler = _Bundler(schema_set, root)
    try:
        return _local_bundle(bundler, root)
    except _PathDependent:
        return _compound_bundle(bundler, root)


def _as_object(schema: Any) -> dict[str, Any]:
    if isinstance(schema, bool):
        return {} if schema else {"not": {}}
    return dict(schema)


def _compound_bundle(bundler: _Bundler, root: SchemaResource) -> dict[str, Any]:
    """Every referenced resource embedded whole, keeping ``$id``s: refs resolve as written."""
    result = _as_object(_canonical_refs(bundler, root))
    rest = {k: v for k, v in result.items() if k not in ("$schema", "$id")}
    result = {"$schema": DIALECT, "$id": root.uri, **rest}
    if bundler.needed:
        defs = dict(result.get("$defs") or {})
        for resource in bundler.needed:
            embedded = _as_object(_canonical_refs(bundler, resource))
            rest = {k: v for k, v in embedded.items() if k not in ("$schema", "$id")}
            defs[unescape_last(bundler.location[resource.uri])] = {"$id": resource.uri, **rest}
        result["$defs"] = defs
    return result


def _canonical_refs(bundler: _Bundler, resource: SchemaResource) -> Any:
    """A copy of ``resource`` whose refs name files by their ``$id``, not by file name
    (only ``$id``s are known inside one document)."""
    contents = copy.deepcopy(resource.contents)
    for node, base, _pointer in list(iter_subschemas(contents, resource.uri)):
        for keyword in ("$ref", "$dynamicRef"):
            ref = node.get(keyword)
            if not isinstance(ref, str):
                continue
            uri, fragment = urldefrag(join_uri(base, ref))
            place = bundler.index.get(uri)
            if place is not None and place.pointer == "" and place.uri != uri:
                node[keyword] = place.uri + (f"#{fragment}" if fragment else "")
    return contents


def _local_bundle(bundler: _Bundler, root: SchemaResource) -> dict[str, Any]:
    result = bundler.rewritten(root)
    if isinstance(result, bool):
        result = {} if result else {"not": {}}
    result = {"$schema": DIALECT, **{k: v for k, v in result.items() if k != "$schema"}}
    if "$id" in result:  # absolute, or gone when it was only our synthetic file URI
        if root.uri.startswith(SYNTHETIC_BASE):
            del result["$id"]
        else:
            result["$id"] = root.uri
    if bundler.needed:
        defs = dict(result.get("$defs") or {})
        for resource in bundler.needed:
            embedded = bundler.rewritten(resource)
            if isinstance(embedded, dict):
                embedded = {k: v for k, v in embedded.items() if k not in ("$id", "$schema")}
            defs[unescape_last(bundler.location[resource.uri])] = embedded
        result["$defs"] = defs
    return result


def bundle_sources(schema_set: PureSchemaSet, root: SchemaResource) -> dict[str, str]:
    """``$defs`` name -> schema name, for each named schema that ``bundle`` embeds."""
    bundler = _Bundler(schema_set, root)
    return {unescape_last(bundler.location[r.uri]): r.name for r in bundler.needed}


unescape_last = last_token  # kept: other modules import it under this name


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    taken.add(candidate)
    return candidate


def bundle_of(schema_set: PureSchemaSet, name: str) -> Any:
    """The (read-only, memoised) bundle of the named schema."""
    resource = schema_set.resource(name)
    return schema_set.memo(("bundle", resource.uri), lambda: freeze(bundle(schema_set, resource)))
