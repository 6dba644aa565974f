"""Load-time checks of a PureSchemaSet: meta-schema, regexes, every ``$ref`` resolves, no cycles.

A schema set that passes these can be validated against, bundled and generated from
without surprises; each failure is a named exception with the file and JSON pointer.
"""

from __future__ import annotations

from collections import deque
from functools import cache
from typing import TYPE_CHECKING, Any

import jsonschema_rs
from jsonschema import FormatChecker
from jsonschema.exceptions import SchemaError, best_match
from referencing.exceptions import Unresolvable

from ..core.drafts import Draft, draft_named
from ..core.errors import (
    InvalidSchemaError,
    RefCycleError,
    RemoteRefError,
    RetrievalRefusedError,
    UnresolvableRefError,
)
from ..core.origins import in_file
from ..core.pointer import escape
from ..core.pointer import format_pointer as pointer_of
from ..core.regex import is_regex
from ..core.walk import (
    IN_PLACE_KEYWORDS,
    SUBSCHEMA_KEYWORDS,
    children,
    iter_refs,
    iter_subschemas,
    too_deep,
)
from .openapi import COMPONENTS_PREFIX

# Schemas are walked by recursive code (ours, jsonschema's, the code generator's); this
# many levels of objects and arrays leave every command room within Python's stack.
SCHEMA_MAX_DEPTH = 128

if TYPE_CHECKING:
    from referencing._core import Resolver

    from ..core.schemaset import PureSchemaSet, SchemaResource


# Every keyword of draft 2020-12 (all vocabularies), of the older drafts, and OpenAPI's
# schema extensions. A schema with none of them constrains and describes nothing.
_KEYWORD_LIST = (
    "$schema $id $ref $anchor $dynamicRef $dynamicAnchor $vocabulary $comment $defs "
    "allOf anyOf oneOf not if then else dependentSchemas prefixItems items contains "
    "properties patternProperties additionalProperties propertyNames unevaluatedItems "
    "unevaluatedProperties type enum const multipleOf maximum exclusiveMaximum minimum "
    "exclusiveMinimum maxLength minLength pattern maxItems minItems uniqueItems maxContains "
    "minContains maxProperties minProperties required dependentRequired title description "
    "default deprecated readOnly writeOnly examples format contentEncoding "
    "contentMediaType contentSchema definitions dependencies additionalItems "
    "$recursiveRef $recursiveAnchor id nullable discriminator example xml externalDocs"
)
_KEYWORDS = frozenset(_KEYWORD_LIST.split())


def looks_like_a_schema(contents: Any) -> bool:
    """False for an object with keys but no schema keyword: a document or a config file
    given as a schema (``{}`` accepts everything, on purpose)."""
    if not isinstance(contents, dict) or not contents:
        return True
    return any(key in _KEYWORDS or key.startswith("x-") for key in contents)


def check_depth(contents: Any, origin: str) -> None:
    """Refuse a schema nested deeper than ``SCHEMA_MAX_DEPTH``, naming where."""
    pointer = too_deep(contents, SCHEMA_MAX_DEPTH)
    if pointer is not None:
        pointer = pointer if len(pointer) <= 80 else pointer[:80] + "..."
        where = f"{origin}{pointer}" if "#" in origin else f"{origin}#{pointer}"
        raise InvalidSchemaError(
            f"schema nested too deeply: more than {SCHEMA_MAX_DEPTH} levels", where
        )


def check_schema_set(schema_set: PureSchemaSet) -> None:
    for resource in schema_set.resources:
        check_meta_schema(resource)
        check_patterns(resource)
    for resource in schema_set.resources:
        if not resource.external:
            check_refs(schema_set, resource)
    check_cycles(schema_set)  # and the refs of external documents, where the set reaches


def check_meta_schema(resource: SchemaResource) -> None:
    """The schema as written, against the meta-schema of the draft it declares."""
    draft = draft_named(resource.draft)
    if _passes_compiled(draft, resource.as_written):
        return
    try:
        error = best_match(
            error
            for error in _meta_validator(draft).iter_errors(resource.as_written)
            if not tolerated(error)
        )
    except RecursionError:
        raise InvalidSchemaError("schema nested too deeply to check", resource.origin) from None
    if error is not None:
        where = in_file(resource.origin, pointer_of(error.path))  # as written already
        raise InvalidSchemaError(f"not a valid {draft.title} schema: {error.message}", where)


