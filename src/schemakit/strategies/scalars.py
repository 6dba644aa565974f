"""Numbers as packed leaves: integers and decimals decoded from a few bytes.

Values look like what documents carry (small integers, decimals with a few places, the
bounds themselves) with room for edge cases (integers of any size, floats of any magnitude,
-0.0, the largest double). Zero bytes decode to 0, or to the bound nearest to it.
"""

from __future__ import annotations

import math
import struct
import sys
from collections.abc import Callable
from decimal import Decimal, InvalidOperation, localcontext
from fractions import Fraction
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

from .choices import floating, number, packed

FLOAT_MAX = sys.float_info.max
# Numbers without bounds stay within this, as most numbers in documents do (bounds win).
DECIMAL_RANGE = 10**6
_INTEGER_WIDTH = 9  # a header byte and a 64-bit amount
_NASTY: tuple[float, ...] = (
    *(0.0, -0.0, 1.0, -1.0, 0.5, 1e-9, 5e-324, -5e-324, 2.2250738585072014e-308),
    *(FLOAT_MAX, -FLOAT_MAX, 3.4028234663852886e38, 9007199254740992.0, 1e300),
)


def is_multiple(value: float, step: float) -> bool:
    """``multipleOf`` as both engines decide it, so a generated value passes both: the
    reference (``jsonschema``) divides in floating point, the compiled validator
    (``jsonschema-rs``) divides the numbers as written in decimal exactly (it rejects
    ``3152 * 0.0001``, which is ``0.31520000000000004``, where the reference accepts it)."""
    if isinstance(step, float):
        quotient = value / step
        try:
            divides = int(quotient) == quotient
        except OverflowError:
            divides = (Fraction(value) / Fraction(step)).denominator == 1
        return divides and _decimal_multiple(value, step)
    if isinstance(value, float):
        return not value % step and _decimal_multiple(value, step)
    return not value % step


def _decimal_multiple(value: float, step: float) -> bool:
    with localcontext() as context:
        context.prec = 800  # room for the quotient of any two doubles' decimal forms
        try:
            return Decimal(repr(value)) % Decimal(repr(step)) == 0
        except InvalidOperation:
            return False


def spread(amount: int, lowest: int, highest: int) -> int | None:
    """``amount`` mapped into [lowest, highest]: 0, -1, 1, -2, ... first when 0 is inside,
    else counting from the bound nearest 0."""
    if lowest > highest:
        return None
    span = highest - lowest + 1
    if lowest <= 0 <= highest:
        value = (amount + 1) // 2 * (-1 if amount % 2 else 1)
        if lowest <= value <= highest:
            return value
    return lowest + amount % span if lowest > 0 else highest - amount % span


def _magnitude(header: int, amount: int) -> int:
    """Any size, from 0 to 2**63: the header picks the number of bits."""
    return (amount >> 1) % (1 << (header % 64))


