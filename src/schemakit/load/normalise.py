"""Rewrite a draft-04/06/07/2019-09 schema as an equivalent draft 2020-12 schema.

Everything after loading (bundles, strategies, models, lint) reads one dialect, so an
older schema is translated once, keyword by keyword, to the 2020-12 form with the same
verdicts (a test checks this on every test of the official suite for each draft):

=========================  =========================================================
``$ref`` with siblings     before 2019-09 the siblings are ignored: dropped
``id`` (draft-04)          ``$id``; a fragment-only id (``#foo``) becomes ``$anchor``
boolean ``exclusiveMin``   (draft-04) the number it qualifies, ``minimum`` dropped
array ``items``            ``prefixItems``; ``additionalItems`` becomes ``items``
``dependencies``           ``dependentRequired`` (arrays) / ``dependentSchemas``
                           (in every draft: jsonschema-rs still reads it in 2020-12)
``$recursiveAnchor``       (2019-09) a ``$dynamicAnchor``; ``$recursiveRef`` a
                           ``$dynamicRef`` to it (a plain ``$ref`` where no anchor)
later keywords             ``if`` in draft-06, ``prefixItems`` in 2019-09...: not
                           keywords of the source draft, so dropped
=========================  =========================================================

Moving ``items`` to ``prefixItems`` moves JSON pointers, so the positions that moved are
recorded and ``$ref`` fragments that point through them are rewritten to match. The way
back is recorded too (``Normalised.origins``: a translated pointer of the document to the
pointer as written, for each keyword renamed), so validation errors can name the
keywords and places of the file as its author wrote them (``core.origins``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag

from ..core.drafts import DRAFT4, LATEST, Draft, draft_of_uri
from ..core.pointer import escape
from ..core.walk import iter_subschemas, join_uri

RECURSIVE_ANCHOR = "schemakit-recursive"  # the $dynamicAnchor a $recursiveAnchor becomes

# Keywords 2020-12 gives a meaning that the source draft does not have: (first draft
# that knows them, keywords). In an older schema they are plain unknown words.
_INTRODUCED: tuple[tuple[int, frozenset[str]], ...] = (
    (6, frozenset({"const", "contains", "propertyNames", "$id"})),
    (7, frozenset({"if", "then", "else"})),
    (
        2019,
        frozenset(
            {
                "$anchor",
                "dependentRequired",
                "dependentSchemas",
                "unevaluatedItems",
                "unevaluatedProperties",
                "minContains",
                "maxContains",
            }
        ),
    ),
    (2020, frozenset({"prefixItems", "$dynamicRef", "$dynamicAnchor"})),
)
# What a pre-2019 "$ref" keeps of its siblings: places other refs may point into, and
# annotations for people.
_KEPT_BESIDE_REF = frozenset({"$ref", "definitions", "$defs", "title", "description", "$comment"})


@dataclass(frozen=True)
class _Frame:
    """One enclosing schema resource: its URI, and the node's pointer in it before and
    after normalisation."""

    base: str
    pointer: str
    new_pointer: str


@dataclass(frozen=True)
class _Context:
    """Where the walk is: the draft in force and the schema resources it is inside."""

    draft: Draft
    frames: tuple[_Frame, ...]  # the document first, the innermost resource last
    recursive_root: bool  # whether that resource's root has "$recursiveAnchor": true
    moves: dict[str, dict[str, str]]  # resource URI -> {original pointer: new pointer}
    origins: dict[str, str]  # in the document: {new pointer: original pointer}

    @property
    def base(self) -> str:
        return self.frames[-1].base

    @property
    def at_resource_root(self) -> bool:
        return self.frames[-1].pointer == ""

    def child(self, key: str, new_key: str) -> _Context:
        frames = tuple(
            _Frame(f.base, f"{f.pointer}/{escape(key)}", f"{f.new_pointer}/{escape(new_key)}")
            for f in self.frames
        )
        return _Context(self.draft, frames, self.recursive_root, self.moves, self.origins)

    def with_draft(self, draft: Draft) -> _Context:
        return _Context(draft, self.frames, self.recursive_root, self.moves, self.origins)

    def move(self, old: str, new: str) -> None:
        """Record that ``old`` (a path below this node) is at ``new`` once normalised."""
        for frame in self.frames:
            found = self.moves.setdefault(frame.base, {})
            found[f"{frame.pointer}/{old}"] = f"{frame.new_pointer}/{new}"
        self.renamed(old, new)

    def renamed(self, old: str, new: str) -> None:
        """Record that the keyword at ``old`` (below this node) is written ``new`` once
        normalised, where no ``$ref`` may point (``exclusiveMinimum`` for ``minimum``)."""
        document = self.frames[0]
        self.origins[f"{document.new_pointer}/{new}"] = f"{document.pointer}/{old}"


@dataclass
class Normalised:
    contents: Any
    draft: Draft
    moves: dict[str, dict[str, str]] = field(default_factory=dict)
    # translated pointer -> pointer as written, for each place a keyword was renamed
    origins: dict[str, str] = field(default_factory=dict)


def normalise(schema: Any, draft: Draft, base: str = "") -> Normalised:
    """``schema`` (in ``draft``) as an equivalent 2020-12 schema; the input is not changed.

    A 2020-12 schema comes back as it is, except for the forms tolerated in any draft
    (a string ``deprecated``, a single ``examples`` value).
    """
    moves: dict[str, dict[str, str]] = {}
    origins: dict[str, str] = {}
    recursive = _recursive_root(schema, draft)
    context = _Context(draft, (_Frame(base, "", ""),), recursive, moves, origins)
    contents = _node(schema, context, root=True)
    moved = {uri: found for uri, found in moves.items() if found}
    return Normalised(contents, draft, moved, origins)


def _recursive_root(node: Any, draft: Draft) -> bool:
    return draft.order == 2019 and isinstance(node, dict) and node.get("$recursiveAnchor") is True


def _node(node: Any, context: _Context, root: bool = False) -> Any:
    if not isinstance(node, dict):
        return node
    context = _enter(node, context, root)
    out: dict[str, Any] = {}
    for key, value in node.items():
        walker = _walker(key, context.draft)
        if walker is None:
            out[key] = value
            continue
        out[key] = walker(value, context.child(key, _new_key(node, key, context.draft)))
    for transform in _TRANSFORMS:
        out = transform(out, context)
    if root or ("$schema" in node and "$id" in out):
        out = {"$schema": LATEST.dialect, **{k: v for k, v in out.items() if k != "$schema"}}
    return out


def _enter(node: dict[str, Any], context: _Context, root: bool) -> _Context:
    """The context inside ``node``: a new draft (an embedded ``$schema``) or resource."""
    draft = context.draft
    declared = node.get("$schema")
    if not root and isinstance(declared, str):
        draft = draft_of_uri(declared) or draft
    identifier = node.get(draft.id_keyword)
    ignored = draft.before_2019 and "$ref" in node  # ids beside a $ref are ignored
    if root or not isinstance(identifier, str) or identifier.startswith("#") or ignored:
        return context if draft is context.draft else context.with_draft(draft)
    base = urldefrag(join_uri(context.base, identifier))[0]
    frames = (*context.frames, _Frame(base, "", ""))
    recursive = _recursive_root(node, draft)
    return _Context(draft, frames, recursive, context.moves, context.origins)


def _dropped(key: str, draft: Draft) -> bool:
    return any(draft.order < since and key in words for since, words in _INTRODUCED)


def _new_key(node: dict[str, Any], key: str, draft: Draft) -> str:
    """Where the subschemas under ``key`` end up (see ``_array_items``, ``_dependencies``)."""
    if draft.order < 2020 and key == "items" and isinstance(node.get("items"), list):
        return "prefixItems"
    if draft.order < 2020 and key == "additionalItems" and isinstance(node.get("items"), list):
        return "items"
    if key == "dependencies":
        return "dependentSchemas"
    return key


# -- walking the subschemas of the source draft -------------------------------------
Walker = Callable[[Any, _Context], Any]


def _single(value: Any, context: _Context) -> Any:
    return _node(value, context)


def _array(value: Any, context: _Context) -> Any:
    if not isinstance(value, list):
        return value
    return [_node(item, context.child(str(i), str(i))) for i, item in enumerate(value)]


def _single_or_array(value: Any, context: _Context) -> Any:
    return (_array if isinstance(value, list) else _single)(value, context)


def _mapping(value: Any, context: _Context) -> Any:
    if not isinstance(value, dict):
        return value
    return {key: _node(item, context.child(key, key)) for key, item in value.items()}


def _schemas_only(value: Any, context: _Context) -> Any:
    """``$defs`` before 2019-09 (not a keyword, but refs point into it) and
    ``dependencies``: walk the schema values; other values stay as they are."""
    if not isinstance(value, dict):
        return value
    return {
        key: _node(item, context.child(key, key)) if isinstance(item, (dict, bool)) else item
        for key, item in value.items()
    }


# keyword -> how its value holds subschemas (every draft's keywords; a keyword the
# source draft does not know is dropped without being walked)
_WALKERS: dict[str, Walker] = {
    **dict.fromkeys(
        (
            "additionalProperties",
            "propertyNames",
            "contains",
            "not",
            "if",
            "then",
            "else",
            "unevaluatedItems",
            "unevaluatedProperties",
            "additionalItems",
        ),
        _single,
    ),
    "items": _single_or_array,
    **dict.fromkeys(("allOf", "anyOf", "oneOf", "prefixItems"), _array),
    **dict.fromkeys(
        ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas"),
        _mapping,
    ),
    "dependencies": _schemas_only,
}


def _walker(key: str, draft: Draft) -> Walker | None:
    if _dropped(key, draft):
        return None
    if key == "$defs" and draft.before_2019:
        return _schemas_only
    return _WALKERS.get(key)


# -- keyword transforms: one function each, applied in this order --------------------
Transform = Callable[[dict[str, Any], _Context], dict[str, Any]]


def _later_keywords(node: dict[str, Any], context: _Context) -> dict[str, Any]:
    """Drop words that are keywords only in later drafts (``$defs`` stays: see below)."""
    return {k: v for k, v in node.items() if not _dropped(k, context.draft)}


def _pre2019_defs(node: dict[str, Any], context: _Context) -> dict[str, Any]:
    """Before 2019-09 ``$defs`` is an unknown word: keep its schemas, drop the rest."""
    defs = node.get("$defs")
    if not context.draft.before_2019 or defs is None:
        return node
    if not isinstance(defs, dict):
        return {k: v for k, v in node.items() if k != "$defs"}
    kept = {key: value for key, value in defs.items() if isinstance(value, (dict, bool))}
    return {**node, "$defs": kept}


def _ref_overrides_siblings(node: dict[str, Any], context: _Context) -> dict[str, Any]:
    if not context.draft.before_2019 or "$ref" not in node:
        return node
    return {k: v for k, v in node.items() if k in _KEPT_BESIDE_REF}


def _legacy_id(node: dict[str, Any], context: _Context) -> dict[str, Any]:
    """draft-04 ``id`` -> ``$id``; an id's fragment (draft-04 to -07) -> ``$anchor``."""
    keyword = context.draft.id_keyword
    identifier = node.get(keyword)
    if not isinstance(identifier, str) or (keyword == "$id" and "#" not in identifier):
        return node
    out = {k: v for k, v in node.items() if k != keyword}
    base, _, fragment = identifier.partition("#")
    if base:
        out["$id"] = base
    if fragment and context.draft.before_2019 and not fragment.startswith("/"):
        out["$anchor"] = fragment
    return out


