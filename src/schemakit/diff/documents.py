"""``--documents``: the user's own fixtures or recorded bodies as extra witnesses.

Each document is checked against every compared schema (or the ones named) that changed:
one that OLD accepts and NEW rejects is a narrowing proved by real data, reported with the
rule NEW rejects it by. Unreadable inputs are reported apart; the others are still checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ..load.jsonio import Record, iter_documents
from ..load.loader import SCHEMA_SUFFIXES
from .findings import Direction, Finding
from .pairing import Pair
from .versions import Version

_DOCUMENT_SUFFIXES = (*SCHEMA_SUFFIXES, ".jsonl", ".ndjson")


def expand(paths: Iterable[str]) -> Iterator[str]:
    """Files as given; a directory stands for the JSON, YAML and JSON Lines files in it."""
    for path in paths:
        folder = Path(path)
        if path != "-" and folder.is_dir():
            for child in sorted(folder.rglob("*")):
                if child.is_file() and child.suffix.lower() in _DOCUMENT_SUFFIXES:
                    yield str(child)
        else:
            yield path


def document_findings(
    old: Version, new: Version, pairs: Iterable[Pair], paths: Iterable[str]
) -> tuple[list[Finding], list[str]]:
    """(findings for documents NEW no longer accepts, one line per unreadable input)."""
    pairs = list(pairs)
    findings: list[Finding] = []
    unreadable: list[str] = []
    for path in expand(paths):
        for record in iter_documents(path):
            if record.error is not None:
                unreadable.append(str(record.error))
                continue
            findings.extend(_check(old, new, pairs, record))
    return findings, unreadable


def _check(old: Version, new: Version, pairs: list[Pair], record: Record) -> Iterator[Finding]:
    where = record.where if record.line is None else f"{record.where}:{record.line}"
    for pair in pairs:
        document = record.document
        if not old.validator(pair.old).is_valid(document):
            continue
        issues = new.validator(pair.new).errors(document)
        if not issues:
            continue
        issue = issues[0]
        at = issue.schema_name or pair.new
        inner = issue.rule_location
        file, file_pointer = new.place(at, inner) if at in new.set else (new.set.source, inner)
        yield Finding(
            direction=Direction.narrowed,
            schema=pair.new,
            pointer=inner,
            side=new.label,
            at=at,
            change="document-rejected",
            message=f"{where} was valid and is now rejected: {issue}",
            file=file,
            file_pointer=file_pointer,
            use=pair.use,
            proved=True,
            witness=document,
            witness_source=where,
            used_by=new.used_by(at),
        )
