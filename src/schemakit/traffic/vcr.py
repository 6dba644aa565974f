"""Cassettes: VCR.py (YAML or JSON, ``interactions``), and Betamax and Ruby VCR, which
share the shape under ``http_interactions``: ``[*].request/response``.

Headers map a name to a list of values (or one value); a body is ``null``, text, bytes
(YAML ``!!binary``, e.g. a gzip'd response recorded as it arrived), ``{"string": ...}``
or ``{"base64_string": ...}`` (Betamax and Ruby VCR keep gzip'd or binary bodies so).
"""

from __future__ import annotations

import base64
import codecs
from typing import Any

from .exchange import Exchange, Headers
from .shape import Place, need, of_kind


def read_cassette(data: Any, source: str) -> list[Exchange]:
    root = Place(source)
    key = "interactions" if "interactions" in data else "http_interactions"
    interactions = need(data, key, list, root)
    exchanges = []
    for index, interaction in enumerate(interactions):
        place = root / key / index
        request = need(interaction, "request", dict, place)
        response = need(interaction, "response", dict, place)
        exchanges.append(
            Exchange(
                method=need(request, "method", str, place / "request").upper(),
                url=need(request, "uri", str, place / "request"),
                status=_status(response, place / "response"),
                request_headers=_headers(request, place / "request"),
                request_body=_body(request.get("body"), place / "request" / "body"),
                response_headers=_headers(response, place / "response"),
                response_body=_body(response.get("body"), place / "response" / "body"),
                source=source,
                index=index,
                place=place.pointer,
            )
        )
    return exchanges


def _status(response: dict[str, Any], place: Place) -> int:
    if "status" not in response and "status_code" in response:  # early Betamax
        return need(response, "status_code", int, place)
    return need(need(response, "status", dict, place), "code", int, place / "status")


def _headers(message: dict[str, Any], place: Place) -> Headers:
    headers = message.get("headers") or {}
    at = place / "headers"
    pairs: list[tuple[str, str]] = []
    for name, values in of_kind(headers, dict, at).items():
        listed = values if isinstance(values, list) else [values]
        for number, value in enumerate(listed):
            pairs.append((str(name), of_kind(value, str, at / name / number)))
    return tuple(pairs)


def _body(body: Any, place: Place) -> bytes | None:
    encoding = "utf-8"  # vcrpy keeps a body as text only when it is UTF-8
    if isinstance(body, dict):
        # {"string": ...}; some writers keep binary bodies base64'd under "base64_string"
        if isinstance(body.get("base64_string"), str):
            return base64.b64decode(body["base64_string"])
        # Betamax and Ruby VCR decoded the text with the "encoding" they name
        encoding = _codec(body.get("encoding")) or encoding
        body, place = body.get("string"), place / "string"
    if body is None:
        return None
    if isinstance(body, bytes):
        return body
    text = of_kind(body, str, place)
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def _codec(name: Any) -> str | None:
    try:
        return codecs.lookup(name).name if isinstance(name, str) else None
    except LookupError:
        return None  # Ruby's ASCII-8BIT