@cache
def _meta_validator(draft: Draft) -> Any:
    cls = draft.meta_validator
    # "format": "regex" means ECMA-262, as the validators read patterns, not Python's re
    checker = FormatChecker()
    checker.checkers = {**cls.FORMAT_CHECKER.checkers, "regex": (is_regex, ())}
    return cls(cls.META_SCHEMA, format_checker=checker)


# The formats the meta-schemas use ($id, $ref, $schema, pattern, patternProperties).
_META_FORMATS = ("uri", "uri-reference", "regex")


@cache
def _compiled_meta_validator(draft: Draft) -> Any:
    """The meta-schema check compiled, with the same format checkers as ``_meta_validator``.

    jsonschema walks a set of 70 schemas in about a second; this takes milliseconds. It
    only answers "valid": a schema it rejects is checked again by ``_meta_validator``, which
    has the last word (tolerated forms) and the readable message. None if it cannot compile.
    """
    checker = _meta_validator(draft).format_checker

    def conforms(name: str) -> Any:
        return lambda value: checker.conforms(value, name)

    try:
        return jsonschema_rs.validator_for(
            draft.meta_validator.META_SCHEMA,
            validate_formats=True,
            formats={name: conforms(name) for name in _META_FORMATS},
        )
    except (ValueError, jsonschema_rs.ReferencingError):
        return None


def _passes_compiled(draft: Draft, schema: Any) -> bool:
    compiled = _compiled_meta_validator(draft)
    try:
        return compiled is not None and bool(compiled.is_valid(schema))
    except (ValueError, OverflowError, RecursionError):
        return False  # a value it cannot take: the full check decides


# Annotations that validators in the wild accept in any shape; the linter warns instead.
TOLERATED_ANNOTATIONS = frozenset({"deprecated", "examples"})


def tolerated(error: SchemaError) -> bool:
    """A meta-schema complaint about a tolerated form (``"deprecated": "use v2"``)."""
    path, rule = list(error.path), list(error.schema_path)
    # the meta-schema's own "properties/<keyword>/type": the keyword, not a property so named
    return (
        error.validator == "type"
        and bool(path)
        and path[-1] in TOLERATED_ANNOTATIONS
        and rule[-3:] == ["properties", path[-1], "type"]
    )


def check_patterns(resource: SchemaResource) -> None:
    """Every regex must also compile in the compiled validator's engines, not only in
    Python's ``re`` (which the meta-schema check uses): ``a\\Z``, ``a{,3}`` or ``(?P=name)``
    are Python dialect, not ECMA-262, and would fail only when validating."""
    for node, _base, pointer in iter_subschemas(resource.contents, resource.uri):
        located = [(node.get("pattern"), f"{pointer}/pattern")]
        properties = node.get("patternProperties")
        if isinstance(properties, dict):
            located += [(key, f"{pointer}/patternProperties/{escape(key)}") for key in properties]
        for pattern, where in located:
            if isinstance(pattern, str) and not is_regex(pattern):
                raise InvalidSchemaError(
                    f"{pattern!r} is not a regular expression schemakit can use "
                    "(ECMA-262 syntax; Python-only forms such as \\Z or (?P=name) are not)",
                    resource.location(where),
                )


def check_refs(schema_set: PureSchemaSet, resource: SchemaResource) -> None:
    registry = schema_set.registry
    for ref, base, pointer, _node in iter_refs(resource.contents, resource.uri):
        try:
            registry.resolver(base_uri=base).lookup(ref)
        except Unresolvable as exc:
            written = resource.written_ref(pointer, ref)
            raise _unresolvable(written, resource.location(pointer), exc) from None


def _unresolvable(ref: str, where: str, exc: Unresolvable) -> UnresolvableRefError:
    # Only our retriever's refusal has a readable cause; others are bare KeyErrors ('name').
    refusal = _refusal(exc)
    if refusal is not None:
        reason = str(refusal)
    elif ref.startswith(COMPONENTS_PREFIX):
        reason = "no component schema of that name in the set"
    else:
        reason = _describe(exc)
    error_type = RemoteRefError if "network access is off" in reason else UnresolvableRefError
    return error_type(ref, where, reason)


