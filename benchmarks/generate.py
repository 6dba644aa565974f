"""Document generation: schemakit.strategies against hypothesis-jsonschema, in the same run.

Method
------
1. Throughput on ``BatchV2ProcessTask`` (the corrected Sentinel bundle). Each generator runs
   a Hypothesis test ``@given(strategy)`` that does nothing, generate phase only, no
   database, health checks off (so the slower peer is measured, not stopped). Time is the
   process's CPU time, so other work on the machine does not count; rounds alternate between
   the generators, each is seeded (round *i* uses ``@seed(i)``, so runs repeat) and
   sized to take about ``--seconds``; documents and seconds are pooled over ``--rounds`` rounds
   (the spread of per-round rates is shown: the peer's cost per document varies a lot).
   Strategy build time is reported separately. Every drawn document is then checked with
   the reference validator (``jsonschema.Draft202012Validator`` with
   ``schemakit.core.formats.FORMAT_CHECKER``): "valid" is the share that passed, "valid docs/s"
   the throughput counting those only. "driver docs/s" repeats the measurement with
   schemakit's seeded driver (``schemakit.testing.fixtures.draw``, no test engine around the draws).
2. Health checks: schemakit's strategy under default Hypothesis settings (100 examples).
3. JSON-Schema-Test-Suite, draft 2020-12: the suite ships inside the jsonschema sdist, which
   is fetched at run time (``pip download --no-deps --no-binary :all: jsonschema==<installed>``
   into a temporary directory; nothing is committed). Every test group outside ``optional/``
   is used, except those that need a remote server (``refRemote.json`` and any schema
   mentioning ``localhost:1234``). For each schema and generator: build the strategy, draw
   up to 25 documents (10 s cap), validate each. A group counts as *only valid* when at
   least one document was drawn and all were valid; *unsatisfiable* when the generator says
   no document exists or draws none (correct when none of the group's test instances is
   valid); the rest is *invalid* (some document failed), *error* (the generator raised) or
   *nothing* (every draw was rejected or timed out although valid instances exist).

hypothesis-jsonschema is optional (``pip install -e '.[bench]'``); if it is missing or does
not run on the installed Hypothesis, the script says so and measures schemakit alone.

Run: ``python benchmarks/generate.py [--seconds 5] [--rounds 6] [--suite DIR | --no-suite]``
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import multiprocessing
import re
import resource
import statistics
import subprocess
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from types import SimpleNamespace
from typing import Any

import corpus  # benchmarks/corpus.py, beside this script
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import Flaky, HypothesisException
from jsonschema import Draft202012Validator
from jsonschema.validators import validator_for

import schemakit
from schemakit.core.formats import FORMAT_CHECKER
from schemakit.core.regex import with_ecma_regexes
from schemakit.core.walk import iter_subschemas
from schemakit.strategies import from_schema
from schemakit.testing.fixtures import FixtureError, draw

NAME = "BatchV2ProcessTask"
_FORK = multiprocessing.get_context("fork")
Factory = Callable[[Any], st.SearchStrategy[Any]]


# -- the generators -------------------------------------------------------------------


class _LegacyMany:
    """``cu.many`` as hypothesis-jsonschema 0.23 calls it (``while elements.more():``), on
    Hypothesis releases where ``many`` became a context manager iterated with ``for``."""

    def __init__(self, data: Any, **sizes: Any) -> None:
        from hypothesis.internal.conjecture import utils

        self._many = utils.many(data, **sizes)
        self._many.__enter__()
        self._elements = iter(self._many)

    def more(self) -> bool:
        if next(self._elements, StopIteration) is StopIteration:
            self._many.__exit__(None)
            return False
        return True

    def reject(self, why: str | None = None) -> None:
        self._many.reject(why)


def _fit_peer(module: Any) -> str:
    """Let the peer run on this Hypothesis: its one use of an internal whose API changed."""
    from hypothesis.internal.conjecture import utils

    if hasattr(utils.many, "more"):
        return ""
    module.cu = SimpleNamespace(many=_LegacyMany)
    return " (with a shim for the changed cu.many API)"


def peer_factory() -> tuple[Factory | None, str]:
    """hypothesis-jsonschema's from_schema, or why it cannot be used here."""
    try:
        import hypothesis_jsonschema
        from hypothesis_jsonschema import _from_schema
    except ImportError:
        return None, "not installed (pip install -e '.[bench]')"
    version = metadata.version("hypothesis-jsonschema") + _fit_peer(_from_schema)
    try:  # a smoke test: it may not run on this Hypothesis release
        draw(hypothesis_jsonschema.from_schema({"type": "object", "minProperties": 1}), 0, 0)
    except Exception as exc:
        return None, f"{version} does not run on Hypothesis {metadata.version('hypothesis')}: {exc}"
    return hypothesis_jsonschema.from_schema, version


