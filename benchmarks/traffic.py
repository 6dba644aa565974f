"""Checking recorded traffic is bounded by body validation: ``schemakit traffic`` on N
recorded exchanges against ``validate`` on the same bodies, measured in the same run.

Method
------
Exchanges: N Batch V2 exchanges written to one HAR file, spread over the seven operations
(list, get, create, update, analyse, start, stop) with task bodies varied as in
``benchmarks/validate.py`` (each checked valid first), query strings, path ids and, for
10% of them, one broken task (a bad enum, a wrong type), so the detailed pass runs too.

Contenders, on the bundled (corrected) set:

- traffic: ``read_recording`` on the HAR file, then ``TrafficChecker.check`` on every
  exchange (matching, parameters, headers, status, content type, bodies);
- validate: ``parse_json`` + ``SchemaSet.validator(schema).errors`` on every request and
  response body of the same exchanges, i.e. what ``schemakit validate`` does per document.

Also reported: loading the bundled set with its operations, and loading the published
OpenAPI document (operations and components). Best of R repeats; the ratio is
traffic time / validate time (target: <= 2, i.e. the checks around the bodies cost less
than the bodies themselves).

Run: ``python benchmarks/traffic.py [--count N] [--repeat R] [--json]``
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import schemakit
from schemakit.load.jsonio import parse_json
from schemakit.traffic import TrafficChecker, read_recording

sys.path.insert(0, str(Path(__file__).resolve().parent))
from validate import MUTATIONS, TASK, bases, vary  # a sibling script

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://services.sentinel-hub.com/api/v2/batch"
JSON = [{"name": "Content-Type", "value": "application/json"}]


def entry(
    method: str, url: str, status: int, request: Any = None, response: Any = None
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "request": {"method": method, "url": url, "headers": list(JSON) if request else []},
        "response": {
            "status": status,
            "headers": list(JSON) if response is not None else [],
            "content": {},
        },
    }
    if request is not None:
        result["request"]["postData"] = {
            "mimeType": "application/json",
            "text": json.dumps(request),
        }
    if response is not None:
        result["response"]["content"] = {
            "mimeType": "application/json",
            "text": json.dumps(response),
        }
    return result


def build(
    schema_set: schemakit.SchemaSet, count: int, seed: int
) -> tuple[list[dict[str, Any]], list[tuple[str, bytes]]]:
    """HAR entries, and the (schema, body) pairs ``validate`` would see for them."""
    rng = random.Random(seed)
    starts = bases(schema_set)
    task_validator = schema_set.validator("BatchV2ProcessTask")
    entries: list[dict[str, Any]] = []
    bodies: list[tuple[str, Any]] = []

    def task() -> dict[str, Any]:
        while True:
            candidate = vary(rng.choice(starts), rng)
            if task_validator.is_valid(candidate):
                break
        if rng.random() < 0.1:
            with contextlib.suppress(KeyError, IndexError):
                rng.choice(MUTATIONS)(candidate)
        return candidate

    while len(entries) < count:
        kind = rng.randrange(7)
        doc = task()
        request = doc.get("request") or TASK["request"]
        url = f"{BASE}/process/{doc['id'] if isinstance(doc.get('id'), str) else 'x'}"
        if kind == 0:
            page = {"data": [doc], "links": {"@id": f"{BASE}/process"}}
            entries.append(
                entry(
                    "GET",
                    f"{BASE}/process?count={rng.randint(1, 100)}&sort=created",
                    200,
                    response=page,
                )
            )
            bodies.append(("getAllBatchV2ProcessRequests.response.200", page))
        elif kind == 1:
            entries.append(entry("GET", url, 200, response=doc))
            bodies.append(("BatchV2ProcessTask", doc))
        elif kind == 2:
            entries.append(entry("POST", f"{BASE}/process", 201, request=request, response=doc))
            bodies += [("BatchV2ProcessRequest", request), ("BatchV2ProcessTask", doc)]
        elif kind == 3:
            update = {"description": f"renamed {rng.randrange(1000)}"}
            entries.append(entry("PUT", url, 200, request=update, response=request))
            bodies += [
                ("BatchV2ProcessRequestUpdatePayload", update),
                ("BatchV2ProcessRequest", request),
            ]
        else:
            action = ("analyse", "start", "stop")[kind - 4]
            entries.append(entry("POST", f"{url}/{action}", 204))
    return entries, [(schema, json.dumps(body).encode()) for schema, body in bodies]


def best_of(repeat: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--count", type=int, default=10_000, help="recorded exchanges")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)

    load_bundled = best_of(args.repeat, schemakit.load)
    published = ROOT.parent / "shared" / "reference" / "sentinel-hub-batch-v2-openapi.yml"
    if not published.is_file():
        published = Path("/work/shared/reference/sentinel-hub-batch-v2-openapi.yml")
    load_published = (
        best_of(args.repeat, lambda: schemakit.load(published)) if published.is_file() else None
    )

    schema_set = schemakit.load()
    entries, bodies = build(schema_set, args.count, args.seed)
    with tempfile.TemporaryDirectory() as folder:
        har = Path(folder) / "traffic.har"
        har.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}))
        checker = TrafficChecker(schema_set)
        validators = {name: schema_set.validator(name) for name, _ in bodies}
        for exchange in read_recording(har)[:50]:  # warm the caches (validators, kinds)
            checker.check(exchange)

        invalid = 0

        def traffic() -> None:
            nonlocal invalid
            invalid = sum(not checker.check(e).valid for e in read_recording(har))

        def validate() -> None:
            for name, body in bodies:
                validators[name].errors(parse_json(body.decode("utf-8"), "body"))

        traffic_time = best_of(args.repeat, traffic)
        validate_time = best_of(args.repeat, validate)
    ratio = traffic_time / validate_time
    report = {
        "exchanges": len(entries),
        "bodies": len(bodies),
        "invalid_exchanges": invalid,
        "load_bundled_seconds": round(load_bundled, 3),
        "load_published_seconds": None if load_published is None else round(load_published, 3),
        "traffic_seconds": round(traffic_time, 3),
        "validate_seconds": round(validate_time, 3),
        "ratio_traffic_to_validate": round(ratio, 2),
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{len(entries)} exchanges ({invalid} invalid), {len(bodies)} bodies")
    print(f"  load bundled set with operations   {load_bundled:8.3f} s")
    if load_published is not None:
        print(f"  load published OpenAPI document    {load_published:8.3f} s")
    per_exchange = len(entries) / traffic_time
    per_body = len(bodies) / validate_time
    print(f"  traffic: read HAR + check all      {traffic_time:8.3f} s  ({per_exchange:,.0f}/s)")
    print(f"  validate: parse + check the bodies {validate_time:8.3f} s  ({per_body:,.0f}/s)")
    print(f"  ratio traffic / validate           {ratio:8.2f}")
    print(f"target ratio <= 2: {'met' if ratio <= 2 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
