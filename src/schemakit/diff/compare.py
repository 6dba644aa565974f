"""Compare two versions: pair schemas, prove the unchanged ones equal, search the changed ones.

For each pair the normal forms are compared first (equal forms: nothing changed, no search).
Otherwise the sites where the pair differs are found and every direction a site may move is
searched for a witness within the pair's time budget, split evenly over what is left; a
direction the focus rules out is dropped, one the search did not settle is reported as
not proved.
"""

from __future__ import annotations

from collections.abc import Callable

from ..core.pointer import MISSING, resolve
from .changes import Site, find_changes
from .findings import Direction, Finding
from .pairing import Pair, Pairing
from .search import Deadline, PairSearch, Witnesses
from .versions import Version, keyword_pointer

Progress = Callable[[str], None]


def compare_pair(
    old: Version,
    new: Version,
    pair: Pair,
    pairing: Pairing,
    seed: int,
    budget: float,
    known: Witnesses,
) -> tuple[list[Finding], tuple[str, ...]]:
    """Findings for one changed pair, and, when it has no change of its own, the changed
    schemas it refers to.

    ``known`` holds the witnesses found so far, by schema: a change that comes through a ref
    is tried with those first (so compare referenced schemas first); this pair's are added."""
    changes = find_changes(old, new, pair.old, pair.new, pairing.names)
    search = PairSearch(old, new, pair.old, pair.new, seed, known)
    # Suspected directions first: the budget goes to what is reported either way.
    tasks = [
        (site, direction)
        for suspected in (True, False)
        for site in changes.sites
        for direction in Direction
        if direction in (site.suspicion.directions if suspected else site.suspicion.possible)
    ]
    deadline = Deadline(budget)
    findings = []
    for number, (site, direction) in enumerate(tasks):
        share = Deadline(deadline.left() / (len(tasks) - number))
        outcome = search.search(site, direction, share)
        if outcome.ruled_out or not (outcome.found or direction in site.suspicion.directions):
            continue
        findings.append(_finding(old, new, pair, site, direction, outcome.found, outcome.witness))
        if outcome.found:
            known.add(pair.new, direction, outcome.witness)
    if changes.through_refs:
        # Witnesses of the schemas it refers to, put in place, are witnesses here too: made
        # if a schema that refers to this one under oneOf/not/if asks for them.
        known.inherits[pair.new] = (pair.old, changes.through_refs)
    if changes.sites:  # its own changes are what is reported for it
        return findings, ()
    return findings, tuple(sorted({use.name for use in changes.through_refs}))


def _finding(
    old: Version,
    new: Version,
    pair: Pair,
    site: Site,
    direction: Direction,
    proved: bool,
    witness: object,
) -> Finding:
    # Point at the keyword in NEW when NEW has it (what now rejects or accepts), else in OLD.
    new_pointer = keyword_pointer(site.anchor.new, site.keyword)
    in_new = _exists(new, pair.new, new_pointer)
    version, name = (new, pair.new) if in_new else (old, pair.old)
    pointer = new_pointer if in_new else keyword_pointer(site.anchor.old, site.keyword)
    at, inner = version.owner(name, pointer)
    file, file_pointer = version.place(at, inner)
    return Finding(
        direction=direction,
        schema=pair.new,
        pointer=inner,
        side=version.label,
        at=at,
        change=site.suspicion.change,
        message=site.suspicion.message,
        file=file,
        file_pointer=file_pointer,
        use=pair.use,
        proved=proved,
        witness=witness if proved else None,
        used_by=version.used_by(at),
    )


def _exists(version: Version, name: str, pointer: str) -> bool:
    return resolve(version.bundle(name), pointer) is not MISSING
