r"""Strings that match a JSON Schema ``pattern``.

Patterns are ECMA-262 regular expressions, searched (not fully matched) in the string.
Candidates are decoded from one run of bytes by ``regexgen`` (cheap, one choice); those it
cannot make, or that fail the check below, are generated with Hypothesis' ``from_regex``.
Both read a Python translation (``ecmaregex.to_python``:
ECMA-only syntax such as ``(?<name>...)``, lookbehind of any width or ``[\\w-_.]`` spelled for
Python's ``re``, ``\\d``/``\\w``/``\\s``/``.`` narrowed to what both dialects accept, ``$`` only
at the very end). Each string is then checked with the validator's own engine (the Rust one,
with a step budget where the pattern needs backtracking) and, for patterns written in the
syntax both dialects share, with Python's ``re`` as the reference ``jsonschema`` applies it, so
the few strings the translation lets through that one of them refuses (a negative lookbehind,
a Unicode property, ``\x1c`` for ``[^\s]``) are dropped rather than returned.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from hypothesis import strategies as st

from ..core.ecmaregex import to_python, to_rust
from ..core.errors import InvalidSchemaError
from ..core.regex import matcher, search
from .choices import packed
from .regexgen import WIDTH, decode, program


@lru_cache(maxsize=512)
def pattern_strings(
    pattern: str, where: str = "", shortest: int = 0, longest: int | None = None
) -> st.SearchStrategy[str]:
    """Strings in which ``pattern`` is found (aiming at lengths from ``shortest`` to
    ``longest``, which the caller still checks)."""
    try:
        matcher(pattern)
        python = re.compile(to_python(pattern))
    except (re.error, ValueError) as exc:
        raise InvalidSchemaError(f"pattern {pattern!r} cannot be used: {exc}", where) from None
    found = found_by(pattern)
    fallback = st.from_regex(python, fullmatch=False).filter(found)
    compiled = program(python.pattern)
    if compiled is None:
        return fallback

    def decode_pattern(raw: bytes, draw: st.DrawFn) -> str:
        text = decode(compiled, raw, shortest, longest)
        return text if text is not None and found(text) else str(draw(fallback))

    return packed(WIDTH + min(shortest, 4 * WIDTH), decode_pattern)


@lru_cache(maxsize=4096)
def found_by(pattern: str) -> Callable[[str], bool]:
    """Whether ``pattern`` is found in a string by the validator and, when the pattern is
    in the syntax both dialects share, by Python's ``re`` too."""
    python: re.Pattern[str] | None = None
    if to_rust(pattern) == pattern:  # ECMA-only spellings mean something else to Python
        try:
            python = re.compile(pattern)
        except re.error:
            python = None

    def found(text: str) -> bool:
        return search(pattern, text) and (python is None or python.search(text) is not None)

    return found


def unanchored(pattern: str) -> bool:
    """A pattern that may match anywhere (no anchor at either end, no alternation at the top
    that could hide one): a string containing a match of it anywhere satisfies it."""
    return (
        not pattern.startswith(("^", "\\A"))
        and not pattern.endswith(("$", "\\Z"))
        and "|" not in pattern
    )
