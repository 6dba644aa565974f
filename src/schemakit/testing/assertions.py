"""``assert_valid``: a test assertion whose failure message a person can read at a glance.

Every error is one block: the JSON pointer and message, the offending value (cut short)
and the schema rule that failed (``BatchV2RasterOutput#/required``), never a dumped schema.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..schemaset import SchemaSet, load
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


# What ``schemas=None`` means in ``assert_valid``: the bundled set unless a caller says
# otherwise with ``use_schemas`` (the pytest plugin does, for --schemakit-schemas). A context
# variable rather than a global: it is set and reset with a token, never left behind.
_SCHEMAS_IN_USE: contextvars.ContextVar[tuple[str | None, bool]] = contextvars.ContextVar(
    "schemakit_schemas_in_use", default=(None, False)
)


def use_schemas(
    source: str | Path | None, *, upstream: bool = False
) -> contextvars.Token[tuple[str | None, bool]]:
    """Make ``assert_valid(..., schemas=None)`` use this source until ``reset_schemas(token)``."""
    return _SCHEMAS_IN_USE.set((None if source is None else str(source), upstream))


def reset_schemas(token: contextvars.Token[tuple[str | None, bool]]) -> None:
    """Undo the ``use_schemas`` call that returned ``token``."""
    _SCHEMAS_IN_USE.reset(token)


def default_schemas() -> tuple[str | None, bool]:
    """The (source, upstream) that ``schemas=None`` stands for."""
    return _SCHEMAS_IN_USE.get()


@functools.lru_cache(maxsize=8)
def _cached_load(source: str | None, upstream: bool) -> SchemaSet:
    return load(source, upstream=upstream)


def resolve_schemas(schemas: SchemasArg) -> SchemaSet:
    """A SchemaSet from a SchemaSet, a source path, or None (the configured default)."""
    if isinstance(schemas, SchemaSet):
        return schemas
    if schemas is None:
        return _cached_load(*default_schemas())
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
