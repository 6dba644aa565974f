"""schemakit: load, validate, model and fuzz JSON Schema sets.

Data flows one way: ``load()`` -> ``SchemaSet`` -> validator / bundle / models / strategies.
"""

from __future__ import annotations

from . import _lazy_imports  # noqa: F401  (must run before jsonschema is imported)
from .assertions import SchemaAssertionError, assert_valid
from .errors import (
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
)
from .loader import bundled_schemas_dir, load
from .schemaset import SchemaResource, SchemaSet
from .validation import Issue, Validator

__all__ = [
    "InvalidSchemaError",
    "Issue",
    "OutputError",
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
    "assert_valid",
    "bundled_schemas_dir",
    "load",
]
__version__ = "0.1.0"

_SUBMODULES = ("strategies", "codegen", "lint", "fixtures", "dask")


def __getattr__(name: str) -> object:
    # ``schemakit.strategies`` etc. without importing Hypothesis or the code generator
    # on every ``import schemakit``.
    if name in _SUBMODULES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
