"""``schemakit lint``: find defects in a schema set, each with file, JSON pointer, rule and why.

It reads the set without ``load()``'s strict checks (a published set may have dangling refs),
runs the set-level rules, then walks every subschema once and dispatches on its keywords to
the node rules (one table, one function per rule). Rules live in one module per family.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.drafts import LATEST, Draft
from ..core.schemaset import PureSchemaSet
from ..load.loader import read_schema_set
from . import branches, kinds, objects, operations, refs, tolerated, values
from .context import LintContext, Node
from .findings import Finding, LintReport, Location, Severity

SetRule = Callable[[LintContext], Iterator[Finding]]
NodeRule = Callable[[LintContext, Node], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity  # the usual severity (some rules report several)
    summary: str


RULES: tuple[Rule, ...] = (
    Rule("invalid-schema", Severity.error, "a schema breaks the meta-schema of its draft"),
    Rule(
        "tolerated-form",
        Severity.warning,
        "deprecated or examples of the wrong type, a non-schema under $defs before 2019-09",
    ),
    Rule("dangling-ref", Severity.error, "a $ref points at nothing"),
    Rule("ref-cycle", Severity.error, "$refs loop without consuming the document"),
    Rule("unused-schema", Severity.info, "no schema or operation refers to the schema"),
    Rule("required-undeclared", Severity.error, "a required property is declared nowhere"),
    Rule(
        "required-described-optional",
        Severity.warning,
        "a required property's description says it may be left out",
    ),
    Rule("partial-requires", Severity.warning, "an override/update schema requires fields"),
    Rule("oneof-overlap", Severity.error, "two oneOf branches accept the same document"),
    Rule(
        "oneof-untagged-overlap",
        Severity.warning,
        "oneOf branches overlap only on documents that lack their tag property",
    ),
    Rule("discriminator-mapping", Severity.error, "a mapping does not fit its branches"),
    Rule(
        "discriminator-unpinned",
        Severity.warning,
        "a branch accepts discriminator values mapped to other branches",
    ),
    Rule("unsatisfiable", Severity.error, "no value can satisfy a subschema"),
    Rule("enum-value-invalid", Severity.warning, "an enum value breaks its sibling keywords"),
    Rule("placeholder-enum", Severity.error, "an enum value is a placeholder such as <id>"),
    Rule("type-format-mismatch", Severity.warning, "format does not apply to the type"),
    Rule("unknown-format", Severity.info, "a format nobody checks"),
    Rule("invalid-default", Severity.error, "a default fails its own schema"),
    Rule("invalid-example", Severity.warning, "an example fails its own schema"),
    Rule("fill-value-nan", Severity.warning, "a numeric fill/no-data value cannot be NaN"),
    Rule("untyped-object", Severity.warning, "object keywords without type: object"),
    Rule(
        "response-ref-status",
        Severity.warning,
        "an operation's response refers to the response of another status code",
    ),
    Rule("missing-operation-id", Severity.warning, "an operation has no operationId"),
    Rule("duplicate-operation-id", Severity.error, "two operations share an operationId"),
    Rule("path-param-undeclared", Severity.error, "a {name} in a path has no path parameter"),
    Rule("path-param-not-in-path", Severity.error, "a path parameter is not in the path"),
)

SET_RULES: tuple[SetRule, ...] = (
    refs.invalid_schemas,  # first: later rules skip the schemas it marks broken
    refs.dangling_refs,
    refs.ref_cycles,
    refs.unused_schemas,
    tolerated.tolerated_forms,
    operations.response_ref_status,
    operations.missing_operation_id,
    operations.duplicate_operation_id,
    operations.path_parameters,
)

# keyword -> node rules that run where it appears ("" runs on every subschema)
NODE_RULES: dict[str, tuple[NodeRule, ...]] = {
    "": (kinds.unsatisfiable, objects.partial_requires),
    "properties": (values.fill_value_nan, objects.untyped_object),
    "required": (
        objects.required_undeclared,
        objects.required_described_optional,
        objects.untyped_object,
    ),
    "enum": (values.placeholder_enum, kinds.enum_value_invalid),
    "format": (kinds.type_format,),
    "default": (values.invalid_default,),
    "examples": (values.invalid_examples,),
    "example": (values.invalid_example,),
    "oneOf": (branches.oneof_overlap,),
    "discriminator": (branches.discriminator,),
}


def lint_set(schema_set: PureSchemaSet) -> LintReport:
    """Every finding for an (unchecked) schema set, in file/pointer order, no duplicates."""
    ctx = LintContext(schema_set)
    found: list[Finding] = []
    for set_rule in SET_RULES:
        found.extend(set_rule(ctx))
    for node in ctx.nodes():
        for keyword, rules in NODE_RULES.items():
            if keyword and keyword not in node.schema:
                continue
            for rule in rules:
                found.extend(rule(ctx, node))
    unique = {(f.rule, f.location, f.message): f for f in found}
    return LintReport(schema_set.source, tuple(sorted(unique.values(), key=Finding.sort_key)))


def lint(
    source: str | Path | None = None,
    *,
    upstream: bool = False,
    allow_remote: bool = False,
    default_draft: str | Draft = LATEST,
    ref_dirs: Sequence[str | Path] = (),
    ref_maps: Mapping[str, str | Path] | Sequence[str] = (),
) -> LintReport:
    """Lint a schema directory, schema file or OpenAPI document (default: the bundled set);
    the options are ``load()``'s."""
    schema_set = read_schema_set(
        source,
        upstream=upstream,
        allow_remote=allow_remote,
        default_draft=default_draft,
        ref_dirs=ref_dirs,
        ref_maps=ref_maps,
    )
    return lint_set(schema_set)


__all__ = [
    "RULES",
    "Finding",
    "LintReport",
    "Location",
    "Rule",
    "Severity",
    "lint",
    "lint_set",
]
