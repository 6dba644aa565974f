"""Patterns with backreferences: the ECMA-262 answer in both validation passes.

``regress`` (the Rust ECMA-262 engine, a test dependency only: it has no step budget)
is the reference.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import regress
from hypothesis import given, settings
from hypothesis import strategies as st

from schemakit.cli import main
from schemakit.core.backrefs import backref_pattern
from schemakit.validate.validator import Validator

NESTED = "^(a+)+\\1$"


def ecma(pattern: str, text: str) -> bool:
    return regress.Regex(pattern).find(text) is not None


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (NESTED, "aaa"),
        (NESTED, "aab"),
        ("^(a+)\\1$", "aaa"),
        ("(a)|\\1b", "b"),  # a group that took no part matches the empty string
        ("^(?:(a)|b)\\1$", "b"),
        ("^(?:(a)|\\1b)+$", "ab"),  # captures are cleared on every iteration
        ("^(z)((a+)?(b+)?(c))*\\3$", "zaacbbbcac"),
        ("^(\\d+)-\\1$", "\u0661-\u0661"),  # \d is ASCII (ARABIC-INDIC DIGIT ONE is not)
        ("^(.)\\1$", "\r\r"),  # . excludes every line terminator
        ("^(a)\\1$", "aa\n"),  # $ only at the very end
        ("(?<=(a))\\1", "aa"),
        ("\\b(\\w+)\\s\\1\\b", "the the"),
        ("^(a)(?!\\1)", "ab"),
    ],
)
def test_the_interpreter_answers_as_ecma_262(pattern: str, text: str) -> None:
    interpreted = backref_pattern(pattern)
    assert interpreted is not None
    assert interpreted.search(text) == ecma(pattern, text)


_ATOMS = st.sampled_from(["a", "b", ".", "[ab]", "[^a]", "\\w", "\\s", "(?:a|b)"])


@st.composite
def backref_patterns(draw: st.DrawFn) -> str:
    parts: list[str] = []
    groups = 0
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["atom", "group", "ref", "alt"]))
        if kind == "group" or groups == 0:
            body = draw(_ATOMS) + draw(st.sampled_from(["", "+", "*", "?", "{1,2}"]))
            groups += 1
            parts.append(f"({body})" + draw(st.sampled_from(["", "+", "*", "?"])))
        elif kind == "ref":
            parts.append(f"\\{draw(st.integers(1, groups))}")
        elif kind == "alt":
            parts.append(f"(?:{draw(_ATOMS)}|\\{draw(st.integers(1, groups))})")
        else:
            parts.append(draw(_ATOMS) + draw(st.sampled_from(["", "+", "*?", "?"])))
    parts.append(f"\\{draw(st.integers(1, groups))}")
    anchors = draw(st.sampled_from([("", ""), ("^", "$"), ("^", "")]))
    return anchors[0] + "".join(parts) + anchors[1]


@settings(max_examples=400, deadline=None)
@given(backref_patterns(), st.text(alphabet="ab \n", max_size=7))
def test_the_interpreter_agrees_with_regress(pattern: str, text: str) -> None:
    interpreted = backref_pattern(pattern)
    assert interpreted is not None, pattern
    assert interpreted.search(text) == ecma(pattern, text), (pattern, text)


def test_a_runaway_search_stops_and_does_not_match() -> None:
    interpreted = backref_pattern("^(a|aa)+\\1$")
    assert interpreted is not None
    assert not interpreted.search("a" * 40 + "!")  # regress would need years


@pytest.mark.parametrize(
    "schema",
    [
        {"pattern": NESTED},
        {"properties": {"x": {"pattern": NESTED}}},
        {"patternProperties": {NESTED: True}, "additionalProperties": False},
    ],
)
def test_both_passes_give_the_ecma_verdict(schema: dict[str, Any]) -> None:
    validator = Validator(schema)
    for text, valid in (("aaa", True), ("aaaa", True), ("aab", False), ("a", False)):
        document: Any = text
        if "properties" in schema:
            document = {"x": text}
        elif "patternProperties" in schema:
            document = {text: 1}
        assert validator.is_valid(document) is valid, (schema, text)
        assert (validator.errors(document) == []) is valid, (schema, text)


def test_the_message_shows_the_pattern_as_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "s.json").write_text(json.dumps({"pattern": NESTED}))
    (tmp_path / "good.json").write_text('"aaa"')
    (tmp_path / "bad.json").write_text('"aab"')
    folder = ["--schemas", str(tmp_path / "s.json"), "-s", "s"]
    assert main(["validate", *folder, str(tmp_path / "good.json")]) == 0
    assert main(["validate", *folder, str(tmp_path / "bad.json")]) == 1
    out = capsys.readouterr().out
    assert f'bad.json: /: "aab" does not match the pattern /{NESTED}/  [s#/pattern]\n' in out


def test_fixtures_for_a_backreference_pattern_are_valid(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "s.json").write_text(json.dumps({"type": "string", "pattern": NESTED}))
    code = main(["fixtures", "s", "-n", "30", "--schemas", str(tmp_path / "s.json")])
    out, err = capsys.readouterr()
    assert code == 0, err
    documents = [json.loads(line) for line in out.splitlines()]
    assert len(documents) == 30
    assert all(ecma(NESTED, document) for document in documents)
