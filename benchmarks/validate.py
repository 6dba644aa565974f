"""Validation throughput (documents/second) of schemakit against raw ``jsonschema`` and
raw ``jsonschema-rs``, measured in the same run on the same documents.

Method
------
Documents: a few thousand valid Batch V2 tasks built by varying ``examples/task.json``
and the documentation payloads that are valid with the corrections (requests are put
into the task's ``request``): new UUIDs, timestamps, statuses, progress and cost, bounding
boxes, cloud cover, time ranges, descriptions. Every one is checked valid by the reference
(``jsonschema`` + ``schemakit.core.formats.FORMAT_CHECKER``); a share of invalid ones (one
mutation each: a bad enum, an out-of-range number, a bad UUID or date-time, a missing
required key, a wrong type), each checked invalid by the reference, is reported apart.

Contenders, all on the same bundle of ``BatchV2ProcessTask`` (corrected set):

- schemakit: ``SchemaSet.validator(name).is_valid`` (and ``.errors`` on invalid ones);
- jsonschema: ``Draft202012Validator(bundle, format_checker=Draft202012Validator.FORMAT_CHECKER)``;
- jsonschema-rs: ``validator_for(bundle, validate_formats=True)``.

Each contender validates every document of a group once per repeat; the best of R repeats
is kept (jsonschema, being slow, runs once). Ratios are schemakit / peer throughput.
Targets: >= 100x raw jsonschema; within 1.5x of raw jsonschema-rs (ratio >= 0.67) for
``is_valid`` on valid documents.

Run: ``python benchmarks/validate.py [--count N] [--invalid-share F] [--repeat R] [--json]``
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import sys
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator

import schemakit
from schemakit.core.formats import FORMAT_CHECKER

ROOT = Path(__file__).resolve().parents[1]
TASK: dict[str, Any] = json.loads((ROOT / "examples" / "task.json").read_text())
STATUSES = ["CREATED", "ANALYSING", "ANALYSIS_DONE", "PROCESSING", "DONE", "FAILED", "STOPPED"]
Document = dict[str, Any]


def bases(schema_set: schemakit.SchemaSet) -> list[Document]:
    """The task and every docs payload that is valid with the corrections, as tasks."""
    found = [TASK]
    for path in sorted((ROOT / "tests" / "data" / "docs").glob("*.json")):
        payload = json.loads(path.read_text())
        document = payload["document"]
        if payload["schema"] == "BatchV2ProcessRequest":
            document = {**copy.deepcopy(TASK), "request": document}
        if schema_set.validator("BatchV2ProcessTask").is_valid(document):
            found.append(document)
    return found


def _timestamp(rng: random.Random) -> str:
    moment = datetime(2019, 1, 1, tzinfo=timezone.utc) + timedelta(
        seconds=rng.randrange(200_000_000), microseconds=rng.randrange(1_000_000)
    )
    return moment.isoformat().replace("+00:00", "Z")


def vary(base: Document, rng: random.Random) -> Document:
    """A valid variation of ``base``: every free value redrawn."""
    task = copy.deepcopy(base)
    for key in ("id", "domainAccountId", "projectId", "workspaceId"):
        if key in task:
            task[key] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    for key in ("created", "lastUpdated", "userActionUpdated"):
        if key in task:
            task[key] = _timestamp(rng)
    task["status"] = rng.choice(STATUSES)
    task["completionPercentage"] = rng.choice([rng.randint(0, 100), rng.uniform(0, 100)])
    task["costPU"] = round(rng.uniform(0, 50_000), 4)
    task["description"] = f"variant {rng.randrange(10**9)}"
    process = task.get("request", {}).get("processRequest", {})
    bounds = process.get("input", {}).get("bounds", {})
    if isinstance(bounds.get("bbox"), list) and len(bounds["bbox"]) == 4:
        x, y = rng.uniform(-170, 160), rng.uniform(-80, 70)
        bounds["bbox"] = [x, y, x + rng.uniform(0.01, 5), y + rng.uniform(0.01, 5)]
    for item in process.get("input", {}).get("data", []):
        data_filter = item.get("dataFilter", {})
        if "maxCloudCoverage" in data_filter:
            data_filter["maxCloudCoverage"] = rng.choice([rng.randint(0, 100), rng.uniform(0, 100)])
        time_range = data_filter.get("timeRange", {})
        if "from" in time_range and "to" in time_range:
            time_range["from"], time_range["to"] = sorted([_timestamp(rng), _timestamp(rng)])
    return task


# One mutation each; every result is checked invalid by the reference before use.
MUTATIONS: list[Callable[[Document], None]] = [
    lambda d: d.__setitem__("status", "done"),
    lambda d: d.__setitem__("id", "not-a-uuid"),
    lambda d: d.__setitem__("created", "2025-02-30T10:00:00Z"),
    lambda d: d.__setitem__("completionPercentage", 101),
    lambda d: d.__setitem__("costPU", "12"),
    lambda d: d["request"].pop("output"),
    lambda d: d["request"]["output"].__setitem__("type", "rasterx"),
    lambda d: d["request"]["processRequest"]["input"]["data"][0].__setitem__("type", "S1GRD"),
    lambda d: (
        d["request"]["processRequest"]["input"]["data"][0]
        .setdefault("dataFilter", {})
        .__setitem__("maxCloudCoverage", 150)
    ),
]


def build(
    schema_set: schemakit.SchemaSet, count: int, invalid_share: float, seed: int
) -> tuple[list[Document], list[Document], int]:
    rng = random.Random(seed)
    reference = Draft202012Validator(
        schema_set.bundle("BatchV2ProcessTask"), format_checker=FORMAT_CHECKER
    )
    starts = bases(schema_set)
    valid: list[Document] = []
    dropped = 0
    while len(valid) < count:
        candidate = vary(rng.choice(starts), rng)
        if reference.is_valid(candidate):
            valid.append(candidate)
        else:
            dropped += 1
    invalid: list[Document] = []
    while len(invalid) < int(count * invalid_share):
        candidate = copy.deepcopy(rng.choice(valid))
        try:
            rng.choice(MUTATIONS)(candidate)
        except (KeyError, IndexError):
            continue
        if not reference.is_valid(candidate):
            invalid.append(candidate)
    return valid, invalid, dropped


def throughput(check: Callable[[Any], Any], documents: list[Document], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for document in documents:
            check(document)
        best = min(best, time.perf_counter() - start)
    return len(documents) / best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--count", type=int, default=3000, help="valid documents")
    parser.add_argument("--invalid-share", type=float, default=0.2, help="invalid, per valid")
    parser.add_argument("--repeat", type=int, default=5, help="best of R runs")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)

    schema_set = schemakit.load()
    valid, invalid, dropped = build(schema_set, args.count, args.invalid_share, args.seed)
    bundle = schema_set.bundle("BatchV2ProcessTask")
    ours = schema_set.validator("BatchV2ProcessTask")
    raw_rs = jsonschema_rs.validator_for(bundle, validate_formats=True)
    raw_js = Draft202012Validator(bundle, format_checker=Draft202012Validator.FORMAT_CHECKER)

    # The verdicts first: the speed of a wrong answer is worth nothing.
    disagreements = {
        "jsonschema": sum(ours.is_valid(d) != raw_js.is_valid(d) for d in valid + invalid),
        "jsonschema-rs": sum(ours.is_valid(d) != raw_rs.is_valid(d) for d in valid + invalid),
    }
    assert all(ours.is_valid(d) for d in valid) and not any(ours.is_valid(d) for d in invalid)

    results: dict[str, dict[str, float]] = {}
    for group, documents in (("valid", valid), ("invalid", invalid)):
        results[group] = {
            "schemakit is_valid": throughput(ours.is_valid, documents, args.repeat),
            "jsonschema-rs is_valid": throughput(raw_rs.is_valid, documents, args.repeat),
            "jsonschema is_valid": throughput(raw_js.is_valid, documents, 1),
        }
    results["invalid"]["schemakit errors"] = throughput(ours.errors, invalid, 1)
    results["invalid"]["jsonschema iter_errors"] = throughput(
        lambda d: list(raw_js.iter_errors(d)), invalid, 1
    )
    ratios = {
        group: {
            "vs jsonschema": numbers["schemakit is_valid"] / numbers["jsonschema is_valid"],
            "vs jsonschema-rs": numbers["schemakit is_valid"] / numbers["jsonschema-rs is_valid"],
        }
        for group, numbers in results.items()
    }
    report = {
        "documents": {"valid": len(valid), "invalid": len(invalid), "redrawn": dropped},
        "verdict disagreements with schemakit": disagreements,
        "documents/second": results,
        "ratios (schemakit / peer)": ratios,
        "targets met": {
            ">= 100x jsonschema": ratios["valid"]["vs jsonschema"] >= 100,
            "within 1.5x of jsonschema-rs": ratios["valid"]["vs jsonschema-rs"] >= 1 / 1.5,
        },
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(
        f"{len(valid)} valid and {len(invalid)} invalid BatchV2ProcessTask documents "
        f"({dropped} redrawn variations were invalid); best of {args.repeat}"
    )
    print(f"verdicts that differ from schemakit's: {disagreements} (raw peers, stock formats)")
    for group, numbers in results.items():
        print(f"\n{group} documents            documents/second")
        for name, value in numbers.items():
            print(f"  {name:<26}{value:>14,.0f}")
        print(
            f"  schemakit is_valid: {ratios[group]['vs jsonschema']:,.0f}x jsonschema, "
            f"{ratios[group]['vs jsonschema-rs']:.2f}x jsonschema-rs"
        )
    print()
    for target, met in report["targets met"].items():
        print(f"target {target}: {'met' if met else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
