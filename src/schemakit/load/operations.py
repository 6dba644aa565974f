"""Read the operations of an OpenAPI 3.0/3.1 document into ``core.operations`` values.

Every schema an operation uses becomes a resource name: a bare
``{"$ref": "#/components/schemas/Name"}`` is the component ``Name`` itself; any other
schema is registered as a resource of its own, named after the operation
(``getTask.response.200``, ``createTask.request``, ``listTasks.query.count``), so traffic
is checked by the set's validators with their usual explanations. Local ``$ref``s to
``components.parameters/responses/requestBodies/headers`` are followed here; the loader
makes the component refs inside the new resources absolute, as it does for components.

A schema directory may keep its operations in ``operations/*.yaml`` (OpenAPI documents
without ``components.schemas``, whose schema refs name the directory's schemas).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from ..core.errors import SchemaLoadError
from ..core.operations import (
    DEFAULT_STYLES,
    Deployment,
    MediaType,
    Operation,
    Operations,
    Parameter,
    RequestBody,
    Response,
)
from ..core.origins import written_pointer
from ..core.pointer import MISSING, escape, format_pointer, fragment_tokens, resolve
from ..core.schemaset import SYNTHETIC_BASE, SchemaResource
from .openapi import component_ref, convert_30, openapi_version

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
DEPLOYMENTS_KEY = "x-schemakit-deployments"
_MAX_REF_HOPS = 32


@dataclass
class OperationsRead:
    """What one document contributes: its operations and the inline schemas they use."""

    operations: list[Operation] = field(default_factory=list)
    resources: list[SchemaResource] = field(default_factory=list)
    deployments: list[Deployment] = field(default_factory=list)

    def extend(self, other: OperationsRead) -> None:
        self.operations += other.operations
        self.resources += other.resources
        self.deployments += other.deployments

    def value(self) -> Operations:
        return Operations(tuple(self.operations), tuple(self.deployments))


def read_operations(
    document: dict[str, Any],
    where: str,
    component_names: set[str],
    origins: Mapping[str, str] | None = None,
) -> OperationsRead:
    """The operations of ``document`` (read from ``where``); schema refs may name any of
    ``component_names``. ``origins``: where the places of a translated document (Swagger
    2.0) are written, so what is reported names the user's file."""
    version = openapi_version(document) or ""
    convert: Callable[[Any], tuple[Any, dict[str, str]]] = (
        convert_30 if version.startswith("3.0") else (lambda schema: (schema, {}))
    )
    reader = _Reader(document, where, component_names, convert, origins or {})
    paths = document.get("paths") or {}
    if not isinstance(paths, dict):
        raise SchemaLoadError("paths is not a mapping", f"{where}#/paths")
    found = OperationsRead(deployments=_deployments(document, where))
    root_servers = _servers(document.get("servers"), where, "/servers")
    for path, item in paths.items():
        item_pointer = f"/paths/{escape(path)}"
        item, item_pointer = reader.follow(item, item_pointer)
        if not isinstance(item, dict):
            raise SchemaLoadError("a path item must be a mapping", reader.at(item_pointer))
        path_servers = _servers(item.get("servers"), where, item_pointer + "/servers")
        shared = reader.parameters(item.get("parameters"), item_pointer + "/parameters")
        for method in (m for m in item if m in HTTP_METHODS):
            pointer = f"{item_pointer}/{method}"
            node, _ = reader.follow(item[method], pointer)
            if not isinstance(node, dict):
                raise SchemaLoadError("an operation must be a mapping", reader.at(pointer))
            servers = _servers(node.get("servers"), where, pointer + "/servers")
            found.operations.append(
                reader.build(
                    str(path),
                    method,
                    node,
                    pointer,
                    shared,
                    servers or path_servers or root_servers,
                )
            )
    found.resources = list(reader.resources.values())
    return found


def _servers(value: Any, where: str, pointer: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(
        isinstance(s, dict) and isinstance(s.get("url"), str) for s in value
    ):
        raise SchemaLoadError("servers must be a list of objects with a url", f"{where}#{pointer}")
    return tuple(str(server["url"]) for server in value)


def _deployments(document: dict[str, Any], where: str) -> list[Deployment]:
    value = document.get(DEPLOYMENTS_KEY) or []
    pointer = f"{where}#/{DEPLOYMENTS_KEY}"
    if not isinstance(value, list):
        raise SchemaLoadError("must be a list of {url, path} objects", pointer)
    result = []
    for index, entry in enumerate(value):
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("url"), str)
            and isinstance(entry.get("path"), str)
        ):
            raise SchemaLoadError("a deployment needs a url and a path", f"{pointer}/{index}")
        result.append(Deployment(entry["url"], entry["path"], str(entry.get("description", ""))))
    return result


