"""Witness search: a document accepted by one version and rejected by the other, for one site.

Searching narrowed, the *src* version is OLD and the *tgt* version is NEW; widened, the
reverse. Candidates come from these generators, tried in turn, each draw reproducible for the
seed (``strategies.seeded``):

1. *lifted* (changes through refs only): the witnesses found for the referenced schema,
   put where the ref applies in a src document (``Witnesses`` keeps them, and makes them on
   demand for a schema that only inherits its change from the schemas it refers to);
2. *focused*: a value of the site's focus (``focus.py``) put where the site applies in a
   src document; under ``oneOf``/``not``/``if`` also the enclosing node's whole difference
   (that is where a change can flip direction);
3. *plain*: src documents as they come;
4. *mutated*: src documents with one rule of the tgt version broken (``strategies.invalid``),
   i.e. moved toward the tgt version's constraints.

A value is put in place twice: in the smallest container that holds it (``[value]``,
``{"key": value}``: often already a witness, and cheap) and in a drawn src document.

A candidate is a witness when the src validator accepts it, the tgt validator rejects it, and
the src version with *only this keyword* changed rejects it too: so a witness is never
reported against a keyword that is not what tells the versions apart for it. It is then
shrunk (members dropped, strings cut, numbers simplified) while all three still hold.
Everything stops at the deadline; the order of candidates, not the clock, decides which
witness is found, so a seed gives the same witness unless the budget cuts the search short.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import HypothesisException

from ..core.errors import SchemakitError, UnsatisfiableSchemaError
from ..strategies import from_schema, invalid
from ..strategies.seeded import draw
from ..validate.validator import Validator
from .changes import Anchor, RefUse, Site, Step, Trail
from .findings import Direction
from .focus import Focus, NoPlace, ends, splice
from .versions import Version

ROUNDS = 40  # candidates per generator and site, at most
CONTEXT_FROM = 4  # the round from which the enclosing oneOf/not/if node's focus is drawn
ATTEMPTS = 3  # retries of a rejected draw before moving on to the next index
SHRINK_CHECKS = 2000

# Generation can fail on a schema it cannot handle (and the validator of a focus can fail to
# compile: ValueError); the search then goes on without it, never with a guess.
GENERATION_ERRORS = (SchemakitError, HypothesisException, RecursionError, NoPlace, ValueError)

Candidates = Callable[[int], Any]  # index -> a candidate document (NoPlace: none this time)


# The smallest container for the first step of a trail.
_EMPTY: dict[str, Any] = {
    "key": {},
    "extra": {},
    "pattern": {},
    "item": [],
    "index": [],
    "opaque": {},
}


class Unsatisfiable(Exception):
    """The site's focus is empty: this keyword change cannot move documents this way."""


@dataclass(frozen=True)
class Outcome:
    witness: Any = None
    found: bool = False
    ruled_out: bool = False  # the focus is provably empty


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def passed(self) -> bool:
        return time.monotonic() >= self.end

    def left(self) -> float:
        return max(0.0, self.end - time.monotonic())


class Witnesses:
    """Witnesses found so far, by schema (NEW name) and direction.

    For a schema whose only change comes through refs (it inherits it), witnesses are made on
    demand from those of the schemas it refers to, put in place: nothing is spent on schemas
    whose witnesses no ``oneOf``/``not``/``if`` ever asks for."""

    def __init__(self, old: Version, new: Version, seed: int) -> None:
        self.old, self.new, self.seed = old, new, seed
        self.found: dict[str, dict[Direction, list[Any]]] = {}
        self.inherits: dict[str, tuple[str, list[RefUse]]] = {}  # NEW name -> (OLD name, refs)
        self.tried: set[tuple[str, Direction]] = set()

    def add(self, name: str, direction: Direction, witness: Any) -> None:
        self.found.setdefault(name, {}).setdefault(direction, []).append(witness)

    def get(self, name: str, direction: Direction, deadline: Deadline) -> list[Any]:
        if name in self.inherits and (name, direction) not in self.tried:
            self.tried.add((name, direction))  # first: refs may loop back here
            old_name, uses = self.inherits[name]
            search = PairSearch(self.old, self.new, old_name, name, self.seed, self)
            witness = search.lift(uses, direction, deadline)
            if witness is not None:
                self.add(name, direction, witness)
        return self.found.get(name, {}).get(direction, [])


