"""Lint rules on operations: a response that refers to another status's response, missing
or duplicate operationIds, path parameters that do not match the path template."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from schemakit.lint import RULES, Severity, lint
from test_lint import PUBLISHED


def test_published_put_400_refers_to_the_401_response() -> None:
    for source in (PUBLISHED, None):  # the published document and the bundled set
        report = lint(source)
        found = [f for f in report.findings if f.rule == "response-ref-status"]
        assert [(f.schema, f.pointer, f.severity) for f in found] == [
            ("updateBatchV2ProcessRequest", "/responses/400", Severity.warning)
        ]
        assert found[0].file_pointer == "/paths/~1batch~1v2~1process~1{taskId}/put/responses/400"
        assert "#/components/responses/401" in found[0].message
        assert not [f for f in report.findings if f.rule.startswith(("path-param", "missing-op"))]


def test_operation_rules_on_a_small_document(tmp_path: Path) -> None:
    ok: dict[str, Any] = {"200": {"description": "ok"}}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a/{id}": {"get": {"responses": ok}},  # no operationId, {id} undeclared
            "/b": {
                "get": {
                    "operationId": "same",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {}}],
                    "responses": {"404": {"$ref": "#/components/responses/404"}},
                }
            },
            "/c": {
                "get": {
                    "operationId": "same",
                    "responses": {"4XX": {"$ref": "#/components/responses/4XX"}},
                }
            },
        },
        "components": {
            "schemas": {"X": {"type": "string"}},
            "responses": {"404": {"description": "nf"}, "4XX": {"description": "range"}},
        },
    }
    path = tmp_path / "api.json"
    path.write_text(json.dumps(document))
    findings = [f for f in lint(path).findings if f.rule != "unused-schema"]
    found = {(f.rule, f.schema, f.pointer) for f in findings}
    assert len(found) == len(findings) == 5
    assert found == {
        ("missing-operation-id", "GET /a/{id}", ""),
        ("path-param-undeclared", "GET /a/{id}", "/parameters"),
        ("path-param-not-in-path", "same", "/parameters"),
        ("duplicate-operation-id", "GET /b", "/operationId"),
        ("duplicate-operation-id", "GET /c", "/operationId"),
    }
    ids = {rule.id for rule in RULES}
    assert {rule for rule, _schema, _pointer in found} <= ids and "response-ref-status" in ids
