"""Recordings written the way real tools write them: HAR entries as Chrome, Firefox and
Charles export them, Betamax and Ruby VCR cassettes, Python 2 era vcrpy cassettes; each
verdict checked, and what cannot be checked said so rather than passed."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import sys
import textwrap
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import brotli
import httpx
import pytest
import requests
import vcr
import zstandard

import schemakit
from schemakit import ExchangeAssertionError, assert_response_valid
from schemakit.cli import main
from schemakit.core.errors import SourceError
from schemakit.traffic import Exchange, ExchangeResult, TrafficChecker, read_recording

DATA = Path(__file__).resolve().parent / "data" / "traffic"
BASE = "https://prod.tasks.example/api/v1"
TASK = {"id": "t1", "title": "write", "status": "open", "due": None}


@pytest.fixture(scope="module")
def tasks() -> schemakit.SchemaSet:
    return schemakit.load(DATA / "tasks-api.yaml")


def chrome_entry(
    method: str,
    url: str,
    status: int,
    *,
    response_headers: dict[str, str] | None = None,
    content: dict[str, Any] | None = None,
    post_data: dict[str, Any] | None = None,
    resource_type: str = "fetch",
) -> dict[str, Any]:
    """One entry as Chrome's devtools export it (HTTP/2 pseudo-headers, -1 sizes, extras)."""
    host = urlsplit(url).netloc
    return {
        "_initiator": {"type": "script"},
        "_priority": "High",
        "_resourceType": resource_type,
        "cache": {},
        "connection": "443",
        "pageref": "page_1",
        "request": {
            "method": method,
            "url": url,
            "httpVersion": "http/2.0",
            "headers": [
                {"name": ":authority", "value": host},
                {"name": ":method", "value": method},
                {"name": "accept", "value": "application/json"},
            ],
            "queryString": [{"name": k, "value": v} for k, v in parse_qsl(urlsplit(url).query)],
            "cookies": [],
            "headersSize": -1,
            "bodySize": 0,
            **({"postData": post_data} if post_data is not None else {}),
        },
        "response": {
            "status": status,
            "statusText": "",
            "httpVersion": "http/2.0",
            "headers": [{"name": k, "value": v} for k, v in (response_headers or {}).items()],
            "cookies": [],
            "content": content if content is not None else {"size": 0, "mimeType": "x-unknown"},
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": -1,
            "_transferSize": 300,
            "_error": None,
        },
        "serverIPAddress": "203.0.113.7",
        "startedDateTime": "2024-05-01T10:00:00.000Z",
        "time": 12.5,
        "timings": {
            "blocked": 1,
            "dns": -1,
            "ssl": -1,
            "connect": -1,
            "send": 0,
            "wait": 10,
            "receive": 1,
        },
    }


def json_content(value: Any, mime: str = "application/json") -> dict[str, Any]:
    text = json.dumps(value)
    return {"size": len(text), "mimeType": mime, "text": text}


def write_har(path: Path, entries: list[dict[str, Any]]) -> Path:
    creator = {"name": "WebInspector", "version": "537.36"}
    path.write_text(json.dumps({"log": {"version": "1.2", "creator": creator, "entries": entries}}))
    return path


def yaml_document(text: str) -> str:
    return textwrap.dedent(text).lstrip()


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def check(schema_set: schemakit.SchemaSet, path: Path) -> list[ExchangeResult]:
    checker = TrafficChecker(schema_set)
    return [checker.check(exchange) for exchange in read_recording(path)]


def test_a_recorded_exchange_names_its_place_when_it_fails(
    tmp_path: Path, tasks: schemakit.SchemaSet
) -> None:
    bad = dict(TASK, status="later")
    path = write_har(
        tmp_path / "session.har",
        [
            chrome_entry(
                "GET",
                f"{BASE}/tasks/t1",
                200,
                content=json_content(TASK, "application/vnd.api+json"),
                response_headers={"content-type": "application/vnd.api+json"},
            ),
            chrome_entry(
                "GET",
                f"{BASE}/tasks/t2",
                200,
                content=json_content(bad, "application/vnd.api+json"),
                response_headers={"content-type": "application/vnd.api+json"},
            ),
        ],
    )
    exchanges = read_recording(path)
    assert [e.location for e in exchanges] == [f"{path}#/log/entries/0", f"{path}#/log/entries/1"]
    assert_response_valid(exchanges[0], schemas=tasks)
    with pytest.raises(ExchangeAssertionError) as caught:
        assert_response_valid(exchanges[1], schemas=tasks)
    first = str(caught.value).splitlines()
    assert (
        first[0]
        == f"{path}#/log/entries/1: GET {BASE}/tasks/t2 -> 200 (getTask) is not valid (1 error):"
    )
    assert first[1] == "  response.body#/status: \"later\" is not one of ['open', 'done']"


