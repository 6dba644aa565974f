"""Validators: a compiled (Rust) validator for the verdict, ``jsonschema`` for the details.

Both run on the same bundled schema with the same format functions, so their verdicts
agree (this is tested differentially). ``errors()`` only pays for the detailed pass
when the document is invalid, which keeps the common case fast.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import jsonschema_rs
from jsonschema.exceptions import ValidationError as JsonSchemaError

from ..core.backrefs import backref_pattern
from ..core.errors import ValidationError
from ..core.formats import fast_format_keywords, string_format_functions
from ..core.pointer import escape, format_pointer
from ..core.pointer import tokens as pointer_tokens
from ..core.reference import reference_validator
from ..core.schemaset import PureSchemaSet
from ..core.walk import iter_subschemas

_SHORT = 60
_BRANCHING = ("oneOf", "anyOf")
# Rules that make a direct property a branch's tag ("type": "sentinel-2-l2a", or a
# catch-all's "type" pattern): a branch whose tag does not match is not the one meant.
_TAG_RULES = ("const", "enum", "type", "pattern")


def short(value: Any, limit: int = _SHORT) -> str:
    """A JSON rendering of ``value`` cut to ``limit`` characters."""
    try:
        text = json.dumps(value, ensure_ascii=False, sort_keys=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


pointer = format_pointer  # kept: other modules import it under this name


@dataclass(frozen=True)
class Issue:
    """One reason a document is invalid."""

    pointer: str  # where in the document (JSON pointer, "" = the whole document)
    message: str  # what is wrong, for a person
    rule: str  # the keyword that failed, e.g. "required"
    schema_path: str  # JSON pointer of the failing keyword in the bundled schema
    schema_name: str | None = None  # the named schema the rule belongs to
    rule_location: str = ""  # JSON pointer of the rule inside that named schema
    value: Any = None  # the offending value

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "pointer": self.pointer,
            "message": self.message,
            "rule": self.rule,
            "schema_path": self.schema_path,
            "schema": self.schema_name,
            "rule_location": self.rule_location,
        }

    @property
    def where_in_schema(self) -> str:
        return f"{self.schema_name or ''}#{self.rule_location}"


def _fast_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Replace formats by equivalent keywords where there are some (see ``formats``).

    Calls back into Python cost more than the rest of the validation, and the compiled
    validator would check numeric formats on strings only. A format left in place is
    either checked by a callback or one the compiled validator checks the reference's way.
    """
    fast = copy.deepcopy(schema)
    # A snapshot: the replacements hold "format" themselves and must not be revisited.
    for node, _base, _pointer in list(iter_subschemas(fast, "")):
        if isinstance(node.get("pattern"), str) and backref_pattern(node["pattern"]):
            node[_BACKREF_KEYWORD] = node.pop("pattern")
        name = node.get("format")
        if not isinstance(name, str) or (keywords := fast_format_keywords(name)) is None:
            continue
        del node["format"]
        if keywords.keys() & node.keys():
            node["allOf"] = [*node.get("allOf", []), keywords]
        else:
            node.update(keywords)
    return fast


# The compiled validator's regex engine gets backreferences wrong (see core.backrefs):
# a ``pattern`` with one becomes this keyword, checked by the same interpreter as the
# detailed pass. ``patternProperties`` with one leave the verdict to the detailed pass.
_BACKREF_KEYWORD = "x-schemakit-backref-pattern"


class _BackrefKeyword:
    def __init__(self, parent_schema: Any, value: str, schema_path: Any) -> None:
        self.pattern = value
        interpreted = backref_pattern(value)
        assert interpreted is not None  # only such patterns are renamed to this keyword
        self.search = interpreted.search

    def validate(self, instance: Any) -> None:
        if isinstance(instance, str) and not self.search(instance):
            raise ValueError(f"{short(instance)} does not match the pattern /{self.pattern}/")


