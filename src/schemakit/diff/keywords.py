"""What a changed keyword can do to the accepted set: one function per keyword, one table.

Each function gets the keyword's value in OLD and in NEW (``MISSING`` when absent) and the
two schema objects holding it, and says which directions the change *may* move the accepted
set (a raised ``minimum`` can only narrow; a changed ``pattern`` may do both) with a short
id and a message. These are suspicions to be proved, not verdicts: a direction is reported as
a change only with a witness document, or as "not proved" when the search found none. A
direction no function suspects is not searched, so the table errs toward "both".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..validate.validator import short
from .findings import Direction
from .normal import canonical

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()

NARROWED = frozenset({Direction.narrowed})
WIDENED = frozenset({Direction.widened})
BOTH = frozenset(Direction)
NONE: frozenset[Direction] = frozenset()


@dataclass(frozen=True)
class Suspicion:
    change: str
    message: str
    directions: frozenset[Direction]  # searched, and reported as "not proved" if no witness
    # searched too, but reported only with a witness: what a change may do where oneOf, not
    # or if can turn it around (any change there *can* go both ways; most do not)
    possible: frozenset[Direction] = frozenset()

    @property
    def searched(self) -> frozenset[Direction]:
        return self.directions | self.possible


Classifier = Callable[[str, Any, Any, dict[str, Any], dict[str, Any]], Suspicion]


def _presence(keyword: str, old: Any, new: Any) -> Suspicion | None:
    """Adding a constraint can only narrow; removing it can only widen."""
    if old is MISSING:
        return Suspicion(f"{keyword}-added", f"{keyword} {short(new)} added", NARROWED)
    if new is MISSING:
        return Suspicion(f"{keyword}-removed", f"{keyword} {short(old)} removed", WIDENED)
    return None


def lower_bound(keyword: str, old: Any, new: Any, _o: Any, _n: Any) -> Suspicion:
    found = _presence(keyword, old, new)
    if found is not None:
        return found
    if _number(new) > _number(old):
        return Suspicion(f"{keyword}-raised", f"{keyword} raised from {old} to {new}", NARROWED)
    return Suspicion(f"{keyword}-lowered", f"{keyword} lowered from {old} to {new}", WIDENED)


def upper_bound(keyword: str, old: Any, new: Any, _o: Any, _n: Any) -> Suspicion:
    found = _presence(keyword, old, new)
    if found is not None:
        return found
    if _number(new) < _number(old):
        return Suspicion(f"{keyword}-lowered", f"{keyword} lowered from {old} to {new}", NARROWED)
    return Suspicion(f"{keyword}-raised", f"{keyword} raised from {old} to {new}", WIDENED)


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def enum(keyword: str, old: Any, new: Any, _o: Any, _n: Any) -> Suspicion:
    found = _presence(keyword, old, new)
    if found is not None or not (isinstance(old, list) and isinstance(new, list)):
        return found or Suspicion("enum-changed", "enum changed", BOTH)
    old_values = {canonical(v): v for v in old}
    new_values = {canonical(v): v for v in new}
    removed = [old_values[k] for k in old_values if k not in new_values]
    added = [new_values[k] for k in new_values if k not in old_values]
    parts, directions = [], set()
    if removed:
        parts.append(f"values removed: {short(removed)}")
        directions.add(Direction.narrowed)
    if added:
        parts.append(f"values added: {short(added)}")
        directions.add(Direction.widened)
    change = "enum-values-" + (
        "changed" if removed and added else "removed" if removed else "added"
    )
    return Suspicion(change, "enum " + "; ".join(parts), frozenset(directions))


def required(keyword: str, old: Any, new: Any, _o: Any, _n: Any) -> Suspicion:
    old_names = set(old) if isinstance(old, list) else set()
    new_names = set(new) if isinstance(new, list) else set()
    added, removed = sorted(new_names - old_names), sorted(old_names - new_names)
    parts, directions = [], set()
    if added:
        parts.append(f"now required: {', '.join(added)}")
        directions.add(Direction.narrowed)
    if removed:
        parts.append(f"no longer required: {', '.join(removed)}")
        directions.add(Direction.widened)
    change = "required-" + ("changed" if added and removed else "added" if added else "removed")
    return Suspicion(change, "; ".join(parts), frozenset(directions))


_ALL_TYPES = frozenset({"null", "boolean", "object", "array", "string", "number", "integer"})


def _types(value: Any) -> frozenset[str]:
    if value is MISSING:
        return _ALL_TYPES
    names = {value} if isinstance(value, str) else set(value) if isinstance(value, list) else set()
    if "number" in names:
        names.add("integer")  # every integer is a number
    return frozenset(names)


def type_(keyword: str, old: Any, new: Any, _o: Any, _n: Any) -> Suspicion:
    old_types, new_types = _types(old), _types(new)
    directions = set()
    if old_types - new_types:
        directions.add(Direction.narrowed)
    if new_types - old_types:
        directions.add(Direction.widened)
    if old is MISSING:
        return Suspicion("type-added", f"type {short(new, 40)} added", frozenset(directions))
    if new is MISSING:
        return Suspicion("type-removed", f"type {short(old, 40)} removed", frozenset(directions))
    return Suspicion(
        "type-changed", f"type {short(old, 40)} -> {short(new, 40)}", frozenset(directions)
    )


def multiple_of(keyword: str, old: Any, new: Any, _o: Any, _n: Any) -> Suspicion:
    found = _presence(keyword, old, new)
    if found is not None:
        return found
    old_n, new_n = _number(old), _number(new)
    if old_n and (new_n / old_n).is_integer():
        return Suspicion("multipleOf-changed", f"multipleOf {old} -> {new}", NARROWED)
    if new_n and (old_n / new_n).is_integer():
        return Suspicion("multipleOf-changed", f"multipleOf {old} -> {new}", WIDENED)
    return Suspicion("multipleOf-changed", f"multipleOf {old} -> {new}", BOTH)


def unique_items(keyword: str, old: Any, new: Any, _o: Any, _n: Any) -> Suspicion:
    if new is True and old is not True:
        return Suspicion("uniqueItems-added", "items must now be unique", NARROWED)
    return Suspicion("uniqueItems-removed", "items need no longer be unique", WIDENED)


def value(keyword: str, old: Any, new: Any, _o: Any, _n: Any) -> Suspicion:
    """A constraint whose new value may accept more, fewer or other values."""
    found = _presence(keyword, old, new)
    if found is not None:
        return found
    return Suspicion(f"{keyword}-changed", f"{keyword} {short(old, 40)} -> {short(new, 40)}", BOTH)


def subschema(keyword: str, old: Any, new: Any, _o: Any, _n: Any) -> Suspicion:
    """A single-subschema keyword added or removed (changes inside it are walked into)."""
    return _presence(keyword, old, new) or value(keyword, old, new, _o, _n)


def _is_open(node: dict[str, Any]) -> bool | None:
    """True when unknown properties are accepted, False when refused, None when it depends."""
    if "patternProperties" in node or "unevaluatedProperties" in node:
        return None
    extra = node.get("additionalProperties", True)
    if extra is True or extra == {}:
        return True
    if extra is False or extra == {"not": {}}:
        return False
    return None


def property_(name: str, old: Any, new: Any, old_node: Any, new_node: Any) -> Suspicion:
    """A property declared in one version only: what that does depends on the object."""
    # The object as it was without the property decides what adding it does.
    if old is MISSING:
        openness, verb = _is_open(old_node), "added"
        open_way, closed_way = NARROWED, WIDENED
    else:
        openness, verb = _is_open(new_node), "removed"
        open_way, closed_way = WIDENED, NARROWED
    kind = "open" if openness else "closed" if openness is False else "partly open"
    directions = open_way if openness else closed_way if openness is False else BOTH
    declared = new if old is MISSING else old
    if declared is True and openness:
        directions = NONE  # an untyped property of an open object accepts what it did
    return Suspicion(f"property-{verb}", f"property {name!r} {verb} ({kind} object)", directions)


def branch(keyword: str, added: list[Any], removed: list[Any]) -> Suspicion:
    """Branches of ``allOf``/``anyOf``/``oneOf`` present in one version only."""
    ways = {
        "allOf": (NARROWED, WIDENED),
        "anyOf": (WIDENED, NARROWED),
        "oneOf": (BOTH, BOTH),  # a branch can also make a document match twice
        "prefixItems": (NARROWED, WIDENED),
    }[keyword]
    directions: set[Direction] = set()
    parts = []
    if added:
        directions |= ways[0]
        parts.append(f"{len(added)} {keyword} branch{'es' if len(added) > 1 else ''} added")
    if removed:
        directions |= ways[1]
        parts.append(f"{len(removed)} {keyword} branch{'es' if len(removed) > 1 else ''} removed")
    verb = "changed" if added and removed else "added" if added else "removed"
    return Suspicion(f"{keyword}-branch-{verb}", ", ".join(parts), frozenset(directions))


CLASSIFIERS: dict[str, Classifier] = {
    "minimum": lower_bound,
    "exclusiveMinimum": lower_bound,
    "minLength": lower_bound,
    "minItems": lower_bound,
    "minProperties": lower_bound,
    "minContains": lower_bound,
    "maximum": upper_bound,
    "exclusiveMaximum": upper_bound,
    "maxLength": upper_bound,
    "maxItems": upper_bound,
    "maxProperties": upper_bound,
    "maxContains": upper_bound,
    "enum": enum,
    "const": value,
    "type": type_,
    "required": required,
    "multipleOf": multiple_of,
    "uniqueItems": unique_items,
    "pattern": value,
    "format": value,
    "dependentRequired": value,
    "$ref": value,
}


def classify(keyword: str, old: Any, new: Any, old_node: Any, new_node: Any) -> Suspicion:
    classifier: Classifier = CLASSIFIERS.get(keyword, subschema)
    return classifier(keyword, old, new, old_node, new_node)