def test_a_request_without_response_is_not_valid(
    tmp_path: Path, tasks: schemakit.SchemaSet
) -> None:
    # Chrome writes status 0 and an _error for a refused, blocked or cancelled request
    failed = chrome_entry("GET", f"{BASE}/tasks", 0)
    failed["response"]["_error"] = "net::ERR_CONNECTION_REFUSED"
    (result,) = check(tasks, write_har(tmp_path / "failed.har", [failed]))
    assert result.operation is not None and result.operation.label == "listTasks"
    assert result.response is None  # not the 'default' response
    assert [(i.part, i.rule) for i in result.issues] == [("response.status", "no-response")]
    assert not result.valid


@pytest.mark.parametrize(
    ("mime", "header"),
    [
        ("application/x-www-form-urlencoded", "application/x-www-form-urlencoded"),
        ("multipart/form-data; boundary=----WebKitFormBoundaryX1", None),
        ("multipart/form-data", "multipart/form-data; boundary=----WebKitFormBoundaryX1"),
    ],
)
def test_a_form_recorded_as_params_only_is_its_body(
    tmp_path: Path, mime: str, header: str | None
) -> None:
    # HAR 1.2: postData holds text or params; a writer may keep only the params
    document = yaml_document("""
        openapi: 3.1.0
        info: {title: forms, version: "1"}
        paths:
          /notes:
            post:
              requestBody:
                required: true
                content:
                  application/x-www-form-urlencoded:
                    schema: {$ref: '#/components/schemas/Note'}
                  multipart/form-data:
                    schema: {$ref: '#/components/schemas/Note'}
              responses: {'204': {description: stored}}
        components:
          schemas:
            Note:
              type: object
              required: [title, stars]
              properties: {title: {type: string}, stars: {type: integer, maximum: 5}}
    """)
    schema_set = schemakit.load(write(tmp_path / "forms.yaml", document))
    entries = []
    for stars in ("3", "9"):
        entry = chrome_entry("POST", "https://notes.example/notes", 204)
        params = [{"name": "title", "value": "a b&c"}, {"name": "stars", "value": stars}]
        entry["request"]["postData"] = {"mimeType": mime, "params": params}
        entry["request"]["headers"].append({"name": "content-type", "value": header or mime})
        entries.append(entry)
    ok, wrong = check(schema_set, write_har(tmp_path / "forms.har", entries))
    assert ok.valid, ok.issues
    assert [(i.part, i.pointer, i.rule) for i in wrong.issues] == [
        ("request.body", "/stars", "maximum")
    ]


def verdicts(results: list[ExchangeResult]) -> list[tuple[str, str, int, bool]]:
    return [
        (r.exchange.method, r.operation.label if r.operation else "", r.exchange.status, r.valid)
        for r in results
    ]


def test_betamax_cassette(tasks: schemakit.SchemaSet) -> None:
    # recorded by betamax 0.9.0 with requests against a local server serving tasks-api.yaml;
    # gzip'd responses are kept as base64_string with their Content-Encoding
    path = DATA / "tasks.betamax.json"
    assert "base64_string" in path.read_text()
    results = check(tasks, path)
    assert verdicts(results) == [
        ("GET", "listTasks", 200, True),
        ("GET", "searchTasks", 200, False),
        ("GET", "getTask", 200, True),
        ("POST", "createTask", 201, False),
        ("DELETE", "deleteTask", 204, True),
    ]
    assert {(i.part, i.pointer) for i in results[1].issues} == {
        ("response.body", "/1"),
        ("response.body", "/1/id"),
    }
    assert results[3].exchange.location == f"{path}#/http_interactions/3"


