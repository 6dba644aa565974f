"""Forms that break the meta-schema but that validators in the wild accept: a warning each.

``"deprecated": "use v2 instead"``, ``"examples": {"a": 1}`` (not an array), and, in a
schema older than 2019-09 (where ``$defs`` is not a keyword), a ``$defs`` entry that is
not a schema. Loading accepts them (the first is ignored, the second read as one example,
the third dropped), so the schema set keeps working; the linter says what to fix.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.drafts import draft_named
from ..core.pointer import escape
from ..core.walk import iter_subschemas
from ..validate.validator import short
from .context import LintContext
from .findings import Finding, Location, Severity

RULE = "tolerated-form"


def tolerated_forms(ctx: LintContext) -> Iterator[Finding]:
    for resource in ctx.schema_set.resources:
        if resource.name in ctx.broken:
            continue
        old = draft_named(resource.draft).before_2019
        for node, _base, pointer in iter_subschemas(resource.as_written, resource.uri):
            where = Location(resource.name, pointer)
            deprecated = node.get("deprecated")
            if "deprecated" in node and not isinstance(deprecated, bool):
                yield ctx.finding(
                    RULE,
                    Severity.warning,
                    Location(resource.name, f"{pointer}/deprecated"),
                    f"deprecated is {short(deprecated)}, not true or false: ignored (say "
                    "deprecated: true, and put the reason in the description)",
                    as_written=True,
                )
            if "examples" in node and not isinstance(node["examples"], list):
                yield ctx.finding(
                    RULE,
                    Severity.warning,
                    Location(resource.name, f"{pointer}/examples"),
                    "examples is not an array: read as a single example (wrap it in [ ])",
                    as_written=True,
                )
            defs = node.get("$defs")
            if old and isinstance(defs, dict):
                for key, value in defs.items():
                    if not isinstance(value, (dict, bool)):
                        yield ctx.finding(
                            RULE,
                            Severity.warning,
                            Location(resource.name, f"{where.pointer}/$defs/{escape(key)}"),
                            f"$defs entry {short(value)} is not a schema: ignored ($defs is "
                            f"not a keyword in {resource.draft}; use definitions)",
                            as_written=True,
                        )
