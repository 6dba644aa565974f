"""Errors about a schema of an older draft name what its file says, under its draft.

schemakit validates the 2020-12 translation of every schema (``load.normalise``); each
``Issue`` is read back through the pointers the translation moved (``core.origins``) and
worded as the draft's own reference validator words it (``validate.written``). The
expected values below are written from each draft's specification, for both explainers
(compiled and ``jsonschema``); the last test holds schemakit to ``jsonschema``'s validator
for the schema's own draft on the official test suite.
"""

from __future__ import annotations

import json
import pickle
import sys
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import schemakit
from conftest import ROOT
from schemakit.cli import main
from schemakit.core.drafts import draft_named
from schemakit.core.origins import Written, written_pointer
from schemakit.lint import lint
from schemakit.testing.assertions import SchemaAssertionError, assert_valid
from schemakit.validate.issue import Issue, pointer, readable

sys.path.insert(0, str(ROOT / "benchmarks"))
import suite

DIALECTS = {
    "draft-04": "http://json-schema.org/draft-04/schema#",
    "draft-06": "http://json-schema.org/draft-06/schema#",
    "draft-07": "http://json-schema.org/draft-07/schema#",
    "2019-09": "https://json-schema.org/draft/2019-09/schema",
    "2020-12": "https://json-schema.org/draft/2020-12/schema",
}
# The README's draft-07 example ("Drafts"), with a draft-07 bound and a ref.
PAIR_CARD = {
    "type": "object",
    "properties": {
        "pair": {
            "type": "array",
            "items": [{"type": "string"}, {"type": "integer"}],
            "additionalItems": False,
        },
        "card": {"type": "object", "dependencies": {"number": ["expiry"]}},
        "n": {"type": "number", "exclusiveMinimum": 0},
        "ref": {"$ref": "#/definitions/pos"},
    },
    "definitions": {"pos": {"type": "integer", "minimum": 1}},
}
PAIR_CARD_DOCUMENT = {"pair": ["a", "b", 3], "card": {"number": 1}, "n": 0, "ref": 0}

