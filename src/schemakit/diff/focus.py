"""Schemas that aim generation at one change, and putting a generated value in its place.

Both bundles (OLD and NEW) go under the ``$defs`` of one schema, every ``$ref`` rewritten to
stay inside its own bundle, so a subschema of either version can be named by pointer. For a
site and a direction (``src`` -> ``tgt``) the *focus* is

    allOf: [src node, not: (src node with only this keyword as in tgt)]

which holds exactly the values this one keyword change moves out of the accepted set (an
enum value that was removed, a number between the old and the new maximum, an object without
a newly required property). The generator raises ``UnsatisfiableSchemaError`` when there are
none, which rules the direction out for this keyword. A value of the focus is then put where
the node applies in a whole document (``splice``), creating the properties and elements on
the way from the src version's subschemas there.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from ..core.pointer import resolve, unescape
from ..core.walk import iter_subschemas
from .changes import Step, Trail
from .findings import Direction

SRC, TGT = "src", "tgt"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


class NoPlace(Exception):
    """The document has no place for the value (wrong type, array too short, ...)."""


def rebased(bundle: dict[str, Any], prefix: str) -> dict[str, Any]:
    """A copy of ``bundle`` meant to live at ``#/$defs/<prefix>`` of another schema."""
    result = copy.deepcopy(bundle)
    for key in ("$id", "$schema"):
        result.pop(key, None)
    for node, _base, _pointer in iter_subschemas(result, ""):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            node["$ref"] = f"#/$defs/{prefix}{ref[1:]}"
    return result


class Focus:
    """The two bundles of one schema pair in one direction, in one schema document."""

    def __init__(self, src: dict[str, Any], tgt: dict[str, Any]) -> None:
        self.defs = {SRC: rebased(src, SRC), TGT: rebased(tgt, TGT)}

    def schema(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"$schema": DIALECT, "$defs": self.defs, **body}

    def ref(self, side: str, pointer: str) -> dict[str, Any]:
        return {"$ref": f"#/$defs/{side}{pointer}"}

    def node(self, side: str, pointer: str) -> Any:
        node = copy.deepcopy(resolve(self.defs[side], pointer, None))
        if isinstance(node, dict) and not pointer:
            # The root's $defs hold the whole bundle; refs name them absolutely, and
            # ``with_node`` keeps them where they are. Nested $defs stay: refs point into them.
            node.pop("$defs", None)
        return node

    def keyword_moved(self, src: str, tgt: str, keyword: tuple[str, ...]) -> Any:
        """The src node with only ``keyword`` (a path below the node) as in the tgt node."""
        if not keyword:
            return self.node(TGT, tgt)
        result, target = self.node(SRC, src), self.node(TGT, tgt)
        if not (isinstance(result, dict) and isinstance(target, dict)):
            return target
        head, *rest = keyword
        if not rest:
            if head in target:
                result[head] = target[head]
            else:
                result.pop(head, None)
            return result
        mapping = dict(result.get(head) or {})
        source = target.get(head) or {}
        if rest[0] in source:
            mapping[rest[0]] = source[rest[0]]
        else:
            mapping.pop(rest[0], None)
        result[head] = mapping
        return result

    def difference(self, src: str, tgt: str, keyword: tuple[str, ...]) -> dict[str, Any]:
        """Values of the src node that this keyword's change moves out of the accepted set."""
        moved = self.keyword_moved(src, tgt, keyword)
        return self.schema({"allOf": [self.ref(SRC, src), {"not": moved}]})

    def with_node(self, pointer: str, node: Any) -> dict[str, Any]:
        """The src version with the node at ``pointer`` replaced (refs in ``node`` may name
        either version)."""
        src = copy.deepcopy(self.defs[SRC])
        if pointer:
            parent_pointer, _, last = pointer.rpartition("/")
            parent = resolve(src, parent_pointer, None)
            token = unescape(last)
            parent[int(token) if isinstance(parent, list) else token] = node
        else:
            keep = {"$defs": src["$defs"]} if isinstance(src, dict) and "$defs" in src else {}
            src = {**keep, "allOf": [node]}
        return {"$schema": DIALECT, "$defs": {SRC: src, TGT: self.defs[TGT]}, **self.ref(SRC, "")}

    def at(self, pointer: str) -> dict[str, Any]:
        """Values of the src subschema at ``pointer`` (to create what a document lacks)."""
        return self.schema(self.ref(SRC, pointer))


def ends(old: str, new: str, direction: Direction) -> tuple[str, str]:
    """(src, tgt) of a pair of OLD/NEW pointers: narrowed searches from OLD toward NEW."""
    return (old, new) if direction is Direction.narrowed else (new, old)


Fill = Callable[[Step], Any]  # a value for a missing place (raises NoPlace when it cannot)
KeyFor = Callable[[str], str]  # a property name matching a pattern


def splice(document: Any, trail: Trail, value: Any, fill: Fill, key_for: KeyFor) -> Any:
    """A copy of ``document`` with ``value`` at the place ``trail`` leads to."""
    if not trail:
        return value
    step, rest = trail[0], trail[1:]

    def inner(current: Any) -> Any:
        # Only a place on the way to the value needs a drawn value where there is none.
        if current is _ABSENT:
            current = fill(step) if rest else None
        return splice(current, rest, value, fill, key_for)

    if step.kind in ("key", "extra", "pattern"):
        if not isinstance(document, dict):
            raise NoPlace(step.kind)
        if step.kind == "key":
            key = step.value
        else:
            key = _fresh_key(document) if step.kind == "extra" else key_for(step.value)
        return {**document, key: inner(document.get(key, _ABSENT))}
    if step.kind in ("item", "index"):
        if not isinstance(document, list):
            raise NoPlace(step.kind)
        index = 0 if step.kind == "item" else int(step.value)
        items = list(document)
        if index < len(items):
            items[index] = inner(items[index])
        elif index == len(items):
            items.append(inner(_ABSENT))
        else:
            raise NoPlace("array too short")
        return items
    raise NoPlace(step.kind)


_ABSENT = object()


def _fresh_key(document: dict[str, Any]) -> str:
    key, n = "extra", 1
    while key in document:
        key, n = f"extra{n}", n + 1
    return key
