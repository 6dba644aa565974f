"""schemakit: load, validate, model and fuzz JSON Schema sets.

Data flows one way: ``load()`` -> ``SchemaSet`` -> validator / bundle / models / strategies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .core import _lazy_imports  # noqa: F401  (must run before jsonschema is imported)
from .core.errors import (
    CodegenError,
    FixtureError,
    GenerationError,
    InvalidSchemaError,
    OutputError,
    RefCycleError,
    RemoteRefError,
    SchemakitError,
    SchemaLoadError,
    SourceError,
    UnknownSchemaError,
    UnresolvableRefError,
    UnsatisfiableSchemaError,
    ValidationError,
    WorkerError,
)
from .core.schemaset import PureSchemaSet, SchemaResource
from .load.loader import bundled_schemas_dir
from .schemaset import SchemaSet, load
from .testing.assertions import SchemaAssertionError, assert_valid
from .validate.validator import Issue, Validator

if TYPE_CHECKING:
    from .testing.traffic import ExchangeAssertionError, assert_response_valid, check_exchange

__all__ = [
    "CodegenError",
    "ExchangeAssertionError",
    "FixtureError",
    "GenerationError",
    "InvalidSchemaError",
    "Issue",
    "OutputError",
    "PureSchemaSet",
    "RefCycleError",
    "RemoteRefError",
    "SchemaAssertionError",
    "SchemaLoadError",
    "SchemaResource",
    "SchemaSet",
    "SchemakitError",
    "SourceError",
    "UnknownSchemaError",
    "UnresolvableRefError",
    "UnsatisfiableSchemaError",
    "ValidationError",
    "Validator",
    "WorkerError",
    "assert_response_valid",
    "assert_valid",
    "bundled_schemas_dir",
    "check_exchange",
    "load",
]
__version__ = "0.1.0"

# public submodules reached as attributes, imported on first use
# (``schemakit.diff(old, new)`` works too: that package is callable, see schemakit.diff)
_SUBMODULES = {
    "strategies": "strategies",
    "codegen": "codegen",
    "lint": "lint",
    "diff": "diff",
    "fixtures": "testing.fixtures",
    "dask": "dask",
    "traffic": "traffic",
    "formats": "core.formats",
}


# traffic checking, imported on first use too
_TRAFFIC_NAMES = {"ExchangeAssertionError", "assert_response_valid", "check_exchange"}


def __getattr__(name: str) -> object:
    # ``schemakit.strategies`` etc. without importing Hypothesis or the code generator
    # on every ``import schemakit``.
    import importlib

    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{_SUBMODULES[name]}")
    if name in _TRAFFIC_NAMES:
        return getattr(importlib.import_module(f"{__name__}.testing.traffic"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
