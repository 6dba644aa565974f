"""Rules on ``oneOf`` and ``discriminator``: branches that overlap (proved with a witness
document that the reference validator accepts under two branches), and discriminator
mappings that do not match the branches they map to."""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterator
from typing import Any
from urllib.parse import urldefrag

from ..core.errors import SchemakitError
from ..core.pointer import escape
from ..core.walk import join_uri
from ..load.openapi import component_ref
from ..validate.validator import short
from . import witness
from .context import LintContext, Node, Part
from .findings import Finding, Location, Severity


def _branches(ctx: LintContext, node: Node, keyword: str) -> list[tuple[Part, Location]]:
    """(branch in place, where it is defined: the ref target for a plain $ref branch)."""
    result: list[tuple[Part, Location]] = []
    branches = node.schema.get(keyword)
    if not isinstance(branches, list):
        return result
    for index, branch in enumerate(branches):
        if not isinstance(branch, dict):
            continue
        part = Part(branch, node.base, node.at(f"/{keyword}/{index}"))
        defined = part.location
        ref = branch.get("$ref")
        if isinstance(ref, str) and (target := ctx.resolve(ref, node.base)) is not None:
            defined = target.location
        result.append((part, defined))
    return result


def label(ctx: LintContext, location: Location) -> str:
    """How a message names a subschema: as its file writes it."""
    return location.schema if not location.pointer else str(ctx.written(location))


def oneof_overlap(ctx: LintContext, node: Node) -> Iterator[Finding]:
    branches = _branches(ctx, node, "oneOf")
    if len(branches) < 2:
        return
    reported: set[tuple[int, int]] = set()
    untagged: dict[str, list[int]] = {}
    for part, _defined in branches:
        for document in witness.candidates(ctx, part):
            matched = [
                j for j, (other, _) in enumerate(branches) if ctx.accepts(other.location, document)
            ]
            if len(matched) < 2 or not _only_oneof_fails(ctx, node, document):
                continue
            missing = _missing_tags(ctx, document, [branches[j][0] for j in matched])
            if missing:
                untagged.setdefault(missing, matched)
                continue
            for pair in _pairs(matched):
                if pair not in reported:
                    reported.add(pair)
                    yield _overlap(ctx, node, branches, pair, document)
    for first, second in itertools.combinations(range(len(branches)), 2):
        both = (branches[first][0], branches[second][0])
        if (first, second) in reported or _exclusive_by_presence(ctx, *both):
            continue
        if _conflicting_tags(ctx, *both):
            continue  # a witness must carry both tags, and they differ
        document = _generated_witness(ctx, node, branches[first][0], branches[second][0])
        if document is not None:
            reported.add((first, second))
            yield _overlap(ctx, node, branches, (first, second), document)
    for tag, matched in untagged.items():
        names = ", ".join(label(ctx, branches[j][1]) for j in matched)
        yield ctx.finding(
            "oneof-untagged-overlap",
            Severity.warning,
            node.at("/oneOf"),
            f"a document without {tag!r} matches several branches ({names}), so it fails with "
            f"'valid under more than one' instead of a missing {tag!r}; require {tag!r} in "
            "each branch",
            witness=None,
        )


def _pairs(matched: list[int]) -> Iterator[tuple[int, int]]:
    for position, first in enumerate(matched):
        for second in matched[position + 1 :]:
            yield (first, second)


def _overlap(
    ctx: LintContext,
    node: Node,
    branches: list[tuple[Part, Location]],
    pair: tuple[int, int],
    document: Any,
) -> Finding:
    first, second = (branches[i][1] for i in pair)
    return ctx.finding(
        "oneof-overlap",
        Severity.error,
        node.at("/oneOf"),
        f"branches {pair[0]} ({label(ctx, first)}) and {pair[1]} ({label(ctx, second)}) "
        "overlap: "
        f"{short(document, 100)} matches both, so oneOf rejects it",
        related=(first, second),
        witness=document,
    )


def _generated_witness(ctx: LintContext, node: Node, first: Part, second: Part) -> Any:
    """A document drawn by our strategies from ``allOf: [first, second]`` that carries
    every tag, passes the node's other keywords and so fails only its oneOf; None if the
    strategies prove the pair disjoint or find nothing within the budget."""
    try:
        from hypothesis import HealthCheck, Phase, find, settings
        from hypothesis.errors import HypothesisException, NoSuchExample

        from ..strategies import from_schema
    except ImportError:  # no [fixtures] extra: the constructive candidates only
        return None
    search = settings(
        database=None,
        derandomize=True,  # the same witness on every run
        max_examples=8,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )

    both = {"allOf": [{"$ref": ctx.uri_of(part.location)} for part in (first, second)]}
    try:
        strategy = from_schema(both, registry=ctx.schema_set.registry)
    except SchemakitError:  # UnsatisfiableSchemaError: the branches are disjoint
        return None

    def proves_overlap(document: Any) -> bool:
        return (
            not _missing_tags(ctx, document, [first, second], at_least=1)
            and bool(ctx.accepts(first.location, document))
            and bool(ctx.accepts(second.location, document))
            and _only_oneof_fails(ctx, node, document)
        )

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the generators' own notes are not lint findings
        try:
            return find(strategy, proves_overlap, settings=search)
        except (NoSuchExample, HypothesisException):
            return None


