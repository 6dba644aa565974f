"""Explanations of invalid documents from the compiled validator's own errors.

``jsonschema-rs`` reports every failing keyword with its instance path, its evaluation path
(the way through the schema, ``$ref`` steps included) and, for a failed ``oneOf``/``anyOf``,
the failures inside every branch. That is all an explanation needs: this module turns
those errors into the ``Issue`` values the ``jsonschema`` reference (``reference``) gives,
at the speed of the compiled validator instead of Python's.

What is taken from where:

* pointer: the error's instance path; ``schema_path``: its evaluation path with the
  ``$ref`` steps left out (as ``jsonschema`` reports it); ``schema_name`` and
  ``rule_location``: ``locate.locate_path`` on that path.
* rule and message: ``jsonschema``'s keyword and wording, rebuilt in ``MESSAGES`` (one
  entry per keyword) from the keyword's value in the bundle and the offending value in
  the document; the compiled validator's own messages differ (``"x"`` for ``'x'``,
  ``1 or 2`` for ``[1, 2]``). A ``format`` the compiled schema checks with other keywords
  (``engine.fast_schema``: ``int32`` as ``minimum``/``maximum``/``multipleOf``) is
  reported as the one ``format`` failure it stands for.
* branches: ranked by ``branches`` from the per-branch failures, as the reference does.
* for a schema read from an older draft: rule, location and wording as its file and
  draft have them (``written.AsWritten``, which both explainers build issues with).

Where the compiled errors cannot say what the reference says, ``Explainer.issues`` returns
``None`` and the caller asks the reference (``Validator.errors`` does): a ``minContains``
or ``maxContains`` failure (its message counts the matching items, which the compiled
error does not carry) and error kinds outside ``MESSAGES``. Documents the compiled
validator cannot take at all (NaN, integers beyond 64 bits, nesting too deep) never
reach here.

Known differences from the reference: a ``false`` subschema is reported at the rejected
value with rule ``falseSchema`` (``jsonschema`` reports it at the parent with no rule,
``None``); and next to a failed ``oneOf``, ``unevaluatedProperties`` also fails for the
properties only its branches evaluated (as the specification says: a failed ``oneOf``
evaluates nothing), where ``jsonschema`` counts the properties of its matching branches.

Why ``iter_errors`` rather than ``evaluate()``: ``evaluate()`` records annotations and
every passing keyword too, and its ``list()``/``hierarchical()`` output turns each of
those into Python objects; on the task documents of ``benchmarks/explain.py`` that alone
costs several times what ``iter_errors`` does, which puts the speed target (half of
``iter_errors``) out of reach before any explaining. ``iter_errors`` carries the same
facts for the failing keywords: instance path, evaluation path, schema location, and
the per-branch failures (``kind.context``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import urldefrag

import jsonschema_rs

from ..core.pointer import fragment_tokens
from ..core.regex import additional_message, pattern_message, unevaluated_message
from ..core.walk import iter_subschemas
from .branches import (
    Miss,
    accepts,
    branch_label,
    closest_branch,
    closest_note,
    discriminator_key,
    several_message,
    shared_tag,
    tag_message,
)
from .engine import FastSchema, Replacement
from .issue import Issue, pointer, readable, short, unique
from .locate import Stretch, child, locate_path
from .written import PLAIN, AsWritten

Path = tuple[Any, ...]
_UNREAD = object()
_SEVERAL = jsonschema_rs.ValidationErrorKind.OneOfMultipleValid
_BRANCHING = ("oneOf", "anyOf")
_REFS = ("$ref", "$dynamicRef")
_ONCE = ("format", "items")  # rules whose compiled errors come several to one
_SITE_CACHE = 20_000  # evaluation paths remembered per validator (a recursive schema has no bound)


class Unexpressed(Exception):
    """The compiled errors cannot say what the reference would: ask the reference."""


@dataclass(frozen=True)
class Site:
    """Where a failing keyword is, resolved once per evaluation path."""

    rule: str  # the keyword, as jsonschema names it ("format" for a format's stand-in)
    schema_path: Path  # as jsonschema reports it: through refs without naming them
    value: Any  # the keyword's value
    parent: Any  # the schema holding the keyword
    schema_name: str | None
    rule_location: str
    pointer: str  # schema_path as a JSON pointer
    order: tuple[str, ...]  # schema_path as the reference sorts it
    plain: bool  # whether errors here need no second look (see _unusual)
    stretches: tuple[Stretch, ...] = ()  # schema_path between the refs it steps through


class Failure(NamedTuple):
    """One compiled error in the reference's terms: rule, place, offending value.

    Also what branch ranking reads (``branches.Miss``: rule, path, value), so the many
    failures in branches nobody meant cost no more than this tuple."""

    rule: str
    path: Path  # where in the document
    site: Site
    kind: Any  # the jsonschema-rs error's kind, for what it carries
    document: Any  # the whole document, where the offending value is read from
    given: Any = _UNREAD  # the offending value when it is not at ``path`` (a property name)
    ordinal: int = 0  # the same rule failing again at the same place (dependentRequired)

    @classmethod
    def plain(cls, rule: str, path: Path, site: Site, kind: Any, document: Any) -> Failure:
        """A failure with the defaults, made without the generated ``__new__``'s frame."""
        return tuple.__new__(cls, (rule, path, site, kind, document, _UNREAD, 0))

    @property
    def instance(self) -> Any:
        """The offending value."""
        if self.given is not _UNREAD:
            return self.given
        node = self.document
        for part in self.path:
            # jsonschema-rs gives a property named "1" as the index 1, and leaves a
            # property named "" out of its path: where one may have been left out, or
            # the path leads nowhere, the reference explains
            if isinstance(node, dict):
                if "" in node:
                    raise Unexpressed(self.rule)
                part = str(part)
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                raise Unexpressed(self.rule) from None
        return node

    @property
    def value(self) -> Any:
        """The failing keyword's value in the schema."""
        return self.site.value

    @property
    def order(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Document order, then schema order: how the reference sorts."""
        return tuple(map(str, self.path)), self.site.order


# -- jsonschema's wording, one entry per keyword -----------------------------------------
def _kinds(value: Any) -> str:
    return ", ".join(repr(kind) for kind in ([value] if isinstance(value, str) else value))


def _few(f: Failure, one: str, other: str) -> str:
    return f"{f.instance!r} {one if f.site.value == 1 else other}"


def _many(f: Failure, none: str, other: str) -> str:
    return f"{f.instance!r} {none if f.site.value == 0 else other}"


def _extra_items(f: Failure) -> str:
    prefix = len(f.site.parent.get("prefixItems", []))
    extra = len(f.instance) - prefix
    rest = f.instance[prefix:] if extra != 1 else f.instance[prefix]
    item = "items" if prefix != 1 else "item"
    return f"Expected at most {prefix} {item} but found {extra} extra: {rest!r}"


def _unevaluated_items(f: Failure) -> str:
    items = [_json_value(text) for text in f.kind.unexpected]
    verb = "was" if len(items) == 1 else "were"
    return f"Unevaluated items are not allowed ({', '.join(map(repr, items))} {verb} unexpected)"


def _json_value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _dependency(f: Failure) -> str:
    missing = f.kind.property
    # the present properties that need the missing one, in schema order: one error each
    owners = [k for k, needed in f.site.value.items() if k in f.instance and missing in needed]
    if f.ordinal >= len(owners):
        raise Unexpressed(f.rule)
    return f"{missing!r} is a dependency of {owners[f.ordinal]!r}"


def _unexpressed(f: Failure) -> str:
    raise Unexpressed(f.rule)


MESSAGES: dict[str, Callable[[Failure], str]] = {
    "type": lambda f: f"{f.instance!r} is not of type {_kinds(f.site.value)}",
    "enum": lambda f: f"{f.instance!r} is not one of {f.site.value!r}",
    "const": lambda f: f"{f.site.value!r} was expected",
    "required": lambda f: f"{f.kind.property!r} is a required property",
    "dependentRequired": _dependency,
    "minimum": lambda f: f"{f.instance!r} is less than the minimum of {f.site.value!r}",
    "maximum": lambda f: f"{f.instance!r} is greater than the maximum of {f.site.value!r}",
    "exclusiveMinimum": lambda f: (
        f"{f.instance!r} is less than or equal to the minimum of {f.site.value!r}"
    ),
    "exclusiveMaximum": lambda f: (
        f"{f.instance!r} is greater than or equal to the maximum of {f.site.value!r}"
    ),
    "multipleOf": lambda f: f"{f.instance!r} is not a multiple of {f.site.value}",
    "minLength": lambda f: _few(f, "should be non-empty", "is too short"),
    "maxLength": lambda f: _many(f, "is expected to be empty", "is too long"),
    "minItems": lambda f: _few(f, "should be non-empty", "is too short"),
    "maxItems": lambda f: _many(f, "is expected to be empty", "is too long"),
    "minProperties": lambda f: _few(f, "should be non-empty", "does not have enough properties"),
    "maxProperties": lambda f: _many(f, "is expected to be empty", "has too many properties"),
    "uniqueItems": lambda f: f"{f.instance!r} has non-unique elements",
    "pattern": lambda f: pattern_message(f.instance, f.site.value),
    "format": lambda f: f"{f.instance!r} is not a {f.site.value!r}",
    "contains": lambda f: f"{f.instance!r} does not contain items matching the given schema",
    "minContains": _unexpressed,
    "maxContains": _unexpressed,
    "items": _extra_items,
    "additionalProperties": lambda f: additional_message(list(f.kind.unexpected), f.site.parent),
    "unevaluatedProperties": lambda f: unevaluated_message(list(f.kind.unexpected), f.site.value),
    "unevaluatedItems": _unevaluated_items,
    "falseSchema": lambda f: f"False schema does not allow {f.instance!r}",
    # the reference's own wording for these three (see reference._message)
    "not": lambda f: f"{short(f.instance)} must not match the schema under 'not'",
    "oneOf": lambda f: f"{short(f.instance)} matches none of the oneOf branches",
    "anyOf": lambda f: f"{short(f.instance)} matches none of the anyOf branches",
}


def message(failure: Failure) -> str:
    """What ``jsonschema`` would say about ``failure``, its value shown as short JSON."""
    if _several(failure):  # valid under more than one branch
        context = failure.kind.context
        return several_message(
            [branch_label(failure.site.value[i], i) for i, errs in enumerate(context) if not errs]
        )
    build = MESSAGES.get(failure.rule, _unexpressed)
    return readable(build(failure), failure.instance)


def _several(failure: Failure) -> bool:
    return isinstance(failure.kind, _SEVERAL)


# -- from compiled errors to failures ----------------------------------------------------
class Explainer:
    """Explains compiled errors for one bundle; remembers where each keyword is."""

    def __init__(
        self,
        fast: FastSchema,
        root: dict[str, Any],
        root_name: str | None = None,
        sources: Mapping[str, str] | None = None,
        written: AsWritten = PLAIN,
    ) -> None:
        self._fast = fast
        self._written = written
        self._root = root
        self._root_name = root_name
        self._sources = sources
        self._sites: dict[Path, Site] = {}
        self._accepted: dict[tuple[str, int], list[str]] = {}
        self._by_uri: dict[str, Any] | None = None

    def issues(self, errors: Iterable[Any], document: Any) -> list[Issue] | None:
        """Every problem, explained, in document order; ``None`` when the compiled errors
        cannot say what the reference would (see the module docstring)."""
        try:
            failures = sorted(self.failures(errors, document), key=lambda f: f.order)
            return unique(
                issue for failure in failures for issue in self.explain(failure, document)
            )
        except Unexpressed:
            return None

    def failures(self, errors: Iterable[Any], document: Any) -> list[Failure]:
        """One failure per reference error: the stand-ins of one format, and the extra
        items ``items: false`` rejects one by one, each become one."""
        found: list[Failure] = []
        once: set[Any] | None = None
        repeats: Counter[Any] | None = None
        sites = self._sites
        for error in errors:  # the hot loop of explaining (every error of every branch)
            evaluation = tuple(error.evaluation_path)
            site = sites.get(evaluation) or self._site(evaluation, error)
            kind = error.kind
            if site.plain:
                path = tuple(error.instance_path)
                failure = Failure.plain(site.rule, path, site, kind, document)
            else:
                failure = _unusual(error, kind, site, document)
            rule = failure.rule
            if rule in _ONCE:
                once = once if once is not None else set()
                key: Any = (rule, failure.path, site.schema_path)
                if key in once:
                    continue
                once.add(key)
            elif rule == "dependentRequired":
                repeats = repeats if repeats is not None else Counter()
                key = (failure.path, site.schema_path, kind.property)
                failure = failure._replace(ordinal=repeats[key])
                repeats[key] += 1
            found.append(failure)
        return found

    def _site(self, evaluation_path: Path, error: Any) -> Site:
        site = self._sites.get(evaluation_path)
        if site is None:
            if len(self._sites) >= _SITE_CACHE:
                self._sites.clear()
            site = self._sites[evaluation_path] = self._walk(evaluation_path, error)
        return site

    def _walk(self, evaluation_path: Path, error: Any) -> Site:
        """Follow ``evaluation_path`` through the compiled schema to the keyword."""
        node: Any = self._fast.schema
        parent: Any = None
        steps: list[Any] = []
        for index, token in enumerate(evaluation_path):
            if isinstance(node, dict):
                replacement = self._fast.replaced.get(id(node))
                if replacement is not None and _stands_in(replacement, evaluation_path, index):
                    return self._located("format", [*steps, "format"], replacement.format, node)
                ref = node.get(token) if token in _REFS else None
                if isinstance(ref, str):
                    if token == "$ref" and ref.startswith("#"):  # jsonschema omits the step
                        node = self._fast.schema
                        for part in fragment_tokens(ref[1:]):
                            node = child(node, part)
                        continue
                    # Into another resource of the bundle, or wherever the dynamic scope
                    # leads: the error itself says where it landed.
                    rest = [step for step in evaluation_path[index:] if step != "$ref"]
                    return self._landed(error, [*steps, *rest])
            parent, node = node, child(node, token)
            steps.append(token)
        return self._located(str(steps[-1]) if steps else "", steps, node, parent)

    def _landed(self, error: Any, steps: list[Any]) -> Site:
        """The site of ``error`` found by its own location (a resource and a pointer in it),
        reported under the ``steps`` of its evaluation path."""
        location = error.absolute_keyword_location
        resource, fragment = urldefrag(location) if location else ("", "")
        node = self._resources().get(resource) if location else None
        parts = fragment_tokens(fragment) if node is not None else list(error.schema_path)
        node = node if node is not None else self._fast.schema
        parent: Any = None
        for part in parts:
            parent, node = node, child(node, part)
        return self._located(str(steps[-1]) if steps else "", steps, node, parent)

    def _resources(self) -> dict[str, Any]:
        """The schema resources of the bundle (the root and every ``$id``), by URI."""
        if self._by_uri is None:
            self._by_uri = {
                base: node
                for node, base, _pointer in iter_subschemas(self._fast.schema, "")
                if "$id" in node or node is self._fast.schema
            }
        return self._by_uri

    def _located(self, rule: str, steps: list[Any], value: Any, parent: Any) -> Site:
        name, location, stretches = locate_path(self._root, steps, self._root_name, self._sources)
        path = tuple(steps)
        # A false subschema, or the subschema of property names, can fail here.
        plain = value is not False and path[-2:-1] != ("propertyNames",)
        order = tuple(map(str, path))
        return Site(
            rule, path, value, parent, name, location, pointer(path), order, plain, stretches
        )

    def _accepts(self, miss: Miss) -> list[str]:
        # keyed by the schema value's identity: the fast schema keeps every value alive
        key = (miss.rule, id(miss.value))
        found = self._accepted.get(key)
        if found is None:
            found = self._accepted[key] = accepts(miss)
        return found

    # -- from failures to issues ---------------------------------------------------------
    def explain(self, failure: Failure, document: Any, note: str = "") -> Iterator[Issue]:
        """Issues for one failure; a failed ``oneOf``/``anyOf`` is explained by the branch
        that nearly matched, or by the tag no branch accepts."""
        if failure.rule in _BRANCHING and not _several(failure):
            context = getattr(failure.kind, "context", None)
            if context:
                yield from self._explain_branches(failure, context, document, note)
                return
        yield from self._issues(failure, note)

    def _issues(self, failure: Failure, note: str) -> tuple[Issue, ...]:
        site = failure.site
        return self._written.issues(
            pointer=pointer(failure.path),
            message=message(failure),
            note=note,
            rule=failure.rule,
            schema_path=site.pointer,
            schema_name=site.schema_name,
            rule_location=site.rule_location,
            value=failure.instance,
            stretches=site.stretches,
        )

    def _explain_branches(
        self, failure: Failure, context: Any, document: Any, note: str
    ) -> Iterator[Issue]:
        site = failure.site
        # A `false` branch counts no failure, as in the reference (which does not say
        # which branch its error is from).
        branches = [
            [] if branch is False else self.failures(errors, document)
            for branch, errors in zip(site.value, context, strict=True)
        ]
        depth = len(failure.path)
        tag = shared_tag(branches, depth + 1, self._accepts)
        if tag is not None:
            tag_name, accepted = tag
            judged = failure.instance
            value = judged.get(tag_name) if isinstance(judged, dict) else None
            yield from self._written.issues(
                pointer=pointer([*failure.path, tag_name]),
                message=tag_message(value, failure.rule, accepted),
                note=note,
                rule=failure.rule,
                schema_path=site.pointer,
                schema_name=site.schema_name,
                rule_location=site.rule_location,
                value=value,
                stretches=site.stretches,
            )
            return
        index = closest_branch(branches, discriminator_key(site.parent), depth)
        if not branches[index]:  # a `false` branch: say no branch matches
            yield from self._issues(failure, note)
            return
        inner_note = closest_note(failure.rule, branch_label(site.value[index], index))
        for sub in sorted(branches[index], key=lambda f: f.order):
            yield from self.explain(sub, document, inner_note)


def _unusual(error: Any, kind: Any, site: Site, document: Any) -> Failure:
    """The failure for an error at a site that is not ``plain``."""
    path = tuple(error.instance_path)
    name = kind.name
    if name == "propertyNames":  # the inner error, about the name itself
        inner = kind.error
        return Failure(site.rule, path, site, inner.kind, document, inner.instance)
    if name == "falseSchema":
        if site.rule == "items":  # one failure for all the items past prefixItems
            return Failure("items", path[:-1], site, kind, document)
        return Failure("falseSchema", path, site, kind, document)
    return Failure(site.rule, path, site, kind, document)


def _stands_in(replacement: Replacement, path: Path, index: int) -> bool:
    """Whether the step at ``index`` enters the keywords standing in for a format."""
    token = path[index]
    if replacement.all_of is None:
        return token in replacement.keywords
    return token == "allOf" and index + 1 < len(path) and path[index + 1] == replacement.all_of
