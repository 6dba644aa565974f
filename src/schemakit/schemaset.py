"""``SchemaSet``: the public schema set, with what each job derives from it.

``core.schemaset.PureSchemaSet`` is the immutable data every layer works on; this class
adds the three derived views users ask a set for (``validator``, ``bundle``, ``strategy``),
each memoised per set. It sits above ``validate`` and ``strategies`` so that those layers
never import upwards. ``load()`` here is ``schemakit.load``: the loader's ``load`` returning
this class.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec

from .core.schemaset import PureSchemaSet
from .load import loader
from .validate.bundle import bundle_of
from .validate.validator import Validator, validator_for

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

P = ParamSpec("P")


class SchemaSet(PureSchemaSet):
    """Named schemas, their ``$ref``s resolved; validators, bundles and strategies on demand."""

    @classmethod
    def of(cls, schema_set: PureSchemaSet) -> SchemaSet:
        """``schema_set`` as a ``SchemaSet`` (the same data; derived values are shared)."""
        if isinstance(schema_set, cls):
            return schema_set
        public = cls(**schema_set.__getstate__())
        object.__setattr__(public, "_memo", schema_set._memo)
        return public

    def bundle(self, name: str) -> dict[str, Any]:
        """An editable, self-contained copy of the named schema (every referenced schema
        under ``$defs``, every ``$ref`` a local pointer)."""
        return copy.deepcopy(bundle_of(self, name))

    def validator(self, name: str) -> Validator:
        """The (memoised) validator for the named schema."""
        return validator_for(self, name)

    def strategy(self, name: str) -> SearchStrategy[Any]:
        """A Hypothesis strategy for documents valid under the named schema."""
        from .strategies import strategy_for  # Hypothesis loads only when asked for

        return strategy_for(self, name)


def _returning_public(load: Callable[P, PureSchemaSet]) -> Callable[P, SchemaSet]:
    @functools.wraps(load)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> SchemaSet:
        return SchemaSet.of(load(*args, **kwargs))

    return wrapper


load = _returning_public(loader.load)
read_schema_set = _returning_public(loader.read_schema_set)
