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
import glob
import json
import os
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException
from jsonschema import Draft202012Validator

import schemakit
from schemakit.core.formats import FORMAT_CHECKER
from schemakit.strategies import from_schema
from schemakit.testing.fixtures import FixtureError, draw

NAME = "BatchV2ProcessTask"
Factory = Callable[[Any], st.SearchStrategy[Any]]


# -- the generators -------------------------------------------------------------------


def peer_factory() -> tuple[Factory | None, str]:
    """hypothesis-jsonschema's from_schema, or why it cannot be used here."""
    try:
        import hypothesis_jsonschema
    except ImportError:
        return None, "not installed (pip install -e '.[bench]')"
    version = metadata.version("hypothesis-jsonschema")
    try:  # a smoke test: it may not run on this Hypothesis release
        draw(hypothesis_jsonschema.from_schema({"type": "integer"}), 0, 0)
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


# -- the official test suite ----------------------------------------------------------


def fetch_suite(into: str) -> str:
    """Download the jsonschema sdist (it contains the test suite); the draft 2020-12 folder."""
    version = metadata.version("jsonschema")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--no-binary",
            ":all:",
            f"jsonschema=={version}",
            "-d",
            into,
        ],
        check=True,
        capture_output=True,
    )
    archive = glob.glob(os.path.join(into, "jsonschema-*.tar.gz"))[0]
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if "/json/tests/draft2020-12/" in m.name]
        if hasattr(tarfile, "data_filter"):  # Python 3.12, and 3.10.12/3.11.4 onwards
            tar.extractall(into, members=members, filter="data")
        else:  # pragma: no cover
            tar.extractall(into, members=members)
    return glob.glob(os.path.join(into, "jsonschema-*", "json", "tests", "draft2020-12"))[0]


def suite_groups(folder: str) -> Iterator[tuple[str, Any]]:
    for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
        if os.path.basename(path) == "refRemote.json":
            continue
        with open(path, encoding="utf-8") as handle:
            for group in json.load(handle):
                if "localhost:1234" not in json.dumps(group["schema"]):
                    yield f"{os.path.basename(path)}: {group['description']}", group


class Timeout(Exception):
    pass


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: Any) -> None:
        raise Timeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def judge(factory: Factory, group: Any, draws: int = 25, limit: float = 10.0) -> str:
    schema = group["schema"]
    validator = Draft202012Validator(schema, format_checker=FORMAT_CHECKER)
    docs: list[Any] = []
    try:
        with time_limit(limit):
            strategy = factory(schema)
            for index in range(draws):
                try:
                    docs.append(draw(strategy, 0, index))
                except FixtureError:
                    continue
    except Timeout:
        pass
    except Exception as exc:  # the peer reports unsatisfiable schemas with its own exception
        unsatisfiable = isinstance(exc, schemakit.UnsatisfiableSchemaError) or (
            "nsatisfiable" in str(exc) or type(exc).__name__ == "Unsatisfiable"
        )
        if not unsatisfiable:
            return "error"
        possible = any(test["valid"] for test in group["tests"])
        return "unsatisfiable-wrong" if possible else "unsatisfiable-ok"
    if not docs:  # yielding nothing is right when nothing is valid
        return "nothing" if any(test["valid"] for test in group["tests"]) else "unsatisfiable-ok"
    return "only-valid" if all(validator.is_valid(d) for d in docs) else "invalid"


def report_suite(factories: dict[str, Factory], folder: str) -> None:
    groups = list(suite_groups(folder))
    print(f"\n== JSON-Schema-Test-Suite draft 2020-12: {len(groups)} schemas (no remote refs) ==")
    kinds = ["only-valid", "unsatisfiable-ok", "invalid", "unsatisfiable-wrong", "error", "nothing"]
    print(f"{'generator':<24}" + "".join(f"{k:>20}" for k in kinds) + f"{'share correct':>15}")
    for label, factory in factories.items():
        counts: Counter[str] = Counter()
        failures = []
        for title, group in groups:
            verdict = judge(factory, group)
            counts[verdict] += 1
            if verdict not in ("only-valid", "unsatisfiable-ok"):
                failures.append(f"{verdict}: {title}")
        correct = (counts["only-valid"] + counts["unsatisfiable-ok"]) / len(groups)
        print(f"{label:<24}" + "".join(f"{counts[k]:>20}" for k in kinds) + f"{correct:>15.1%}")
        for line in failures[:8]:
            print(f"    {line}")
        if len(failures) > 8:
            print(f"    ... and {len(failures) - 8} more")


# -- main -----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per generator and round")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--suite", help="a draft2020-12 test folder (default: download it)")
    parser.add_argument("--no-suite", action="store_true", help="skip the test-suite part")
    args = parser.parse_args()
    warnings.simplefilter("ignore")

    schema_set = schemakit.load()
    bundle = schema_set.bundle(NAME)
    factories: dict[str, Factory] = {"schemakit": from_schema}
    peer, about = peer_factory()
    print(f"schemakit {schemakit.__version__}, Hypothesis {metadata.version('hypothesis')}")
    print(f"hypothesis-jsonschema: {about}")
    if peer is not None:
        factories["hypothesis-jsonschema"] = peer

    validator = Draft202012Validator(bundle, format_checker=FORMAT_CHECKER)
    report_throughput(throughput(factories, bundle, args.seconds, args.rounds), validator)
    print(f"\nhealth checks, schemakit on {NAME}: {health_checks(schema_set.strategy(NAME))}")

    if args.no_suite:
        return
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.suite
        if folder is None:
            try:
                folder = fetch_suite(scratch)
            except (subprocess.CalledProcessError, IndexError, OSError) as exc:
                print(f"\ntest suite: cannot download it ({exc}); pass --suite DIR")
                return
        report_suite(factories, folder)


if __name__ == "__main__":
    main()
