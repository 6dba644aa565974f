"""Postman collections v2.1: every saved example response is one exchange.

The request is the example's ``originalRequest`` (else its item's request). ``{{name}}``
is resolved from the collection's and the enclosing folders' variables, ``:name`` path
segments from the URL's own variables. A base URL left unresolved (``{{baseUrl}}`` kept
in an environment file) leaves a path-only URL, which is matched by its path.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

from .exchange import Exchange, Headers, multipart_body, sent_bytes
from .shape import Place, need, of_kind, optional

Resolve = Callable[[str], str]

_VARIABLE = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
_LEADING_VARIABLE = re.compile(r"^\{\{[^{}]*\}\}")
_BOUNDARY = "schemakit-postman-form"


def read_collection(data: Any, source: str) -> list[Exchange]:
    root = Place(source)
    found: list[Exchange] = []
    variables = _variables(data, root, {})
    _walk(need(data, "item", list, root), root / "item", variables, found, source)
    return found


def _variables(node: dict[str, Any], place: Place, outer: dict[str, str]) -> dict[str, str]:
    merged = dict(outer)
    for index, entry in enumerate(optional(node, "variable", list, place, [])):
        at = place / "variable" / index
        key = entry.get("key", entry.get("id")) if isinstance(entry, dict) else None
        if not isinstance(key, str):
            raise at.error("a variable needs a key")
        if not entry.get("disabled"):
            merged[key] = "" if entry.get("value") is None else str(entry["value"])
    return merged


def _walk(
    items: list[Any], place: Place, variables: dict[str, str], found: list[Exchange], source: str
) -> None:
    for index, item in enumerate(items):
        at = place / index
        of_kind(item, dict, at)
        scope = _variables(item, at, variables)
        if "item" in item:  # a folder
            _walk(need(item, "item", list, at), at / "item", scope, found, source)
            continue
        for number, example in enumerate(optional(item, "response", list, at, [])):
            example_at = at / "response" / number
            of_kind(example, dict, example_at)
            if example.get("originalRequest") is not None:
                request, request_at = example["originalRequest"], example_at / "originalRequest"
            else:
                request, request_at = need(item, "request", dict, at), at / "request"
            found.append(
                _exchange(request, request_at, example, example_at, scope, source, len(found))
            )


def _exchange(
    request: Any,
    request_at: Place,
    example: dict[str, Any],
    example_at: Place,
    variables: dict[str, str],
    source: str,
    index: int,
) -> Exchange:
    def resolve(text: str) -> str:
        return _VARIABLE.sub(lambda m: variables.get(m.group(1), m.group(0)), text)

    if isinstance(request, str):
        request = {"url": request, "method": "GET"}
    of_kind(request, dict, request_at)
    headers = _headers(request.get("header"), request_at / "header", resolve)
    body, content_type, missing = _request_body(request.get("body"), request_at / "body", resolve)
    if content_type and not any(name.lower() == "content-type" for name, _ in headers):
        headers += (("Content-Type", content_type),)
    code = need(example, "code", int, example_at)
    response_body = optional(example, "body", str, example_at, "")
    response_headers = _headers(example.get("header"), example_at / "header", resolve)
    return Exchange(
        method=optional(request, "method", str, request_at, "GET").upper(),
        url=_url(request.get("url"), request_at / "url", resolve),
        status=code,
        request_headers=headers,
        request_body=body,
        request_body_missing=missing,
        response_headers=response_headers,
        response_body=sent_bytes(resolve(response_body), response_headers)
        if response_body
        else None,
        source=source,
        index=index,
        place=example_at.pointer,
    )


def _headers(value: Any, place: Place, resolve: Resolve) -> Headers:
    if value is None or isinstance(value, str):
        return ()  # Postman writes a string here when it recorded no headers
    pairs = []
    for index, entry in enumerate(of_kind(value, list, place)):
        at = place / index
        if isinstance(entry, dict) and entry.get("disabled"):
            continue
        key = need(entry, "key", str, at)
        pairs.append((key, resolve(str(entry.get("value") or ""))))
    return tuple(pairs)


def _url(value: Any, place: Place, resolve: Resolve) -> str:
    if value is None:
        raise place.error("missing url")
    if isinstance(value, str):
        return _finish(resolve(value))
    url = of_kind(value, dict, place)
    path_values = {
        str(v.get("key")): str(v.get("value") or "")
        for v in optional(url, "variable", list, place, [])
        if isinstance(v, dict)
    }
    if isinstance(url.get("raw"), str):
        text = resolve(url["raw"])
    else:
        text = _from_parts(url, place, resolve)
    return _finish(
        re.sub(
            r"/:([A-Za-z_][\w-]*)",
            lambda m: (
                "/" + quote(resolve(path_values[m.group(1)]), safe="")
                if m.group(1) in path_values
                else m.group(0)
            ),
            text,
        )
    )


def _from_parts(url: dict[str, Any], place: Place, resolve: Resolve) -> str:
    host = url.get("host") or []
    host_text = ".".join(host) if isinstance(host, list) else str(host)
    path = url.get("path") or []
    path_text = "/".join(str(p) for p in path) if isinstance(path, list) else str(path)
    text = f"{url['protocol']}://" if url.get("protocol") else ""
    text += host_text + (f":{url['port']}" if url.get("port") else "")
    text += "/" + path_text.lstrip("/")
    query = [
        (str(q.get("key", "")), str(q.get("value") or ""))
        for q in optional(url, "query", list, place, [])
        if isinstance(q, dict) and not q.get("disabled")
    ]
    return resolve(text + ("?" + urlencode(query) if query else ""))


def _finish(url: str) -> str:
    # "{{baseUrl}}/tasks" with no such variable: keep the path, matched like any other origin
    return _LEADING_VARIABLE.sub("", url) or "/"


def _request_body(
    value: Any, place: Place, resolve: Resolve
) -> tuple[bytes | None, str | None, str]:
    """The body, its media type when the mode implies one, and what Postman did not keep."""
    if value is None:
        return None, None, ""
    body = of_kind(value, dict, place)
    mode = body.get("mode")
    if mode == "raw":
        raw = optional(body, "raw", str, place, "")
        language = ((body.get("options") or {}).get("raw") or {}).get("language")
        json_type = "application/json" if language == "json" else None
        return (resolve(raw).encode("utf-8") if raw else None), json_type, ""
    if mode == "urlencoded":
        pairs = [
            (str(p.get("key", "")), resolve(str(p.get("value") or "")))
            for p in optional(body, "urlencoded", list, place, [])
            if isinstance(p, dict) and not p.get("disabled")
        ]
        return urlencode(pairs).encode("ascii"), "application/x-www-form-urlencoded", ""
    if mode == "formdata":
        parts = [
            p
            for p in optional(body, "formdata", list, place, [])
            if isinstance(p, dict) and not p.get("disabled")
        ]
        return _multipart(parts, resolve), f"multipart/form-data; boundary={_BOUNDARY}", ""
    if mode == "graphql":  # sent as the JSON {"query": ..., "variables": ...}
        graphql = optional(body, "graphql", dict, place, {})
        return _graphql(graphql, place / "graphql", resolve), "application/json", ""
    file = body.get("file") if mode == "file" else None
    source = file.get("src") if isinstance(file, dict) else None
    if isinstance(source, str) and source:
        return None, None, f"Postman keeps the name of the file sent ({source}), not its bytes"
    return None, None, ""


def _graphql(graphql: dict[str, Any], place: Place, resolve: Resolve) -> bytes:
    query = resolve(optional(graphql, "query", str, place, ""))
    variables: Any = resolve(optional(graphql, "variables", str, place, "")).strip()
    with contextlib.suppress(ValueError):  # else sent as written; the schema says why not
        variables = json.loads(variables) if variables else {}
    return json.dumps({"query": query, "variables": variables}).encode("utf-8")


def _multipart(parts: list[dict[str, Any]], resolve: Resolve) -> bytes:
    return multipart_body(
        (
            (
                str(part.get("key", "")),
                "" if part.get("type") == "file" else resolve(str(part.get("value") or "")),
                part.get("contentType") or None,
            )
            for part in parts
        ),
        _BOUNDARY,
    )
