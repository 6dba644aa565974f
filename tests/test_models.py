"""Generated models: exact JSON round trip, field types, union dispatch, errors.

The Sentinel Hub tests use the committed package (``generated/sentinel_hub_models``);
the Catalog (OpenAPI) and Tree (schema directory) sets in ``tests/data/models`` are
generated into a temporary directory, which also proves generation works beyond one set.
"""

from __future__ import annotations

import copy
import importlib
import json
import pickle
import re
import sys
import uuid
from datetime import date, datetime, timedelta, timezone
from enum import Enum
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
import sentinel_hub_models as shm

import schemakit
from conftest import docs_payloads
from schemakit.codegen import generate_models
from schemakit.core.formats import FORMAT_CHECKER

ROOT = Path(__file__).resolve().parents[1]
MODELS_DATA = ROOT / "tests" / "data" / "models"
TASK = json.loads((ROOT / "examples" / "task.json").read_text())


def _import_generated(out_dir: Path, package: str) -> ModuleType:
    sys.path.insert(0, str(out_dir))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(out_dir))


@pytest.fixture(scope="module")
def catalog_set() -> schemakit.SchemaSet:
    return schemakit.load(MODELS_DATA / "catalog.yaml")


@pytest.fixture(scope="module")
def catalog(catalog_set: schemakit.SchemaSet, tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("catalog")
    generate_models(catalog_set, out, package_name="catalog_models_t")
    return _import_generated(out, "catalog_models_t")


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("tree")
    generate_models(schemakit.load(MODELS_DATA / "tree"), out, package_name="tree_models_t")
    return _import_generated(out, "tree_models_t")


def _valid(schema_set: schemakit.SchemaSet, name: str, document: Any) -> None:
    """Fixtures are checked with the reference validator before they are used."""
    validator = jsonschema.Draft202012Validator(
        schema_set.bundle(name), format_checker=FORMAT_CHECKER
    )
    errors = [e.message for e in validator.iter_errors(document)]
    assert errors == [], f"fixture not valid under {name}: {errors}"


# -- the Sentinel Hub set ----------------------------------------------------------------


def test_example_task_round_trips(sentinel: schemakit.SchemaSet) -> None:
    _valid(sentinel, "BatchV2ProcessTask", TASK)
    task = shm.BatchV2ProcessTask.from_dict(TASK)
    assert task.to_dict() == TASK
    assert json.dumps(task.to_dict(), sort_keys=True) == json.dumps(TASK, sort_keys=True)


VALID_DOCS = [entry for entry in docs_payloads()]


@pytest.mark.parametrize("name,schema,document", VALID_DOCS, ids=[d[0] for d in VALID_DOCS])
def test_docs_payloads_round_trip(
    sentinel: schemakit.SchemaSet, name: str, schema: str, document: Any
) -> None:
    model = getattr(shm, schema)
    if sentinel.validator(schema).is_valid(document):
        assert model.from_dict(document).to_dict() == document
    else:
        # An invalid payload either still round-trips (the models check less than the
        # schema) or is refused with a DecodeError that names where; never anything else.
        try:
            assert model.from_dict(document).to_dict() == document
        except shm.DecodeError as error:
            assert error.pointer.startswith("/")


def test_most_docs_payloads_are_valid_and_covered(sentinel: schemakit.SchemaSet) -> None:
    valid = [d for d in VALID_DOCS if sentinel.validator(d[1]).is_valid(d[2])]
    assert len(valid) >= 10
    assert {d[1] for d in valid} == {"BatchV2ProcessTask", "BatchV2ProcessRequest"}


def test_field_types_and_names() -> None:
    task = shm.BatchV2ProcessTask.from_dict(TASK)
    assert isinstance(task.id, uuid.UUID) and str(task.id) == TASK["id"]
    assert isinstance(task.domain_account_id, uuid.UUID)
    assert isinstance(task.created, datetime)
    assert task.created == datetime(2025, 3, 11, 9, 41, 27, 118204, tzinfo=timezone.utc)
    assert task.status is shm.BatchV2ProcessTaskStatus.DONE
    assert isinstance(task.status, str) and isinstance(task.status, Enum)
    assert task.cost_pu == TASK["costPU"]
    assert task.completion_percentage == 100
    request = task.request
    assert isinstance(request, shm.BatchV2ProcessRequest)
    assert isinstance(request.input, shm.BatchV2TilingGridInput)
    assert isinstance(request.output, shm.BatchV2RasterOutput)
    delivery = request.output.delivery
    assert isinstance(delivery, shm.ObjectStorageInfoV2S3BucketInfo)
    assert isinstance(delivery.s3, shm.S3BucketInfo)
    assert delivery.s3.iam_role_arn == TASK["request"]["output"]["delivery"]["s3"]["iamRoleARN"]
    (collection,) = request.process_request.input.data
    assert isinstance(collection, shm.S2L2ADataset)
    assert isinstance(collection.data_filter, shm.S2L2AFiltering)
    time_range = collection.data_filter.time_range
    assert isinstance(time_range, shm.TimeRange)
    assert isinstance(time_range.from_, datetime)


def test_camel_case_names_map_both_ways() -> None:
    grid = shm.BatchV2TilingGridInput(id=1, resolution=10.0, buffer_x=5, buffer_y=0)
    assert grid.to_dict() == {"type": "tiling-grid", "id": 1, "resolution": 10.0, "bufferX": 5,
                              "bufferY": 0}  # fmt: skip
    task = shm.BatchV2ProcessTask(cost_pu=1.5, domain_account_id=uuid.UUID(int=7))
    assert task.to_dict() == {"costPU": 1.5, "domainAccountId": str(uuid.UUID(int=7))}


def test_integral_floats_are_integers(sentinel: schemakit.SchemaSet) -> None:
    document = {"type": "tiling-grid", "id": 1.0, "resolution": 10, "bufferX": 2}
    _valid(sentinel, "BatchV2TilingGridInput", document)
    grid = shm.BatchV2TilingGridInput.from_dict(document)
    assert grid.id == 1 and grid.to_dict() == document
    assert type(grid.to_dict()["id"]) is float  # written back as it was read
    with pytest.raises(shm.DecodeError, match="/id: expected integer, got number"):
        shm.BatchV2TilingGridInput.from_dict({**document, "id": 1.5})
    assert str(shm.UNSET) == repr(shm.UNSET) == "UNSET"


def test_absent_fields_stay_absent_and_defaults_are_not_injected() -> None:
    document = {"type": "raster", "delivery": {"s3": {"url": "s3://bucket/prefix"}}}
    output = shm.BatchV2RasterOutput.from_dict(document)
    assert output.overwrite is shm.UNSET and output.cog_output is shm.UNSET
    assert output.to_dict() == document
    filled = output.with_defaults()
    assert filled.overwrite is False and filled.cog_output is False
    assert filled.to_dict()["overwrite"] is False
    assert output.to_dict() == document  # the original is unchanged


def test_enum_defaults_decode_to_members() -> None:
    processing = shm.S1Processing.from_dict({}).with_defaults()
    assert processing.back_coeff is shm.S1ProcessingBackCoeff.GAMMA0_ELLIPSOID
    assert processing.to_dict()["backCoeff"] == "GAMMA0_ELLIPSOID"


def test_unknown_keys_are_kept() -> None:
    document = copy.deepcopy(TASK)
    document["futureField"] = {"nested": [1, 2, {"x": None}]}
    document["request"]["input"]["experimental"] = True
    task = shm.BatchV2ProcessTask.from_dict(document)
    assert task.additional_properties == {"futureField": {"nested": [1, 2, {"x": None}]}}
    assert task.to_dict() == document
    # the model shares no container with the input
    document["futureField"]["nested"].append(3)
    assert task.to_dict()["futureField"] == {"nested": [1, 2, {"x": None}]}


@pytest.mark.parametrize(
    "text",
    [
        "2025-03-11T09:44:03Z",
        "2025-03-11T09:44:03.527391Z",
        "2025-03-11T09:44:03.123000Z",
        "2025-03-11T09:44:03.1234567+01:00",
        "2025-03-11t09:44:03z",
        "2025-03-11T09:44:03-00:00",
    ],
)
def test_date_times_keep_their_text(sentinel: schemakit.SchemaSet, text: str) -> None:
    document = {"created": text, "lastUpdated": text}
    _valid(sentinel, "BatchV2ProcessTask", document)
    task = shm.BatchV2ProcessTask.from_dict(document)
    assert isinstance(task.created, datetime) and task.created.tzinfo is not None
    assert task.to_dict() == document
    # a value changed in Python is written from the value, not the old text
    task.created = task.created + timedelta(hours=1)
    assert task.to_dict()["created"] != text


def test_uuids_keep_their_case_and_python_values_are_written_canonically() -> None:
    upper = "5EF87410-307E-4171-9FEA-B4D4E638964E"
    task = shm.BatchV2ProcessTask.from_dict({"id": upper})
    assert task.id == uuid.UUID(upper)
    assert task.to_dict() == {"id": upper}
    task.id = uuid.UUID(upper)
    assert task.to_dict() == {"id": upper.lower()}


def test_models_survive_pickle_and_deepcopy() -> None:
    task = shm.BatchV2ProcessTask.from_dict(TASK)
    for copied in (pickle.loads(pickle.dumps(task)), copy.deepcopy(task)):
        assert copied == task
        assert copied.to_dict() == TASK


COLLECTIONS = {
    "sentinel-2-l1c": shm.S2L1CDataset,
    "sentinel-2-l2a": shm.S2L2ADataset,
    "landsat-ot-l1": shm.L8L1Dataset,
    "landsat-ot-l2": shm.L8L2Dataset,
    "landsat-etm-l1": shm.LETML1Dataset,
    "landsat-etm-l2": shm.LETML2Dataset,
    "landsat-tm-l1": shm.LTML1Dataset,
    "landsat-tm-l2": shm.LTML2Dataset,
    "landsat-mss-l1": shm.LMSSL1Dataset,
    "modis": shm.ModisDataset,
    "dem": shm.DEMDataset,
    "sentinel-1-grd": shm.S1Dataset,
    "hls": shm.HLSDataset,
    "byoc-017aa0ae-33a6-45d3-8548-0f7d1041b40c": shm.BYOCDataset,
    "zarr-e2c7baec-3dfa-4523-b125-e242bdb5dd7c": shm.BYOCDataset,
}


def test_data_collections_dispatch_on_type(sentinel: schemakit.SchemaSet) -> None:
    data = [{"type": tag} for tag in COLLECTIONS]
    ls8 = [{"type": tag} for tag in ("landsat-8-l1c",)]
    request = {"input": {"data": data + ls8}, "output": {}}
    _valid(sentinel, "ProcessRequestForBatchV2", request)
    loaded = shm.ProcessRequestForBatchV2.from_dict(request)
    kinds = [type(item) for item in loaded.input.data]
    assert kinds == [*COLLECTIONS.values(), shm.Ls8Dataset]
    assert loaded.to_dict() == request
    assert shm.decode(shm.ProcessRequestInputData, data) == loaded.input.data[:-1]


def test_speckle_filter_dispatches_on_discriminator() -> None:
    lee = {"speckleFilter": {"type": "LEE", "windowSizeX": 3, "windowSizeY": 5}}
    none = {"speckleFilter": {"type": "NONE"}}
    assert isinstance(
        shm.S1Processing.from_dict(lee).speckle_filter, shm.S1ProcessingSpeckleFilterLEE
    )
    assert isinstance(
        shm.S1Processing.from_dict(none).speckle_filter, shm.S1ProcessingSpeckleFilterNONE
    )


def test_union_errors_name_the_json_pointer() -> None:
    document = copy.deepcopy(TASK)
    document["request"]["processRequest"]["input"]["data"][0]["dataFilter"]["timeRange"]["from"] = (
        "yesterday"
    )
    with pytest.raises(shm.DecodeError) as caught:
        shm.BatchV2ProcessTask.from_dict(document)
    assert caught.value.pointer == "/request/processRequest/input/data/0/dataFilter/timeRange/from"
    assert "date-time" in str(caught.value)

    with pytest.raises(shm.DecodeError) as caught:
        shm.BatchV2ProcessRequest.from_dict(
            {"processRequest": {"input": {"data": []}, "output": {}}, "input": 3, "output": {}}
        )
    assert caught.value.pointer == "/input"
    assert "BatchV2GeoPackageInput | BatchV2TilingGridInput" in str(caught.value)

    with pytest.raises(shm.DecodeError, match="needs property 'delivery'"):
        shm.BatchV2RasterOutput.from_dict({"type": "raster"})
    with pytest.raises(shm.DecodeError, match="is not a BatchV2ProcessTaskStatus"):
        shm.BatchV2ProcessTask.from_dict({"status": "SLEEPING"})
    with pytest.raises(shm.DecodeError, match="expected an object"):
        shm.BatchV2ProcessTask.from_dict([])  # type: ignore[arg-type]


def test_class_docs_and_names_come_from_the_schemas(sentinel: schemakit.SchemaSet) -> None:
    assert (shm.TimeRange.__doc__ or "").strip().startswith("Acquisition time interval")
    assert (shm.S2L2ADataset.__doc__ or "").strip() == "sentinel-2-l2a"
    names = [name for name in shm.__all__ if isinstance(getattr(shm, name), type)]
    numbered = [n for n in names if re.search(r"(Type|Model|Item|Filter)\d+$", n)]
    assert numbered == []
    assert {n for n in sentinel.names} <= set(shm.__all__)


# -- other schema sets -----------------------------------------------------------------------

ITEM = {
    "id": "A4C2F37E-1C2B-4E5D-9F00-000000000001",
    "createdAt": "2024-02-29T12:00:00.5+05:30",
    "releaseDate": "2024-03-01",
    "status": "PUBLISHED",
    "iamRoleARN": "arn:aws:iam::1:role/x",
    "bufferX": 4,
    "costPU": 2.25,
    "note": None,
    "price": "12.50",
    "dimensions": {"width": 2, "height": 3.5},
    "shapes": [
        {"kind": "circle", "radius": 1},
        {"kind": "square", "side": 2.0},
        {"points": [[0, 0], [1, 0], [0, 1]]},
    ],
    "pets": {"rex": {"petType": "dog", "barkVolume": 9}, "tom": {"petType": "cat"}},
    "history": ["2024-01-01T00:00:00Z", "2024-01-02T00:00:00.000Z"],
    "category": {"name": "root", "children": [{"name": "a", "parent": None}], "parent": None},
    "from": "warehouse",
    "to_dict": True,
    "anything": {"free": ["form", 1, None]},
    "vendorKey": "kept",
}


def test_catalog_item_round_trips(catalog_set: schemakit.SchemaSet, catalog: Any) -> None:
    _valid(catalog_set, "Item", ITEM)
    item = catalog.Item.from_dict(ITEM)
    assert item.to_dict() == ITEM
    assert isinstance(item.id, uuid.UUID) and isinstance(item.release_date, date)
    assert item.status is catalog.ItemStatus.PUBLISHED
    assert item.note is None and item.from_ == "warehouse" and item.to_dict_ is True
    assert [type(s).__name__ for s in item.shapes] == ["Circle", "Square", "Freeform"]
    assert isinstance(item.pets["rex"], catalog.Dog) and isinstance(item.pets["tom"], catalog.Cat)
    assert isinstance(item.pets["rex"], catalog.Pet)  # allOf became inheritance
    assert item.additional_properties == {"vendorKey": "kept"}
    assert all(isinstance(moment, datetime) for moment in item.history)


def test_null_and_absent_are_different(catalog: Any) -> None:
    base = {"id": str(uuid.UUID(int=1)), "createdAt": "2024-01-01T00:00:00Z", "status": "DRAFT"}
    absent = catalog.Item.from_dict(base)
    null = catalog.Item.from_dict({**base, "note": None})
    assert absent.note is catalog.UNSET and null.note is None
    assert "note" not in absent.to_dict() and null.to_dict()["note"] is None
    with pytest.raises(catalog.DecodeError, match="expected string"):
        catalog.Item.from_dict({**base, "iamRoleARN": None})  # not nullable


def test_closed_objects_refuse_extra_keys(catalog: Any) -> None:
    with pytest.raises(catalog.DecodeError) as caught:
        catalog.Item.from_dict(
            {**ITEM, "shapes": [{"points": [[0, 0]], "colour": "red"}]},
        )
    assert caught.value.pointer == "/shapes/0"
    assert "Freeform allows no other properties, got ['colour']" in str(caught.value)
    # a tagged shape goes straight to its branch; the untagged one is tried last
    shapes = catalog.Item.from_dict(
        {**ITEM, "shapes": [{"points": []}, {"kind": "circle", "radius": 1}]}
    ).shapes
    assert [type(s).__name__ for s in shapes] == ["Freeform", "Circle"]


def test_recursive_category_tree(catalog_set: schemakit.SchemaSet, catalog: Any) -> None:
    deep: dict[str, Any] = {"name": "leaf"}
    for depth in range(30):
        deep = {"name": f"level{depth}", "children": [deep, {"name": "x"}], "parent": None}
    _valid(catalog_set, "Category", deep)
    category = catalog.Category.from_dict(deep)
    assert category.to_dict() == deep
    assert isinstance(category.children[0].children[0], catalog.Category)


def test_tree_with_self_reference(tree: Any) -> None:
    document = {
        "label": "root",
        "children": [
            {"label": "a", "leaf": {"colour": "green", "fallenAt": None}},
            {"label": "b", "weight": 2.5, "children": [{"label": "c"}]},
        ],
        "leaf": {"fallenAt": "2023-10-01T08:00:00+02:00"},
    }
    node = tree.Tree.from_dict(document)
    assert node.to_dict() == document
    assert isinstance(node.children[1].children[0], tree.Tree)
    assert node.children[0].leaf.colour is tree.LeafColour.GREEN
    assert node.weight is tree.UNSET and node.with_defaults().weight == 1


def test_required_tags_default_to_their_constant(catalog: Any) -> None:
    assert catalog.Circle(radius=2).to_dict() == {"kind": "circle", "radius": 2}
    assert catalog.Dog(bark_volume=1).to_dict() == {"petType": "dog", "barkVolume": 1}