# -- throughput -----------------------------------------------------------------------


def given_rate(
    strategy: st.SearchStrategy[Any], examples: int, round_seed: int = 0
) -> tuple[int, float, list[Any]]:
    """(documents, CPU seconds, documents) of one ``@given`` run seeded with ``round_seed``."""
    seen: list[Any] = []

    @seed(round_seed)
    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(document: Any) -> None:
        seen.append(document)

    start = time.process_time()
    collect()
    return len(seen), time.process_time() - start, seen


def driver_rate(
    strategy: st.SearchStrategy[Any], count: int, round_seed: int
) -> tuple[int, float, list[Any]]:
    """The same with ``schemakit.testing.fixtures.draw`` (no test engine around the draws)."""
    seen = []
    start = time.process_time()
    for index in range(count):
        try:
            seen.append(draw(strategy, round_seed, index))
        except FixtureError:
            continue
    return len(seen), time.process_time() - start, seen


@dataclass
class Measured:
    """Documents and CPU seconds per round, pooled: total documents / total seconds."""

    label: str
    build: float = 0.0
    given: list[tuple[int, float]] = field(default_factory=list)
    driver: list[tuple[int, float]] = field(default_factory=list)
    docs: list[Any] = field(default_factory=list)

    @staticmethod
    def pooled(rounds: list[tuple[int, float]]) -> float:
        seconds = sum(t for _, t in rounds)
        return sum(n for n, _ in rounds) / seconds if seconds else 0.0

    @property
    def rate(self) -> float:
        return self.pooled(self.given)

    @property
    def driver_rate(self) -> float:
        return self.pooled(self.driver)

    @property
    def spread(self) -> str:
        rates = [n / t for n, t in self.given if t]
        return f"{min(rates):.0f}-{max(rates):.0f}" if rates else "-"


def throughput(
    factories: dict[str, Factory], bundle: Any, seconds: float, rounds: int
) -> dict[str, Measured]:
    measured: dict[str, Measured] = {}
    strategies = {}
    for label, factory in factories.items():
        start = time.perf_counter()
        strategy = factory(bundle)
        draw(strategy, 0, 0)  # builds lazily on first use: count that as build time
        measured[label] = Measured(label, build=time.perf_counter() - start)
        strategies[label] = strategy
    sizes = {}
    for label, strategy in strategies.items():  # calibrate: about `seconds` per round
        count, spent, _ = given_rate(strategy, 30, round_seed=12345)
        sizes[label] = max(30, int(count / max(spent, 1e-9) * seconds))
    for round_index in range(rounds):
        for label, strategy in strategies.items():
            count, spent, docs = given_rate(strategy, sizes[label], round_seed=round_index)
            measured[label].given.append((count, spent))
            measured[label].docs.extend(docs)
            count, spent, docs = driver_rate(strategy, sizes[label], round_seed=round_index)
            measured[label].driver.append((count, spent))
            measured[label].docs.extend(docs)
    return measured


def report_throughput(measured: dict[str, Measured], validator: Draft202012Validator) -> None:
    print(f"\n== Throughput: {NAME} (documents per CPU second, all rounds pooled) ==")
    print(
        f"{'generator':<24}{'build s':>9}{'docs/s':>10}{'rounds':>10}{'valid':>8}"
        f"{'valid docs/s':>14}{'driver docs/s':>15}{'mean size':>11}"
    )
    valid_rates = {}
    for label, m in measured.items():
        share = sum(validator.is_valid(d) for d in m.docs) / max(1, len(m.docs))
        valid_rates[label] = m.rate * share
        size = statistics.mean(len(json.dumps(d)) for d in m.docs) if m.docs else 0
        print(
            f"{label:<24}{m.build:>9.2f}{m.rate:>10.1f}{m.spread:>10}{share:>8.1%}"
            f"{m.rate * share:>14.1f}{m.driver_rate:>15.1f}{size:>11.0f}"
        )
    if len(measured) == 2:
        ours, peer = measured.values()
        print(
            f"ratio schemakit / peer: {ours.rate / peer.rate:.1f}x docs/s, "
            f"{valid_rates[ours.label] / max(valid_rates[peer.label], 1e-9):.1f}x valid docs/s, "
            f"{ours.driver_rate / peer.driver_rate:.1f}x with the seeded driver"
        )


def health_checks(strategy: st.SearchStrategy[Any]) -> str:
    @settings(database=None)
    @given(strategy)
    def default_settings(document: Any) -> None:
        pass

    try:
        default_settings()
    except HypothesisException as exc:
        return f"FAILED: {type(exc).__name__}: {str(exc).splitlines()[0]}"
    return "passed (default settings, 100 examples)"


