"""Which ``format`` values schemakit asserts, and how.

``FORMAT_CHECKER`` is the reference: every draft 2020-12 format is asserted with the
checkers that ``jsonschema[format-nongpl]`` installs, except where those are plainly off:

* ``date``, ``time``, ``date-time``: RFC 3339 read as the JSON Schema test suite reads it,
  by schemakit's own functions: a leap second only at 23:59:60 UTC, years 0000-9999. The
  stock ones reject every leap second and the year 0000, and take a trailing newline.
* ``uri``, ``uri-reference``: the stock regex, without Python's ``$`` quirk that also
  accepts a trailing newline.
* ``uuid``: exactly the RFC 4122 ``8-4-4-4-12`` hex form (``uuid.UUID()``, which the stock
  checker relies on, also takes extra hyphens and underscores).
* ``email``, ``idn-email``: an RFC 5321 / RFC 6531 mailbox (``schemakit.core.email``); the
  stock checks only look for an ``@``.
* ``regex``: ECMA-262, in the engine that matches ``pattern`` (named groups are
  ``(?<name>...)`` there); the stock check compiles with Python's ``re``.

On top of those, the OpenAPI formats are real assertions, not annotations:

==========  =============================================================
``int8``…    integer value within the signed/unsigned range of that width
``float``    finite number whose magnitude fits a 32-bit IEEE float
``double``   finite number
``byte``     standard base64 (RFC 4648) with correct padding
==========  =============================================================

``binary`` and ``password`` carry no constraint. Unknown formats are annotations.

The compiled validator gets the same rules in the cheapest form that gives the same
verdicts (``fast_format_keywords``): numeric formats as ``minimum``/``maximum``/
``multipleOf``; ``date``, ``time``, ``date-time`` and ``uuid`` as its own built-in checks
(which agree with the reference); ``uri`` and ``uri-reference`` as the reference's regex
in Rust syntax; every other format as a call back into ``FORMAT_CHECKER``. The
differential tests check that the two forms agree.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import math
import re
from collections.abc import Callable
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from .email import is_email, is_idn_email
from .regex import is_regex

FLOAT32_MAX = 3.4028234663852886e38

# (minimum, maximum) of each OpenAPI integer format.
INTEGER_RANGES: dict[str, tuple[int, int]] = {
    "int8": (-(2**7), 2**7 - 1),
    "int16": (-(2**15), 2**15 - 1),
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
    "uint8": (0, 2**8 - 1),
    "uint16": (0, 2**16 - 1),
    "uint32": (0, 2**32 - 1),
    "uint64": (0, 2**64 - 1),
}
FLOAT_RANGES: dict[str, tuple[float, float]] = {
    "float": (-FLOAT32_MAX, FLOAT32_MAX),
    "double": (-math.inf, math.inf),
}
NUMERIC_FORMATS = frozenset(INTEGER_RANGES) | frozenset(FLOAT_RANGES)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _integer_format(low: int, high: int) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        if not _is_number(value):
            return True
        if isinstance(value, float) and not value.is_integer():
            return False
        return bool(low <= value <= high)

    return check


def _float_format(low: float, high: float) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        if not _is_number(value):
            return True
        if isinstance(value, int):  # exact comparison; math.isfinite(10**400) overflows
            return bool(low <= value <= high)
        return math.isfinite(value) and low <= value <= high

    return check


def _is_base64(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _anything(value: Any) -> bool:
    return True


# -- RFC 3339 dates and times ----------------------------------------------------------
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_TIME = re.compile(
    r"([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))"
)
_LEAP_SECOND_UTC = 23 * 60 + 59  # a leap second is inserted after 23:59:59 UTC


def is_date(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    match = _DATE.fullmatch(value)
    if match is None:
        return False
    year, month, day = (int(group) for group in match.groups())
    # Year 0 is a leap year like 2000 (proleptic Gregorian); Python's calendar starts at 1.
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year or 2000, month)[1]


def is_time(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    match = _TIME.fullmatch(value)
    if match is None:
        return False
    hour, minute, second = int(match[1]), int(match[2]), int(match[3])
    offset_hour, offset_minute = int(match[5] or 0), int(match[6] or 0)
    if hour > 23 or minute > 59 or second > 60 or offset_hour > 23 or offset_minute > 59:
        return False
    if second < 60:
        return True
    offset = (offset_hour * 60 + offset_minute) * (-1 if match[4] == "-" else 1)
    return (hour * 60 + minute - offset) % (24 * 60) == _LEAP_SECOND_UTC


def is_date_time(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    return value[10:11] in ("T", "t") and is_date(value[:10]) and is_time(value[11:])


# -- the stock checkers, corrected ----------------------------------------------------
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _no_trailing_newline(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    # The stock regex ends in "$", which also matches before a final "\n".
    return lambda value: not (isinstance(value, str) and value.endswith("\n")) and check(value)


def _strict_uuid(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda value: not isinstance(value, str) or bool(_UUID.fullmatch(value) and check(value))


# format -> how the stock checker is corrected (see the module docstring)
CORRECTED: dict[str, Callable[[Callable[[Any], bool]], Callable[[Any], bool]]] = {
    "uri": _no_trailing_newline,
    "uri-reference": _no_trailing_newline,
    "uuid": _strict_uuid,
}


def build_format_checker() -> FormatChecker:
    """A checker with every draft 2020-12 format plus the OpenAPI formats."""
    checker = FormatChecker()
    checker.checkers = dict(Draft202012Validator.FORMAT_CHECKER.checkers)
    for name, correct in CORRECTED.items():
        func, raises = checker.checkers[name]
        checker.checkers[name] = (correct(func), raises)
    own: dict[str, Callable[[Any], bool]] = {
        "date": is_date,
        "time": is_time,
        "date-time": is_date_time,
        "email": is_email,
        "regex": is_regex,
        "idn-email": is_idn_email,
        "byte": _is_base64,
        "binary": _anything,
        "password": _anything,
    }
    own.update({name: _integer_format(*bounds) for name, bounds in INTEGER_RANGES.items()})
    own.update({name: _float_format(*bounds) for name, bounds in FLOAT_RANGES.items()})
    for name, func in own.items():
        checker.checkers[name] = (func, ())
    return checker


FORMAT_CHECKER = build_format_checker()
ASSERTED_FORMATS = tuple(sorted(FORMAT_CHECKER.checkers))


# -- the same rules for the compiled validator ----------------------------------------
def _rust_syntax(pattern: re.Pattern[str]) -> str:
    # Verbose mode reads the same in Rust; Python's "{,n}" is Rust's "{0,n}", and Rust's
    # "$" never matches before a final newline (as the corrected checker).
    return "(?x)" + pattern.pattern.replace("{,", "{0,")


def _uri_pattern(name: str) -> dict[str, Any]:
    # imported on first use: rfc3986_validator compiles its grammar when imported
    from rfc3986_validator import URI_RE_COMP, URI_REF_RE_COMP  # type: ignore[import-untyped]

    return {"pattern": _rust_syntax(URI_RE_COMP if name == "uri" else URI_REF_RE_COMP)}


# The compiled validator's own checks cost a fraction of a regex, let alone a call into
# Python, so they are used where they agree with the reference. Its uri checks are
# stricter (no leading zeros in an IPv4 inside an IPv6 literal), hence the regex there.
# Each entry makes a fresh dict: callers add to it.
FAST_FORMATS: dict[str, Callable[[], dict[str, Any]]] = {
    "date": lambda: {"format": "date"},
    "time": lambda: {"format": "time"},
    "date-time": lambda: {"format": "date-time"},
    "uuid": lambda: {"format": "uuid"},
    "uri": lambda: _uri_pattern("uri"),
    "uri-reference": lambda: _uri_pattern("uri-reference"),
}


def numeric_format_keywords(name: str) -> dict[str, Any] | None:
    """The keywords that express a numeric format, for validators that only see strings."""
    if name in INTEGER_RANGES:
        low, high = INTEGER_RANGES[name]
        return {"minimum": low, "maximum": high, "multipleOf": 1}
    if name == "float":
        return {"minimum": -FLOAT32_MAX, "maximum": FLOAT32_MAX}
    return None


def fast_format_keywords(name: str) -> dict[str, Any] | None:
    """Keywords that replace ``format: name`` in the compiled validator's schema, or None
    when the format must stay a call into ``FORMAT_CHECKER``.

    ``{}`` means nothing to check: ``double`` (JSON numbers are finite), ``binary``,
    ``password`` and formats the reference does not assert.
    """
    if name in FAST_FORMATS:
        return FAST_FORMATS[name]()
    if name in NUMERIC_FORMATS:
        return numeric_format_keywords(name) or {}
    if name in ("binary", "password") or name not in FORMAT_CHECKER.checkers:
        return {}
    return None


def string_format_functions(
    checker: FormatChecker = FORMAT_CHECKER,
) -> dict[str, Callable[[str], bool]]:
    """``format -> predicate`` for the formats the compiled validator calls back for."""

    def predicate(name: str) -> Callable[[str], bool]:
        return lambda value: checker.conforms(value, name)

    return {
        name: predicate(name) for name in checker.checkers if fast_format_keywords(name) is None
    }