def _boolean_exclusive_bounds(node: dict[str, Any], context: _Context) -> dict[str, Any]:
    if context.draft is not DRAFT4:
        return node
    out = dict(node)
    for flag, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if not isinstance(out.get(flag), bool):
            continue
        if out.pop(flag) and bound in out:
            out[flag] = out.pop(bound)
            context.renamed(bound, flag)
    return out


def _array_items(node: dict[str, Any], context: _Context) -> dict[str, Any]:
    if context.draft.order >= 2020:
        return node
    out = {k: v for k, v in node.items() if k != "additionalItems"}
    items = node.get("items")
    if not isinstance(items, list):
        return out  # additionalItems applies only after an array of items
    del out["items"]
    out["prefixItems"] = items
    context.move("items", "prefixItems")
    if "additionalItems" in node:
        out["items"] = node["additionalItems"]
        context.move("additionalItems", "items")
    return out


def _dependencies(node: dict[str, Any], context: _Context) -> dict[str, Any]:
    """Also in 2019-09 and later, where ``dependencies`` is gone but jsonschema-rs (and
    many schemas written for it) still honour it: both engines then read it the same."""
    dependencies = node.get("dependencies")
    if not isinstance(dependencies, dict):
        return node
    out = {k: v for k, v in node.items() if k != "dependencies"}
    for target in ("dependentRequired", "dependentSchemas"):  # the whole keyword, if only
        if target not in out:  # `dependencies` gives it (where an error names the keyword)
            context.renamed("dependencies", target)
    for key, value in dependencies.items():
        target = "dependentRequired" if isinstance(value, list) else "dependentSchemas"
        out[target] = {**out.get(target, {}), key: value}
        context.move(f"dependencies/{escape(key)}", f"{target}/{escape(key)}")
    return out