RUBY_VCR = """\
---
http_interactions:
- request:
    method: get
    uri: https://prod.tasks.example/api/v1/tasks/t1
    body:
      encoding: US-ASCII
      string: ''
    headers:
      Accept:
      - application/vnd.api+json
  response:
    status:
      code: 200
      message: OK
    headers:
      Content-Type:
      - application/vnd.api+json; charset=utf-8
    body:
      encoding: UTF-8
      string: '{"id": "t1", "title": "write", "status": "open"}'
    http_version:
  recorded_at: Tue, 01 Nov 2011 04:58:44 GMT
- request:
    method: get
    uri: https://prod.tasks.example/api/v1/tasks?limit=500
    body:
      encoding: US-ASCII
      string: ''
    headers: {}
  response:
    status:
      code: 200
      message: OK
    headers:
      Content-Type:
      - application/json
      Content-Encoding:
      - gzip
    body:
      encoding: ASCII-8BIT
      base64_string: |
        {gzipped}
    http_version:
  recorded_at: Tue, 01 Nov 2011 04:58:45 GMT
- request:
    method: get
    uri: https://prod.tasks.example/api/v1/tasks/t2
    body:
      encoding: US-ASCII
      string: ''
    headers: {}
  response:
    status:
      code: 404
      message: Not Found
    headers:
      Content-Type:
      - application/problem+json
    body:
      encoding: ASCII-8BIT
      string: !binary |-
        {problem}
    http_version:
  recorded_at: Tue, 01 Nov 2011 04:58:46 GMT
recorded_with: VCR 6.2.0
"""


def test_ruby_vcr_cassette(tmp_path: Path, tasks: schemakit.SchemaSet) -> None:
    listing = gzip.compress(json.dumps([TASK, dict(TASK, status="late")]).encode())
    problem = json.dumps({"title": "not found", "status": 404}).encode()
    text = RUBY_VCR.replace("{gzipped}", base64.b64encode(listing).decode())
    text = text.replace("{problem}", base64.b64encode(problem).decode())
    results = check(tasks, write(tmp_path / "tasks.yml", text))
    assert verdicts(results) == [
        ("GET", "getTask", 200, True),
        ("GET", "listTasks", 200, False),  # limit above 100, the second task 'late'
        ("GET", "getTask", 404, True),
    ]
    assert {(i.part, i.pointer, i.rule) for i in results[1].issues} == {
        ("request.query", "/limit", "maximum"),
        ("response.body", "/1/status", "enum"),
    }


def test_python2_era_vcrpy_cassette(tmp_path: Path, tasks: schemakit.SchemaSet) -> None:
    # vcrpy under Python 2 tagged text as !!python/unicode (read back with a full loader)
    text = """\
interactions:
- request:
    body: !!python/unicode '{"title": ""}'
    headers:
      Content-Type: [!!python/unicode application/json]
    method: POST
    uri: https://prod.tasks.example/api/v1/tasks
  response:
    body: {string: !!python/unicode '{"id": "t9", "title": "x", "status": "open"}'}
    headers:
      Content-Type: [application/json]
      Location: [!!python/str /api/v1/tasks/t9]
    status: {code: 201, message: Created}
version: 1
"""
    (result,) = check(tasks, write(tmp_path / "old.yaml", text))
    assert [(i.part, i.pointer, i.rule) for i in result.issues] == [
        ("request.body", "/title", "minLength")
    ]


def test_yaml_tags_that_build_objects_are_refused(tmp_path: Path) -> None:
    text = "interactions: !!python/object/apply:os.getcwd []\n"
    with pytest.raises(SourceError, match="invalid YAML"):
        read_recording(write(tmp_path / "evil.yaml", text))


def test_early_betamax_shape(tmp_path: Path, tasks: schemakit.SchemaSet) -> None:
    # Betamax's first format: status_code, headers as single strings, bodies as text
    interaction = {
        "request": {
            "body": "",
            "headers": {"Accept": "*/*"},
            "method": "GET",
            "uri": f"{BASE}/tasks/t1",
        },
        "response": {
            "body": json.dumps(dict(TASK, title="")),
            "headers": {"Content-Type": "application/vnd.api+json"},
            "status_code": 200,
            "url": f"{BASE}/tasks/t1",
        },
        "recorded_at": "2013-09-28T01:25:38",
    }
    cassette = {"http_interactions": [interaction], "recorded_with": "betamax"}
    (result,) = check(tasks, write(tmp_path / "early.json", json.dumps(cassette)))
    assert [(i.part, i.pointer, i.rule) for i in result.issues] == [
        ("response.body", "/title", "minLength")
    ]


