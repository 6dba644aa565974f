"""A normal form of a bundled schema, so that equal accepted sets are seen without search.

Two schemas that differ only in how they are written (an enum or ``required`` list in another
order, an inline subschema moved behind a ``$ref`` or back, a ``$defs`` entry renamed, a
changed description or example) have the same normal form; comparing forms is a cheap proof
that nothing changed. The form keeps every assertion and drops what cannot change a verdict:

* every ``$ref`` is replaced by the schema it points at (a ref that loops back to a schema
  being expanded becomes ``{"$rec": n}``, the distance up the expansion stack, so recursive
  schemas compare structurally whatever their names);
* annotations (``title``, ``description``, ``examples``, ``default``, ``discriminator``,
  ``x-*``, ...) and the ``format`` values nobody asserts are dropped, ``$defs`` too (what is
  used is inlined);
* order-free keyword values are sorted (``enum``, ``required``, ``type``, ``allOf``,
  ``anyOf``, ``oneOf``) and numbers that are integers are written as integers.

Equal forms prove equal verdicts; different forms prove nothing (``{"maximum": 5}`` and
``{"exclusiveMaximum": 6, "type": "integer"}`` accept the same integers): that is what the
witness search is for.
"""

from __future__ import annotations

import json
from typing import Any

from ..core.formats import ASSERTED_FORMATS
from ..core.pointer import MISSING, escape, resolve
from ..core.walk import SUBSCHEMA_KEYWORDS

# The draft 2020-12 keywords that can change a verdict (format: only the asserted ones).
# Everything else (title, description, examples, default, discriminator, x-*, $defs,
# unknown keywords) is an annotation here.
ASSERTIONS = frozenset(
    {
        "$ref",
        "type",
        "enum",
        "const",
        "multipleOf",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "format",
        "maxItems",
        "minItems",
        "uniqueItems",
        "maxContains",
        "minContains",
        "maxProperties",
        "minProperties",
        "required",
        "dependentRequired",
    }
    | (set(SUBSCHEMA_KEYWORDS) - {"$defs", "definitions"})
)


# (keyword, a branch that changes nothing, a branch that decides alone): a true branch adds
# nothing to allOf and a false one nothing to anyOf or oneOf (it never matches, so it never
# counts); a true branch decides anyOf, a false one allOf. (A true oneOf branch decides
# nothing alone: every value matches it, so the others must all fail.)
_BRANCH_CONSTANTS = (("allOf", True, False), ("anyOf", False, True), ("oneOf", False, None))

# Keywords whose array value is a set: order (and for these, repetition) does not matter.
_SORTED = frozenset({"enum", "required", "allOf", "anyOf"})
ASSERTED_FORMAT_NAMES = frozenset(ASSERTED_FORMATS)


def is_annotation(keyword: str) -> bool:
    return keyword not in ASSERTIONS


