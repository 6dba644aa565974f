"""Patterns from the wild in ECMA-262 syntax: they load, the validator reads them with their
ECMA meaning, and every string generated for them is accepted by the validator."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schemakit
from schemakit.core.ecmaregex import to_python, to_rust
from schemakit.core.regex import matcher
from schemakit.strategies import from_schema

# pattern, strings it is found in, strings it is not found in (ECMA-262 semantics)
CASES: list[tuple[str, list[str], list[str]]] = [
    (
        r"^(?<major>0|[1-9]\d*)\.(?<minor>0|[1-9]\d*)$",
        ["0.1", "12.30"],
        ["01.1", "1.2\n", "\u0661.\u0662"],  # leading zero, a newline before the end, Arabic digits
    ),
    (r"(?<=^v?|\sv?)(?:0|[1-9]\d*)\.\d+", ["v1.2", "1.2", "release v3.4"], ["x1.2", "av1.2"]),
    (r"^[\w-_.]+$", ["a-b_c.d", "-"], ["a b", "a/b", "é"]),
    (r"^{{\s*[a-z]+\s*}}$", ["{{ name }}", "{{x}}"], ["{x}", "{{X}}"]),
    (r"^a{,3}$", ["a{,3}"], ["aa", "a"]),  # no quantifier: literal braces
    (r"^(?<q>['\"]).*\k<q>$", ["'a'", '"b"'], ["'a\"", "'a\n'"]),  # dot: no line terminators
    (r"^[^]$", ["x", "\n"], ["", "xy"]),
    (r"^x(?<!yx)$", ["x"], ["yx"]),
    (r"^\S+$", ["a\x1cb"], ["a b", "a\u2028b"]),  # \x1c is no ECMA space
    (r"^\d+\0?$", ["12", "12\x00"], ["12\x01"]),
]


def _schema(pattern: str) -> dict[str, Any]:
    return {"type": "string", "pattern": pattern}


@pytest.fixture(scope="module")
def validators(tmp_path_factory: pytest.TempPathFactory) -> dict[str, schemakit.Validator]:
    folder = tmp_path_factory.mktemp("patterns")
    for index, (pattern, _, _) in enumerate(CASES):
        (folder / f"p{index}.json").write_text(json.dumps(_schema(pattern)))
    schema_set = schemakit.load(Path(folder))
    return {pattern: schema_set.validator(f"p{i}") for i, (pattern, _, _) in enumerate(CASES)}


@pytest.mark.parametrize(("pattern", "found", "missing"), CASES)
def test_the_validator_reads_ecma_meaning(
    validators: dict[str, schemakit.Validator], pattern: str, found: list[str], missing: list[str]
) -> None:
    validator = validators[pattern]
    assert [text for text in found if not validator.is_valid(text)] == []
    assert [text for text in missing if validator.is_valid(text)] == []
    # the detailed (explaining) pass agrees with the fast one
    assert [text for text in missing if not validator.errors(text)] == []


@pytest.mark.parametrize("pattern", [case[0] for case in CASES])
def test_generated_strings_are_valid(
    validators: dict[str, schemakit.Validator], pattern: str
) -> None:
    validator = validators[pattern]

    @settings(max_examples=60, database=None, deadline=None)
    @given(from_schema(_schema(pattern)))
    def check(text: str) -> None:
        assert validator.is_valid(text), text

    check()


def test_the_rust_spelling_keeps_ecma_only_syntax_apart() -> None:
    assert to_rust(r"^[\w-_.]+$") == r"^[\w\-_.]+$"
    assert to_rust(r"{{x}}") == r"\{\{x}}"
    assert to_rust(r"a{2}") == r"a{2}"  # a real quantifier stays one
    assert to_rust(r"(?<n>a)\k<n>") == r"(?<n>a)\1"
    assert to_rust(r"[]") == r"[^\s\S]" and to_rust(r"[^]") == r"[\s\S]"


@given(st.text(alphabet="ab(){}[]^$.|?*+-\\dwsSk<>=!0", max_size=12))
@settings(max_examples=300, database=None, deadline=None)
def test_every_python_spelling_compiles_or_the_pattern_is_no_regex(pattern: str) -> None:
    """Whatever the Rust engines accept as a pattern, the generator can compile (or says
    clearly that it cannot)."""
    try:
        matcher(pattern)
    except ValueError:
        return
    try:
        re.compile(to_python(pattern))
    except re.error:
        with pytest.raises(schemakit.InvalidSchemaError):
            from_schema(_schema(pattern))