def _backref_pattern_properties(schema: dict[str, Any]) -> bool:
    return any(
        isinstance(node.get("patternProperties"), dict)
        and any(backref_pattern(key) for key in node["patternProperties"])
        for node, _base, _pointer in iter_subschemas(schema, "")
    )


def _compile(schema: dict[str, Any]) -> Any:
    # Only the callbacks this schema needs: registering any slows every call down.
    used = {node.get("format") for node, _base, _pointer in iter_subschemas(schema, "")}
    callbacks = {name: f for name, f in string_format_functions().items() if name in used}
    options: dict[str, Any] = {
        "validate_formats": True,
        "keywords": {_BACKREF_KEYWORD: _BackrefKeyword},
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
            pattern_options=jsonschema_rs.FancyRegexOptions(backtrack_limit=1_000_000),
            **options,
        )


class Validator:
    """Validate documents against one self-contained draft 2020-12 schema.

    Usually obtained from ``SchemaSet.validator(name)``, which passes the set's bundle of
    that schema (every referenced schema under ``$defs``).
    """

    def __init__(
        self,
        schema: dict[str, Any],
        name: str | None = None,
        sources: Mapping[str, str] | None = None,
    ) -> None:
        """``sources`` maps the ``$defs`` that hold whole named schemas (as ``bundle``
        writes them) to those names, for ``Issue.schema_name``; by default every
        ``$defs`` entry of the root counts as one."""
        self.name = name
        self.schema = schema
        self.sources = dict(sources) if sources is not None else None
        # None: the detailed pass gives the verdict too (see _BACKREF_KEYWORD)
        self._fast = None if _backref_pattern_properties(schema) else _compile(_fast_schema(schema))
        # pattern keywords match with the fast path's linear-time engine: no ReDoS here
        self._detailed = reference_validator(schema)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Validator, (self.schema, self.name, self.sources))

    def is_valid(self, document: Any) -> bool:
        """The verdict only, from the compiled validator: the fast path for valid documents."""
        if self._fast is None:
            return not self._detailed_issues(document)
        try:
            return bool(self._fast.is_valid(document))
        except (ValueError, OverflowError, RecursionError):
            # Values the compiled validator cannot represent: let jsonschema decide.
            return not self._detailed_issues(document)

    def errors(self, document: Any) -> list[Issue]:
        """Every problem, most relevant first; empty when the document is valid."""
        if self.is_valid(document):
            return []
        issues = self._detailed_issues(document)
        if not issues and self._fast is not None:
            # the two engines disagree: report what the compiled one saw
            issues = [
                Issue(
                    pointer(e.instance_path),
                    e.message,
                    str(e.schema_path[-1] if e.schema_path else ""),
                    pointer(e.schema_path),
                )
                for e in self._fast.iter_errors(document)
            ]
        return issues

    def validate(self, document: Any) -> None:
        """Return if valid, else raise ``schemakit.ValidationError`` carrying every ``Issue``."""
        issues = self.errors(document)
        if issues:
            raise ValidationError(issues)

    def _detailed_issues(self, document: Any) -> list[Issue]:
        try:
            raw = sorted(self._detailed.iter_errors(document), key=_document_order)
            issues = (
                issue
                for error in raw
                for issue in explain(error, self.schema, self.name, sources=self.sources)
            )
            # One rule reached along two paths (allOf of refs) reads as the same issue twice.
            unique = {(i.pointer, i.message, i.schema_name, i.rule_location): i for i in issues}
            return list(unique.values())
        except RecursionError:
            return [Issue("", "document is nested too deeply to validate", "depth", "")]


def _document_order(error: JsonSchemaError) -> tuple[Any, ...]:
    return (
        tuple(str(p) for p in error.absolute_path),
        tuple(str(p) for p in error.absolute_schema_path),
    )


