"""``assert_valid``: a test assertion whose failure message a person can read at a glance.

Every error is one block: the JSON pointer and message, the offending value (cut short)
and the schema rule that failed (``BatchV2RasterOutput#/required``), never a dumped schema.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..core.schemaset import SchemaSet
from ..load.loader import load
from ..validate.validator import Issue, short

MAX_SHOWN = 20  # errors listed in one failure message; the rest are counted
_VALUE_WIDTH = 70

SchemasArg = SchemaSet | str | Path | None


class SchemaAssertionError(AssertionError):
    """A document is not valid; ``issues`` holds every problem, ``schema`` the schema name."""

    def __init__(self, schema: str, issues: Sequence[Issue]) -> None:
        self.schema = schema
        self.issues = tuple(issues)
        super().__init__(format_failure(schema, self.issues))

    def __reduce__(self) -> tuple[Any, ...]:
        # Picklable, so pytest-xdist can ship the failure from a worker.
        return (SchemaAssertionError, (self.schema, self.issues))


def format_failure(schema: str, issues: Sequence[Issue]) -> str:
    count = f"{len(issues)} error" + ("" if len(issues) == 1 else "s")
    lines = [f"document is not valid against {schema} ({count}):"]
    for issue in issues[:MAX_SHOWN]:
        lines.append(f"  {issue.pointer or '/'}: {issue.message}")
        lines.append(f"      value: {short(issue.value, _VALUE_WIDTH)}")
        rule = issue.where_in_schema if issue.schema_name else issue.schema_path or issue.rule
        lines.append(f"      rule:  {rule}")
    if len(issues) > MAX_SHOWN:
        lines.append(f"  ... and {len(issues) - MAX_SHOWN} more")
    return "\n".join(lines)


# What ``schemas=None`` means; the pytest plugin points it at --schemakit-schemas.
_default_source: tuple[str | None, bool] = (None, False)


def set_default_schemas(source: str | Path | None, *, upstream: bool = False) -> None:
    """Make ``assert_valid(..., schemas=None)`` use this source (default: the bundled set)."""
    global _default_source
    _default_source = (None if source is None else str(source), upstream)


def default_schemas() -> tuple[str | None, bool]:
    """The (source, upstream) that ``schemas=None`` stands for."""
    return _default_source


@functools.lru_cache(maxsize=8)
def _cached_load(source: str | None, upstream: bool) -> SchemaSet:
    return load(source, upstream=upstream)


def resolve_schemas(schemas: SchemasArg) -> SchemaSet:
    """A SchemaSet from a SchemaSet, a source path, or None (the configured default)."""
    if isinstance(schemas, SchemaSet):
        return schemas
    if schemas is None:
        return _cached_load(*_default_source)
    return _cached_load(str(Path(schemas).resolve()), False)


def assert_valid(document: Any, schema: str, *, schemas: SchemasArg = None) -> None:
    """Fail the test with every validation error when ``document`` is not valid.

    ``schema`` names a schema in the set; ``schemas`` is a SchemaSet or a source
    (directory, schema file, OpenAPI document); default: the bundled set, or the one
    given to pytest with ``--schemakit-schemas``.
    """
    __tracebackhide__ = True  # pytest shows the caller's line, not ours
    schema_set = resolve_schemas(schemas)
    issues = schema_set.validator(schema).errors(document)
    if issues:
        raise SchemaAssertionError(schema_set.resource(schema).name, issues)