def test_a_body_the_recorder_cut_or_dropped_is_reported_not_judged(
    tmp_path: Path, tasks: schemakit.SchemaSet
) -> None:
    many = json.dumps([dict(TASK, id=f"t{i}") for i in range(200)])
    headers = {"content-type": "application/json"}
    # Firefox keeps the first 1 MB of a body (scaled down here); size is the whole length
    cut = {"size": len(many), "mimeType": "application/json", "text": many[:4000]}
    # HTTP Toolkit drops a large body and says so in a comment
    dropped = {"size": 900000, "mimeType": "application/json", "comment": "Body too large"}
    # mitmproxy writes the compressed size: 18 bytes more than a tiny gzip'd body
    tiny = {"size": 20, "mimeType": "application/json", "text": "[]"}
    # a recorder that kept the gzip'd bytes as base64 gives the decoded size
    packed = {
        "size": len(many),
        "mimeType": "application/json",
        "encoding": "base64",
        "text": base64.b64encode(gzip.compress(many.encode())).decode(),
    }
    gzipped = {**headers, "content-encoding": "gzip"}
    entries = [
        chrome_entry("GET", f"{BASE}/tasks", 200, response_headers=headers, content=cut),
        chrome_entry("GET", f"{BASE}/tasks", 200, response_headers=headers, content=dropped),
        chrome_entry("GET", f"{BASE}/tasks", 200, response_headers=gzipped, content=tiny),
        chrome_entry("GET", f"{BASE}/tasks", 200, response_headers=gzipped, content=packed),
    ]
    results = check(tasks, write_har(tmp_path / "big.har", entries))
    assert [[(i.part, i.rule) for i in r.issues] for r in results] == [
        [("response.body", "body-not-recorded")],
        [("response.body", "body-not-recorded")],
        [],
        [],
    ]
    assert results[0].issues[0].message == (
        f"not checked: the recording keeps 4000 of {len(many)} bytes of the body"
    )
    assert results[1].issues[0].message == (
        "not checked: the recording has no body text, 900000 bytes were received (Body too large)"
    )


def test_a_har_body_typed_only_by_its_mime_type(tmp_path: Path) -> None:
    # postData.mimeType is required by HAR 1.2; some writers leave out the header itself
    document = yaml_document("""
        openapi: 3.1.0
        info: {title: uploads, version: "1"}
        paths:
          /uploads:
            post:
              requestBody:
                content:
                  application/octet-stream: {}
                  application/json:
                    schema: {type: object, required: [name]}
              responses:
                '201':
                  description: stored
                  content:
                    application/json: {schema: {type: object, required: [id]}}
                    text/plain: {schema: {type: string, maxLength: 3}}
    """)
    schema_set = schemakit.load(write(tmp_path / "uploads.yaml", document))
    url = "https://files.example/uploads"
    as_json = {"mimeType": "application/json", "text": "{}"}
    as_bytes = {"mimeType": "application/octet-stream", "text": "AAEC", "encoding": "base64"}
    entries = [
        chrome_entry("POST", url, 201, post_data=as_json, content=json_content({"id": 1})),
        chrome_entry("POST", url, 201, post_data=as_bytes, content=json_content({})),
        chrome_entry(
            "POST",
            url,
            201,
            post_data=as_bytes,
            content={"size": 6, "mimeType": "text/plain", "text": "stored"},
        ),
    ]
    results = check(schema_set, write_har(tmp_path / "typed.har", entries))
    assert [[(i.part, i.rule) for i in r.issues] for r in results] == [
        [("request.body", "required")],
        [("response.body", "required")],
        [("response.body", "maxLength")],
    ]


def test_a_trailing_slash_is_unmatched_with_a_hint(tasks: schemakit.SchemaSet) -> None:
    checker = TrafficChecker(tasks)
    result = checker.check(Exchange("GET", f"{BASE}/tasks/", 200))
    assert result.operation is None
    assert [(i.rule, i.message) for i in result.issues] == [
        (
            "unknown-path",
            "no operation has the path /tasks/; /tasks is declared, without the trailing slash",
        )
    ]
    result = checker.check(Exchange("GET", f"{BASE}/nothing/", 200))
    assert [i.message for i in result.issues] == ["no operation has the path /nothing/"]


