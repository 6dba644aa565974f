"""HAR 1.2 (browser devtools, proxies): ``log.entries[*].request/response``.

Response text is decoded by the recorder unless ``content.encoding`` is ``base64``;
``postData`` is text (some tools also mark it base64, which is honoured).
"""

from __future__ import annotations

from typing import Any

from .exchange import Exchange, Headers
from .shape import Place, need, of_kind, optional, text_body


def read_har(data: Any, source: str) -> list[Exchange]:
    root = Place(source)
    log = need(data, "log", dict, root)
    entries = need(log, "entries", list, root / "log")
    exchanges = []
    for index, entry in enumerate(entries):
        place = root / "log" / "entries" / index
        request = need(entry, "request", dict, place)
        response = need(entry, "response", dict, place)
        exchanges.append(
            Exchange(
                method=need(request, "method", str, place / "request").upper(),
                url=need(request, "url", str, place / "request"),
                status=need(response, "status", int, place / "response"),
                request_headers=_headers(request, place / "request"),
                request_body=_post_data(request, place / "request"),
                response_headers=_headers(response, place / "response"),
                response_body=_content(response, place / "response"),
                source=source,
                index=index,
                place=place.pointer,
            )
        )
    return exchanges


def _headers(message: dict[str, Any], place: Place) -> Headers:
    pairs = []
    for index, item in enumerate(optional(message, "headers", list, place, [])):
        at = place / "headers" / index
        pairs.append((need(item, "name", str, at), need(item, "value", str, at)))
    return tuple(pairs)


def _post_data(request: dict[str, Any], place: Place) -> bytes | None:
    post = optional(request, "postData", dict, place, {})
    if "text" not in post:
        return None
    at = place / "postData"
    encoding = optional(post, "encoding", str, at, "")
    return text_body(of_kind(post["text"], str, at / "text"), encoding or None, at)


def _content(response: dict[str, Any], place: Place) -> bytes | None:
    content = optional(response, "content", dict, place, {})
    if content.get("text") is None:
        return None
    at = place / "content"
    encoding = optional(content, "encoding", str, at, "")
    return text_body(of_kind(content["text"], str, at / "text"), encoding or None, at)
