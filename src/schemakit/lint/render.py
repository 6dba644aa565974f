"""Render a ``LintReport`` as text (one line per finding) or as one JSON document."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TextIO

from .findings import LintReport, Severity


def render_text(report: LintReport, out: TextIO) -> None:
    for finding in report.findings:
        out.write(
            f"{finding.file}#{finding.file_pointer}: {finding.severity.value} "
            f"[{finding.rule}] {finding.message}\n"
        )


def render_json(report: LintReport, out: TextIO) -> None:
    document = {
        "source": report.source,
        "summary": {severity.value: report.count(severity) for severity in Severity},
        "findings": [finding.to_dict() for finding in report.findings],
    }
    out.write(json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n")


RENDERERS: dict[str, Callable[[LintReport, TextIO], None]] = {
    "text": render_text,
    "json": render_json,
}
