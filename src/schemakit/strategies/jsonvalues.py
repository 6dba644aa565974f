"""JSON value helpers: type names, JSON equality, and an "any JSON value" strategy."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

from hypothesis import strategies as st

from .choices import direct, one_of, packed

# The seven JSON Schema type names; "number" includes the integers.
TYPES: tuple[str, ...] = ("null", "boolean", "integer", "number", "string", "array", "object")
# What an unconstrained schema allows, without listing integers twice.
ALL_TYPES: tuple[str, ...] = ("null", "boolean", "number", "string", "array", "object")


def json_type(value: Any) -> str:
    """The narrowest JSON Schema type of ``value`` (1.0 is an integer, as in the spec)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    raise TypeError(f"not a JSON value: {value!r}")


def json_key(value: Any) -> Hashable:
    """A hashable key with JSON equality: ``1 == 1.0``, ``True != 1``, key order ignored."""
    if isinstance(value, bool) or value is None:
        return (json_type(value), value)
    if isinstance(value, (int, float)):
        return ("number", value)
    if isinstance(value, str):
        return ("string", value)
    if isinstance(value, list):
        return ("array", tuple(json_key(item) for item in value))
    if isinstance(value, dict):
        return ("object", frozenset((key, json_key(item)) for key, item in value.items()))
    raise TypeError(f"not a JSON value: {value!r}")


def unique(values: Iterable[Any], key: Callable[[Any], Hashable] | None = None) -> list[Any]:
    """``values`` without repeats (JSON-equal, or equal under ``key``), first occurrence kept."""
    identify = key or json_key
    seen: set[Hashable] = set()
    result = []
    for value in values:
        marker = identify(value)
        if marker not in seen:
            seen.add(marker)
            result.append(value)
    return result


def distinct(values: Iterable[Any]) -> list[Any]:
    """``unique`` for a few large values (subschemas, alts): compared with ``==`` (deep, in C,
    stops at the first difference) and confirmed with ``json_key`` only when equal, since
    ``==`` takes ``1`` and ``true`` for the same. Keys of whole schemas cost more than that."""
    kept: list[Any] = []
    for value in values:
        if not any(
            value is other or (value == other and json_key(value) == json_key(other))
            for other in kept
        ):
            kept.append(value)
    return kept


def type_allows(allowed: str, value_type: str) -> bool:
    """Whether a value of ``value_type`` is an instance of the JSON Schema type ``allowed``."""
    return allowed == value_type or (allowed == "number" and value_type == "integer")


def meet_types(a: str, b: str) -> str | None:
    """The type of values that are instances of both ``a`` and ``b``, if any."""
    if a == b:
        return a
    if {a, b} == {"integer", "number"}:
        return "integer"
    return None


# Text a person would write (letters, digits, punctuation, a few accented and non-Latin
# letters), drawn as one length and one run of bytes: cheap, and it shrinks to "".
READABLE = (
    "abcdefghijklmnopqrstuvwxyz"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "0123456789"
    "     -_.,:;/()'@#+"
    "äöüéèñçøåßłžαβжя日本語"
)
_KEY_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
# Without maxLength, readable text stays this much longer than minLength.
TEXT_SPAN = 24


def text(shortest: int = 0, longest: int | None = None) -> st.SearchStrategy[str]:
    """Strings of a length in range: mostly readable, one in five from all of Unicode
    (which is where encoding bugs are).

    Readable text is one choice of bytes: two header bytes give the kind and the length, the
    rest the characters; zero bytes, where shrinking heads, are the shortest readable string.
    """
    top = shortest + TEXT_SPAN if longest is None else min(longest, shortest + 4 * TEXT_SPAN)
    lengths = top - shortest + 1
    anything = direct(st.text(min_size=shortest, max_size=longest))

    def decode_text(raw: bytes, draw: st.DrawFn) -> str:
        header = raw[0] * 256 + raw[1]
        if header % 5 == 4:
            return str(draw(anything))
        size = shortest + (header // 5) % lengths
        return "".join(READABLE[b % len(READABLE)] for b in raw[2 : 2 + size])

    return packed(2 + top, decode_text)


def _key(raw: bytes, draw: st.DrawFn) -> str:
    return "".join(_KEY_CHARS[b % len(_KEY_CHARS)] for b in raw[1 : 2 + raw[0] % 12])


# Property names that look like identifiers.
KEY_TEXT = packed(13, _key)

SCALARS: st.SearchStrategy[Any] = one_of(
    [
        st.none(),
        st.booleans(),
        direct(st.integers(min_value=-(2**31), max_value=2**31)),
        direct(st.floats(allow_nan=False, allow_infinity=False)),
        text(0, 20),
    ]
)

# Any JSON value, kept small and flat: it fills schemas that say nothing (``{}`` or ``true``).
ANY_JSON: st.SearchStrategy[Any] = one_of(
    [
        SCALARS,
        direct(st.lists(SCALARS, max_size=3)),
        direct(st.dictionaries(KEY_TEXT, SCALARS, max_size=3)),
    ]
)
