"""``Validator``: ``is_valid``, ``errors`` (JSON pointer, schema location, message) and
``validate``; ``oneOf``/``anyOf`` failures point into the branch that was meant."""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any

import pytest

import schemakit
from conftest import ROOT, docs_payloads
from schemakit import Issue, ValidationError

TASK: dict[str, Any] = json.loads((ROOT / "examples" / "task.json").read_text())
ITEM = "/request/processRequest/input/data/0"


def changed(path: str, value: Any, document: dict[str, Any] | None = None) -> dict[str, Any]:
    """A copy of the task (or ``document``) with the value at a JSON pointer replaced;
    ``...`` deletes it."""
    result = copy.deepcopy(TASK if document is None else document)
    *parents, last = path.split("/")[1:]
    node: Any = result
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if value is ...:
        del node[int(last) if isinstance(node, list) else last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return result


@pytest.fixture(scope="module")
def task_validator(sentinel: schemakit.SchemaSet) -> schemakit.Validator:
    return sentinel.validator("BatchV2ProcessTask")


def test_valid_document(task_validator: schemakit.Validator) -> None:
    assert task_validator.is_valid(TASK)
    assert task_validator.errors(TASK) == []
    task_validator.validate(TASK)  # does not raise


def test_issue_fields(task_validator: schemakit.Validator) -> None:
    document = changed("/request/processRequest/input/bounds/bbox", [8.44, 41.31, 9.66])
    [issue] = task_validator.errors(document)
    assert issue.pointer == "/request/processRequest/input/bounds/bbox"
    assert issue.rule == "minItems"
    assert issue.message == "[8.44, 41.31, 9.66] is too short"  # JSON, not a Python repr
    assert issue.value == [8.44, 41.31, 9.66]
    assert issue.schema_name == "ProcessRequestInputBoundsForBatchV2"
    assert issue.rule_location == "/properties/bbox/minItems"
    assert issue.where_in_schema == "ProcessRequestInputBoundsForBatchV2#/properties/bbox/minItems"
    assert issue.schema_path.startswith("/properties/request/")
    assert issue.schema_path.endswith("/bbox/minItems")
    assert str(issue) == f"{issue.pointer}: {issue.message}"
    assert issue.to_dict() == {
        "pointer": issue.pointer,
        "message": issue.message,
        "rule": "minItems",
        "schema_path": issue.schema_path,
        "schema": "ProcessRequestInputBoundsForBatchV2",
        "rule_location": "/properties/bbox/minItems",
    }


def test_the_located_rule_is_really_there(
    sentinel: schemakit.SchemaSet, task_validator: schemakit.Validator
) -> None:
    document = changed("/status", "done")
    document = changed("/request/input/resolution", "60", document)
    document = changed(f"{ITEM}/dataFilter/timeRange/from", "2019-04-01", document)
    issues = task_validator.errors(document)
    assert len(issues) == 3
    for issue in issues:
        assert issue.schema_name is not None
        node: Any = sentinel.schema(issue.schema_name)
        for token in issue.rule_location.split("/")[1:]:
            node = node[int(token)] if isinstance(node, list) else node[token]
        assert node is not None and issue.rule_location.endswith("/" + issue.rule)


def test_whole_document_issues_have_the_empty_pointer(
    task_validator: schemakit.Validator,
) -> None:
    documents: list[Any] = [None, [], "task", 5]
    for document in documents:
        [issue] = task_validator.errors(document)
        assert issue.pointer == "" and issue.rule == "type"
        assert str(issue).startswith("/: ")


def test_every_problem_is_reported_in_document_order(task_validator: schemakit.Validator) -> None:
    document = changed("/status", "done")
    document = changed("/created", "yesterday", document)
    document = changed("/id", "x", document)
    document = changed("/request/output", ..., document)
    issues = task_validator.errors(document)
    assert [(i.pointer, i.rule) for i in issues] == [
        ("/created", "format"),
        ("/id", "format"),
        ("/request", "required"),
        ("/status", "enum"),
    ]
    assert "'output' is a required property" in issues[2].message
    assert "'date-time'" in issues[0].message and "'uuid'" in issues[1].message


def test_validate_raises_schemakit_validation_error(task_validator: schemakit.Validator) -> None:
    document = changed("/status", "done")
    document = changed("/costPU", "a lot", document)
    with pytest.raises(ValidationError) as caught:
        task_validator.validate(document)
    error = caught.value
    assert isinstance(error, schemakit.SchemakitError)
    issues = [issue for issue in error.issues if isinstance(issue, Issue)]
    assert [issue.pointer for issue in issues] == ["/costPU", "/status"]
    assert len(issues) == len(error.issues)
    assert str(error) == f"{error.issues[0]} (and 1 more)"
    assert "\n" not in str(error)


# -- oneOf / anyOf: the branch that was meant -----------------------------------------
# (what to change, where the issue must point, its rule, the branch named in the message,
# where the rule is)
BRANCHES = [
    (
        (f"{ITEM}/dataFilter/maxCloudCoverage", 150),
        f"{ITEM}/dataFilter/maxCloudCoverage",
        "maximum",
        "S2L2ADataset",
        "MaxCloudCoverage#/maximum",
    ),
    (
        (f"{ITEM}/dataFilter/mosaickingOrder", "newest"),
        f"{ITEM}/dataFilter/mosaickingOrder",
        "enum",
        "S2L2ADataset",
        "S2L2AFiltering#/properties/mosaickingOrder/enum",
    ),
    (
        (f"{ITEM}/processing", {"upsampling": "CUBIC"}),
        f"{ITEM}/processing/upsampling",
        "enum",
        "S2L2ADataset",
        "BaseDatasetProcessing#/properties/upsampling/enum",
    ),
    (
        ("/request/output/delivery/s3/url", 5),
        "/request/output/delivery/s3/url",
        "type",
        "S3BucketInfo",
        "S3BucketInfo#/properties/url/type",
    ),
    (
        ("/request/output/delivery", {}),
        "/request/output/delivery",
        "required",
        "S3BucketInfo",
        "ObjectStorageInfoV2#/oneOf/0/required",
    ),
    (
        ("/request/output", {"type": "zarr", "delivery": {"s3": {"url": "s3://x"}}}),
        "/request/output",
        "required",
        "BatchV2ZarrOutput",
        "BatchV2ZarrOutput#/required",
    ),
    (
        (
            ITEM,
            {
                "type": "sentinel-1-grd",
                "processing": {"orthorectify": "yes"},
                "dataFilter": {"acquisitionMode": "XX"},
            },
        ),
        f"{ITEM}/dataFilter/acquisitionMode",
        "enum",
        "S1Dataset",
        "S1Filtering#/properties/acquisitionMode/enum",
    ),
]


@pytest.mark.parametrize(
    ("change", "where", "rule", "branch", "location"),
    BRANCHES,
    ids=[case[1] for case in BRANCHES],
)
def test_branch_failures_point_into_the_branch_meant(
    task_validator: schemakit.Validator,
    change: tuple[str, Any],
    where: str,
    rule: str,
    branch: str,
    location: str,
) -> None:
    issues = task_validator.errors(changed(*change))
    first = issues[0]
    assert (first.pointer, first.rule, first.where_in_schema) == (where, rule, location)
    assert f"(in oneOf branch {branch}, the closest match)" in first.message
    assert "not valid under any" not in first.message


def test_sentinel_2_cloud_cover_names_the_s2_l2a_branch(
    sentinel: schemakit.SchemaSet,
) -> None:
    """The issue's example: a sentinel-2-l2a item with maxCloudCoverage 150."""
    request = changed(f"{ITEM}/dataFilter/maxCloudCoverage", 150)["request"]
    [issue] = sentinel.validator("BatchV2ProcessRequest").errors(request)
    assert issue.pointer == "/processRequest/input/data/0/dataFilter/maxCloudCoverage"
    assert issue.message == (
        "150 is greater than the maximum of 100 (in oneOf branch S2L2ADataset, the closest match)"
    )
    assert issue.value == 150


def test_a_tag_no_branch_accepts_lists_what_they_accept(
    task_validator: schemakit.Validator,
) -> None:
    """A legacy collection name matches no branch at all: say what the tag may be."""
    [issue] = task_validator.errors(changed(f"{ITEM}/type", "S1GRD"))
    assert issue.pointer == f"{ITEM}/type"
    assert issue.rule == "oneOf"
    assert issue.where_in_schema == "ProcessRequestInputData#/items/oneOf"
    assert issue.message.startswith('"S1GRD" is none of the values the oneOf branches accept: ')
    for accepted in ('"sentinel-2-l2a"', '"sentinel-1-grd"', "a string matching"):
        assert accepted in issue.message
    [issue] = task_validator.errors(changed("/request/output/type", "rasterx"))
    assert issue.message.endswith('accept: "raster", "zarr"')


def test_more_than_one_branch_names_the_branches(
    sentinel_upstream: schemakit.SchemaSet,
) -> None:
    """Upstream, every sentinel-2-l2a item also matches the BYOC catch-all."""
    issues = sentinel_upstream.validator("BatchV2ProcessTask").errors(TASK)
    [both] = [issue for issue in issues if issue.rule == "oneOf"]
    assert both.pointer == ITEM
    assert both.message == (
        "matches more than one oneOf branch (S2L2ADataset, BYOCDataset); exactly one must match"
    )


def test_anyof_points_into_the_nearest_branch() -> None:
    validator = schemakit.Validator(
        {
            "anyOf": [
                {"type": "string", "maxLength": 3},
                {
                    "type": "object",
                    "required": ["kind", "size"],
                    "properties": {"kind": {"const": "box"}, "size": {"maximum": 9}},
                },
            ]
        },
        "thing",
    )
    [issue] = validator.errors({"kind": "box", "size": 10})
    assert (issue.pointer, issue.rule, issue.rule_location) == (
        "/size",
        "maximum",
        "/anyOf/1/properties/size/maximum",
    )
    assert "(in anyOf branch #1, the closest match)" in issue.message


def test_one_rule_reached_twice_is_reported_once(task_validator: schemakit.Validator) -> None:
    document = changed(f"{ITEM}/type", "landsat-ot-l2")
    document = changed(f"{ITEM}/dataFilter/maxCloudCoverage", 150, document)
    issues = task_validator.errors(document)
    assert [(i.pointer, i.where_in_schema) for i in issues] == [
        (f"{ITEM}/dataFilter/maxCloudCoverage", "MaxCloudCoverage#/maximum")
    ]
    assert "L8L2Dataset" in issues[0].message


# -- consistency ----------------------------------------------------------------------


def test_is_valid_agrees_with_errors_on_the_docs_payloads(
    sentinel: schemakit.SchemaSet, sentinel_upstream: schemakit.SchemaSet
) -> None:
    for schema_set in (sentinel, sentinel_upstream):
        for _name, schema, document in docs_payloads():
            validator = schema_set.validator(schema)
            assert validator.is_valid(document) is (validator.errors(document) == [])


def test_validator_pickles(task_validator: schemakit.Validator) -> None:
    restored = pickle.loads(pickle.dumps(task_validator))
    document = changed("/status", "done")
    assert restored.is_valid(TASK) and not restored.is_valid(document)
    assert restored.errors(document) == task_validator.errors(document)


def test_deep_documents_do_not_crash(sentinel: schemakit.SchemaSet) -> None:
    nested: Any = []
    for _ in range(100_000):
        nested = [nested]
    validator = sentinel.validator("BatchV2ProcessTask")
    assert not validator.is_valid({"id": nested})
    assert validator.errors({"id": nested}) != []
    tree = schemakit.load(ROOT / "tests" / "data" / "refs" / "single" / "item.json")
    item: dict[str, Any] = {"sku": "ABC-1234"}
    for _ in range(3000):
        item = {"sku": "ABC-1234", "parts": [item]}
    assert tree.validator("item").is_valid(item)


def test_a_validator_straight_from_a_schema() -> None:
    validator = schemakit.Validator(
        {"type": "object", "properties": {"n": {"type": "integer", "format": "int8"}}}
    )
    assert validator.is_valid({"n": 127}) and not validator.is_valid({"n": 128})
    [issue] = validator.errors({"n": 128})
    assert (issue.pointer, issue.rule, issue.schema_name, issue.rule_location) == (
        "/n",
        "format",
        None,
        "/properties/n/format",
    )
