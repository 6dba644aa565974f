"""Models for OpenAPI operations: inline request and response bodies.

A body written inline in an operation (no component name) is validated under the name the
loader gives it (``createTask.request``, ``listTasks.response.200``); the generated package
has a model for it under that same name in ``SCHEMAS``, its class named after the
operationId. Documents drawn from ``SchemaSet.strategy(name)`` round-trip as exact JSON.
The two documents in ``tests/data/models/operations`` are OpenAPI 3.0 and 3.1.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import schemakit
from models_support import assert_valid, generated, round_trip, text

OPERATIONS = Path(__file__).resolve().parent / "data" / "models" / "operations"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Schema name -> class or alias name, for the bodies that are written inline.
EXPECTED = {
    "tasks-3.0": {
        "listTasks.response.200": "ListTasksResponse200",
        "createTask.request": "CreateTaskRequest",
        "createTask.request.text/csv": "CreateTaskRequestTextCsv",  # a second media type
        "createTask.response.400": "CreateTaskResponse400",
        "DELETE /tasks/{taskId}.response.200": "DELETETasksTaskIdResponse200",  # no operationId
    },
    "tasks-3.1": {
        # the component CreateTaskRequest keeps its name; the body gets "Inline" appended
        "createTask.request": "CreateTaskRequestInline",
        "createTask.response.201": "CreateTaskResponse201",
        "listRuns.response.200": "ListRunsResponse200",
        "listRuns.response.default": "ListRunsResponseDefault",
    },
}
Api = tuple[schemakit.SchemaSet, ModuleType]


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Api:
    stem = request.param
    schema_set = schemakit.load(OPERATIONS / f"{stem}.yaml")
    package = f"ops_{stem.replace('-', '_').replace('.', '_')}_models"
    return schema_set, generated(schema_set, tmp_path_factory.mktemp(stem), package)


def _inline_bodies(schema_set: schemakit.SchemaSet) -> list[str]:
    """What validation names the inline bodies, read from the operations themselves."""
    return [
        name
        for name in schema_set.operations.body_schemas()
        if schema_set.resource(name).from_operation
    ]


def test_inline_bodies_have_models_under_their_validation_names(api: Api) -> None:
    schema_set, package = api
    stem = Path(schema_set.source).stem
    bodies = _inline_bodies(schema_set)
    assert sorted(bodies) == sorted(EXPECTED[stem])
    for name in bodies:
        assert package.SCHEMAS[name] is getattr(package.models, EXPECTED[stem][name])
    # the set's own schemas keep theirs; parameters get no model
    assert set(package.SCHEMAS) == {*schema_set.names, *bodies}
    parameters = [p.schema for op in schema_set.operations for p in op.parameters]
    assert parameters and not set(parameters) & set(package.SCHEMAS)


def test_a_request_body_loads_as_its_model(tmp_path: Path) -> None:
    schema_set = schemakit.load(OPERATIONS / "tasks-3.0.yaml")
    document = {"labels": {"team": "geo"}, "name": "ndvi", "startAt": None, "priority": 2}
    assert_valid(schema_set, "createTask.request", document)
    package = generated(schema_set, tmp_path, "ops_one_request")
    request = package.decode(package.SCHEMAS["createTask.request"], document)
    assert isinstance(request, package.CreateTaskRequest)
    assert (request.name, request.start_at, request.priority) == ("ndvi", None, 2)
    assert json.dumps(package.encode(request)) == json.dumps(document)  # key order kept
    with pytest.raises(package.DecodeError, match="/priority"):
        package.decode(package.SCHEMAS["createTask.request"], {**document, "priority": 4})


@SETTINGS
@given(data=st.data())
def test_inline_body_documents_round_trip(api: Api, data: st.DataObject) -> None:
    schema_set, package = api
    name = data.draw(st.sampled_from(_inline_bodies(schema_set)), label="schema")
    document = data.draw(schema_set.strategy(name), label="document")
    assert_valid(schema_set, name, document)
    assert text(round_trip(package, name, document)) == text(document)
