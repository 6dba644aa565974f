"""Which ``oneOf``/``anyOf`` branch a person meant, from the failures inside each branch.

"not valid under any of the given schemas" says nothing about a ``oneOf`` of fifteen
collections; the useful answer names the branch that nearly matched, or the one property
no branch accepts. Both explainers (compiled and reference) rank with these functions,
so they pick the same branch from the same failures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, Protocol

from .issue import short

# Rules that make a direct property a branch's tag ("type": "sentinel-2-l2a", or a
# catch-all's "type" pattern): a branch whose tag does not match is not the one meant.
TAG_RULES = ("const", "enum", "type", "pattern")


class Miss(Protocol):
    """One failure inside a branch, as far as ranking needs it."""

    @property
    def rule(self) -> str: ...  # the keyword that failed
    @property
    def path(self) -> tuple[Any, ...]: ...  # where in the document, from its root
    @property
    def value(self) -> Any: ...  # the keyword's value in the schema


class Failed(NamedTuple):
    """A ``Miss`` as plain data."""

    rule: str
    path: tuple[Any, ...]
    value: Any


def shared_tag(
    branches: Sequence[Sequence[Miss]],
    depth: int,
    accepted_by: Callable[[Miss], list[str]] | None = None,
) -> tuple[str, list[str]] | None:
    """(property, what the branches accept there) when every branch rejects the same
    direct property (``depth`` long path) by a tag rule (``"type": "S1GRD"`` against
    fifteen collections): then no branch nearly matches, that property is the problem.
    ``accepted_by`` says what one tag rule accepts (default ``accepts``)."""
    tags: list[list[Miss]] = []
    for misses in branches:
        found = [miss for miss in misses if miss.rule in TAG_RULES and len(miss.path) == depth]
        if not found:  # this branch's tags match: it may well be the one meant
            return None
        tags.append(found)
    names = {str(miss.path[-1]) for misses in tags for miss in misses}
    if len(names) != 1:
        return None
    texts = accepted_by or accepts
    accepted = (text for misses in tags for miss in misses for text in texts(miss))
    return names.pop(), list(dict.fromkeys(accepted))


def accepts(miss: Miss) -> list[str]:
    """What a tag rule accepts, for a person: ``"zarr"``, ``a string matching "^byoc-"``."""
    if miss.rule == "enum":
        return [short(item) for item in miss.value]
    if miss.rule == "const":
        return [short(miss.value)]
    if miss.rule == "pattern":
        return [f"a string matching {short(miss.value)}"]
    kinds = miss.value if isinstance(miss.value, list) else [miss.value]
    return [f"any {kind}" for kind in kinds]


def discriminator_key(schema: Any) -> str | None:
    """The OpenAPI ``discriminator.propertyName`` of the schema holding the branches."""
    found = schema.get("discriminator", {}) if isinstance(schema, dict) else {}
    key = found.get("propertyName") if isinstance(found, dict) else None
    return key if isinstance(key, str) else None


def closest_branch(branches: Sequence[Sequence[Miss]], key: str | None, depth: int) -> int:
    """The branch a person most likely meant: the one whose tags (``const``/``enum``/
    ``type``/``pattern`` on a direct property, or on the discriminator ``key``) match and
    whose value has the right type, then the one with the fewest and deepest failures.
    ``depth`` is the length of the document path of the value the branches judge."""

    def score(index: int) -> tuple[int, int, int]:
        mismatches = deepest = 0
        for miss in branches[index]:  # one pass: this runs for every branch of every oneOf
            length = len(miss.path)
            deepest = max(deepest, length)
            if miss.rule not in TAG_RULES:
                continue
            if length == depth + 1 and (key is None or miss.path[-1] == key):
                mismatches += 1  # a tag of the branch
            elif length == depth and miss.rule == "type":
                mismatches += 1  # the value itself has the wrong type
        return (mismatches, len(branches[index]), -deepest)

    return min(range(len(branches)), key=score)


def branch_label(branch: Any, index: int) -> str:
    """How a branch is named: its ``$defs`` name, else its title, else ``#index``."""
    if isinstance(branch, dict):
        ref = branch.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return ref.rsplit("/", 1)[-1]
        if isinstance(branch.get("title"), str):
            return str(branch["title"])
    return f"#{index}"


def closest_note(keyword: str, label: str) -> str:
    return f"{keyword} branch {label}, the closest match"


def tag_message(value: Any, keyword: str, accepted: list[str]) -> str:
    return f"{short(value)} is none of the values the {keyword} branches accept: " + ", ".join(
        accepted
    )


def several_message(labels: list[str]) -> str:
    listed = ", ".join(labels) or "several"
    return f"matches more than one oneOf branch ({listed}); exactly one must match"


def with_note(message: str, note: str) -> str:
    return message + (f" (in {note})" if note else "")
