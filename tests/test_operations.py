"""Operations loaded from OpenAPI documents (and the bundled set's operations directory)."""

from __future__ import annotations

import dataclasses
import json
import pickle
from pathlib import Path
from typing import Any

import pytest
import yaml

import schemakit
from schemakit.core.errors import SchemaLoadError
from schemakit.core.operations import Operation
from test_lint import PUBLISHED


def facts(operation: Operation) -> Operation:
    """An operation without its wording and document positions (descriptions are ours)."""
    return dataclasses.replace(
        operation,
        origin="",
        summary="",
        parameters=tuple(dataclasses.replace(p, pointer="") for p in operation.parameters),
        responses=tuple(
            dataclasses.replace(r, description="", pointer="") for r in operation.responses
        ),
    )


def write_openapi(tmp_path: Path, document: dict[str, Any], name: str = "api.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def test_bundled_operations_are_the_published_ones(sentinel: schemakit.SchemaSet) -> None:
    published = schemakit.load(PUBLISHED)
    assert len(sentinel.operations) == len(published.operations) == 7
    ours = sorted((facts(op) for op in sentinel.operations), key=lambda op: op.label)
    theirs = sorted((facts(op) for op in published.operations), key=lambda op: op.label)
    assert ours == theirs
    task_get = sentinel.operations.get("getSingleBatchV2ProcessTaskById")
    assert task_get is not None and task_get.path == "/batch/v2/process/{taskId}"
    assert task_get.servers == ("https://services.sentinel-hub.com",)


def test_bundled_deployments_map_the_documented_endpoints(sentinel: schemakit.SchemaSet) -> None:
    mapped = {(d.url, d.path) for d in sentinel.operations.deployments}
    assert mapped == {
        ("https://services.sentinel-hub.com/api/v2/batch", "/batch/v2"),
        ("https://services-uswest2.sentinel-hub.com/api/v2/batch", "/batch/v2"),
    }


def test_inline_schemas_are_named_after_their_operation(sentinel: schemakit.SchemaSet) -> None:
    listing = sentinel.operations.get("getAllBatchV2ProcessRequests")
    assert listing is not None
    [ok] = [r for r in listing.responses if r.status == "200"]
    assert ok.content[0].schema == "getAllBatchV2ProcessRequests.response.200"
    count = next(p for p in listing.parameters if p.name == "count")
    assert (count.location, count.style, count.explode, count.required) == (
        "query",
        "form",
        True,
        False,
    )
    # usable as any schema of the set, but not one of its listed names (bodies get models)
    assert "getAllBatchV2ProcessRequests.response.200" not in sentinel.names
    assert len(sentinel) == 71
    validator = sentinel.validator(count.schema or "")
    assert validator.is_valid(5) and not validator.is_valid(2**31)  # int32
    page = sentinel.validator("getAllBatchV2ProcessRequests.response.200")
    assert [i.pointer for i in page.errors({"data": [{"id": 1}]})] == ["/data/0/id"]
    # a bare component ref is the component itself
    create = sentinel.operations.get("createNewBatchV2ProcessingRequest")
    assert create is not None and create.request_body is not None
    assert [(m.media_type, m.schema) for m in create.request_body.content] == [
        ("application/json", "BatchV2ProcessRequest"),
        ("multipart/form-data", "MultiPartBatchV2Request"),
    ]


def test_response_refs_are_kept_as_written(sentinel: schemakit.SchemaSet) -> None:
    update = sentinel.operations.get("updateBatchV2ProcessRequest")
    assert update is not None
    bad = update.response("400")
    assert bad is not None and bad.ref == "#/components/responses/401" and bad.content == ()


def test_operations_survive_pickling(sentinel: schemakit.SchemaSet) -> None:
    restored = pickle.loads(pickle.dumps(sentinel))
    assert restored.operations == sentinel.operations
    assert restored.validator("batchV2Analyse.path.taskId").is_valid(
        "5ef87410-307e-4171-9fea-b4d4e638964e"
    )


PETS_30: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Pets", "version": "1"},
    "servers": [{"url": "https://pets.example/v1"}],
    "paths": {
        "/pets/{petId}": {
            "parameters": [
                {"name": "petId", "in": "path", "required": True, "schema": {"type": "integer"}},
                {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
            ],
            "get": {
                "operationId": "getPet",
                "parameters": [
                    {"$ref": "#/components/parameters/Verbose"},
                    {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {
                        "description": "a pet",
                        "headers": {"X-Rate": {"$ref": "#/components/headers/Rate"}},
                        "content": {
                            "application/json": {
                                "schema": {"type": "object", "nullable": True, "required": ["name"]}
                            }
                        },
                    },
                    "4XX": {"description": "client error"},
                },
            },
            "delete": {"responses": {"204": {"description": "gone"}}},
        }
    },
    "components": {
        "schemas": {"Pet": {"type": "object"}},
        "parameters": {
            "Verbose": {
                "name": "verbose",
                "in": "query",
                "style": "form",
                "explode": False,
                "schema": {"type": "array", "items": {"type": "string"}},
            }
        },
        "headers": {"Rate": {"required": True, "schema": {"type": "integer", "minimum": 0}}},
    },
}


def test_openapi_30_operations(tmp_path: Path) -> None:
    schema_set = schemakit.load(write_openapi(tmp_path, PETS_30))
    assert [op.label for op in schema_set.operations] == ["getPet", "DELETE /pets/{petId}"]
    get = schema_set.operations.get("getPet")
    assert get is not None and get.servers == ("https://pets.example/v1",)
    by_name = {p.name: p for p in get.parameters}
    assert set(by_name) == {"petId", "verbose", "X-Trace"}
    # the operation's own "verbose" (a $ref) overrides the path item's
    assert (by_name["verbose"].style, by_name["verbose"].explode) == ("form", False)
    assert schema_set.validator(by_name["verbose"].schema or "").is_valid(["a"])
    assert by_name["petId"].required and by_name["X-Trace"].style == "simple"
    ok = get.response("200")
    assert ok is not None
    [rate] = ok.headers
    assert (
        rate.name == "X-Rate"
        and rate.required
        and rate.schema == "getPet.response.200.header.X-Rate"
    )
    # 3.0 inline schemas are converted like components: nullable -> null allowed
    body = schema_set.validator("getPet.response.200")
    assert body.is_valid(None) and not body.is_valid({})
    assert get.response("4xx") is not None  # ranges are matched case-insensitively
    deleted = schema_set.operations.get("DELETE /pets/{petId}")
    assert deleted is not None and deleted.operation_id is None
    assert schema_set.names == ("Pet",)


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (
            lambda d: d["paths"]["/pets/{petId}"]["get"]["parameters"].append({"name": "x"}),
            "#/paths/~1pets~1{petId}/get/parameters/2",
            "a parameter needs a name and an 'in'",
        ),
        (
            lambda d: d["paths"]["/pets/{petId}"]["get"]["parameters"].append(
                {"$ref": "other.yaml#/Param"}
            ),
            "#/paths/~1pets~1{petId}/get/parameters/2",
            "only refs inside the document",
        ),
        (
            lambda d: d["paths"]["/pets/{petId}"]["get"]["parameters"].append(
                {"$ref": "#/components/parameters/Nope"}
            ),
            "#/paths/~1pets~1{petId}/get/parameters/2",
            "no such location",
        ),
        (
            lambda d: d["paths"]["/pets/{petId}"]["get"].update(responses=[]),
            "#/paths/~1pets~1{petId}/get/responses",
            "responses must be a mapping",
        ),
    ],
)
def test_broken_operations_name_the_place(
    tmp_path: Path, change: Any, where: str, message: str
) -> None:
    document = json.loads(json.dumps(PETS_30))
    change(document)
    path = write_openapi(tmp_path, document)
    with pytest.raises(SchemaLoadError) as caught:
        schemakit.load(path)
    assert caught.value.where == f"{path}{where}"
    assert message in caught.value.message


def test_duplicate_operation_ids_do_not_collide(tmp_path: Path) -> None:
    document = json.loads(json.dumps(PETS_30))
    document["paths"]["/pets/{petId}"]["delete"]["operationId"] = "getPet"
    document["paths"]["/pets/{petId}"]["delete"]["responses"]["200"] = {
        "description": "x",
        "content": {"application/json": {"schema": {"type": "string"}}},
    }
    schema_set = schemakit.load(write_openapi(tmp_path, document))
    names = [r.name for r in schema_set.resources if r.from_operation]
    assert "getPet.response.200" in names and "DELETE /pets/{petId}.response.200" in names
