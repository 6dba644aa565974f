"""The operations of an OpenAPI document as schemas that can be compared like components.

Each operation contributes *slots*, one schema each: its parameters (one object schema whose
properties are ``<in>:<name>``, required ones listed as required; path parameters are named
by position, so ``/pets/{id}`` and ``/pets/{petId}`` are the same operation), each request
body media type, and each response status + media type. A slot is added to the schema set as
an extra resource, so validators, bundles and strategies work on it as on any component.
Slots are paired across versions by method + path template (with parameter names erased) +
slot. What a slot is used for decides which direction breaks clients: a narrowed request or
parameter set refuses requests that were valid; a widened response returns documents that
clients built for the old one do not expect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..core.errors import SchemaLoadError
from ..core.pointer import MISSING, escape, resolve
from ..core.schemaset import SYNTHETIC_BASE, PureSchemaSet, SchemaResource
from ..load.checks import check_schema_set
from ..load.jsonio import load_file
from ..load.loader import rewrite_component_refs
from ..load.openapi import convert_30_schema, openapi3, openapi_version

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_TEMPLATE_PARAMETER = re.compile(r"\{([^}/]*)\}")
_MAX_REF_HOPS = 16


@dataclass(frozen=True)
class Slot:
    """One schema of one operation: its parameters, a request body or a response body."""

    key: str  # pairs slots across versions: "POST /pets/{} request application/json"
    name: str  # the resource name in the extended set, as the document spells the path
    operation: str  # "POST /pets/{petId}"
    operation_key: str  # "POST /pets/{}"
    use: str  # "request" or "response"


@dataclass(frozen=True)
class Operations:
    """The operations of one version: slots by key, and facts compared without witnesses."""

    slots: dict[str, Slot]
    operations: dict[str, str]  # operation key -> operation as written
    body_required: dict[str, bool]  # operation key -> requestBody.required


NO_OPERATIONS = Operations({}, {}, {})


def with_operations(schema_set: PureSchemaSet) -> tuple[PureSchemaSet, Operations]:
    """The set plus one resource per operation slot, when its source is an OpenAPI document."""
    path = Path(schema_set.source)
    if not path.is_file():
        return schema_set, NO_OPERATIONS
    found = openapi3(load_file(path), str(path))  # a Swagger 2.0 document as 3.0
    document = found.document if found is not None else None
    version = openapi_version(document)
    if version is None or not isinstance(document, dict):
        return schema_set, NO_OPERATIONS
    reader = _Reader(document, path, version, schema_set)
    reader.read()
    if not reader.resources:
        return schema_set, reader.operations()
    extended = schema_set.with_resources(reader.resources)
    check_schema_set(extended)
    return extended, reader.operations()


def operation_key(method: str, template: str) -> str:
    return f"{method.upper()} {_TEMPLATE_PARAMETER.sub('{}', template)}"


@dataclass(frozen=True)
class _Operation:
    """One operation as the document has it: under its path item, at ``pointer``."""

    template: str  # the path as written: "/pets/{petId}"
    method: str
    item: dict[str, Any]  # the path item (its parameters apply to every operation)
    operation: dict[str, Any]
    pointer: str

    @property
    def key(self) -> str:
        return operation_key(self.method, self.template)

    @property
    def written(self) -> str:
        return f"{self.method.upper()} {self.template}"

    def slot(self, label: str, use: str) -> Slot:
        """The operation's slot ``label`` ("parameters", "request application/json", ...)."""
        return Slot(f"{self.key} {label}", f"{self.written} {label}", self.written, self.key, use)