Expected = tuple[str, str, str, str]  # pointer, rule, rule_location, message
CASES: list[tuple[str, str, Any, Any, list[Expected]]] = [
    # draft-04: a boolean exclusiveMinimum qualifies "minimum", which is what fails
    (
        "d4-exclusive-minimum",
        "draft-04",
        {"minimum": 5, "exclusiveMinimum": True},
        5,
        [("", "minimum", "/minimum", "5 is less than or equal to the minimum of 5")],
    ),
    (
        "d4-exclusive-maximum",
        "draft-04",
        {"properties": {"m": {"maximum": 10, "exclusiveMaximum": True}}},
        {"m": 10},
        [
            (
                "/m",
                "maximum",
                "/properties/m/maximum",
                "10 is greater than or equal to the maximum of 10",
            )
        ],
    ),
    (
        "d4-id-anchor",
        "draft-04",
        {
            "id": "http://example.com/root.json",
            "definitions": {"a": {"id": "#a", "type": "integer"}},
            "properties": {"x": {"$ref": "#a"}},
        },
        {"x": "s"},
        [("/x", "type", "/definitions/a/type", "\"s\" is not of type 'integer'")],
    ),
    (
        "d4-dependencies",
        "draft-04",
        {
            "dependencies": {
                "bar": {"properties": {"foo": {"type": "integer"}}},
                "quux": ["foo", "bar"],
            }
        },
        {"bar": 1, "foo": "x", "quux": 1},
        [
            (
                "/foo",
                "type",
                "/dependencies/bar/properties/foo/type",
                "\"x\" is not of type 'integer'",
            ),
        ],
    ),
    (
        "d4-dependency-missing",
        "draft-04",
        {"dependencies": {"quux": ["foo", "bar"]}},
        {"quux": 1, "foo": 1},
        [("", "dependencies", "/dependencies", "'bar' is a dependency of 'quux'")],
    ),
    (
        "d4-additional-items-schema",
        "draft-04",
        {"items": [{}], "additionalItems": {"type": "integer"}},
        [None, "x"],
        [("/1", "type", "/additionalItems/type", "\"x\" is not of type 'integer'")],
    ),
    # draft-06: its "contains" says "None of ... are valid"; "items": false is a false
    # schema for each item
    (
        "d6-contains",
        "draft-06",
        {"contains": {"minimum": 5}},
        [2, 3],
        [("", "contains", "/contains", "None of [2, 3] are valid under the given schema")],
    ),
    (
        "d6-items-false",
        "draft-06",
        {"properties": {"p": {"items": False}}},
        {"p": [1, "a"]},
        [
            ("/p/0", "falseSchema", "/properties/p/items", "False schema does not allow 1"),
            ("/p/1", "falseSchema", "/properties/p/items", "False schema does not allow 'a'"),
        ],
    ),
    (
        "d6-nested-item-arrays",
        "draft-06",
        {"items": [{"const": 1}, {"items": [{"type": "string"}], "additionalItems": False}]},
        [2, ["x", 1]],
        [
            ("/0", "const", "/items/0/const", "1 was expected"),
            (
                "/1",
                "additionalItems",
                "/items/1/additionalItems",
                "Additional items are not allowed (1 was unexpected)",
            ),
        ],
    ),
    # draft-07: the README's example
    (
        "d7-pair-card",
        "draft-07",
        PAIR_CARD,
        PAIR_CARD_DOCUMENT,
        [
            (
                "/card",
                "dependencies",
                "/properties/card/dependencies",
                "'expiry' is a dependency of 'number'",
            ),
            (
                "/n",
                "exclusiveMinimum",
                "/properties/n/exclusiveMinimum",
                "0 is less than or equal to the minimum of 0",
            ),
            (
                "/pair",
                "additionalItems",
                "/properties/pair/additionalItems",
                "Additional items are not allowed (3 was unexpected)",
            ),
            ("/pair/1", "type", "/properties/pair/items/1/type", "\"b\" is not of type 'integer'"),
            ("/ref", "minimum", "/definitions/pos/minimum", "0 is less than the minimum of 1"),
        ],
    ),
    (
        "d7-branch",
        "draft-07",
        {"oneOf": [{"items": [{"type": "string"}], "additionalItems": False}, {"type": "string"}]},
        ["a", 2],
        [
            (
                "",
                "additionalItems",
                "/oneOf/0/additionalItems",
                "Additional items are not allowed (2 was unexpected)"
                " (in oneOf branch #0, the closest match)",
            )
        ],
    ),
    (
        "d7-nested-id",
        "draft-07",
        {
            "definitions": {
                "x": {"$id": "http://example.com/x.json", "items": [{"type": "string"}]}
            },
            "properties": {"a": {"$ref": "http://example.com/x.json"}},
        },
        {"a": [1]},
        [("/a/0", "type", "/definitions/x/items/0/type", "1 is not of type 'string'")],
    ),
    # 2019-09: items arrays and dependencies are translated; $recursiveRef is followed
    (
        "d2019-additional-items",
        "2019-09",
        {"items": [{"type": "string"}], "additionalItems": False},
        ["a", 1, 2],
        [
            (
                "",
                "additionalItems",
                "/additionalItems",
                "Additional items are not allowed (1, 2 were unexpected)",
            )
        ],
    ),
    (
        "d2019-recursive-ref",
        "2019-09",
        {
            "$recursiveAnchor": True,
            "type": "object",
            "properties": {
                "kids": {"type": "array", "items": {"$recursiveRef": "#"}},
                "n": {"type": "integer"},
            },
        },
        {"kids": [{"n": "x"}]},
        [("/kids/0/n", "type", "/properties/n/type", "\"x\" is not of type 'integer'")],
    ),
    (
        "d2019-dependent-schemas",
        "2019-09",
        {"dependentSchemas": {"a": {"required": ["b"]}}, "dependencies": {"c": ["d"]}},
        {"a": 1, "c": 1},
        [
            ("", "dependencies", "/dependencies", "'d' is a dependency of 'c'"),
            ("", "required", "/dependentSchemas/a/required", "'b' is a required property"),
        ],
    ),
    (
        "d2019-contains",
        "2019-09",
        {"contains": {"minimum": 5}},
        [2],
        [("", "contains", "/contains", "[2] does not contain items matching the given schema")],
    ),
    # 2020-12: as written already (but for "dependencies", translated in every draft)
    (
        "d2020-prefix-items",
        "2020-12",
        {"prefixItems": [{"type": "string"}], "items": False},
        ["a", 1],
        [("", "items", "/items", "Expected at most 1 item but found 1 extra: 1")],
    ),
    (
        "d2020-dependencies",
        "2020-12",
        {"dependencies": {"c": ["d"]}},
        {"c": 1},
        [("", "dependencies", "/dependencies", "'d' is a dependency of 'c'")],
    ),
]


