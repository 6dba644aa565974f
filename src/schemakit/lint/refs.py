"""Set-level rules: schemas breaking the meta-schema, dangling refs, ref cycles, unused schemas."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag

from referencing.exceptions import Unresolvable

from ..core.errors import InvalidSchemaError, RefCycleError, UnresolvableRefError
from ..core.origins import in_file
from ..core.walk import iter_refs, join_uri
from ..load.checks import _unresolvable, check_cycles, check_meta_schema
from ..load.jsonio import load_file
from ..load.openapi import component_ref, openapi3
from .context import LintContext
from .findings import Finding, Location, Severity


def invalid_schemas(ctx: LintContext) -> Iterator[Finding]:
    for resource in ctx.schema_set.resources:
        try:
            check_meta_schema(resource)
        except InvalidSchemaError as exc:
            ctx.broken.add(resource.name)
            pointer = _inside(resource.origin, exc.where or "")
            yield ctx.finding(
                "invalid-schema",
                Severity.error,
                Location(resource.name, pointer),
                exc.message,
                as_written=True,  # the meta-schema judges the file as written
            )


def dangling_refs(ctx: LintContext) -> Iterator[Finding]:
    registry = ctx.schema_set.registry
    for resource in ctx.schema_set.resources:
        if resource.name in ctx.broken:
            continue
        for ref, base, pointer, _node in iter_refs(resource.contents, resource.uri):
            try:
                registry.resolver(base_uri=base).lookup(ref)
            except Unresolvable as exc:
                error = _unresolvable(resource.written_ref(pointer, ref), "", exc)
                yield ctx.finding(
                    "dangling-ref", Severity.error, Location(resource.name, pointer), error.message
                )


def ref_cycles(ctx: LintContext) -> Iterator[Finding]:
    try:
        check_cycles(ctx.schema_set)
    except RefCycleError as exc:
        where = exc.where or ""
        for resource in ctx.schema_set.resources:  # where = "<origin><pointer>"
            if where.startswith(in_file(resource.origin, "")):
                location = Location(resource.name, _inside(resource.origin, where))
                # the load check names the place as the file writes it already
                yield ctx.finding(
                    "ref-cycle", Severity.error, location, exc.message, as_written=True
                )
                break
    except (Unresolvable, UnresolvableRefError, RecursionError):
        return  # dangling refs are reported on their own


def _inside(origin: str, where: str) -> str:
    """The pointer inside the schema of a place ``in_file(origin, pointer)``."""
    return where[len(in_file(origin, "")) :]


def unused_schemas(ctx: LintContext) -> Iterator[Finding]:
    """Schemas nobody references. In an OpenAPI document the paths, responses, request
    bodies and parameters count as references; in a directory, a schema that itself refers
    to others is taken as a plausible root (an entry point such as a request)."""
    referenced: set[str] = set()
    refers: set[str] = set()
    for resource in ctx.schema_set.resources:
        for ref, base, _pointer, _node in iter_refs(resource.contents, resource.uri):
            uri = urldefrag(join_uri(base, ref))[0]
            target = ctx.schema_set.resource_for_uri(uri)
            if target is not None and target.name != resource.name:
                referenced.add(target.name)
                refers.add(resource.name)
    outside = _openapi_roots(ctx.schema_set.source)
    if outside is None and not refers:
        return  # unconnected standalone schemas: each one is a root
    for resource in ctx.schema_set.resources:
        if resource.name in referenced or resource.name in (outside or ()):
            continue
        if resource.from_operation:
            continue  # used by its operation by construction
        if outside is None and resource.name in refers:
            continue
        yield ctx.finding(
            "unused-schema",
            Severity.info,
            Location(resource.name),
            "no schema refers to this one"
            + (" and no operation uses it" if outside is not None else ", and it refers to none"),
        )


def _openapi_roots(source: str) -> set[str] | None:
    """Component names referenced from outside ``components.schemas``; None if no OpenAPI."""
    path = Path(source)
    if not path.is_file():
        return None
    found = openapi3(load_file(path), source)  # a Swagger 2.0 document as 3.0
    if found is None:
        return None
    document = found.document
    names: set[str] = set()
    stack: list[tuple[Any, bool]] = [(document, False)]
    while stack:
        value, inside_schemas = stack.pop()
        if isinstance(value, dict):
            ref = value.get("$ref")
            component = component_ref(ref) if isinstance(ref, str) else None
            if component is not None and not inside_schemas:
                names.add(component[0])
            for key, child in value.items():
                skip = value is document.get("components") and key == "schemas"
                stack.append((child, inside_schemas or skip))
        elif isinstance(value, list):
            stack.extend((child, inside_schemas) for child in value)
    return names
