"""Keyword-aware traversal of a draft 2020-12 schema.

Only positions that hold subschemas are visited, so a property *named* ``default`` or
``$ref`` is walked as a schema while the value of the ``default`` keyword is not.
The effective base URI is tracked through nested ``$id``s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urldefrag, urljoin

from .pointer import escape

Schema = dict[str, Any] | bool
Visit = tuple[dict[str, Any], str, str]  # (subschema, base URI, JSON pointer)


def _single(value: Any, pointer: str) -> Iterator[tuple[Any, str]]:
    yield value, pointer


def _array(value: Any, pointer: str) -> Iterator[tuple[Any, str]]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield item, f"{pointer}/{index}"


def _single_or_array(value: Any, pointer: str) -> Iterator[tuple[Any, str]]:
    yield from (_array if isinstance(value, list) else _single)(value, pointer)


def _mapping(value: Any, pointer: str) -> Iterator[tuple[Any, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield item, f"{pointer}/{escape(key)}"


# keyword -> how its value holds subschemas
SUBSCHEMA_KEYWORDS: dict[str, Callable[[Any, str], Iterator[tuple[Any, str]]]] = {
    "additionalProperties": _single,
    "propertyNames": _single,
    "contains": _single,
    "not": _single,
    "if": _single,
    "then": _single,
    "else": _single,
    "unevaluatedItems": _single,
    "unevaluatedProperties": _single,
    "additionalItems": _single,
    "items": _single_or_array,
    "allOf": _array,
    "anyOf": _array,
    "oneOf": _array,
    "prefixItems": _array,
    "properties": _mapping,
    "patternProperties": _mapping,
    "$defs": _mapping,
    "definitions": _mapping,
    "dependentSchemas": _mapping,
}

# Applicators that apply their subschemas to the *same* instance location.
IN_PLACE_KEYWORDS: dict[str, Callable[[Any, str], Iterator[tuple[Any, str]]]] = {
    "allOf": _array,
    "anyOf": _array,
    "oneOf": _array,
    "not": _single,
    "if": _single,
    "then": _single,
    "else": _single,
    "dependentSchemas": _mapping,
}


def join_uri(base: str, ref: str) -> str:
    """``ref`` made absolute against ``base``: RFC 3986, and a fragment-only ``ref`` also
    against bases ``urljoin`` leaves alone (``urn:uuid:...``)."""
    if ref.startswith("#"):
        return urldefrag(base)[0] + ref
    return urljoin(base, ref)


def child_base(schema: dict[str, Any], base: str) -> str:
    identifier = schema.get("$id")
    if isinstance(identifier, str):
        return urldefrag(join_uri(base, identifier))[0]
    return base


def children(schema: dict[str, Any], pointer: str, table: Any = None) -> Iterator[tuple[Any, str]]:
    for keyword, walker in (table or SUBSCHEMA_KEYWORDS).items():
        if keyword in schema:
            yield from walker(schema[keyword], f"{pointer}/{escape(keyword)}")


def iter_subschemas(schema: Any, base: str, pointer: str = "") -> Iterator[Visit]:
    """Every object subschema (depth first, document order) with its base URI and pointer."""
    stack: list[tuple[Any, str, str]] = [(schema, base, pointer)]
    while stack:
        node, node_base, node_pointer = stack.pop()
        if not isinstance(node, dict):
            continue
        node_base = child_base(node, node_base)
        yield node, node_base, node_pointer
        stack.extend(
            (child, node_base, child_pointer)
            for child, child_pointer in reversed(list(children(node, node_pointer)))
        )


def iter_refs(schema: Any, base: str) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """Every ``$ref`` / ``$dynamicRef``: (reference, base URI, pointer of the keyword, node)."""
    for node, node_base, pointer in iter_subschemas(schema, base):
        for keyword in ("$ref", "$dynamicRef"):
            ref = node.get(keyword)
            if isinstance(ref, str):
                yield ref, node_base, f"{pointer}/{escape(keyword)}", node


def too_deep(value: Any, limit: int) -> str | None:
    """JSON pointer of the first container nested more than ``limit`` levels, else None.

    Iterative, so it answers for values that recursive code (``copy.deepcopy``, the
    meta-schema check) would die on.
    """
    stack: list[tuple[Any, str, int]] = [(value, "", 1)]
    while stack:
        node, pointer, depth = stack.pop()
        if isinstance(node, dict):
            items: Any = ((escape(str(key)), item) for key, item in node.items())
        elif isinstance(node, list):
            items = enumerate(node)
        else:
            continue
        if depth > limit:
            return pointer
        stack.extend((item, f"{pointer}/{token}", depth + 1) for token, item in items)
    return None