def _load(folder: Path, files: dict[str, Any]) -> schemakit.SchemaSet:
    folder.mkdir(parents=True, exist_ok=True)
    for name, schema in files.items():
        (folder / name).write_text(json.dumps(schema), encoding="utf-8")
    return schemakit.load(folder)


def _keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        yield from value
        for item in value.values():
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def _seen(issues: list[Issue]) -> list[Expected]:
    return sorted((i.pointer, i.rule, i.rule_location, i.message) for i in issues)


@pytest.mark.parametrize(
    ("draft", "schema", "document", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_issues_name_the_schema_as_written(
    draft: str, schema: Any, document: Any, expected: list[Expected], tmp_path: Path
) -> None:
    schema_set = _load(tmp_path, {"case.json": {"$schema": DIALECTS[draft], **schema}})
    validator = schema_set.validator("case")
    compiled = validator.compiled_errors(document)
    assert compiled is not None  # the compiled explainer answers these itself
    assert _seen(compiled) == sorted(expected)
    assert _seen(validator.reference_errors(document)) == sorted(expected)
    assert _seen(validator.errors(document)) == sorted(expected)
    assert {issue.schema_name for issue in compiled} == {"case"}
    if not {"$ref", "$recursiveRef"} & set(_keys(schema)):  # no ref: path = location
        for issues in (compiled, validator.reference_errors(document)):
            assert [i.schema_path for i in issues] == [i.rule_location for i in issues]


def test_a_ref_into_another_draft_names_that_file(tmp_path: Path) -> None:
    """A 2020-12 schema that refers into a draft-07 one: the issues in the draft-07 file
    are located there, through the pointer it wrote (``#/items/0``)."""
    pair = {
        "$schema": DIALECTS["draft-07"],
        "items": [{"type": "string"}],
        "additionalItems": False,
    }
    main_schema = {
        "$schema": DIALECTS["2020-12"],
        "properties": {"p": {"$ref": "pair.json"}, "q": {"$ref": "pair.json#/items/0"}},
    }
    schema_set = _load(tmp_path, {"pair.json": pair, "main.json": main_schema})
    validator = schema_set.validator("main")
    for issues in (
        validator.errors({"p": [1, 2], "q": 3}),
        validator.reference_errors({"p": [1, 2], "q": 3}),
    ):
        assert [(i.pointer, i.rule, i.where_in_schema, i.schema_path) for i in issues] == [
            ("/p", "additionalItems", "pair#/additionalItems", "/properties/p/additionalItems"),
            ("/p/0", "type", "pair#/items/0/type", "/properties/p/items/0/type"),
            ("/q", "type", "pair#/items/0/type", "/properties/q/type"),
        ]  # fmt: skip


def test_the_cli_prints_what_the_file_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = tmp_path / "d7.json"
    schema.write_text(json.dumps({"$schema": DIALECTS["draft-07"], **PAIR_CARD}), encoding="utf-8")
    document = tmp_path / "doc.json"
    document.write_text(json.dumps(PAIR_CARD_DOCUMENT), encoding="utf-8")
    common = ["validate", "--schemas", str(schema), "-s", "d7", str(document)]
    assert main(common) == 1
    text = capsys.readouterr().out
    additional = "Additional items are not allowed (3 was unexpected)"
    assert f"/pair: {additional}  [d7#/properties/pair/additionalItems]" in text
    assert "/pair/1: \"b\" is not of type 'integer'  [d7#/properties/pair/items/1/type]" in text
    assert "[d7#/properties/card/dependencies]" in text
    assert "prefixItems" not in text and "dependentRequired" not in text
    assert main([*common, "--format", "json"]) == 1
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert [(e["rule"], e["rule_location"]) for e in errors] == [
        ("dependencies", "/properties/card/dependencies"),
        ("exclusiveMinimum", "/properties/n/exclusiveMinimum"),
        ("additionalItems", "/properties/pair/additionalItems"),
        ("type", "/properties/pair/items/1/type"),
        ("minimum", "/definitions/pos/minimum"),
    ]  # fmt: skip


def test_assert_valid_and_pickled_validators_say_it_too(tmp_path: Path) -> None:
    schema_set = _load(tmp_path, {"d7.json": {"$schema": DIALECTS["draft-07"], **PAIR_CARD}})
    with pytest.raises(SchemaAssertionError) as raised:
        assert_valid(PAIR_CARD_DOCUMENT, "d7", schemas=schema_set)
    assert "rule:  d7#/properties/pair/additionalItems" in str(raised.value)
    validator = schema_set.validator("d7")
    copy = pickle.loads(pickle.dumps(validator))
    assert copy.errors(PAIR_CARD_DOCUMENT) == validator.errors(PAIR_CARD_DOCUMENT)
    assert "additionalItems" in {issue.rule for issue in copy.errors(PAIR_CARD_DOCUMENT)}


def test_lint_points_into_the_file_as_written(tmp_path: Path) -> None:
    """Every place a finding names (its pointer, related places, the places quoted in
    its message) is one the file has; so are the places of findings about the file as
    written (tolerated forms), which are not translated twice."""
    schema = {
        "$schema": DIALECTS["draft-07"],
        "type": "object",
        "properties": {
            "p": {
                "type": "array",
                "items": [{"oneOf": [{"type": "string"}, {}]}, {"deprecated": "old"}],
                "additionalItems": {"not": {}},
            },
            "d": {"dependencies": {"a": {"$ref": "#/properties/p/items/7"}}},
        },
    }
    (tmp_path / "l7.json").write_text(json.dumps(schema), encoding="utf-8")
    findings = lint(tmp_path).findings
    seen = {(f.rule, f.pointer) for f in findings}
    assert seen == {
        ("oneof-overlap", "/properties/p/items/0/oneOf"),
        ("tolerated-form", "/properties/p/items/1/deprecated"),
        ("unsatisfiable", "/properties/p/additionalItems"),
        ("dangling-ref", "/properties/d/dependencies/a/$ref"),
    }
    assert all(f.file_pointer == f.pointer for f in findings)
    [overlap] = [f for f in findings if f.rule == "oneof-overlap"]
    assert [str(place) for place in overlap.related] == [
        "l7#/properties/p/items/0/oneOf/0",
        "l7#/properties/p/items/0/oneOf/1",
    ]
    [unsatisfiable] = [f for f in findings if f.rule == "unsatisfiable"]
    assert "'not' at l7#/properties/p/additionalItems rejects" in unsatisfiable.message
    [dangling] = [f for f in findings if f.rule == "dangling-ref"]
    assert "'#/properties/p/items/7'" in dangling.message
    text = json.dumps([f.to_dict() for f in findings])
    for translated in ("prefixItems", "dependentSchemas"):
        assert translated not in text
    cycle = {"$schema": DIALECTS["draft-07"], "items": [{"$ref": "#/items/0"}]}
    (tmp_path / "l7.json").write_text(json.dumps({**cycle, "additionalItems": False}), "utf-8")
    [looping] = lint(tmp_path).findings
    assert (looping.rule, looping.pointer) == ("ref-cycle", "/items/0/$ref")


@pytest.mark.parametrize(
    ("schema", "where", "message"),
    [
        (
            {"items": [{"$ref": "#/definitions/missing"}]},
            "#/items/0/$ref",
            "cannot resolve $ref '#/definitions/missing'",
        ),
        (
            {"dependencies": {"a": {"$ref": "#/items/3"}}, "items": [{}]},
            "#/dependencies/a/$ref",
            "cannot resolve $ref '#/items/3'",
        ),
        (
            {"items": [{}, {"$ref": "#/items/1"}]},
            "#/items/1/$ref",
            "$ref cycle with no base case: #/items/1 -> #/items/1",
        ),
        (
            {"properties": {"a": {"$ref": "#/properties/a"}}},
            "#/properties/a/$ref",
            "$ref cycle with no base case: #/properties/a -> #/properties/a",
        ),
    ],
    ids=["dangling in items", "ref through items", "cycle in items", "cycle in properties"],
)
def test_load_errors_name_the_file_as_written(
    schema: dict[str, Any], where: str, message: str, tmp_path: Path
) -> None:
    """A broken ref in a draft-07 schema is reported where the file has it, as the file
    writes it; a ref that loops on itself under ``items``/``properties`` (which every
    validator would follow forever once it reaches that part) is refused too."""
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"$schema": DIALECTS["draft-07"], **schema}), encoding="utf-8")
    with pytest.raises(schemakit.SchemaLoadError) as raised:
        schemakit.load(path)
    assert raised.value.where == f"{path}{where}"
    assert message in str(raised.value)
    assert "prefixItems" not in str(raised.value)


