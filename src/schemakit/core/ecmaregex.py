r"""ECMA-262 patterns (what JSON Schema's ``pattern`` is written in) for the engines we have.

Schemas in the wild use ECMA syntax that other dialects refuse or read differently:
``[\w-_.]`` (a class escape next to ``-`` is a literal hyphen in ECMA, a bad range
elsewhere), ``{{name}}`` (a brace that starts no quantifier is a literal), ``\0``, ``[^]``,
named groups ``(?<major>...)`` with ``\k<major>``, lookbehind of any width. Two rewrites:

- ``to_rust``: the smallest change that lets the Rust engines (``regex`` and, for lookaround
  and backreferences, ``fancy-regex``, both behind ``jsonschema-rs``) parse such a pattern with
  the same meaning. Patterns they already parse are returned unchanged.
- ``to_python``: a pattern for generating strings with Python's ``re`` (Hypothesis'
  ``from_regex``) whose matches are meant to match the ECMA pattern too: ``\d``, ``\w`` and
  ``\s`` narrowed to what both dialects accept, ``.`` without line terminators, ``$`` only at
  the very end, named groups in Python's spelling, lookbehind turned into a group that is
  matched before (any width) or dropped (negative). It may accept a little more than the
  original, so generated strings are checked with the validator's engine afterwards.

Both walk the pattern once, token by token (``_tokens``), tracking character classes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

_QUANTIFIER = re.compile(r"\{\d+(?:,\d*)?\}")
_CLASS_ESCAPES = frozenset("dDwWsS")
# Whitespace that ECMA's \s and Python's \s (on str) both match.
_BOTH_SPACES = "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
_PY_OUTSIDE = {
    "\\d": "[0-9]",
    "\\w": "[A-Za-z0-9_]",
    "\\s": f"[{_BOTH_SPACES}]",
    "\\S": "[^\\s\\ufeff]",
}
# Inside a class: what both accept; in a negated class, what either accepts (Python's
# Unicode-wide \d and \w, and both kinds of whitespace), so that both refuse the rest.
_PY_INSIDE = {"\\d": "0-9", "\\w": "A-Za-z0-9_", "\\s": _BOTH_SPACES}
_PY_NEGATED = {"\\s": "\\s\\ufeff"}
# Unicode property classes Python's re cannot spell: the nearest class it can (the ECMA check
# after generation keeps only strings that really match).
_PY_PROPERTIES = {"L": "[^\\W\\d_]", "Lu": "[A-Z]", "Ll": "[a-z]", "N": "[0-9]", "Nd": "[0-9]"}


def _escape_end(pattern: str, index: int) -> int:
    """Index just past the escape sequence starting at ``pattern[index] == '\\\\'``."""
    nxt = pattern[index + 1 : index + 2]
    if nxt in ("p", "P") and pattern.startswith("{", index + 2) and "}" in pattern[index:]:
        return pattern.index("}", index) + 1
    if nxt == "u" and pattern.startswith("{", index + 2) and "}" in pattern[index:]:
        return pattern.index("}", index) + 1
    if nxt == "k" and pattern.startswith("<", index + 2) and ">" in pattern[index:]:
        return pattern.index(">", index) + 1
    if nxt == "c" and index + 2 < len(pattern) and pattern[index + 2].isalpha():
        return index + 3
    return min(index + 2, len(pattern))


def _tokens(pattern: str) -> Iterator[tuple[str, bool]]:
    """(token, inside a character class) pairs; a class's ``[``/``[^`` and ``]`` included."""
    index, in_class, class_start = 0, False, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            end = _escape_end(pattern, index)
            yield pattern[index:end], in_class
            index, class_start = end, False
            continue
        if in_class:
            if char == "]" and not class_start:
                in_class = False
            elif char == "]":  # "[]" or "[^]": ECMA's empty classes
                in_class = False
                yield "]", True
                index += 1
                continue
            yield char, in_class or char == "]"
            class_start = False
        elif char == "[":
            opener = "[^" if pattern.startswith("[^", index) else "["
            yield opener, False
            in_class, class_start = True, True
            index += len(opener)
            continue
        elif pattern.startswith(("(?<=", "(?<!"), index):
            yield pattern[index : index + 4], False
            index += 4
            continue
        elif pattern.startswith("(?<", index) or pattern.startswith("(?:", index):
            yield pattern[index : index + 3], False
            index += 3
            continue
        elif char == "{" and (found := _QUANTIFIER.match(pattern, index)):
            yield found.group(), False
            index = found.end()
            continue
        else:
            yield char, False
        index += 1


# (rewritten so far, token, inside a class, (previous token, next token)) -> replacement
Step = Callable[[list[str], str, bool, tuple[str, str]], str]


def _rewrite(pattern: str, step: Step) -> str:
    out: list[str] = []
    tokens = [token for token, _ in _tokens(pattern)]
    for position, (token, in_class) in enumerate(_tokens(pattern)):
        previous = tokens[position - 1] if position else ""
        following = tokens[position + 1] if position + 1 < len(tokens) else ""
        out.append(step(out, token, in_class, (previous, following)))
    return "".join(out)