def _conflicting_tags(ctx: LintContext, first: Part, second: Part) -> bool:
    tags_a = witness.tag_values(ctx, ctx.parts(first.schema, first.base, first.location))
    tags_b = witness.tag_values(ctx, ctx.parts(second.schema, second.base, second.location))
    return any(name in tags_b and tags_b[name] != value for name, value in tags_a.items())


def _exclusive_by_presence(ctx: LintContext, first: Part, second: Part) -> bool:
    """Each branch requires a property the other does not declare: the usual way to say
    "exactly one of s3 or gs". A document with both is meant to fail, so it proves nothing."""

    def required_and_declared(part: Part) -> tuple[set[str], set[str]]:
        parts = ctx.parts(part.schema, part.base, part.location)
        required = {n for p in parts for n in p.schema.get("required", ()) if isinstance(n, str)}
        declared = {n for p in parts for n in (p.schema.get("properties") or {})}
        return required, declared

    required_a, declared_a = required_and_declared(first)
    required_b, declared_b = required_and_declared(second)
    return bool(required_a - declared_b) and bool(required_b - declared_a)


def _only_oneof_fails(ctx: LintContext, node: Node, document: Any) -> bool:
    """The document passes the node's other keywords and fails only its oneOf."""
    errors = ctx.errors_at(node.location, document)
    return bool(errors) and all(
        e.validator == "oneOf" and e.schema is node.schema and not e.absolute_path
        for e in errors or ()
    )


def _missing_tags(ctx: LintContext, document: Any, parts: list[Part], at_least: int = 2) -> str:
    """A property that pins a value in ``at_least`` of the branches but is absent."""
    if not isinstance(document, dict):
        return ""
    seen: dict[str, int] = {}
    for part in parts:
        for name in witness.tag_values(ctx, ctx.parts(part.schema, part.base, part.location)):
            seen[name] = seen.get(name, 0) + 1
    return next((name for name, n in seen.items() if n >= at_least and name not in document), "")


# -- discriminator -----------------------------------------------------------------------


def discriminator(ctx: LintContext, node: Node) -> Iterator[Finding]:
    spec = node.schema.get("discriminator")
    if not isinstance(spec, dict) or not isinstance(spec.get("propertyName"), str):
        return
    prop = spec["propertyName"]
    branches = _branches(ctx, node, "oneOf") or _branches(ctx, node, "anyOf")
    mapping = spec.get("mapping")
    if not branches or not isinstance(mapping, dict):
        return
    by_uri = {_target_uri(ctx, defined): (part, defined) for part, defined in branches}
    mapped: dict[str, tuple[Part, Location]] = {}
    for value, target in mapping.items():
        where = node.at(f"/discriminator/mapping/{escape(str(value))}")
        uri = _mapping_uri(ctx, node, str(target))
        if uri not in by_uri:
            yield ctx.finding(
                "discriminator-mapping",
                Severity.error,
                where,
                f"value {value!r} maps to {target!r}, which is not one of the branches",
            )
            continue
        mapped[str(value)] = by_uri[uri]
        part, defined = by_uri[uri]
        rejected = _property_errors(ctx, part, prop, value)
        if rejected:
            yield ctx.finding(
                "discriminator-mapping",
                Severity.error,
                where,
                f"value {value!r} maps to {label(ctx, defined)}, whose {prop!r} rejects it: "
                f"{rejected}",
                related=(defined,),
            )
    yield from _unpinned(ctx, prop, mapped)


def _unpinned(
    ctx: LintContext, prop: str, mapped: dict[str, tuple[Part, Location]]
) -> Iterator[Finding]:
    """Branches that also accept the values the mapping gives to other branches."""
    done: set[Location] = set()
    for value, (part, defined) in mapped.items():
        if defined in done:
            continue
        done.add(defined)
        others = [
            other
            for other, (_p, other_defined) in mapped.items()
            if other_defined != defined and not _property_errors(ctx, part, prop, other)
        ]
        if not others:
            continue
        parts = ctx.parts(part.schema, part.base, part.location)
        declared = ctx.property_parts(parts, prop)
        where = declared[-1].location if declared else defined
        yield ctx.finding(
            "discriminator-unpinned",
            Severity.warning,
            where,
            f"{label(ctx, defined)} is the branch for {prop}={value!r} but also accepts "
            f"{', '.join(map(repr, others))}; pin {prop!r} with const so the branches "
            "are disjoint",
            related=(defined,),
        )


def _property_errors(ctx: LintContext, part: Part, prop: str, value: Any) -> str:
    errors = ctx.errors_at(part.location, {prop: value}) or []
    at_property = [e for e in errors if list(e.absolute_path)[:1] == [prop]]
    return at_property[0].message if at_property else ""


def _target_uri(ctx: LintContext, location: Location) -> str:
    return ctx.schema_set.uri(location.schema) + "#" + location.pointer


def _mapping_uri(ctx: LintContext, node: Node, target: str) -> str:
    """Mapping values are component refs, other refs, or bare schema names (OpenAPI)."""
    component = component_ref(target)
    if component is not None:
        target = component[0]
    if target in ctx.schema_set:
        return ctx.schema_set.uri(target) + "#"
    uri, fragment = urldefrag(join_uri(node.base, target))
    return uri + "#" + fragment