def integer_value(raw: bytes, low: int | None, high: int | None) -> int:
    """An integer in [low, high] from ``_INTEGER_WIDTH`` bytes."""
    header, amount = raw[0], number(raw[1:])
    if low is not None and high is not None:
        edge = header % 16  # the bounds themselves now and then: that is where bugs are
        if edge == 1:
            return low
        if edge == 2:
            return high
        value = spread(amount, low, high)
        if value is None:  # an empty range (the normaliser prunes those): nothing to draw
            reject()
        return value
    bound = low if low is not None else high
    if bound is None:
        value = _magnitude(header, amount)
        return -value if amount & 1 else value
    kind = header % 20  # 0: the bound, 1-9: near it, else anywhere on its side
    offset = 0 if kind == 0 else amount % 101 if kind < 10 else _magnitude(header // 20, amount)
    return bound + offset if low is not None else bound - offset


def integers(low: int | None, high: int | None) -> st.SearchStrategy[int]:
    """Integers in range; with one bound, values near it are common."""
    return packed(_INTEGER_WIDTH, lambda raw, draw: integer_value(raw, low, high))


def multiples(low: int | None, high: int | None, unit: int, step: Any) -> st.SearchStrategy[int]:
    """Integers k * unit within bounds that are multiples of ``step`` (unit makes them so)."""
    k_low = None if low is None else -(-low // unit)
    k_high = None if high is None else high // unit
    exact = isinstance(step, int)

    def decode(raw: bytes, draw: st.DrawFn) -> int:
        value = integer_value(raw, k_low, k_high) * unit
        if not exact and not is_multiple(value, step):
            reject()  # float arithmetic disagrees with exact arithmetic; rare
        return value

    return packed(_INTEGER_WIDTH, decode)


def float_bound(bound: tuple[float, bool], towards: float) -> float:
    """The float nearest an (exclusive) bound, inside the range, clamped to finite floats."""
    value = max(-FLOAT_MAX, min(FLOAT_MAX, float(bound[0])))
    return math.nextafter(value, towards) if bound[1] else value


def decimals(
    low: float | None,
    high: float | None,
    inside: Callable[[float], bool],
    ints: tuple[int | None, int | None] | None,
) -> st.SearchStrategy[Any]:
    """Numbers within (low, high): mostly decimals with 0-4 places (within +-10^6 unless the
    bounds say otherwise), else integers of any size or floats of any magnitude.

    ``ints`` are the integer bounds, ``None`` if no integer is in range.
    """
    bottom = -DECIMAL_RANGE if low is None else max(low, -DECIMAL_RANGE)
    top = DECIMAL_RANGE if high is None else min(high, DECIMAL_RANGE)
    nasty = [value for value in _NASTY if inside(value)]

    def decode(raw: bytes, draw: st.DrawFn) -> Any:
        kind, amount, rest = raw[0] % 8, number(raw[1:5]), raw[5:]
        if kind == 5 and ints is not None:
            return integer_value(rest, *ints)
        if kind == 6:
            value = struct.unpack(">d", rest[:8])[0]
            if math.isfinite(value) and inside(value):
                return value
        if kind == 7 and nasty:
            return nasty[amount % len(nasty)]
        places = kind if kind < 5 else 0
        if bottom <= top:
            scale = 10**places
            scaled = spread(amount, math.ceil(bottom * scale), math.floor(top * scale))
            if scaled is not None:
                value = scaled / scale if places else scaled
                if inside(value):
                    return value
        value = floating(draw, low, high)  # a range too narrow for decimals
        if not inside(value):
            reject()  # a bound that is not a float (a huge integer); rare
        return value

    return packed(5 + _INTEGER_WIDTH, decode)


def float_multiples(
    low: tuple[float, bool] | None,
    high: tuple[float, bool] | None,
    step: Any,
    inside: Callable[[float], bool],
) -> st.SearchStrategy[Any]:
    """Numbers k * step within the bounds, multiples for both engines (``is_multiple``).

    k * step is taken in decimal (the double nearest 3152 * 0.0001 is 0.3152, which the
    compiled validator accepts; the product of the doubles is not); the reference divides
    in floating point, so with a fractional step some multiples still fail there
    (0.0003 / 0.0001 is 2.9999999999999996): a few neighbours of k are tried, and k stays
    within +-10^6 unless the bounds say otherwise.
    """
    decimal_step = Decimal(repr(step))
    k_low = -DECIMAL_RANGE if low is None else math.ceil(low[0] / step)
    k_high = DECIMAL_RANGE if high is None else math.floor(high[0] / step)
    if low is None and high is not None:
        k_low = min(k_low, k_high)
    if high is None and low is not None:
        k_high = max(k_high, k_low)

    def decode(raw: bytes, draw: st.DrawFn) -> Any:
        k = integer_value(raw, k_low, k_high)
        for candidate in (k, k + 1, k - 1, k + 2, k - 2, 2 * k, k // 2, 0):
            value = float(candidate * decimal_step)
            if inside(value) and is_multiple(value, step):
                return value
        reject()  # no float near k * step passes; rare

    return packed(_INTEGER_WIDTH, decode)
