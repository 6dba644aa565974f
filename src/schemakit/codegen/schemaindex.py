"""Questions about the synthetic root that the generator's output does not answer.

Given the path the generator reports for a class, find the schemas of one property
(its own and those of ``allOf`` parts and ``$ref`` targets), whether any of them admits
``null``, which default they declare, and whether the class forbids other properties.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

from ..core.pointer import tokens

_MAX_DEPTH = 64
_IN_PLACE = ("allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "$ref")


class _NoDefault:
    def __repr__(self) -> str:
        return "NO_DEFAULT"


class SchemaIndex:
    """Lookups in one synthetic root document (every ``$ref`` is ``#/...``)."""

    NO_DEFAULT: Final = _NoDefault()

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root

    def at(self, path: list[str]) -> Any:
        node: Any = self.root
        for token in path:
            if isinstance(node, list) and token.isdigit():
                node = node[int(token)]
            elif isinstance(node, dict):
                node = node.get(token)
            else:
                return None
        return node

    def resolve(self, ref: str) -> Any:
        if not ref.startswith("#"):
            return None
        return self.at(tokens(ref))

    def parts(self, node: Any) -> Iterator[dict[str, Any]]:
        """``node`` and everything it is combined with in place: allOf parts, $ref targets."""
        return self._parts(node)

    def _parts(self, node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
        """``node`` and everything it is combined with in place: allOf parts, $ref targets."""
        if not isinstance(node, dict) or depth > _MAX_DEPTH:
            return
        yield node
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield from self._parts(self.resolve(ref), depth + 1)
        for part in node.get("allOf") or []:
            yield from self._parts(part, depth + 1)

    def property_schemas(self, owner: dict[str, Any], key: str) -> list[Any]:
        """Every schema that applies to property ``key`` of an instance of ``owner``."""
        found = []
        for part in self._parts(owner):
            properties = part.get("properties")
            if isinstance(properties, dict) and key in properties:
                found.append(properties[key])
        return found

    def is_required(self, owner: dict[str, Any], key: str) -> bool:
        """Whether ``owner`` (or a part it is combined with) lists ``key`` as required."""
        return any(key in (part.get("required") or []) for part in self._parts(owner))

    def admits_null(self, schemas: list[Any]) -> bool:
        """Whether ``null`` can be the value (all schemas must accept it)."""
        return all(self._null_ok(schema, 0) for schema in schemas)

    def _null_ok(self, schema: Any, depth: int) -> bool:
        if isinstance(schema, bool):
            return schema
        if not isinstance(schema, dict) or depth > _MAX_DEPTH:
            return True
        checks: list[bool] = []
        declared = schema.get("type")
        if declared is not None:
            checks.append(declared == "null" or (isinstance(declared, list) and "null" in declared))
        if "const" in schema:
            checks.append(schema["const"] is None)
        if isinstance(schema.get("enum"), list):
            checks.append(None in schema["enum"])
        ref = schema.get("$ref")
        if isinstance(ref, str):
            checks.append(self._null_ok(self.resolve(ref), depth + 1))
        checks.extend(self._null_ok(part, depth + 1) for part in schema.get("allOf") or [])
        for keyword in ("oneOf", "anyOf"):
            branches = schema.get(keyword)
            if isinstance(branches, list):
                checks.append(any(self._null_ok(b, depth + 1) for b in branches))
        return all(checks)

    def default_of(self, schemas: list[Any]) -> Any:
        """The first ``default`` declared for the property, else ``NO_DEFAULT``."""
        for schema in schemas:
            for part in self._parts(schema):
                if "default" in part:
                    return part["default"]
        return self.NO_DEFAULT

    def is_closed(self, schema: dict[str, Any]) -> bool:
        """Whether the schema itself forbids properties it does not declare.

        Not when a pattern admits more keys, nor for ``unevaluatedProperties: false`` when
        parts applied in place (whose properties count as evaluated) may declare others.
        """
        if "patternProperties" in schema:
            return False
        if schema.get("additionalProperties") is False:
            return True
        return schema.get("unevaluatedProperties") is False and not any(
            key in schema for key in _IN_PLACE
        )
