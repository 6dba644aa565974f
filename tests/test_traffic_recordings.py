"""Recordings as the tools that write them write them: a HAR exported by mitmproxy, VCR.py
cassettes recorded here against a live local server (YAML and JSON, gzip'd bodies kept as
``!!binary``), a Postman collection with saved examples; and broken ones."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
import vcr

import schemakit
from schemakit.core.errors import SourceError
from schemakit.traffic import TrafficChecker, read_recording
from traffic_support import BROKEN_ID, MISSING_ID, PREFIX, TASK, TASK_ID, serving

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "traffic"
REQUEST = json.loads(
    (ROOT / "tests" / "data" / "docs" / "request-cdse-geotiff-tiling-grid.json").read_text()
)


def verdicts(schema_set: schemakit.SchemaSet, path: Path) -> list[tuple[str, str, int, bool]]:
    checker = TrafficChecker(schema_set)
    results = [checker.check(exchange) for exchange in read_recording(path)]
    return [
        (r.exchange.method, r.operation.label if r.operation else "", r.exchange.status, r.valid)
        for r in results
    ]


def test_har_exported_by_mitmproxy(sentinel: schemakit.SchemaSet) -> None:
    har = json.loads((DATA / "batch-v2.har").read_text())
    assert har["log"]["creator"]["name"] == "mitmproxy"
    assert verdicts(sentinel, DATA / "batch-v2.har") == [
        ("GET", "getAllBatchV2ProcessRequests", 200, True),
        ("POST", "createNewBatchV2ProcessingRequest", 201, True),
        ("GET", "getSingleBatchV2ProcessTaskById", 200, True),  # gzip'd on the wire
        ("POST", "batchV2Analyse", 204, True),
        ("GET", "getSingleBatchV2ProcessTaskById", 200, False),  # the broken task
        ("GET", "getSingleBatchV2ProcessTaskById", 404, True),
        ("GET", "getAllBatchV2ProcessRequests", 200, False),  # count=ten
        ("PUT", "updateBatchV2ProcessRequest", 400, False),  # "{" sent; 400 documented as 401
    ]


@pytest.fixture(scope="module")
def cassettes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same session recorded by vcrpy as YAML (bodies as sent) and JSON (decoded)."""
    folder = tmp_path_factory.mktemp("cassettes")
    paths = {"yaml": folder / "batch.yaml", "json": folder / "batch.json"}
    with serving() as base:
        api = base + PREFIX
        for serializer, path in paths.items():
            recorder = vcr.VCR(
                serializer=serializer, decode_compressed_response=serializer == "json"
            )
            with recorder.use_cassette(str(path), record_mode="all"):
                requests.get(f"{api}/process", params={"count": 3})
                httpx.get(f"{api}/process/{TASK_ID}")  # gzip'd: !!binary in YAML
                httpx.post(f"{api}/process", json=REQUEST["document"])
                requests.get(f"{api}/process/{BROKEN_ID}")
                requests.get(f"{api}/process/{MISSING_ID}")
                requests.post(f"{api}/process/{TASK_ID}/stop")
                requests.post(f"{api}/process", json={"processRequest": 1})
                requests.get(f"{api}/process/not-a-uuid")
    return paths


CASSETTE_VERDICTS = [
    ("GET", "getAllBatchV2ProcessRequests", 200, True),
    ("GET", "getSingleBatchV2ProcessTaskById", 200, True),
    ("POST", "createNewBatchV2ProcessingRequest", 201, True),
    ("GET", "getSingleBatchV2ProcessTaskById", 200, False),
    ("GET", "getSingleBatchV2ProcessTaskById", 404, True),
    ("POST", "batchV2StopProcessRequest", 204, True),
    ("POST", "createNewBatchV2ProcessingRequest", 201, False),
    ("GET", "getSingleBatchV2ProcessTaskById", 200, False),
]


@pytest.mark.parametrize("serializer", ["yaml", "json"])
def test_vcr_cassettes(
    sentinel: schemakit.SchemaSet, cassettes: dict[str, Path], serializer: str
) -> None:
    path = cassettes[serializer]
    if serializer == "yaml":
        assert "!!binary" in path.read_text()  # the gzip'd body as it arrived
    assert verdicts(sentinel, path) == CASSETTE_VERDICTS
    results = [TrafficChecker(sentinel).check(e) for e in read_recording(path)]
    wrong_request = results[6]
    assert {(i.part, i.pointer) for i in wrong_request.issues} >= {
        ("request.body", "/processRequest")
    }
    assert next((i.part, i.pointer, i.rule) for i in results[7].issues) == (
        "request.path",
        "/taskId",
        "format",
    )