@pytest.mark.parametrize(
    ("pointer_in", "expected"),
    [
        ("/properties/p/prefixItems/1/type", Written("/properties/p/items/1/type", False)),
        ("/properties/p/prefixItems", Written("/properties/p/items", True)),
        ("/properties/p/items", Written("/properties/p/additionalItems", True)),
        ("/properties/p/itemsx", Written("/properties/p/itemsx", False)),
        ("/prefixItems/0/prefixItems/1", Written("/items/0/items/1", False)),
        ("", Written("", False)),
    ],
)
def test_written_pointer_reads_back_the_longest_moved_prefix(
    pointer_in: str, expected: Written
) -> None:
    origins = {
        "/properties/p/prefixItems": "/properties/p/items",
        "/properties/p/items": "/properties/p/additionalItems",
        "/prefixItems": "/items",
        "/prefixItems/0/prefixItems": "/items/0/items",
    }
    assert written_pointer(origins, pointer_in) == expected


# -- against each draft's reference validator, on the official suite ---------------------
# The keywords the translation renames or rewords: where they fail, the reference of the
# schema's own draft names the same (document pointer, keyword) pairs as schemakit.
TRANSLATED = frozenset(
    {
        "items",
        "additionalItems",
        "dependencies",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "contains",
    }
)
SUITE_FILES = frozenset(
    {
        "items.json",
        "additionalItems.json",
        "dependencies.json",
        "minimum.json",
        "maximum.json",
        "exclusiveMinimum.json",
        "exclusiveMaximum.json",
        "contains.json",
        "unevaluatedItems.json",
        "recursiveRef.json",
        "ref.json",
        "definitions.json",
    }
)


