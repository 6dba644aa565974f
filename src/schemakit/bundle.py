"""Bundle one schema and everything it references into one self-contained document.

The result is draft 2020-12 with every referenced resource under ``$defs/<name>`` and
every ``$ref`` rewritten to a local JSON pointer (anchors included), so it needs no
registry and gives the same verdicts in any validator. Embedded resources lose their
``$id`` (the refs no longer need it); the root keeps a real ``$id``.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urldefrag, urljoin

from .walk import escape, iter_subschemas

if TYPE_CHECKING:
    from .schemaset import SchemaResource, SchemaSet

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def bundle(schema_set: SchemaSet, root: SchemaResource) -> dict[str, Any]:
    needed = _reachable(schema_set, root)
    taken = set((root.contents.get("$defs") or {}) if isinstance(root.contents, dict) else ())
    location: dict[str, str] = {root.uri: ""}
    for resource in needed:
        def_name = _unique(resource.name.replace("/", "."), taken)
        location[resource.uri] = f"/$defs/{escape(def_name)}"

    def place(resource: SchemaResource) -> Any:
        return _rewritten(schema_set, resource, location)

    result = place(root)
    if isinstance(result, bool):
        result = {} if result else {"not": {}}
    result = {"$schema": DIALECT, **{k: v for k, v in result.items() if k != "$schema"}}
    if result.get("$id", "").startswith("https://schemakit.invalid/"):
        del result["$id"]
    if needed:
        defs = dict(result.get("$defs") or {})
        for resource in needed:
            embedded = place(resource)
            if isinstance(embedded, dict):
                embedded = {k: v for k, v in embedded.items() if k not in ("$id", "$schema")}
            defs[unescape_last(location[resource.uri])] = embedded
        result["$defs"] = defs
    return result


def unescape_last(pointer: str) -> str:
    return pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    taken.add(candidate)
    return candidate


def _target(schema_set: SchemaSet, base: str, ref: str) -> tuple[SchemaResource | None, str]:
    absolute = urljoin(base, ref)
    uri, fragment = urldefrag(absolute)
    return schema_set.resource_for_uri(uri), fragment


def _reachable(schema_set: SchemaSet, root: SchemaResource) -> list[SchemaResource]:
    """Resources referenced from ``root``, transitively, in first-seen order."""
    seen = {root.uri}
    order: list[SchemaResource] = []
    queue = [root]
    while queue:
        current = queue.pop(0)
        for node, base, _pointer in iter_subschemas(current.contents, current.uri):
            for keyword in ("$ref", "$dynamicRef"):
                ref = node.get(keyword)
                if not isinstance(ref, str):
                    continue
                target, _ = _target(schema_set, base, ref)
                if target is not None and target.uri not in seen:
                    seen.add(target.uri)
                    order.append(target)
                    queue.append(target)
    return order


def _rewritten(schema_set: SchemaSet, resource: SchemaResource, location: dict[str, str]) -> Any:
    contents = copy.deepcopy(resource.contents)
    for node, base, _pointer in iter_subschemas(contents, resource.uri):
        ref = node.get("$ref")
        if not isinstance(ref, str):
            continue
        target, fragment = _target(schema_set, base, ref)
        if target is None or target.uri not in location:
            continue
        if fragment and not fragment.startswith("/"):
            fragment = _anchor_pointer(target, unquote(fragment)) or fragment
        node["$ref"] = "#" + location[target.uri] + (fragment if fragment.startswith("/") else "")
    return contents


def _anchor_pointer(resource: SchemaResource, anchor: str) -> str | None:
    for node, _base, pointer in iter_subschemas(resource.contents, resource.uri):
        if node.get("$anchor") == anchor or node.get("$dynamicAnchor") == anchor:
            return pointer
    return None
