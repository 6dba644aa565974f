"""YAML read as JSON data, with file:line:col in every error (``jsonio.parse_yaml``).

Its own module so that PyYAML is imported only when a YAML file is read. The rules are
``jsonio``'s: duplicate keys, non-finite floats and tags with no JSON meaning refused,
unquoted dates kept as strings, alias bombs and deep nesting stopped. Beyond them:

* Plain scalars resolve as YAML 1.2's core schema says (the version OpenAPI recommends,
  and the one in which every JSON text reads as JSON does), not as PyYAML's YAML 1.1 does:
  there ``yes``/``off`` are booleans, ``12:30:00`` is the integer 45000, ``017`` is octal
  and ``1e5`` a string.
* Mapping keys are JSON strings: ``200:`` under ``responses`` is the key ``"200"`` (a
  number, boolean or null key is written as JSON writes that value).
* Merge keys (``<<: *base``, 1.1's, used by OpenAPI documents in the wild) merge, and the
  mapping's own keys override merged ones.

The document is built straight from the parser's events. PyYAML's composer and resolver
build and tag a node object per scalar in Python, which costs about 7x the parse itself
(12 s of CPU on GitHub's 8.8 MB description, against ~1 s of events); one pass over the
events does the same work and checks the rules on the way.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

import yaml

from ..core.errors import SourceError
from .jsonio import MAX_DEPTH, MAX_YAML_NODES, _reject_lone_surrogates

# libyaml's event parser when PyYAML was built with it; the events are the same either way.
_EventLoader: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)

_CORE = "tag:yaml.org,2002:"
_NON_SPECIFIC = (None, "!")


_TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels"


def _finite(text: str) -> float:
    """A YAML float as JSON allows it: ``.inf`` and ``.nan`` are read, then refused."""
    value = float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
    if not math.isfinite(value):
        raise ValueError(f"{text} is not valid JSON (only finite numbers are allowed)")
    return value


def _integer(text: str) -> int:
    if text[:2] in ("0o", "0x"):  # the core schema's only other bases
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text, 10)  # "017" is seventeen, as JSON would read it


# The core schema's plain scalars, tried in order; anything else is a string.
_PLAIN: tuple[tuple[re.Pattern[str], Callable[[str], Any]], ...] = (
    (re.compile(r"(?:~|null|Null|NULL|)"), lambda text: None),
    (re.compile(r"(?:true|True|TRUE)"), lambda text: True),
    (re.compile(r"(?:false|False|FALSE)"), lambda text: False),
    (re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"), _integer),
    (re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"), _finite),
    (re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"), _finite),
)
_PLAIN_FIRST = frozenset("~nNtTfF-+0123456789.")

_BOOLEANS = {"true": True, "false": False, "yes": True, "no": False, "on": True, "off": False}

# Explicit scalar tags with a JSON meaning; any other tag is refused.
_TAGGED: dict[str, Callable[[str], Any]] = {
    _CORE + "str": str,
    _CORE + "int": lambda text: _integer(text.replace("_", "")),
    _CORE + "float": lambda text: _finite(text.replace("_", "")),
    _CORE + "bool": lambda text: _BOOLEANS[text.lower()],
    _CORE + "null": lambda text: None,
    _CORE + "timestamp": str,  # "2024-01-31" stays the string JSON would have
}
_COLLECTION_TAGS = {yaml.SequenceStartEvent: _CORE + "seq", yaml.MappingStartEvent: _CORE + "map"}

_MERGE = object()  # the plain key "<<"
_NO_KEY = object()


def _no_json(tag: str, where: str, event: Any) -> SourceError:
    shown = "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag
    return SourceError(f"YAML tag {shown} has no JSON equivalent", _at(where, event))


def _at(where: str, event: Any) -> str:
    mark = event.start_mark
    return f"{where}:{mark.line + 1}:{mark.column + 1}"


def _plain(text: str) -> Any:
    if text[:1] not in _PLAIN_FIRST and text:
        return text
    for pattern, make in _PLAIN:
        if pattern.fullmatch(text):
            return make(text)
    return text


def _scalar(event: Any, where: str) -> Any:
    tag = event.tag
    try:
        if tag in _NON_SPECIFIC:
            return _plain(event.value) if event.implicit[0] else event.value
        make = _TAGGED.get(tag)
        if make is None:
            raise _no_json(tag, where, event)
        return make(event.value)
    except (ValueError, KeyError) as exc:
        message = str(exc).split(";")[0].strip("'\"")  # e.g. Python's int digit limit
        if isinstance(exc, KeyError) or not message:
            message = f"{event.value!r} is not a {tag.rsplit(':', 1)[-1]}"
        raise SourceError(message, _at(where, event)) from None


def _key_text(key: Any) -> str:
    return key if isinstance(key, str) else json.dumps(key)  # 200 -> "200", None -> "null"


class _Collection:
    """A sequence or mapping being read: its value, and what it adds up to so far."""

    __slots__ = ("anchor", "height", "key", "key_event", "merges", "size", "start", "value")

    def __init__(self, start: Any, value: Any) -> None:
        self.start = start  # the event that opened it: where errors about it point
        self.anchor: str | None = start.anchor
        self.value = value
        self.merges: list[dict[str, Any]] = []
        self.key: Any = _NO_KEY
        self.key_event: Any = None
        self.size = 1  # nodes once aliases are expanded
        self.height = 1  # levels of nesting, itself included

    def merged(self) -> Any:
        if not self.merges:
            return self.value
        # Earlier merged mappings win over later ones; the mapping's own keys over all.
        result: dict[str, Any] = {}
        for source in self.merges:
            for key, item in source.items():
                result.setdefault(key, item)
        result.update(self.value)
        return result


class _Builder:
    """JSON data from a stream of YAML events (one document)."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.stack: list[_Collection] = []
        # anchor -> (value, size, height); None while the anchored collection is open
        self.anchors: dict[str, tuple[Any, int, int] | None] = {}
        self.total = 0
        self.root: Any = None

    def at(self, event: Any) -> str:
        return _at(self.where, event)

    def open(self, event: Any, value: Any) -> None:
        if event.tag not in _NON_SPECIFIC and event.tag != _COLLECTION_TAGS[type(event)]:
            raise _no_json(event.tag, self.where, event)
        self.count(1, event)
        if len(self.stack) >= MAX_DEPTH:
            raise SourceError(_TOO_DEEP, self.at(event))
        if event.anchor is not None:
            self.anchors[event.anchor] = None
        self.stack.append(_Collection(event, value))

    def close(self, _end: Any) -> None:
        done = self.stack.pop()
        value = done.merged()
        if done.anchor is not None:
            self.anchors[done.anchor] = (value, done.size, done.height)
        self.add(value, done.size, done.height, done.start)

    def count(self, nodes: int, event: Any) -> None:
        """Nodes after alias expansion, what validation will walk: stops alias bombs."""
        self.total += nodes
        if self.total > MAX_YAML_NODES:
            raise SourceError(
                f"YAML aliases expand to more than {MAX_YAML_NODES} nodes", self.at(event)
            )

    def scalar(self, event: Any) -> None:
        self.count(1, event)
        if event.value == "<<" and event.implicit[0] and self._at_a_key():
            self.add(_MERGE, 1, 0, event)  # a plain << key: 1.1's merge
            return
        value = _scalar(event, self.where)
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1, 0)
        self.add(value, 1, 0, event)

    def _at_a_key(self) -> bool:
        return (
            bool(self.stack)
            and isinstance(self.stack[-1].value, dict)
            and (self.stack[-1].key is _NO_KEY)
        )

    def alias(self, event: Any) -> None:
        if event.anchor not in self.anchors:
            raise SourceError(f"alias *{event.anchor} names no anchor before it", self.at(event))
        target = self.anchors[event.anchor]
        if target is None:
            raise SourceError(
                "recursive YAML alias (the document would be infinite)", self.at(event)
            )
        self.count(target[1], event)  # the alias stands for all of the anchored nodes
        self.add(*target, event)

    def add(self, value: Any, size: int, height: int, event: Any) -> None:
        if not self.stack:
            self.root = value
            return
        parent = self.stack[-1]
        parent.size += size
        parent.height = max(parent.height, height + 1)
        if len(self.stack) - 1 + parent.height > MAX_DEPTH:  # an alias can bring depth along
            raise SourceError(_TOO_DEEP, self.at(event))
        if isinstance(parent.value, list):
            parent.value.append(value)
        elif parent.key is _NO_KEY:
            self.take_key(parent, value, event)
        else:
            self.take_value(parent, value, event)

    def take_key(self, parent: _Collection, key: Any, event: Any) -> None:
        if isinstance(key, (dict, list)):
            raise SourceError("mapping key must be a scalar", self.at(event))
        parent.key = key if key is _MERGE else _key_text(key)
        parent.key_event = event

    def take_value(self, parent: _Collection, value: Any, event: Any) -> None:
        key, parent.key = parent.key, _NO_KEY
        if key is _MERGE:
            sources = value if isinstance(value, list) else [value]
            if not all(isinstance(source, dict) for source in sources):
                raise SourceError(
                    "a merge key (<<) takes a mapping or a list of them", self.at(event)
                )
            parent.merges.extend(sources)
        elif key in parent.value:
            raise SourceError(f"duplicate mapping key {key!r}", self.at(parent.key_event))
        else:
            parent.value[key] = value


