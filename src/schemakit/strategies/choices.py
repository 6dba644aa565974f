"""Cheap choices inside composite strategies.

Hypothesis spends most of its time per *choice* (recording, replaying, mutating it) and per
nested strategy draw, not per byte of randomness. ``draw(st.integers(...))`` costs about twice
the engine's primitive ``ConjectureData.draw_integer``, and ``st.one_of`` builds a fresh
filtered ``sampled_from`` on every draw. So:

- *leaves* are strategies with a plain drawing function that containers call inline;
- *packed* leaves (enums, numbers, timestamps, uuids, readable text) decode their value from
  a fixed number of bytes, so an object draws one run of bytes for whether each optional
  property is present and for all of its packed properties: one choice instead of dozens.

Zero bytes decode to the simplest value (the first enum value, 0 or the nearest bound, the
shortest text, 1970-01-01T00:00:00Z), which is where shrinking heads. The primitives are
reached through the ``draw`` function's data; should a future Hypothesis not expose them,
the public strategies are used instead.
"""

from __future__ import annotations

import copy
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from hypothesis import strategies as st

T = TypeVar("T")


# Set to False to use only public Hypothesis strategies (the tests run both ways).
USE_PRIMITIVES = True


def _primitive(draw: st.DrawFn, name: str) -> Callable[..., Any] | None:
    """The engine's primitive draw behind ``draw`` (a ConjectureData method), if reachable."""
    if not USE_PRIMITIVES:
        return None
    found: Callable[..., Any] | None = getattr(getattr(draw, "__self__", None), name, None)
    return found


def spent(draw: st.DrawFn) -> int:
    """How much of Hypothesis' choice budget the test case has used so far (the engine's
    ``length``, 0 when unreachable). It only depends on the choices drawn before, so a draw
    that reads it replays the same way."""
    length = getattr(getattr(draw, "__self__", None), "length", 0)
    return length if isinstance(length, int) else 0