def _recursive_refs(node: dict[str, Any], context: _Context) -> dict[str, Any]:
    if context.draft.order != 2019:
        return node
    out = {k: v for k, v in node.items() if k not in ("$recursiveAnchor", "$recursiveRef")}
    if node.get("$recursiveAnchor") is True and context.at_resource_root:
        out["$dynamicAnchor"] = RECURSIVE_ANCHOR
    ref = node.get("$recursiveRef")
    if isinstance(ref, str):
        target = {"$dynamicRef": "#" + RECURSIVE_ANCHOR} if context.recursive_root else {}
        if not target:
            target = {"$ref": ref}
        if target.keys() & out.keys():
            out["allOf"] = [*out.get("allOf", []), target]
        else:
            out.update(target)
    return out


def _tolerated(node: dict[str, Any], context: _Context) -> dict[str, Any]:
    """Forms validators in the wild accept (the linter warns about them)."""
    out = node
    if "deprecated" in out and not isinstance(out["deprecated"], bool):
        out = {k: v for k, v in out.items() if k != "deprecated"}
    if "examples" in out and not isinstance(out["examples"], list):
        out = {**out, "examples": [out["examples"]]}
    return out


_TRANSFORMS: tuple[Transform, ...] = (
    _later_keywords,
    _pre2019_defs,
    _ref_overrides_siblings,
    _legacy_id,
    _boolean_exclusive_bounds,
    _array_items,
    _dependencies,
    _recursive_refs,
    _tolerated,
)