def explain(
    error: JsonSchemaError,
    root: dict[str, Any],
    root_name: str | None = None,
    note: str = "",
    *,
    sources: Mapping[str, str] | None = None,
) -> Iterator[Issue]:
    """Turn one jsonschema error into Issues; ``oneOf``/``anyOf`` failures descend into the
    branch that nearly matched instead of stopping at "not valid under any"."""
    if error.validator in _BRANCHING and error.context and (tag := _shared_tag(error)):
        tag_name, accepted = tag
        name, local = locate_rule(root, list(error.absolute_schema_path), root_name, sources)
        value = error.instance.get(tag_name) if isinstance(error.instance, dict) else None
        yield Issue(
            pointer=pointer([*error.absolute_path, tag_name]),
            message=f"{short(value)} is none of the values the {error.validator} branches "
            f"accept: {', '.join(accepted)}" + (f" (in {note})" if note else ""),
            rule=str(error.validator),
            schema_path=pointer(error.absolute_schema_path),
            schema_name=name,
            rule_location=local,
            value=value,
        )
        return
    branching = error.validator in _BRANCHING and bool(error.context)
    branch = closest_branch(error) if branching else -1
    branch_errors = [e for e in error.context or () if _branch_of(e) == branch]
    if branching and branch_errors:  # none for `false` branches: the plain message below
        label = branch_label(error.validator_value[branch], root, branch)
        inner_note = f"{error.validator} branch {label}, the closest match"
        for sub in sorted(branch_errors, key=_document_order):
            yield from explain(sub, root, root_name, inner_note, sources=sources)
        return
    name, local = locate_rule(root, list(error.absolute_schema_path), root_name, sources)
    yield Issue(
        pointer=pointer(error.absolute_path),
        message=_message(error, root) + (f" (in {note})" if note else ""),
        rule=str(error.validator),
        schema_path=pointer(error.absolute_schema_path),
        schema_name=name,
        rule_location=local,
        value=error.instance,
    )


def _shared_tag(error: JsonSchemaError) -> tuple[str, list[str]] | None:
    """(property, what the branches accept there) when every branch rejects the same
    direct property by a tag rule (``"type": "S1GRD"`` against fifteen collections):
    then no branch nearly matches, that property is the problem."""
    depth = len(error.absolute_path) + 1
    tags: dict[int, list[JsonSchemaError]] = {}
    for sub in error.context or ():
        if sub.validator in _TAG_RULES and len(sub.absolute_path) == depth:
            tags.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
    names = {str(sub.absolute_path[-1]) for subs in tags.values() for sub in subs}
    if len(tags) < len(error.validator_value) or len(names) != 1:
        return None
    accepted = [_accepts(sub) for subs in tags.values() for sub in subs]
    return names.pop(), list(dict.fromkeys(text for texts in accepted for text in texts))


def _accepts(error: JsonSchemaError) -> list[str]:
    value = error.validator_value
    if error.validator == "enum":
        return [short(item) for item in value]
    if error.validator == "const":
        return [short(value)]
    if error.validator == "pattern":
        return [f"a string matching {short(value)}"]
    return [f"any {kind}" for kind in (value if isinstance(value, list) else [value])]


def _branch_of(sub: JsonSchemaError) -> int:
    """Which branch of its oneOf/anyOf an error is from (-1: jsonschema does not say,
    as for a ``false`` branch)."""
    path = sub.relative_schema_path
    return int(path[0]) if path and isinstance(path[0], int) else -1