class _Reader:
    def __init__(
        self, document: dict[str, Any], path: Path, version: str, schema_set: PureSchemaSet
    ) -> None:
        self.document = document
        self.path = path
        self.convert = version.startswith("3.0")
        self.uri_of = {name: schema_set.uri(name) for name in schema_set.names}
        self.taken = set(schema_set.names)
        self.resources: list[SchemaResource] = []
        self.slots: dict[str, Slot] = {}
        self.ops: dict[str, str] = {}
        self.body_required: dict[str, bool] = {}

    def operations(self) -> Operations:
        return Operations(self.slots, self.ops, self.body_required)

    def read(self) -> None:
        paths = self.document.get("paths") or {}
        if not isinstance(paths, dict):
            raise SchemaLoadError("paths is not a mapping", f"{self.path}#/paths")
        for template, raw_item in paths.items():
            item, item_pointer = self.deref(raw_item, f"/paths/{escape(str(template))}")
            if not isinstance(item, dict):
                continue
            for method in METHODS:
                operation = item.get(method)
                if isinstance(operation, dict):
                    where = f"{item_pointer}/{method}"
                    self.read_operation(_Operation(str(template), method, item, operation, where))

    def deref(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow ``$ref``s between OpenAPI objects (parameters, bodies, responses)."""
        for _hop in range(_MAX_REF_HOPS):
            ref = node.get("$ref") if isinstance(node, dict) else None
            if not isinstance(ref, str):
                return node, pointer
            if not ref.startswith("#"):
                raise SchemaLoadError(
                    f"only local refs between OpenAPI objects are supported, not {ref!r}",
                    f"{self.path}#{pointer}",
                )
            target = resolve(self.document, ref[1:])
            if target is MISSING:
                raise SchemaLoadError(f"$ref {ref!r} points at nothing", f"{self.path}#{pointer}")
            node, pointer = target, ref[1:]
        raise SchemaLoadError("$refs between OpenAPI objects loop", f"{self.path}#{pointer}")

    def read_operation(self, op: _Operation) -> None:
        key, pointer = op.key, op.pointer
        self.ops[key] = op.written
        self.read_parameters(op)
        body, body_pointer = self.deref(op.operation.get("requestBody"), f"{pointer}/requestBody")
        if isinstance(body, dict):
            self.body_required[key] = body.get("required") is True
            for media, schema, where in self.media(body, body_pointer):
                self.add(op.slot(f"request {media}", "request"), schema, where)
        responses = op.operation.get("responses") or {}
        for status, raw in responses.items() if isinstance(responses, dict) else ():
            where = f"{pointer}/responses/{escape(str(status))}"
            response, response_pointer = self.deref(raw, where)
            if not isinstance(response, dict):
                continue
            for media, schema, schema_where in self.media(response, response_pointer):
                slot = op.slot(f"response {status} {media}", "response")
                self.add(slot, schema, schema_where)

    def media(self, holder: dict[str, Any], pointer: str) -> list[tuple[str, Any, str]]:
        content = holder.get("content") or {}
        found = []
        for media, entry in content.items() if isinstance(content, dict) else ():
            if isinstance(entry, dict) and "schema" in entry:
                found.append(
                    (str(media), entry["schema"], f"{pointer}/content/{escape(str(media))}/schema")
                )
        return found

    def read_parameters(self, op: _Operation) -> None:
        positions = {
            name: index for index, name in enumerate(_TEMPLATE_PARAMETER.findall(op.template))
        }
        declared: dict[str, tuple[Any, bool]] = {}
        item_pointer = op.pointer.rsplit("/", 1)[0]
        for owner, owner_pointer in ((op.item, item_pointer), (op.operation, op.pointer)):
            parameters = owner.get("parameters") or []
            for index, raw in enumerate(parameters if isinstance(parameters, list) else ()):
                parameter, where = self.deref(raw, f"{owner_pointer}/parameters/{index}")
                if not isinstance(parameter, dict):
                    continue
                place, name = str(parameter.get("in", "")), str(parameter.get("name", ""))
                if place == "path":
                    name = f"{{{positions.get(name, name)}}}"
                elif place == "header":
                    name = name.lower()  # header names are case-insensitive
                schema = parameter.get("schema", True)
                for _media, media_schema, _where in self.media(parameter, where):
                    schema = media_schema
                declared[f"{place}:{name}"] = (
                    schema,
                    place == "path" or parameter.get("required") is True,
                )
        if not declared:
            return
        schema = {
            "type": "object",
            "properties": {name: schema for name, (schema, _) in declared.items()},
            "required": sorted(name for name, (_, required) in declared.items() if required),
        }
        self.add(op.slot("parameters", "request"), schema, f"{op.pointer}/parameters")

    def add(self, slot: Slot, schema: Any, where: str) -> None:
        if not isinstance(schema, (dict, bool)) or slot.name in self.taken:
            return
        self.taken.add(slot.name)
        if self.convert:
            schema = convert_30_schema(schema)
        uri = f"{SYNTHETIC_BASE}{quote(self.path.name)}/operations/{quote(slot.name, safe='')}"
        if isinstance(schema, dict):
            schema = rewrite_component_refs(schema, self.uri_of, uri)
        self.resources.append(SchemaResource(slot.name, uri, f"{self.path}#{where}", schema))
        self.slots[slot.key] = slot
