"""``strategies.invalid``: every document breaks exactly one rule, where and how it says."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as JsonSchemaError

import schemakit
from schemakit.core.formats import FORMAT_CHECKER
from schemakit.core.pointer import format_pointer as pointer_of
from schemakit.strategies.invalid import InvalidDocument, invalid

ROOT = Path(__file__).resolve().parents[1]
TASK = json.loads((ROOT / "examples" / "task.json").read_text())
# Derandomized: the coverage assertions below ("every kind of defect appears") must not
# depend on the luck of one run.
FAST = settings(
    max_examples=40,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)

PET: dict[str, Any] = {
    "type": "object",
    "required": ["name", "kind", "born"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 2, "maxLength": 20, "pattern": "^[A-Z]"},
        "kind": {"enum": ["cat", "dog"]},
        "age": {"type": "integer", "minimum": 0, "maximum": 40},
        "born": {"type": "string", "format": "date"},
        "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 3},
        "collar": {
            "oneOf": [
                {"type": "object", "properties": {"kind": {"const": "leather"}}},
                {"type": "object", "properties": {"kind": {"const": "nylon"}}},
            ]
        },
    },
}
PETS = [
    {"name": "Rex", "kind": "dog", "born": "2020-05-01", "age": 4, "tags": ["good"]},
    {"name": "Tom", "kind": "cat", "born": "2019-01-31", "collar": {"kind": "nylon"}},
]


def tree(error: JsonSchemaError) -> list[JsonSchemaError]:
    return [error, *(e for child in error.context or () for e in tree(child))]


def check(schema: dict[str, Any], item: InvalidDocument) -> None:
    """The reference validator rejects it with one top-level error that includes the claim."""
    validator = Draft202012Validator(schema, format_checker=FORMAT_CHECKER)
    errors = list(validator.iter_errors(item.document))
    assert len(errors) == 1, [e.message for e in errors]
    claimed = [
        e
        for e in tree(errors[0])
        if e.validator == item.rule and pointer_of(e.absolute_path) == item.pointer
    ]
    assert claimed, (item, [(e.validator, list(e.absolute_path)) for e in tree(errors[0])])


def test_every_kind_of_defect_on_a_small_schema() -> None:
    seen: Counter[str] = Counter()

    @settings(FAST, max_examples=150)
    @given(invalid(PET, valid=st.sampled_from(PETS)))
    def run(item: InvalidDocument) -> None:
        check(PET, item)
        seen[item.rule] += 1

    run()
    expected = {"required", "type", "enum", "minimum", "maximum", "minLength", "maxLength"}
    expected |= {"pattern", "format", "minItems", "maxItems", "additionalProperties", "oneOf"}
    assert expected <= set(seen), seen


def test_sentinel_task_mutations_are_verified(sentinel: schemakit.SchemaSet) -> None:
    bundle = sentinel.bundle("BatchV2ProcessTask")
    seen: Counter[str] = Counter()

    @FAST
    @given(invalid("BatchV2ProcessTask", schemas=sentinel, valid=st.just(TASK)))
    def run(item: InvalidDocument) -> None:
        check(bundle, item)
        assert not sentinel.validator("BatchV2ProcessTask").is_valid(item.document)
        seen[item.rule] += 1

    run()
    assert len(seen) >= 5, seen


def test_to_dict_is_the_fixture_record() -> None:
    item = InvalidDocument({"a": 1}, "/a", "type", "1 is not of type 'string'")
    assert item.to_dict() == {"document": {"a": 1}, "pointer": "/a", "rule": "type"}


def test_nothing_to_break_is_reported_by_hypothesis() -> None:
    from hypothesis.errors import Unsatisfiable

    @FAST
    @given(invalid({}, valid=st.just({})))
    def run(item: InvalidDocument) -> None:
        pass

    with pytest.raises(Unsatisfiable):
        run()


def test_default_start_is_from_schema(sentinel: schemakit.SchemaSet) -> None:
    bundle = sentinel.bundle("BatchV2ProcessRequest")

    @settings(FAST, max_examples=15)
    @given(invalid("BatchV2ProcessRequest", schemas=sentinel))
    def run(item: InvalidDocument) -> None:
        check(bundle, item)

    run()


def test_fixtures_invalid_command(
    capsys: pytest.CaptureFixture[str], sentinel: schemakit.SchemaSet
) -> None:
    from schemakit.cli import main

    argv = ["fixtures", "BatchV2ProcessRequest", "-n", "6", "--seed", "3", "--invalid"]
    assert main(argv) == 0
    first = capsys.readouterr().out
    assert main(argv) == 0
    assert capsys.readouterr().out == first  # same seed, same bytes
    records = [json.loads(line) for line in first.splitlines()]
    assert len(records) == 6
    bundle = sentinel.bundle("BatchV2ProcessRequest")
    for record in records:
        assert set(record) == {"document", "pointer", "rule"}
        check(bundle, InvalidDocument(record["document"], record["pointer"], record["rule"]))
