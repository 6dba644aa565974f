"""Helpers for the generated-model tests: build a package from schemas, round-trip documents.

A round trip is judged on JSON text (``json.dumps(..., sort_keys=True)``), so ``3`` coming
back as ``3.0`` or ``True`` as ``1`` fails although Python calls them equal.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema

import schemakit
from schemakit.codegen import generate_models
from schemakit.core.formats import FORMAT_CHECKER


def write_schemas(folder: Path, schemas: dict[str, Any]) -> Path:
    """One ``<name>.json`` file per schema; returns the folder (a schema set directory)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, schema in schemas.items():
        (folder / f"{name}.json").write_text(json.dumps(schema), encoding="utf-8")
    return folder


def import_package(out_dir: Path, package: str) -> ModuleType:
    sys.path.insert(0, str(out_dir))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(out_dir))


def generated(schema_set: schemakit.SchemaSet, out_dir: Path, package: str) -> ModuleType:
    """Generate the package for ``schema_set`` into ``out_dir`` and import it."""
    generate_models(schema_set, out_dir, package)
    return import_package(out_dir, package)


def text(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def assert_valid(schema_set: schemakit.SchemaSet, name: str, document: Any) -> None:
    """Documents are checked with the reference validator (all format checkers) first."""
    validator = jsonschema.Draft202012Validator(
        schema_set.bundle(name), format_checker=FORMAT_CHECKER
    )
    errors = [error.message for error in validator.iter_errors(document)]
    assert errors == [], f"not valid under {name}: {errors}"


def round_trip(package: ModuleType, name: str, document: Any) -> Any:
    """``encode(decode(SCHEMAS[name], document))``."""
    return package.encode(package.decode(package.SCHEMAS[name], document))


def at(document: Any, pointer: str) -> Any:
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        document = document[int(token)] if isinstance(document, list) else document[token]
    return document


def documented_limit(package: ModuleType, error: Exception, document: Any) -> bool:
    """The README's one limit: a schema that uses object (or array) keywords without a
    ``type`` also accepts other kinds of value, which its class (or list) refuses."""
    if not isinstance(error, package.DecodeError):
        return False
    value = at(document, error.pointer)
    message = error.message
    return (
        ("expected an object" in message and not isinstance(value, dict))
        or ("expected an array" in message and not isinstance(value, list))
        or ("fits none of" in message and not isinstance(value, dict))
    )
