"""``schemakit traffic``: text and JSON output, coverage, --server, exit codes 0/1/2, and
an unreadable recording reported in one line while the others are still checked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from schemakit.cli import main
from traffic_support import TASK_ID

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "traffic"
HAR = DATA / "batch-v2.har"
POSTMAN = DATA / "batch-v2.postman_collection.json"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["traffic", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def har_subset(tmp_path: Path, indices: list[int], name: str = "subset.har") -> Path:
    document = json.loads(HAR.read_text())
    document["log"]["entries"] = [document["log"]["entries"][i] for i in indices]
    path = tmp_path / name
    path.write_text(json.dumps(document))
    return path


def test_text_output_one_line_per_exchange_then_coverage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, str(HAR))
    assert code == 1 and err == ""
    lines = out.splitlines()
    entries = json.loads(HAR.read_text())["log"]["entries"]
    first = entries[0]["request"]["url"]
    assert (
        lines[0] == f"{HAR}#/log/entries/0: GET {first} -> 200: getAllBatchV2ProcessRequests: valid"
    )
    broken = [line for line in lines if "SLEEPING" in line]
    assert len(broken) == 1
    index = next(i for i, e in enumerate(entries) if "SLEEPING" in e["response"]["content"]["text"])
    assert broken[0].startswith(f"{HAR}#/log/entries/{index}: GET ")
    assert broken[0].endswith(
        '-> 200: getSingleBatchV2ProcessTaskById: response.body#/status: "SLEEPING" is not '
        "one of ['CREATED', 'ANALYSING', 'ANALYSIS_DONE', 'PROCESSING', 'DONE', 'FAILED', "
        "'STOPPED']  [BatchV2ProcessTask#/properties/status/enum]"
    )
    assert any(
        line.endswith(
            "request.query#/count: \"ten\" is not of type 'integer'  "
            "[getAllBatchV2ProcessRequests.query.count#/type]"
        )
        for line in lines
    )
    assert "coverage: 5 of 7 operations, 6 of 32 documented responses" in lines
    assert (
        "  getSingleBatchV2ProcessTaskById (GET /batch/v2/process/{taskId}): 200, 404; not 401, 403"
    ) in lines
    assert (
        "  batchV2StartProcessRequest (POST /batch/v2/process/{taskId}/start): not exercised"
        in lines
    )
    assert lines[-1] == "8 exchanges: 5 valid, 3 invalid, 0 unmatched"


def test_json_output_one_object_per_exchange(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--format", "json", str(HAR), str(POSTMAN))
    assert code == 1
    objects = [json.loads(line) for line in out.splitlines()]
    assert len(objects) == 8 + 5
    assert [o["index"] for o in objects] == [*range(8), *range(5)]
    assert {o["source"] for o in objects} == {str(HAR), str(POSTMAN)}
    for o in objects:
        assert set(o) == {
            "source",
            "index",
            "location",
            "method",
            "url",
            "status",
            "operation",
            "valid",
            "errors",
        }
        assert o["valid"] == (o["errors"] == [])
    assert objects[4]["location"] == f"{HAR}#/log/entries/4"
    assert objects[9]["location"] == f"{POSTMAN}#/item/0/item/0/response/1"
    broken = objects[4]
    assert broken["operation"] == "getSingleBatchV2ProcessTaskById" and not broken["valid"]
    assert {(e["part"], e["pointer"], e["rule"]) for e in broken["errors"]} == {
        ("response.body", "/status", "enum"),
        ("response.body", "/costPU", "type"),
    }
    for error in broken["errors"]:
        assert {"part", "pointer", "message", "rule"} <= set(error)


def test_all_valid_exits_0(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _err = run(capsys, str(har_subset(tmp_path, [0, 1, 2, 3, 5])))
    assert code == 0
    assert out.splitlines()[-1] == "5 exchanges: 5 valid, 0 invalid, 0 unmatched"


def test_unmatched_exits_1_and_server_option_maps_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = json.loads(HAR.read_text())
    entry = document["log"]["entries"][2]  # GET one task (valid)
    entry["request"]["url"] = f"https://gateway.example/sh/process/{TASK_ID}"
    document["log"]["entries"] = [entry]
    path = tmp_path / "gateway.har"
    path.write_text(json.dumps(document))
    code, out, _err = run(capsys, str(path))
    assert code == 1
    assert out.splitlines()[0] == (
        f"{path}#/log/entries/0: "
        f"GET https://gateway.example/sh/process/{TASK_ID} -> 200: no operation: request.path: "
        f"no operation has the path /sh/process/{TASK_ID}  [unknown-path]"
    )
    assert "1 exchanges: 0 valid, 0 invalid, 1 unmatched" in out
    code, out, _err = run(capsys, "--server", "https://gateway.example/sh=/batch/v2", str(path))
    assert code == 0, out
    assert out.startswith(
        f"{path}#/log/entries/0: GET https://gateway.example/sh/process/{TASK_ID} -> 200: "
        "getSingleBatchV2ProcessTaskById: valid"
    )


def test_unreadable_recording_is_one_line_and_others_are_checked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    truncated = tmp_path / "truncated.har"
    truncated.write_text(HAR.read_text()[:500])
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"log": {"entries": [{"request": {"method": "GET"}}]}}))
    good = har_subset(tmp_path, [0])
    code, out, err = run(capsys, str(truncated), str(good), str(wrong))
    assert code == 2
    errors = err.splitlines()
    assert len(errors) == 2
    assert errors[0].startswith(f"schemakit: error: {truncated}:")
    assert "invalid JSON" in errors[0]
    assert errors[1] == f"schemakit: error: {wrong}#/log/entries/0: missing 'response'"
    assert "getAllBatchV2ProcessRequests: valid" in out
    assert out.splitlines()[-1] == (
        "1 exchanges: 1 valid, 0 invalid, 0 unmatched; 2 unreadable recordings"
    )


def test_a_directory_of_recordings(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    har_subset(tmp_path, [0, 1], "a.har")
    har_subset(tmp_path, [4], "b.har")
    code, out, _err = run(capsys, "--format", "json", str(tmp_path))
    assert code == 1
    rows: list[dict[str, Any]] = [json.loads(line) for line in out.splitlines()]
    assert [(Path(r["source"]).name, r["index"], r["valid"]) for r in rows] == [
        ("a.har", 0, True),
        ("a.har", 1, True),
        ("b.har", 0, False),
    ]


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "--server", "no-equals-sign", str(HAR))
    assert code == 2 and err.count("\n") == 1 and "URL=PATH" in err
    code, _out, err = run(capsys, "--schemas", "no/such/api.yaml", str(HAR))
    assert code == 2 and err.count("\n") == 1 and "no such file" in err


def test_other_documents_with_schemas(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "shop.har"
    path.write_text(
        json.dumps(
            {
                "log": {
                    "entries": [
                        {
                            "request": {"method": "GET", "url": "http://127.0.0.1:9/v2/items/x"},
                            "response": {"status": 200, "content": {}},
                        }
                    ]
                }
            }
        )
    )
    code, out, _err = run(capsys, "--schemas", str(DATA / "shop.yaml"), str(path))
    assert code == 1
    assert "getItem: request.path#/id: \"x\" is not of type 'integer'" in out


def test_real_process_exit_code_and_no_traceback(tmp_path: Path) -> None:
    truncated = tmp_path / "t.har"
    truncated.write_text("{")
    result = subprocess.run(
        [sys.executable, "-m", "schemakit.cli", "traffic", str(truncated), str(POSTMAN)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "5 exchanges: 4 valid, 1 invalid, 0 unmatched; 1 unreadable recording" in result.stdout
