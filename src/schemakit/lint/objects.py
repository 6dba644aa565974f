"""Rules on object schemas: ``required`` names that are not declared, ``required`` names
whose own description says they may be left out, and override/update schemas that inherit
a ``required`` list (so a partial override is rejected)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .context import LintContext, Node, Part
from .findings import Finding, Location, Severity

# Phrases that say a property may be absent, in a description.
OPTIONAL_PHRASES = re.compile(
    r"\b(?:not required|(?:can|may) be (?:omitted|left out|skipped)|is optional"
    r"|are optional|need not be (?:given|set|sent))\b",
    re.IGNORECASE,
)
# Schema names or titles of partial objects: each field replaces one value elsewhere.
PARTIAL_NAME = re.compile(r"(?:Override|Overrides|Update|Patch)(?:Payload)?$")


def required_undeclared(ctx: LintContext, node: Node) -> Iterator[Finding]:
    required = node.schema.get("required")
    if not isinstance(required, list):
        return
    parts = ctx.node_parts(node)
    if not any(isinstance(p.schema.get("properties"), dict) for p in parts):
        return  # nothing is declared anywhere: required alone is a legitimate style
    closed = _closed(parts)
    if closed is None:
        return  # additionalProperties/patternProperties let undeclared names in on purpose
    for index, name in enumerate(required):
        if isinstance(name, str) and not ctx.property_parts(parts, name):
            if closed:
                why = "but additionalProperties forbids it, so no document can be valid"
                severity = Severity.error
            else:
                why = "in properties (here or in allOf); a typo, or a property of another schema?"
                severity = Severity.error
            yield ctx.finding(
                "required-undeclared",
                severity,
                node.at(f"/required/{index}"),
                f"{name!r} is required but not declared {why}",
            )


def _closed(parts: list[Part]) -> bool | None:
    """True if extra properties are forbidden, False if merely undeclared, None if allowed."""
    closed = False
    for part in parts:
        if part.schema.get("patternProperties"):
            return None
        for keyword in ("additionalProperties", "unevaluatedProperties"):
            value = part.schema.get(keyword)
            if value is False:
                closed = True
            elif value is not None and value is not True:
                return None
    return closed


def required_described_optional(ctx: LintContext, node: Node) -> Iterator[Finding]:
    required = node.schema.get("required")
    if not isinstance(required, list):
        return
    parts = ctx.node_parts(node)
    for index, name in enumerate(required):
        if not isinstance(name, str):
            continue
        for declared in ctx.property_parts(parts, name):
            for described in ctx.parts(declared.schema, declared.base, declared.location):
                text = described.schema.get("description")
                match = OPTIONAL_PHRASES.search(text) if isinstance(text, str) else None
                if match:
                    yield ctx.finding(
                        "required-described-optional",
                        Severity.warning,
                        node.at(f"/required/{index}"),
                        f"{name!r} is required, but its description at "
                        f"{ctx.written(described.location)} "
                        f"says it {match.group(0).lower()!r}",
                        related=(described.location,),
                    )
                    break
            else:
                continue
            break


def partial_requires(ctx: LintContext, node: Node) -> Iterator[Finding]:
    """Runs on each named schema's root: an override/update object must not require fields."""
    if node.pointer:
        return
    title = node.schema.get("title")
    names = [node.resource.name.rsplit("/", 1)[-1], title if isinstance(title, str) else ""]
    if not any(PARTIAL_NAME.search(name) for name in names):
        return
    for part in ctx.node_parts(node):
        required = part.schema.get("required")
        if isinstance(required, list) and required:
            inherited = part.location.schema != node.resource.name
            via = f" (inherited from {ctx.written(part.location)})" if inherited else ""
            yield ctx.finding(
                "partial-requires",
                Severity.warning,
                Location(part.location.schema, part.location.pointer + "/required"),
                f"{node.resource.name} holds partial values that override others, yet it "
                f"requires {', '.join(map(str, required))}{via}: an override of one field "
                "is rejected",
                related=(node.location,),
            )


# Keywords whose subschemas apply to the same instance as their parent: a branch there is
# typed by its parent, so a missing "type" is not a gap.
_IN_PLACE = {"allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas"}


def untyped_object(ctx: LintContext, node: Node) -> Iterator[Finding]:
    """Object keywords without ``"type": "object"`` also accept null, numbers, strings, arrays."""
    if "properties" not in node.schema and "required" not in node.schema:
        return
    tokens = node.pointer.split("/")
    if any(token in _IN_PLACE for token in tokens[-2:]):
        return
    if any("type" in part.schema for part in ctx.node_parts(node)):
        return
    yield ctx.finding(
        "untyped-object",
        Severity.warning,
        node.location,
        'declares object properties but no "type": "object", so any non-object '
        '(null, 42, "text", []) is valid here',
    )
