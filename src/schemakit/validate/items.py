"""Validate the items of one big JSON array (``validate --items POINTER``), streaming.

Each item is a document of its own: results name it by its pointer
(``export.json:/data/1234``) and come back in blocks, like the batches of a JSON Lines
file, so memory stays that of one block of the file and one item.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..load.jsonio import STDIN
from ..load.jsonstream import iter_items
from .checker import DocumentResult, Outcome, Summary
from .validator import Validator

ITEMS_PER_OUTCOME = 1000


def check_items(
    validator: Validator, path: str, pointer: str, *, keep_valid: bool
) -> Iterator[tuple[Outcome, int]]:
    """(outcome, bytes of the file read for it) for each block of items, in order."""
    source = STDIN if path == "-" else path
    summary, results = Summary(), []
    reported = 0  # bytes already counted in an earlier outcome
    read = 0
    for item in iter_items(path, pointer):
        read = item.read
        if item.error is not None:
            result = DocumentResult(source, None, error=item.error, item=item.pointer)
        elif validator.is_valid(item.document):
            summary.documents += 1
            summary.valid += 1
            if keep_valid:
                results.append(DocumentResult(source, None, item=item.pointer))
            result = None
        else:
            issues = tuple(validator.errors(item.document))
            result = DocumentResult(source, None, issues, item=item.pointer)
        if result is not None:
            summary.add(result)
            results.append(result.reported())
        if summary.documents >= ITEMS_PER_OUTCOME:
            yield Outcome(summary, results), read - reported
            summary, results, reported = Summary(), [], read
    yield Outcome(summary, results), read - reported
