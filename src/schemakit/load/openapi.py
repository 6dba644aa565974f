"""Turn the component schemas of an OpenAPI 3.0/3.1 document into draft 2020-12 schemas.

3.1 schemas already are 2020-12 (plus the ``discriminator``/``xml``/``externalDocs``/
``example`` annotations, which validators ignore), so they are taken as they are.
3.0 schemas are translated node by node:

* ``nullable: true`` -> ``"null"`` added to ``type`` (and to ``enum``), or an ``anyOf``
  with ``{"type": "null"}`` where there is no ``type``;
* boolean ``exclusiveMinimum``/``exclusiveMaximum`` -> the numeric 2020-12 form;
* ``example`` -> ``examples: [example]``;
* formats (``int32``, ``int64``, ``float``, ``double``, ``byte``) stay, and are asserted
  by schemakit's format checker.

A Swagger 2.0 document is first put in the 3.0 shape (``load.swagger2``, by ``openapi3``).
"""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import unquote

from ..core.errors import SchemaLoadError
from ..core.pointer import unescape
from ..core.walk import SUBSCHEMA_KEYWORDS, children
from .swagger2 import Translated, is_swagger, translate

COMPONENTS_PREFIX = "#/components/schemas/"


def component_ref(ref: str) -> tuple[str, str] | None:
    """``#/components/schemas/Name/rest`` -> (component name, JSON pointer in it) or None.

    The name is a pointer token inside a URI fragment, so it is percent- and ~-decoded
    (``sub~1Pet`` names the component ``sub/Pet``)."""
    if not ref.startswith(COMPONENTS_PREFIX):
        return None
    token, slash, rest = ref[len(COMPONENTS_PREFIX) :].partition("/")
    return unescape(unquote(token)), slash + rest


def openapi_version(document: Any) -> str | None:
    """The ``openapi`` version string when ``document`` is an OpenAPI document, else None."""
    if isinstance(document, dict):
        version = document.get("openapi")
        if isinstance(version, str):
            return version
    return None


def openapi3(document: Any, where: str) -> Translated | None:
    """``document`` in the OpenAPI 3 shape (a Swagger 2.0 one translated, with where its
    places are written), or None when it is no OpenAPI document."""
    if is_swagger(document):
        return translate(document, where)
    if openapi_version(document) is not None:
        return Translated(document)
    return None


def component_schemas(document: dict[str, Any], where: str) -> dict[str, Any]:
    """``name -> 2020-12 schema`` for every entry of ``components.schemas`` (of a 3.x
    document: see ``openapi3``)."""
    return {name: found[0] for name, found in translated_components(document, where).items()}


Origins = dict[str, str]  # translated pointer -> pointer as written (``core.origins``)


def translated_components(document: dict[str, Any], where: str) -> dict[str, tuple[Any, Origins]]:
    """``name -> (2020-12 schema, its origins)`` for every entry of ``components.schemas``."""
    version = openapi_version(document) or ""
    if not version.startswith(("3.0", "3.1")):
        raise SchemaLoadError(f"unsupported OpenAPI version {version!r} (3.0 and 3.1 are)", where)
    schemas = (document.get("components") or {}).get("schemas") or {}
    if not isinstance(schemas, dict):
        raise SchemaLoadError("components.schemas is not a mapping", f"{where}#/components/schemas")
    convert = convert_30 if version.startswith("3.0") else as_31
    return {name: convert(schema) for name, schema in schemas.items()}


def as_31(schema: Any) -> tuple[Any, Origins]:
    """A 3.1 schema is 2020-12 already: a copy, nothing moved."""
    return copy.deepcopy(schema), {}


def convert_30_schema(schema: Any) -> Any:
    """A draft 2020-12 copy of one OpenAPI 3.0 schema object."""
    return convert_30(schema)[0]


def convert_30(schema: Any) -> tuple[Any, Origins]:
    """A draft 2020-12 copy of one OpenAPI 3.0 schema object, and where the places that
    moved are written (a ``nullable`` schema without a type moves under ``anyOf/0``)."""
    result = copy.deepcopy(schema)
    origins: Origins = {}
    _convert_in_place(result, "", "", origins)
    return result, origins


def _convert_in_place(node: Any, pointer: str, written: str, origins: Origins) -> None:
    """Converts ``node`` (at ``pointer``, written at ``written``), then its subschemas: a
    node wrapped in ``anyOf`` has its children walked where they end up."""
    if not isinstance(node, dict):
        return
    for bound in ("Minimum", "Maximum"):
        flag = node.get(f"exclusive{bound}")
        if isinstance(flag, bool):
            # true moves the limit into exclusive*; false leaves an inclusive minimum/maximum.
            node.pop(f"exclusive{bound}")
            if flag and bound.lower() in node:
                node[f"exclusive{bound}"] = node.pop(bound.lower())
    if "example" in node:
        node.setdefault("examples", [node.pop("example")])
    if node.pop("nullable", False) is True:
        wrapped = _make_nullable(node)
        if wrapped is not None:
            origins[f"{pointer}/anyOf/0"] = written
            _convert_in_place(wrapped, f"{pointer}/anyOf/0", written, origins)
            return
    for child, inner in list(children(node, "", SUBSCHEMA_KEYWORDS)):
        _convert_in_place(child, pointer + inner, written + inner, origins)


def _make_nullable(node: dict[str, Any]) -> dict[str, Any] | None:
    """Allows null in ``node``; returns the inner schema when it wraps ``node`` in anyOf."""
    kind = node.get("type")
    if isinstance(kind, str):
        node["type"] = [kind, "null"]
        if isinstance(node.get("enum"), list) and None not in node["enum"]:
            node["enum"].append(None)
        return None
    # No single type (a $ref or a composition): allow null beside the whole schema.
    inner = {key: node.pop(key) for key in list(node) if not key.startswith("x-")}
    annotations: dict[str, Any] = {
        key: inner.pop(key) for key in ("title", "description") if key in inner
    }
    node.update(annotations)
    node["anyOf"] = [inner, {"type": "null"}]
    return inner