_HANDLERS: dict[type, Callable[[_Builder, Any], None]] = {
    yaml.ScalarEvent: _Builder.scalar,
    yaml.AliasEvent: _Builder.alias,
    yaml.SequenceStartEvent: lambda builder, event: builder.open(event, []),
    yaml.MappingStartEvent: lambda builder, event: builder.open(event, {}),
    yaml.SequenceEndEvent: _Builder.close,
    yaml.MappingEndEvent: _Builder.close,
}


def _build(loader: Any, where: str) -> Any:
    builder = _Builder(where)
    documents = 0
    while True:
        event = loader.get_event()
        handler = _HANDLERS.get(type(event))
        if handler is not None:
            handler(builder, event)
        elif isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise SourceError(
                    "invalid YAML: a second document ('---'): one document per file, "
                    "or JSON Lines for many",
                    builder.at(event),
                )
        elif isinstance(event, yaml.StreamEndEvent):
            return builder.root


# PyYAML's wording where it says too little on its own.
_YAML_PROBLEMS = {
    # libyaml's own limit (1,000 levels), past the one this module enforces
    "exceeded maximum nesting depth": _TOO_DEEP,
}


def parse_yaml_document(text: str, where: str) -> Any:
    """Parse one YAML document as JSON data (see the module docstring for the rules)."""
    loader = _EventLoader(text)
    try:
        document = _build(loader, where)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        said = _YAML_PROBLEMS.get(str(exc.problem)) or ", ".join(
            str(part) for part in (exc.context, exc.problem) if part
        )
        raise SourceError(f"invalid YAML: {said}", f"{where}{loc}") from None
    except yaml.YAMLError as exc:
        raise SourceError(f"invalid YAML: {exc}", where) from None
    finally:
        loader.dispose()
    _reject_lone_surrogates(document, text, where)
    return document
