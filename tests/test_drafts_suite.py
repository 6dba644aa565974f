"""The official JSON-Schema-Test-Suite, per draft: schemakit's verdicts, the normaliser's
equivalence, and the two engines' agreement.

The suite is fetched at test time from the ``jsonschema`` sdist (``benchmarks/suite.py``,
cached); the tests skip only if pip cannot reach the index. The default run covers every
counted test of the files where the drafts differ (refs and ids, items, dependencies,
bounds, dynamic refs...) and the first group of every other file, for every draft;
``SCHEMAKIT_FULL_SUITE=1`` runs every counted test (``benchmarks/conformance.py`` prints
the whole table).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

import schemakit
from conftest import ROOT
from schemakit.cli import main
from schemakit.core.drafts import detect_draft, draft_named
from schemakit.core.formats import FORMAT_CHECKER
from schemakit.core.regex import detailed_class
from schemakit.load.normalise import normalise, rewrite_moved_refs

sys.path.insert(0, str(ROOT / "benchmarks"))
import suite

FULL = os.environ.get("SCHEMAKIT_FULL_SUITE") == "1"
# Files whose keywords mean different things in different drafts: run whole by default.
DRAFT_SENSITIVE = frozenset(
    {
        "ref.json",
        "id.json",
        "anchor.json",
        "definitions.json",
        "defs.json",
        "items.json",
        "additionalItems.json",
        "prefixItems.json",
        "dependencies.json",
        "dependentRequired.json",
        "dependentSchemas.json",
        "exclusiveMaximum.json",
        "exclusiveMinimum.json",
        "maximum.json",
        "minimum.json",
        "recursiveRef.json",
        "dynamicRef.json",
        "unevaluatedItems.json",
        "if-then-else.json",
        "boolean_schema.json",
        "optional/format/email.json",
        "optional/format/idn-email.json",
        "optional/format/regex.json",
    }
)


@cache
def _available() -> str | None:
    try:
        suite.suite_dir()
    except suite.SuiteUnavailable as exc:
        return str(exc)
    return None


def _selected(draft: str) -> Iterator[suite.Case]:
    seen: set[str] = set()
    for case in suite.cases(draft):
        if FULL or case.file in DRAFT_SENSITIVE or case.file not in seen:
            yield case
        seen.add(case.file)


def _files() -> list[tuple[str, str]]:
    """(draft, file) pairs, one test each (so xdist spreads them)."""
    if _available() is not None:
        return [(draft, "-") for draft in suite.DRAFT_FOLDERS]
    return [(draft, file) for draft in suite.DRAFT_FOLDERS for file in suite.counted_files(draft)]


def _cases(draft: str, file: str) -> list[suite.Case]:
    if (reason := _available()) is not None:
        pytest.skip(f"the JSON-Schema-Test-Suite could not be fetched: {reason}")
    return [case for case in _selected(draft) if case.file == file]


def _load(case: suite.Case, tmp_path: Path) -> schemakit.SchemaSet:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case.schema), encoding="utf-8")
    return schemakit.load(
        path, default_draft=case.draft, ref_maps={suite.REMOTE_PREFIX: suite.remotes_dir()}
    )


@pytest.mark.parametrize(("draft", "file"), _files())
def test_schemakit_passes_the_suite(draft: str, file: str, tmp_path: Path) -> None:
    """Each schema loads under its draft, and the verdict on each document is the suite's;
    the detailed engine (jsonschema, which explains) agrees with the compiled one."""
    wrong, disagree = [], []
    for case in _cases(draft, file):
        validator = _load(case, tmp_path).validator("case")
        for description, document, valid in case.tests:
            verdict = validator.is_valid(document)
            if verdict is not valid:
                wrong.append(f"{case.description} / {description}")
            explained = not validator.errors(document)
            if explained is not verdict or not (verdict or _detailed_sees(validator, document)):
                disagree.append(f"{case.description} / {description}")
    assert not wrong, f"{draft} {file}: wrong verdicts: {wrong}"
    assert not disagree, f"{draft} {file}: the engines disagree: {disagree}"


def _detailed_sees(validator: Any, document: Any) -> bool:
    """jsonschema itself finds a problem (not the compiled engine's fallback report)."""
    return bool(validator.reference_errors(document))


@cache
def _normalised_remotes(draft: str) -> dict[str, Any]:
    """The suite's remotes and every meta-schema, normalised as the loader would."""
    from jsonschema_specifications import REGISTRY

    documents = {
        suite.REMOTE_PREFIX + path.relative_to(suite.remotes_dir()).as_posix(): json.loads(
            path.read_text(encoding="utf-8")
        )
        for path in sorted(suite.remotes_dir().rglob("*.json"))
    }
    documents.update({uri: REGISTRY.contents(uri) for uri in REGISTRY if "draft-03" not in uri})
    result = {}
    for uri, document in documents.items():
        if "/draft-next/" in uri:
            continue  # a draft after 2020-12, which schemakit does not read
        translated = normalise(document, detect_draft(document, draft_named(draft)), uri)
        result[uri] = rewrite_moved_refs(translated.contents, uri, translated.moves)
    return result


@pytest.mark.parametrize("draft", list(suite.DRAFT_FOLDERS))
def test_normalised_schemas_keep_every_verdict(draft: str) -> None:
    """The 2020-12 translation of every suite schema of ``draft`` (validated natively by
    jsonschema-rs as 2020-12, with the remotes and meta-schemas translated too) gives the
    suite's verdict on every counted test: the translation is proven, not assumed."""
    if (reason := _available()) is not None:
        pytest.skip(f"the JSON-Schema-Test-Suite could not be fetched: {reason}")
    remotes = _normalised_remotes(draft)
    # meta-schemas up front (jsonschema-rs never asks for them), the remotes on demand
    metaschemas = [
        (uri + ("#" if "/draft-0" in uri else ""), document)
        for uri, document in remotes.items()
        if not uri.startswith(suite.REMOTE_PREFIX)
    ]
    registry = jsonschema_rs.Registry(metaschemas, retriever=lambda uri: remotes[uri])
    wrong = []
    for case in suite.cases(draft):
        translated = normalise(case.schema, detect_draft(case.schema, draft_named(draft)))
        schema = rewrite_moved_refs(translated.contents, "", translated.moves)
        validator = jsonschema_rs.validator_for(schema, registry=registry, validate_formats=False)
        for description, document, valid in case.tests:
            if case.file.startswith("optional/format/"):
                continue  # format checks are schemakit's own, tested above
            if validator.is_valid(document) is not valid:
                wrong.append(f"{case.file}: {case.description} / {description}")
    assert not wrong, wrong


def test_translation_is_2020_12() -> None:
    """What the translation produces: the 2020-12 keywords, never the old forms."""
    old: dict[str, Any] = {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "id": "http://example.com/root.json",
        "definitions": {"a": {"id": "#a", "type": "integer"}},
        "items": [{"$ref": "#a", "type": "string"}, {"$ref": "#/items/0"}],
        "additionalItems": False,
        "dependencies": {"x": ["y"], "z": {"required": ["w"]}},
        "maximum": 5,
        "exclusiveMaximum": True,
        "if": {"type": "string"},  # not a keyword in draft-04
    }
    result = normalise(old, draft_named("draft-04"), "http://example.com/root.json")
    schema = rewrite_moved_refs(result.contents, "http://example.com/root.json", result.moves)
    assert schema == {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "http://example.com/root.json",
        "definitions": {"a": {"$anchor": "a", "type": "integer"}},
        "prefixItems": [{"$ref": "#a"}, {"$ref": "#/prefixItems/0"}],
        "items": False,
        "dependentRequired": {"x": ["y"]},
        "dependentSchemas": {"z": {"required": ["w"]}},
        "exclusiveMaximum": 5,
    }
    assert old["items"][0] == {"$ref": "#a", "type": "string"}  # the input is not changed


# -- the command line, per draft -------------------------------------------------------------
# The files of the keywords the translation rewrites (the engines under the CLI are held
# to the whole suite above); each case is two runs of the CLI, so the list stays short.
CLI_FILES = frozenset(
    {
        "items.json",
        "additionalItems.json",
        "prefixItems.json",
        "dependencies.json",
        "dependentRequired.json",
        "minimum.json",
        "exclusiveMinimum.json",
        "exclusiveMaximum.json",
        "contains.json",
        "definitions.json",
        "defs.json",
        "id.json",
        "anchor.json",
    }
)


# Keywords that say which kind of value a schema without "type" is about.
_KIND_KEYWORDS = {
    "array": {"items", "additionalItems", "prefixItems", "contains", "minItems", "maxItems"},
    "object": {"properties", "required", "additionalProperties", "dependencies"},
}


def _kind(value: Any) -> str:
    return "array" if isinstance(value, list) else "object" if isinstance(value, dict) else "-"


def _only_unmentioned_kinds(case: suite.Case) -> bool:
    """Whether every document of the suite the schema accepts is of a kind its keywords do
    not mention: ``{"contains": false}`` holds only non-arrays, and fixtures refuse it as
    documented (README "Generating documents and fixtures") instead of generating ``5``s."""
    schema = case.schema if isinstance(case.schema, dict) else {}
    mentioned = {kind for kind, words in _KIND_KEYWORDS.items() if words & schema.keys()}
    valid = [document for _description, document, ok in case.tests if ok]
    return "type" not in schema and all(_kind(d) not in mentioned for d in valid)


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("draft", list(suite.DRAFT_FOLDERS))
def test_the_cli_gives_the_suites_verdicts_and_valid_fixtures(
    draft: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``schemakit validate`` (the compiled verdict, explained when invalid) gives the
    suite's verdict on every selected test of ``draft``; ``schemakit fixtures`` writes only
    documents that ``jsonschema``'s validator of that draft accepts, every format checked,
    and refuses only schemas no test document of the suite satisfies."""
    if (reason := _available()) is not None:
        pytest.skip(f"the JSON-Schema-Test-Suite could not be fetched: {reason}")
    judge_class = detailed_class(draft_named(draft).meta_validator)
    remote = ["--ref-map", f"{suite.REMOTE_PREFIX}={suite.remotes_dir()}/"]
    wrong, unexplained, invalid, refused = [], [], [], []
    cases = [case for case in suite.cases(draft) if case.file in CLI_FILES]
    for index, case in enumerate(cases):
        name = f"c{index}"
        schema = tmp_path / f"{name}.json"
        schema.write_text(json.dumps(case.schema), encoding="utf-8")
        documents = tmp_path / f"{name}.jsonl"
        documents.write_text("".join(json.dumps(t[1]) + "\n" for t in case.tests), "utf-8")
        common = ["--schemas", str(schema), *remote]
        argv = ["validate", "-s", name, *common, str(documents), "--format", "json"]
        code, out, err = _run(argv, capsys)
        results = [json.loads(line) for line in out.split("\n") if line]
        assert code in (0, 1) and len(results) == len(case.tests), (case.label, err)
        for (description, _document, valid), result in zip(case.tests, results, strict=True):
            if result["valid"] is not valid:
                wrong.append(f"{case.file}: {case.description} / {description}")
            elif not valid and not all(e["rule"] and e["message"] for e in result["errors"]):
                unexplained.append(f"{case.file}: {case.description} / {description}")
        if suite.REMOTE_PREFIX in json.dumps(case.schema):
            continue  # the judge below has no remotes
        code, out, err = _run(["fixtures", name, *common, "-n", "3"], capsys)
        if code != 0:
            if "no value satisfies" not in err or not _only_unmentioned_kinds(case):
                refused.append(f"{case.file}: {case.description}: {err.strip()}")
            continue
        judge = judge_class(case.schema, format_checker=FORMAT_CHECKER)
        for line in out.split("\n")[:-1]:  # JSON Lines: "\u2028" is not a line end here
            problems = [e.message for e in judge.iter_errors(json.loads(line))]
            if problems:
                invalid.append(f"{case.file}: {case.description}: {line[:80]} {problems[:1]}")
    assert len(cases) > 10  # the selection did select
    assert not wrong, f"{draft}: wrong verdicts: {wrong}"
    assert not unexplained, f"{draft}: invalid without a rule and message: {unexplained}"
    assert not refused, f"{draft}: fixtures refused: {refused}"
    assert not invalid, f"{draft}: fixtures the reference rejects: {invalid}"
