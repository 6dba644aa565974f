"""The compiled validator: ``jsonschema-rs`` on a bundle, with schemakit's format rules.

``format`` keywords that have an equivalent in plain keywords are replaced by them before
compiling (see ``core.formats``): calls back into Python cost more than the rest of the
validation, and the compiled validator would check numeric formats on strings only. The
replacements are recorded, so an explanation can say ``is not a 'int32'`` where the
compiled validator saw a ``maximum``.

The compiled validator's regex engine gets backreferences wrong (see ``core.backrefs``): a
``pattern`` with one becomes a keyword of schemakit's, checked by the same interpreter as
the reference pass. A ``patternProperties`` key with one cannot be renamed that way, so
such a schema is left to the reference pass entirely (``FastSchema.exact`` is False).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import jsonschema_rs

from ..core.backrefs import backref_pattern
from ..core.ecmaregex import to_rust
from ..core.formats import fast_format_keywords, string_format_functions
from ..core.regex import BACKTRACK_LIMIT, pattern_message
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
    exact: bool = True  # False: the compiled verdict may be wrong (see the module docstring)
    explained: bool = True  # False: its errors name schemakit's own keyword, not ``pattern``


BACKREF_KEYWORD = "x-schemakit-backref-pattern"


class _BackrefKeyword:
    """A ``pattern`` with a backreference, as a ``jsonschema-rs`` custom keyword."""

    def __init__(self, parent_schema: Any, value: str, schema_path: Any) -> None:
        interpreted = backref_pattern(value)
        assert interpreted is not None  # only such patterns are renamed to this keyword
        self.pattern = value
        self.search = interpreted.search

    def validate(self, instance: Any) -> None:
        if isinstance(instance, str) and not self.search(instance):
            raise ValueError(pattern_message(instance, self.pattern))


def _rust_patterns(node: dict[str, Any]) -> bool:
    """ECMA-only pattern syntax spelled the way the Rust engines read it (``ecmaregex``);
    False when a ``patternProperties`` key has a backreference the engine gets wrong."""
    pattern = node.get("pattern")
    if isinstance(pattern, str):
        if backref_pattern(pattern) is not None:
            node[BACKREF_KEYWORD] = node.pop("pattern")
        else:
            node["pattern"] = to_rust(pattern)
    keys = node.get("patternProperties")
    if isinstance(keys, dict):
        node["patternProperties"] = {to_rust(key): value for key, value in keys.items()}
        return not any(backref_pattern(key) is not None for key in keys)
    return True


def fast_schema(schema: dict[str, Any]) -> FastSchema:
    """Replace formats by equivalent keywords where there are some (see ``core.formats``).

    A format left in place is either checked by a callback or one the compiled validator
    checks the reference's way.
    """
    fast = copy.deepcopy(schema)
    replaced: dict[int, Replacement] = {}
    exact = explained = True
    # A snapshot: the replacements hold "format" themselves and must not be revisited.
    for node, _base, _pointer in list(iter_subschemas(fast, "")):
        exact = _rust_patterns(node) and exact
        explained = explained and BACKREF_KEYWORD not in node
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
    return FastSchema(fast, replaced, exact, explained)


def compile_validator(schema: dict[str, Any]) -> Any:
    """A ``jsonschema-rs`` validator asserting formats, with a regex engine that cannot hang."""
    # Only the callbacks this schema needs: registering any slows every call down.
    used = {node.get("format") for node, _base, _pointer in iter_subschemas(schema, "")}
    callbacks = {name: f for name, f in string_format_functions().items() if name in used}
    options: dict[str, Any] = {
        "validate_formats": True,
        "keywords": {BACKREF_KEYWORD: _BackrefKeyword},
    }
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
