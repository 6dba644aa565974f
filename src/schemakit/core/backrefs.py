"""ECMA-262 matching for ``pattern``s with backreferences, in a bounded number of steps.

The compiled validator's backtracking engine (fancy-regex) loses a group's capture when it
backtracks into a repeated group, so ``^(a+)+\\1$`` rejects ``"aaa"``. Python's ``re``
answers that one right but differs from ECMA-262 in the details (``$`` before a final
newline, Unicode ``\\d``, a reference to a group that took no part fails instead of matching
empty) and cannot be stopped. Patterns with a backreference are therefore parsed with
Python's parser (the load-time checks already require that they compile there) and run by
this small backtracking interpreter, with ECMA-262's rules and a step budget. Both
validation passes ask it, so they agree; a search that runs out of steps does not match.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

try:  # Python >= 3.11
    from re import _constants as sre  # type: ignore[attr-defined,unused-ignore]
    from re import _parser as sre_parse  # type: ignore[attr-defined,unused-ignore]
except ImportError:  # pragma: no cover  (3.10)
    import sre_constants as sre  # type: ignore[no-redef,unused-ignore]
    import sre_parse  # type: ignore[no-redef,unused-ignore]

# About a second of pure-Python backtracking; a search that needs more does not match.
STEP_BUDGET = 100_000

Captures = tuple[tuple[int, int] | None, ...]
Next = Callable[[int, Captures], bool]
Node = Callable[["_Run", int, Captures, Next], bool]

# ECMA-262 character classes (not Python's Unicode ones): WhiteSpace and LineTerminator.
_SPACE = frozenset(
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_LINE_TERMINATORS = frozenset("\n\r\u2028\u2029")


def _is_digit(char: str) -> bool:
    return "0" <= char <= "9"


def _is_word(char: str) -> bool:
    return char == "_" or (char.isascii() and char.isalnum())


def _equal(code: int) -> Callable[[str], bool]:
    expected = chr(code)
    return lambda char: char == expected


def _other(code: int) -> Callable[[str], bool]:
    excluded = chr(code)
    return lambda char: char != excluded


def _between(bounds: tuple[int, int]) -> Callable[[str], bool]:
    low, high = chr(bounds[0]), chr(bounds[1])
    return lambda char: low <= char <= high


def _not_line_terminator(_arg: Any) -> Callable[[str], bool]:
    return lambda char: char not in _LINE_TERMINATORS


_CATEGORIES: dict[Any, Callable[[str], bool]] = {
    sre.CATEGORY_DIGIT: _is_digit,
    sre.CATEGORY_NOT_DIGIT: lambda c: not _is_digit(c),
    sre.CATEGORY_WORD: _is_word,
    sre.CATEGORY_NOT_WORD: lambda c: not _is_word(c),
    sre.CATEGORY_SPACE: lambda c: c in _SPACE,
    sre.CATEGORY_NOT_SPACE: lambda c: c not in _SPACE,
}


class Unsupported(Exception):
    """A construct outside ECMA-262 (inline flags, ``\\A``, conditionals...)."""


class _OutOfSteps(Exception):
    pass


class _Run:
    """One search: the subject and the steps left."""

    __slots__ = ("steps", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.steps = STEP_BUDGET

    def step(self) -> None:
        self.steps -= 1
        if self.steps < 0:
            raise _OutOfSteps


# -- single characters ------------------------------------------------------------


def _class_test(items: list[tuple[Any, Any]]) -> Callable[[str], bool]:
    negate = bool(items) and items[0][0] is sre.NEGATE
    tests: list[Callable[[str], bool]] = []
    for op, arg in items[1:] if negate else items:
        if op is sre.LITERAL:
            tests.append(_equal(arg))
        elif op is sre.RANGE:
            tests.append(_between(arg))
        elif op is sre.CATEGORY and arg in _CATEGORIES:
            tests.append(_CATEGORIES[arg])
        else:
            raise Unsupported(str(op))
    if negate:
        return lambda c: not any(test(c) for test in tests)
    return lambda c: any(test(c) for test in tests)


_CHARACTERS: dict[Any, Callable[[Any], Callable[[str], bool]]] = {
    sre.LITERAL: _equal,
    sre.NOT_LITERAL: _other,
    sre.ANY: _not_line_terminator,
    sre.IN: _class_test,
}


def _single(make: Callable[[Any], Callable[[str], bool]]) -> Callable[[Any], Node]:
    return lambda arg: _character(make(arg))


def _character(test: Callable[[str], bool]) -> Node:
    def match(run: _Run, i: int, caps: Captures, then: Next) -> bool:
        run.step()
        return i < len(run.text) and test(run.text[i]) and then(i + 1, caps)

    return match


# -- assertions -------------------------------------------------------------------


def _word_at(text: str, i: int) -> bool:
    return 0 <= i < len(text) and _is_word(text[i])


_ANCHORS: dict[Any, Callable[[str, int], bool]] = {
    sre.AT_BEGINNING: lambda text, i: i == 0,
    sre.AT_END: lambda text, i: i == len(text),
    sre.AT_BOUNDARY: lambda text, i: _word_at(text, i - 1) != _word_at(text, i),
    sre.AT_NON_BOUNDARY: lambda text, i: _word_at(text, i - 1) == _word_at(text, i),
}


def _anchor(where: Any) -> Node:
    if where not in _ANCHORS:
        raise Unsupported(str(where))
    holds = _ANCHORS[where]

    def match(run: _Run, i: int, caps: Captures, then: Next) -> bool:
        run.step()
        return holds(run.text, i) and then(i, caps)

    return match


def _look(arg: tuple[int, Any], negative: bool) -> Node:
    direction, body = arg
    inner = _sequence(body)
    width = body.getwidth()[0] if direction < 0 else 0

    def match(run: _Run, i: int, caps: Captures, then: Next) -> bool:
        run.step()
        start = i - width
        found: list[Captures] = []

        def end(j: int, inner_caps: Captures) -> bool:
            if direction < 0 and j != i:
                return False
            found.append(inner_caps)
            return True

        # A lookaround is atomic: its first match counts, it is never re-entered.
        matched = start >= 0 and inner(run, start, caps, end)
        if negative:
            return not matched and then(i, caps)
        return matched and then(i, found[0])

    return match


# -- groups, references, alternation, repetition -------------------------------------


def _group(arg: tuple[Any, int, int, Any]) -> Node:
    number, add_flags, del_flags, body = arg
    if add_flags or del_flags:
        raise Unsupported("inline flags")
    inner = _sequence(body)
    if number is None:
        return inner

    def match(run: _Run, i: int, caps: Captures, then: Next) -> bool:
        def close(j: int, inner_caps: Captures) -> bool:
            updated = (*inner_caps[:number], (i, j), *inner_caps[number + 1 :])
            return then(j, updated)

        return inner(run, i, caps, close)

    return match


def _reference(number: int) -> Node:
    def match(run: _Run, i: int, caps: Captures, then: Next) -> bool:
        run.step()
        span = caps[number]
        if span is None:  # a group that took no part matches the empty string (ECMA-262)
            return then(i, caps)
        captured = run.text[span[0] : span[1]]
        return run.text.startswith(captured, i) and then(i + len(captured), caps)

    return match


def _branch(arg: tuple[None, list[Any]]) -> Node:
    alternatives = [_sequence(body) for body in arg[1]]

    def match(run: _Run, i: int, caps: Captures, then: Next) -> bool:
        return any(alternative(run, i, caps, then) for alternative in alternatives)

    return match


def _groups_in(body: Any) -> list[int]:
    numbers = []
    for op, arg in body:
        if op is sre.SUBPATTERN and arg[0] is not None:
            numbers.append(arg[0])
        for child in _children(op, arg):
            numbers += _groups_in(child)
    return numbers


def _children(op: Any, arg: Any) -> list[Any]:
    if op is sre.SUBPATTERN:
        return [arg[3]]
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        return [arg[2]]
    if op is sre.BRANCH:
        return list(arg[1])
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return [arg[1]]
    return []


def _repeat(arg: tuple[int, int, Any], greedy: bool) -> Node:
    low, high, body = arg
    limit = None if high == sre.MAXREPEAT else high
    if len(body) == 1 and body[0][0] in _CHARACTERS:
        test = _CHARACTERS[body[0][0]](body[0][1])
        return _repeat_character(test, low, limit, greedy)
    inner = _sequence(body)
    cleared = _groups_in(body)

    def match(run: _Run, i: int, caps: Captures, then: Next) -> bool:
        return iterate(run, i, caps, then, 0)

    def iterate(run: _Run, i: int, caps: Captures, then: Next, count: int) -> bool:
        run.step()
        if limit is not None and count == limit:
            return then(i, caps)

        def again() -> bool:
            # Each iteration starts with the body's groups undefined (ECMA-262 RepeatMatcher).
            fresh = tuple(None if n in cleared else span for n, span in enumerate(caps))

            def after(j: int, inner_caps: Captures) -> bool:
                if j == i and count >= low:
                    return False  # an empty iteration beyond the minimum ends the loop
                return iterate(run, j, inner_caps, then, count + 1)

            return inner(run, i, fresh, after)

        if count < low:
            return again()
        if greedy:
            return again() or then(i, caps)
        return then(i, caps) or again()

    return match


def _repeat_character(
    test: Callable[[str], bool], low: int, limit: int | None, greedy: bool
) -> Node:
    """A repeated single character: counted in a loop, without a frame per character."""

    def match(run: _Run, i: int, caps: Captures, then: Next) -> bool:
        text = run.text
        end = len(text) if limit is None else min(len(text), i + limit)
        most = i
        while most < end and test(text[most]):
            run.step()
            most += 1
        if most - i < low:
            return False
        counts = range(most, i + low - 1, -1) if greedy else range(i + low, most + 1)
        for j in counts:
            run.step()
            if then(j, caps):
                return True
        return False

    return match


_BUILDERS: dict[Any, Callable[[Any], Node]] = {
    **{op: _single(make) for op, make in _CHARACTERS.items()},
    sre.AT: _anchor,
    sre.SUBPATTERN: _group,
    sre.GROUPREF: _reference,
    sre.BRANCH: _branch,
    sre.MAX_REPEAT: lambda arg: _repeat(arg, greedy=True),
    sre.MIN_REPEAT: lambda arg: _repeat(arg, greedy=False),
    sre.ASSERT: lambda arg: _look(arg, negative=False),
    sre.ASSERT_NOT: lambda arg: _look(arg, negative=True),
}


def _sequence(body: Any) -> Node:
    nodes = []
    for op, arg in body:
        if op not in _BUILDERS:
            raise Unsupported(str(op))
        nodes.append(_BUILDERS[op](arg))

    def chain(index: int) -> Node:
        if index == len(nodes):
            return lambda run, i, caps, then: then(i, caps)
        first, rest = nodes[index], chain(index + 1)
        return lambda run, i, caps, then: first(run, i, caps, lambda j, c: rest(run, j, c, then))

    return chain(0)


def _has_reference(body: Any) -> bool:
    return any(
        op is sre.GROUPREF or any(_has_reference(child) for child in _children(op, arg))
        for op, arg in body
    )


class BackrefPattern:
    """A compiled pattern with a backreference; ``search`` as ECMA-262 ``RegExp.test``."""

    def __init__(self, pattern: str) -> None:
        parsed = sre_parse.parse(pattern)
        if parsed.state.flags & ~sre.SRE_FLAG_UNICODE:
            raise Unsupported("inline flags")
        self.pattern = pattern
        self._groups = parsed.state.groups
        self._match = _sequence(parsed)

    def search(self, text: str) -> bool:
        """Whether the pattern matches anywhere in ``text``; False when out of steps."""
        run = _Run(text)
        empty: Captures = (None,) * self._groups
        try:
            return any(
                self._match(run, start, empty, lambda _j, _c: True)
                for start in range(len(text) + 1)
            )
        except (_OutOfSteps, RecursionError):
            return False


@lru_cache(maxsize=1024)
def backref_pattern(pattern: str) -> BackrefPattern | None:
    """The interpreter for ``pattern`` if it has a backreference it can run, else None."""
    try:
        parsed = sre_parse.parse(pattern)
        return BackrefPattern(pattern) if _has_reference(parsed) else None
    except (Unsupported, sre.error, RecursionError):
        return None
