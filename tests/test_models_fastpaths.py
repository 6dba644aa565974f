"""The runtime's fast paths agree with its strict parsers.

``date-time`` and ``date`` strings in their common shapes go to the C parser
(``fromisoformat``) after a cheap shape check, as it reads more than RFC 3339 allows.
These properties mutate valid strings one character at a time (separators, signs, digits
from other scripts, commas) and check that the fast path never accepts what the strict
path refuses, and that both read the same value and write back the same text.
"""

from __future__ import annotations

import copy
import pickle
import re
import sys
import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
import sentinel_hub_models as shm
from hypothesis import given, settings
from hypothesis import strategies as st

from schemakit.codegen import runtime

SETTINGS = settings(max_examples=400, deadline=None)

DATE_TIMES = [
    "2025-03-11T09:44:03Z",
    "2025-03-11T09:44:03.527391Z",
    "2025-03-11T09:44:03.5Z",
    "2025-03-11T09:44:03.1234567Z",
    "2025-03-11T09:44:03+01:30",
    "2025-03-11T09:44:03.123-00:00",
    "2024-02-29T23:59:59.999999+14:00",
]
DATES = ["2025-03-11", "2024-02-29", "0001-01-01"]
# Characters that fromisoformat treats specially, or that a regex \d would take for a digit.
ODD = [*"0123456789-:T tZz.,+_Wxfg", "\u0663", "\uff11", "", "00", ":00", "+0000"]


@st.composite
def mutated(draw: st.DrawFn, seeds: list[str]) -> str:
    text = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(0, 3))):
        where = draw(st.integers(0, len(text)))
        replace = draw(st.integers(0, 1))
        text = text[:where] + draw(st.sampled_from(ODD)) + text[where + replace :]
    return text


def _outcome(load: Any, text: str) -> tuple[Any, ...]:
    """What loading ``text`` gives: refused, or the value, its offset and its JSON text."""
    try:
        value = load(text)
    except runtime.DecodeError:
        return ("refused",)
    return ("read", value, getattr(value, "tzinfo", None), runtime.encode(value))


@SETTINGS
@given(mutated(DATE_TIMES))
def test_date_time_fast_path_agrees_with_the_strict_parser(text: str) -> None:
    strict = _outcome(runtime._load_datetime_text, text)
    assert _outcome(runtime._load_datetime, text) == strict
    assert strict[0] == "refused" or strict[3] == text  # written back as read
    # a model field: a plain datetime where the shape is common, the same value and offset
    assert _outcome(runtime._read_datetime, text)[:3] == strict[:3]


@SETTINGS
@given(mutated(DATES))
def test_date_fast_path_agrees_with_the_strict_parser(text: str) -> None:
    fast = _outcome(runtime._load_date, text)
    assert fast == _outcome(runtime._load_date_text, text)
    assert fast[0] == "refused" or fast[3] == text


@pytest.mark.skipif(sys.version_info < (3, 11), reason="fromisoformat reads Z from 3.11 on")
@pytest.mark.parametrize("text", DATE_TIMES)
def test_common_date_times_take_the_fast_path(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime, "_load_datetime_text", None)  # calling it would fail
    assert type(runtime._read_datetime(text)) is datetime
    loaded = runtime._load_datetime(text)
    assert isinstance(loaded, runtime.JsonDateTime) and loaded.text == text
    assert runtime.encode(loaded) == text


UUIDS = ["5ef87410-307e-4171-9fea-b4d4e638964e", "5EF87410-307E-4171-9FEA-B4D4E638964E"]
UUID_SHAPE = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")


@SETTINGS
@given(mutated(UUIDS))
def test_uuids_are_read_exactly_when_they_have_the_shape(text: str) -> None:
    outcome = _outcome(runtime._load_uuid, text)
    assert (outcome[0] == "read") is (UUID_SHAPE.fullmatch(text) is not None)
    assert outcome[0] == "refused" or (outcome[1] == uuid.UUID(text) and outcome[3] == text)


@pytest.mark.parametrize("text", UUIDS)
def test_uuids_read_without_uuid_init(text: str) -> None:
    loaded = runtime._load_uuid(text)
    assert loaded == uuid.UUID(text) and loaded.is_safe is uuid.SafeUUID.unknown
    assert runtime.encode(loaded) == text and hash(loaded) == hash(uuid.UUID(text))
    for bad in ("0x" + text[2:], text[:-1] + "g", " " + text[1:], text.replace("-", "_")):
        with pytest.raises(runtime.DecodeError):
            runtime._load_uuid(bad)


def test_date_time_fields_are_plain_and_the_model_keeps_their_text() -> None:
    doc = {"created": "2025-03-11T09:41:27.118204Z", "lastUpdated": "2025-03-11T10:17:52Z"}
    task = shm.BatchV2ProcessTask.from_dict(doc)
    assert type(task.created) is datetime and type(task.last_updated) is datetime
    copies = [copy.copy(task), copy.deepcopy(task), pickle.loads(pickle.dumps(task))]
    for copied in [*copies, task.with_defaults()]:
        assert copied.to_dict() == doc
    kept = task.created
    task.created = kept + timedelta(0)  # an equal value, but set in Python: written anew
    assert task.to_dict()["created"] == kept.isoformat() != doc["created"]
    task.created = kept  # the value that was read: its text again
    assert task.to_dict() == doc
