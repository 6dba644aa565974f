"""What the dataclass template needs to know about each schema, as extra template data.

datamodel-code-generator hands ``extra_template_data[<class name>]`` to the template that
renders that class. Its own idea of a field (required,
nullable, default) follows OpenAPI client conventions (a constant tag is "optional with a
default", a default is written into ``__init__``); the models need the schema's facts
instead: which keys are required, which admit ``null``, which default to document (never
to write), whether the class takes no other keys. They are worked out here, per subschema
of the synthetic root, with ``SchemaIndex`` (``allOf`` parts and ``$ref`` targets count).
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from ..core.walk import children
from .schema import ORIGINAL_TITLE
from .schemaindex import SchemaIndex

# Attribute names the runtime's DataModel uses itself: a field of that name gets a "_".
RESERVED_ATTRIBUTES = ("additional_properties", "from_dict", "to_dict", "with_defaults", "_closed")


def template_data(root: dict[str, Any]) -> defaultdict[str, dict[str, Any]]:
    """Class name (the schema's title) -> the facts of the class that schema may become."""
    index = SchemaIndex(root)
    data: defaultdict[str, dict[str, Any]] = defaultdict(dict)
    data["#all#"] = {"schemakit_reserved": list(RESERVED_ATTRIBUTES)}
    data["#all#"]["schemakit_unknown_field"] = _UNKNOWN_FIELD
    _collect(root, [], index, data)
    return data


# A field the facts do not cover (a class the generator made from a schema no title names):
# optional and nullable, which loads every document; no default, no docstring.
_UNKNOWN_FIELD = {"required": False, "nullable": True, "default_repr": None, "doc": None}


def _collect(
    node: Any, inherited: list[dict[str, Any]], index: SchemaIndex, data: dict[str, Any]
) -> None:
    """Facts for every titled schema (by class name: ``schema`` titles each schema that
    becomes a class, and the generator's own paths for inline schemas are not pointers)."""
    if not isinstance(node, dict):
        return
    title = node.get("title")
    if isinstance(title, str) and title not in data:
        data[title] = _class_facts(node, inherited, index)
    for child, pointer in children(node, ""):
        # The generator copies the properties of a schema into each of its oneOf/anyOf
        # branches, which then describe them too.
        branch = pointer.startswith(("/oneOf/", "/anyOf/"))
        _collect(child, [*inherited, node] if branch else [], index, data)


def _class_facts(
    node: dict[str, Any], inherited: list[dict[str, Any]], index: SchemaIndex
) -> dict[str, Any]:
    owners = [node, *inherited]
    keys: list[str] = []
    for owner in owners:
        for part in index.parts(owner):
            properties = part.get("properties")
            if isinstance(properties, dict):
                keys.extend(key for key in properties if key not in keys)
    # The class docstring: the schema's description, else a title it had of its own.
    doc = node.get("description")
    if not isinstance(doc, str) or not doc:
        doc = node.get(ORIGINAL_TITLE)
    return {
        "schemakit_closed": index.is_closed(node),
        "schemakit_doc": _docstring(doc) if isinstance(doc, str) and doc else None,
        "schemakit_fields": {key: _field_facts(owners, key, index) for key in keys},
    }


def _field_facts(owners: list[dict[str, Any]], key: str, index: SchemaIndex) -> dict[str, Any]:
    schemas = [schema for owner in owners for schema in index.property_schemas(owner, key)]
    default = index.default_of(schemas)
    has_default = default is not SchemaIndex.NO_DEFAULT
    description = next(
        (s["description"] for s in schemas if isinstance(s, dict) and "description" in s), None
    )
    note = f"Default: ``{json.dumps(default)}``." if has_default else None
    text = "\n\n".join(part for part in (description, note) if isinstance(part, str) and part)
    return {
        "required": any(index.is_required(owner, key) for owner in owners),
        "nullable": index.admits_null(schemas) if schemas else True,
        "default_repr": repr(default) if has_default else None,
        "doc": _docstring(text) if text else None,
    }


def _docstring(text: str) -> str:
    """A triple-quoted literal of ``text`` (``rewrite`` wraps it to the line length)."""
    escaped = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if escaped.endswith('"'):
        escaped += " "  # a closing quote right before """ would end the string early
    return f'"""{escaped}"""'
