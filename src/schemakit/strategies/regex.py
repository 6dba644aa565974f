"""Strings that match a JSON Schema ``pattern``.

Patterns are ECMA-262 regular expressions, searched (not fully matched) in the string. The
reference validator uses Python's ``re`` and the compiled validator ECMA-262 semantics, so
strings are generated from a translation that matches under both: ``\\d`` and ``\\w`` stay
ASCII, ``$`` means the very end (Python's ``$`` also matches before a final newline), ``.``
excludes all four ECMA line terminators (Python's only ``\\n``), and named groups use
Python's spelling.
"""

from __future__ import annotations

import re
from functools import lru_cache

from hypothesis import strategies as st

from ..core.errors import InvalidSchemaError

# Shorthand classes whose ECMA meaning is ASCII-only (Python's is Unicode-wide): generate
# what both accept. \d and \w narrow to ASCII; Python's \D and \W are already the narrower.
_OUTSIDE = {"d": "[0-9]", "w": "[A-Za-z0-9_]"}
_INSIDE = {"d": "0-9", "w": "A-Za-z0-9_"}
# ECMA's "." stops at every line terminator; Python's only at "\n".
_ECMA_DOT = "[^\\n\\r\\u2028\\u2029]"


def translate(pattern: str) -> str:
    """An equivalent Python pattern whose matches also match ``pattern`` under ECMA-262."""
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            nxt = pattern[index + 1]
            table = _INSIDE if in_class else _OUTSIDE
            if nxt == "k" and not in_class and pattern.startswith("<", index + 2):
                end = pattern.index(">", index)
                out.append(f"(?P={pattern[index + 3 : end]})")
                index = end + 1
                continue
            out.append(table.get(nxt, char + nxt))
            index += 2
            continue
        if in_class:
            in_class = char != "]" or (bool(out) and out[-1] in ("[", "[^"))
            out.append(char)
        elif char == "[":
            in_class = True
            if pattern.startswith("[^", index):
                out.append("[^")
                index += 2
                continue
            out.append(char)
        elif char == "$":
            out.append(r"\Z")
        elif char == ".":
            out.append(_ECMA_DOT)
        elif pattern.startswith("(?<", index) and not pattern.startswith(("(?<=", "(?<!"), index):
            out.append("(?P<")
            index += 3
            continue
        else:
            out.append(char)
        index += 1
    return "".join(out)


@lru_cache(maxsize=512)
def pattern_strings(pattern: str, where: str = "") -> st.SearchStrategy[str]:
    """Strings in which ``pattern`` is found."""
    try:
        re.compile(pattern)
        return st.from_regex(re.compile(translate(pattern)), fullmatch=False)
    except (re.error, ValueError) as exc:
        raise InvalidSchemaError(f"pattern {pattern!r} cannot be used: {exc}", where) from None


def unanchored(pattern: str) -> bool:
    """A pattern that may match anywhere (no anchor at either end, no alternation at the top
    that could hide one): a string containing a match of it anywhere satisfies it."""
    return (
        not pattern.startswith(("^", "\\A"))
        and not pattern.endswith(("$", "\\Z"))
        and "|" not in pattern
    )


def searcher(pattern: str) -> re.Pattern[str]:
    """The compiled pattern, as the reference validator applies it."""
    return re.compile(pattern)
