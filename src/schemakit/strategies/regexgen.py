r"""Strings for a regular expression, decoded from one run of bytes.

Hypothesis' ``from_regex`` draws every character, every repetition and every padding as a
choice of its own, and a negated class (``[^\n]``) from an alphabet of all of Unicode: for
``^([<>][^\n]*\n)+$`` that is hundreds of choices and about 15 ms per string, and a document of
a schema full of patterns holds dozens of them. Here the parse tree of the pattern (Python's
own ``re._parser``, as ``from_regex`` uses) is walked once per string and every decision (a
branch, a repeat count, a character) is read from a fixed-width run of bytes: the string is a
packed leaf (``choices.py``), one choice for Hypothesis, and zero bytes decode to the shortest
string the pattern allows (first branches, fewest repeats, ``a``/``0``), where shrinking heads.
Repeats get a few more than their minimum; characters are mostly readable, sometimes anything
the class allows.

A decoded string is a candidate only: lookarounds are skipped and an anchor may land in the
middle, so the caller keeps the string when the ECMA-262 check finds the pattern in it and
draws from ``from_regex`` otherwise. ``program`` returns ``None`` for what is not handled at
all (case-insensitive or verbose flags, conditionals on groups).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


def _module(name: str, before_3_11: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:  # pragma: no cover - Python 3.10
        return importlib.import_module(before_3_11)


sre = _module("re._constants", "sre_constants")
sre_parse = _module("re._parser", "sre_parse")

# Characters tried first for any class, in this order (zero bytes pick the first that fits).
READABLE = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    " -_.,:;/()'@#+=*!?&%$~[]{}<>|^\"\\`"
    "\t\näöéñçøßł\u03b1\u0436\u044f日本"
)
# Repeats beyond their minimum: of one character, of anything longer.
CHAR_SPAN = 8
GROUP_SPAN = 3
# Bytes per string: past them every read is zero (fewest repeats, first characters).
WIDTH = 64
_MAX_CODE = 0x10FFFF
_SURROGATES = range(0xD800, 0xE000)
_FLAGS_REFUSED = re.IGNORECASE | re.VERBOSE
_CATEGORIES: dict[str, Callable[[str], Any]] = {
    name: re.compile(spelled).match
    for name, spelled in (
        ("CATEGORY_DIGIT", r"\d"),
        ("CATEGORY_NOT_DIGIT", r"\D"),
        ("CATEGORY_SPACE", r"\s"),
        ("CATEGORY_NOT_SPACE", r"\S"),
        ("CATEGORY_WORD", r"\w"),
        ("CATEGORY_NOT_WORD", r"\W"),
    )
}
_STARTS = frozenset({"AT_BEGINNING", "AT_BEGINNING_STRING", "AT_BOUNDARY", "AT_NON_BOUNDARY"})
_ENDS = frozenset({"AT_END", "AT_END_STRING", "AT_BOUNDARY", "AT_NON_BOUNDARY"})


class _Reader:
    """The bytes of one string, read one at a time; zero once they run out."""

    def __init__(self, raw: bytes) -> None:
        self.raw, self.at = raw, 0

    def next(self) -> int:
        self.at += 1
        return self.raw[self.at - 1] if self.at <= len(self.raw) else 0

    def below(self, count: int) -> int:
        """A number in [0, count), from one byte (two for counts past 256)."""
        if count <= 1:
            return 0
        value = self.next() if count <= 256 else self.next() * 256 + self.next()
        return value % count


@dataclass(frozen=True)
class CharClass:
    """A set of characters: a membership test, its readable members, and (for classes that
    are not negated) the code point ranges to draw the others from."""

    member: Callable[[str], bool]
    readable: str
    ranges: tuple[tuple[int, int], ...]

    def pick(self, reader: _Reader) -> str:
        choice = reader.next()
        if self.readable and (choice < 224 or not self.ranges):
            return self.readable[choice % len(self.readable)]
        if self.ranges:
            low, high = self.ranges[reader.below(len(self.ranges))]
            code = low + reader.below(high - low + 1)
            if code not in _SURROGATES:
                return chr(code)
        for _ in range(4):  # a negated class: some code point it leaves out
            code = reader.below(0x3000) + 0xA0
            if code not in _SURROGATES and self.member(chr(code)):
                return chr(code)
        if self.readable:
            return self.readable[0]
        raise _NoCharacter


class _NoCharacter(Exception):
    """The class holds no character this module draws: the candidate fails."""


def _item_test(op: str, value: Any) -> Callable[[str], bool]:
    if op == "LITERAL":
        return lambda c: ord(c) == value
    if op == "RANGE":
        low, high = value
        return lambda c: low <= ord(c) <= high
    if op == "CATEGORY":
        test = _CATEGORIES[str(value)]
        return lambda c: test(c) is not None
    raise _Unsupported(op)


def _item_ranges(op: str, value: Any) -> list[tuple[int, int]] | None:
    """Code point ranges inside an item (``None`` for a negative category)."""
    if op == "LITERAL":
        return [(value, value)]
    if op == "RANGE":
        return [(value[0], value[1])]
    spelled = str(value)
    if spelled == "CATEGORY_DIGIT":
        return [(0x30, 0x39)]
    if spelled == "CATEGORY_WORD":
        return [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A), (0xC0, 0x24F)]
    if spelled == "CATEGORY_SPACE":
        return [(0x9, 0xD), (0x20, 0x20)]
    return None


def char_class(items: list[tuple[Any, Any]]) -> CharClass:
    """The ``IN`` node's items (a leading ``NEGATE`` flips it) as a ``CharClass``."""
    negated = bool(items) and str(items[0][0]) == "NEGATE"
    if negated:
        items = items[1:]
    tests = [_item_test(str(op), value) for op, value in items]

    def inside(c: str) -> bool:
        return any(test(c) for test in tests)

    def member(c: str) -> bool:
        return inside(c) != negated

    ranges: list[tuple[int, int]] = []
    if not negated:
        for op, value in items:
            found = _item_ranges(str(op), value)
            if found is None:  # [\S...]: drawn like a negated class
                ranges = []
                break
            ranges.extend(found)
    readable = "".join(c for c in READABLE if member(c))
    return CharClass(member, readable, tuple(ranges))