class _Reader:
    """Follows local refs and names schemas for one document."""

    def __init__(
        self,
        document: dict[str, Any],
        where: str,
        component_names: set[str],
        convert: Callable[[Any], tuple[Any, dict[str, str]]],
        origins: Mapping[str, str],
    ) -> None:
        self.document = document
        self.origins = origins
        self.where = where
        self.component_names = component_names
        self.convert = convert
        self.base = SYNTHETIC_BASE + quote(where.rsplit("/", 1)[-1]) + "/operations/"
        self.resources: dict[str, SchemaResource] = {}
        self.labels: set[str] = set()

    def written(self, pointer: str) -> str:
        """``pointer`` as the user's file has it (it differs in a translated document)."""
        return written_pointer(self.origins, pointer).pointer

    def at(self, pointer: str) -> str:
        return f"{self.where}#{self.written(pointer)}"

    # -- references ----------------------------------------------------------------
    def follow(self, node: Any, pointer: str) -> tuple[Any, str]:
        """The object a (chain of) local ``$ref`` leads to, and its pointer."""
        for _hop in range(_MAX_REF_HOPS):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                return node, pointer
            ref = node["$ref"]
            if not ref.startswith("#/"):
                raise SchemaLoadError(
                    f"cannot resolve $ref {ref!r}: only refs inside the document are read for "
                    "operations",
                    self.at(pointer),
                )
            node, pointer = self._lookup(ref, pointer), format_pointer(fragment_tokens(ref[1:]))
        raise SchemaLoadError("$ref chain too long (a loop?)", self.at(pointer))

    def _lookup(self, ref: str, pointer: str) -> Any:
        found = resolve(self.document, "/".join(["", *map(escape, fragment_tokens(ref[1:]))]))
        if found is MISSING:
            raise SchemaLoadError(
                f"cannot resolve $ref {ref!r}: no such location", self.at(pointer)
            )
        return found

    # -- schemas -------------------------------------------------------------------
    def schema(self, schema: Any, pointer: str, name: str) -> str | None:
        """The resource name for a schema used by an operation (registering it if inline)."""
        if schema is None:
            return None
        if isinstance(schema, dict) and set(schema) == {"$ref"}:
            found = component_ref(schema["$ref"]) if isinstance(schema["$ref"], str) else None
            if found is not None and not found[1] and found[0] in self.component_names:
                return found[0]
        if not isinstance(schema, (dict, bool)):
            raise SchemaLoadError("a schema must be an object or a boolean", self.at(pointer))
        if name in self.component_names or name in self.resources:
            raise SchemaLoadError(
                f"the operation's schema name {name!r} is taken (rename the operation)",
                self.at(pointer),
            )
        contents, moved = self.convert(schema)
        self.resources[name] = SchemaResource(
            name,
            self.base + quote(name, safe=""),
            self.at(pointer),
            contents,
            from_operation=True,
            origins=tuple(moved.items()),
        )
        return name

    def content(self, value: Any, pointer: str, name: str) -> tuple[MediaType, ...]:
        if value is None:
            return ()
        if not isinstance(value, dict):
            raise SchemaLoadError("content must be a mapping", self.at(pointer))
        result = []
        for index, (media_type, entry) in enumerate(value.items()):
            entry_pointer = f"{pointer}/{escape(str(media_type))}"
            if not isinstance(entry, dict):
                raise SchemaLoadError(
                    "a media type entry must be a mapping", self.at(entry_pointer)
                )
            schema_name = name if index == 0 else f"{name}.{str(media_type).lower()}"
            schema = self.schema(entry.get("schema"), entry_pointer + "/schema", schema_name)
            result.append(MediaType(str(media_type).lower(), schema))
        return tuple(result)

    # -- parameters ----------------------------------------------------------------
    def parameters(self, value: Any, pointer: str) -> dict[tuple[str, str], tuple[Any, str]]:
        """``(in, name) -> (raw parameter, pointer)``; raw until the operation names them."""
        if value is None:
            return {}
        if not isinstance(value, list):
            raise SchemaLoadError("parameters must be a list", self.at(pointer))
        result: dict[tuple[str, str], tuple[Any, str]] = {}
        for index, raw in enumerate(value):
            node, node_pointer = self.follow(raw, f"{pointer}/{index}")
            if not (
                isinstance(node, dict)
                and isinstance(node.get("name"), str)
                and node.get("in") in DEFAULT_STYLES
            ):
                raise SchemaLoadError(
                    "a parameter needs a name and an 'in' of path, query, header or cookie",
                    self.at(node_pointer),
                )
            key = (node["in"], node["name"].lower() if node["in"] == "header" else node["name"])
            result[key] = (node, node_pointer)
        return result

    def parameter(self, node: dict[str, Any], pointer: str, location: str, name: str) -> Parameter:
        style, explode = DEFAULT_STYLES[location]
        style = str(node.get("style", style))
        explode = bool(node.get("explode", style == "form"))
        content_type = None
        if "content" in node:
            media = self.content(node["content"], pointer + "/content", name)
            schema = media[0].schema if media else None
            content_type = media[0].media_type if media else None
        else:
            schema = self.schema(node.get("schema"), pointer + "/schema", name)
        return Parameter(
            name=str(node.get("name", "")),
            location=location,
            required=bool(node.get("required", False)) or location == "path",
            schema=schema,
            style=style,
            explode=explode,
            content_type=content_type,
            pointer=self.written(pointer),
        )

    # -- operations ----------------------------------------------------------------
    def label(self, path: str, method: str, node: dict[str, Any]) -> str:
        """The name its schemas are registered under: operationId, unless already taken."""
        operation_id = node.get("operationId")
        label = operation_id if isinstance(operation_id, str) and operation_id else ""
        if not label or label in self.labels:
            label = f"{method.upper()} {path}"
        self.labels.add(label)
        return label

    def build(
        self,
        path: str,
        method: str,
        node: dict[str, Any],
        pointer: str,
        shared: dict[tuple[str, str], tuple[Any, str]],
        servers: tuple[str, ...],
    ) -> Operation:
        label = self.label(path, method, node)
        own = self.parameters(node.get("parameters"), pointer + "/parameters")
        merged = {**shared, **own}  # an operation's parameter overrides the path item's
        parameters = tuple(
            self.parameter(raw, raw_pointer, location, f"{label}.{location}.{raw.get('name')}")
            for (location, _key), (raw, raw_pointer) in merged.items()
        )
        operation_id = node.get("operationId")
        return Operation(
            method=method.upper(),
            path=path,
            operation_id=operation_id if isinstance(operation_id, str) else None,
            parameters=parameters,
            request_body=self.request_body(
                node.get("requestBody"), pointer + "/requestBody", label
            ),
            responses=tuple(self.responses(node.get("responses"), pointer + "/responses", label)),
            servers=servers,
            origin=self.at(pointer),
            summary=str(node.get("summary", "")),
        )

    def request_body(self, raw: Any, pointer: str, label: str) -> RequestBody | None:
        if raw is None:
            return None
        node, node_pointer = self.follow(raw, pointer)
        if not isinstance(node, dict):
            raise SchemaLoadError("requestBody must be a mapping", self.at(node_pointer))
        content = self.content(node.get("content"), node_pointer + "/content", f"{label}.request")
        return RequestBody(bool(node.get("required", False)), content)

    def responses(self, raw: Any, pointer: str, label: str) -> Iterator[Response]:
        if raw is None:
            return
        if not isinstance(raw, dict):
            raise SchemaLoadError("responses must be a mapping", self.at(pointer))
        for status, entry in raw.items():
            status = str(status)
            entry_pointer = f"{pointer}/{escape(status)}"
            ref = entry.get("$ref") if isinstance(entry, dict) else None
            node, node_pointer = self.follow(entry, entry_pointer)
            if not isinstance(node, dict):
                raise SchemaLoadError("a response must be a mapping", self.at(node_pointer))
            name = f"{label}.response.{status}"
            yield Response(
                status=status,
                description=str(node.get("description", "")),
                content=self.content(node.get("content"), node_pointer + "/content", name),
                headers=self.headers(node.get("headers"), node_pointer + "/headers", name),
                ref=ref if isinstance(ref, str) else None,
                pointer=self.written(entry_pointer),
            )

    def headers(self, raw: Any, pointer: str, name: str) -> tuple[Parameter, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, dict):
            raise SchemaLoadError("headers must be a mapping", self.at(pointer))
        result = []
        for header, entry in raw.items():
            if str(header).lower() == "content-type":
                continue  # described by the content map, ignored here as OpenAPI says
            node, node_pointer = self.follow(entry, f"{pointer}/{escape(str(header))}")
            if not isinstance(node, dict):
                raise SchemaLoadError("a header must be a mapping", self.at(node_pointer))
            parameter = self.parameter(
                {**node, "name": str(header)}, node_pointer, "header", f"{name}.header.{header}"
            )
            result.append(parameter)
        return tuple(result)
