"""Where two versions of one schema differ: a parallel walk that yields change *sites*.

The walk starts at both roots and goes down keyword by keyword, but only where the normal
forms differ (``normal.py``), so an unchanged subtree costs one comparison and a refactor
(an inline enum moved behind a ``$ref``) is not a change. At a node it follows refs on either
side, pairs ``properties`` by name and ``allOf``/``anyOf``/``oneOf`` branches by form (then by
the schema they refer to, then by position), and reports each keyword whose value differs,
with the directions ``keywords.py`` suspects.

A ref to another named schema whose contents changed is not a change *here*: that schema
is compared on its own. Where such a ref sits under ``oneOf``, ``not`` or ``if`` its effect
can flip (a branch that accepts less can make a document match one branch instead of two),
so the enclosing node becomes a site of its own; elsewhere the schema only inherits the
change, which the report lists apart.

Each site remembers the instance location it applies to (``trail``): the steps from the
document root (a property name, an array element, any extra property) that a witness search
follows to put a value exactly there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.pointer import escape, resolve
from .findings import Direction
from .keywords import BOTH, MISSING, Suspicion, branch, classify, property_
from .normal import ASSERTED_FORMAT_NAMES, canonical, is_annotation, local_ref
from .versions import Version

# Keywords whose subschema applies to a new instance location, and the kind of that location.
_CHILD_LOCATION = {
    "additionalProperties": "extra",
    "unevaluatedProperties": "extra",
    "items": "item",
    "additionalItems": "item",
    "unevaluatedItems": "item",
    "contains": "item",
    "propertyNames": "opaque",  # applies to the names, not to a value: nowhere to put one
}
_IN_PLACE_SINGLE = ("not", "if", "then", "else")
_NON_MONOTONE = frozenset({"oneOf", "not", "if"})
_BRANCHES = ("allOf", "anyOf", "oneOf")
_SET_VALUED = frozenset({"enum", "required", "type"})


@dataclass(frozen=True)
class Step:
    """One step from a schema node down to the instance location of a child subschema."""

    kind: str  # "key", "index", "item", "extra", "pattern" or "opaque"
    value: Any  # the property name, the index or the pattern (None for the others)
    old: str  # bundle pointer of the child subschema in OLD
    new: str  # and in NEW


Trail = tuple[Step, ...]


@dataclass(frozen=True)
class Anchor:
    """A pair of nodes (bundle pointers in OLD and NEW) and where they apply in a document."""

    old: str
    new: str
    trail: Trail


@dataclass(frozen=True)
class RefUse:
    """A ``$ref`` to a changed named schema, and where it applies in a document."""

    name: str  # the schema, named as in NEW
    trail: Trail


@dataclass(frozen=True)
class Site:
    """One changed keyword (``keyword == ()``: the whole node) and what it may do."""

    anchor: Anchor
    keyword: tuple[str, ...]
    suspicion: Suspicion
    context: Anchor | None  # the outermost enclosing oneOf/not/if node, if any
    refs: tuple[RefUse, ...] = ()  # for a change through refs: the refs it comes through

    @property
    def directions(self) -> frozenset[Direction]:
        return self.suspicion.searched


@dataclass
class SchemaChanges:
    """The sites of one schema pair, and the changed schemas it only refers to."""

    sites: list[Site] = field(default_factory=list)
    through_refs: list[RefUse] = field(default_factory=list)  # refs where it only inherits


def find_changes(
    old: Version, new: Version, old_name: str, new_name: str, pairs: dict[str, str]
) -> SchemaChanges:
    """Sites where ``old_name`` in OLD and ``new_name`` in NEW differ (``pairs`` maps OLD
    schema names to the NEW names they are compared with)."""
    walk = _Walk(old, new, old_name, new_name, pairs)
    walk.node(Anchor("", "", ()), None)
    walk.finish()
    return walk.result


def same_value(keyword: str, old: Any, new: Any) -> bool:
    """Equal values, where order and repetition do not count for set-like keywords."""
    if keyword in _SET_VALUED:
        return bool(_as_set(old) == _as_set(new))
    return canonical(old) == canonical(new)


def _as_set(value: Any) -> Any:
    if isinstance(value, list):
        return frozenset(canonical(item) for item in value)
    return frozenset({canonical(value)}) if isinstance(value, str) else canonical(value)


def _replaced(old: Any, new: Any) -> Suspicion:
    message = f"subschema {_text(old)} replaced by {_text(new)}"
    if old is True or new is False:
        return Suspicion("subschema-replaced", message, frozenset({Direction.narrowed}))
    if old is False or new is True:
        return Suspicion("subschema-replaced", message, frozenset({Direction.widened}))
    return Suspicion("subschema-replaced", message, BOTH)


def _text(value: Any) -> str:
    text = canonical(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _sole_branch(node: Any) -> str | None:
    """``/allOf/0`` (or anyOf, oneOf) for a node that is nothing but one such branch."""
    if not isinstance(node, dict):
        return None
    keywords = [k for k in node if not is_annotation(k)]
    if len(keywords) == 1 and keywords[0] in _BRANCHES:
        branches = node[keywords[0]]
        if isinstance(branches, list) and len(branches) == 1:
            return f"/{keywords[0]}/0"
    return None


def _pure_ref(node: Any) -> str | None:
    """The target of a node that is nothing but a ``$ref`` (annotations aside)."""
    target = local_ref(node)
    if target is not None and all(k == "$ref" or is_annotation(k) for k in node):
        return target
    return None


def _has_ref(node: Any) -> bool:
    return local_ref(node) is not None


@dataclass(frozen=True)
class _Pair:
    """One keyword as the walk meets it at a node pair: what every handler is given."""

    keyword: str
    anchor: Anchor
    old_node: dict[str, Any]
    new_node: dict[str, Any]
    old: Any  # the keyword's value in OLD (``MISSING`` when absent)
    new: Any  # and in NEW
    context: Anchor | None  # the outermost enclosing oneOf/not/if node, if any

    @property
    def inner(self) -> Anchor | None:
        """The context of the subschemas below: this node, if it is the first oneOf/not/if."""
        return self.context or (self.anchor if self.keyword in _NON_MONOTONE else None)

    def child(self, token: str | int | None, kind: str | None) -> Anchor:
        """The subschema at ``keyword[/token]`` on both sides; a ``kind`` adds a trail step."""
        suffix = f"/{escape(self.keyword)}" + ("" if token is None else f"/{escape(str(token))}")
        old, new = self.anchor.old + suffix, self.anchor.new + suffix
        if kind is None:
            return Anchor(old, new, self.anchor.trail)
        return Anchor(old, new, (*self.anchor.trail, Step(kind, token, old, new)))


class _Walk:
    def __init__(
        self, old: Version, new: Version, old_name: str, new_name: str, pairs: dict[str, str]
    ) -> None:
        self.old, self.new = old, new
        self.old_name, self.new_name = old_name, new_name
        self.pairs = pairs
        self.old_bundle, self.new_bundle = old.bundle(old_name), new.bundle(new_name)
        self.old_forms, self.new_forms = old.normaliser(old_name), new.normaliser(new_name)
        self.visited: set[tuple[str, str]] = set()
        self.seen_sites: set[tuple[str, str, tuple[str, ...]]] = set()
        self.via: dict[Anchor, list[RefUse]] = {}  # oneOf/not/if node -> refs under it
        self.result = SchemaChanges()

    # -- sites -------------------------------------------------------------------------------
    def site(
        self,
        anchor: Anchor,
        keyword: tuple[str, ...],
        suspicion: Suspicion,
        context: Anchor | None,
        refs: tuple[RefUse, ...] = (),
    ) -> None:
        if not suspicion.searched:
            return
        key = (anchor.old, anchor.new, keyword)
        if key in self.seen_sites:
            return
        self.seen_sites.add(key)
        old_owner = self.old.owner(self.old_name, anchor.old)[0]
        new_owner = self.new.owner(self.new_name, anchor.new)[0]
        if new_owner != self.new_name and self.pairs.get(old_owner) == new_owner:
            # Inside another compared schema (a ref into the middle of it): reported there.
            self.changed_ref(RefUse(new_owner, anchor.trail), context)
            return
        if context is not None:  # under oneOf/not/if the other direction can follow too
            suspicion = Suspicion(
                suspicion.change,
                suspicion.message,
                suspicion.directions,
                BOTH - suspicion.directions,
            )
        self.result.sites.append(Site(anchor, keyword, suspicion, context, refs))

    def finish(self) -> None:
        for anchor, uses in self.via.items():
            listed = ", ".join(dict.fromkeys(use.name for use in uses))
            # Reported where the referenced schema is; here only when a witness shows how.
            suspicion = Suspicion(
                "changed-through-ref",
                f"accepts other documents because {listed} changed (under oneOf/not/if)",
                frozenset(),
                BOTH,
            )
            self.site(anchor, (), suspicion, None, tuple(uses))

    # -- nodes -------------------------------------------------------------------------------
    def node(self, anchor: Anchor, context: Anchor | None) -> None:
        if (anchor.old, anchor.new) in self.visited:
            return
        self.visited.add((anchor.old, anchor.new))
        if self.old_forms.text(anchor.old) == self.new_forms.text(anchor.new):
            return
        old_node = resolve(self.old_bundle, anchor.old, None)
        new_node = resolve(self.new_bundle, anchor.new, None)
        old_sole, new_sole = _sole_branch(old_node), _sole_branch(new_node)
        if (old_sole is None) != (new_sole is None):  # {"allOf": [X]} on one side is X
            inner = Anchor(
                anchor.old + (old_sole or ""), anchor.new + (new_sole or ""), anchor.trail
            )
            self.node(inner, context)
            return
        old_ref, new_ref = _pure_ref(old_node), _pure_ref(new_node)
        if (old_ref is None) != (new_ref is None) and _has_ref(old_node) and _has_ref(new_node):
            # A ref that gained (or lost) siblings, as when a draft-07 schema whose $ref
            # siblings were ignored moves to 2019-09+: the siblings are the change, and
            # what the ref points at is compared by the $ref keyword.
            self.keywords(anchor, old_node, new_node, context)
            return
        if old_ref is not None or new_ref is not None:
            self.refs(anchor, old_ref, new_ref, context, ())
            return
        if not (isinstance(old_node, dict) and isinstance(new_node, dict)):
            self.site(anchor, (), _replaced(old_node, new_node), context)
            return
        self.keywords(anchor, old_node, new_node, context)

    def refs(
        self,
        anchor: Anchor,
        old_ref: str | None,
        new_ref: str | None,
        context: Anchor | None,
        keyword: tuple[str, ...],
    ) -> None:
        if old_ref is not None and new_ref is not None:
            old_target = self.old.named_target(self.old_name, old_ref)
            new_target = self.new.named_target(self.new_name, new_ref)
            if old_target is not None and new_target is not None:
                if self.pairs.get(old_target) == new_target:
                    self.changed_ref(RefUse(new_target, anchor.trail), context)
                else:
                    message = f"refers to {new_target} instead of {old_target}"
                    suspicion = Suspicion("ref-retargeted", message, BOTH)
                    self.site(anchor, keyword or ("$ref",), suspicion, context)
                return
        # A ref on one side only (or to a local subschema): compare what it points at.
        target = Anchor(
            old_ref if old_ref is not None else anchor.old,
            new_ref if new_ref is not None else anchor.new,
            anchor.trail,
        )
        self.node(target, context)

    def changed_ref(self, use: RefUse, context: Anchor | None) -> None:
        if use.name == self.new_name:
            return  # recursion: the schema's own changes are its sites
        if context is None:
            self.result.through_refs.append(use)
        else:
            self.via.setdefault(context, []).append(use)

    def keywords(
        self,
        anchor: Anchor,
        old_node: dict[str, Any],
        new_node: dict[str, Any],
        context: Anchor | None,
    ) -> None:
        order = [k for k in new_node if not is_annotation(k)]
        order += [k for k in old_node if k not in new_node and not is_annotation(k)]
        for keyword in order:
            old_value = old_node.get(keyword, MISSING)
            new_value = new_node.get(keyword, MISSING)
            if keyword == "format":
                old_value, new_value = _asserted(old_value), _asserted(new_value)
            pair = _Pair(keyword, anchor, old_node, new_node, old_value, new_value, context)
            _HANDLERS.get(keyword, _Walk.assertion)(self, pair)

    def flag(self, pair: _Pair, suspicion: Suspicion, *entry: str) -> None:
        """A site at the pair's keyword (or at one ``entry`` below it)."""
        self.site(pair.anchor, (pair.keyword, *entry), suspicion, pair.context)

    # -- one handler per kind of keyword -----------------------------------------------------
    def assertion(self, pair: _Pair) -> None:
        old, new = pair.old, pair.new
        if old is MISSING and new is MISSING:
            return
        if old is not MISSING and new is not MISSING and same_value(pair.keyword, old, new):
            return
        self.flag(pair, classify(pair.keyword, old, new, pair.old_node, pair.new_node))

    def ref(self, pair: _Pair) -> None:
        old_ref, new_ref = local_ref(pair.old_node), local_ref(pair.new_node)
        if old_ref is None or new_ref is None:
            self.assertion(pair)
            return
        self.refs(pair.anchor, old_ref, new_ref, pair.context, ("$ref",))

    def mapping(self, pair: _Pair) -> None:
        keyword = pair.keyword
        old_map = pair.old if isinstance(pair.old, dict) else {}
        new_map = pair.new if isinstance(pair.new, dict) else {}
        kind = {"properties": "key", "patternProperties": "pattern"}.get(keyword)
        for name in [*new_map, *(k for k in old_map if k not in new_map)]:
            if name in old_map and name in new_map:
                self.node(pair.child(name, kind), pair.context)
                continue
            old_sub, new_sub = old_map.get(name, MISSING), new_map.get(name, MISSING)
            if keyword == "properties":
                suspicion = property_(name, old_sub, new_sub, pair.old_node, pair.new_node)
            else:
                suspicion = classify(keyword, old_sub, new_sub, pair.old_node, pair.new_node)
                suspicion = Suspicion(
                    f"{keyword}-entry-" + ("added" if old_sub is MISSING else "removed"),
                    f"{keyword} entry {name!r} " + ("added" if old_sub is MISSING else "removed"),
                    suspicion.directions if keyword == "dependentSchemas" else BOTH,
                )
            self.flag(pair, suspicion, name)

    def branches(self, pair: _Pair) -> None:
        old, new = pair.old, pair.new
        if not (isinstance(old, list) and isinstance(new, list)):  # MISSING is not a list
            self.assertion(pair)
            return
        anchor, keyword = pair.anchor, pair.keyword
        matched, added, removed = self.match(anchor, keyword, old, new)
        for old_index, new_index in matched:
            child = Anchor(
                f"{anchor.old}/{keyword}/{old_index}",
                f"{anchor.new}/{keyword}/{new_index}",
                anchor.trail,
            )
            self.node(child, pair.inner)
        if added or removed:
            self.flag(pair, branch(keyword, [new[i] for i in added], [old[i] for i in removed]))

    def match(
        self, anchor: Anchor, keyword: str, old_list: list[Any], new_list: list[Any]
    ) -> tuple[list[tuple[int, int]], list[int], list[int]]:
        """Pairs of branches to compare, then the NEW and OLD branches left unpaired."""
        old_left = list(range(len(old_list)))
        new_left = list(range(len(new_list)))
        old_forms = {i: self.old_forms.text(f"{anchor.old}/{keyword}/{i}") for i in old_left}
        new_forms = {i: self.new_forms.text(f"{anchor.new}/{keyword}/{i}") for i in new_left}
        for i in list(old_left):  # identical branches: nothing to compare
            same = next((j for j in new_left if new_forms[j] == old_forms[i]), None)
            if same is not None:
                old_left.remove(i)
                new_left.remove(same)
        pairs: list[tuple[int, int]] = []
        for i in list(old_left):  # the same named schema, changed
            old_target = self._named(self.old, self.old_name, old_list[i])
            for j in new_left:
                new_target = self._named(self.new, self.new_name, new_list[j])
                if old_target is not None and self.pairs.get(old_target) == new_target:
                    pairs.append((i, j))
                    old_left.remove(i)
                    new_left.remove(j)
                    break
        if keyword == "allOf" or len(old_left) == len(new_left):
            pairs += list(zip(old_left, new_left, strict=False))  # edited in place
            count = min(len(old_left), len(new_left))
            old_left, new_left = old_left[count:], new_left[count:]
        return pairs, new_left, old_left

    @staticmethod
    def _named(version: Version, name: str, node: Any) -> str | None:
        target = _pure_ref(node)
        return None if target is None else version.named_target(name, target)

    def positional(self, pair: _Pair) -> None:
        old, new = pair.old, pair.new
        if not (isinstance(old, list) and isinstance(new, list)):
            self.single(pair)
            return
        for index in range(min(len(old), len(new))):
            self.node(pair.child(index, "index"), pair.context)
        if len(old) != len(new):
            self.flag(pair, branch("prefixItems", new[len(old) :], old[len(new) :]))

    def single(self, pair: _Pair) -> None:
        if pair.old is MISSING or pair.new is MISSING:
            self.assertion(pair)
            return
        self.node(pair.child(None, _CHILD_LOCATION.get(pair.keyword)), pair.inner)


def _asserted(value: Any) -> Any:
    return value if value in ASSERTED_FORMAT_NAMES else MISSING


_HANDLERS = {
    "$ref": _Walk.ref,
    "properties": _Walk.mapping,
    "patternProperties": _Walk.mapping,
    "dependentSchemas": _Walk.mapping,
    "allOf": _Walk.branches,
    "anyOf": _Walk.branches,
    "oneOf": _Walk.branches,
    "prefixItems": _Walk.positional,
    "items": _Walk.positional,  # a list before 2020-12, a single schema since
    **{keyword: _Walk.single for keyword in (*_CHILD_LOCATION, *_IN_PLACE_SINGLE)},
}
