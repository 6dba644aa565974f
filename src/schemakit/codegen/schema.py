"""Turn a ``PureSchemaSet`` into the one input document datamodel-code-generator reads.

Every named schema becomes ``$defs/<Name>`` of a synthetic draft 2020-12 root, with all
``$ref``s pointing inside that root. Names are decided here, not by the generator: each
subschema that becomes a class or an enum gets a ``title`` made from its path (the schema
name, then one word per step: ``BatchV2ZarrOutputGroupCoordinatesOrigin``), and the
generator is told to use titles as names. So no class is ever called ``Type22``.

Names the module itself needs (``Any``, ``Enum``, ``DataModel``, ...) are never handed out:
a schema called ``Any`` becomes ``AnySchema`` (``SCHEMAS["Any"]`` finds it), an inline part
whose path name is taken gets ``Inline`` appended. Every ``$defs``/``definitions`` entry is
titled, so none is named by its bare key and none takes the name of a top-level schema.
"""

from __future__ import annotations

import copy
import keyword
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.errors import CodegenError
from ..core.pointer import escape
from ..validate.bundle import bundle_of
from .normalise import BRANCH_NAME, normalise

if TYPE_CHECKING:
    from ..core.schemaset import PureSchemaSet

DIALECT = "https://json-schema.org/draft/2020-12/schema"
RUNTIME_MODULE = "_runtime"  # the runtime's module inside a generated package
ORIGINAL_TITLE = "x-schemakit-title"  # where a replaced title is kept, for the docstring
_WORD = re.compile(r"[A-Za-z0-9]+")
_DROPPED = ("$schema", "$id", "$comment")
# The synthetic root's own title: it is never a model (rewrite drops its placeholder).
ROOT_TITLE = "SchemakitSyntheticRoot"
# Names the generated module imports or defines itself; no schema may take them.
RESERVED_NAMES = frozenset(
    {
        "Annotated", "Any", "ClassVar", "DataModel", "DecodeError", "Decimal", "Enum",
        "IntEnum", "Literal", "Optional", "SCHEMAS", "TypeAlias", "UNSET", "UUID", "Union",
        "Unset", ROOT_TITLE,
    }
)  # fmt: skip


@dataclass(frozen=True)
class GeneratorInput:
    """The synthetic root document and, per top-level name, its def key and class name."""

    root: dict[str, Any]
    def_keys: dict[str, str]  # schema name -> key under $defs
    class_names: dict[str, str]  # schema name -> class (or alias) name


def pascal(text: str) -> str:
    """``iamRoleARN`` -> ``IamRoleARN``, ``sentinel-2-l2a`` -> ``Sentinel2L2a``."""
    words = _WORD.findall(text)
    name = "".join(word[:1].upper() + word[1:] for word in words)
    if not name:
        return "Schema"
    return f"N{name}" if name[0].isdigit() else name


def class_name_for(schema_name: str) -> str:
    """The class name for a top-level schema name (kept as is when it is already one)."""
    last = schema_name.rsplit("/", 1)[-1]
    if last.isidentifier() and not keyword.iskeyword(last) and last[:1].isupper():
        name = last
    else:
        name = pascal(last)
    return f"{name}Schema" if name in RESERVED_NAMES else name


def model_names(schema_set: PureSchemaSet) -> dict[str, str]:
    """Schema name -> class name for every schema that gets a model: the set's names, then
    the request and response bodies written inline in an operation, under the name the
    loader gave them (``createTask.request`` -> ``CreateTaskRequest``,
    ``getTask.response.200`` -> ``GetTaskResponse200``; a body of a second media type
    has it in its name). A body name whose class name a schema of the set already has gets
    ``Inline`` appended, as inline parts do."""
    names = {name: class_name_for(name) for name in schema_set.names}
    clashes = _duplicates(names)
    if clashes:
        raise CodegenError(f"schema names map to the same class name: {', '.join(clashes)}")
    taken = {*names.values(), *RESERVED_NAMES}
    for name in schema_set.operations.body_schemas():
        if name in names or not schema_set.resource(name).from_operation:
            continue  # a component: a model already
        candidate = pascal(name)
        while candidate in taken:
            candidate += "Inline"
        taken.add(candidate)
        names[name] = candidate
    return names


def build_input(schema_set: PureSchemaSet) -> GeneratorInput:
    """The synthetic root holding every schema that gets a model, titled for naming."""
    names = model_names(schema_set)
    def_keys = {name: name.replace("/", ".") for name in names}
    defs: dict[str, Any] = {}
    for name in names:
        defs[def_keys[name]] = _standalone(schema_set, name, def_keys)
        normalise(defs[def_keys[name]])
    namer = _Namer({*names.values(), *RESERVED_NAMES})
    for name in names:
        node = defs[def_keys[name]]
        if isinstance(node, dict):
            _title(node, names[name])
            for child, path in _named_children(node, names[name]):
                namer.assign(child, path)
    root = {"$schema": DIALECT, "title": ROOT_TITLE, "$defs": defs}
    return GeneratorInput(root, def_keys, names)


def _duplicates(names: dict[str, str]) -> list[str]:
    seen: dict[str, str] = {}
    clashes = []
    for schema_name, class_name in sorted(names.items()):
        if class_name in seen:
            clashes.append(f"{seen[class_name]!r} and {schema_name!r} -> {class_name}")
        seen[class_name] = schema_name
    return clashes


