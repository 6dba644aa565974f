"""``assert_response_valid`` on live ``requests`` and ``httpx`` responses from a server on
127.0.0.1, and the ``schemakit_traffic`` marker run through pytester as a user would."""

from __future__ import annotations

import json
import pickle
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests

import schemakit
from schemakit import ExchangeAssertionError, assert_response_valid
from traffic_support import BROKEN_ID, MISSING_ID, PREFIX, TASK_ID, serving

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "traffic"
REQUEST = json.loads(
    (ROOT / "tests" / "data" / "docs" / "request-cdse-geotiff-tiling-grid.json").read_text()
)["document"]


@pytest.fixture(scope="module")
def api() -> Iterator[str]:
    with serving() as base:
        yield base + PREFIX


def test_valid_responses_pass(api: str) -> None:
    with httpx.Client() as client, requests.Session() as session:
        listing: dict[str, str | int] = {"count": 2, "sort": "status"}
        responses: list[Any] = [  # requests' and httpx' responses side by side
            session.get(f"{api}/process", params=listing),
            client.get(f"{api}/process/{TASK_ID}"),  # gzip'd by the server
            session.get(f"{api}/process/{MISSING_ID}"),  # 404, documented
            client.post(f"{api}/process", json=REQUEST),
            session.post(f"{api}/process/{TASK_ID}/start"),
            client.put(f"{api}/process/{TASK_ID}", json={"description": "renamed"}),
        ]
    labels = [assert_response_valid(r).operation for r in responses]
    assert [op.label if op else None for op in labels] == [
        "getAllBatchV2ProcessRequests",
        "getSingleBatchV2ProcessTaskById",
        "getSingleBatchV2ProcessTaskById",
        "createNewBatchV2ProcessingRequest",
        "batchV2StartProcessRequest",
        "updateBatchV2ProcessRequest",
    ]
    assert responses[1].headers["content-encoding"] == "gzip"


@pytest.mark.parametrize("client", ["requests", "httpx"])
def test_invalid_response_fails_like_assert_valid(
    api: str, client: str, sentinel: schemakit.SchemaSet
) -> None:
    url = f"{api}/process/{BROKEN_ID}"
    response = requests.get(url) if client == "requests" else httpx.get(url)
    with pytest.raises(ExchangeAssertionError) as caught:
        assert_response_valid(response)
    expected = sentinel.validator("BatchV2ProcessTask").errors(response.json())
    assert [(i.part, i.pointer, i.rule) for i in caught.value.issues] == [
        ("response.body", i.pointer, i.rule) for i in expected
    ]
    message = str(caught.value)
    assert message.splitlines()[0] == (
        f"GET {url} -> 200 (getSingleBatchV2ProcessTaskById) is not valid ({len(expected)} errors):"
    )
    for issue in expected:
        assert f"  response.body#{issue.pointer}: {issue.message}" in message
        assert f"      rule:  {issue.schema_name}#{issue.rule_location}" in message
    assert '      value: "SLEEPING"' in message
    restored = pickle.loads(pickle.dumps(caught.value))
    assert str(restored) == message


def test_request_side_problems_fail_too(api: str) -> None:
    response = requests.get(f"{api}/process", params={"count": "lots"})
    with pytest.raises(ExchangeAssertionError) as caught:
        assert_response_valid(response)
    assert [(i.part, i.pointer, i.rule) for i in caught.value.issues] == [
        ("request.query", "/count", "type")
    ]
    posted = httpx.post(f"{api}/process", json={"processRequest": {}})
    with pytest.raises(ExchangeAssertionError) as caught:
        assert_response_valid(posted)
    assert {i.part for i in caught.value.issues} == {"request.body", "response.body"}


def test_unmatched_request_fails(api: str) -> None:
    response = requests.get(f"{api}/nowhere")
    with pytest.raises(ExchangeAssertionError, match=r"-> 404 \(no operation\)"):
        assert_response_valid(response)


def test_server_mapping_and_other_sets(api: str, tmp_path: Path) -> None:
    # the same server, described by a document whose paths start at /process
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/process/{id}": {
                "get": {
                    "operationId": "one",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "object", "required": ["id"]}
                                }
                            },
                        }
                    },
                }
            }
        },
    }
    path = tmp_path / "small.json"
    path.write_text(json.dumps(document))
    response = httpx.get(f"{api}/process/{TASK_ID}")
    with pytest.raises(ExchangeAssertionError, match="unknown-path"):
        assert_response_valid(response, schemas=path)
    base = api.rsplit(PREFIX, 1)[0]
    result = assert_response_valid(response, schemas=path, servers=[f"{base}{PREFIX}="])
    assert result.operation is not None and result.operation.label == "one"


def test_not_a_response() -> None:
    with pytest.raises(TypeError, match="check_exchange"):
        assert_response_valid({"status": 200})


# -- the pytest marker ---------------------------------------------------------------------


def test_marker_turns_each_exchange_into_a_test(pytester: pytest.Pytester) -> None:
    recordings = pytester.path / "recordings"
    recordings.mkdir()
    shutil.copy(DATA / "batch-v2.har", recordings / "session.har")
    shutil.copy(DATA / "batch-v2.postman_collection.json", recordings / "examples.json")
    pytester.makepyfile(
        test_recorded="""
        import pytest
        import schemakit

        @pytest.mark.schemakit_traffic("recordings")
        def test_exchange(exchange):
            schemakit.assert_response_valid(exchange)
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "-v")
    result.assert_outcomes(passed=5 + 4, failed=3 + 1)
    result.stdout.fnmatch_lines(
        [
            "*test_exchange?examples.json#2-GET? FAILED*",
            "*test_exchange?session.har#0-GET? PASSED*",
            "*test_exchange?session.har#4-GET? FAILED*",
            '*response.body#/status: "SLEEPING" is not one of*',
            "*rule:  BatchV2ProcessTask#/properties/status/enum*",
        ]
    )


def test_marker_reports_a_broken_recording_in_one_line(pytester: pytest.Pytester) -> None:
    (pytester.path / "bad.har").write_text('{"log": {"entries": [{"request": {}}]}}')
    pytester.makepyfile(
        test_recorded="""
        import pytest

        @pytest.mark.schemakit_traffic("bad.har")
        def test_exchange(exchange):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret != 0
    result.stdout.fnmatch_lines(
        ["*schemakit_traffic: *bad.har#/log/entries/0: missing 'response'*"]
    )
    assert "Traceback" not in result.stdout.str()