# -- refs into positions that moved -----------------------------------------------
def moved_pointer(pointer: str, moves: Mapping[str, str]) -> str:
    """``pointer`` (into an original resource) translated to the normalised one."""
    tokens = pointer.split("/")[1:]
    result, original = "", ""
    for token in tokens:
        original += "/" + token
        result = moves.get(original, result + "/" + token)
    return result


def rewrite_moved_refs(contents: Any, base: str, moves: Mapping[str, Mapping[str, str]]) -> Any:
    """``contents`` with every ``$ref`` into a moved position pointed at where it went.

    ``moves`` is by resource URI, from ``normalise`` of every resource of the set.
    Changes ``contents`` in place (a fresh copy from ``normalise``) and returns it.
    """
    if not moves:
        return contents
    for node, node_base, _pointer in _refs_nodes(contents, base):
        ref = node["$ref"]
        target, fragment = urldefrag(join_uri(node_base, ref))
        if not fragment.startswith("/") or target not in moves:
            continue
        new = moved_pointer(fragment, moves[target])
        if new != fragment:
            node["$ref"] = ref.partition("#")[0] + "#" + new
    return contents


def _refs_nodes(contents: Any, base: str) -> Iterator[tuple[dict[str, Any], str, str]]:
    for node, node_base, pointer in iter_subschemas(contents, base):
        if isinstance(node.get("$ref"), str):
            yield node, node_base, pointer