def _literal(value: int) -> CharClass:
    return CharClass(lambda c: ord(c) == value, chr(value), ((value, value),))


def _not_literal(value: int) -> CharClass:
    return char_class([(sre.NEGATE, None), (sre.LITERAL, value)])


_ANY = char_class([(sre.NEGATE, None), (sre.LITERAL, ord("\n"))])


class _Unsupported(Exception):
    pass


# -- the program: the parse tree with character classes prepared --------------------------

Node = tuple[str, Any]


@dataclass(frozen=True)
class Program:
    """A pattern ready to decode strings from: its prepared nodes, and whether readable
    text may be added before or after a match (no anchor or boundary says otherwise)."""

    nodes: tuple[Node, ...]
    pad_start: bool
    pad_end: bool


@lru_cache(maxsize=1024)
def program(pattern: str) -> Program | None:
    """The program for a Python pattern, or ``None`` when this module does not handle it."""
    try:
        parsed = sre_parse.parse(pattern)
        if parsed.state.flags & _FLAGS_REFUSED:
            return None
        anchors: set[str] = set()
        nodes = _prepare(parsed, anchors)
    except (re.error, _Unsupported, KeyError, RecursionError):
        return None
    return Program(nodes, not anchors & _STARTS, not anchors & _ENDS)


def _prepare(parsed: Any, anchors: set[str]) -> tuple[Node, ...]:
    return tuple(_prepare_node(str(op), value, anchors) for op, value in parsed)


