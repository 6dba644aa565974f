"""What every lint rule needs: the (unchecked) schema set, ref resolution that never raises,
the subschemas that apply together (``allOf``/``$ref``), and validators for a subschema in place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import quote, urldefrag

from jsonschema.exceptions import ValidationError as JsonSchemaError
from referencing.exceptions import Unresolvable

from ..core.pointer import escape, resolve
from ..core.reference import reference_validator
from ..core.schemaset import PureSchemaSet, SchemaResource
from ..core.walk import child_base, iter_subschemas, join_uri
from .findings import Finding, Location, Severity

_FRAGMENT_SAFE = "/~!$&'()*+,;=:@"


@dataclass(frozen=True)
class Node:
    """One object subschema of one named schema, where it lives, and its base URI."""

    resource: SchemaResource
    schema: dict[str, Any]
    base: str
    pointer: str

    @property
    def location(self) -> Location:
        return Location(self.resource.name, self.pointer)

    def at(self, suffix: str) -> Location:
        return Location(self.resource.name, self.pointer + suffix)


@dataclass(frozen=True)
class Part:
    """A subschema that applies to the same instance as some node (itself, allOf, $ref)."""

    schema: dict[str, Any]
    base: str
    location: Location


@dataclass
class LintContext:
    schema_set: PureSchemaSet
    broken: set[str] = field(default_factory=set)  # resources failing the meta-schema

    # -- findings ---------------------------------------------------------------------
    def finding(
        self,
        rule: str,
        severity: Severity,
        location: Location,
        message: str,
        related: tuple[Location, ...] = (),
        witness: Any = None,
        *,
        as_written: bool = False,
    ) -> Finding:
        """A finding at ``location`` (in a schema's 2020-12 contents, which the rules walk;
        ``as_written=True``: already a place in the file), located as the file writes it."""
        resource = self.schema_set.resource(location.schema)
        path, _, inner = resource.origin.partition("#")
        if not as_written:
            location = self.written(location)
        return Finding(
            rule,
            severity,
            location,
            path,
            message,
            related=tuple(self.written(place) for place in related),
            witness=witness,
            file_pointer=inner + location.pointer,
        )

    def written(self, location: Location) -> Location:
        """``location`` (in a schema's 2020-12 contents) as the schema's file writes it:
        an older draft's ``items`` array is translated to ``prefixItems``, for one; what
        findings and their messages name."""
        resource = self.schema_set.resource(location.schema)
        return Location(location.schema, resource.written_pointer(location.pointer))

    # -- traversal --------------------------------------------------------------------
    def nodes(self) -> Iterator[Node]:
        for resource in self.schema_set.resources:
            if resource.name in self.broken:
                continue
            for schema, base, pointer in iter_subschemas(resource.contents, resource.uri):
                yield Node(resource, schema, base, pointer)

    # -- references -------------------------------------------------------------------
    def resolve(self, ref: str, base: str) -> Part | None:
        """The target of ``ref`` and its location, or None when it does not resolve."""
        uri, fragment = urldefrag(join_uri(base, ref))
        resource = self.schema_set.resource_for_uri(uri)
        if resource is None:
            return None
        if fragment and not fragment.startswith("/"):
            fragment = self._anchor(resource, fragment) or ""
            if not fragment:
                return None
        target = resolve(resource.contents, fragment, None)
        if target is True:
            target = {}
        if not isinstance(target, dict):
            return None
        return Part(target, child_base(target, uri), Location(resource.name, fragment))

    @staticmethod
    def _anchor(resource: SchemaResource, anchor: str) -> str | None:
        for schema, _base, pointer in iter_subschemas(resource.contents, resource.uri):
            if anchor in (schema.get("$anchor"), schema.get("$dynamicAnchor")):
                return pointer
        return None

    def parts(self, schema: dict[str, Any], base: str, location: Location) -> list[Part]:
        """``schema`` plus every subschema that must hold too: allOf members, $ref targets."""
        result: list[Part] = []
        seen: set[int] = set()
        stack = [Part(schema, base, location)]
        while stack:
            part = stack.pop()
            if id(part.schema) in seen:
                continue
            seen.add(id(part.schema))
            result.append(part)
            pending: list[Part] = []
            ref = part.schema.get("$ref")
            if isinstance(ref, str) and (target := self.resolve(ref, part.base)) is not None:
                pending.append(target)
            members = part.schema.get("allOf")
            if isinstance(members, list):
                for index, member in enumerate(members):
                    if isinstance(member, dict):
                        where = Location(
                            part.location.schema, f"{part.location.pointer}/allOf/{index}"
                        )
                        pending.append(Part(member, child_base(member, part.base), where))
            stack.extend(reversed(pending))
        return result

    def node_parts(self, node: Node) -> list[Part]:
        return self.parts(node.schema, node.base, node.location)

    def property_parts(self, parts: list[Part], name: str) -> list[Part]:
        """The schemas declared for property ``name`` across ``parts``."""
        found = []
        for part in parts:
            properties = part.schema.get("properties")
            if isinstance(properties, dict) and name in properties:
                sub = properties[name]
                if sub is True or sub == {}:
                    sub = {}
                if isinstance(sub, dict):
                    where = f"{part.location.pointer}/properties/{escape(name)}"
                    found.append(Part(sub, part.base, Location(part.location.schema, where)))
        return found

    # -- validation in place -----------------------------------------------------------
    @cached_property
    def _validators(self) -> dict[str, Any]:
        return {}

    def uri_of(self, location: Location) -> str:
        """An absolute URI for the subschema at ``location`` (usable as a ``$ref``)."""
        uri = self.schema_set.uri(location.schema)
        return uri + "#" + quote(location.pointer, safe=_FRAGMENT_SAFE)

    def validator_at(self, location: Location) -> Any:
        """A reference validator for the subschema at ``location``, refs resolving in place."""
        key = str(location)
        if key not in self._validators:
            self._validators[key] = reference_validator(
                {"$ref": self.uri_of(location)}, self.schema_set.registry
            )
        return self._validators[key]

    def errors_at(self, location: Location, document: Any) -> list[JsonSchemaError] | None:
        """Reference-validator errors of ``document`` at ``location``; None if the schema
        cannot be evaluated (a dangling ref on the way)."""
        try:
            return list(self.validator_at(location).iter_errors(document))
        except (Unresolvable, RecursionError):
            return None

    def accepts(self, location: Location, document: Any) -> bool | None:
        errors = self.errors_at(location, document)
        return None if errors is None else not errors
