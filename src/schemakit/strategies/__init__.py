"""Hypothesis strategies for documents valid under a draft 2020-12 schema.

``from_schema(schema)`` works in two passes, like hypothesis-jsonschema: ``canonical.py``
normalises the schema into single-type alternatives (merging ``allOf``, intersecting bounds,
splitting ``anyOf``/``oneOf``/``if``, negating ``not``, pruning what cannot hold), and
``compile.py`` turns those into strategies. Formats are generated directly (``formats.py``),
``oneOf`` branches exclude each other by construction, recursion goes through ``deferred``.
"""

from __future__ import annotations

import warnings
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from referencing import Registry

from ..core.drafts import LATEST, detect_draft
from ..core.errors import GenerationError, InvalidSchemaError, SchemakitError
from ..core.extras import needs
from ..core.schemaset import PureSchemaSet
from ..load.normalise import normalise
from ..validate.bundle import bundle_of

with needs("fixtures", "schemakit.strategies (document generation)"):
    from hypothesis import strategies as st

    from .canonical import Canonicaliser, FormatWarning
    from .compile import Compiler, describe, guarded
    from .formats import STRING_FORMATS
    from .invalid import InvalidDocument, invalid
    from .models import register_bundled_models, register_models
    from .resolve import Refs, schema_key

__all__ = [
    "STRING_FORMATS",
    "FormatWarning",
    "InvalidDocument",
    "from_schema",
    "invalid",
    "register_bundled_models",
    "register_models",
    "strategy_for",
]

_CACHE: OrderedDict[str, st.SearchStrategy[Any]] = OrderedDict()
_CACHE_SIZE = 64


def from_schema(
    schema: Any,
    *,
    registry: Registry[Any] | None = None,
    formats: Mapping[str, st.SearchStrategy[str]] | None = None,
) -> st.SearchStrategy[Any]:
    """A strategy for documents valid under ``schema`` (a dict or a bool).

    ``registry`` resolves references to other resources; ``formats`` adds or replaces string
    format generators. A schema that declares an older draft (``$schema``) is read under it.
    Raises ``UnsatisfiableSchemaError`` (naming the JSON pointer) when no document can be
    valid, and another ``SchemakitError`` for anything else that stops it.
    """
    if not isinstance(schema, (dict, bool)):
        raise InvalidSchemaError(f"a schema is an object or a boolean, not {type(schema).__name__}")
    cacheable = registry is None and not formats
    key = schema_key(schema)
    if cacheable and key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    custom = dict(formats or {})
    try:
        draft = detect_draft(schema, LATEST, "#")
        if draft is not LATEST:  # read under the draft it declares, as the loader does
            schema = normalise(schema, draft).contents
        refs = Refs(schema, registry)
        canon = Canonicaliser(refs, set(STRING_FORMATS) | set(custom))
        strategy = guarded(Compiler(canon, {**STRING_FORMATS, **custom}).compile(refs.root, "#"))
    except SchemakitError:
        raise
    except RecursionError:
        raise GenerationError("schema nested too deeply to generate from", "#") from None
    except Exception as exc:  # e.g. a subschema of another draft's shape where 2020-12 wants one
        raise GenerationError(f"cannot generate: {describe(exc)}", "#") from exc
    for name in sorted(canon.unknown_formats):
        message = f"unknown format {name!r}: values are generated without it"
        warnings.warn(message, FormatWarning, stacklevel=2)
    if cacheable:
        _CACHE[key] = strategy
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return strategy


def strategy_for(schema_set: PureSchemaSet, name: str) -> st.SearchStrategy[Any]:
    """Documents valid under the named schema of ``schema_set`` (``SchemaSet.strategy``)."""
    return from_schema(bundle_of(schema_set, name))