# -- the corpus: schemas nobody here wrote ------------------------------------------------


def judge_for(schema: Any) -> Any:
    """``jsonschema``'s validator for the draft the schema declares, with format checking;
    patterns that Python's ``re`` cannot read are matched as ECMA-262 (``saferegex``)."""
    cls = validator_for(schema, default=Draft202012Validator)
    patterns = [
        p
        for node, _base, _pointer in iter_subschemas(schema, "")
        for p in [node.get("pattern"), *(node.get("patternProperties") or {})]
        if isinstance(p, str)
    ]
    if all(_python_reads(p) for p in patterns):
        cls.check_schema(schema)
    else:  # the meta-schema's "regex" format would compile them with Python's re
        cls.check_schema(schema, format_checker=None)
        cls = with_ecma_regexes(cls)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _python_reads(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def _root_cause(exc: BaseException) -> BaseException:
    """The first exception inside (nested) exception groups."""
    while isinstance(getattr(exc, "exceptions", None), (list, tuple)) and exc.exceptions:  # type: ignore[attr-defined]
        if isinstance(exc, Flaky):
            break
        exc = exc.exceptions[0]  # type: ignore[attr-defined]
    return exc


@dataclass
class Outcome:
    verdict: str
    detail: str = ""
    build: float = 0.0  # CPU seconds to build the strategy
    total: float = 0.0  # CPU seconds to build it and draw every document


def _draw_all(factory: Factory, case: corpus.Case, examples: int) -> tuple[Any, ...]:
    """("docs", documents, build s, total s) or ("failed", verdict, detail, build s)."""
    docs: list[Any] = []
    start = time.process_time()
    build = 0.0

    @seed(0)
    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def collect(data: st.DataObject) -> None:
        docs.append(data.draw(strategy))

    try:
        strategy = factory(case.schema)
        build = time.process_time() - start
        collect()
    except Exception as exc:  # every failure is a verdict here
        return ("failed", *_failure(exc, case, bool(docs)), build)
    return ("docs", docs, build, time.process_time() - start)


def _child(pipe: Any, factory: Factory, case: corpus.Case, examples: int, budget: float) -> None:
    limit = math.ceil(budget)
    resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 1))  # then SIGXCPU ends it
    pipe.send(_draw_all(factory, case, examples))


def corpus_verdict(factory: Factory, case: corpus.Case, examples: int, budget: float) -> Outcome:
    """How ``examples`` documents drawn under ``@given`` (generate phase, seeded) fare, with
    ``budget`` CPU seconds for building the strategy and drawing them. The generator runs in a
    forked process, so a timeout stops it wherever it is and no state carries over."""
    receive, send = _FORK.Pipe(duplex=False)
    process = _FORK.Process(target=_child, args=(send, factory, case, examples, budget))
    process.start()
    send.close()
    try:
        # CPU time is what is limited; the wall clock only guards against a stuck child.
        result = receive.recv() if receive.poll(budget * 4 + 10) else None
    except EOFError:  # ended by the CPU limit
        result = None
    finally:
        process.kill()
        process.join()
    if result is None:
        return Outcome("timeout", f"over {budget:.0f} CPU s", total=budget)
    if result[0] == "failed":
        _, verdict, detail, build = result
        return Outcome(verdict, detail, build, build)
    _, docs, build, total = result
    if not docs:
        return Outcome(
            "unsatisfiable-ok" if case.satisfiable is False else "nothing", "", build, total
        )
    judge = judge_for(case.schema)
    bad = [d for d in docs if not judge.is_valid(d)]
    if bad:
        first = next(iter(judge.iter_errors(bad[0])))
        detail = f"{len(bad)}/{len(docs)}: {first.json_path}: {first.message[:120]}"
        return Outcome("invalid", detail, build, total)
    return Outcome("only-valid", "", build, total)


def _failure(exc: BaseException, case: corpus.Case, drew: bool) -> tuple[str, str]:
    cause = _root_cause(exc)
    name = type(cause).__name__
    detail = f"{name}: {str(cause).splitlines()[0][:160] if str(cause) else ''}"
    if isinstance(cause, Flaky):
        return "flaky", detail
    if name == "Unsatisfiable":  # Hypothesis: every draw was rejected
        return "nothing", detail
    if isinstance(cause, schemakit.UnsatisfiableSchemaError) or (
        not isinstance(cause, schemakit.SchemakitError) and "nsatisfiable" in str(cause)
    ):  # the peer says so in its own words
        right = case.satisfiable is False and not drew
        return ("unsatisfiable-ok" if right else "unsatisfiable"), detail
    if isinstance(cause, schemakit.SchemakitError):
        return "refused", detail
    return "error", detail


