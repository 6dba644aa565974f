"""The reference validator: the one way schemakit builds a ``jsonschema`` validator.

Validation's detailed pass, the linter, the strategies' checks and invalid-document
generation all judge documents with it, so they agree on every verdict: the same format
rules (``core.formats.FORMAT_CHECKER``, every format asserted) and the same linear-time
regex engine (``core.regex``; Python's backtracking ``re`` never runs a schema's pattern,
so no schema can hang any of them).
"""

from __future__ import annotations

from typing import Any

from referencing import Registry

from .formats import FORMAT_CHECKER
from .regex import DetailedValidator


def reference_validator(schema: Any, registry: Registry[Any] | None = None) -> Any:
    """A ``jsonschema`` validator for ``schema`` (refs resolved in ``registry``, if given)."""
    if registry is None:
        return DetailedValidator(schema, format_checker=FORMAT_CHECKER)
    return DetailedValidator(schema, registry=registry, format_checker=FORMAT_CHECKER)
