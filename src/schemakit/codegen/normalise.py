"""Reshape the generator's input so that its types admit every document the schema admits.

datamodel-code-generator reads schemas the way an OpenAPI client generator does: a few
keywords mean more to it than to a validator, and a few combinations it types more narrowly
than JSON Schema does. The models must load every valid document and write it back
unchanged, so before naming, each subschema of the synthetic root is rewritten here into a
form with the same valid documents that the generator types faithfully. One function per
construct, applied to every subschema (children first):

- ``false`` inside ``allOf``/``anyOf``/``oneOf``: the generator refuses the whole set; the
  branch is dropped (it never matches) or the schema marked unsatisfiable (``not: {}``).
- ``discriminator``: the generator takes the mapping keys (or schema names) for the tag's
  values and types the tag as a string ``Literal``; a validator ignores the keyword. It is
  dropped: the runtime finds tags from the branches' own ``const``/``enum`` values.
- ``const`` beside ``allOf``/``anyOf``/``oneOf``/``$ref``: only the constant can match, so
  the schema becomes just the constant (the generator otherwise drops or wraps it).
- ``enum`` of non-strings: a ``number`` enum would become a ``float`` enum (``3`` is then
  written back as ``3.0``), and ``true`` and ``1`` would be one Python enum member; integer
  enums are typed ``integer``, other mixed enums lose their ``type``, and the booleans of
  an enum that also has numbers become an enum of their own, in a union with the rest.
- ``x-python-type``: a Python type the schema does not enforce (any string would have to
  load as a ``datetime``); dropped, the type follows the schema.
- ``patternProperties``: the generator types the map by the patterns alone, but a key that
  matches no pattern takes any value (or ``additionalProperties``); the patterns are folded
  into one value type, or dropped when any value is allowed anyway.
- ``type: [object, null]`` with properties: the generator makes a class that refuses
  ``null``; the schema becomes a union of the object part and the other types.
- ``prefixItems`` followed by more items: the generator types every item by the prefix
  schemas alone; the items after the prefix are folded in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core.walk import children

Rule = Callable[[dict[str, Any]], None]
_COMBINATORS = ("allOf", "anyOf", "oneOf", "$ref", "enum")
_ANNOTATIONS = ("title", "description", "default", "examples", "deprecated", "readOnly")


def normalise(schema: Any) -> None:
    """Rewrite ``schema`` and every subschema in place (children before parents)."""
    if not isinstance(schema, dict):
        return
    for child, _pointer in list(children(schema, "")):
        normalise(child)
    for rule in RULES:
        rule(schema)


def _drop_generator_hints(node: dict[str, Any]) -> None:
    node.pop("discriminator", None)
    node.pop("x-python-type", None)


def _const_alone(node: dict[str, Any]) -> None:
    if "const" not in node or not any(key in node for key in _COMBINATORS):
        return
    kept = {key: node[key] for key in ("const", *_ANNOTATIONS) if key in node}
    node.clear()
    node.update(kept)


def _python_distinct(values: list[Any]) -> bool:
    """Whether Python tells the values apart as JSON does (``True == 1`` in Python)."""
    keys = {(type(v) is bool, repr(v) if isinstance(v, (dict, list)) else v) for v in values}
    python = {repr(v) if isinstance(v, (dict, list)) else v for v in values}
    return len(python) == len(keys)


def _enum_types(node: dict[str, Any]) -> None:
    values = node.get("enum")
    if not isinstance(values, list) or all(isinstance(v, str) for v in values):
        return
    if not _python_distinct(values):
        # Python's True == 1: booleans and the rest become two enums of a union.
        flags = [v for v in values if type(v) is bool]
        rest = [v for v in values if type(v) is not bool]
        node.pop("enum")
        node.pop("type", None)
        node["anyOf"] = [{"type": "boolean", "enum": flags}, {"enum": rest}]
        return
    present = [v for v in values if v is not None]
    if present and all(type(v) is int for v in present):
        node["type"] = ["integer", "null"] if None in values else "integer"
    else:
        node.pop("type", None)


def _pattern_properties(node: dict[str, Any]) -> None:
    patterns = node.get("patternProperties")
    if not isinstance(patterns, dict):
        return
    node.pop("patternProperties")
    other = node.get("additionalProperties", True)
    if other is True or other == {} or "properties" in node:
        # Any value is allowed for some key (or the model keeps unknown keys untyped).
        if other is False:
            node.pop("additionalProperties")
        return
    branches = list(patterns.values()) + ([other] if other is not False else [])
    node["additionalProperties"] = branches[0] if len(branches) == 1 else {"anyOf": branches}


def _false_branches(node: dict[str, Any]) -> None:
    """The generator refuses a ``false`` among ``allOf``/``anyOf``/``oneOf`` (even where the
    schema is satisfiable): a ``false`` branch of ``anyOf``/``oneOf`` never matches and goes;
    ``false`` in ``allOf`` leaves nothing to match, written as ``not: {}``."""
    if any(part is False for part in node.get("allOf") or []):
        node.pop("allOf")
        node["not"] = {}
    for keyword in ("anyOf", "oneOf"):
        branches = node.get(keyword)
        if isinstance(branches, list) and False in branches:
            kept = [branch for branch in branches if branch is not False]
            if kept:
                node[keyword] = kept
            else:
                node.pop(keyword)
                node["not"] = {}


def _prefix_items(node: dict[str, Any]) -> None:
    """A tuple type only when nothing can follow the prefix; otherwise every item may be
    any of the prefix schemas or of ``items`` (absent: any value)."""
    prefix = node.get("prefixItems")
    if not isinstance(prefix, list):
        return
    rest = node.get("items", True)
    longest = node.get("maxItems")
    if rest is False or (isinstance(longest, int) and longest <= len(prefix)):
        return
    node.pop("prefixItems")
    if rest is True or rest == {}:
        node.pop("items", None)
        return
    node["items"] = {"anyOf": [*prefix, rest]}


# Keywords that only constrain objects: they stay with the object branch of a split type.
_OBJECT_KEYWORDS = (
    "properties", "required", "additionalProperties", "patternProperties", "propertyNames",
    "unevaluatedProperties", "minProperties", "maxProperties", "dependentRequired",
    "dependentSchemas",
)  # fmt: skip
BRANCH_NAME = "x-schemakit-branch"  # the word ``schema`` names a branch made here by


def _nullable_object(node: dict[str, Any]) -> None:
    """``type: [object, null]`` with properties: the generator makes a class that refuses
    null (or a number); the object part becomes one branch of a union, the rest another."""
    types = node.get("type")
    if not isinstance(types, list) or "object" not in types or len(types) < 2:
        return
    if not any(key in node for key in _OBJECT_KEYWORDS):
        return
    obj: dict[str, Any] = {"type": "object", BRANCH_NAME: "Object"}
    for key in _OBJECT_KEYWORDS:
        if key in node:
            obj[key] = node.pop(key)
    others = [kind for kind in types if kind != "object"]
    node.pop("type")
    node["anyOf"] = [obj, {"type": others[0] if len(others) == 1 else others}]


RULES: tuple[Rule, ...] = (
    _nullable_object,
    _false_branches,
    _drop_generator_hints,
    _const_alone,
    _enum_types,
    _pattern_properties,
    _prefix_items,
)
