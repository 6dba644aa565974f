"""Reproducible draws: document *i* of a seed is the same on every run and machine.

Hypothesis' own entry points are built for testing, not for reproducible output:
``strategy.example()`` is random on every call, and ``@given`` (even with ``@seed``) starts
from the simplest example, skips duplicates and stops early on small spaces. So documents are
drawn the way ``@given`` draws them internally, from a ``ConjectureData`` whose choices come
from ``random.Random("<seed>:<index>:<attempt>")`` (string seeds hash the same on every run).
Document *i* therefore depends only on the seed and *i*: the first 10 of 1000 fixtures are
the 10 fixtures of ``-n 10``. Hypothesis normally mixes in constants it finds in the modules
that happen to be loaded; those are switched off, so output does not depend on what else the
process imported.

This lives with the strategies (not with the fixtures command) because every layer that
draws documents for a seed uses it: fixtures, invalid-document records, the pytest plugin
and ``schemakit diff``'s witness search (which sits below ``testing``).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

from hypothesis import strategies as st
from hypothesis.control import BuildContext
from hypothesis.errors import StopTest, UnsatisfiedAssumption
from hypothesis.internal.conjecture.data import ConjectureData
from hypothesis.internal.conjecture.providers import HypothesisProvider

from ..core.errors import FixtureError

# A draw that is rejected (a filter or size limit) is retried with the next attempt number.
MAX_ATTEMPTS = 100


class _SeededProvider(HypothesisProvider):
    """Hypothesis' provider without the constants it collects from loaded modules."""

    def _maybe_draw_constant(self, *args: Any, **kwargs: Any) -> None:
        return None


def draw(
    strategy: st.SearchStrategy[Any], seed: int, index: int, attempts: int = MAX_ATTEMPTS
) -> Any:
    """Document ``index`` of ``seed``: the same value on every run and machine.

    ``attempts`` bounds the retries of a rejected draw; callers on a time budget pass a
    small number and move on to the next index."""
    for attempt in range(attempts):
        data = ConjectureData(
            random=random.Random(f"{seed}:{index}:{attempt}"), provider=_SeededProvider
        )
        try:
            with BuildContext(data, is_final=False, wrapped_test=draw):
                return data.draw(strategy)
        except (StopTest, UnsatisfiedAssumption):
            continue  # too large or filtered out: try the next attempt
    raise FixtureError(f"no document after {attempts} attempts (document {index + 1})")


def documents(
    strategy: st.SearchStrategy[Any],
    count: int,
    seed: int,
    check: Callable[[Any], list[Any]] | None = None,
) -> Iterator[Any]:
    """``count`` documents for ``seed``; ``check`` returns the problems of one (if any)."""
    for index in range(count):
        document = draw(strategy, seed, index)
        problems = check(document) if check is not None else []
        if problems:
            raise FixtureError(f"generated document {index + 1} is invalid: {problems[0]}")
        yield document
