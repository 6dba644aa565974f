"""Conformance per draft on the official JSON-Schema-Test-Suite: schemakit and its peers.

    python benchmarks/conformance.py [--draft 2020-12 ...] [--failures]

For each draft, every counted test of the suite (see ``suite.py``: the required tests
less ``refRemote``/``vocabulary``/``format.json``, plus the optional format files of the
formats schemakit asserts) is run, in the same process, by

* schemakit: the test schema written to a file and loaded with ``schemakit.load``
  (``default_draft`` = the draft, the suite's ``remotes/`` given with ``ref_maps``), then
  ``SchemaSet.validator(name).is_valid``;
* ``jsonschema``: the draft's validator class with its own format checker;
* ``jsonschema-rs``: ``validator_for`` with formats asserted;

the two peers with the same remotes in a registry. A schema that a tool refuses to load
or compile counts its tests as failed. Prints a Markdown table of passed/total.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import referencing
import referencing.jsonschema
from suite import DRAFT_FOLDERS, REMOTE_PREFIX, Case, cases, remotes_dir

import schemakit
from schemakit.core.drafts import draft_named

Verdicts = Callable[[Case], list[bool] | None]  # None: the schema was refused


def schemakit_verdicts(case: Case, folder: Path) -> list[bool] | None:
    path = folder / "case.json"
    path.write_text(json.dumps(case.schema), encoding="utf-8")
    try:
        schema_set = schemakit.load(
            path, default_draft=case.draft, ref_maps={REMOTE_PREFIX: remotes_dir()}
        )
        validator = schema_set.validator("case")
    except schemakit.SchemakitError:
        return None
    return [validator.is_valid(document) for _d, document, _v in case.tests]


@cache
def remote_documents() -> list[tuple[str, Any]]:
    root = remotes_dir()
    return [
        (REMOTE_PREFIX + path.relative_to(root).as_posix(), json.loads(path.read_text()))
        for path in sorted(root.rglob("*.json"))
    ]


def jsonschema_verdicts(case: Case) -> list[bool] | None:
    draft = draft_named(case.draft)
    cls = jsonschema.validators.validator_for(case.schema, default=draft.meta_validator)
    specification = referencing.jsonschema.specification_with(draft.dialect)
    registry: referencing.Registry[Any] = referencing.Registry().with_resources(
        (uri, specification.create_resource(document)) for uri, document in remote_documents()
    )
    try:
        validator = cls(case.schema, registry=registry, format_checker=cls.FORMAT_CHECKER)
        return [validator.is_valid(document) for _d, document, _v in case.tests]
    except Exception:  # a crash on a test schema counts as a failure of that schema
        return None


def rs_retrieve(uri: str) -> Any:
    return dict(remote_documents())[uri.partition("#")[0]]


def rs_verdicts(case: Case) -> list[bool] | None:
    try:
        validator = jsonschema_rs.validator_for(
            case.schema, validate_formats=True, retriever=rs_retrieve
        )
        return [validator.is_valid(document) for _d, document, _v in case.tests]
    except Exception:
        return None


def score(verdicts: list[bool] | None, case: Case) -> list[bool]:
    """Per test: did the tool get it right?"""
    if verdicts is None:
        return [False] * len(case.tests)
    return [got == valid for got, (_d, _doc, valid) in zip(verdicts, case.tests, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draft", action="append", choices=list(DRAFT_FOLDERS))
    parser.add_argument("--failures", action="store_true", help="list schemakit's failures")
    args = parser.parse_args()
    drafts = args.draft or list(DRAFT_FOLDERS)
    rows = []
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for draft in drafts:
            totals = {"schemakit": 0, "jsonschema": 0, "jsonschema-rs": 0}
            count = 0
            for case in cases(draft):
                count += len(case.tests)
                ours = score(schemakit_verdicts(case, folder), case)
                totals["schemakit"] += sum(ours)
                totals["jsonschema"] += sum(score(jsonschema_verdicts(case), case))
                totals["jsonschema-rs"] += sum(score(rs_verdicts(case), case))
                failures += [
                    f"{case.label} / {test[0]}"
                    for right, test in zip(ours, case.tests, strict=True)
                    if not right
                ]
            rows.append((draft, count, totals))
    print("| draft | schemakit | jsonschema | jsonschema-rs |")
    print("|---|---|---|---|")
    for draft, count, totals in rows:
        cells = " | ".join(f"{totals[tool]}/{count}" for tool in totals)
        print(f"| {draft} | {cells} |")
    versions = ", ".join(f"{n} {metadata.version(n)}" for n in ("jsonschema", "jsonschema-rs"))
    print(f"\n{versions}; the suite from the jsonschema {metadata.version('jsonschema')} sdist")
    if args.failures and failures:
        print("\nschemakit failures:", *failures, sep="\n  ", file=sys.stderr)


if __name__ == "__main__":
    main()
