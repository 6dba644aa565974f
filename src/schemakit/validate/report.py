"""Render validation results as text or JSON Lines; one renderer per format."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TextIO

from .checker import DocumentResult


def render_text(result: DocumentResult, out: TextIO, err: TextIO, quiet: bool) -> None:
    if result.error is not None:
        err.write(f"schemakit: error: {result.error}\n")
    elif result.issues:
        for issue in result.issues:
            rule = f"  [{issue.where_in_schema}]" if issue.schema_name else f"  [{issue.rule}]"
            out.write(f"{result.where}: {issue}{rule}\n")
    elif not quiet:
        out.write(f"{result.where}: valid\n")


# One encoder for the run: json.dumps with options builds a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)


def render_json(result: DocumentResult, out: TextIO, err: TextIO, quiet: bool) -> None:
    if quiet and result.valid:
        return
    out.write(_ENCODER.encode(result.to_dict()) + "\n")


RENDERERS: dict[str, Callable[[DocumentResult, TextIO, TextIO, bool], None]] = {
    "text": render_text,
    "json": render_json,
}