def test_postman_collection(sentinel: schemakit.SchemaSet) -> None:
    path = DATA / "batch-v2.postman_collection.json"
    assert verdicts(sentinel, path) == [
        ("GET", "getSingleBatchV2ProcessTaskById", 200, True),
        ("GET", "getSingleBatchV2ProcessTaskById", 404, True),
        ("GET", "getSingleBatchV2ProcessTaskById", 200, False),
        ("GET", "getAllBatchV2ProcessRequests", 200, True),
        ("POST", "createNewBatchV2ProcessingRequest", 201, True),
    ]
    exchanges = read_recording(path)
    # {{baseUrl}} from the collection, {{pageSize}} from the folder, :taskId from the URL
    assert exchanges[0].url == f"https://services.sentinel-hub.com/api/v2/batch/process/{TASK_ID}"
    assert exchanges[3].url.endswith("/process?count=5")
    assert ("Content-Type", "application/json") in exchanges[4].request_headers


def har(entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "log": {"version": "1.2", "creator": {"name": "test", "version": "1"}, "entries": entries}
    }


def entry(url: str, status: int, content: dict[str, Any], method: str = "GET") -> dict[str, Any]:
    return {
        "request": {"method": method, "url": url, "headers": []},
        "response": {"status": status, "headers": [], "content": content},
    }


def test_har_base64_and_gzip_bodies(tmp_path: Path, sentinel: schemakit.SchemaSet) -> None:
    url = f"https://services.sentinel-hub.com/api/v2/batch/process/{TASK_ID}"
    broken = dict(TASK, status="nope")
    packed = gzip.compress(json.dumps(broken).encode())
    path = tmp_path / "b64.har"
    path.write_text(
        json.dumps(
            har(
                [
                    entry(
                        url,
                        200,
                        {
                            "mimeType": "application/json",
                            "text": base64.b64encode(json.dumps(TASK).encode()).decode(),
                            "encoding": "base64",
                        },
                    ),
                    {
                        "request": {"method": "GET", "url": url, "headers": []},
                        "response": {
                            "status": 200,
                            "headers": [
                                {"name": "Content-Type", "value": "application/json"},
                                {"name": "Content-Encoding", "value": "gzip"},
                            ],
                            "content": {
                                "text": base64.b64encode(packed).decode(),
                                "encoding": "base64",
                            },
                        },
                    },
                ]
            )
        )
    )
    results = [TrafficChecker(sentinel).check(e) for e in read_recording(path)]
    assert results[0].valid
    assert [(i.pointer, i.rule) for i in results[1].issues] == [("/status", "enum")]


@pytest.mark.parametrize(
    ("name", "text", "where", "message"),
    [
        ("cut.har", '{"log": {"entries": [', ":1:22", "invalid JSON"),
        ("empty.har", "", "", "file is empty"),
        ("other.json", '{"hello": "world"}', "", "not a HAR file, VCR cassette or Postman"),
        (
            "nostatus.har",
            json.dumps(har([{"request": {"method": "GET", "url": "/x"}, "response": {}}])),
            "#/log/entries/0/response",
            "missing 'status'",
        ),
        (
            "badstatus.har",
            json.dumps(har([entry("/x", "200", {})])),  # type: ignore[arg-type]
            "#/log/entries/0/response/status",
            "expected an integer",
        ),
        (
            "badb64.har",
            json.dumps(har([entry("/x", 200, {"text": "@@@", "encoding": "base64"})])),
            "#/log/entries/0/response/content",
            "not valid base64",
        ),
        ("tab.yaml", "interactions:\n\t- x", ":2:1", "invalid YAML"),
        (
            "cassette.yaml",
            "interactions:\n- request: {method: GET}\n",
            "#/interactions/0",
            "missing 'response'",
        ),
        (
            "headers.yaml",
            "interactions:\n- request: {method: GET, uri: /x, headers: {A: [1]}}\n"
            "  response: {status: {code: 200}}\n",
            "#/interactions/0/request/headers/A/0",
            "expected a string",
        ),
        (
            "postman.json",
            json.dumps({"info": {}, "item": [{"request": {}, "response": [{}]}]}),
            "#/item/0/response/0",
            "missing 'code'",
        ),
    ],
)
def test_bad_recordings_name_file_and_place(
    tmp_path: Path, name: str, text: str, where: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(SourceError) as caught:  # RecordingError, or the JSON reader's error
        read_recording(path)
    assert caught.value.where == f"{path}{where}"
    assert message in caught.value.message
    assert "\n" not in str(caught.value)
