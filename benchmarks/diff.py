"""Time ``schemakit diff`` on the whole bundled Sentinel Hub set, next to peers in the same run.

Method
------
Comparisons (all 71 schemas of the bundled, corrected set; default budget 3 s per schema):

- the set against itself: every pair proved equal by normal forms, no search;
- the set against an edited copy: seven edits that change the accepted documents (a lowered
  ``maximum``, an enum value removed, one added, a property made required, one made optional,
  a typed property added to an open object, a pattern added) and two refactors
  that do not (``oneOf`` branches reordered, one wrapped in ``allOf``; an inline subschema
  moved behind a ``$ref``).
  Every edit must come out as a proved finding in the expected schema and direction, and the
  refactors must come out unchanged: the run fails otherwise;
- the published set against the corrected one (the 16 documented corrections);
- with ``--openapi FILE`` (default: the published Batch V2 OpenAPI document in
  ``shared/reference`` when it is there), that document against a copy with the same edits
  to its components plus an operation removed.

Peers, measured in the same run on the same inputs:

- *keyword by keyword*: ``jsonpatch.make_patch`` between each pair of schema files, the
  structural comparison keyword-based tools do (it also counts the refactors as changes);
- *load + validators*: loading both versions and compiling a validator for every schema,
  which any comparison that checks documents pays first.

Ratios are schemakit diff time / peer time (how much more the proofs cost). Target from the
issue: the whole Batch V2 document against an edited copy in well under a minute on 2 cores.

Run: ``python benchmarks/diff.py [--budget S] [--seed N] [--openapi FILE] [--json]``
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonpatch
import yaml

import schemakit
from schemakit.diff import DiffReport, Direction, diff

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "schemas" / "sentinel-hub"
REFERENCE = Path("reference") / "sentinel-hub-batch-v2-openapi.yml"
TARGET_SECONDS = 60.0

Schema = dict[str, Any]
Edit = Callable[[Schema], None]


def _set(path: list[Any], value: Any) -> Edit:
    def edit(schema: Schema) -> None:
        node: Any = schema
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return edit


def _remove_from(path: list[Any], value: Any) -> Edit:
    def edit(schema: Schema) -> None:
        node: Any = schema
        for key in path:
            node = node[key]
        node.remove(value)

    return edit


def _append_to(path: list[Any], value: Any) -> Edit:
    def edit(schema: Schema) -> None:
        node: Any = schema
        for key in path:
            node = node[key]
        node.append(value)

    return edit


# schema -> (edit, the direction it must come out as; None: a refactor, no change)
EDITS: list[tuple[str, Edit, Direction | None]] = [
    ("MaxCloudCoverage", _set(["maximum"], 80), Direction.narrowed),
    (
        "S2L2AFiltering",
        _remove_from(["properties", "mosaickingOrder", "enum"], "leastCC"),
        Direction.narrowed,
    ),
    (
        "BatchV2ProcessTask",
        _append_to(["properties", "status", "enum"], "QUEUED"),
        Direction.widened,
    ),
    ("TimeRange", _set(["required"], ["from"]), Direction.narrowed),
    ("S3BucketInfo", _set(["required"], []), Direction.widened),
    (
        "DEMProcessing",
        _set(["allOf", 1, "properties", "geoidModel"], {"type": "string"}),
        Direction.narrowed,
    ),
    (
        "ProcessRequestOutputFormat",
        _set(["properties", "type", "pattern"], "^[a-z]+/[a-z0-9.+-]+$"),
        Direction.narrowed,
    ),
    (  # refactor: branches reordered, one wrapped in a one-branch allOf
        "Geometry",
        _set(
            ["oneOf"],
            [
                {"allOf": [{"$ref": "#/components/schemas/MultiPolygon"}]},
                {"$ref": "#/components/schemas/Polygon"},
            ],
        ),
        None,
    ),
    (  # refactor: an inline subschema moved behind a $ref, with a new description
        "S2Processing",
        _set(
            ["allOf", 1, "properties", "harmonizeValues"],
            {"$ref": "#/$defs/Harmonize", "description": "moved"},
        ),
        None,
    ),
    ("S2Processing", _set(["$defs"], {"Harmonize": {"type": "boolean", "default": True}}), None),
]


def edited_copy(source: Path, target: Path) -> None:
    shutil.copytree(source, target)
    for name, edit, _direction in EDITS:
        path = target / f"{name}.json"
        schema = json.loads(path.read_text())
        edit(schema)
        path.write_text(json.dumps(schema, indent=2))


def edited_openapi(source: Path, target: Path) -> None:
    document = yaml.safe_load(source.read_text())
    components = document["components"]["schemas"]
    for name, edit, _direction in EDITS:
        if name in components:
            edit(components[name])
    paths = document.get("paths") or {}
    for template in list(paths):
        if "/stop" in template:
            del paths[template]
    target.write_text(yaml.safe_dump(document, sort_keys=False))


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def keyword_by_keyword(old: Path, new: Path) -> int:
    """Structural differences between each pair of schema files (JSON Patch operations)."""
    count = 0
    for path in sorted(old.glob("*.json")):
        other = new / path.name
        if other.is_file():
            patch = jsonpatch.make_patch(
                json.loads(path.read_text()), json.loads(other.read_text())
            )
            count += len(list(patch))
    return count


def keyword_by_keyword_openapi(old: Path, new: Path) -> int:
    patch = jsonpatch.make_patch(yaml.safe_load(old.read_text()), yaml.safe_load(new.read_text()))
    return len(list(patch))


def load_and_compile(old: str | Path, new: str | Path, upstream_old: bool = False) -> int:
    count = 0
    for source, upstream in ((old, upstream_old), (new, False)):
        schema_set = schemakit.load(source, upstream=upstream)
        for name in schema_set.names:
            schema_set.validator(name)
            count += 1
    return count


def check_edits(report: DiffReport) -> list[str]:
    """What the edited-copy run got wrong (empty when every edit is found as it should)."""
    problems = []
    proved = {(f.schema, f.direction) for f in report.proved()}
    for name, _edit, direction in EDITS:
        if direction is None:
            if name not in report.unchanged:
                problems.append(f"{name}: a refactor reported as a change")
        elif (name, direction) not in proved:
            problems.append(f"{name}: {direction.value} not proved")
    return problems


def reference_document(given: str | None) -> Path | None:
    if given:
        return Path(given)
    for shared in (ROOT.parent / "shared", Path("/work/shared")):
        if (shared / REFERENCE).is_file():
            return shared / REFERENCE
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--budget", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--openapi", default=None, help="an OpenAPI document to edit and compare")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    rows: list[dict[str, Any]] = []
    failures: list[str] = []

    def compare(label: str, old: Any, new: Any, peers: dict[str, Callable[[], Any]]) -> DiffReport:
        seconds, report = timed(lambda: diff(old, new, seed=args.seed, budget=args.budget))
        assert isinstance(report, DiffReport)
        row: dict[str, Any] = {
            "comparison": label,
            "seconds": round(seconds, 2),
            "summary": report.summary(),
        }
        for peer, run in peers.items():
            peer_seconds, value = timed(run)
            row[peer] = {
                "seconds": round(peer_seconds, 3),
                "result": value,
                "ratio": round(seconds / peer_seconds, 1) if peer_seconds else None,
            }
        rows.append(row)
        return report

    with tempfile.TemporaryDirectory() as scratch:
        edited = Path(scratch) / "edited"
        edited_copy(BUNDLED, edited)
        compare(
            "bundled vs itself",
            str(BUNDLED),
            str(BUNDLED),
            {
                "keyword by keyword": lambda: keyword_by_keyword(BUNDLED, BUNDLED),
                "load + validators": lambda: load_and_compile(BUNDLED, BUNDLED),
            },
        )
        report = compare(
            "bundled vs edited copy",
            str(BUNDLED),
            str(edited),
            {
                "keyword by keyword": lambda: keyword_by_keyword(BUNDLED, edited),
                "load + validators": lambda: load_and_compile(BUNDLED, edited),
            },
        )
        failures += check_edits(report)
        compare(
            "published vs corrected",
            schemakit.load(upstream=True),
            schemakit.load(),
            {"load + validators": lambda: load_and_compile(BUNDLED, BUNDLED, upstream_old=True)},
        )
        document = reference_document(args.openapi)
        if document is not None:
            copy_path = Path(scratch) / "edited-openapi.yml"
            edited_openapi(document, copy_path)
            openapi_report = compare(
                "OpenAPI document vs edited copy",
                str(document),
                str(copy_path),
                {
                    "keyword by keyword": lambda: keyword_by_keyword_openapi(document, copy_path),
                    "load + validators": lambda: load_and_compile(document, copy_path),
                },
            )
            failures += [f"OpenAPI: {p}" for p in check_edits(openapi_report)]
            if not any(c.kind == "operation-removed" for c in openapi_report.changes):
                failures.append("OpenAPI: the removed operation is not reported")
            if rows[-1]["seconds"] >= TARGET_SECONDS:
                failures.append(f"OpenAPI: {rows[-1]['seconds']} s, target < {TARGET_SECONDS} s")

    if args.json:
        print(json.dumps({"rows": rows, "failures": failures}, indent=2))
    else:
        for row in rows:
            print(f"{row['comparison']}: {row['seconds']:.2f} s  ({row['summary']})")
            for peer in ("keyword by keyword", "load + validators"):
                if peer in row:
                    data = row[peer]
                    print(
                        f"    vs {peer}: {data['seconds']:.3f} s (result {data['result']}), "
                        f"ratio {data['ratio']}x"
                    )
        print(
            "edits found as expected" if not failures else "FAILURES:\n  " + "\n  ".join(failures)
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
