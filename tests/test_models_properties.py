"""Property: every document the schema accepts round-trips through its generated model.

Documents come from ``SchemaSet.strategy(name)`` (schemakit's own Hypothesis strategies)
and are re-checked with the reference validator before they are used.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import sentinel_hub_models as shm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import schemakit
from schemakit.codegen import generate_models
from schemakit.core.formats import FORMAT_CHECKER

DecodeError = shm.DecodeError

MODELS_DATA = Path(__file__).resolve().parent / "data" / "models"
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SENTINEL_NAMES = ["BatchV2ProcessTask", "BatchV2ProcessRequest", "S1Processing", "Boom"]


def _round_trip(
    schema_set: schemakit.SchemaSet, name: str, model: Any, data: st.DataObject
) -> None:
    document = data.draw(schema_set.strategy(name))
    validator = jsonschema.Draft202012Validator(
        schema_set.bundle(name), format_checker=FORMAT_CHECKER
    )
    assert validator.is_valid(document)
    try:
        loaded = model.from_dict(document)
    except DecodeError as error:
        # The one documented limit: a schema that describes an object only by properties
        # (no "type": "object") also accepts null, numbers, ...; its model takes objects.
        value = _at(document, error.pointer)
        assert not isinstance(value, dict), error
        assert "expected an object for" in error.message or "fits none of" in error.message
        return
    assert loaded.to_dict() == document


def _at(document: Any, pointer: str) -> Any:
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        document = document[int(token)] if isinstance(document, list) else document[token]
    return document


@pytest.mark.parametrize("name", SENTINEL_NAMES)
@SETTINGS
@given(data=st.data())
def test_sentinel_documents_round_trip(
    sentinel: schemakit.SchemaSet, name: str, data: st.DataObject
) -> None:
    _round_trip(sentinel, name, getattr(shm, name), data)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> tuple[schemakit.SchemaSet, Any]:
    schema_set = schemakit.load(MODELS_DATA / "catalog.yaml")
    out = tmp_path_factory.mktemp("catalog-props")
    generate_models(schema_set, out, package_name="catalog_models_props")
    sys.path.insert(0, str(out))
    try:
        return schema_set, importlib.import_module("catalog_models_props")
    finally:
        sys.path.remove(str(out))


@pytest.mark.parametrize("name", ["Item", "Category", "Shape"])
@SETTINGS
@given(data=st.data())
def test_catalog_documents_round_trip(
    catalog: tuple[schemakit.SchemaSet, Any], name: str, data: st.DataObject
) -> None:
    schema_set, package = catalog
    model = getattr(package, name)
    if isinstance(model, type):
        _round_trip(schema_set, name, model, data)
    else:  # a union alias: decode / encode
        document = data.draw(schema_set.strategy(name))
        assert package.encode(package.decode(model, document)) == document
