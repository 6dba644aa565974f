"""``Validator``: the verdict and the explanation of one schema, both from the compiled
validator.

``is_valid`` is ``jsonschema-rs`` on the bundle (``engine``); ``errors`` explains its
errors in ``jsonschema``'s terms (``explain``), so an invalid document costs about what
a valid one does. Python ``jsonschema`` (``reference``) answers only what the compiled
validator cannot: documents it cannot take (NaN, integers beyond 64 bits, very deep
nesting), the few messages listed in ``explain``, and schemas whose ``patternProperties``
have a backreference (see ``engine``). The tests hold all three to the
same verdicts, pointers and rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

from ..core.errors import ValidationError
from ..core.reference import reference_validator
from ..core.schemaset import PureSchemaSet
from .engine import compile_validator, fast_schema
from .explain import Explainer
from .issue import Issue, pointer, short
from .reference import reference_issues
from .written import PLAIN, AsWritten, written_schemas

__all__ = ["Issue", "Validator", "pointer", "short"]

# What the compiled validator raises for values it cannot represent.
_UNREPRESENTABLE = (ValueError, OverflowError, RecursionError)


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
        written: AsWritten = PLAIN,
    ) -> None:
        """``sources`` maps the ``$defs`` that hold whole named schemas (as ``bundle``
        writes them) to those names, for ``Issue.schema_name``; by default every
        ``$defs`` entry of the root counts as one. ``written`` restates issues in the
        terms of the files as written (for schemas read from older drafts)."""
        self.name = name
        self.schema = schema
        self.sources = dict(sources) if sources is not None else None
        self.written = written
        fast = fast_schema(schema)
        self._fast = compile_validator(fast.schema)
        self._exact = fast.exact
        self._explained = fast.explained
        self._explainer = Explainer(fast, schema, name, self.sources, written)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Validator, (self.schema, self.name, self.sources, self.written))

    def is_valid(self, document: Any) -> bool:
        """The verdict only, from the compiled validator: the fast path for valid documents."""
        if not self._exact:
            return not self.reference_errors(document)
        try:
            return bool(self._fast.is_valid(document))
        except _UNREPRESENTABLE:
            # Values the compiled validator cannot represent: let jsonschema decide.
            return not self.reference_errors(document)

    def errors(self, document: Any) -> list[Issue]:
        """Every problem, most relevant first; empty when the document is valid."""
        if not self._exact:
            return self.reference_errors(document)
        try:
            if self._fast.is_valid(document):
                return []
        except _UNREPRESENTABLE:
            return self.reference_errors(document)
        issues = self.compiled_errors(document)
        if issues is None:  # beyond what the compiled errors say: ask jsonschema
            issues = self.reference_errors(document)
        if not issues:  # the two engines disagree: report what the compiled one saw
            issues = [
                Issue(pointer(e.instance_path), e.message, e.kind.name, pointer(e.schema_path))
                for e in self._fast.iter_errors(document)
            ]
        return issues

    def validate(self, document: Any) -> None:
        """Return if valid, else raise ``schemakit.ValidationError`` carrying every ``Issue``."""
        issues = self.errors(document)
        if issues:
            raise ValidationError(issues)

    def compiled_errors(self, document: Any) -> list[Issue] | None:
        """``errors`` from the compiled validator alone; ``None`` where it cannot say what
        ``jsonschema`` would (``errors`` then asks ``reference_errors``)."""
        if not self._explained:
            return None
        try:
            return self._explainer.issues(self._fast.iter_errors(document), document)
        except _UNREPRESENTABLE:
            return None

    def reference_errors(self, document: Any) -> list[Issue]:
        """``errors`` as Python ``jsonschema`` explains them: the reference the compiled
        explanations are tested against, and their fallback."""
        return reference_issues(self._reference, document, self.name, self.sources, self.written)

    @cached_property
    def _reference(self) -> Any:
        return reference_validator(self.schema)


def validator_for(schema_set: PureSchemaSet, name: str) -> Validator:
    """The (memoised) validator for the named schema of ``schema_set``."""
    from .bundle import bundle_of, bundle_sources

    resource = schema_set.resource(name)

    def build() -> Validator:
        sources = bundle_sources(schema_set, resource)
        named = [resource.name, *sources.values()]
        written = AsWritten(written_schemas(schema_set, named))
        bundle = bundle_of(schema_set, name)
        return Validator(bundle, name=resource.name, sources=sources, written=written)

    return schema_set.memo(("validator", resource.uri), build)