def closest_branch(error: JsonSchemaError) -> int:
    """The branch a person most likely meant: the one whose discriminating fields
    (``const``/``enum``/``type``/``pattern`` on a direct property, or the discriminator)
    match, then the one with the fewest and deepest errors."""
    by_branch: dict[int, list[JsonSchemaError]] = {}
    for sub in error.context or ():
        by_branch.setdefault(_branch_of(sub), []).append(sub)
    discriminator = error.schema.get("discriminator", {}) if isinstance(error.schema, dict) else {}
    key = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
    base_depth = len(error.absolute_path)

    def score(index: int) -> tuple[int, int, int]:
        subs = by_branch.get(index, [])
        tag_mismatch = sum(
            1
            for s in subs
            if s.validator in _TAG_RULES
            and len(s.absolute_path) == base_depth + 1
            and (key is None or s.absolute_path[-1] == key)
        )
        type_mismatch = sum(
            1 for s in subs if s.validator == "type" and len(s.absolute_path) == base_depth
        )
        deepest = max((len(s.absolute_path) for s in subs), default=0)
        return (type_mismatch + tag_mismatch, len(subs), -deepest)

    return min(range(len(error.validator_value)), key=score)


def branch_label(branch: Any, root: dict[str, Any], index: int) -> str:
    if isinstance(branch, dict):
        ref = branch.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return ref.rsplit("/", 1)[-1]
        if isinstance(branch.get("title"), str):
            return str(branch["title"])
    return f"#{index}"


def _message(error: JsonSchemaError, root: dict[str, Any]) -> str:
    if error.validator == "oneOf":  # valid under more than one branch
        # evolve() keeps the root's resolver, so "#/$defs/..." in a branch still resolves.
        whole = reference_validator(root)
        matches = (
            [
                branch_label(branch, root, i)
                for i, branch in enumerate(error.validator_value)
                if whole.evolve(schema=branch).is_valid(error.instance)
            ]
            if isinstance(error.validator_value, list)
            else []
        )
        listed = ", ".join(matches) or "several"
        return f"matches more than one oneOf branch ({listed}); exactly one must match"
    if error.validator in _BRANCHING:
        return f"{short(error.instance)} matches none of the {error.validator} branches"
    if error.validator == "not":
        return f"{short(error.instance)} must not match the schema under 'not'"
    message = str(error.message)
    long_form = repr(error.instance)
    if message.startswith(long_form):
        message = short(error.instance) + message[len(long_form) :]
    return message


def locate_rule(
    root: dict[str, Any],
    path: list[Any],
    root_name: str | None,
    sources: Mapping[str, str] | None = None,
) -> tuple[str | None, str]:
    """(named schema, JSON pointer inside it) of the keyword at ``path`` in the bundle.

    jsonschema's schema paths step through ``$ref`` silently, so follow a local ref
    whenever the next path element is not in the current node. A ref lands in a named
    schema (``#/$defs/<name>/...`` for a name in ``sources``) or in the root.
    """
    name, local = root_name, ""
    node: Any = root
    for part in path:
        seen: set[str] = set()
        while isinstance(node, dict) and part not in node and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#") or ref in seen:
                break
            seen.add(ref)
            tokens = pointer_tokens(ref)
            named = tokens[1] if tokens[:1] == ["$defs"] and len(tokens) > 1 else None
            if named is not None and (sources is None or named in sources):
                name = named if sources is None else sources[named]
                local = pointer(tokens[2:])
            else:
                name, local = root_name, pointer(tokens)
            node = root
            for token in tokens:
                node = _child(node, token)
        local += f"/{escape(str(part))}"
        node = _child(node, part)
    return name, local


def _child(node: Any, part: Any) -> Any:
    if isinstance(node, dict):
        return node.get(str(part) if not isinstance(part, str) else part, {})
    index = int(part) if isinstance(part, int) or str(part).isdigit() else -1
    return node[index] if isinstance(node, list) and 0 <= index < len(node) else {}


def validator_for(schema_set: PureSchemaSet, name: str) -> Validator:
    """The (memoised) validator for the named schema of ``schema_set``."""
    from .bundle import bundle_of, bundle_sources

    resource = schema_set.resource(name)

    def build() -> Validator:
        sources = bundle_sources(schema_set, resource)
        return Validator(bundle_of(schema_set, name), name=resource.name, sources=sources)

    return schema_set.memo(("validator", resource.uri), build)
