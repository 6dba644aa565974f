"""Matching exchanges to operations and checking every part of them (no recordings here:
exchanges are given piece by piece, as ``schemakit.check_exchange`` takes them)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

import schemakit
from schemakit.traffic.check import ExchangeResult

ROOT = Path(__file__).resolve().parents[1]
SHOP = ROOT / "tests" / "data" / "traffic" / "shop.yaml"
API = "https://api.shop.example/v2"
ITEM = {"name": "kettle", "price": 20}
UUID = "0b8a8c51-6b37-4f0e-9d7b-3f2d1c0e9a77"
SEARCH_HEADERS = {"X-Request-Id": UUID, "Cookie": "session=abcdef"}


@pytest.fixture(scope="module")
def shop() -> schemakit.SchemaSet:
    return schemakit.load(SHOP)


def check(
    shop: schemakit.SchemaSet, method: str, url: str, status: int = 200, **kw: Any
) -> ExchangeResult:
    return schemakit.check_exchange(method, url, status, schemas=shop, **kw)


def found(result: ExchangeResult) -> list[tuple[str, str, str]]:
    return [(i.part, i.pointer, i.rule) for i in result.issues]


# -- matching paths -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "operation"),
    [
        (f"{API}/items/mine", "myItems"),  # concrete before templated
        (f"{API}/items/42", "getItem"),
        (f"{API}/files/report.v2.csv", "getFile"),
        ("http://127.0.0.1:8080/items/42", "getItem"),  # another origin: by path
        ("http://127.0.0.1:8080/v2/items/42", "getItem"),  # ... with the server's base path
        ("/v2/items/42", "getItem"),  # no origin at all
        (f"{API}/books/latest", "latest"),
    ],
)
def test_paths_match_their_operation(shop: schemakit.SchemaSet, url: str, operation: str) -> None:
    result = check(shop, "GET", url, response_body=[ITEM] if operation == "myItems" else None)
    assert result.operation is not None and result.operation.label == operation


def test_equally_concrete_matches_are_reported_not_guessed(shop: schemakit.SchemaSet) -> None:
    result = check(shop, "GET", f"{API}/items/latest")
    assert result.operation is None and not result.valid
    [issue] = result.issues
    assert issue.rule == "ambiguous-path" and issue.part == "request.path"
    assert "/items/{id}" in issue.message and "/{kind}/latest" in issue.message


def test_unknown_path_and_method(shop: schemakit.SchemaSet) -> None:
    unknown = check(shop, "GET", f"{API}/nothing/here/at/all")
    assert found(unknown) == [("request.path", "", "unknown-path")]
    # the server's own origin without its base path is not the API
    assert found(check(shop, "GET", "https://api.shop.example/items/42")) == [
        ("request.path", "", "unknown-path")
    ]
    wrong = check(shop, "DELETE", f"{API}/items/42")
    assert found(wrong) == [("request.path", "", "unknown-method")]
    assert (
        "declared: GET, PUT" in wrong.issues[0].message and "/items/{id}" in wrong.issues[0].message
    )


def test_server_option_maps_a_prefix(shop: schemakit.SchemaSet) -> None:
    url = "https://gateway.example/shop/api/items/42"
    assert check(shop, "GET", url).operation is None
    mapped = check(shop, "GET", url, servers=["https://gateway.example/shop/api="])
    assert mapped.operation is not None and mapped.operation.label == "getItem" and mapped.valid
    with pytest.raises(ValueError, match="URL=PATH"):
        check(shop, "GET", url, servers=["https://gateway.example"])


def test_bundled_deployments_are_known(sentinel: schemakit.SchemaSet) -> None:
    for url in (
        "https://services.sentinel-hub.com/api/v2/batch/process",
        "https://services-uswest2.sentinel-hub.com/api/v2/batch/process",
        "https://services.sentinel-hub.com/batch/v2/process",  # as the document says
    ):
        result = schemakit.check_exchange(
            "GET", url, 200, response_body={"data": []}, schemas=sentinel
        )
        assert result.valid, (url, result.issues)
        assert result.operation is not None
        assert result.operation.label == "getAllBatchV2ProcessRequests"


# -- statuses and media types -----------------------------------------------------------


def test_status_exact_then_range_then_default(shop: schemakit.SchemaSet) -> None:
    ok = check(shop, "GET", f"{API}/items/1", 200, response_body=ITEM)
    assert ok.response is not None and ok.response.status == "200" and ok.valid
    ranged = check(shop, "GET", f"{API}/items/1", 201)
    assert ranged.response is not None and ranged.response.status == "2XX" and ranged.valid
    problem = check(
        shop,
        "GET",
        f"{API}/items/1",
        503,
        response_headers={"Content-Type": "application/problem+json"},
        response_body=b'{"title": 7}',
    )
    assert problem.response is not None and problem.response.status == "default"
    assert found(problem) == [("response.body", "/title", "type")]
    assert problem.issues[0].schema_name == "Problem"
    undocumented = check(shop, "GET", f"{API}/books/latest", 404)
    assert found(undocumented) == [("response.status", "", "undocumented-status")]
    assert "documented: 200" in undocumented.issues[0].message


def test_media_types(shop: schemakit.SchemaSet) -> None:
    def media(content_type: str, body: bytes) -> ExchangeResult:
        headers = {"Content-Type": content_type}
        return check(shop, "GET", f"{API}/items/1", response_headers=headers, response_body=body)

    item = json.dumps(ITEM).encode()
    assert media("application/json; charset=utf-8", item).valid
    assert media("application/vnd.shop+json", item).valid  # +json is JSON
    assert found(media("application/vnd.shop+json", b'{"name": 1}')) == [
        ("response.body", "", "required"),
        ("response.body", "/name", "type"),
    ]
    assert media("image/png", b"\x89PNG\r\n").valid  # image/* declared; not a document
    html = media("text/html", b"<p>hi</p>")
    assert found(html) == [("response.content-type", "", "undeclared-content-type")]
    assert "declared: application/json, image/*" in html.issues[0].message


def test_bodies_where_none_is_declared(shop: schemakit.SchemaSet) -> None:
    stored = check(shop, "PUT", f"{API}/items/3", 204, request_body=ITEM, response_body=b"{}")
    assert found(stored) == [("response.body", "", "unexpected-body")]
    assert check(shop, "PUT", f"{API}/items/3", 204, request_body=ITEM).valid
    head = check(shop, "HEAD", f"{API}/items/3")  # not declared: answered as the GET
    assert head.operation is not None and head.operation.label == "getItem" and head.valid


def test_gzip_bodies_are_read(shop: schemakit.SchemaSet) -> None:
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    packed = gzip.compress(json.dumps({"name": "x", "price": -1}).encode())
    result = check(shop, "GET", f"{API}/items/1", response_headers=headers, response_body=packed)
    assert found(result) == [("response.body", "/price", "minimum")]


# -- parameters -------------------------------------------------------------------------


def test_path_parameters_have_types(shop: schemakit.SchemaSet) -> None:
    assert found(check(shop, "GET", f"{API}/items/abc")) == [("request.path", "/id", "type")]
    assert found(check(shop, "GET", f"{API}/items/0")) == [("request.path", "/id", "minimum")]
    assert found(check(shop, "GET", f"{API}/files/a.pdf")) == [("request.path", "/ext", "enum")]
    assert check(shop, "GET", f"{API}/label/.1,2,3").valid
    assert found(check(shop, "GET", f"{API}/label/.1,x")) == [("request.path", "/ids/1", "type")]
    assert found(check(shop, "GET", f"{API}/label/1,2")) == [("request.path", "/ids", "style")]
    rate = {"X-Rate-Remaining": "10"}
    assert check(shop, "GET", f"{API}/matrix/;x=1;y=2", response_headers=rate).valid
    assert found(check(shop, "GET", f"{API}/matrix/;x=1", response_headers=rate)) == [
        ("request.path", "/point", "required")
    ]


def test_query_header_and_cookie_parameters(shop: schemakit.SchemaSet) -> None:
    url = f"{API}/search?limit=5&tags=a&tags=b&ids=1,2&range=1.5|2&filter[min]=1&filter[max]=9"
    result = check(shop, "GET", url, request_headers=SEARCH_HEADERS, response_body=[])
    assert result.valid, result.issues
    bad = (
        f"{API}/search?limit=2147483648&tags=toolong&ids=1,x&range=1|2|3"
        "&filter[min]=a&filter[other]=1&where=%7B%7D"
    )
    result = check(
        shop,
        "GET",
        bad,
        request_headers={"X-Request-Id": "nope", "Cookie": "session=ab"},
        response_body=[],
    )
    assert found(result) == [
        ("request.query", "/limit", "format"),
        ("request.query", "/tags/0", "maxLength"),
        ("request.query", "/ids/1", "type"),
        ("request.query", "/range", "maxItems"),
        ("request.query", "/filter", "additionalProperties"),
        ("request.query", "/filter/min", "type"),
        ("request.headers", "/X-Request-Id", "format"),
        ("request.headers", "/cookie/session", "minLength"),
        ("request.query", "/where", "required"),
    ]
    missing = check(shop, "GET", f"{API}/search", response_body=[])
    assert found(missing) == [
        ("request.query", "/limit", "required"),
        ("request.headers", "/X-Request-Id", "required"),
        ("request.headers", "/cookie/session", "required"),
    ]
    assert "required query parameter 'limit' is missing" in missing.issues[0].message


def test_response_headers(shop: schemakit.SchemaSet) -> None:
    url = f"{API}/matrix/;x=1;y=2"
    assert found(check(shop, "GET", url)) == [("response.headers", "/X-Rate-Remaining", "required")]
    low = check(shop, "GET", url, response_headers={"x-rate-remaining": "-1"})
    assert found(low) == [("response.headers", "/X-Rate-Remaining", "minimum")]


# -- request bodies -----------------------------------------------------------------------


def test_request_bodies_by_media_type(shop: schemakit.SchemaSet) -> None:
    url = f"{API}/items/7"
    assert found(check(shop, "PUT", url, 204)) == [("request.body", "", "required")]
    assert found(check(shop, "PUT", url, 204, request_body={"name": "x"})) == [
        ("request.body", "", "required")
    ]
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert check(shop, "PUT", url, 204, request_headers=form, request_body="name=x&price=2.5").valid
    assert found(
        check(shop, "PUT", url, 204, request_headers=form, request_body="name=x&price=cheap")
    ) == [("request.body", "/price", "type")]
    boundary = "XyZ"
    multipart = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="item"\r\n'
        "Content-Type: application/json\r\n\r\n"
        '{"name": "x", "price": -3}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nfragile\r\n'
        f"--{boundary}--\r\n"
    )
    result = check(shop, "PUT", url, 204, request_headers=multipart, request_body=body)
    assert found(result) == [("request.body", "/item/price", "minimum")]
    text = {"Content-Type": "text/plain"}
    assert found(check(shop, "PUT", url, 204, request_headers=text, request_body="hi")) == [
        ("request.content-type", "", "undeclared-content-type")
    ]
    broken = check(
        shop,
        "PUT",
        url,
        204,
        request_headers={"Content-Type": "application/json"},
        request_body="{",
    )
    assert found(broken) == [("request.body", "", "parse")]
    assert "line 1, column 2" in broken.issues[0].message


def test_issues_read_as_validate_prints_them(sentinel: schemakit.SchemaSet) -> None:
    task = json.loads((ROOT / "examples" / "task.json").read_text())
    task["status"] = "done"
    task["costPU"] = "many"
    result = schemakit.check_exchange(
        "GET",
        f"https://services.sentinel-hub.com/api/v2/batch/process/{task['id']}",
        200,
        response_body=task,
        schemas=sentinel,
    )
    expected = sentinel.validator("BatchV2ProcessTask").errors(task)
    assert [(i.pointer, i.message, i.rule, i.where_in_schema) for i in result.issues] == [
        (i.pointer, i.message, i.rule, i.where_in_schema) for i in expected
    ]
    assert {i.part for i in result.issues} == {"response.body"}
    assert result.to_dict()["errors"][0] == {
        "part": "response.body",
        "pointer": expected[0].pointer,
        "message": expected[0].message,
        "rule": expected[0].rule,
        "schema": expected[0].where_in_schema,
    }


def test_templated_and_relative_servers(tmp_path: Path) -> None:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "servers": [
            {
                "url": "https://{region}.api.example/{version}",
                "variables": {"region": {"default": "eu"}, "version": {"default": "v1"}},
            }
        ],
        "paths": {
            "/ping": {
                "get": {"operationId": "ping", "responses": {"204": {"description": "pong"}}},
                "servers": [{"url": "/internal"}],
            },
            "/things": {
                "get": {"operationId": "things", "responses": {"204": {"description": ""}}}
            },
        },
    }
    path = tmp_path / "servers.json"
    path.write_text(json.dumps(document))
    schema_set = schemakit.load(path)

    def label(url: str) -> str | None:
        result = check(schema_set, "GET", url, 204)
        return result.operation.label if result.operation else result.issues[0].rule

    assert label("https://us.api.example/v2/things") == "things"  # variables match any value
    assert label("https://us.api.example/things") == "unknown-path"  # base path missing
    assert label("http://localhost:8000/internal/ping") == "ping"  # relative server: any origin
    assert label("http://localhost:8000/things") == "things"