def direct(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """The strategy behind Hypothesis' lazy wrapper (saves an unwrap on every draw)."""
    return getattr(strategy, "wrapped_strategy", strategy)


@lru_cache(maxsize=4096)
def _integers(low: int | None, high: int | None) -> st.SearchStrategy[int]:
    return direct(st.integers(low, high))


def integer(draw: st.DrawFn, low: int | None, high: int | None) -> int:
    """An integer in [low, high] (either may be None), shrinking towards 0 or the bound."""
    primitive = _primitive(draw, "draw_integer")
    if primitive is not None:
        return int(primitive(low, high))
    return draw(_integers(low, high))


@lru_cache(maxsize=64)
def _binary(size: int) -> st.SearchStrategy[bytes]:
    return direct(st.binary(min_size=size, max_size=size))


def raw_bytes(draw: st.DrawFn, size: int) -> bytes:
    """``size`` uniformly random bytes in one choice (shrinks towards zero bytes)."""
    if size == 0:
        return b""
    primitive = _primitive(draw, "draw_bytes")
    return bytes(primitive(size, size) if primitive is not None else draw(_binary(size)))


def uniform(draw: st.DrawFn, size: int) -> int:
    """A uniformly random ``size``-byte integer in one choice (shrinks towards 0).

    Bounded integer draws favour small values over wide ranges; bytes do not, which spreads
    several small fields packed into one value (a timestamp's parts) evenly.
    """
    return int.from_bytes(raw_bytes(draw, size), "big")


Drawer = Callable[[st.DrawFn], Any]
# Strategies whose value can be drawn by calling a plain function inside another composite
# (no strategy draw of its own): objects draw such leaf properties inline.
_DRAWERS: weakref.WeakKeyDictionary[st.SearchStrategy[Any], Drawer] = weakref.WeakKeyDictionary()


@st.composite
def _drawn(draw: st.DrawFn, drawer: Drawer) -> Any:
    return drawer(draw)


def drawn_by(drawer: Drawer) -> st.SearchStrategy[Any]:
    """The strategy whose values ``drawer(draw)`` returns. One composite serves every drawer:
    decorating a function with ``st.composite`` costs Hypothesis a parse of its source
    (tens of milliseconds), which built per schema node used to dominate building."""
    return direct(_drawn(drawer))


def leaf(drawer: Drawer) -> st.SearchStrategy[Any]:
    """A strategy from ``drawer``, which containers may also call directly."""
    strategy = drawn_by(drawer)
    _DRAWERS[strategy] = drawer
    return strategy


def drawer_of(strategy: st.SearchStrategy[Any]) -> Drawer | None:
    return _DRAWERS.get(strategy)


_FLOAT_MAX = 1.7976931348623157e308


def floating(draw: st.DrawFn, low: float | None, high: float | None) -> float:
    """A finite float in [low, high] (inclusive bounds; None: unbounded)."""
    low = -_FLOAT_MAX if low is None else low
    high = _FLOAT_MAX if high is None else high
    primitive = _primitive(draw, "draw_float")
    if primitive is not None:
        return float(primitive(low, high, allow_nan=False))
    return draw(_floats(low, high))


@lru_cache(maxsize=1024)
def _floats(low: float, high: float) -> st.SearchStrategy[float]:
    return direct(st.floats(low, high, allow_nan=False, allow_infinity=False))


def value_of(draw: st.DrawFn, strategy: st.SearchStrategy[Any]) -> Any:
    """A value of ``strategy``, inline when it is a leaf."""
    drawer = _DRAWERS.get(strategy)
    return drawer(draw) if drawer is not None else draw(strategy)


def pick(draw: st.DrawFn, options: Sequence[T]) -> T:
    """One of ``options`` (shrinks towards the first)."""
    return options[integer(draw, 0, len(options) - 1)] if len(options) > 1 else options[0]


# -- packed leaves ------------------------------------------------------------------------

Decoder = Callable[[bytes, st.DrawFn], Any]


@dataclass(frozen=True)
class Packed:
    """A leaf decoded from ``width`` bytes (``decode`` may draw more, rarely)."""

    width: int
    decode: Decoder


_PACKED: weakref.WeakKeyDictionary[st.SearchStrategy[Any], Packed] = weakref.WeakKeyDictionary()


def packed(width: int, decode: Decoder) -> st.SearchStrategy[Any]:
    def draw_packed(draw: st.DrawFn) -> Any:
        return decode(raw_bytes(draw, width), draw)

    strategy = leaf(draw_packed)
    _PACKED[strategy] = Packed(width, decode)
    return strategy


def packed_of(strategy: st.SearchStrategy[Any]) -> Packed | None:
    return _PACKED.get(strategy)


def number(raw: bytes) -> int:
    return int.from_bytes(raw, "big")


def width_for(count: int) -> int:
    """Bytes needed to pick one of ``count`` options."""
    return 1 if count <= 256 else 2 if count <= 65536 else 4


def one_of(strategies: Sequence[st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """Like ``st.one_of``: a branch, then a value from it (one choice, one draw)."""
    if len(strategies) == 1:
        return strategies[0]
    branches = list(strategies)
    layouts = [packed_of(branch) for branch in branches]
    if all(layouts):
        parts = [p for p in layouts if p is not None]
        head = width_for(len(parts))

        def decode_one_of(raw: bytes, draw: st.DrawFn) -> Any:
            part = parts[number(raw[:head]) % len(parts)]
            return part.decode(raw[head : head + part.width], draw)

        return packed(head + max(p.width for p in parts), decode_one_of)
    drawers = [drawer_of(branch) for branch in branches]
    if all(drawers):
        leaves = [d for d in drawers if d is not None]

        def draw_leaf(draw: st.DrawFn) -> Any:
            return pick(draw, leaves)(draw)

        return leaf(draw_leaf)

    def draw_one_of(draw: st.DrawFn) -> Any:
        return draw(pick(draw, branches))

    return drawn_by(draw_one_of)


def sampled(values: Sequence[Any]) -> st.SearchStrategy[Any]:
    """One of the JSON ``values``; containers are copied, as callers may change them."""
    options = list(values)
    mutable = any(isinstance(v, (list, dict)) for v in options)
    if len(options) == 1 and not mutable:
        only = options[0]
        return packed(0, lambda raw, draw: only)

    def decode_sampled(raw: bytes, draw: st.DrawFn) -> Any:
        value = options[number(raw) % len(options)]
        return copy.deepcopy(value) if mutable else value

    return packed(width_for(len(options)), decode_sampled)
