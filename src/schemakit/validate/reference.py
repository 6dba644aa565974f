"""Explanations from Python ``jsonschema``: the reference the compiled explainer is held to.

``Validator.errors`` explains with the compiled validator (``explain``). This module is
the other engine: it runs ``jsonschema`` (with schemakit's regex keywords and format
checker) and turns its errors into the same ``Issue`` values. It is used where the
compiled validator cannot say something (see ``explain``), and by the tests that hold
the two to the same pointers, rules and messages.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from jsonschema.exceptions import ValidationError as JsonSchemaError

from ..core.reference import reference_validator
from .branches import (
    Failed,
    Miss,
    branch_label,
    closest_branch,
    closest_note,
    discriminator_key,
    several_message,
    shared_tag,
    tag_message,
)
from .issue import Issue, pointer, readable, short, unique
from .locate import locate_path
from .written import PLAIN, AsWritten

_BRANCHING = ("oneOf", "anyOf")


def reference_issues(
    detailed: Any,
    document: Any,
    root_name: str | None = None,
    sources: Mapping[str, str] | None = None,
    written: AsWritten = PLAIN,
) -> list[Issue]:
    """Every problem ``jsonschema`` finds, explained, in document order."""
    root = detailed.schema
    try:
        raw = sorted(detailed.iter_errors(document), key=_document_order)
        return unique(
            issue
            for error in raw
            for issue in explain(error, root, root_name, sources=sources, written=written)
        )
    except RecursionError:
        return [Issue("", "document is nested too deeply to validate", "depth", "")]


def _document_order(error: JsonSchemaError) -> tuple[Any, ...]:
    return (
        tuple(str(p) for p in error.absolute_path),
        tuple(str(p) for p in error.absolute_schema_path),
    )


def _branch_of(sub: JsonSchemaError) -> int:
    """Which branch of its oneOf/anyOf an error is from (-1: jsonschema does not say,
    as for a ``false`` branch)."""
    path = sub.relative_schema_path
    return int(path[0]) if path and isinstance(path[0], int) else -1


def _branches(error: JsonSchemaError) -> list[list[Miss]]:
    found: list[list[Miss]] = [[] for _ in error.validator_value]
    for sub in error.context or ():
        index = _branch_of(sub)
        if 0 <= index < len(found):
            miss = Failed(str(sub.validator), tuple(sub.absolute_path), sub.validator_value)
            found[index].append(miss)
    return found


def explain(
    error: JsonSchemaError,
    root: dict[str, Any],
    root_name: str | None = None,
    note: str = "",
    *,
    sources: Mapping[str, str] | None = None,
    written: AsWritten = PLAIN,
) -> Iterator[Issue]:
    """Turn one jsonschema error into Issues; ``oneOf``/``anyOf`` failures descend into the
    branch that nearly matched instead of stopping at "not valid under any"."""
    branching = error.validator in _BRANCHING and bool(error.context)
    if branching:
        branches = _branches(error)
        depth = len(error.absolute_path)
        tag = shared_tag(branches, depth + 1)
        if tag is not None:
            tag_name, accepted = tag
            name, local, stretches = locate_path(
                root, list(error.absolute_schema_path), root_name, sources
            )
            value = error.instance.get(tag_name) if isinstance(error.instance, dict) else None
            yield from written.issues(
                pointer=pointer([*error.absolute_path, tag_name]),
                message=tag_message(value, str(error.validator), accepted),
                note=note,
                rule=str(error.validator),
                schema_path=pointer(error.absolute_schema_path),
                schema_name=name,
                rule_location=local,
                value=value,
                stretches=stretches,
            )
            return
        branch = closest_branch(branches, discriminator_key(error.schema), depth)
        chosen = [e for e in error.context or () if _branch_of(e) == branch]
        if chosen:  # none for a `false` branch: the plain message below
            label = branch_label(error.validator_value[branch], branch)
            inner_note = closest_note(str(error.validator), label)
            for sub in sorted(chosen, key=_document_order):
                yield from explain(
                    sub, root, root_name, inner_note, sources=sources, written=written
                )
            return
    name, local, stretches = locate_path(root, list(error.absolute_schema_path), root_name, sources)
    yield from written.issues(
        pointer=pointer(error.absolute_path),
        message=_message(error, root),
        note=note,
        rule=str(error.validator),
        schema_path=pointer(error.absolute_schema_path),
        schema_name=name,
        rule_location=local,
        value=error.instance,
        stretches=stretches,
    )


def _message(error: JsonSchemaError, root: dict[str, Any]) -> str:
    if error.validator == "oneOf" and not error.context:  # valid under several branches
        # evolve() keeps the root's resolver, so "#/$defs/..." in a branch still resolves.
        whole = reference_validator(root)
        matches = (
            [
                branch_label(branch, i)
                for i, branch in enumerate(error.validator_value)
                if whole.evolve(schema=branch).is_valid(error.instance)
            ]
            if isinstance(error.validator_value, list)
            else []
        )
        return several_message(matches)
    if error.validator in _BRANCHING:
        return f"{short(error.instance)} matches none of the {error.validator} branches"
    if error.validator == "not":
        return f"{short(error.instance)} must not match the schema under 'not'"
    return readable(str(error.message), error.instance)
