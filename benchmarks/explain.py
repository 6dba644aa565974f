"""Explaining invalid documents: ``errors()`` against raw ``jsonschema-rs`` ``iter_errors``,
and ``schemakit validate`` on invalid documents against valid ones, measured in one run.

Method
------
Documents: the task variations of ``benchmarks/validate.py`` (``examples/task.json`` and
the documentation payloads, every free value redrawn), in two groups of invalid ones:

- *mutated*: one mutation each (bad enum, out-of-range number, bad UUID or date-time,
  missing key, wrong type, unknown collection), against the corrected set;
- *published*: the valid task variations the set as published (``--upstream``) rejects
  (it rejects every real task response): several failures each, most inside ``oneOf``s.

``errors()`` contenders, on the same bundle of ``BatchV2ProcessTask``, taking turns on each
document; each one's time is the sum over the documents of its best of R runs on each
(see ``per_document``):

- schemakit ``Validator.errors`` (the verdict, then the explanation);
- jsonschema-rs ``iter_errors`` (``validator_for(bundle, validate_formats=True)``), the
  peer of the target;
- jsonschema-rs ``evaluate().list()``, the structured output, for the record (why the
  explanations are built from ``iter_errors``: see ``schemakit.validate.explain``),
  timed apart (best whole pass);
- schemakit ``reference_errors`` (Python ``jsonschema``, what ``errors()`` used to cost),
  on a sample, one round.

``schemakit validate`` runs as a command on JSON Lines files of L documents each (best of
R, in CPU seconds of the command, the runs taking turns): the mutated documents against as
many valid ones; the published group (every document invalid) against the same documents
with the corrected set (every one valid); and ``--format json`` against text on the
mutated ones. Each time includes the start-up of the command, which is also shown on its
own (a one-document file).

Targets: ``errors()`` >= 0.5x the documents/second of ``iter_errors`` in both groups;
``schemakit validate`` on invalid documents <= 3x its time on as many valid ones;
``--format json`` within 1.1x of text.

Run: ``python benchmarks/explain.py [--count N] [--lines L] [--repeat R] [--json]``
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema_rs

import schemakit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from validate import build  # the task variations of the validation benchmark

NAME = "BatchV2ProcessTask"
Document = dict[str, Any]


def per_document(
    contenders: dict[str, Callable[[Any], Any]], documents: list[Document], rounds: int
) -> dict[str, float]:
    """Documents/second of each contender: the sum over the documents of its best of
    ``rounds`` runs on each, the contenders taking turns on every document. On a shared
    machine a run of a few hundred microseconds is either undisturbed or visibly slower,
    so the per-document best is a stable figure where the best whole pass is not."""
    total = dict.fromkeys(contenders, 0.0)
    for document in documents:
        best = dict.fromkeys(contenders, float("inf"))
        for _ in range(rounds):
            for name, check in contenders.items():
                start = time.perf_counter()
                check(document)
                best[name] = min(best[name], time.perf_counter() - start)
        for name, seconds in best.items():
            total[name] += seconds
    return {name: len(documents) / seconds for name, seconds in total.items()}


def once(check: Callable[[Any], Any], documents: list[Document]) -> float:
    start = time.perf_counter()
    for document in documents:
        check(document)
    return len(documents) / (time.perf_counter() - start)


def errors_group(
    schema_set: schemakit.SchemaSet, documents: list[Document], rounds: int, sample: int
) -> dict[str, Any]:
    ours = schema_set.validator(NAME)
    raw = jsonschema_rs.validator_for(schema_set.bundle(NAME), validate_formats=True)
    assert not any(ours.is_valid(d) for d in documents)
    handed_over = sum(ours.compiled_errors(d) is None for d in documents)
    speeds = per_document(
        {
            "schemakit errors": ours.errors,
            "jsonschema-rs iter_errors": lambda d: list(raw.iter_errors(d)),
        },
        documents,
        rounds,
    )
    # Apart: the Python objects it makes would be collected in the others' time.
    speeds["jsonschema-rs evaluate().list()"] = max(
        once(lambda d: raw.evaluate(d).list(), documents) for _ in range(rounds)
    )
    speeds["schemakit reference_errors (jsonschema)"] = once(
        ours.reference_errors, documents[:sample]
    )
    return {
        "documents": len(documents),
        "failures per document": sum(len(ours.errors(d)) for d in documents) / len(documents),
        "handed to jsonschema": handed_over,
        "documents/second": speeds,
        "errors vs iter_errors": speeds["schemakit errors"] / speeds["jsonschema-rs iter_errors"],
    }


def commands(runs: dict[str, list[str]], rounds: int) -> dict[str, float]:
    """Best CPU seconds (user + system) of ``schemakit validate ARGS`` for each of
    ``runs``, output discarded, the runs taking turns. CPU time, not wall-clock: the
    command's own cost, whatever else the machine runs."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):
        for name, args in runs.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            done = subprocess.run(
                [sys.executable, "-m", "schemakit.cli", "validate", "-s", NAME, *args],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            assert done.returncode in (0, 1), done.stderr
            spent = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            best[name] = min(best[name], spent)
    return best


def jsonl(path: Path, documents: list[Document], lines: int) -> str:
    """A JSON Lines file of ``lines`` documents, ``documents`` over and over."""
    chosen = itertools.islice(itertools.cycle(documents), lines)
    path.write_text("".join(json.dumps(d) + "\n" for d in chosen))
    return str(path)


def command_group(
    valid: list[Document], invalid: list[Document], lines: int, rounds: int
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        valid_file = jsonl(Path(tmp) / "valid.jsonl", valid, lines)
        invalid_file = jsonl(Path(tmp) / "invalid.jsonl", invalid, lines)
        one_file = jsonl(Path(tmp) / "one.jsonl", valid, 1)
        seconds = commands(
            {
                "start-up (one document)": [one_file],
                "valid": [valid_file],
                "mutated (invalid)": [invalid_file],
                "mutated, --format json": ["--format", "json", invalid_file],
                "valid documents, --upstream (invalid)": ["--upstream", valid_file],
            },
            rounds,
        )
    return {
        "documents per file": lines,
        "CPU seconds": seconds,
        "mutated / valid": seconds["mutated (invalid)"] / seconds["valid"],
        "published / corrected, same documents": (
            seconds["valid documents, --upstream (invalid)"] / seconds["valid"]
        ),
        "json / text": seconds["mutated, --format json"] / seconds["mutated (invalid)"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--count", type=int, default=600, help="documents per group")
    parser.add_argument("--repeat", type=int, default=5, help="best of R rounds")
    parser.add_argument("--sample", type=int, default=60, help="documents for jsonschema")
    parser.add_argument("--lines", type=int, default=3000, help="documents per command run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)

    corrected, published = schemakit.load(), schemakit.load(upstream=True)
    valid, mutated, _dropped = build(corrected, args.count, 1.0, args.seed)
    rejected = [d for d in valid if not published.validator(NAME).is_valid(d)]
    groups = {
        "mutated": errors_group(corrected, mutated, args.repeat, args.sample),
        "published": errors_group(published, rejected, args.repeat, args.sample),
    }
    cli = command_group(rejected, mutated, args.lines, min(args.repeat, 3))
    report = {
        "errors()": groups,
        "schemakit validate": cli,
        "targets met": {
            "errors() >= 0.5x iter_errors": all(
                g["errors vs iter_errors"] >= 0.5 for g in groups.values()
            ),
            "validate invalid <= 3x valid": max(
                cli["mutated / valid"], cli["published / corrected, same documents"]
            )
            <= 3,
            "--format json within 1.1x of text": cli["json / text"] <= 1.1,
        },
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    for group, numbers in groups.items():
        print(
            f"{group}: {numbers['documents']} invalid {NAME} documents, "
            f"{numbers['failures per document']:.1f} issues each, "
            f"{numbers['handed to jsonschema']} handed to jsonschema"
        )
        for name, value in numbers["documents/second"].items():
            print(f"  {name:<42}{value:>10,.0f} documents/second")
        print(f"  errors() / iter_errors: {numbers['errors vs iter_errors']:.2f}x\n")
    print(f"schemakit validate, {cli['documents per file']} documents per JSON Lines file:")
    for name, value in cli["CPU seconds"].items():
        print(f"  {name:<42}{value:>8.2f} CPU s")
    print(f"  invalid / valid: {cli['mutated / valid']:.2f}x (mutated), ", end="")
    print(f"{cli['published / corrected, same documents']:.2f}x (published, same documents)")
    print(f"  --format json / text: {cli['json / text']:.2f}x\n")
    for target, met in report["targets met"].items():
        print(f"target {target}: {'met' if met else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