def _prepare_node(op: str, value: Any, anchors: set[str]) -> Node:
    if op == "LITERAL":
        return "char", _literal(value)
    if op == "NOT_LITERAL":
        return "char", _not_literal(value)
    if op == "ANY":
        return "char", _ANY
    if op == "IN":
        return "char", char_class(list(value))
    if op == "BRANCH":
        return "branch", tuple(_prepare(branch, anchors) for branch in value[1])
    if op == "SUBPATTERN":
        group, added, _removed, inner = value
        if added & _FLAGS_REFUSED:
            raise _Unsupported("flags")
        return "group", (group, _prepare(inner, anchors))
    if op == "ATOMIC_GROUP":
        return "group", (None, _prepare(value, anchors))
    if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, high, inner = value
        prepared = _prepare(inner, anchors)
        single = len(prepared) == 1 and prepared[0][0] == "char"
        span = min(high - low, CHAR_SPAN if single else GROUP_SPAN)
        return "repeat", (low, span, high - low if single else 0, prepared)
    if op == "AT":
        anchors.add(str(value))
        return "at", str(value)
    if op == "GROUPREF":
        return "ref", value
    if op in ("ASSERT", "ASSERT_NOT"):
        _prepare(value[1], anchors)  # anchors inside a lookaround still rule out padding
        return "skip", None
    raise _Unsupported(op)


# -- decoding -----------------------------------------------------------------------------


class _Decoder:
    """One decoding pass. ``stretch``: characters still to add to repeats of one character
    (to reach a minLength); ``squeeze``: every repeat at its minimum (to stay within a
    maxLength)."""

    def __init__(self, raw: bytes, stretch: int = 0, squeeze: bool = False) -> None:
        self.stretch, self.squeeze = stretch, squeeze
        self.reader = _Reader(raw)
        self.out: list[str] = []
        self.groups: dict[int, str] = {}

    def run(self, nodes: tuple[Node, ...]) -> None:
        for kind, value in nodes:
            STEPS[kind](self, value)

    def char(self, value: CharClass) -> None:
        self.out.append(value.pick(self.reader))

    def branch(self, value: tuple[tuple[Node, ...], ...]) -> None:
        self.run(value[self.reader.below(len(value))])

    def group(self, value: tuple[int | None, tuple[Node, ...]]) -> None:
        number, inner = value
        start = len(self.out)
        self.run(inner)
        if number is not None:
            self.groups[number] = "".join(self.out[start:])

    def repeat(self, value: tuple[int, int, int, tuple[Node, ...]]) -> None:
        low, span, room, inner = value
        count = low + (0 if self.squeeze else self.reader.below(span + 1))
        if self.stretch and room > count - low:
            added = min(self.stretch, room - (count - low))
            count += added
            self.stretch -= added
        for _ in range(count):
            self.run(inner)

    def ref(self, value: int) -> None:
        self.out.append(self.groups.get(value, ""))

    def nothing(self, value: Any) -> None:
        """Anchors and lookarounds emit nothing (the check after decoding judges them)."""


STEPS: dict[str, Callable[[_Decoder, Any], None]] = {
    "char": _Decoder.char,
    "branch": _Decoder.branch,
    "group": _Decoder.group,
    "repeat": _Decoder.repeat,
    "ref": _Decoder.ref,
    "at": _Decoder.nothing,
    "skip": _Decoder.nothing,
}

_PAD = CharClass(lambda c: True, READABLE[:62] + " -_.", ())


def decode(
    compiled: Program, raw: bytes, shortest: int = 0, longest: int | None = None
) -> str | None:
    """A candidate string from ``raw`` (``None`` if a class had nothing to draw from). Text
    may be added around the match, so that a search pattern also yields strings with
    something before or after what it looks for. A string shorter than ``shortest`` is
    decoded again from the same bytes with repeats of one character stretched by what is
    missing; one longer than ``longest`` with every repeat at its minimum."""
    text = _decode(compiled, _Decoder(raw), shortest)
    if text is not None and len(text) < shortest:
        text = _decode(compiled, _Decoder(raw, stretch=shortest - len(text)), shortest)
    if text is not None and longest is not None and len(text) > longest:
        text = _decode(compiled, _Decoder(raw, squeeze=True), 0)
    return text


def _decode(compiled: Program, decoder: _Decoder, shortest: int) -> str | None:
    squeeze = decoder.squeeze
    head = max(0, decoder.reader.below(5) - 2) if compiled.pad_start and not squeeze else 0
    tail = decoder.reader.below(max(shortest, 4) + 1) if compiled.pad_end and not squeeze else 0
    try:
        for _ in range(head):
            decoder.char(_PAD)
        decoder.run(compiled.nodes)
        for _ in range(tail):
            decoder.char(_PAD)
    except (_NoCharacter, RecursionError):
        return None
    return "".join(decoder.out)
