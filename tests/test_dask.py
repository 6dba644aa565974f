"""``schemakit.dask`` on a real two-process ``LocalCluster`` (dask is in the test extra)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dask.bag as db
import dask.dataframe as dd
import pandas as pd
import pytest
from dask.distributed import Client, LocalCluster

from schemakit import SchemaSet
from schemakit.dask import validate_bag, validate_dataframe

ROOT = Path(__file__).resolve().parents[1]
TASK = json.loads((ROOT / "examples" / "task.json").read_text())
BAD = {**copy.deepcopy(TASK), "status": "NOT_A_STATUS"}


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        Client(cluster) as connected,
    ):
        yield connected


def _reference(sentinel: SchemaSet, element: Any) -> tuple[bool, list[str]]:
    validator = sentinel.validator("BatchV2ProcessTask")
    issues = validator.errors(element)
    return not issues, [issue.pointer for issue in issues]


def test_validate_bag_on_worker_processes(client: Client, sentinel: SchemaSet) -> None:
    elements: list[Any] = [TASK, BAD, json.dumps(TASK), json.dumps(BAD).encode(), "{nope", b"\xff"]
    bag = db.from_sequence(elements, npartitions=3)
    results = validate_bag(bag, "BatchV2ProcessTask", sentinel).compute()
    assert [r["valid"] for r in results] == [True, False, True, False, None, None]
    assert [i["pointer"] for i in results[1]["errors"]] == _reference(sentinel, BAD)[1]
    assert results[1]["errors"] == results[3]["errors"]
    assert "invalid JSON" in results[4]["error"] and "not valid UTF-8" in results[5]["error"]
    workers = client.run(lambda: __import__("os").getpid())
    assert len(set(workers.values())) == 2  # really two processes


def test_validate_dataframe_keeps_the_index(client: Client, sentinel: SchemaSet) -> None:
    frame = pd.DataFrame(
        {"doc": [json.dumps(TASK), json.dumps(BAD), "[1,", json.dumps(TASK)], "k": [1, 2, 3, 4]},
        index=[10, 20, 30, 40],
    )
    result = validate_dataframe(
        dd.from_pandas(frame, npartitions=2), "doc", "BatchV2ProcessTask", sentinel
    ).compute()
    assert list(result.index) == [10, 20, 30, 40]
    assert list(result["valid"].astype("object")) == [True, False, pd.NA, True]
    assert json.loads(result.loc[10, "errors"]) == []
    pointers = [issue["pointer"] for issue in json.loads(result.loc[20, "errors"])]
    assert pointers == _reference(sentinel, BAD)[1]
    assert "invalid JSON" in result.loc[30, "error"] and result.loc[10, "error"] is pd.NA


def test_a_missing_reason_is_na_in_every_partition(client: Client, sentinel: SchemaSet) -> None:
    # partitions with no unreadable cell, with one, and with only unreadable cells
    cells = [json.dumps(TASK), json.dumps(BAD), json.dumps(TASK), "[1,", "{", "["]
    frame = pd.DataFrame({"doc": cells})
    result = validate_dataframe(
        dd.from_pandas(frame, npartitions=3), "doc", "BatchV2ProcessTask", sentinel
    ).compute()
    assert [value is pd.NA for value in result["error"]] == [True] * 3 + [False] * 3
    assert pd.api.types.is_string_dtype(result["error"].dtype)


def test_unknown_schema_fails_on_the_client(sentinel: SchemaSet) -> None:
    from schemakit.core.errors import UnknownSchemaError

    with pytest.raises(UnknownSchemaError):
        validate_bag(db.from_sequence([TASK]), "BatchV2ProcessTsk", sentinel)
