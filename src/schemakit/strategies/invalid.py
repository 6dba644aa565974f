"""``invalid()``: documents that break exactly one rule of a schema, and say which and where.

A valid document is drawn first; then one mutation is applied at one place: drop a required
property, change the type, leave the enum, cross a bound, break a format or pattern, add a
forbidden property, or make a ``oneOf`` match two branches. Every mutation is checked with
the reference validator (``jsonschema`` + schemakit's format checker): the result must have
exactly one top-level error, and the claimed keyword must fail at the claimed JSON pointer.
Mutations that do not check out are skipped, so what comes out is invalid by verification,
not by hope.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from jsonschema.exceptions import ValidationError as JsonSchemaError

from ..core.pointer import format_pointer as pointer_of
from ..core.pointer import resolve
from ..core.reference import reference_validator
from ..core.schemaset import PureSchemaSet
from ..load.loader import load
from ..validate.bundle import bundle_of

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class InvalidDocument:
    """A document that breaks one rule: ``rule`` (keyword) fails at ``pointer``."""

    document: Any
    pointer: str
    rule: str
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"document": self.document, "pointer": self.pointer, "rule": self.rule}


@dataclass(frozen=True)
class Mutation:
    path: Path_  # where in the document
    rule: str  # the keyword it breaks
    apply: Callable[[Any], Any]  # document -> mutated copy


# -- walking a document with its schema ----------------------------------------------------


@dataclass(frozen=True)
class Site:
    path: Path_
    value: Any
    schemas: tuple[dict[str, Any], ...]  # every subschema that applies here


class _Walker:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.validator = reference_validator(root)

    def deref(self, schema: dict[str, Any]) -> dict[str, Any] | None:
        ref = schema.get("$ref")
        if not isinstance(ref, str) or not ref.startswith("#"):
            return None
        node = resolve(self.root, ref, None)
        return node if isinstance(node, dict) else None

    def accepts(self, schema: Any, value: Any) -> bool:
        return bool(self.validator.evolve(schema=schema).is_valid(value))

    def applicable(self, schema: Any, value: Any, depth: int = 0) -> list[dict[str, Any]]:
        """``schema`` and the subschemas that apply to the same value (matching branches only)."""
        if not isinstance(schema, dict) or depth > 50:
            return []
        found = [schema]
        target = self.deref(schema)
        if target is not None:
            found += self.applicable(target, value, depth + 1)
        for member in schema.get("allOf", ()):
            found += self.applicable(member, value, depth + 1)
        for keyword in ("oneOf", "anyOf"):
            for branch in schema.get(keyword, ()):
                if self.accepts(branch, value):
                    found += self.applicable(branch, value, depth + 1)
        return found

    def sites(self, value: Any, schema: Any, path: Path_ = ()) -> Iterator[Site]:
        schemas = tuple(self.applicable(schema, value))
        if not schemas:
            return
        yield Site(path, value, schemas)
        if isinstance(value, dict):
            for name, child in value.items():
                for sub in self._property_schemas(schemas, name):
                    yield from self.sites(child, sub, (*path, name))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                for sub in self._item_schemas(schemas, index):
                    yield from self.sites(child, sub, (*path, index))

    @staticmethod
    def _property_schemas(schemas: tuple[dict[str, Any], ...], name: str) -> list[Any]:
        result = []
        for schema in schemas:
            properties = schema.get("properties") or {}
            if name in properties:
                result.append(properties[name])
                continue
            patterns = schema.get("patternProperties") or {}
            matched = [sub for pattern, sub in patterns.items() if re.search(pattern, name)]
            result += matched
            if not matched and isinstance(schema.get("additionalProperties"), dict):
                result.append(schema["additionalProperties"])
        return result

    @staticmethod
    def _item_schemas(schemas: tuple[dict[str, Any], ...], index: int) -> list[Any]:
        result = []
        for schema in schemas:
            prefix = schema.get("prefixItems") or []
            if index < len(prefix):
                result.append(prefix[index])
            elif isinstance(schema.get("items"), dict):
                result.append(schema["items"])
        return result


# -- mutations, one function per keyword ---------------------------------------------------


def _replace(path: Path_, new: Any) -> Callable[[Any], Any]:
    def apply(document: Any) -> Any:
        if not path:
            return copy.deepcopy(new)
        result = copy.deepcopy(document)
        node = result
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = copy.deepcopy(new)
        return result

    return apply


def _edit(path: Path_, change: Callable[[Any], None]) -> Callable[[Any], Any]:
    def apply(document: Any) -> Any:
        result = copy.deepcopy(document)
        node = result
        for part in path:
            node = node[part]
        change(node)
        return result

    return apply


_SAMPLES: tuple[Any, ...] = (None, True, 7, 2.5, "text", [], {})
_TYPE_OF: dict[type, str] = {
    type(None): "null",
    bool: "boolean",
    int: "integer",
    float: "number",
    str: "string",
    list: "array",
    dict: "object",
}


def _json_type(value: Any) -> str:
    return _TYPE_OF[type(value)]


def _allows(types: set[str], value: Any) -> bool:
    kind = _json_type(value)
    return kind in types or (kind == "integer" and "number" in types)


def _dropper(name: str) -> Callable[[Any], None]:
    return lambda node: node.pop(name)


def mutate_required(site: Site, schema: dict[str, Any]) -> Iterator[Mutation]:
    if isinstance(site.value, dict):
        for name in schema["required"]:
            if name in site.value:
                yield Mutation(site.path, "required", _edit(site.path, _dropper(name)))


def mutate_type(site: Site, schema: dict[str, Any]) -> Iterator[Mutation]:
    declared = schema["type"]
    types = {declared} if isinstance(declared, str) else set(declared)
    for sample in _SAMPLES:
        if not _allows(types, sample):
            yield Mutation(site.path, "type", _replace(site.path, sample))
            return


def mutate_enum(site: Site, schema: dict[str, Any]) -> Iterator[Mutation]:
    values = schema["enum"]
    for candidate in _outsiders(site.value):
        if candidate not in values:
            yield Mutation(site.path, "enum", _replace(site.path, candidate))
            return


def mutate_const(site: Site, schema: dict[str, Any]) -> Iterator[Mutation]:
    for candidate in _outsiders(site.value):
        if candidate != schema["const"]:
            yield Mutation(site.path, "const", _replace(site.path, candidate))
            return


def _outsiders(value: Any) -> list[Any]:
    """Values of the same JSON type as ``value`` (so only enum/const fails)."""
    if isinstance(value, str):
        return [value + "-invalid", "not-a-listed-value"]
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, (int, float)):
        return [value + 1, value - 1, -987654]
    return []


def _bound(keyword: str, step: int) -> Callable[[Site, dict[str, Any]], Iterator[Mutation]]:
    """minimum (step -1): go below; maximum (+1): go above; exclusive ones: hit the limit."""

    def mutate(site: Site, schema: dict[str, Any]) -> Iterator[Mutation]:
        limit = schema[keyword]
        if not (isinstance(site.value, (int, float)) and not isinstance(site.value, bool)):
            return
        if not isinstance(limit, (int, float)):
            return
        value = limit if keyword.startswith("exclusive") else limit + step
        if isinstance(site.value, int) and isinstance(value, float) and value.is_integer():
            value = int(value)
        yield Mutation(site.path, keyword, _replace(site.path, value))

    return mutate


def mutate_min_length(site: Site, schema: dict[str, Any]) -> Iterator[Mutation]:
    if isinstance(site.value, str) and schema["minLength"] >= 1:
        yield Mutation(
            site.path, "minLength", _replace(site.path, site.value[: schema["minLength"] - 1])
        )


def mutate_max_length(site: Site, schema: dict[str, Any]) -> Iterator[Mutation]:
    if isinstance(site.value, str):
        longer = (site.value or "x") * (schema["maxLength"] + 1)
        yield Mutation(
            site.path, "maxLength", _replace(site.path, longer[: schema["maxLength"] + 1])
        )


def mutate_min_items(site: Site, schema: dict[str, Any]) -> Iterator[Mutation]:
    if isinstance(site.value, list) and schema["minItems"] >= 1:
        yield Mutation(
            site.path, "minItems", _replace(site.path, site.value[: schema["minItems"] - 1])
        )


def mutate_max_items(site: Site, schema: dict[str, Any]) -> Iterator[Mutation]:
    if isinstance(site.value, list) and site.value:
        extra = site.value + [site.value[-1]] * (schema["maxItems"] + 1 - len(site.value))
        yield Mutation(site.path, "maxItems", _replace(site.path, extra))


_PATTERN_BREAKERS = ("", " ", "!", "\u00e9\u00e9", "0", "a b", "-" * 3)


def mutate_pattern(site: Site, schema: dict[str, Any]) -> Iterator[Mutation]:
    if not isinstance(site.value, str):
        return
    try:
        compiled = re.compile(schema["pattern"])
    except re.error:
        return
    for candidate in _PATTERN_BREAKERS:
        if not compiled.search(candidate):
            yield Mutation(site.path, "pattern", _replace(site.path, candidate))


# format -> a value of the right JSON type that the format rejects
BAD_FORMAT_VALUES: dict[str, Any] = {
    "date-time": "2024-13-45T25:61:00Z",
    "date": "2024-02-30",
    "time": "25:61:00Z",
    "duration": "1 day",
    "email": "no-at-sign",
    "idn-email": "no-at-sign",
    "hostname": "-bad-.example..com",
    "ipv4": "999.1.1.1",
    "ipv6": "2001:::1::",
    "uri": "not a uri",
    "iri": "not an iri",
    "uri-reference": "\\\\bad uri",
    "uuid": "not-a-uuid",
    "json-pointer": "no-leading-slash",
    "regex": "(unclosed",
    "byte": "not base64!",
    "int32": 2**31,
    "int64": 2**63,
    "float": 1e39,
}


def mutate_format(site: Site, schema: dict[str, Any]) -> Iterator[Mutation]:
    bad = BAD_FORMAT_VALUES.get(str(schema["format"]))
    if bad is None or isinstance(site.value, bool):
        return
    numbers = (int, float)
    same_kind = isinstance(bad, numbers) == isinstance(site.value, numbers)
    if same_kind and isinstance(bad, str) == isinstance(site.value, str):
        yield Mutation(site.path, "format", _replace(site.path, bad))


def mutate_additional(site: Site, schema: dict[str, Any]) -> Iterator[Mutation]:
    if schema["additionalProperties"] is False and isinstance(site.value, dict):
        name = "unexpectedProperty"
        while name in site.value:
            name += "_"
        yield Mutation(
            site.path, "additionalProperties", _edit(site.path, lambda n: n.__setitem__(name, 1))
        )


def mutate_one_of(site: Site, schema: dict[str, Any]) -> Iterator[Mutation]:
    """Two branches at once: drop a property that tells the branches apart."""
    if isinstance(site.value, dict):
        for name in list(site.value):
            yield Mutation(site.path, "oneOf", _edit(site.path, _dropper(name)))


Mutator = Callable[[Site, dict[str, Any]], Iterator[Mutation]]
MUTATORS: dict[str, Mutator] = {
    "required": mutate_required,
    "type": mutate_type,
    "enum": mutate_enum,
    "const": mutate_const,
    "minimum": _bound("minimum", -1),
    "maximum": _bound("maximum", +1),
    "exclusiveMinimum": _bound("exclusiveMinimum", 0),
    "exclusiveMaximum": _bound("exclusiveMaximum", 0),
    "minLength": mutate_min_length,
    "maxLength": mutate_max_length,
    "minItems": mutate_min_items,
    "maxItems": mutate_max_items,
    "pattern": mutate_pattern,
    "format": mutate_format,
    "additionalProperties": mutate_additional,
    "oneOf": mutate_one_of,
}


def mutations(walker: _Walker, document: Any) -> list[Mutation]:
    found: list[Mutation] = []
    for site in walker.sites(document, walker.root):
        for schema in site.schemas:
            for keyword, mutator in MUTATORS.items():
                if keyword in schema:
                    found.extend(mutator(site, schema))
    return found


# -- verification ----------------------------------------------------------------------------


def _tree(error: JsonSchemaError) -> Iterator[JsonSchemaError]:
    yield error
    for child in error.context or ():
        yield from _tree(child)


def verify(walker: _Walker, mutation: Mutation, document: Any) -> InvalidDocument | None:
    """The mutated document, if it has one top-level error and the claimed one is in it."""
    mutated = mutation.apply(document)
    errors = list(walker.validator.iter_errors(mutated))
    if len(errors) != 1:
        return None
    pointer = pointer_of(mutation.path)
    for error in _tree(errors[0]):
        if error.validator == mutation.rule and pointer_of(error.absolute_path) == pointer:
            if mutation.rule == "oneOf" and not _matches_several(error):
                continue
            return InvalidDocument(mutated, pointer, mutation.rule, str(error.message))
    return None


def _matches_several(error: JsonSchemaError) -> bool:
    return "valid under each of" in str(error.message)


# -- the strategy ----------------------------------------------------------------------------


def _resolve(
    name_or_schema: str | dict[str, Any], schemas: PureSchemaSet | str | Path | None
) -> Any:
    """The schema itself, or the bundle of a name in ``schemas`` (a set, or a source to
    load; by default the bundled set: never a set some other code configured)."""
    if isinstance(name_or_schema, dict):
        return name_or_schema
    schema_set = schemas if isinstance(schemas, PureSchemaSet) else _loaded(schemas)
    return bundle_of(schema_set, name_or_schema)


@lru_cache(maxsize=8)
def _loaded(source: str | Path | None) -> PureSchemaSet:
    return load(source)


def invalid(
    name_or_schema: str | dict[str, Any],
    *,
    schemas: PureSchemaSet | str | Path | None = None,
    valid: st.SearchStrategy[Any] | None = None,
) -> st.SearchStrategy[InvalidDocument]:
    """Documents that break exactly one rule of the schema (a name in ``schemas``, or a
    self-contained schema), with ``.document``, ``.pointer`` and ``.rule``.

    ``valid``: the strategy of valid documents to start from (default: ``from_schema``).
    """
    root = _resolve(name_or_schema, schemas)
    if valid is None:
        from . import from_schema

        valid = from_schema(root)
    walker = _Walker(root)

    @st.composite
    def draw(data: st.DrawFn) -> InvalidDocument:
        from hypothesis import assume

        document = data(valid)
        by_rule: dict[str, list[Mutation]] = {}
        for mutation in mutations(walker, document):
            by_rule.setdefault(mutation.rule, []).append(mutation)
        assume(by_rule)
        # Pick the kind of defect first, so rare kinds are not drowned by common ones.
        for rule in data(st.permutations(sorted(by_rule))):
            group = by_rule[rule]
            for index in data(st.permutations(range(len(group)))):
                result = verify(walker, group[index], document)
                if result is not None:
                    return result
        assume(False)
        raise AssertionError("unreachable")  # pragma: no cover

    return draw()