def _refusal(exc: BaseException) -> RetrievalRefusedError | None:
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, RetrievalRefusedError):
        cause = cause.__cause__ or cause.__context__
    return cause


def _describe(exc: Unresolvable) -> str:
    name = type(exc).__name__
    descriptions = {
        "PointerToNowhere": "the JSON pointer points at nothing",
        "NoSuchAnchor": "no such $anchor",
        "InvalidAnchor": "invalid anchor",
        "NoSuchResource": "no such schema in the set",
        "Unretrievable": "no such schema in the set",
    }
    return descriptions.get(name, str(exc) or name)


def check_cycles(schema_set: PureSchemaSet) -> None:
    """Reject refs that loop back to themselves without descending into the instance.

    Such a loop (``A = {"$ref": "B"}``, ``B = {"allOf": [{"$ref": "A"}]}``, or
    ``{"properties": {"a": {"$ref": "#/properties/a"}}}``) makes every validator recurse
    forever. Loops through ``properties``/``items`` are fine: they end when the document
    ends. ``$dynamicRef`` is followed to its static target.

    Each walk follows refs and the keywords that apply to the same instance from one
    subschema; the subschemas of the other keywords (which apply to a part of it) start
    walks of their own. It starts from the set's own schemas, so it also finds the
    unresolvable refs of external documents in the parts the set uses: a published file
    with a broken ref in a definition nobody here refers to (SchemaStore's ``base.json``
    has some) is fine.
    """
    # The registry holds these very objects, so a resolved node is found by identity.
    locations = {
        id(node): (resource, pointer)
        for resource in schema_set.resources
        for node, _base, pointer in iter_subschemas(resource.contents, resource.uri)
    }
    done: set[int] = set()
    walks: deque[tuple[Any, Resolver[Any]]] = deque(
        (resource.contents, schema_set.registry.resolver(base_uri=resource.uri))
        for resource in schema_set.resources
        if not resource.external
    )
    while walks:  # first in, first out: the set's schemas first, in their order
        node, resolver = walks.popleft()
        _visit(node, resolver, [], {}, done, locations, walks)


Site = tuple["SchemaResource", str]  # a subschema's resource and pointer into its contents
# The keywords whose subschemas apply to a part of the instance (or to none: $defs).
_DESCENDING = {
    keyword: walker
    for keyword, walker in SUBSCHEMA_KEYWORDS.items()
    if keyword not in IN_PLACE_KEYWORDS and keyword not in ("$defs", "definitions")
}


def _visit(
    node: Any,
    resolver: Resolver[Any],
    chain: list[str],
    on_path: dict[int, int],
    done: set[int],
    locations: dict[int, Site],
    walks: deque[tuple[Any, Resolver[Any]]],
) -> None:
    if not isinstance(node, dict) or id(node) in done:
        return
    on_path[id(node)] = len(chain)
    resolver = resolver.in_subresource(_subresource(node)) if "$id" in node else resolver
    for keyword in ("$ref", "$dynamicRef"):
        ref = node.get(keyword)
        if not isinstance(ref, str):
            continue
        site = locations.get(id(node))
        # where the file says it: a node only a ref reaches (under "default"...) has no name
        where = "?" if site is None else site[0].location(f"{site[1]}/{keyword}")
        written = ref if site is None else site[0].written_ref(f"{site[1]}/{keyword}", ref)
        try:
            resolved = resolver.lookup(ref)
        except Unresolvable as exc:
            raise _unresolvable(written, where, exc) from None
        chain.append(written)
        start = on_path.get(id(resolved.contents))
        if start is not None:
            raise RefCycleError([*chain[start:], chain[start]], where)
        _visit(resolved.contents, resolved.resolver, chain, on_path, done, locations, walks)
        chain.pop()
    for child, _pointer in children(node, "", IN_PLACE_KEYWORDS):
        _visit(child, resolver, chain, on_path, done, locations, walks)
    walks.extend((child, resolver) for child, _pointer in children(node, "", _DESCENDING))
    del on_path[id(node)]
    done.add(id(node))


def _subresource(node: dict[str, Any]) -> Any:
    from referencing import Resource
    from referencing.jsonschema import DRAFT202012

    return Resource.from_contents(node, default_specification=DRAFT202012)
