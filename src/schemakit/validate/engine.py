"""The compiled validator: ``jsonschema-rs`` on a bundle, with schemakit's format rules.

``format`` keywords that have an equivalent in plain keywords are replaced by them before
compiling (see ``core.formats``): calls back into Python cost more than the rest of the
validation, and the compiled validator would check numeric formats on strings only. The
replacements are recorded, so an explanation can say ``is not a 'int32'`` where the
compiled validator saw a ``maximum``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import jsonschema_rs

from ..core.ecmaregex import to_rust
from ..core.formats import fast_format_keywords, string_format_functions
from ..core.regex import BACKTRACK_LIMIT
from ..core.walk import iter_subschemas


@dataclass(frozen=True)
class Replacement:
    """A ``format`` the compiled schema checks with other keywords, at one node."""

    format: str  # the format name, e.g. "int32"
    keywords: frozenset[str]  # the keywords added in its place
    all_of: int | None  # index of the ``allOf`` entry holding them, if they clashed


@dataclass(frozen=True)
class FastSchema:
    """The schema the compiled validator runs, and which of its nodes stand for a format.

    ``replaced`` is keyed by ``id()`` of nodes of ``schema``: it is only meaningful
    while ``schema`` is alive, which this object ensures."""

    schema: dict[str, Any]
    replaced: dict[int, Replacement]


def _rust_patterns(node: dict[str, Any]) -> None:
    """ECMA-only pattern syntax spelled the way the Rust engines read it (``ecmaregex``)."""
    if isinstance(node.get("pattern"), str):
        node["pattern"] = to_rust(node["pattern"])
    if isinstance(node.get("patternProperties"), dict):
        node["patternProperties"] = {
            to_rust(key): value for key, value in node["patternProperties"].items()
        }


def fast_schema(schema: dict[str, Any]) -> FastSchema:
    """Replace formats by equivalent keywords where there are some (see ``core.formats``).

    A format left in place is either checked by a callback or one the compiled validator
    checks the reference's way.
    """
    fast = copy.deepcopy(schema)
    replaced: dict[int, Replacement] = {}
    # A snapshot: the replacements hold "format" themselves and must not be revisited.
    for node, _base, _pointer in list(iter_subschemas(fast, "")):
        _rust_patterns(node)
        name = node.get("format")
        if not isinstance(name, str) or (keywords := fast_format_keywords(name)) is None:
            continue
        del node["format"]
        if not keywords or keywords == {"format": name}:  # nothing, or a built-in check
            node.update(keywords)
            continue
        if keywords.keys() & node.keys():
            node["allOf"] = [*node.get("allOf", []), keywords]
            replaced[id(node)] = Replacement(name, frozenset(keywords), len(node["allOf"]) - 1)
        else:
            node.update(keywords)
            replaced[id(node)] = Replacement(name, frozenset(keywords), None)
    return FastSchema(fast, replaced)


def compile_validator(schema: dict[str, Any]) -> Any:
    """A ``jsonschema-rs`` validator asserting formats, with a regex engine that cannot hang."""
    # Only the callbacks this schema needs: registering any slows every call down.
    used = {node.get("format") for node, _base, _pointer in iter_subschemas(schema, "")}
    callbacks = {name: f for name, f in string_format_functions().items() if name in used}
    options: dict[str, Any] = {"validate_formats": True}
    if callbacks:
        options["formats"] = callbacks
    try:
        return jsonschema_rs.validator_for(
            schema, pattern_options=jsonschema_rs.RegexOptions(), **options
        )
    except ValueError:
        # Lookaround or backreferences: the backtracking engine, with a step budget.
        return jsonschema_rs.validator_for(
            schema,
            pattern_options=jsonschema_rs.FancyRegexOptions(backtrack_limit=BACKTRACK_LIMIT),
            **options,
        )
