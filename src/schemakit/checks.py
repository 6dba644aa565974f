"""Load-time checks of a SchemaSet: meta-schema, every ``$ref`` resolves, no ref cycles.

A schema set that passes these can be validated against, bundled and generated from
without surprises; each failure is a named exception with the file and JSON pointer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from referencing.exceptions import Unresolvable

from .errors import InvalidSchemaError, RefCycleError, RemoteRefError, UnresolvableRefError
from .openapi import COMPONENTS_PREFIX
from .schemaset import RemoteRetrievalDisabled
from .walk import IN_PLACE_KEYWORDS, child_base, children, escape, iter_refs

if TYPE_CHECKING:
    from referencing._core import Resolver

    from .schemaset import SchemaResource, SchemaSet


def pointer_of(path: Any) -> str:
    return "".join(f"/{escape(str(part))}" for part in path)


def check_schema_set(schema_set: SchemaSet) -> None:
    for resource in schema_set.resources:
        check_meta_schema(resource)
    for resource in schema_set.resources:
        check_refs(schema_set, resource)
    check_cycles(schema_set)


def check_meta_schema(resource: SchemaResource) -> None:
    try:
        Draft202012Validator.check_schema(resource.contents)
    except SchemaError as exc:
        where = f"{resource.origin}#{pointer_of(exc.path)}"
        raise InvalidSchemaError(
            f"not a valid draft 2020-12 schema: {exc.message}", where
        ) from None
    except RecursionError:
        raise InvalidSchemaError("schema nested too deeply to check", resource.origin) from None


def check_refs(schema_set: SchemaSet, resource: SchemaResource) -> None:
    registry = schema_set.registry
    for ref, base, pointer, _node in iter_refs(resource.contents, resource.uri):
        try:
            registry.resolver(base_uri=base).lookup(ref)
        except Unresolvable as exc:
            where = f"{resource.origin}#{pointer}"
            raise _unresolvable(ref, where, exc) from None


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


def _refusal(exc: BaseException) -> RemoteRetrievalDisabled | None:
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, RemoteRetrievalDisabled):
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


def check_cycles(schema_set: SchemaSet) -> None:
    """Reject refs that loop back to themselves without descending into the instance.

    Such a loop (``A = {"$ref": "B"}``, ``B = {"allOf": [{"$ref": "A"}]}``) makes every
    validator recurse forever. Loops through ``properties``/``items`` are fine: they end
    when the document ends.
    """
    done: set[int] = set()
    for resource in schema_set.resources:
        resolver = schema_set.registry.resolver(base_uri=resource.uri)
        _visit(resource.contents, resource.uri, resolver, [], {}, done, resource.origin, "")


def _visit(
    node: Any,
    base: str,
    resolver: Resolver[Any],
    chain: list[str],
    on_path: dict[int, int],
    done: set[int],
    origin: str,
    pointer: str,
) -> None:
    if not isinstance(node, dict) or id(node) in done:
        return
    if id(node) in on_path:
        raise RefCycleError(
            [*chain[on_path[id(node)] :], chain[on_path[id(node)]]], f"{origin}#{pointer}"
        )
    on_path[id(node)] = len(chain)
    base = child_base(node, base)
    resolver = resolver.in_subresource(_subresource(node)) if "$id" in node else resolver
    ref = node.get("$ref")
    if isinstance(ref, str):
        resolved = resolver.lookup(ref)
        chain.append(ref)
        _visit(
            resolved.contents,
            base,
            resolved.resolver,
            chain,
            on_path,
            done,
            origin,
            pointer + "/$ref",
        )
        chain.pop()
    for child, child_pointer in children(node, pointer, IN_PLACE_KEYWORDS):
        _visit(child, base, resolver, chain, on_path, done, origin, child_pointer)
    del on_path[id(node)]
    done.add(id(node))


def _subresource(node: dict[str, Any]) -> Any:
    from referencing import Resource
    from referencing.jsonschema import DRAFT202012

    return Resource.from_contents(node, default_specification=DRAFT202012)
