"""``Exchange``: one recorded HTTP request and its response, whatever recorded it.

Every reader (HAR, VCR.py cassette, Postman collection, a live ``requests``/``httpx``
response) produces these; the checker reads nothing else. Bodies are the bytes as sent,
base64 already undone; a ``Content-Encoding`` (gzip, deflate; br and zstd when the
``brotli``/``brotlicffi`` or ``zstandard`` module is there, as it is wherever a client asked
for them) is undone when the body is read, because some recorders keep the compressed
bytes and others the decoded ones.
"""

from __future__ import annotations

import codecs
import importlib
import json
import re
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

Headers = tuple[tuple[str, str], ...]
_GZIP_MAGIC = b"\x1f\x8b"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_CHARSET = re.compile(r";\s*charset\s*=\s*\"?([^\";\s]+)", re.IGNORECASE)


class ContentEncodingError(ValueError):
    """A body still compressed with a coding this Python cannot undo."""


@dataclass(frozen=True)
class Exchange:
    method: str  # upper case
    url: str
    status: int
    request_headers: Headers = ()
    request_body: bytes | None = None
    response_headers: Headers = ()
    response_body: bytes | None = None
    # what of each body the recorder did not keep ("" when it kept it whole)
    request_body_missing: str = ""
    response_body_missing: str = ""
    source: str = ""  # the recording it came from ("" for a live response)
    index: int = 0  # 0-based position in that recording
    place: str = ""  # JSON pointer of the exchange in that recording ("/log/entries/3")
    resource_type: str = ""  # a browser HAR's _resourceType ("script", "fetch"), lower case

    @property
    def location(self) -> str:
        """``session.har#/log/entries/3``: where to find the exchange ("" for a live one)."""
        return f"{self.source}#{self.place}" if self.source else ""


def header(headers: Headers, name: str) -> str | None:
    """A header's value (repeated headers joined by ", "); names are case-insensitive."""
    wanted = name.lower()
    values = [value for key, value in headers if key.lower() == wanted]
    return ", ".join(values) if values else None


def media_type(headers: Headers) -> str | None:
    """The ``Content-Type`` without parameters, lower case: ``application/json``."""
    value = header(headers, "content-type")
    if value is None:
        return None
    return value.split(";", 1)[0].strip().lower() or None


def charset_of(content_type: str | None) -> str | None:
    """The codec a Content-Type's ``charset`` names (``iso8859-1``); None when it names
    none, or one Python does not know."""
    found = _CHARSET.search(content_type or "")
    if found is None:
        return None
    try:
        return codecs.lookup(found[1]).name
    except LookupError:
        return None


def sent_bytes(text: str, headers: Headers) -> bytes:
    """A body the recorder kept as decoded text, back to the bytes sent: encoded in the
    charset its Content-Type names (UTF-8 when none, or when the text does not fit it)."""
    charset = charset_of(header(headers, "content-type"))
    if charset is not None and charset != "utf-8":
        try:
            return text.encode(charset)
        except UnicodeEncodeError:
            pass
    return text.encode("utf-8", "surrogatepass")


def content_bytes(body: bytes | None, headers: Headers) -> bytes:
    """The body with its ``Content-Encoding`` undone (if it is still applied); raises
    ``ContentEncodingError`` for compressed bytes no installed module can undo."""
    if not body:
        return b""
    encodings = [e.strip().lower() for e in (header(headers, "content-encoding") or "").split(",")]
    for encoding in reversed([e for e in encodings if e]):
        decode = _DECODERS.get(encoding)
        if decode is not None:
            body = decode(body)
    return body


def _gunzip(body: bytes) -> bytes:
    if not body.startswith(_GZIP_MAGIC):
        return body  # the recorder kept the decoded bytes and the header
    try:
        return zlib.decompress(body, wbits=31)
    except zlib.error:
        return body


def _inflate(body: bytes) -> bytes:
    for wbits in (15, -15):  # zlib-wrapped (as specified), then raw (as often sent)
        try:
            return zlib.decompress(body, wbits=wbits)
        except zlib.error:
            continue
    return body


def _module(*names: str) -> Any:
    for name in names:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    return None


def _not_undone(body: bytes, coding: str, modules: str) -> bytes:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        raise ContentEncodingError(
            f"the body is still {coding}-compressed and no {modules} module is installed to undo it"
        ) from None
    return body  # text: the recorder kept the decoded bytes and the header


def _unbrotli(body: bytes) -> bytes:
    brotli = _module("brotli", "brotlicffi")
    if brotli is None:
        return _not_undone(body, "br", "brotli or brotlicffi")
    try:
        return bytes(brotli.decompress(body))
    except brotli.error:  # the recorder kept the decoded bytes and the header
        return body


def _unzstd(body: bytes) -> bytes:
    if not body.startswith(_ZSTD_MAGIC):
        return body
    zstandard = _module("zstandard")
    if zstandard is None:
        return _not_undone(body, "zstd", "zstandard")
    try:
        return bytes(zstandard.ZstdDecompressor().decompressobj().decompress(body))
    except zstandard.ZstdError:
        return body


_DECODERS = {
    "gzip": _gunzip,
    "x-gzip": _gunzip,
    "deflate": _inflate,
    "br": _unbrotli,
    "zstd": _unzstd,
}


def multipart_body(parts: Iterable[tuple[str, str, str | None]], boundary: str) -> bytes:
    """A multipart/form-data body from (name, value, content type) parts, for recorders
    that keep the fields of a form but not the bytes sent (HAR ``params``, Postman)."""
    lines: list[str] = []
    for name, value, content_type in parts:
        lines.append(f"--{boundary}")
        lines.append(f'Content-Disposition: form-data; name="{name}"')
        if content_type:
            lines.append(f"Content-Type: {content_type}")
        lines.extend(["", value])
    lines.append(f"--{boundary}--")
    return "\r\n".join(lines).encode("utf-8")


def header_pairs(value: Any) -> Headers:
    """Headers given as a mapping, ``httpx.Headers``, or (name, value) pairs."""
    if value is None:
        return ()
    multi = getattr(value, "multi_items", None)
    if callable(multi):
        items: Iterable[Any] = multi()
    elif isinstance(value, Mapping):
        items = value.items()
    else:
        items = value
    return tuple((str(name), str(text)) for name, text in items)


def body_bytes(value: Any) -> bytes | None:
    """A body given as bytes, text, or a JSON value (dumped)."""
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    return json.dumps(value, ensure_ascii=False).encode("utf-8")
