"""HAR 1.2 (browser devtools, proxies): ``log.entries[*].request/response``.

Response text is decoded by the recorder unless ``content.encoding`` is ``base64``; a
text shorter than ``content.size``, or none, means the recorder did not keep the whole body
(Playwright's ``content._file`` names a file holding it, beside the HAR or in its zip);
``postData`` is text (some tools also mark it base64, which is honoured), or only the
form's ``params``, from which the body is rebuilt.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from .exchange import (
    ContentEncodingError,
    Exchange,
    Headers,
    content_bytes,
    header,
    multipart_body,
)
from .shape import Place, need, of_kind, optional, text_body

_BOUNDARY = re.compile(r"boundary=\"?([^\";]+)", re.IGNORECASE)


Attached = Callable[[str], "bytes | None"]  # a body file's name -> its bytes, None if absent


def files_beside(source: str) -> Attached:
    """Body files Playwright writes beside the HAR (``content._file``); a name that leads
    outside the HAR's folder is not read."""
    folder = Path(source).resolve().parent

    def read(name: str) -> bytes | None:
        path = (folder / name).resolve()
        if not path.is_relative_to(folder) or not path.is_file():
            return None
        return path.read_bytes()

    return read


def read_har(data: Any, source: str, attached: Attached | None = None) -> list[Exchange]:
    """The exchanges of a HAR; ``attached`` finds the body files it names (default: beside
    the file ``source`` names)."""
    attached = attached or files_beside(source)
    root = Place(source)
    log = need(data, "log", dict, root)
    entries = need(log, "entries", list, root / "log")
    exchanges = []
    for index, entry in enumerate(entries):
        place = root / "log" / "entries" / index
        request = need(entry, "request", dict, place)
        response = need(entry, "response", dict, place)
        post = optional(request, "postData", dict, place / "request", {})
        content = optional(response, "content", dict, place / "response", {})
        request_headers = _typed(_headers(request, place / "request"), post)
        response_headers = _typed(_headers(response, place / "response"), content)
        body, missing = _content(response, place / "response", response_headers, attached)
        exchanges.append(
            Exchange(
                method=need(request, "method", str, place / "request").upper(),
                url=need(request, "url", str, place / "request"),
                status=need(response, "status", int, place / "response"),
                request_headers=request_headers,
                request_body=_post_data(request, place / "request", request_headers),
                request_body_missing=_post_missing(request),
                response_headers=response_headers,
                response_body=body,
                response_body_missing=missing,
                source=source,
                index=index,
                place=place.pointer,
                resource_type=_resource_type(entry),
            )
        )
    return exchanges


def _resource_type(entry: dict[str, Any]) -> str:
    kind = entry.get("_resourceType")
    return kind.strip().lower() if isinstance(kind, str) else ""


def _headers(message: dict[str, Any], place: Place) -> Headers:
    pairs = []
    for index, item in enumerate(optional(message, "headers", list, place, [])):
        at = place / "headers" / index
        pairs.append((need(item, "name", str, at), need(item, "value", str, at)))
    return tuple(pairs)


def _typed(headers: Headers, body: dict[str, Any]) -> Headers:
    """The headers, with the body's ``mimeType`` as Content-Type when they have none (some
    writers keep the type only there; Chrome writes ``x-unknown`` for "not known")."""
    mime = body.get("mimeType")
    if not isinstance(mime, str) or mime.strip() in ("", "x-unknown"):
        return headers
    if header(headers, "content-type") is not None:
        return headers
    return (*headers, ("Content-Type", mime.strip()))


def _post_data(request: dict[str, Any], place: Place, headers: Headers) -> bytes | None:
    post = optional(request, "postData", dict, place, {})
    at = place / "postData"
    if post.get("text") is None:
        return _from_params(post, at, headers)
    encoding = optional(post, "encoding", str, at, "")
    return text_body(of_kind(post["text"], str, at / "text"), encoding or None, at, headers)


def _post_missing(request: dict[str, Any]) -> str:
    """What of a request body the recording lacks: all of it when ``bodySize`` says bytes
    were sent but ``postData`` holds no text or params (a large or streamed upload)."""
    post = request.get("postData")
    size = request.get("bodySize")
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        return ""
    if isinstance(post, dict) and (post.get("text") is not None or post.get("params")):
        return ""
    return f"the recording has no body text, {size} bytes were sent"


def _from_params(post: dict[str, Any], place: Place, headers: Headers) -> bytes | None:
    """A form posted as ``params`` only (the spec makes ``text`` and ``params`` exclusive):
    the body is rebuilt from its fields, with the boundary the request announced."""
    params = optional(post, "params", list, place, [])
    if not params:
        return None
    fields = []
    for index, param in enumerate(params):
        at = place / "params" / index
        value = optional(param, "value", str, at, "")
        fields.append((need(param, "name", str, at), value, param.get("contentType")))
    mime = optional(post, "mimeType", str, place, "") or header(headers, "content-type") or ""
    if not mime.lower().startswith("multipart/"):
        return urlencode([(name, value) for name, value, _type in fields]).encode("utf-8")
    boundary = _BOUNDARY.search(header(headers, "content-type") or mime)
    return multipart_body(fields, boundary[1] if boundary else "")


def _content(
    response: dict[str, Any], place: Place, headers: Headers, attached: Attached
) -> tuple[bytes | None, str]:
    """The response body, and what of it the recording lacks ("" when it is whole)."""
    content = optional(response, "content", dict, place, {})
    at = place / "content"
    size = content.get("size")
    size = size if isinstance(size, int) and not isinstance(size, bool) else -1
    comment = content.get("comment")
    why = f" ({comment})" if isinstance(comment, str) and comment else ""
    if content.get("text") is None and isinstance(content.get("_file"), str):
        # Playwright's recordHar with content "attach": the body is a file of its own
        body = attached(content["_file"])
        if body is None:
            return None, f"the body is in {content['_file']}, which is not with the recording"
        return body, ""
    if content.get("text") is None:
        missing = f"the recording has no body text, {size} bytes were received{why}"
        return None, missing if size > 0 else ""
    encoding = optional(content, "encoding", str, at, "")
    body = text_body(of_kind(content["text"], str, at / "text"), encoding or None, at, headers)
    # size is the decoded length (mitmproxy writes the compressed one, a little longer for
    # a tiny or incompressible body): a text much shorter was cut by the recorder (Firefox
    # keeps 1 MB). Measured on the raw bytes first, decoded only if they are shorter.
    if _cut(len(body), size) and _cut(kept := _decoded_length(body, headers), size):
        return body, f"the recording keeps {kept} of {size} bytes of the body{why}"
    return body, ""


def _cut(kept: int, size: int) -> bool:
    return size > kept + kept // 100 + 64


def _decoded_length(body: bytes, headers: Headers) -> int:
    try:
        return len(content_bytes(body, headers))
    except ContentEncodingError:
        return len(body)  # the checker says it cannot be read
