"""Which ``format`` values schemakit asserts, and how.

All 19 draft 2020-12 formats are checked with the checkers that ``jsonschema[format-nongpl]``
installs. On top of those, the OpenAPI formats are real assertions, not annotations:

==========  =============================================================
``int8``…    integer value within the signed/unsigned range of that width
``float``    finite number whose magnitude fits a 32-bit IEEE float
``double``   finite number
``byte``     standard base64 (RFC 4648) with correct padding
==========  =============================================================

``binary`` and ``password`` carry no constraint. Unknown formats are annotations.
The same Python functions back the fast validator, so both give the same verdicts.
"""

from __future__ import annotations

import base64
import binascii
import math
from collections.abc import Callable
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

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


def build_format_checker() -> FormatChecker:
    """A checker with every draft 2020-12 format plus the OpenAPI formats."""
    checker = FormatChecker()
    checker.checkers = dict(Draft202012Validator.FORMAT_CHECKER.checkers)
    extra: dict[str, Callable[[Any], bool]] = {
        "byte": _is_base64,
        "binary": _anything,
        "password": _anything,
    }
    extra.update({name: _integer_format(*bounds) for name, bounds in INTEGER_RANGES.items()})
    extra.update({name: _float_format(*bounds) for name, bounds in FLOAT_RANGES.items()})
    for name, func in extra.items():
        checker.checkers[name] = (func, ())
    return checker


FORMAT_CHECKER = build_format_checker()
ASSERTED_FORMATS = tuple(sorted(FORMAT_CHECKER.checkers))


def string_format_functions(
    checker: FormatChecker = FORMAT_CHECKER,
) -> dict[str, Callable[[str], bool]]:
    """``format -> predicate`` for the compiled validator (which calls them on strings only)."""

    def predicate(name: str) -> Callable[[str], bool]:
        return lambda value: checker.conforms(value, name)

    return {name: predicate(name) for name in checker.checkers if name not in NUMERIC_FORMATS}


def numeric_format_keywords(name: str) -> dict[str, Any] | None:
    """The keywords that express a numeric format, for validators that only see strings."""
    if name in INTEGER_RANGES:
        low, high = INTEGER_RANGES[name]
        return {"minimum": low, "maximum": high, "multipleOf": 1}
    if name == "float":
        return {"minimum": -FLOAT32_MAX, "maximum": FLOAT32_MAX}
    return None