def _hyphen_is_literal(around: tuple[str, str]) -> bool:
    """In ECMA a ``-`` next to a class escape (``[\\w-_]``) is a literal hyphen."""
    return any(len(t) == 2 and t[0] == "\\" and t[1] in _CLASS_ESCAPES for t in around)


def _empty_class(out: list[str], token: str) -> str | None:
    if token == "]" and out and out[-1] in ("[", "[^"):
        negated = out[-1] == "[^"
        out[-1] = ""
        return "[\\s\\S]" if negated else "(?!)"
    return None


def _fix_empty_rust(out: list[str], token: str) -> str | None:
    if token == "]" and out and out[-1] in ("[", "[^"):
        negated = out[-1] == "[^"
        out[-1] = ""
        return "[\\s\\S]" if negated else "[^\\s\\S]"
    return None


def _rust(out: list[str], token: str, in_class: bool, around: tuple[str, str]) -> str:
    empty = _fix_empty_rust(out, token)
    if empty is not None:
        return empty
    if token == "\\0" and not around[1][:1].isdigit():
        return "\\x00"
    if in_class:
        if token == "-" and _hyphen_is_literal(around):
            return "\\-"
        if token == "\\b":
            return "\\x08"
        if token in ("[", "&", "~"):  # nested classes and set operations in Rust
            return "\\" + token
        return token
    return "\\{" if token == "{" else token


def _group_numbers(pattern: str) -> dict[str, int]:
    """Capturing group number of each named group (for ``\\k<name>`` in the Rust engine)."""
    numbers: dict[str, int] = {}
    count = 0
    tokens = [token for token, in_class in _tokens(pattern) if not in_class]
    for position, token in enumerate(tokens):
        if token == "(" and tokens[position + 1 : position + 2] != ["?"]:
            count += 1
        elif token == "(?<":
            count += 1
            name = "".join(tokens[position + 1 : position + 1 + tokens[position + 1 :].index(">")])
            numbers[name] = count
    return numbers


def _python(out: list[str], token: str, in_class: bool, around: tuple[str, str]) -> str:
    empty = _empty_class(out, token)
    if empty is not None:
        return empty
    if token == "\\0" and not around[1][:1].isdigit():
        return "\\x00"
    if token.startswith("\\c") and len(token) == 3:
        return f"\\x{ord(token[2].upper()) - 64:02x}"
    if token.startswith("\\u{"):
        return f"\\U{int(token[3:-1], 16):08x}"
    if token[:3] in ("\\p{", "\\P{"):
        name = token[3:-1].split("=")[-1]
        spelled = _PY_PROPERTIES.get(name, "[^\\n]")
        if token[1] == "P" or in_class:
            return "" if in_class else "[^\\n]"  # the ECMA check decides
        return spelled
    if in_class:
        if token == "-" and _hyphen_is_literal(around):
            return "\\-"
        if token in ("[", "&", "~", "|"):  # nested sets, in some future Python
            return "\\" + token
        if _negated(out):
            return _PY_NEGATED.get(token, token)
        return _PY_INSIDE.get(token, token)
    if token.startswith("\\k<"):
        return f"(?P={token[3:-1]})"
    if token == "{":  # a literal brace in ECMA, a quantifier to Python in "a{,3}"
        return "\\{"
    if token == "(?<=":
        return "(?:"  # what precedes a match is drawn in front of it
    if token.startswith("(?<") and token != "(?<!":
        return "(?P<"
    if token == ".":
        return "[^\\n\\r\\u2028\\u2029]"
    if token == "$":
        return "\\Z"
    return _PY_OUTSIDE.get(token, token)


def _negated(out: list[str]) -> bool:
    """Is the class being rewritten negated? (Rewritten class members are never a bare
    ``[``: the opener is the last such token.)"""
    for token in reversed(out):
        if token in ("[", "[^"):
            return token == "[^"
    return False


@lru_cache(maxsize=4096)
def to_rust(pattern: str) -> str:
    """``pattern`` in a form the Rust engines parse (unchanged when they already do)."""
    rewritten = _rewrite(pattern, _rust)
    if "\\k<" in rewritten:  # named backreferences by number, which fancy-regex reads
        for name, number in _group_numbers(pattern).items():
            rewritten = rewritten.replace(f"\\k<{name}>", f"\\{number}")
    return rewritten


@lru_cache(maxsize=4096)
def to_python(pattern: str) -> str:
    """A Python pattern for generating strings that the ECMA ``pattern`` is found in."""
    return _drop_negative_lookbehind(_rewrite(pattern, _python))


def _drop_negative_lookbehind(pattern: str) -> str:
    """``(?<!...)`` removed: Python limits lookbehind to fixed widths; the ECMA check after
    generation enforces it."""
    while (start := _find_token(pattern, "(?<!")) is not None:
        depth, index = 0, start
        for token, in_class in _tokens(pattern[start:]):
            index += len(token)
            if in_class:
                continue
            if token.startswith("("):
                depth += 1
            elif token == ")":
                depth -= 1
                if depth == 0:
                    break
        pattern = pattern[:start] + pattern[index:]
    return pattern


def _find_token(pattern: str, wanted: str) -> int | None:
    index = 0
    for token, in_class in _tokens(pattern):
        if token == wanted and not in_class:
            return index
        index += len(token)
    return None