def canonical(value: Any) -> str:
    """The text two equal JSON values share (keys sorted, 1.0 written as 1)."""
    return json.dumps(_plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _plain(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def local_ref(node: Any) -> str | None:
    """The JSON pointer a bundle-local ``$ref`` of ``node`` names, if it has one."""
    ref = node.get("$ref") if isinstance(node, dict) else None
    if isinstance(ref, str) and ref.startswith("#"):
        return ref[1:]
    return None


class Normaliser:
    """Normal forms of the subschemas of one bundle (every ``$ref`` local), memoised."""

    def __init__(self, bundle: Any) -> None:
        self.bundle = bundle
        # pointer -> form, for forms that refer to nothing above them (shared, never mutated)
        self._closed: dict[str, Any] = {}
        self._texts: dict[str, str] = {}

    def form(self, pointer: str) -> Any:
        """The normal form of the subschema at ``pointer`` (a JSON value)."""
        if pointer not in self._closed:
            self._closed[pointer] = self._at(pointer, [])[0]
        return self._closed[pointer]

    def text(self, pointer: str) -> str:
        """The normal form of the subschema at ``pointer``, as canonical JSON text."""
        if pointer not in self._texts:
            self._texts[pointer] = canonical(self.form(pointer))
        return self._texts[pointer]

    def _at(self, pointer: str, stack: list[str]) -> tuple[Any, int]:
        if pointer in stack:
            index = stack.index(pointer)
            return {"$rec": len(stack) - index}, index
        if pointer in self._closed:
            return self._closed[pointer], len(stack)
        node = resolve(self.bundle, pointer)
        if node is MISSING:
            return {"$unresolved": pointer}, len(stack)
        stack.append(pointer)
        form, free = self._form(node, pointer, stack)
        stack.pop()
        if free >= len(stack):  # refers to nothing being expanded above it: reusable
            self._closed[pointer] = form
        return form, free

    def _form(self, node: Any, pointer: str, stack: list[str]) -> tuple[Any, int]:
        """(normal form, lowest stack index a ``$rec`` inside refers to, or len(stack))."""
        free = len(stack)
        if isinstance(node, bool):
            return node, free
        if not isinstance(node, dict):
            return node, free
        result: dict[str, Any] = {}
        for keyword, value in node.items():
            if is_annotation(keyword):
                continue
            if keyword == "format" and value not in ASSERTED_FORMAT_NAMES:
                continue
            where = f"{pointer}/{escape(keyword)}"
            if keyword == "$ref" and isinstance(value, str) and value.startswith("#"):
                form, inner = self._at(value[1:], stack)
                free = min(free, inner)
                result["$ref"] = form
            elif keyword in SUBSCHEMA_KEYWORDS:
                form, inner = self._subschemas(keyword, value, where, stack)
                free = min(free, inner)
                result[keyword] = form
            else:
                result[keyword] = _plain(value)
        return _simplify(result), free

    def _subschemas(
        self, keyword: str, value: Any, where: str, stack: list[str]
    ) -> tuple[Any, int]:
        free = len(stack)
        if isinstance(value, dict) and keyword in ("properties", "patternProperties"):
            named: dict[str, Any] = {}
            for key, sub in value.items():
                form, inner = self._form(sub, f"{where}/{escape(key)}", stack)
                named[key] = form
                free = min(free, inner)
            return named, free
        if isinstance(value, dict) and keyword == "dependentSchemas":
            return self._subschemas("properties", value, where, stack)
        if isinstance(value, list):
            listed: list[Any] = []
            for index, sub in enumerate(value):
                form, inner = self._form(sub, f"{where}/{index}", stack)
                listed.append(form)
                free = min(free, inner)
            return listed, free
        return self._form(value, where, stack)


def _simplify(form: dict[str, Any]) -> Any:
    """Sort set-like values, drop what asserts nothing, and unwrap a schema that is only a
    ``$ref`` or only one ``allOf``/``anyOf``/``oneOf`` branch (it is that schema)."""
    for keyword, neutral, absorbing in _BRANCH_CONSTANTS:
        branches = form.get(keyword)
        if not isinstance(branches, list):
            continue
        if any(branch is absorbing for branch in branches):
            if absorbing is False:  # allOf with a false branch
                return False
            del form[keyword]  # anyOf with a true branch: every value passes it
            continue
        branches = [branch for branch in branches if branch is not neutral]
        if branches:
            form[keyword] = branches
        elif keyword == "allOf":
            del form[keyword]
        else:
            return False  # anyOf/oneOf of nothing but false branches
    for keyword in _SORTED & form.keys():
        if isinstance(form[keyword], list):
            form[keyword] = _sorted_unique(form[keyword])
    if isinstance(form.get("oneOf"), list):  # repetition matters in oneOf
        form["oneOf"] = sorted(form["oneOf"], key=canonical)
    kind = form.get("type")
    if isinstance(kind, list):
        kinds = sorted(set(kind))
        form["type"] = kinds[0] if len(kinds) == 1 else kinds
    if isinstance(form.get("dependentRequired"), dict):
        form["dependentRequired"] = {
            key: _sorted_unique(names) if isinstance(names, list) else names
            for key, names in form["dependentRequired"].items()
        }
    if form.get("required") == []:
        del form["required"]
    enum = form.get("enum")
    if isinstance(enum, list) and len(enum) == 1 and "const" not in form:
        form["const"] = form.pop("enum")[0]  # one allowed value is a const
    if "type" in form and _values_have_type(form):
        del form["type"]  # an enum (or const) whose every value has the type says it all
    for keyword in ("$ref", "allOf", "anyOf", "oneOf"):
        only = form.get(keyword)
        if set(form) == {keyword}:
            if keyword == "$ref":
                return only
            if isinstance(only, list) and len(only) == 1:
                return only[0]
    if form == {}:
        return True
    if form == {"not": True}:
        return False
    if form == {"not": False}:
        return True
    return form


_JSON_TYPES: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "boolean"),
    (type(None), "null"),
    (str, "string"),
    (dict, "object"),
    (list, "array"),
    ((int, float), "number"),
)


def _json_type(value: Any) -> str:
    for python, name in _JSON_TYPES:
        if isinstance(value, python):
            if name == "number" and isinstance(value, (int, float)) and float(value).is_integer():
                return "integer"
            return name
    return "unknown"


def _values_have_type(form: dict[str, Any]) -> bool:
    """Whether every value ``enum``/``const`` allows already has one of the ``type``s."""
    kind = form["type"]
    kinds = {kind} if isinstance(kind, str) else set(kind) if isinstance(kind, list) else set()
    if "number" in kinds:
        kinds.add("integer")
    if "const" in form:
        values = [form["const"]]
    elif isinstance(form.get("enum"), list):
        values = form["enum"]
    else:
        return False
    return all(_json_type(value) in kinds for value in values)


def _sorted_unique(values: list[Any]) -> list[Any]:
    unique = {canonical(value): value for value in values}
    return [unique[key] for key in sorted(unique)]