# -- one schema, with its refs pointing into the synthetic root -------------------------


def _standalone(schema_set: PureSchemaSet, name: str, def_keys: dict[str, str]) -> Any:
    """The named schema from its bundle, refs rewritten from the bundle to the shared root."""
    bundle = copy.deepcopy(bundle_of(schema_set, name))
    if not isinstance(bundle, dict):
        return bundle
    local = schema_set.resource(name).contents
    local_defs = set(local.get("$defs", {})) if isinstance(local, dict) else set()
    resource_keys = set(def_keys.values())
    own = f"#/$defs/{escape(def_keys[name])}"
    defs = bundle.pop("$defs", {})
    kept = {key: value for key, value in defs.items() if key in local_defs}
    unknown = sorted(set(defs) - local_defs - resource_keys)
    if unknown:
        raise CodegenError(f"bundle of {name!r} holds unexpected $defs: {', '.join(unknown)}")
    if kept:
        bundle["$defs"] = kept
    for key in _DROPPED:
        bundle.pop(key, None)

    def rewrite(ref: str) -> str:
        if not ref.startswith("#"):
            return ref
        head, _, _rest = ref[len("#/$defs/") :].partition("/")
        if ref.startswith("#/$defs/") and head in resource_keys and head not in local_defs:
            return ref
        return own + ref[1:]

    _rewrite_refs(bundle, rewrite)
    return bundle


def _rewrite_refs(node: Any, rewrite: Any) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("$ref", "$dynamicRef") and isinstance(value, str):
                node[key] = rewrite(value)
            elif key not in ("default", "const", "enum", "examples", "example"):
                _rewrite_refs(value, rewrite)
    elif isinstance(node, list):
        for item in node:
            _rewrite_refs(item, rewrite)


# -- naming ---------------------------------------------------------------------------


def _title(node: dict[str, Any], name: str) -> None:
    original = node.get("title")
    if isinstance(original, str) and original != name:
        node[ORIGINAL_TITLE] = original
    node["title"] = name


def _becomes_named_type(node: dict[str, Any]) -> bool:
    """Whether the generator turns this subschema into a class or an enum of its own."""
    if "$ref" in node and len(set(node) - {"$ref", "description", "default", "title"}) == 0:
        return False
    enum = node.get("enum")
    if isinstance(enum, list):
        return len(enum) > 1
    return any(key in node for key in ("properties", "allOf", "oneOf", "anyOf"))


def _branch_word(branch: dict[str, Any], index: int) -> str:
    """A name for one ``oneOf``/``anyOf`` branch: its title, its tag, or its sole key."""
    made = branch.pop(BRANCH_NAME, None)  # a branch ``normalise`` split off
    if isinstance(made, str):
        return made
    title = branch.get("title")
    if isinstance(title, str) and _WORD.search(title):
        return pascal(title)
    for prop in (branch.get("properties") or {}).values():
        if isinstance(prop, dict):
            tag = prop.get("const", (prop.get("enum") or [None, None])[0])
            if isinstance(tag, str) and len(prop.get("enum") or [tag]) == 1 and _WORD.search(tag):
                return pascal(tag)
    required = branch.get("required") or []
    if len(required) == 1 and isinstance(required[0], str):
        return pascal(required[0])
    return f"Variant{index}"


def _named_children(node: dict[str, Any], path: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Every inline subschema below ``node`` with the name its path gives it (pre-order)."""
    for key, child in (node.get("properties") or {}).items():
        if isinstance(child, dict):
            yield from _visit(child, path + pascal(key))
    for keyword_, word in (("items", "Item"), ("additionalProperties", "Value")):
        child = node.get(keyword_)
        if isinstance(child, dict):
            yield from _visit(child, path + word)
    for key, child in (node.get("patternProperties") or {}).items():
        if isinstance(child, dict):
            yield from _visit(child, path + pascal(key) + "Value")
    for keyword_ in ("oneOf", "anyOf"):
        for index, child in enumerate(node.get(keyword_) or []):
            if isinstance(child, dict):
                yield from _visit(child, path + _branch_word(child, index + 1))
    for index, child in enumerate(node.get("prefixItems") or []):
        if isinstance(child, dict):
            yield from _visit(child, path + f"Item{index + 1}")
    for child in node.get("allOf") or []:
        # allOf parts merge into the schema that holds them: they share its name.
        if isinstance(child, dict):
            yield from _named_children(child, path)
    for keyword_ in ("$defs", "definitions"):
        for key, child in (node.get(keyword_) or {}).items():
            if isinstance(child, dict):
                # Always titled: the generator would otherwise name a referenced one by its key.
                yield child, path + pascal(key)
                yield from _named_children(child, path + pascal(key))


def _visit(node: dict[str, Any], path: str) -> Iterator[tuple[dict[str, Any], str]]:
    if _becomes_named_type(node):
        yield node, path
    yield from _named_children(node, path)


class _Namer:
    """Hands out titles; a path name already taken gets the name of the path's last step
    spelled out (``...PropertiesFoo``) rather than a number."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = set(taken)

    def assign(self, node: dict[str, Any], name: str) -> None:
        candidate = name
        while candidate in self.taken:
            candidate = candidate + "Inline"
        self.taken.add(candidate)
        _title(node, candidate)
