"""The fast JSON Lines reader accepts nothing the strict reader refuses, and reads the same."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemakit.core.errors import SourceError
from schemakit.load import jsonio
from schemakit.load.fastjson import UNSURE, sure_parse

DEEP = jsonio.MAX_DEPTH


def _strict(data: bytes) -> Any:
    """What the reference reader makes of one JSON Lines line: a document or SourceError."""
    record = jsonio.record_of_line("x", 1, data)
    if record is None:
        return SourceError("a blank line holds no document")
    return record.error if record.error is not None else record.document


def _same(a: Any, b: Any) -> bool:
    """Equal, with the same types all the way down: ``json.dumps`` writes 1, 1.0 and true
    differently, and keeps key order."""
    return json.dumps(a) == json.dumps(b)


def _agree(data: bytes) -> Any:
    """sure_parse is right or unsure; returns what it said."""
    fast = sure_parse(data)
    strict = _strict(data)
    if fast is not UNSURE:
        assert not isinstance(strict, SourceError), (data[:80], strict)
        assert _same(fast, strict)
    return fast


REFUSED = {
    "duplicate key": b'{"a": 1, "a": 2}',
    "duplicate key, compact": b'{"a":1,"b":{"c":[1,{"d":1,"d":1}]},"e":2}',
    "duplicate key written two ways": b'{"a": 1, "\\u0061": 2}',
    "duplicate hidden by an escaped colon": b'{"a":1,"a":"\\u003a"}',
    "NaN": b'{"a": NaN}',
    "Infinity": b"[Infinity]",
    "-Infinity": b"[-Infinity]",
    "overflows to infinity": b"[1e400]",
    "long mantissa overflows": b"[1" + b"0" * 400 + b".0]",
    "integer beyond the digit limit": b"1" + b"0" * 5000,
    "lone high surrogate": b'["\\ud800"]',
    "lone low surrogate": b'["\\udc00x"]',
    "invalid UTF-8": b'["\xff"]',
    "UTF-8 encoded surrogate": b'["\xed\xa0\x80"]',
    "control character": b'["a\tb"]',
    "trailing comma": b"[1,]",
    "two documents": b"{} {}",
    "too deep": b"[" * (DEEP + 1) + b"]" * (DEEP + 1),
    "too deep, objects": b'{"a":' * (DEEP + 1) + b"1" + b"}" * (DEEP + 1),
    "blank": b"   ",
}


@pytest.mark.parametrize("data", REFUSED.values(), ids=REFUSED.keys())
def test_what_strict_reading_refuses_or_doubts_is_never_read_fast(data: bytes) -> None:
    assert sure_parse(data) is UNSURE
    _agree(data)


ACCEPTED = {
    "compact": b'{"a":1,"b":[true,false,null],"c":"x:y"}',
    "spaced": b'{ "a" : 1 , "b" : [ 1.5 , -0 , 1E2 ] }\r',
    "colons in strings and keys": b'{"a:b": "c:d", "e": {"f:": ":"}}',
    "escaped quote before a colon": b'{"a\\":": "\\":", "b": 1}',
    "big integer stays exact": b"[123456789012345678901234567890]",
    "surrogate pair": b'["\\ud83d\\ude00"]',
    "non-ASCII": '{"é": "ü", "k": "日本"}'.encode(),
    "as deep as allowed": b"[" * DEEP + b"]" * DEEP,
    "brackets inside strings": b'{"a": "' + b"[" * 600 + b'", "b": [[1]]}',
    "many shallow objects": b"[" + b",".join([b'{"a":[1]}'] * 700) + b"]",
    "scalar": b'"just a string"',
    "one long string of brackets": b'"' + b"[" * 3 * DEEP + b'"',
}


@pytest.mark.parametrize("data", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_ordinary_json_is_read_fast_and_the_same(data: bytes) -> None:
    assert _agree(data) is not UNSURE


def test_a_document_beyond_the_limit_is_left_to_the_strict_reader() -> None:
    # Deeper than MAX_DEPTH but within what the parser manages: the strict reader decides.
    data = b"[" * (DEEP + 50) + b"]" * (DEEP + 50)
    assert sure_parse(data) is UNSURE
    _agree(data)


# -- random documents, written in random ways, with duplicate keys mixed in ---------------

KEYS = st.sampled_from(["a", "b", "a:b", 'q"', "\\", "é", "\u2028", ":"])
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.sampled_from('ab:"\\\u00e9\U0001f600\n{['), max_size=6)
)
# Objects as lists of pairs, so that a key can appear twice.
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4).map(lambda items: ("array", items))
        | st.lists(st.tuples(KEYS, inner), max_size=4).map(lambda pairs: ("object", pairs))
    ),
    max_leaves=12,
)


def _write(value: Any, spaces: bool, ascii_only: bool) -> str:
    comma, colon = (", ", ": ") if spaces else (",", ":")
    if isinstance(value, tuple):
        kind, items = value
        if kind == "array":
            return "[" + comma.join(_write(v, spaces, ascii_only) for v in items) + "]"
        members = (
            json.dumps(k, ensure_ascii=ascii_only) + colon + _write(v, spaces, ascii_only)
            for k, v in items
        )
        return "{" + comma.join(members) + "}"
    return json.dumps(value, ensure_ascii=ascii_only)


@settings(deadline=None, max_examples=300)
@given(value=VALUES, spaces=st.booleans(), ascii_only=st.booleans())
def test_random_json_reads_the_same_fast_or_not_at_all(
    value: Any, spaces: bool, ascii_only: bool
) -> None:
    _agree(_write(value, spaces, ascii_only).encode())
