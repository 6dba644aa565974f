"""Parameter values as OpenAPI serialises them, back into JSON values.

One function per style (``simple``, ``label``, ``matrix``, ``form``, ``spaceDelimited``,
``pipeDelimited``, ``deepObject``) turns the text found in the path, the query string, a
header or a cookie into a string, a list or a dict of strings; ``kinds.coerce`` then turns
each string into the type the schema asks for. ``MISSING`` means the parameter is absent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from ..core.operations import Parameter
from .kinds import Kinds, coerce

MISSING: Any = object()

Pairs = list[tuple[str, str]]


class StyleError(ValueError):
    """The text does not follow the parameter's style (e.g. a matrix value without ``;``)."""


def _split(text: str, separator: str) -> list[str]:
    return text.split(separator) if text else []


def _as_object(parts: list[str], explode: bool) -> dict[str, str]:
    if explode:  # "k=v" items
        return dict(part.partition("=")[::2] for part in parts)
    if len(parts) % 2:  # "k,v,k,v"
        raise StyleError("an object needs key,value pairs")
    return dict(zip(parts[::2], parts[1::2], strict=True))


def _shape(items: list[str], kinds: Kinds, explode: bool) -> Any:
    """A delimited list of texts as the array, object or scalar the schema wants."""
    if kinds.is_array:
        item = kinds.items or Kinds()
        return [coerce(unquote(text), item) for text in items]
    if kinds.is_object:
        raw = _as_object(items, explode)
        return {
            unquote(k): coerce(unquote(v), kinds.properties.get(unquote(k), Kinds()))
            for k, v in raw.items()
        }
    return coerce(unquote(",".join(items)), kinds)


# -- path -----------------------------------------------------------------------------


def _simple(text: str, name: str, kinds: Kinds, explode: bool) -> Any:
    if not kinds.is_array and not kinds.is_object:
        return coerce(unquote(text), kinds)
    return _shape(_split(text, ","), kinds, explode)


def _label(text: str, name: str, kinds: Kinds, explode: bool) -> Any:
    if not text.startswith("."):
        raise StyleError(f"a label-style value starts with '.', not {text[:10]!r}")
    body = text[1:]
    return _shape(_split(body, "." if explode else ","), kinds, explode)


def _matrix(text: str, name: str, kinds: Kinds, explode: bool) -> Any:
    if not text.startswith(";"):
        raise StyleError(f"a matrix-style value starts with ';', not {text[:10]!r}")
    pieces = text[1:].split(";")
    if kinds.is_object and explode:
        return _shape(pieces, kinds, True)
    values = []
    for piece in pieces:
        key, equals, value = piece.partition("=")
        if unquote(key) != name:
            raise StyleError(f"expected ;{name}=..., found ;{piece[:20]}")
        values.append(value if equals else "")
    if kinds.is_array and explode:
        return _shape(values, kinds, True)
    return _shape(_split(values[0], ",") if values else [], kinds, explode)


PATH_STYLES: dict[str, Callable[[str, str, Kinds, bool], Any]] = {
    "simple": _simple,
    "label": _label,
    "matrix": _matrix,
}


def path_value(parameter: Parameter, raw: str, kinds: Kinds) -> Any:
    decode = PATH_STYLES.get(parameter.style, _simple)
    return decode(raw, parameter.name, kinds, parameter.explode)


# -- query ----------------------------------------------------------------------------

_DEEP_KEY = re.compile(r"^(?P<name>[^\[]+)\[(?P<key>[^\]]*)\]$")


def query_value(parameter: Parameter, pairs: Pairs, kinds: Kinds) -> Any:
    """The value of a query parameter from the decoded ``name=value`` pairs."""
    name = parameter.name
    if parameter.style == "deepObject":
        found = {m["key"]: v for k, v in pairs if (m := _DEEP_KEY.match(k)) and m["name"] == name}
        if not found:
            return MISSING
        return {k: coerce(v, kinds.properties.get(k, Kinds())) for k, v in found.items()}
    if kinds.is_object and parameter.explode and parameter.style == "form":
        found = {k: v for k, v in pairs if k in kinds.properties}
        if not found:
            return MISSING
        return {k: coerce(v, kinds.properties[k]) for k, v in found.items()}
    values = [v for k, v in pairs if k == name]
    if not values:
        return MISSING
    if kinds.is_array:
        item = kinds.items or Kinds()
        if parameter.explode and parameter.style == "form":
            return [coerce(v, item) for v in values]
        separator = _DELIMITERS.get(parameter.style, ",")
        return [coerce(v, item) for value in values for v in _split(value, separator)]
    if kinds.is_object:
        return {
            k: coerce(v, kinds.properties.get(k, Kinds()))
            for k, v in _as_object(_split(values[0], ","), False).items()
        }
    if len(values) > 1:
        return values  # a scalar given twice: the schema's type rule says why it is wrong
    return coerce(values[0], kinds)


_DELIMITERS = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


# -- headers and cookies ----------------------------------------------------------------


def header_value(parameter: Parameter, text: str | None, kinds: Kinds) -> Any:
    if text is None:
        return MISSING
    if not kinds.is_array and not kinds.is_object:
        return coerce(text.strip(), kinds)
    return _shape([part.strip() for part in _split(text, ",")], kinds, parameter.explode)


def cookie_pairs(text: str | None) -> Pairs:
    pairs = []
    for piece in (text or "").split(";"):
        key, equals, value = piece.strip().partition("=")
        if equals:
            pairs.append((key, unquote(value)))
    return pairs


def content_value(parameter: Parameter, text: str) -> Any:
    """A parameter declared with ``content`` (its value is, e.g., a JSON text)."""
    if parameter.content_type and "json" in parameter.content_type:
        return json.loads(text)
    return text
