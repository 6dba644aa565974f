"""Check one exchange against the set's operations; every problem is a ``TrafficIssue``.

The request is checked first (path, method, parameters, body), then the response (status,
headers, content type, body). Bodies and parameter values go through the set's validators,
so a body's issues read exactly as ``schemakit validate`` prints them; what is not a schema
question (an undocumented status, a body where none is declared) has a rule of its own.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from ..core.operations import Deployment, MediaType, Operation, Parameter, Response
from ..core.pointer import escape
from ..core.schemaset import PureSchemaSet
from ..validate.validator import validator_for
from .bodies import NOT_A_DOCUMENT, BodyError, read_body
from .exchange import ContentEncodingError, Exchange, Headers, content_bytes, header
from .kinds import ANY, Kinds, kinds_of
from .match import Matched, Router, match_media, match_response
from .pages import page_resource
from .params import MISSING, StyleError, content_value, cookie_pairs, header_value, path_value
from .params import query_value as query_param

# Request headers OpenAPI says a parameter must not describe.
_IGNORED_HEADERS = {"accept", "content-type", "authorization"}


@dataclass(frozen=True)
class TrafficIssue:
    """One problem with an exchange: which part, where in it, what, and the rule."""

    part: str  # "request.query", "response.body", ...
    pointer: str  # JSON pointer inside that part ("/count", "/data/0/status")
    message: str
    rule: str  # a JSON Schema keyword, or a traffic rule such as "undocumented-status"
    schema_name: str | None = None
    rule_location: str = ""
    value: Any = None

    @property
    def where_in_schema(self) -> str:
        return f"{self.schema_name or ''}#{self.rule_location}"

    @property
    def rule_text(self) -> str:
        return self.where_in_schema if self.schema_name else self.rule

    def __str__(self) -> str:
        return (
            f"{self.part}#{self.pointer}: {self.message}"
            if self.pointer
            else (f"{self.part}: {self.message}")
        )

    def to_dict(self) -> dict[str, Any]:
        result = {"part": self.part, "pointer": self.pointer, "message": self.message}
        result["rule"] = self.rule
        if self.schema_name:
            result["schema"] = self.where_in_schema
        return result


@dataclass(frozen=True)
class ExchangeResult:
    exchange: Exchange
    operation: Operation | None
    response: Response | None  # the declared response the status matched
    issues: tuple[TrafficIssue, ...]
    # matched no operation, and is a web page's own resource: what kind ("script"), else ""
    skipped: str = ""

    @property
    def valid(self) -> bool:
        return self.operation is not None and not self.issues

    def to_dict(self) -> dict[str, Any]:
        exchange = self.exchange
        return {
            "source": exchange.source,
            "index": exchange.index,
            "location": exchange.location,
            "method": exchange.method,
            "url": exchange.url,
            "status": exchange.status,
            "operation": self.operation.label if self.operation else None,
            "valid": None if self.skipped else self.valid,
            "errors": [issue.to_dict() for issue in self.issues],
            **({"skipped": self.skipped} if self.skipped else {}),
        }


class TrafficChecker:
    """Checks exchanges against one schema set (built once, reused for every exchange)."""

    def __init__(self, schema_set: PureSchemaSet, servers: Sequence[Deployment] = ()) -> None:
        self.schema_set = schema_set
        servers = tuple(servers)
        self.router = schema_set.memo(
            ("traffic.router", servers), lambda: Router(schema_set.operations, servers)
        )

    def kinds(self, name: str | None) -> Kinds:
        if name is None:
            return ANY
        return kinds_of(self.schema_set, name)

    def check(self, exchange: Exchange) -> ExchangeResult:
        found = self.router.match(exchange.method, exchange.url)
        if not isinstance(found, Matched):
            issue = TrafficIssue("request.path", "", found.message, found.rule)
            preflight = header(exchange.request_headers, "access-control-request-method")
            if found.rule == "unknown-method" and exchange.method == "OPTIONS" and preflight:
                # a browser's CORS check, answered by middleware the document rarely declares
                message = f"a CORS preflight for {preflight.strip().upper()}: {found.message}"
                issue = TrafficIssue("request.path", "", message, "cors-preflight")
            return ExchangeResult(exchange, None, None, (issue,), page_resource(exchange))
        operation = found.operation
        issues = list(self._request(exchange, found))
        if exchange.status < 100:  # HAR's 0: failed, blocked or cancelled before an answer
            issues.append(
                TrafficIssue(
                    "response.status",
                    "",
                    f"no response was recorded (status {exchange.status}: the request failed "
                    "or was cancelled)",
                    "no-response",
                    value=exchange.status,
                )
            )
            return ExchangeResult(exchange, operation, None, tuple(issues))
        response = match_response(operation, exchange.status)
        if response is None:
            documented = ", ".join(r.status for r in operation.responses) or "none"
            issues.append(
                TrafficIssue(
                    "response.status",
                    "",
                    f"status {exchange.status} is not documented for {operation.label} "
                    f"(documented: {documented})",
                    "undocumented-status",
                    value=exchange.status,
                )
            )
        else:
            issues.extend(self._response(exchange, operation, response))
        return ExchangeResult(exchange, operation, response, tuple(issues))

    # -- values through the set's validators --------------------------------------------
    def _validate(
        self, schema: str | None, value: Any, part: str, prefix: str
    ) -> Iterator[TrafficIssue]:
        if schema is None:
            return
        for issue in validator_for(self.schema_set, schema).errors(value):
            yield TrafficIssue(
                part,
                prefix + issue.pointer,
                issue.message,
                issue.rule,
                issue.schema_name,
                issue.rule_location,
                issue.value,
            )

    # -- request -------------------------------------------------------------------------
    def _request(self, exchange: Exchange, found: Matched) -> Iterator[TrafficIssue]:
        operation = found.operation
        query = parse_qsl(urlsplit(exchange.url).query, keep_blank_values=True)
        cookies = cookie_pairs(header(exchange.request_headers, "cookie"))
        for parameter in operation.parameters:
            if parameter.location == "header" and parameter.name.lower() in _IGNORED_HEADERS:
                continue
            part, pointer = _place(parameter)
            kinds = self.kinds(parameter.schema)
            try:
                if parameter.content_type:  # the whole value is, e.g., a JSON text
                    text = _raw_text(parameter, found, query, cookies, exchange.request_headers)
                    value = MISSING if text is None else content_value(parameter, text)
                elif parameter.location == "path":
                    raw = found.path_values.get(parameter.name)
                    value = MISSING if raw is None else path_value(parameter, raw, kinds)
                elif parameter.location == "query":
                    value = query_param(parameter, query, kinds)
                elif parameter.location == "cookie":
                    value = query_param(parameter, cookies, kinds)
                else:
                    text = header(exchange.request_headers, parameter.name)
                    value = header_value(parameter, text, kinds)
            except (StyleError, ValueError) as exc:
                yield TrafficIssue(part, pointer, f"cannot read {parameter.name!r}: {exc}", "style")
                continue
            if value is MISSING:
                if parameter.required:
                    yield _missing(parameter, part, pointer)
                continue
            yield from self._validate(parameter.schema, value, part, pointer)
        yield from self._body(
            "request",
            operation,
            exchange.request_body,
            exchange.request_headers,
            operation.request_body.content if operation.request_body else None,
            required=bool(operation.request_body and operation.request_body.required),
            declared_by=f"{operation.label}'s request",
            missing=exchange.request_body_missing,
        )

    # -- response ------------------------------------------------------------------------
    def _response(
        self, exchange: Exchange, operation: Operation, response: Response
    ) -> Iterator[TrafficIssue]:
        for declared in response.headers:
            text = header(exchange.response_headers, declared.name)
            pointer = "/" + escape(declared.name)
            if text is None:
                if declared.required:
                    yield _missing(declared, "response.headers", pointer)
                continue
            value = header_value(declared, text, self.kinds(declared.schema))
            yield from self._validate(declared.schema, value, "response.headers", pointer)
        if exchange.method == "HEAD":
            return  # a HEAD response describes a body it does not carry
        as_declared = f"{response.status} response" + (f" ({response.ref})" if response.ref else "")
        yield from self._body(
            "response",
            operation,
            exchange.response_body,
            exchange.response_headers,
            response.content or None,
            required=False,
            declared_by=f"the {as_declared}",
            missing=exchange.response_body_missing,
        )

    # -- bodies --------------------------------------------------------------------------
    def _body(
        self,
        side: str,
        operation: Operation,
        raw: bytes | None,
        headers: Headers,
        content: tuple[MediaType, ...] | None,
        *,
        required: bool,
        declared_by: str,
        missing: str = "",
    ) -> Iterator[TrafficIssue]:
        if missing:  # the recorder did not keep the body: judge nothing on what is left
            if content and any(media.schema for media in content):
                yield TrafficIssue(
                    f"{side}.body", "", f"not checked: {missing}", "body-not-recorded"
                )
            return
        try:
            data = content_bytes(raw, headers)
        except ContentEncodingError as exc:
            yield TrafficIssue(f"{side}.body", "", f"not checked: {exc}", "content-encoding")
            return
        if not data:
            if required:
                yield TrafficIssue(
                    f"{side}.body", "", f"{declared_by} body is required", "required"
                )
            return
        if not content:
            yield TrafficIssue(
                f"{side}.body",
                "",
                f"a body was sent, but {declared_by} declares none",
                "unexpected-body",
            )
            return
        content_type = header(headers, "content-type")
        if content_type is None:
            if len(content) != 1:
                declared = ", ".join(m.media_type for m in content)
                yield TrafficIssue(
                    f"{side}.content-type",
                    "",
                    f"no Content-Type header (declared: {declared})",
                    "content-type",
                )
                return
            content_type = content[0].media_type
        media = match_media(content, content_type)
        if media is None:
            declared = ", ".join(m.media_type for m in content)
            yield TrafficIssue(
                f"{side}.content-type",
                "",
                f"{content_type.split(';')[0]} is not declared for {declared_by} "
                f"(declared: {declared})",
                "undeclared-content-type",
                value=content_type,
            )
            return
        if media.schema is None:
            return
        try:
            document = read_body(data, content_type, self.kinds(media.schema))
        except BodyError as exc:
            yield TrafficIssue(f"{side}.body", "", str(exc), "parse")
            return
        if document is not NOT_A_DOCUMENT:
            yield from self._validate(media.schema, document, f"{side}.body", "")


def _missing(parameter: Parameter, part: str, pointer: str) -> TrafficIssue:
    what = "header" if parameter.location == "header" else f"{parameter.location} parameter"
    return TrafficIssue(part, pointer, f"required {what} {parameter.name!r} is missing", "required")


def _raw_text(
    parameter: Parameter,
    found: Matched,
    query: list[tuple[str, str]],
    cookies: list[tuple[str, str]],
    headers: Headers,
) -> str | None:
    """A parameter's text as sent, before any style applies."""
    if parameter.location == "path":
        raw = found.path_values.get(parameter.name)
        return None if raw is None else unquote(raw)
    if parameter.location == "header":
        return header(headers, parameter.name)
    pairs = query if parameter.location == "query" else cookies
    return next((value for key, value in pairs if key == parameter.name), None)


def _place(parameter: Parameter) -> tuple[str, str]:
    """The part a parameter belongs to, and its pointer there."""
    name = escape(parameter.name)
    if parameter.location == "cookie":
        return "request.headers", f"/cookie/{name}"
    part = {"path": "request.path", "query": "request.query"}.get(
        parameter.location, "request.headers"
    )
    return part, f"/{name}"
