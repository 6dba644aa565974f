"""Rules on the operations of an OpenAPI document (the schemas are linted as any others).

A finding's location is the operation (``operationId``, or ``METHOD /path``) and a pointer
inside it; its file pointer leads to the place in the document.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from ..core.operations import Operation
from .context import LintContext
from .findings import Finding, Location, Severity

_TEMPLATE = re.compile(r"\{([^{}/]+)\}")
_STATUS_REF = re.compile(r"^#/components/responses/(?P<name>[1-5](?:\d\d|XX))$", re.IGNORECASE)


def _finding(
    operation: Operation,
    rule: str,
    severity: Severity,
    pointer: str,
    message: str,
    by_path: bool = False,
) -> Finding:
    file, _, inner = operation.origin.partition("#")
    name = f"{operation.method} {operation.path}" if by_path else operation.label
    return Finding(
        rule,
        severity,
        Location(name, pointer),
        file,
        message,
        file_pointer=inner + pointer,
    )


def response_ref_status(ctx: LintContext) -> Iterator[Finding]:
    """``400: $ref: '#/components/responses/401'``: a response named for another status."""
    for operation in ctx.schema_set.operations:
        for response in operation.responses:
            found = _STATUS_REF.match(response.ref or "")
            if found and found["name"].upper() != response.status.upper():
                yield _finding(
                    operation,
                    "response-ref-status",
                    Severity.warning,
                    f"/responses/{response.status}",
                    f"the {response.status} response refers to the {found['name']} response "
                    f"({response.ref}): traffic answering {response.status} is checked "
                    f"against what {found['name']} declares",
                )


def missing_operation_id(ctx: LintContext) -> Iterator[Finding]:
    for operation in ctx.schema_set.operations:
        if not operation.operation_id:
            yield _finding(
                operation,
                "missing-operation-id",
                Severity.warning,
                "",
                "the operation has no operationId (reports and generated names fall back to "
                "METHOD /path)",
            )


def duplicate_operation_id(ctx: LintContext) -> Iterator[Finding]:
    counts = Counter(op.operation_id for op in ctx.schema_set.operations if op.operation_id)
    for operation in ctx.schema_set.operations:
        if operation.operation_id and counts[operation.operation_id] > 1:
            yield _finding(
                operation,
                "duplicate-operation-id",
                Severity.error,
                "/operationId",
                f"operationId {operation.operation_id!r} is used by "
                f"{counts[operation.operation_id]} operations",
                by_path=True,  # the operationId names more than this one
            )


def path_parameters(ctx: LintContext) -> Iterator[Finding]:
    """Every ``{name}`` of the path template is a declared path parameter, and back."""
    for operation in ctx.schema_set.operations:
        in_template = _TEMPLATE.findall(operation.path)
        declared = [p.name for p in operation.parameters if p.location == "path"]
        for name in in_template:
            if name not in declared:
                yield _finding(
                    operation,
                    "path-param-undeclared",
                    Severity.error,
                    "/parameters",
                    f"the path {operation.path} has {{{name}}}, but no path parameter "
                    f"{name!r} is declared",
                )
        for name in declared:
            if name not in in_template:
                yield _finding(
                    operation,
                    "path-param-not-in-path",
                    Severity.error,
                    "/parameters",
                    f"path parameter {name!r} does not appear in {operation.path}",
                )
