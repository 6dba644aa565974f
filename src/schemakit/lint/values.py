"""Rules on literal values in schemas: placeholder ``enum`` values, and ``default``,
``examples`` or ``example`` values that their own schema rejects."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..core.pointer import escape
from ..validate.validator import short
from .context import LintContext, Node
from .findings import Finding, Severity

# Values that are documentation placeholders rather than real enum members.
PLACEHOLDER = re.compile(
    r"^(?:<[^<>]+>|\{[^{}]+\}|\$\{[^{}]+\}|todo|tbd|fixme|xxx+|string|value|example|"
    r"placeholder|changeme|\.\.\.|…)$",
    re.IGNORECASE,
)


def placeholder_enum(ctx: LintContext, node: Node) -> Iterator[Finding]:
    values = node.schema.get("enum")
    if not isinstance(values, list):
        return
    for index, value in enumerate(values):
        if isinstance(value, str) and PLACEHOLDER.match(value.strip()):
            yield ctx.finding(
                "placeholder-enum",
                Severity.error,
                node.at(f"/enum/{index}"),
                f"enum value {value!r} looks like a documentation placeholder; real values "
                "are rejected (drop the enum, or list the real values)",
            )


def _check_value(
    ctx: LintContext, node: Node, value: Any, suffix: str, what: str, severity: Severity
) -> Iterator[Finding]:
    errors = ctx.errors_at(node.location, value)
    if not errors:
        return
    first = min(errors, key=lambda e: len(list(e.absolute_path)))
    where = "".join(f"/{p}" for p in first.absolute_path) or "/"
    yield ctx.finding(
        f"invalid-{what}",
        severity,
        node.at(suffix),
        f"{what} {short(value)} is not valid against its own schema: {where}: {first.message}",
    )


def invalid_default(ctx: LintContext, node: Node) -> Iterator[Finding]:
    yield from _check_value(
        ctx, node, node.schema["default"], "/default", "default", Severity.error
    )


def invalid_examples(ctx: LintContext, node: Node) -> Iterator[Finding]:
    examples = node.schema.get("examples")
    if isinstance(examples, list):
        for index, example in enumerate(examples):
            yield from _check_value(
                ctx, node, example, f"/examples/{index}", "example", Severity.warning
            )


def invalid_example(ctx: LintContext, node: Node) -> Iterator[Finding]:
    # OpenAPI 3.1 keeps the singular, deprecated ``example`` next to ``examples``.
    yield from _check_value(
        ctx, node, node.schema["example"], "/example", "example", Severity.warning
    )


# Property names of fill / no-data values (Zarr fill_value, GDAL/COG nodata, ...).
FILL_VALUE_NAME = re.compile(r"^(?:fill_?value|no_?data(?:_?value)?)$", re.IGNORECASE)


def fill_value_nan(ctx: LintContext, node: Node) -> Iterator[Finding]:
    """A numeric fill value that cannot be NaN: float arrays usually fill with NaN, and JSON
    has no NaN literal, so Zarr (and most APIs) spell it "NaN"/"Infinity"/"-Infinity"."""
    properties = node.schema.get("properties")
    if not isinstance(properties, dict):
        return
    for name, sub in properties.items():
        if not (isinstance(sub, dict) and FILL_VALUE_NAME.match(name)):
            continue
        location = node.at(f"/properties/{escape(name)}")
        if ctx.accepts(location, 0) and ctx.accepts(location, "NaN") is False:
            yield ctx.finding(
                "fill-value-nan",
                Severity.warning,
                location,
                f"{name!r} takes numbers only, so a float array cannot use NaN (JSON has no "
                'NaN literal; Zarr writes "NaN", "Infinity", "-Infinity")',
            )
