"""``assert_response_valid``: check a live ``requests``/``httpx`` response (and the request
it answers) against the set's operations, failing the test the way ``assert_valid`` does.

``check_exchange`` is the lower-level form for anything else (werkzeug or Starlette test
clients, hand-built exchanges): it returns the ``ExchangeResult`` instead of raising.
Responses are read by duck typing, so neither HTTP library is imported here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..core.operations import Deployment
from ..traffic import parse_server
from ..traffic.check import ExchangeResult, TrafficChecker, TrafficIssue
from ..traffic.exchange import Exchange, body_bytes, header_pairs
from ..validate.validator import short
from .assertions import MAX_SHOWN, SchemasArg, resolve_schemas

_VALUE_WIDTH = 70

ServersArg = Iterable[str | Deployment]


class ExchangeAssertionError(AssertionError):
    """An exchange does not follow its operation; ``issues`` holds every problem."""

    def __init__(self, heading: str, issues: tuple[TrafficIssue, ...]) -> None:
        self.heading = heading
        self.issues = issues
        super().__init__(format_exchange_failure(heading, issues))

    def __reduce__(self) -> tuple[Any, ...]:
        return (ExchangeAssertionError, (self.heading, self.issues))


def format_exchange_failure(heading: str, issues: tuple[TrafficIssue, ...]) -> str:
    count = f"{len(issues)} error" + ("" if len(issues) == 1 else "s")
    lines = [f"{heading} is not valid ({count}):"]
    for issue in issues[:MAX_SHOWN]:
        lines.append(f"  {issue}")
        if issue.value is not None:
            lines.append(f"      value: {short(issue.value, _VALUE_WIDTH)}")
        lines.append(f"      rule:  {issue.rule_text}")
    if len(issues) > MAX_SHOWN:
        lines.append(f"  ... and {len(issues) - MAX_SHOWN} more")
    return "\n".join(lines)


def _servers(servers: ServersArg) -> list[Deployment]:
    return [s if isinstance(s, Deployment) else parse_server(s) for s in servers]


def _request_body(request: Any) -> bytes | None:
    content = getattr(request, "content", None)  # httpx
    if isinstance(content, (bytes, str)):
        return body_bytes(content)
    body = getattr(request, "body", None)  # requests
    if isinstance(body, (bytes, str)):
        return body_bytes(body)
    get_data = getattr(request, "get_data", None)  # werkzeug
    return body_bytes(get_data()) if callable(get_data) else None


def _response_body(response: Any) -> bytes | None:
    content = getattr(response, "content", None)
    if isinstance(content, (bytes, str)):
        return body_bytes(content)
    get_data = getattr(response, "get_data", None)
    return body_bytes(get_data()) if callable(get_data) else None


def exchange_from_response(response: Any) -> Exchange:
    """An ``Exchange`` from a ``requests``/``httpx`` (or werkzeug) response and its request."""
    if isinstance(response, Exchange):
        return response
    request = getattr(response, "request", None)
    if request is None or not hasattr(response, "status_code"):
        raise TypeError(
            f"{type(response).__name__} has no .request and .status_code; "
            "use schemakit.check_exchange(method, url, status, ...) instead"
        )
    return Exchange(
        method=str(request.method).upper(),
        url=str(request.url),
        status=int(response.status_code),
        request_headers=header_pairs(getattr(request, "headers", None)),
        request_body=_request_body(request),
        response_headers=header_pairs(getattr(response, "headers", None)),
        response_body=_response_body(response),
    )


def check_exchange(
    method: str,
    url: str,
    status: int,
    *,
    request_headers: Any = None,
    request_body: Any = None,
    response_headers: Any = None,
    response_body: Any = None,
    schemas: SchemasArg = None,
    servers: ServersArg = (),
) -> ExchangeResult:
    """Check one exchange given piece by piece. Headers: a mapping or (name, value) pairs;
    bodies: bytes, text, or a JSON value (then sent as JSON unless a Content-Type says)."""
    request_headers = header_pairs(request_headers)
    response_headers = header_pairs(response_headers)
    if isinstance(request_body, (dict, list)):
        request_headers = _with_json_type(request_headers)
    if isinstance(response_body, (dict, list)):
        response_headers = _with_json_type(response_headers)
    exchange = Exchange(
        method.upper(),
        url,
        status,
        request_headers,
        body_bytes(request_body),
        response_headers,
        body_bytes(response_body),
    )
    return TrafficChecker(resolve_schemas(schemas), _servers(servers)).check(exchange)


def _with_json_type(headers: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    if any(name.lower() == "content-type" for name, _ in headers):
        return headers
    return (*headers, ("Content-Type", "application/json"))


def assert_response_valid(
    response: Any, *, schemas: SchemasArg = None, servers: ServersArg = ()
) -> ExchangeResult:
    """Fail the test with every problem when ``response`` (or its request) does not follow
    the operation it matches; an unmatched request fails too. Returns the result.

    ``response``: a ``requests`` or ``httpx`` response (the request is
    ``response.request``), or an ``Exchange`` (as the ``schemakit_traffic`` marker gives).
    ``servers``: extra ``"URL=PATH"`` prefix maps, as ``--server`` on the command line.
    """
    __tracebackhide__ = True
    exchange = exchange_from_response(response)
    result = TrafficChecker(resolve_schemas(schemas), _servers(servers)).check(exchange)
    if result.skipped and exchange.source:
        # a recorded page's own script or image (see traffic.pages): not an API call
        import pytest

        pytest.skip(f"{exchange.location}: a web page's own resource ({result.skipped})")
    if not result.valid:
        label = result.operation.label if result.operation else "no operation"
        heading = f"{exchange.method} {exchange.url} -> {exchange.status} ({label})"
        if exchange.location:  # from a recording: where to find it
            heading = f"{exchange.location}: {heading}"
        raise ExchangeAssertionError(heading, result.issues)
    return result