class PairSearch:
    """Witness search for one schema pair, in both directions, sharing drawn documents."""

    def __init__(
        self,
        old: Version,
        new: Version,
        old_name: str,
        new_name: str,
        seed: int,
        known: Witnesses | None = None,
    ) -> None:
        self.sides = {
            Direction.narrowed: ((old, old_name), (new, new_name)),
            Direction.widened: ((new, new_name), (old, old_name)),
        }
        self.seed = seed
        self.known = known if known is not None else Witnesses(old, new, seed)
        self._focus: dict[Direction, Focus] = {}
        self._base: dict[tuple[Direction, int], Any] = {}
        self._fills: dict[tuple[Direction, str], st.SearchStrategy[Any]] = {}
        self._names: dict[str, st.SearchStrategy[str]] = {}

    def src(self, direction: Direction) -> tuple[Version, str]:
        return self.sides[direction][0]

    def tgt(self, direction: Direction) -> tuple[Version, str]:
        return self.sides[direction][1]

    def focus(self, direction: Direction) -> Focus:
        if direction not in self._focus:
            (src, src_name), (tgt, tgt_name) = self.sides[direction]
            self._focus[direction] = Focus(src.bundle(src_name), tgt.bundle(tgt_name))
        return self._focus[direction]

    # -- what makes a witness ----------------------------------------------------------------
    def check(self, site: Site, direction: Direction) -> Callable[[Any], bool]:
        """Whether a document tells the versions apart, and by this site's keyword."""
        (src, src_name), (tgt, tgt_name) = self.sides[direction]
        src_valid = src.validator(src_name).is_valid
        tgt_valid = tgt.validator(tgt_name).is_valid
        focus = self.focus(direction)
        at, other = ends(site.anchor.old, site.anchor.new, direction)
        moved = Validator(focus.with_node(at, focus.keyword_moved(at, other, site.keyword)))

        def holds(document: Any) -> bool:
            return src_valid(document) and not tgt_valid(document) and not moved.is_valid(document)

        return holds

    # -- generators --------------------------------------------------------------------------
    def base(self, direction: Direction, index: int) -> Any:
        """Document ``index`` of the src version (drawn once, shared by every site)."""
        key = (direction, index)
        if key not in self._base:
            src, name = self.src(direction)
            try:
                self._base[key] = draw(src.strategy(name), self.seed, index, ATTEMPTS)
            except GENERATION_ERRORS as exc:
                self._base[key] = NoPlace(str(exc))
        found = self._base[key]
        if isinstance(found, NoPlace):
            raise found
        return found

    def placed(self, direction: Direction, index: int, trail: Trail, value: Any) -> Any:
        """``value`` where ``trail`` leads: in the smallest container for even ``index``, in
        a drawn src document for odd ones (what is missing on the way is drawn)."""
        if not trail:
            return value
        base = _EMPTY[trail[0].kind] if index % 2 == 0 else self.base(direction, index // 2)
        focus = self.focus(direction)

        def fill(step: Step) -> Any:
            pointer = step.old if direction is Direction.narrowed else step.new
            key = (direction, pointer)
            if key not in self._fills:  # kept: compiling over the whole bundle is costly
                self._fills[key] = from_schema(focus.at(pointer))
            return draw(self._fills[key], self.seed, index, ATTEMPTS)

        def key_for(pattern: str) -> str:
            if pattern not in self._names:
                self._names[pattern] = from_schema({"type": "string", "pattern": pattern})
            return str(draw(self._names[pattern], self.seed, index, ATTEMPTS))

        return splice(base, trail, value, fill, key_for)

    def lifted(self, direction: Direction, site: Site, deadline: Deadline) -> Iterator[Any]:
        """Witnesses of the referenced schemas put in place: those already found first, then
        those made on demand. Either direction of a referenced schema can move this one
        either way under ``oneOf``."""
        for on_demand in (False, True):
            for use in site.refs:
                for way in Direction:
                    if on_demand:
                        witnesses = self.known.get(use.name, way, deadline)
                    else:
                        witnesses = self.known.found.get(use.name, {}).get(way, [])
                    for number, witness in enumerate(witnesses):
                        for index in (2 * number, 2 * number + 1):  # smallest, then drawn
                            try:
                                yield self.placed(direction, index, use.trail, witness)
                            except GENERATION_ERRORS:
                                continue

    def focused(self, direction: Direction, anchor: Anchor, keyword: tuple[str, ...]) -> Candidates:
        src, tgt = ends(anchor.old, anchor.new, direction)
        try:
            values = from_schema(self.focus(direction).difference(src, tgt, keyword))
        except UnsatisfiableSchemaError:
            raise Unsatisfiable(str(keyword)) from None
        return lambda index: self.placed(
            direction, index, anchor.trail, draw(values, self.seed, index, ATTEMPTS)
        )

    def plain(self, direction: Direction) -> Candidates:
        return lambda index: self.base(direction, index)

    def mutated(self, direction: Direction) -> Candidates:
        (src, src_name), (tgt, tgt_name) = self.sides[direction]
        strategy = invalid(tgt.bundle(tgt_name), valid=src.strategy(src_name))
        return lambda index: draw(strategy, self.seed, index, ATTEMPTS).document

    def generators(
        self, site: Site, direction: Direction
    ) -> list[tuple[int, Callable[[], Candidates]]]:
        """Makers of the generators for a site, best first, each with the round it joins
        the search. Making one may be costly, so each is made when the search first
        reaches it; the enclosing oneOf/not/if node's focus can cost more than the whole
        budget (negating a big object schema), so it joins after the cheap ones had a
        few rounds: a witness they find right away is never held up by it."""
        makers: list[tuple[int, Callable[[], Candidates]]] = [
            (0, lambda: self.focused(direction, site.anchor, site.keyword))
        ]
        if site.context is not None:
            context = site.context
            makers.append((CONTEXT_FROM, lambda: self.focused(direction, context, ())))
        makers.append((0, lambda: self.plain(direction)))
        makers.append((0, lambda: self.mutated(direction)))
        return makers

    def lift(self, uses: list[RefUse], direction: Direction, deadline: Deadline) -> Any:
        """A witness made of a referenced schema's witness put in place (None if none is)."""
        (src, src_name), (tgt, tgt_name) = self.sides[direction]
        src_valid = src.validator(src_name).is_valid
        tgt_valid = tgt.validator(tgt_name).is_valid
        found = [
            (use.trail, witness)
            for use in uses
            for witness in self.known.get(use.name, direction, deadline)
        ]
        for index in range(min(2 * len(found), ROUNDS)):
            if deadline.passed():
                break
            trail, witness = found[index // 2]
            try:
                candidate = self.placed(direction, index, trail, witness)
            except GENERATION_ERRORS:
                continue
            if src_valid(candidate) and not tgt_valid(candidate):
                return candidate
        return None

    # -- the search --------------------------------------------------------------------------
    def search(self, site: Site, direction: Direction, deadline: Deadline) -> Outcome:
        try:
            holds = self.check(site, direction)
        except GENERATION_ERRORS:
            return Outcome()
        # Known witnesses first: few, and often right at once.
        for candidate in itertools.islice(self.lifted(direction, site, deadline), 2 * ROUNDS):
            if deadline.passed():
                return Outcome()
            if holds(candidate):
                return Outcome(witness=shrink(candidate, holds), found=True)
        makers = self.generators(site, direction)
        made: list[Candidates | None] = [None] * len(makers)
        live = [True] * len(makers)
        for index in range(ROUNDS):
            for number, (first, make) in enumerate(makers):
                if deadline.passed():
                    return Outcome()
                if not live[number] or index < first:
                    continue
                try:
                    generate = made[number] = made[number] or make()
                    candidate = generate(index)
                except Unsatisfiable:
                    if number == 0 and site.context is None:
                        return Outcome(ruled_out=True)  # this keyword cannot move this way
                    live[number] = False
                    continue
                except NoPlace:
                    continue
                except GENERATION_ERRORS:
                    live[number] = False
                    continue
                if holds(candidate):
                    return Outcome(witness=shrink(candidate, holds), found=True)
        return Outcome()


# -- shrinking --------------------------------------------------------------------------------

_DELETE = object()


def shrink(document: Any, holds: Callable[[Any], bool]) -> Any:
    """A smaller document that still ``holds``: drop members, cut strings, simplify numbers.

    Bounded by a number of checks, not by the clock (a check is a compiled validator call,
    microseconds), so a witness found late in the budget is as readable as an early one."""
    checks = 0
    improved = True
    while improved and checks < SHRINK_CHECKS:
        improved = False
        for candidate in _smaller(document):
            checks += 1
            if holds(candidate):
                document, improved = candidate, True
                break
            if checks >= SHRINK_CHECKS:
                break
    return document


def _smaller(document: Any) -> Iterator[Any]:
    """Documents one step simpler, biggest steps first (whole members before their parts)."""
    paths = list(_paths(document, ()))
    for path in paths:
        if path:
            yield _replace(document, path, _DELETE)
    for path in paths:
        for simpler in _simpler(_get(document, path)):
            yield _replace(document, path, simpler)


def _paths(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key in value:
            yield from _paths(value[key], (*path, key))
    elif isinstance(value, list):
        for index in reversed(range(len(value))):
            yield from _paths(value[index], (*path, index))


def _simpler(value: Any) -> list[Any]:
    if isinstance(value, str):
        if not value:
            return []
        plain = "a" * len(value)  # same length, readable
        shorter = ["", value[: len(value) // 2], value[:-1], plain]
        return [option for option in dict.fromkeys(shorter) if option != value]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return []
    options: list[Any] = [0, 1, 0.5, -1, round(value)] if isinstance(value, float) else [0, 1, -1]
    return [option for option in options if _simpler_number(option, value)]


def _simpler_number(option: Any, value: Any) -> bool:
    if option == value and type(option) is type(value):
        return False
    return abs(option) < abs(value) or (isinstance(value, float) and not isinstance(option, float))


def _get(document: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        document = document[part]
    return document


def _replace(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    copy: Any = dict(document) if isinstance(document, dict) else list(document)
    if rest or value is not _DELETE:
        copy[head] = _replace(document[head], rest, value)
    else:
        del copy[head]
    return copy
