"""Where a failing keyword lives: the named schema and the JSON pointer inside it.

A bundle holds every named schema under ``$defs``; a person wants ``MaxCloudCoverage#/maximum``,
not the path through the bundle. Both explainers locate rules here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.pointer import escape, tokens
from .issue import pointer


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
    name, local = root_name, ""
    node: Any = root
    for part in path:
        seen: set[str] = set()
        while isinstance(node, dict) and part not in node and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#") or ref in seen:
                break
            seen.add(ref)
            steps = tokens(ref)
            named = steps[1] if steps[:1] == ["$defs"] and len(steps) > 1 else None
            if named is not None and (sources is None or named in sources):
                name = named if sources is None else sources[named]
                local = pointer(steps[2:])
            else:
                name, local = root_name, pointer(steps)
            node = root
            for step in steps:
                node = child(node, step)
        local += f"/{escape(str(part))}"
        node = child(node, part)
    return name, local


def child(node: Any, part: Any) -> Any:
    """``node[part]`` for a dict key or list index, ``{}`` when there is none."""
    if isinstance(node, dict):
        return node.get(str(part) if not isinstance(part, str) else part, {})
    index = int(part) if isinstance(part, int) or str(part).isdigit() else -1
    return node[index] if isinstance(node, list) and 0 <= index < len(node) else {}
