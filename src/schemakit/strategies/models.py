"""``st.from_type(Model)`` for generated models: each model class draws from its schema.

``register_models(module, schema_set)`` registers, for every class of ``module`` named after
a schema of the set and having ``from_dict``, the strategy
``schema_set.strategy(name).map(Model.from_dict)``. Documents a model cannot load are
skipped: the generated models take objects only where a schema without ``"type"`` also
allows other values (a documented limit of the models), and those documents are rare.
``register_bundled_models()`` does the same for the bundled Sentinel Hub models, lazily (the
schema set is loaded the first time one of them is asked for); the pytest plugin calls it, so
``st.from_type(BatchV2ProcessTask)`` works in tests without an explicit call. Nothing is
registered as a side effect of an import.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from functools import lru_cache
from types import ModuleType
from typing import Any

from hypothesis import strategies as st

from ..core.schemaset import PureSchemaSet

BUNDLED_MODELS = "sentinel_hub_models"
_SKIP = object()


def model_classes(module: ModuleType, names: set[str] | frozenset[str]) -> dict[str, type]:
    """The classes of ``module`` that are models of a schema in ``names``."""
    return {
        name: value
        for name, value in vars(module).items()
        if name in names and inspect.isclass(value) and callable(getattr(value, "from_dict", None))
    }


def model_strategy(schema_set: PureSchemaSet, name: str, model: type) -> st.SearchStrategy[Any]:
    """Instances of ``model`` loaded from documents valid under schema ``name``."""
    load: Callable[[Any], Any] = model.from_dict  # type: ignore[attr-defined]

    def loaded(document: Any) -> Any:
        try:
            return load(document)
        except ValueError:  # the model's DecodeError: a document it cannot represent
            return _SKIP

    from . import strategy_for

    return strategy_for(schema_set, name).map(loaded).filter(lambda value: value is not _SKIP)


def register_models(module: ModuleType, schema_set: PureSchemaSet) -> list[str]:
    """Register every model class of ``module`` with Hypothesis; returns the schema names."""
    classes = model_classes(module, frozenset(schema_set.names))
    for name, model in classes.items():
        st.register_type_strategy(model, model_strategy(schema_set, name, model))
    return sorted(classes)


@lru_cache(maxsize=1)
def _bundled_set() -> PureSchemaSet:
    from ..load.loader import load

    return load()


def register_bundled_models() -> list[str]:
    """Register the bundled Sentinel Hub models, if installed; the set loads on first use."""
    try:
        module = importlib.import_module(BUNDLED_MODELS)
    except ImportError:
        return []
    from ..load.loader import bundled_schemas_dir

    names = frozenset(path.stem for path in bundled_schemas_dir().glob("*.json"))
    classes = model_classes(module, names)
    for name, model in classes.items():
        st.register_type_strategy(model, _lazy(name, model))
    return sorted(classes)


def bundled_model_strategy(name: str, model: type) -> st.SearchStrategy[Any]:
    """``model`` drawn from schema ``name`` of the bundled set (loaded on first use)."""
    return model_strategy(_bundled_set(), name, model)


def _lazy(name: str, model: type) -> Callable[[type], st.SearchStrategy[Any]]:
    def resolve(_: type) -> st.SearchStrategy[Any]:
        return bundled_model_strategy(name, model)

    return resolve