@cache
def _suite_reason() -> str | None:
    try:
        suite.suite_dir()
    except suite.SuiteUnavailable as exc:
        return str(exc)
    return None


def _flat(errors: Any) -> Iterator[Any]:
    for error in errors:
        yield error
        yield from _flat(error.context or ())


def _key(error: Any) -> tuple[str, str]:
    return pointer(error.absolute_path), str(error.validator)


@pytest.mark.parametrize("draft", ["draft-04", "draft-06", "draft-07", "2019-09"])
def test_the_drafts_own_reference_names_the_same_keywords(draft: str, tmp_path: Path) -> None:
    if (reason := _suite_reason()) is not None:
        pytest.skip(f"the JSON-Schema-Test-Suite could not be fetched: {reason}")
    reference_class = draft_named(draft).meta_validator
    checked, wrong = 0, []
    for case in suite.cases(draft):
        text = json.dumps(case.schema)
        if case.file not in SUITE_FILES or suite.REMOTE_PREFIX in text:
            continue
        path = tmp_path / "case.json"
        path.write_text(text, encoding="utf-8")
        validator = schemakit.load(path, default_draft=draft).validator("case")
        reference = reference_class(case.schema)
        # jsonschema follows refs silently: its schema path is a place in the file only
        # where no ref was crossed
        located = "$ref" not in text and "$recursiveRef" not in text
        for description, document, valid in case.tests:
            if valid:
                continue
            errors = list(reference.iter_errors(document))
            top = {_key(e): e for e in errors if str(e.validator) in TRANSLATED}
            anywhere = {_key(e) for e in _flat(errors)}
            engines: dict[str, Callable[[Any], list[Issue] | None]] = {
                "compiled": validator.compiled_errors,
                "reference": validator.reference_errors,
            }
            for engine, explain in engines.items():
                issues = explain(document)
                if issues is None:
                    continue
                ours = {(i.pointer, i.rule): i for i in issues}
                where = f"{case.file} / {case.description} / {description} ({engine})"
                extra = [k for k in ours if k[1] in TRANSLATED and k not in anywhere]
                missing = [k for k in top if k not in ours]
                worded = [
                    (k, ours[k].message)
                    for k, e in top.items()
                    if k in ours and ours[k].message != readable(e.message, e.instance)
                ]
                moved = [
                    (k, ours[k].rule_location)
                    for k, e in top.items()
                    if located
                    and k in ours
                    and ours[k].rule_location != pointer(e.absolute_schema_path)
                ]
                # the path through refs, as the draft's reference gives it
                moved += [
                    (k, ours[k].schema_path)
                    for k, e in top.items()
                    if k in ours and ours[k].schema_path != pointer(e.absolute_schema_path)
                ]
                if extra or missing or worded or moved:
                    wrong.append((where, extra, missing, worded, moved))
                checked += 1
    assert checked > 20  # the selection did select
    assert not wrong, wrong
