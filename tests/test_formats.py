"""Every asserted ``format`` is really checked, by both engines, with the same verdicts."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from rfc3986_validator import URI_RE_COMP, URI_REF_RE_COMP  # type: ignore[import-untyped]

import schemakit
from schemakit.core.formats import (
    ASSERTED_FORMATS,
    FAST_FORMATS,
    FORMAT_CHECKER,
    INTEGER_RANGES,
    fast_format_keywords,
    string_format_functions,
)
from schemakit.core.walk import iter_subschemas
from schemakit.validate.engine import fast_schema

UUID = "5ef87410-307e-4171-9fea-b4d4e638964e"

# format -> (a valid value, an invalid value); the README's "Which formats are asserted"
# table lists the same formats.
TABLE: dict[str, tuple[Any, Any]] = {
    "uuid": (UUID, "5ef87410-307e-4171-9fea-b4d4e638964"),
    "date-time": ("2025-03-11T09:44:03.527391Z", "2025-02-29T09:44:03Z"),
    "date": ("2024-02-29", "2025-02-29"),
    "time": ("09:44:03+01:00", "24:00:00Z"),
    "duration": ("P1DT2H", "P1H"),
    "uri": ("s3://my-batch-results/tiles?x=1", "/relative/path"),
    "uri-reference": ("../tiles/a.tif#b", "http://exa mple.com"),
    "iri": ("https://例え.jp/パス", "例え"),
    "iri-reference": ("../パス", "http://exa mple.com"),
    "email": ("user@example.com", "user.example.com"),
    "idn-email": ("用户@例子.广告", "用户例子.广告"),
    "hostname": ("api.sentinel-hub.com", "-bad-.com"),
    "idn-hostname": ("例え.jp", "-bad-.jp"),
    "ipv4": ("192.168.0.1", "256.1.1.1"),
    "ipv6": ("2001:db8::1", "2001:db8:::1"),
    "json-pointer": ("/a/b~1c", "a/b"),
    "relative-json-pointer": ("1/a", "/a"),
    "regex": ("^[a-z]+$", "([a-z"),
    "uri-template": ("https://example.com/{id}", "https://example.com/{id"),
    "int8": (-128, 128),
    "int16": (32767, -32769),
    "int32": (2**31 - 1, 2**31),
    "int64": (-(2**63), 2**63),
    "uint8": (255, -1),
    "uint16": (65535, 65536),
    "uint32": (2**32 - 1, 2**32),
    "uint64": (2**64 - 1, 2**64),
    "float": (3.4e38, 3.5e38),
    "double": (1e308, float("inf")),  # see test_non_finite_numbers
    "byte": ("aGVsbG8=", "aGVsbG8"),
}
ANNOTATIONS = {"binary", "password"}  # asserted as "anything goes"


def test_the_table_covers_every_asserted_format() -> None:
    assert set(TABLE) | ANNOTATIONS == set(ASSERTED_FORMATS)


@pytest.mark.parametrize("name", sorted(set(TABLE) - {"double"}))
def test_format_is_checked(name: str) -> None:
    good, bad = TABLE[name]
    assert FORMAT_CHECKER.conforms(good, name)
    assert not FORMAT_CHECKER.conforms(bad, name)
    validator = schemakit.Validator({"format": name}, "f")
    assert validator.is_valid(good) and validator.errors(good) == []
    assert not validator.is_valid(bad)
    issues = validator.errors(bad)
    assert [(issue.pointer, issue.rule, issue.schema_path) for issue in issues] == [
        ("", "format", "/format")
    ]
    assert repr(name) in issues[0].message
    # the same deep inside a document, as a property beside a type
    typed = schemakit.Validator(
        {"properties": {"x": {"type": ["string", "number"], "format": name}}}, "f"
    )
    assert typed.is_valid({"x": good}) and not typed.is_valid({"x": bad})
    assert [issue.pointer for issue in typed.errors({"x": bad})] == ["/x"]


@pytest.mark.parametrize("name", sorted(ANNOTATIONS | {"integer", "unknown-format"}))
def test_annotation_formats_accept_anything(name: str) -> None:
    validator = schemakit.Validator({"format": name}, "f")
    for value in ("", "x" * 100, 5, None, [1]):
        assert validator.is_valid(value)


@pytest.mark.parametrize(
    ("name", "other_type"),
    [("uuid", 5), ("date-time", None), ("uri", ["x"]), ("int32", "2147483648"), ("byte", 1)],
)
def test_a_format_applies_to_its_own_type_only(name: str, other_type: Any) -> None:
    assert schemakit.Validator({"format": name}, "f").is_valid(other_type)


# Where schemakit's reference deliberately differs from jsonschema's stock checkers:
# (format, value, schemakit's verdict, the stock verdict)
CORRECTIONS = [
    ("date-time", "2016-12-31T23:59:60Z", True, False),  # a leap second
    ("date-time", "1998-12-31T15:59:60.123-08:00", True, False),  # the same, local time
    ("date-time", "2025-03-11T09:44:60Z", False, False),  # :60, but not at 23:59 UTC
    ("date-time", "0000-01-01T00:00:00Z", True, False),  # RFC 3339 has a year 0000
    ("date-time", "2025-03-11T09:44:03Z\n", False, True),
    ("time", "23:59:60Z", True, False),
    ("time", "00:59:60+01:00", True, False),
    ("time", "09:44:03Z\n", False, True),
    ("date", "0000-02-29", True, False),  # 0000 is a leap year
    ("uri", "https://example.com/\n", False, True),
    ("uri-reference", "a/b\n", False, True),
    ("uuid", "5ef87410-307e-4171-9fea-b4d4-e638964e", False, True),  # hyphens elsewhere
    ("uuid", "5ef87410-307e-4171-9fea-b4d4e63896_e", False, True),  # int() takes "_"
]


@pytest.mark.parametrize(("name", "value", "valid", "stock"), CORRECTIONS)
def test_corrected_checkers(name: str, value: str, valid: bool, stock: bool) -> None:
    assert Draft202012Validator.FORMAT_CHECKER.conforms(value, name) is stock
    assert FORMAT_CHECKER.conforms(value, name) is valid
    assert schemakit.Validator({"format": name}, "f").is_valid(value) is valid


def test_non_finite_numbers() -> None:
    """Every JSON number is a finite double; NaN and infinities are not JSON (the readers
    reject them). Passed in through the Python API, the compiled validator gives them no
    JSON type at all, so they fail ``type`` even before the format."""
    for value in (float("inf"), float("-inf"), float("nan")):
        assert not FORMAT_CHECKER.conforms(value, "double")
        validator = schemakit.Validator({"type": "number", "format": "double"}, "f")
        assert not validator.is_valid(value)
        assert validator.errors(value) != []
    assert schemakit.Validator({"format": "double"}, "f").is_valid(1e308)


def test_huge_integers_do_not_overflow_number_formats() -> None:
    for name in ("double", "float"):
        expected = name == "double"
        assert FORMAT_CHECKER.conforms(10**400, name) is expected
        assert schemakit.Validator({"format": name}, "f").is_valid(10**400) is expected


def _numbers() -> list[Any]:
    values: list[Any] = [0, 1, -1, 1.0, -0.0, 1.5, 1e300, -1e300, 3.4028234663852886e38, True]
    for low, high in INTEGER_RANGES.values():
        values += [low - 1, low, high, high + 1, float(low), float(high), float(high) * 2]
    return values


@pytest.mark.parametrize("name", sorted(set(INTEGER_RANGES) | {"float", "double"}))
def test_numeric_formats_agree_at_the_boundaries(name: str) -> None:
    validator = schemakit.Validator({"format": name}, "f")
    for value in _numbers():
        expected = FORMAT_CHECKER.conforms(value, name)
        assert validator.is_valid(value) is expected, (name, value)
        assert (validator.errors(value) == []) is expected, (name, value)


# -- the compiled validator's forms of the formats agree with the reference --------------
SEEDS = {
    "date-time": [
        "2025-03-11T09:44:03.527391Z",
        "2024-02-29t23:59:59+14:00",
        "2000-02-29T00:00:00-00:00",
        "1900-02-28T12:00:00Z",
        "0000-02-29T00:00:00Z",
        "2016-12-31T23:59:60Z",
        "2025-03-11T00:29:60+00:30",
    ],
    "date": ["2025-03-11", "2024-02-29", "2000-02-29", "1900-02-28", "0000-02-29", "0100-02-29"],
    "time": ["09:44:03Z", "23:59:59.123+01:00", "00:00:00-23:59", "23:59:60Z", "15:59:60-08:00"],
    "uuid": [UUID, UUID.upper()],
    "uri": [
        "https://user:pw@example.com:8080/a/b?c=d&e#f",
        "s3://my-batch-results/x",
        "urn:isbn:0451450523",
        "http://[2001:db8::1]/",
        "http://[::ffff:01.2.3.4]/",
        "http://[v1.x]/",
        "file:///etc/passwd",
        "http://1.2.3.4/%20x",
    ],
    "uri-reference": ["../a/b?c#d", "//host/p", "", "#f", "?q", "/abs/%41", "//[::1]:0/"],
}
ALPHABET = list("0123456789-:Tt Zz+./?#[]@%aAfFgxv_~!$&'()*,;={}\n\\é٣０")


def _mutants(seeds: list[str], count: int, rng: random.Random) -> list[str]:
    result = []
    for _ in range(count):
        text = list(rng.choice(seeds))
        if rng.random() < 0.5:
            text = [str(rng.randint(0, 9)) if c.isdigit() else c for c in text]
        for _ in range(rng.randint(0, 3)):
            position = rng.randint(0, len(text))
            roll = rng.random()
            if roll < 0.4 and text:
                text[min(position, len(text) - 1)] = rng.choice(ALPHABET)
            elif roll < 0.7:
                text.insert(position, rng.choice(ALPHABET))
            elif text:
                del text[min(position, len(text) - 1)]
        result.append("".join(text))
    return result


@pytest.mark.parametrize("name", sorted(FAST_FORMATS))
def test_fast_formats_agree_with_the_reference_on_mutants(name: str) -> None:
    validator = schemakit.Validator({"format": name}, "f")
    values = _mutants(SEEDS[name], 1500, random.Random(name))
    verdicts = {value: FORMAT_CHECKER.conforms(value, name) for value in values}
    assert True in verdicts.values() and False in verdicts.values()
    disagreements = [v for v, ok in verdicts.items() if validator.is_valid(v) is not ok]
    assert disagreements == []


def _regex_strategy(name: str) -> st.SearchStrategy[str]:
    """Strings the reference accepts by construction (plus arbitrary text)."""
    if name in ("uri", "uri-reference"):
        source = URI_RE_COMP if name == "uri" else URI_REF_RE_COMP
        pattern = re.compile(source.pattern[1:-1], re.VERBOSE)
    else:
        digits = {
            "date": r"[0-9]{4}-[01][0-9]-[0-3][0-9]",
            "time": r"[0-2][0-9]:[0-6][0-9]:[0-6][0-9](\.[0-9]{1,3})?"
            r"([Zz]|[+-][0-2][0-9]:[0-5][0-9])",
            "uuid": r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
        }
        digits["date-time"] = digits["date"] + "[Tt]" + digits["time"]
        pattern = re.compile(digits[name])
    return st.from_regex(pattern, fullmatch=True) | st.text(max_size=30)


@pytest.mark.parametrize("name", sorted(FAST_FORMATS))
def test_fast_formats_agree_with_the_reference_on_generated_strings(name: str) -> None:
    validator = schemakit.Validator({"format": name}, "f")

    @settings(
        max_examples=100,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(_regex_strategy(name))
    def agree(value: str) -> None:
        assert validator.is_valid(value) is FORMAT_CHECKER.conforms(value, name)

    agree()


def test_sentinel_formats_need_no_python_callbacks(sentinel: schemakit.SchemaSet) -> None:
    """The compiled validator checks the task's formats itself (a call into Python per
    string would cost more than the rest of the validation)."""
    fast = fast_schema(sentinel.bundle("BatchV2ProcessTask")).schema
    formats = {node["format"] for node, _b, _p in iter_subschemas(fast, "") if "format" in node}
    assert formats == {"date-time", "uuid"}
    assert formats.isdisjoint(string_format_functions())
    for name in ("date-time", "uuid", "uri", "int32", "double"):
        assert fast_format_keywords(name) is not None
    for name in ("email", "hostname", "ipv4", "regex"):  # checked by calling back
        assert fast_format_keywords(name) is None
