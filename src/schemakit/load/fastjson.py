"""A fast JSON reader for the common case, that never accepts what strict reading refuses.

Reading a JSON Lines line with ``jsonio.parse_json`` costs several times the validation
itself (Python hooks for duplicate keys and floats). ``sure_parse`` decodes with msgspec
(C, keeps integers exact as ``json`` does) and then proves with a few byte counts that the
strict reader would have produced the same document: no duplicate keys, no nesting deeper
than ``MAX_DEPTH``. msgspec itself refuses NaN/Infinity, numbers that overflow to
infinity, lone surrogates, invalid UTF-8, control characters and integers longer than
Python's digit limit. Whenever the proof fails it returns ``UNSURE`` and the caller reads
the text strictly, which decides and says where the problem is.

Duplicate keys, the one rule msgspec does not keep: every object member has one ``:``
outside strings, and a ``:`` inside a string stays a raw ``:`` when msgspec writes the
document back. A member dropped as a duplicate takes at least its own ``:`` with it, so
the input has more colons than the re-encoded document. (A colon written as the escape
``\\u003a`` would hide one; such text is left to the strict reader.)
"""

from __future__ import annotations

import re
from itertools import accumulate
from typing import Any, Final

import msgspec

from .jsonio import MAX_DEPTH

UNSURE: Final = object()  # "read this one strictly"

_decode = msgspec.json.Decoder().decode
_encode_into = msgspec.json.Encoder().encode_into
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
# Depth d needs d opening and d closing brackets: shorter texts cannot be too deep.
_SHALLOW_BYTES = 2 * MAX_DEPTH + 1
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"[]{}")
_NOT_OPENING = bytes(byte for byte in range(256) if byte not in b"[{")
_STEP = bytes.maketrans(b"[{]}", b"\x02\x02\x00\x00")


def sure_parse(data: bytes, buffer: bytearray | None = None) -> Any:
    """The document ``jsonio.parse_json`` would read from ``data``, or ``UNSURE``.

    ``buffer`` is scratch space reused across calls (it saves an allocation per line).
    """
    try:
        document = _decode(data)
    except (msgspec.DecodeError, RecursionError):
        return UNSURE
    scratch = buffer if buffer is not None else bytearray()
    _encode_into(document, scratch)
    # Written back exactly as it came (compact JSON, as most programs write it): the
    # input has nothing a dict could have dropped. Otherwise count the colons.
    if scratch != data and (
        scratch.count(b":") != data.count(b":") or b"\\u003" in data  # \u003a: a colon
    ):
        return UNSURE
    if len(data) > _SHALLOW_BYTES and not _within_depth(data):
        return UNSURE
    return document


def _within_depth(data: bytes) -> bool:
    if len(data.translate(None, _NOT_OPENING)) <= MAX_DEPTH:
        return True  # fewer opening brackets than levels allowed
    # Strings hold no structure; what is left are brackets, scored +1 and -1. A document
    # that is one long string has no brackets left at all: depth 0.
    brackets = _STRINGS.sub(b"", data).translate(None, _NOT_BRACKETS)
    depths = accumulate(step - 1 for step in brackets.translate(_STEP))
    return max(depths, default=0) <= MAX_DEPTH
