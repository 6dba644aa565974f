"""Render traffic results: a line per exchange (text) or an object per exchange (JSON Lines)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TextIO

from .check import ExchangeResult


def heading(result: ExchangeResult) -> str:
    exchange = result.exchange
    label = result.operation.label if result.operation else "no operation"
    where = f"{exchange.location}: " if exchange.location else ""
    return f"{where}{exchange.method} {exchange.url} -> {exchange.status}: {label}"


def render_text(result: ExchangeResult, out: TextIO) -> None:
    if result.skipped:
        return  # a page's own script or image: counted in the summary line
    head = heading(result)
    if result.valid:
        out.write(f"{head}: valid\n")
        return
    for issue in result.issues:
        out.write(f"{head}: {issue}  [{issue.rule_text}]\n")


def render_json(result: ExchangeResult, out: TextIO) -> None:
    out.write(json.dumps(result.to_dict(), ensure_ascii=False, default=str) + "\n")


RENDERERS: dict[str, Callable[[ExchangeResult, TextIO], None]] = {
    "text": render_text,
    "json": render_json,
}
