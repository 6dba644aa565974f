"""Throughput of the generated models' ``from_dict`` / ``to_dict`` against dataclasses-json
and cattrs, measured in the same run on the same document.

Method
------
The document is ``examples/task.json`` (a real Batch V2 task: UUIDs, timestamps, enums,
camelCase names, nested objects, a oneOf of 15 data collections, a oneOf of outputs).

- schemakit: the committed ``sentinel_hub_models.BatchV2ProcessTask``.
- The peers cannot read the schemas, so this script hand-writes the smallest equivalent
  models that cover every key of the document (14 small dataclasses, decorated with
  ``dataclass_json(letter_case=CAMEL)``). dataclasses-json uses its own ``from_dict`` /
  ``to_dict`` on them; cattrs uses a ``Converter(omit_if_default=True)`` with camelCase
  renames, ``UUID``/``datetime`` hooks, and ``forbid_extra_keys=False``, on the same classes.
  The peers get it easier: no union dispatch (the document's branches are fixed in their
  types), no absent/null distinction, no extra-key capture, no original-text keeping.
- Each library loads the document N times and dumps the loaded model N times (N/50 for
  dataclasses-json, about a hundred times slower), in CPU time, the libraries taking turns
  within each of R repeats; the best repeat is kept. Ratios are
  schemakit / peer throughput (above 1: schemakit is faster).
- "exact" says whether ``to_dict(from_dict(doc)) == doc`` for that library.

Run: ``python benchmarks/models.py [N] [R]`` (needs the ``bench`` extra).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from functools import partial
from pathlib import Path
from typing import Any, cast
from uuid import UUID

import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from dataclasses_json import LetterCase, config, dataclass_json
from sentinel_hub_models import BatchV2ProcessTask

DOCUMENT = json.loads((Path(__file__).resolve().parents[1] / "examples" / "task.json").read_text())


# -- hand-written peer models for the document's shape -----------------------------------


class Status(str, Enum):
    CREATED = "CREATED"
    ANALYSING = "ANALYSING"
    ANALYSIS_DONE = "ANALYSIS_DONE"
    PROCESSING = "PROCESSING"
    DONE = "DONE"
    FAILED = "FAILED"
    STOPPED = "STOPPED"


class UserAction(str, Enum):
    NONE = "NONE"
    ANALYSE = "ANALYSE"
    START = "START"
    STOP = "STOP"


# LetterCase's members are functions, which its own stubs do not accept as a LetterCase
CAMEL = dataclass_json(letter_case=cast(Any, LetterCase.CAMEL))


# dataclasses-json reads and writes these datetimes as ISO 8601 text
ISO = config(encoder=datetime.isoformat, decoder=datetime.fromisoformat)
ISO_FROM = config(encoder=datetime.isoformat, decoder=datetime.fromisoformat, field_name="from")


@CAMEL
@dataclass
class TimeRange:
    from_: datetime | None = field(default=None, metadata=ISO_FROM)
    to: datetime | None = field(default=None, metadata=ISO)


@CAMEL
@dataclass
class DataFilter:
    time_range: TimeRange | None = None
    max_cloud_coverage: float | None = None


@CAMEL
@dataclass
class DataItem:
    type: str
    data_filter: DataFilter | None = None


@CAMEL
@dataclass
class BoundsProperties:
    crs: str | None = None


@CAMEL
@dataclass
class Bounds:
    bbox: list[float] | None = None
    properties: BoundsProperties | None = None


@CAMEL
@dataclass
class Input:
    data: list[DataItem]
    bounds: Bounds | None = None


@CAMEL
@dataclass
class Format:
    type: str | None = None


@CAMEL
@dataclass
class Response:
    format: Format
    identifier: str | None = None


@CAMEL
@dataclass
class Output:
    responses: list[Response] | None = None


@CAMEL
@dataclass
class ProcessRequest:
    input: Input
    output: Output
    evalscript: str | None = None


@CAMEL
@dataclass
class TilingGridInput:
    type: str
    id: int
    resolution: float


@CAMEL
@dataclass
class S3:
    url: str
    iam_role_arn: str | None = field(default=None, metadata=config(field_name="iamRoleARN"))


@CAMEL
@dataclass
class Delivery:
    s3: S3


@CAMEL
@dataclass
class RasterOutput:
    type: str
    delivery: Delivery


@CAMEL
@dataclass
class Request:
    process_request: ProcessRequest
    input: TilingGridInput
    output: RasterOutput
    description: str | None = None


@CAMEL
@dataclass
class Task:
    id: UUID | None = None
    request: Request | None = None
    domain_account_id: UUID | None = None
    project_id: UUID | None = None
    workspace_id: UUID | None = None
    status: Status | None = None
    user_action: UserAction | None = None
    user_action_updated: datetime | None = field(default=None, metadata=ISO)
    created: datetime | None = field(default=None, metadata=ISO)
    completion_percentage: float | None = None
    last_updated: datetime | None = field(default=None, metadata=ISO)
    cost_pu: float | None = field(default=None, metadata=config(field_name="costPU"))


PEER_CLASSES = [
    TimeRange, DataFilter, DataItem, BoundsProperties, Bounds, Input, Format, Response, Output,
    ProcessRequest, TilingGridInput, S3, Delivery, RasterOutput, Request, Task,
]  # fmt: skip
_SPECIAL_NAMES = {"from_": "from", "iam_role_arn": "iamRoleARN", "cost_pu": "costPU"}


def _camel(name: str) -> str:
    if name in _SPECIAL_NAMES:
        return _SPECIAL_NAMES[name]
    head, *rest = name.split("_")
    return head + "".join(word.title() for word in rest)


def cattrs_converter() -> cattrs.Converter:
    converter = cattrs.Converter(omit_if_default=True)
    converter.register_structure_hook(datetime, lambda value, _: datetime.fromisoformat(value))
    converter.register_unstructure_hook(datetime, lambda value: value.isoformat())
    converter.register_structure_hook(UUID, lambda value, _: UUID(value))
    converter.register_unstructure_hook(UUID, str)
    for cls in PEER_CLASSES:
        renames: dict[str, Any] = {
            name: override(rename=_camel(name))
            for name in cls.__dataclass_fields__  # type: ignore[attr-defined]
        }
        converter.register_structure_hook(cls, make_dict_structure_fn(cls, converter, **renames))
        converter.register_unstructure_hook(
            cls, make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True, **renames)
        )
    return converter


# -- measuring -----------------------------------------------------------------------------


def best_rates(
    actions: dict[str, Callable[[], Any]], counts: dict[str, int], repeats: int
) -> dict[str, float]:
    """Operations per CPU second for each action, best of ``repeats`` runs of its count.

    CPU time of this process (not wall time), and the actions take turns within each repeat,
    so a busy machine slows every library alike instead of whichever ran during a burst.
    Many short repeats rather than a few long ones: on a shared machine the best of many
    short windows is the one least disturbed.
    """
    best = dict.fromkeys(actions, float("inf"))
    for _ in range(repeats):
        for name, action in actions.items():
            start = time.process_time()
            for _ in range(counts[name]):
                action()
            best[name] = min(best[name], time.process_time() - start)
    return {name: counts[name] / max(seconds, 1e-9) for name, seconds in best.items()}


# dataclasses-json is about a hundred times slower: it makes fewer calls per repeat, so a
# repeat stays short for every library (rates are per call either way)
SLOW_PEER = "dataclasses-json"


def main(count: int = 200, repeats: int = 30) -> None:
    converter = cattrs_converter()
    libraries: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
        "schemakit": (BatchV2ProcessTask.from_dict, lambda model: model.to_dict()),
        "dataclasses-json": (Task.from_dict, lambda model: model.to_dict(encode_json=True)),  # type: ignore[attr-defined]
        "cattrs": (lambda doc: converter.structure(doc, Task), converter.unstructure),
    }
    counts = {name: max(1, count // 50) if name == SLOW_PEER else count for name in libraries}
    models = {name: load(DOCUMENT) for name, (load, _dump) in libraries.items()}
    exact = {name: libraries[name][1](model) == DOCUMENT for name, model in models.items()}
    loads = best_rates(
        {name: partial(load, DOCUMENT) for name, (load, _dump) in libraries.items()},
        counts, repeats,
    )  # fmt: skip
    dumps = best_rates(
        {name: partial(dump, models[name]) for name, (_load, dump) in libraries.items()},
        counts, repeats,
    )  # fmt: skip
    rates = {name: (loads[name], dumps[name], exact[name]) for name in libraries}

    print(
        f"document: examples/task.json, {count} calls ({counts[SLOW_PEER]} for {SLOW_PEER})"
        f" x best of {repeats}"
    )
    print(f"{'library':<18}{'from_dict/s':>14}{'to_dict/s':>14}  exact round trip")
    for name, (load_rate, dump_rate, exact) in rates.items():
        print(f"{name:<18}{load_rate:>14,.0f}{dump_rate:>14,.0f}  {'yes' if exact else 'no'}")
    ours = rates["schemakit"]
    for peer in ("dataclasses-json", "cattrs"):
        theirs = rates[peer]
        print(
            f"schemakit / {peer}: from_dict x{ours[0] / theirs[0]:.2f}, "
            f"to_dict x{ours[1] / theirs[1]:.2f}"
        )


if __name__ == "__main__":
    arguments = [int(arg) for arg in sys.argv[1:3]]
    main(*arguments)
