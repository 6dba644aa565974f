"""YAML read as JSON data, with file:line:col in every error (``jsonio.parse_yaml``).

Its own module so that PyYAML is imported only when a YAML file is read. The rules are
``jsonio``'s: a safe loader, duplicate keys, non-finite floats and tags with no JSON
meaning refused, unquoted dates kept as strings, alias bombs and deep nesting stopped.
"""

from __future__ import annotations

import io
import math
import re
from typing import Any

import yaml

from ..core.errors import SourceError
from .jsonio import MAX_DEPTH, MAX_YAML_NODES, _reject_lone_surrogates

# libyaml's parser when PyYAML was built with it: about 8x faster on an OpenAPI document.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictYamlLoader(_SafeLoader):  # type: ignore[misc]
    """SafeLoader for JSON data: duplicate keys, non-finite floats and tags that have no
    JSON meaning are errors; plain scalars are resolved by the YAML 1.2 core schema."""


# Plain scalars resolve as YAML 1.2's core schema says (the version OpenAPI recommends, and
# the one in which every JSON text reads as JSON does), not as PyYAML's YAML 1.1 does: there
# ``yes``/``off`` are booleans, ``12:30:00`` is the integer 45000, ``017`` is octal and
# ``1e5`` a string. Dates stay strings (no timestamp type), as JSON would have them. Merge
# keys (``<<: *base``) are kept: 1.1 had them and OpenAPI documents in the wild use them.
_CORE_SCHEMA = (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", "<"),
)
_StrictYamlLoader.yaml_implicit_resolvers = {}  # its own table, not SafeLoader's
for _tag, _pattern, _first in _CORE_SCHEMA:
    _StrictYamlLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


class _NamedText(io.StringIO):
    """The text with a name, which libyaml's marks take from the stream (not ``loader.name``)."""

    def __init__(self, text: str, name: str) -> None:
        super().__init__(text)
        self.name = name


def _mark(node: yaml.Node) -> str:
    mark = node.start_mark
    return f"{mark.name}:{mark.line + 1}:{mark.column + 1}"


def _construct_mapping(loader: _StrictYamlLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in mapping
        except TypeError:  # a sequence or mapping used as a key
            raise SourceError("mapping key must be a scalar", _mark(key_node)) from None
        if duplicate:
            raise SourceError(f"duplicate mapping key {key!r}", _mark(key_node))
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


def _construct_int(loader: _StrictYamlLoader, node: yaml.ScalarNode) -> int:
    text = str(node.value)
    if text[:2] in ("0o", "0x"):  # the core schema's only other bases
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text, 10)  # "017" is seventeen, as JSON would read it


def _construct_finite_float(loader: _StrictYamlLoader, node: yaml.ScalarNode) -> float:
    value = float(loader.construct_yaml_float(node))
    if not math.isfinite(value):
        raise SourceError(
            f"{node.value} is not valid JSON (only finite numbers are allowed)", _mark(node)
        )
    return value


def _construct_verbatim(loader: _StrictYamlLoader, node: yaml.ScalarNode) -> str:
    return str(node.value)  # "2024-01-31" stays the string JSON would have


def _refuse_tag(loader: _StrictYamlLoader, node: yaml.Node) -> Any:
    raise SourceError(f"YAML tag {node.tag} has no JSON equivalent", _mark(node))


_YAML_CONSTRUCTORS: dict[str, Any] = {
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG: _construct_mapping,
    "tag:yaml.org,2002:int": _construct_int,
    "tag:yaml.org,2002:float": _construct_finite_float,
    "tag:yaml.org,2002:timestamp": _construct_verbatim,
    "tag:yaml.org,2002:binary": _refuse_tag,
    "tag:yaml.org,2002:set": _refuse_tag,
    "tag:yaml.org,2002:omap": _refuse_tag,
    "tag:yaml.org,2002:pairs": _refuse_tag,
}
for _tag, _constructor in _YAML_CONSTRUCTORS.items():
    _StrictYamlLoader.add_constructor(_tag, _constructor)


def _count_nodes(node: yaml.Node, seen: dict[int, int | None]) -> int:
    """Nodes after alias expansion (what validation will walk); refuses recursive aliases."""
    if id(node) in seen:
        count = seen[id(node)]
        if count is None:
            raise SourceError("recursive YAML alias (the document would be infinite)", _mark(node))
        return count
    seen[id(node)] = None
    children: list[yaml.Node] = []
    if isinstance(node, yaml.SequenceNode):
        children = node.value
    elif isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    count = 1 + sum(_count_nodes(child, seen) for child in children)
    if count > MAX_YAML_NODES:
        raise SourceError(f"YAML aliases expand to more than {MAX_YAML_NODES} nodes", _mark(node))
    seen[id(node)] = count
    return count


# PyYAML's wording where it says too little on its own.
_YAML_PROBLEMS = {
    "but found another document": "a second document ('---'): one document per file, "
    "or JSON Lines for many",
    # libyaml's own limit (1,000 levels), past the one parse_yaml enforces
    "exceeded maximum nesting depth": f"nesting deeper than {MAX_DEPTH} levels",
}


def parse_yaml_document(text: str, where: str) -> Any:
    """Parse one YAML document as JSON data (see ``jsonio``'s docstring for the rules)."""
    try:
        loader = _StrictYamlLoader(_NamedText(text, where))
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            _count_nodes(node, {})
            document = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        said = _YAML_PROBLEMS.get(str(exc.problem)) or ", ".join(
            str(part) for part in (exc.context, exc.problem) if part
        )
        raise SourceError(f"invalid YAML: {said}", f"{where}{loc}") from None
    except yaml.YAMLError as exc:
        raise SourceError(f"invalid YAML: {exc}", where) from None
    except RecursionError:
        raise SourceError(f"nesting deeper than {MAX_DEPTH} levels", where) from None
    except ValueError as exc:  # e.g. an integer longer than sys.get_int_max_str_digits()
        raise SourceError(f"invalid YAML: {str(exc).split(';')[0]}", where) from None
    _reject_lone_surrogates(document, text, where)
    return document
