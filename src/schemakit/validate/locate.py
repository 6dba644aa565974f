"""Where a failing keyword lives: the named schema and the JSON pointer inside it.

A bundle holds every named schema under ``$defs``; a person wants ``MaxCloudCoverage#/maximum``,
not the path through the bundle. Both explainers locate rules here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.pointer import escape, tokens
from .issue import pointer

# One stretch of a schema path inside one schema: (named schema, the pointer there where
# the stretch starts, its tokens). A path leaves a stretch where it steps through a $ref.
Stretch = tuple[str | None, str, tuple[Any, ...]]


def locate_rule(
    root: dict[str, Any],
    path: list[Any],
    root_name: str | None,
    sources: Mapping[str, str] | None = None,
) -> tuple[str | None, str]:
    """(named schema, JSON pointer inside it) of the keyword at ``path`` in the bundle.

    ``path`` is a schema path as ``jsonschema`` reports it, stepping through ``$ref``
    silently, so follow a local ref whenever the next path element is not in the current
    node. A ref lands in a named schema (``#/$defs/<name>/...`` for a name in ``sources``)
    or in the root.
    """
    name, local, _stretches = locate_path(root, path, root_name, sources)
    return name, local


def locate_path(
    root: dict[str, Any],
    path: list[Any],
    root_name: str | None,
    sources: Mapping[str, str] | None = None,
) -> tuple[str | None, str, tuple[Stretch, ...]]:
    """``locate_rule``, and the stretches of ``path`` between the refs it steps through
    (so each can be named in the terms of its own schema's file)."""
    name, local = root_name, ""
    stretches: list[Stretch] = []
    start, base = 0, ""
    node: Any = root
    for index, part in enumerate(path):
        seen: set[str] = set()
        while isinstance(node, dict) and part not in node and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#") or ref in seen:
                break
            if not seen:  # the stretch so far ends at this ref
                stretches.append((name, base, tuple(path[start:index])))
            seen.add(ref)
            steps = tokens(ref)
            named = steps[1] if steps[:1] == ["$defs"] and len(steps) > 1 else None
            if named is not None and (sources is None or named in sources):
                name = named if sources is None else sources[named]
                local = pointer(steps[2:])
            else:
                name, local = root_name, pointer(steps)
            start, base = index, local
            node = root
            for step in steps:
                node = child(node, step)
        local += f"/{escape(str(part))}"
        node = child(node, part)
    stretches.append((name, base, tuple(path[start:])))
    return name, local, tuple(stretches)


def child(node: Any, part: Any) -> Any:
    """``node[part]`` for a dict key or list index, ``{}`` when there is none."""
    if isinstance(node, dict):
        return node.get(str(part) if not isinstance(part, str) else part, {})
    index = int(part) if isinstance(part, int) or str(part).isdigit() else -1
    return node[index] if isinstance(node, list) and 0 <= index < len(node) else {}
