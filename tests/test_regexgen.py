"""Strings decoded from bytes for a pattern (``strategies.regexgen``) and the ``pattern``
strategy built on it: candidates match, zero bytes give the shortest string, the same bytes
give the same string, and what the decoder cannot make still comes out right."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings

from schemakit.core.ecmaregex import to_python
from schemakit.core.regex import search
from schemakit.strategies.choices import packed_of
from schemakit.strategies.regex import pattern_strings
from schemakit.strategies.regexgen import WIDTH, decode, program

# Patterns from real schemas (ECMA-262), without lookarounds: every candidate must match.
PATTERNS = [
    r"^([<>][^\n]*\n)+$",
    r"^[^{}]*(\{seed(:[0-9]+)?\}[^{}]*)*$",
    r"^/([A-Za-z0-9][A-Za-z0-9_-]*[A-Za-z0-9]/)*[A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9]$",
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[\w.-]+)?$",
    r"^(?<major>0|[1-9]\d*)\.\k<major>$",
    r"^[\w-_.]+@[a-z]+\.(com|org)$",
    r"^\S+\s\S+$",
    r"^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$",
    r"^x-",
    r"[^\s]",
    r"\d{2,4}",
    r"^.{3,5}$",
    r"^(a|bc|)+z$",
    r"^[^\x00-\x1f\x7f]*$",
    r"^\$\{[A-Z_]+\}$",
]


def _bytes(seed: int) -> bytes:
    return bytes(random.Random(seed).randrange(256) for _ in range(WIDTH))


@pytest.mark.parametrize("pattern", PATTERNS)
def test_every_candidate_matches(pattern: str) -> None:
    compiled = program(to_python(pattern))
    assert compiled is not None
    for seed in range(200):
        text = decode(compiled, _bytes(seed))
        assert text is not None and search(pattern, text), (seed, text)


def test_zero_bytes_give_the_shortest_string_and_bytes_decide_everything() -> None:
    compiled = program(to_python(r"^(ab|c)+d{2,}[^\n]?$"))
    assert compiled is not None
    assert decode(compiled, bytes(WIDTH)) == "abdd"
    assert {decode(compiled, _bytes(7)) for _ in range(3)} == {decode(compiled, _bytes(7))}


def test_unanchored_patterns_get_text_around_the_match() -> None:
    compiled = program(to_python("b+"))
    assert compiled is not None
    texts = [decode(compiled, _bytes(seed)) for seed in range(100)]
    assert any(t and not t.startswith("b") for t in texts)
    assert any(t and not t.endswith("b") for t in texts)


@pytest.mark.parametrize("pattern", ["(?i)abc", "(a)?(?(1)b|c)"])
def test_what_the_decoder_leaves_to_from_regex(pattern: str) -> None:
    assert program(pattern) is None


@pytest.mark.parametrize(
    "pattern",
    [*PATTERNS[:3], r"^(?!pattern$).*$", r"^(?=.*[0-9])[a-z0-9]{4,8}$", "(?i)^ab$"],
)
def test_pattern_strategy_yields_only_matches(pattern: str) -> None:
    strategy = pattern_strings(pattern)
    python = re.compile(to_python(pattern))

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def check(text: str) -> None:
        assert search(pattern, text) and python.search(text)

    check()


def test_pattern_strategy_is_one_choice() -> None:
    assert packed_of(pattern_strings(r"^([<>][^\n]*\n)+$")) is not None


def test_lengths_are_aimed_at() -> None:
    """A commit SHA: ``^[0-9a-fA-F]+$`` with minLength = maxLength = 40 (GitHub's API)."""
    compiled = program(to_python("^[0-9a-fA-F]+$"))
    assert compiled is not None
    for seed in range(50):
        assert len(decode(compiled, _bytes(seed), 40, 40) or "") == 40
    short = program(to_python("^(ab)+c*$"))
    assert short is not None
    assert all(decode(short, _bytes(seed), 0, 2) == "ab" for seed in range(20))