def test_a_cors_preflight_is_named_as_one(tmp_path: Path, tasks: schemakit.SchemaSet) -> None:
    preflight = chrome_entry("OPTIONS", f"{BASE}/tasks", 204, resource_type="preflight")
    preflight["request"]["headers"] += [
        {"name": "access-control-request-method", "value": "POST"},
        {"name": "origin", "value": "https://app.example"},
    ]
    plain = chrome_entry("OPTIONS", f"{BASE}/tasks", 204)
    results = check(tasks, write_har(tmp_path / "cors.har", [preflight, plain]))
    assert [(r.operation, [(i.rule, i.message) for i in r.issues]) for r in results] == [
        (
            None,
            [
                (
                    "cors-preflight",
                    "a CORS preflight for POST: OPTIONS is not declared for /tasks "
                    "(declared: GET, POST)",
                )
            ],
        ),
        (None, [("unknown-method", "OPTIONS is not declared for /tasks (declared: GET, POST)")]),
    ]


def brotli_and_zstd_server() -> Any:
    """A server answering with br (for ?br) or zstd (for ?zstd), as CDNs do."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            data = json.dumps(dict(TASK, status="later")).encode()
            coding = urlsplit(self.path).query
            data = brotli.compress(data) if coding == "br" else zstandard.compress(data)
            self.send_response(200)
            self.send_header("Content-Type", "application/vnd.api+json")
            self.send_header("Content-Encoding", coding)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return ThreadingHTTPServer(("127.0.0.1", 0), Handler)


@pytest.fixture(scope="module")
def compressed_cassette(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("compressed") / "compressed.yaml"
    server = brotli_and_zstd_server()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/api/v1/tasks/t1"
        with vcr.VCR(record_mode="all").use_cassette(str(path)):
            requests.get(url + "?br", timeout=10)
            httpx.get(url + "?br", timeout=10)
            httpx.get(url + "?zstd", timeout=10)
    finally:
        server.shutdown()
        server.server_close()
    return path


def test_brotli_and_zstd_bodies(compressed_cassette: Path, tasks: schemakit.SchemaSet) -> None:
    assert "!!binary" in compressed_cassette.read_text()  # httpx's are kept compressed
    results = check(tasks, compressed_cassette)
    assert [[(i.part, i.pointer, i.rule) for i in r.issues] for r in results] == [
        [("response.body", "/status", "enum")]
    ] * 3


def test_compressed_bodies_without_their_module_are_said_so(
    compressed_cassette: Path, tasks: schemakit.SchemaSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("brotli", "brotlicffi", "zstandard"):
        monkeypatch.setitem(sys.modules, name, None)  # import raises ImportError
    results = check(tasks, compressed_cassette)
    assert [[(i.rule, i.message) for i in r.issues] for r in results] == [
        [("enum", "\"later\" is not one of ['open', 'done']")],  # requests kept the text
        [
            (
                "content-encoding",
                "not checked: the body is still br-compressed and no brotli or brotlicffi "
                "module is installed to undo it",
            )
        ],
        [
            (
                "content-encoding",
                "not checked: the body is still zstd-compressed and no zstandard module is "
                "installed to undo it",
            )
        ],
    ]


def test_bodies_in_the_charset_their_content_type_names(tmp_path: Path) -> None:
    document = yaml_document("""
        openapi: 3.0.3
        info: {title: cafes, version: "1"}
        paths:
          /cafe:
            get:
              responses:
                '200':
                  description: the cafe
                  content:
                    application/json:
                      schema: {type: object, properties: {name: {enum: [café]}}}
                    text/plain:
                      schema: {enum: [café]}
    """)
    schema_set = schemakit.load(write(tmp_path / "cafes.yaml", document))
    url = "https://cafes.example/cafe"
    latin = {"content-type": "application/json; charset=ISO-8859-1"}
    body = json.dumps({"name": "café"}, ensure_ascii=False)
    raw = base64.b64encode(body.encode("latin-1")).decode()
    entries = [
        # the browser decoded the text: it is Unicode, whatever the charset was
        chrome_entry(
            "GET", url, 200, response_headers=latin, content=json_content({"name": "café"})
        ),
        # the bytes as sent, base64'd
        chrome_entry(
            "GET",
            url,
            200,
            response_headers=latin,
            content={
                "size": len(body),
                "mimeType": "application/json",
                "encoding": "base64",
                "text": raw,
            },
        ),
        chrome_entry(
            "GET",
            url,
            200,
            response_headers={"content-type": "text/plain; charset=utf-16"},
            content={
                "size": 10,
                "mimeType": "text/plain",
                "encoding": "base64",
                "text": base64.b64encode("café".encode("utf-16")).decode(),
            },
        ),
    ]
    assert [r.issues for r in check(schema_set, write_har(tmp_path / "cafes.har", entries))] == [
        ()
    ] * 3
    # Betamax decoded the text with the encoding it names beside it
    interaction = {
        "request": {"body": "", "headers": {}, "method": "GET", "uri": url},
        "response": {
            "body": {"encoding": "ISO-8859-1", "string": body},
            "headers": {"Content-Type": [latin["content-type"]]},
            "status": {"code": 200, "message": "OK"},
            "url": url,
        },
    }
    cassette = json.dumps({"http_interactions": [interaction], "recorded_with": "betamax/0.9.0"})
    (result,) = check(schema_set, write(tmp_path / "cafes.json", cassette))
    assert result.valid, result.issues
    # bytes that are not in the charset named are reported in its name
    wrong = chrome_entry(
        "GET",
        url,
        200,
        response_headers={"content-type": "text/plain; charset=us-ascii"},
        content={"size": 5, "mimeType": "text/plain", "encoding": "base64", "text": raw},
    )
    (result,) = check(schema_set, write_har(tmp_path / "ascii.har", [wrong]))
    assert [(i.rule, i.message) for i in result.issues] == [("parse", "not valid ascii (byte 13)")]


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        (
            "tagged.yaml",
            "- request: !!python/object:vcr.request.Request\n"
            "    body: null\n    headers: {}\n    host: tasks.example\n    method: GET\n"
            "    path: /api/v1/tasks\n    port: 443\n    protocol: https\n"
            "  response: {status: {code: 200, message: OK}, headers: [], body: {string: '[]'}}\n",
            ":1:12",
        ),
        (
            "plain.json",
            '[{"request": {"method": "GET", "host": "tasks.example", "path": "/api/v1/tasks", '
            '"port": 443, "protocol": "https", "headers": {}, "body": null}, '
            '"response": {"status": {"code": 200}, "headers": [], "body": {"string": "[]"}}}]',
            "",
        ),
    ],
)
def test_a_cassette_from_before_vcrpy_1_points_to_its_converter(
    tmp_path: Path, name: str, text: str, where: str
) -> None:
    path = write(tmp_path / name, text)
    with pytest.raises(SourceError) as caught:
        read_recording(path)
    assert str(caught.value) == (
        f"{path}{where}: a cassette in the format of vcrpy before 1.0; convert it with "
        "'python -m vcr.migration FILE' (vcrpy reads only the converted form too)"
    )


def test_postman_file_and_graphql_bodies(tmp_path: Path) -> None:
    document = yaml_document("""
        openapi: 3.1.0
        info: {title: uploads, version: "1"}
        paths:
          /files:
            put:
              requestBody:
                required: true
                content:
                  application/octet-stream: {}
              responses: {'204': {description: stored}}
          /images:
            put:
              requestBody:
                required: true
                content:
                  image/png: {schema: {type: string, contentMediaType: image/png}}
              responses: {'204': {description: stored}}
          /graphql:
            post:
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [query]
                      properties:
                        query: {type: string, minLength: 1}
                        variables: {type: object}
              responses: {'200': {description: the data}}
    """)
    schema_set = schemakit.load(write(tmp_path / "uploads.yaml", document))

    def item(method: str, path: str, body: dict[str, Any], code: int) -> dict[str, Any]:
        request = {"method": method, "url": f"{{{{base}}}}{path}", "body": body}
        return {"name": path, "request": request, "response": [{"name": "ok", "code": code}]}

    upload = {"mode": "file", "file": {"src": "/home/me/report.bin"}}
    query = {"mode": "graphql", "graphql": {"query": "{ me { id } }", "variables": '{"a": 1}'}}
    empty = {"mode": "graphql", "graphql": {"query": "", "variables": ""}}
    collection = {
        "info": {
            "name": "uploads",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "variable": [{"key": "base", "value": "https://up.example"}],
        "item": [
            item("PUT", "/files", upload, 204),
            item("PUT", "/images", {**upload, "file": {"src": "logo.png"}}, 204),
            item("POST", "/graphql", query, 200),
            item("POST", "/graphql", empty, 200),
        ],
    }
    path = write(tmp_path / "uploads.postman_collection.json", json.dumps(collection))
    results = check(schema_set, path)
    assert [[(i.part, i.pointer, i.rule, i.message) for i in r.issues] for r in results] == [
        [],  # no schema to check the file against, and the body was sent
        [
            (
                "request.body",
                "",
                "body-not-recorded",
                "not checked: Postman keeps the name of the file sent (logo.png), not its bytes",
            )
        ],
        [],
        [("request.body", "/query", "minLength", '"" should be non-empty')],
    ]


def test_a_head_request_is_the_get_it_stands_for(tasks: schemakit.SchemaSet) -> None:
    checker = TrafficChecker(tasks)
    # /tasks declares GET only; HEAD /tasks/{id} is declared (headTask) and keeps its own
    listed = checker.check(Exchange("HEAD", f"{BASE}/tasks?limit=500", 200))
    assert listed.operation is not None and listed.operation.label == "listTasks"
    assert [(i.part, i.pointer, i.rule) for i in listed.issues] == [
        ("request.query", "/limit", "maximum")
    ]
    own = checker.check(Exchange("HEAD", f"{BASE}/tasks/t1", 200))
    assert own.operation is not None and own.operation.label == "headTask" and own.valid
    posted = checker.check(Exchange("PUT", f"{BASE}/tasks", 200))
    assert [i.rule for i in posted.issues] == ["unknown-method"]


def test_a_request_body_the_recorder_did_not_keep(
    tmp_path: Path, tasks: schemakit.SchemaSet
) -> None:
    kept = chrome_entry(
        "POST",
        f"{BASE}/tasks",
        201,
        post_data={"mimeType": "application/json", "text": json.dumps({"title": "x"})},
        response_headers={"content-type": "application/json", "location": "/x"},
        content=json_content(TASK),
    )
    kept["request"]["bodySize"] = 14
    dropped = json.loads(json.dumps(kept))
    dropped["request"]["postData"] = {"mimeType": "application/json"}
    dropped["request"]["bodySize"] = 52000
    empty = json.loads(json.dumps(kept))  # nothing sent: still a missing required body
    del empty["request"]["postData"]
    empty["request"]["bodySize"] = 0
    results = check(tasks, write_har(tmp_path / "posts.har", [kept, dropped, empty]))
    assert [[(i.part, i.rule, i.message) for i in r.issues] for r in results] == [
        [],
        [
            (
                "request.body",
                "body-not-recorded",
                "not checked: the recording has no body text, 52000 bytes were sent",
            )
        ],
        [("request.body", "required", "createTask's request body is required")],
    ]


def playwright_entries() -> tuple[list[dict[str, Any]], dict[str, bytes]]:
    """Entries as Playwright's recordHar writes them with content "attach": each body in a
    file named by its SHA-1, the entry pointing at it with ``content._file``."""
    bodies = {
        f"{hashlib.sha1(body).hexdigest()}.json": body
        for body in (json.dumps(TASK).encode(), json.dumps(dict(TASK, status="late")).encode())
    }
    entries = []
    for name, body in bodies.items():
        content = {"size": len(body), "mimeType": "application/vnd.api+json", "_file": name}
        entries.append(
            chrome_entry(
                "GET",
                f"{BASE}/tasks/t1",
                200,
                response_headers={"content-type": "application/vnd.api+json"},
                content=content,
            )
        )
    return entries, bodies


def test_playwright_har_with_attached_bodies(tmp_path: Path, tasks: schemakit.SchemaSet) -> None:
    entries, bodies = playwright_entries()
    # recordHar to a .har path with content "attach": the files beside it
    har = write_har(tmp_path / "network.har", entries)
    for name, body in bodies.items():
        (tmp_path / name).write_bytes(body)
    expected = [[], [("response.body", "/status", "enum")]]
    assert [[(i.part, i.pointer, i.rule) for i in r.issues] for r in check(tasks, har)] == expected
    # recordHar to a .zip: har.har and the bodies in one archive
    archive = tmp_path / "network.har.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("har.har", har.read_text())
        for name, body in bodies.items():
            zipped.writestr(name, body)
    results = check(tasks, archive)
    assert [[(i.part, i.pointer, i.rule) for i in r.issues] for r in results] == expected
    assert results[1].exchange.location == f"{archive}#/log/entries/1"
    # a body file that is not there is said so; a name leading outside is not read
    first = next(iter(bodies))
    (tmp_path / first).unlink()
    entries[1]["response"]["content"]["_file"] = "../secret.json"
    (tmp_path.parent / "secret.json").write_text("{}")
    results = check(tasks, write_har(tmp_path / "network.har", entries))
    assert [[(i.rule, i.message) for i in r.issues] for r in results] == [
        [
            (
                "body-not-recorded",
                f"not checked: the body is in {first}, which is not with the recording",
            )
        ],
        [
            (
                "body-not-recorded",
                "not checked: the body is in ../secret.json, which is not with the recording",
            )
        ],
    ]


def test_a_zip_that_is_not_a_har_archive(tmp_path: Path) -> None:
    (tmp_path / "notes.zip").write_bytes(b"PK not really")
    with zipfile.ZipFile(tmp_path / "empty.har.zip", "w") as zipped:
        zipped.writestr("readme.txt", "hello")
    with pytest.raises(SourceError, match=r"notes\.zip: not a zip archive"):
        read_recording(tmp_path / "notes.zip")
    with pytest.raises(SourceError, match=r"empty\.har\.zip: a zip archive without a \.har file"):
        read_recording(tmp_path / "empty.har.zip")


def test_a_browser_pages_own_resources_are_skipped_and_counted(
    tmp_path: Path, tasks: schemakit.SchemaSet, capsys: pytest.CaptureFixture[str]
) -> None:
    """A HAR saved from a browser holds the page's HTML, scripts and images too: unmatched
    ones are counted as skipped, not reported as unknown paths; API calls stay checked."""
    css = {"size": 10, "mimeType": "text/css", "text": "body { }"}
    path = write_har(
        tmp_path / "browser.har",
        [
            chrome_entry("GET", "https://app.example/", 200, resource_type="document"),
            chrome_entry("GET", "https://cdn.example/app.js", 200, resource_type="script"),
            chrome_entry("GET", "https://cdn.example/logo.png", 200, resource_type="image"),
            chrome_entry(
                "GET",
                f"{BASE}/tasks/t1",
                200,
                content=json_content(TASK, "application/vnd.api+json"),
                resource_type="xhr",
            ),
            # no _resourceType (Firefox, Charles): judged by what came back
            {**chrome_entry("GET", "https://app.example/site.css", 200, content=css)}
            | {"_resourceType": None},
            # an API call to an undeclared path is still reported, whatever the browser says
            chrome_entry("GET", f"{BASE}/nowhere", 200, content=json_content({})),
        ],
    )
    results = check(tasks, path)
    assert [r.skipped for r in results] == ["document", "script", "image", "", "text/css", ""]
    assert results[3].valid and results[5].issues[0].rule == "unknown-path"
    code = main(["traffic", "--schemas", str(DATA / "tasks-api.yaml"), str(path)])
    out = capsys.readouterr().out
    assert code == 1  # the undeclared API path, nothing else
    assert "cdn.example" not in out and "/nowhere" in out
    assert out.rstrip().endswith(
        "2 exchanges: 1 valid, 0 invalid, 1 unmatched; "
        "4 page resources skipped (1 document, 1 image, 1 script, 1 text/css)"
    )
    main(["traffic", "--format", "json", "--schemas", str(DATA / "tasks-api.yaml"), str(path)])
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r.get("skipped"), r["valid"]) for r in records][:4] == [
        ("document", None),
        ("script", None),
        ("image", None),
        (None, True),
    ]


def test_a_recorded_page_resource_is_a_skipped_test(tasks: schemakit.SchemaSet) -> None:
    """The schemakit_traffic marker checks each recorded exchange with assert_response_valid:
    a page's own script is a skipped test there, not a failure."""
    script = Exchange(
        "GET", "https://cdn.example/app.js", 200, source="s.har", place="/log/entries/0",
        resource_type="script",
    )  # fmt: skip
    with pytest.raises(pytest.skip.Exception, match=r"s\.har#/log/entries/0: .*\(script\)"):
        assert_response_valid(script, schemas=tasks)
    live = Exchange("GET", "https://cdn.example/app.js", 200, resource_type="script")
    with pytest.raises(ExchangeAssertionError):  # asked about directly: unmatched fails
        assert_response_valid(live, schemas=tasks)
