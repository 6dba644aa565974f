"""Check a block of JSON Lines: the loop every document of a big input goes through.

Per valid line it costs one msgspec decode, a few byte counts and the compiled verdict,
and makes no object unless the line is to be printed. A line the fast reader is not sure
about, and every invalid document, takes the reference path (strict reading, detailed
errors), so the output is exactly that of ``checker.check_sources``.
"""

from __future__ import annotations

from ..load import jsonio
from ..load.fastjson import UNSURE, sure_parse
from ..load.jsonio import record_of_line
from .checker import DocumentResult, Outcome, Summary, check_record
from .validator import Validator


def check_block(
    validator: Validator,
    source: str,
    lines: list[bytes | None],
    first_line: int,
    *,
    keep_valid: bool,
) -> Outcome:
    """Check ``lines`` (without newlines; ``None`` for one too long to read), the first
    numbered ``first_line``."""
    limit = jsonio.MAX_DOCUMENT_BYTES
    is_valid = validator.is_valid
    scratch = bytearray()
    summary = Summary()
    results: list[DocumentResult] = []
    valid = 0
    for index, raw in enumerate(lines):
        if raw is not None and len(raw) > limit:
            raw = None
        elif raw is not None:
            document = sure_parse(raw, scratch)
            if document is not UNSURE and is_valid(document):
                valid += 1
                if keep_valid:
                    results.append(DocumentResult(source, first_line + index))
                continue
        record = record_of_line(source, first_line + index, raw)
        if record is None:
            continue  # a blank line
        result = check_record(validator, record)
        summary.add(result)
        if keep_valid or not result.valid:
            results.append(result.reported())
    summary.documents += valid
    summary.valid += valid
    return Outcome(summary, results, len(lines), first_line)