CORPUS_KINDS = (
    "only-valid",
    "unsatisfiable-ok",
    "invalid",
    "unsatisfiable",
    "refused",
    "flaky",
    "error",
    "timeout",
    "nothing",
)


def report_corpus(
    factories: dict[str, Factory],
    groups: list[str],
    sample: int,
    examples: int,
    budget: float,
    verbose: bool,
) -> None:
    print(f"\n== Corpus: {examples} documents per schema, {budget:.0f} s budget each ==")
    print("(share: all-valid, i.e. only valid documents, or rightly none; see corpus.py)")
    for group in groups:
        try:
            cases = corpus.cases(group)
        except (subprocess.CalledProcessError, OSError, StopIteration) as exc:
            print(f"{group}: cannot fetch it ({exc})")
            continue
        chosen, skipped = [], 0
        for case in corpus.sample(cases, sample):
            try:
                judge_for(case.schema)
            except Exception:
                skipped += 1
                continue
            chosen.append(case)
        note = f", {skipped} left out (invalid under their own meta-schema)" if skipped else ""
        print(f"\n{group}: {len(chosen)} of {len(cases)} schemas{note}")
        # The forked children inherit this process's heap (the OpenAPI group holds about a
        # gigabyte of bundled components): without this, every full collection in a child
        # walks it, seconds of CPU that no generator spends. Unchosen cases are dropped, the
        # rest frozen out of the collector's sight.
        del cases
        gc.collect()
        gc.freeze()
        print(
            f"{'generator':<24}"
            + "".join(f"{k[:12]:>13}" for k in CORPUS_KINDS)
            + f"{'share':>8}{'CPU s':>8}"
        )
        for label, factory in factories.items():
            counts: Counter[str] = Counter()
            failures = []
            spent = 0.0
            slow: list[tuple[float, float, str]] = []
            for case in chosen:
                outcome = corpus_verdict(factory, case, examples, budget)
                counts[outcome.verdict] += 1
                spent += outcome.total
                slow.append((outcome.total, outcome.build, case.name))
                if outcome.verdict not in ("only-valid", "unsatisfiable-ok"):
                    failures.append(f"{outcome.verdict}: {case.name}: {outcome.detail}")
                    if verbose:  # as they come: a full run takes a while
                        print(f"  [{label}] {failures[-1]}", file=sys.stderr, flush=True)
            share = (counts["only-valid"] + counts["unsatisfiable-ok"]) / max(1, len(chosen))
            print(
                f"{label:<24}"
                + "".join(f"{counts[k]:>13}" for k in CORPUS_KINDS)
                + f"{share:>8.3f}{spent:>8.0f}"
            )
            for line in failures if verbose else failures[:5]:
                print(f"    {line}")
            if verbose:
                for total, build, name in sorted(slow, reverse=True)[:5]:
                    print(f"    slowest: {name}: {total:.2f} CPU s, of which build {build:.2f}")
            if not verbose and len(failures) > 5:
                print(f"    ... and {len(failures) - 5} more (--verbose lists them)")


# -- main -----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per generator and round")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--no-throughput", action="store_true", help="skip parts 1 and 2")
    parser.add_argument(
        "--corpus",
        default="shapes,sentinel-hub,schemastore,openapi,suite",
        help="comma-separated groups of corpus.py ('' skips part 3)",
    )
    parser.add_argument("--sample", type=int, default=40, help="schemas per group (0: all)")
    parser.add_argument("--examples", type=int, default=20, help="documents per schema")
    parser.add_argument("--budget", type=float, default=5.0, help="seconds per schema")
    parser.add_argument("--verbose", action="store_true", help="list every failure")
    parser.add_argument("--schemakit-only", action="store_true", help="leave the peer out")
    args = parser.parse_args()
    warnings.simplefilter("ignore")

    factories: dict[str, Factory] = {"schemakit": from_schema}
    peer, about = peer_factory()
    print(f"schemakit {schemakit.__version__}, Hypothesis {metadata.version('hypothesis')}")
    print(f"hypothesis-jsonschema: {about}")
    if peer is not None and not args.schemakit_only:
        factories["hypothesis-jsonschema"] = peer

    if not args.no_throughput:
        schema_set = schemakit.load()
        bundle = schema_set.bundle(NAME)
        validator = Draft202012Validator(bundle, format_checker=FORMAT_CHECKER)
        report_throughput(throughput(factories, bundle, args.seconds, args.rounds), validator)
        print(f"\nhealth checks, schemakit on {NAME}: {health_checks(schema_set.strategy(NAME))}")
    groups = [group for group in args.corpus.split(",") if group]
    report_corpus(factories, groups, args.sample, args.examples, args.budget, args.verbose)


if __name__ == "__main__":
    main()
