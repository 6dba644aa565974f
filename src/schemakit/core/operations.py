"""The operations of an OpenAPI document, as immutable values carried by a ``SchemaSet``.

An operation names its schemas (parameters, bodies, headers) by the name of a resource in
the set, never by a dict: the set's validators then check traffic with the same bundles
and the same explanations as ``schemakit validate``. The values are built by
``schemakit.load.operations`` and read by the traffic checker, the linter and the diff.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

# Where a parameter goes -> (default style, default explode), as OpenAPI 3 defines them.
DEFAULT_STYLES: dict[str, tuple[str, bool]] = {
    "path": ("simple", False),
    "query": ("form", True),
    "header": ("simple", False),
    "cookie": ("form", True),
}


@dataclass(frozen=True)
class MediaType:
    """One entry of a ``content`` map: a media type range and the schema of its body."""

    media_type: str  # as declared, lower-cased: "application/json", "image/*", "*/*"
    schema: str | None  # resource name in the set; None when no schema is declared


@dataclass(frozen=True)
class Parameter:
    """A path, query, header or cookie parameter (a response header is one "in" header)."""

    name: str
    location: str  # "path" | "query" | "header" | "cookie"
    required: bool
    schema: str | None  # resource name of the value's schema
    style: str
    explode: bool
    content_type: str | None = None  # set when declared with ``content`` (value is e.g. JSON)
    pointer: str = ""  # where it is declared, in the document

    @property
    def key(self) -> tuple[str, str]:
        """Identity within an operation: header names are case-insensitive."""
        name = self.name.lower() if self.location == "header" else self.name
        return (self.location, name)


@dataclass(frozen=True)
class RequestBody:
    required: bool
    content: tuple[MediaType, ...]


@dataclass(frozen=True)
class Response:
    """The response declared for a status code, a range (``4XX``) or ``default``."""

    status: str  # as declared: "200", "4XX", "default"
    description: str
    content: tuple[MediaType, ...]
    headers: tuple[Parameter, ...]
    ref: str | None = None  # the ``$ref`` as written, when the response is a reference
    pointer: str = ""  # where it is declared, in the document


@dataclass(frozen=True)
class Operation:
    method: str  # upper case: "GET"
    path: str  # the path template as declared: "/batch/v2/process/{taskId}"
    operation_id: str | None
    parameters: tuple[Parameter, ...]  # path-level ones merged in, operation-level ones win
    request_body: RequestBody | None
    responses: tuple[Response, ...]
    servers: tuple[str, ...]  # effective server URLs (operation, else path, else document)
    origin: str  # "file#/paths/~1pets/get"
    summary: str = ""

    @property
    def label(self) -> str:
        """``operationId``, or ``METHOD /path`` when the document gives none."""
        return self.operation_id or f"{self.method} {self.path}"

    def response(self, status: str) -> Response | None:
        """The response declared exactly under ``status`` ("200", "4XX", "default")."""
        wanted = status.upper()
        return next((r for r in self.responses if r.status.upper() == wanted), None)


@dataclass(frozen=True)
class Deployment:
    """A URL prefix the API is served under, and the document path prefix it stands for.

    ``https://services.sentinel-hub.com/api/v2/batch`` serves what the document calls
    ``/batch/v2``: a request for ``.../api/v2/batch/process`` is ``/batch/v2/process``.
    """

    url: str
    path: str
    description: str = ""


@dataclass(frozen=True)
class Operations:
    """Every operation of a set (document order) and the deployments it is known under."""

    items: tuple[Operation, ...] = ()
    deployments: tuple[Deployment, ...] = ()

    def __iter__(self) -> Iterator[Operation]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def get(self, label: str) -> Operation | None:
        """The operation with this ``operationId`` (or ``METHOD /path`` label)."""
        return next((op for op in self.items if op.label == label), None)

    def body_schemas(self) -> tuple[str, ...]:
        """The schema names of every request and response body, each once, in document
        order (components and the operations' own ``createTask.request``-style names)."""
        names: dict[str, None] = {}
        for operation in self.items:
            bodies = operation.request_body.content if operation.request_body else ()
            for response in operation.responses:
                bodies += response.content
            names.update((media.schema, None) for media in bodies if media.schema is not None)
        return tuple(names)


NO_OPERATIONS = Operations()
