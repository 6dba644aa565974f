"""Translate a Swagger 2.0 (OpenAPI 2.0) document into the OpenAPI 3.0 shape, once.

Everything that reads OpenAPI (components, operations, traffic, lint, diff) reads 3.0, so a
2.0 document is rewritten at load time and nothing downstream knows it was one. The rules
(the 2.0 specification, as swagger2openapi reads it):

* ``definitions`` -> ``components.schemas``, ``parameters`` -> ``components.parameters``
  (body ones -> ``components.requestBodies``), ``responses`` -> ``components.responses``;
  names kept exactly, and every local ``$ref`` into them rewritten, nested pointers too.
* schemas: ``x-nullable: true`` -> ``nullable: true``; ``type: file`` -> a binary string;
  ``discriminator: "prop"`` -> ``{"propertyName": "prop"}``; ``format: int-or-string``
  (Kubernetes) -> an integer or a string. The rest (draft-04 boolean bounds, ``example``,
  ``readOnly``, ``xml``, ``externalDocs``, ``x-*``) is 3.0 already.
* ``consumes``/``produces`` (global, per operation; ``application/json`` when absent) name
  the media types of request bodies and responses.
* ``in: body`` -> ``requestBody``; ``in: formData`` -> one object schema under
  ``multipart/form-data`` (when consumed, or a parameter is a file) or
  ``application/x-www-form-urlencoded``; path-level ones apply to each operation.
* query/path/header parameters: ``type``/``format``/``items``/``enum``/bounds -> ``schema``;
  ``collectionFormat`` -> ``style``/``explode`` (csv: exploded no; multi: form, exploded;
  ssv/pipes: spaceDelimited/pipeDelimited; tsv has no 3.0 form and reads as csv).
* a response ``schema`` -> ``content`` for each produced type (``examples`` per type kept);
  response ``headers`` -> header objects with a schema.
* ``host``/``basePath``/``schemes`` -> ``servers`` (a relative URL without ``host``), so
  traffic recorded against ``https://host/basePath/...`` matches.

Not carried over, as nothing here reads them: ``securityDefinitions`` and an operation's
own ``schemes``.

``origins`` maps pointers of the translation to where the user wrote them
(``/components/schemas/Pet`` -> ``/definitions/Pet``, a request body's schema -> its body
parameter), read back by longest prefix (``core.origins.written_pointer``), so a problem is
reported at its place in the 2.0 file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import unquote

from ..core.errors import SchemaLoadError
from ..core.operations import DEFAULT_STYLES
from ..core.pointer import escape, unescape

OPENAPI_VERSION = "3.0.3"
DEFAULT_MEDIA = ("application/json",)
_FORM_URLENCODED = "application/x-www-form-urlencoded"
_MULTIPART = "multipart/form-data"
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
# local ref prefix in 2.0 -> in 3.0 (body parameters are inlined where they are used)
_REF_PREFIXES = (
    ("#/definitions/", "#/components/schemas/"),
    ("#/parameters/", "#/components/parameters/"),
    ("#/responses/", "#/components/responses/"),
)
# What a 2.0 query/path/header/formData parameter (or items, or header) says of its value.
_VALUE_KEYWORDS = frozenset(
    {
        "type",
        "format",
        "items",
        "default",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "maxItems",
        "minItems",
        "uniqueItems",
        "enum",
        "multipleOf",
        "x-nullable",
    }
)
# collectionFormat -> (style, explode); None: the location's default style
_COLLECTION_STYLES: dict[str, tuple[str | None, bool]] = {
    "csv": (None, False),
    "tsv": (None, False),
    "multi": ("form", True),
    "ssv": ("spaceDelimited", False),
    "pipes": ("pipeDelimited", False),
}


class _Parameter(NamedTuple):
    node: dict[str, Any]  # the parameter (a global one when referenced)
    pointer: str  # where ``node`` is written
    ref: str | None  # the ref to it, when referenced
    written: str  # where the list entry (the parameter or its ref) is written


@dataclass
class Translated:
    """An OpenAPI 3.0 document, and where its translated places are written."""

    document: dict[str, Any]
    origins: dict[str, str] = field(default_factory=dict)  # 3.0 pointer -> 2.0 pointer


def is_swagger(document: Any) -> bool:
    return isinstance(document, dict) and "swagger" in document


def translate(document: dict[str, Any], where: str) -> Translated:
    """``document`` (Swagger 2.0, read from ``where``) in the OpenAPI 3.0 shape."""
    version = document.get("swagger")
    if str(version) != "2.0":
        raise SchemaLoadError(f"unsupported Swagger version {version!r} (2.0 is)", where)
    return _Translator(document, where).run()


# -- schemas ------------------------------------------------------------------------
def translated_ref(ref: str, names: Callable[[str], bool]) -> str:
    """A local 2.0 ref in 3.0 terms; one to a component that does not exist
    (``names("#/definitions/Pet")`` is false) stays as written, so the error about it
    quotes the user's file."""
    for old, new in _REF_PREFIXES:
        if ref.startswith(old):
            name = unescape(unquote(ref[len(old) :].partition("/")[0]))
            return new + ref[len(old) :] if names(old + name) else ref
    return ref


class _Schemas:
    """Translates 2.0 schema objects to the 3.0 dialect (new trees: the input is kept)."""

    def __init__(self, names: Callable[[str], bool]) -> None:
        self.names = names
        # keyword -> how its value holds subschemas (anyOf/oneOf/not are 3.0: taken too)
        self.walkers: dict[str, Callable[[Any], Any]] = {
            "properties": self.by_name,
            "patternProperties": self.by_name,
            "additionalProperties": self.schema,
            "items": self.one_or_each,
            "not": self.schema,
            "allOf": self.each,
            "anyOf": self.each,
            "oneOf": self.each,
        }

    def each(self, value: Any) -> Any:
        return [self.schema(item) for item in value] if isinstance(value, list) else value

    def one_or_each(self, value: Any) -> Any:
        return self.each(value) if isinstance(value, list) else self.schema(value)

    def by_name(self, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        return {key: self.schema(item) for key, item in value.items()}

    def schema(self, node: Any) -> Any:
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for key, value in node.items():
            walk = self.walkers.get(key)
            out[key] = walk(value) if walk is not None else value
        ref = out.get("$ref")
        if isinstance(ref, str):
            out["$ref"] = translated_ref(ref, self.names)
        if out.pop("x-nullable", False) is True:
            out["nullable"] = True
        if out.get("type") == "file":
            out.update(type="string", format="binary")
        if isinstance(out.get("discriminator"), str):
            out["discriminator"] = {"propertyName": out["discriminator"]}
        if out.get("format") == "int-or-string" and out.get("type") in (None, "string"):
            # Kubernetes' IntOrString is declared a string but carries numbers too
            out["type"] = ["integer", "string"]
        return out

    def value_schema(self, node: dict[str, Any]) -> dict[str, Any]:
        """The schema of a non-body parameter, an items object or a header."""
        found = {key: value for key, value in node.items() if key in _VALUE_KEYWORDS}
        if isinstance(found.get("items"), dict):
            found["items"] = self.value_schema(found["items"])
        translated: dict[str, Any] = self.schema(found)
        return translated


def _extensions(node: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in node.items() if str(key).startswith("x-")}


def _copy(node: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: node[key] for key in keys if key in node}


def _media_types(value: Any, fallback: tuple[str, ...], where: str) -> tuple[str, ...]:
    if value is None:
        return fallback
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SchemaLoadError("must be a list of media types", where)
    return tuple(value) or fallback


class _Translator:
    """One document's translation: the parts in 3.0 terms, and ``origins`` as it goes."""

    def __init__(self, document: dict[str, Any], where: str) -> None:
        self.source = document
        self.where = where
        self.origins: dict[str, str] = {}
        self.consumes = _media_types(document.get("consumes"), DEFAULT_MEDIA, self.at("/consumes"))
        self.produces = _media_types(document.get("produces"), DEFAULT_MEDIA, self.at("/produces"))
        self.parameters = self.mapping("parameters")
        # "#/definitions/Pet"...: what a local ref may name
        self.known = {
            old + str(name) for old, _new in _REF_PREFIXES for name in self.mapping(old[2:-1])
        }
        self.schemas = _Schemas(self.known.__contains__)

    def at(self, pointer: str) -> str:
        return f"{self.where}#{pointer}"

    def mapping(self, key: str) -> dict[str, Any]:
        value = self.source.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise SchemaLoadError(f"{key} is not a mapping", self.at(f"/{key}"))
        return value

    def moved(self, new: str, old: str) -> None:
        if new != old:
            self.origins[new] = old

    # -- the document ---------------------------------------------------------------
    def run(self) -> Translated:
        kept = ("info", "tags", "externalDocs", "security")
        out: dict[str, Any] = {"openapi": OPENAPI_VERSION, **_copy(self.source, kept)}
        out.update(_extensions(self.source))
        servers = self.servers()
        if servers:
            out["servers"] = servers
        out["paths"] = self.paths()
        components = self.components()
        if components:
            out["components"] = components
        return Translated(out, self.origins)

    def servers(self) -> list[dict[str, str]]:
        host, base = self.source.get("host"), self.source.get("basePath", "")
        if not isinstance(base, str):
            raise SchemaLoadError("basePath must be a string", self.at("/basePath"))
        if not isinstance(host, str) or not host:
            return [{"url": base}] if base and base != "/" else []
        schemes = self.source.get("schemes") or ["https"]
        return [{"url": f"{scheme}://{host}{base.rstrip('/')}"} for scheme in schemes]

    def components(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        definitions = self.mapping("definitions")
        if definitions:
            found["schemas"] = {}
            for name, value in definitions.items():
                found["schemas"][name] = self.schemas.schema(value)
                token = escape(str(name))
                self.moved(f"/components/schemas/{token}", f"/definitions/{token}")
        for name, value in self.parameters.items():
            old = f"/parameters/{escape(str(name))}"
            if not isinstance(value, dict):
                raise SchemaLoadError("a parameter must be a mapping", self.at(old))
            if value.get("in") == "body":
                new = f"/components/requestBodies/{escape(str(name))}"
                body = self.request_body([(value, old)], self.consumes, new)
                found.setdefault("requestBodies", {})[name] = body
            elif value.get("in") != "formData":  # form fields join each operation's body
                new = f"/components/parameters/{escape(str(name))}"
                found.setdefault("parameters", {})[name] = self.parameter(value, old, new)
        for name, value in self.mapping("responses").items():
            token = escape(str(name))
            old, new = f"/responses/{token}", f"/components/responses/{token}"
            found.setdefault("responses", {})[name] = self.response(value, old, new, self.produces)
        return found

    # -- paths ----------------------------------------------------------------------
    def paths(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for path, item in self.mapping("paths").items():
            pointer = f"/paths/{escape(str(path))}"
            if not isinstance(item, dict) or str(path).startswith("x-"):
                found[path] = item
                continue
            shared = self.resolved_parameters(item.get("parameters"), pointer + "/parameters")
            out: dict[str, Any] = {}
            for key, value in item.items():
                if key in _METHODS and isinstance(value, dict):
                    out[key] = self.operation(value, f"{pointer}/{key}", shared)
                elif key == "parameters":
                    out[key] = self.plain_parameters(shared, pointer + "/parameters")
                elif key == "$ref" and isinstance(value, str):
                    out[key] = translated_ref(value, self.known.__contains__)
                else:
                    out[key] = value
            found[path] = out
        return found

    def resolved_parameters(self, value: Any, pointer: str) -> list[_Parameter]:
        """The parameters of a list, global refs followed."""
        if value is None:
            return []
        if not isinstance(value, list):
            raise SchemaLoadError("parameters must be a list", self.at(pointer))
        found = []
        for index, raw in enumerate(value):
            written = node_pointer = f"{pointer}/{index}"
            node, ref = raw, raw.get("$ref") if isinstance(raw, dict) else None
            if isinstance(ref, str) and ref.startswith("#/parameters/"):
                name = unescape(unquote(ref[len("#/parameters/") :]))
                node_pointer = f"/parameters/{escape(name)}"
                node = self.parameters.get(name)
                if node is None:
                    raise SchemaLoadError(
                        f"cannot resolve $ref {ref!r}: no such parameter", self.at(written)
                    )
            if not isinstance(node, dict):
                raise SchemaLoadError("a parameter must be a mapping", self.at(node_pointer))
            found.append(
                _Parameter(node, node_pointer, ref if isinstance(ref, str) else None, written)
            )
        return found

    def plain_parameters(self, resolved: list[_Parameter], pointer: str) -> list[Any]:
        """The query/path/header parameters: refs stay refs, inline ones are translated."""
        out: list[Any] = []
        for found in resolved:
            if found.node.get("in") in ("body", "formData"):
                continue
            new = f"{pointer}/{len(out)}"
            if found.ref is not None:
                out.append({"$ref": translated_ref(found.ref, self.known.__contains__)})
                self.moved(new, found.written)
            else:
                out.append(self.parameter(found.node, found.pointer, new))
        return out

    def operation(
        self, node: dict[str, Any], pointer: str, shared: list[_Parameter]
    ) -> dict[str, Any]:
        consumes = _media_types(node.get("consumes"), self.consumes, self.at(pointer + "/consumes"))
        produces = _media_types(node.get("produces"), self.produces, self.at(pointer + "/produces"))
        own = self.resolved_parameters(node.get("parameters"), pointer + "/parameters")
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in ("consumes", "produces", "schemes", "parameters", "responses"):
                continue
            out[key] = value
        plain = self.plain_parameters(own, pointer + "/parameters")
        if plain:
            out["parameters"] = plain
        # body and form fields: the path item's, overridden by the operation's
        merged: dict[tuple[str, str], _Parameter] = {}
        for found in (*shared, *own):
            where = found.node.get("in")
            if where in ("body", "formData"):
                merged[(where, "" if where == "body" else str(found.node.get("name")))] = found
        body = merged.get(("body", ""))
        if body is not None and body.ref is not None and consumes == self.consumes:
            # a global body parameter with the document's media types: its component
            out["requestBody"] = {"$ref": "#/components/requestBodies/" + body.ref.split("/")[-1]}
            self.moved(pointer + "/requestBody", body.written)
        elif merged:
            parameters = [(found.node, found.pointer) for found in merged.values()]
            out["requestBody"] = self.request_body(parameters, consumes, pointer + "/requestBody")
        responses = node.get("responses")
        if isinstance(responses, dict):
            out["responses"] = {
                status: self.response(
                    entry,
                    f"{pointer}/responses/{escape(str(status))}",
                    f"{pointer}/responses/{escape(str(status))}",
                    produces,
                )
                for status, entry in responses.items()
            }
        elif responses is not None:
            out["responses"] = responses  # the 3.0 reader reports it
        return out

    # -- parameters and bodies ------------------------------------------------------
    def parameter(self, node: dict[str, Any], old: str, new: str) -> dict[str, Any]:
        location = node.get("in")
        out = _copy(node, ("name", "in", "description", "required", "allowEmptyValue"))
        out.update(_extensions(node))
        out.pop("x-nullable", None)
        out["schema"] = self.schemas.value_schema(node)
        self.moved(new, old)
        self.moved(new + "/schema", old)
        if node.get("type") == "array" and isinstance(location, str):
            style, explode = _COLLECTION_STYLES.get(
                str(node.get("collectionFormat", "csv")), (None, False)
            )
            # csv is each location's own default style (formData's is form, as a query's)
            out["style"] = style or DEFAULT_STYLES.get(location, DEFAULT_STYLES["query"])[0]
            out["explode"] = explode
        return out

    def request_body(
        self, parameters: list[tuple[Any, str]], consumes: tuple[str, ...], new: str
    ) -> dict[str, Any]:
        bodies = [(node, old) for node, old in parameters if node.get("in") == "body"]
        fields = [(node, old) for node, old in parameters if node.get("in") == "formData"]
        if bodies and fields:
            raise SchemaLoadError(
                "an operation cannot have both a body and formData parameters",
                self.at(fields[0][1]),
            )
        if bodies:
            node, old = bodies[-1]
            self.moved(new, old)
            out = _copy(node, ("description",))
            out.update(_extensions(node))
            out["required"] = bool(node.get("required", False))
            out["content"] = {}
            for media in consumes:
                out["content"][media] = {"schema": self.schemas.schema(node.get("schema"))}
                self.moved(f"{new}/content/{escape(media)}/schema", old + "/schema")
            return out
        return self.form(fields, consumes, new)

    def form(
        self, fields: list[tuple[Any, str]], consumes: tuple[str, ...], new: str
    ) -> dict[str, Any]:
        has_file = any(node.get("type") == "file" for node, _old in fields)
        media = [m for m in consumes if m.split(";")[0].strip() in (_MULTIPART, _FORM_URLENCODED)]
        media = media or [_MULTIPART if has_file else _FORM_URLENCODED]
        properties: dict[str, Any] = {}
        required: list[str] = []
        encoding: dict[str, Any] = {}
        for node, old in fields:
            name = str(node.get("name"))
            properties[name] = self.schemas.value_schema(node)
            if node.get("required"):
                required.append(name)
            if node.get("type") == "array":
                style, explode = _COLLECTION_STYLES.get(
                    str(node.get("collectionFormat", "csv")), (None, False)
                )
                encoding[name] = {"style": style or "form", "explode": explode}
            for each in media:
                at = f"{new}/content/{escape(each)}/schema/properties/{escape(name)}"
                self.moved(at, old)
        body_schema: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            body_schema["required"] = required
        content: dict[str, Any] = {}
        for each in media:
            content[each] = {"schema": body_schema}
            if encoding:
                content[each]["encoding"] = encoding
        return {"required": bool(required), "content": content}

    # -- responses ------------------------------------------------------------------
    def response(self, node: Any, old: str, new: str, produces: tuple[str, ...]) -> Any:
        if not isinstance(node, dict):
            return node  # the 3.0 reader reports it
        if isinstance(node.get("$ref"), str):
            return {"$ref": translated_ref(node["$ref"], self.known.__contains__)}
        self.moved(new, old)
        out = _copy(node, ("description",))
        out.setdefault("description", "")
        out.update(_extensions(node))
        examples = node.get("examples")
        examples = examples if isinstance(examples, dict) else {}
        if "schema" in node:
            out["content"] = {}
            for media in produces:
                entry: dict[str, Any] = {"schema": self.schemas.schema(node["schema"])}
                if media in examples:
                    entry["example"] = examples[media]
                out["content"][media] = entry
                self.moved(f"{new}/content/{escape(media)}/schema", old + "/schema")
        headers = node.get("headers")
        if isinstance(headers, dict):
            out["headers"] = {}
            for name, header in headers.items():
                at_old, at_new = (
                    f"{old}/headers/{escape(str(name))}",
                    f"{new}/headers/{escape(str(name))}",
                )
                if not isinstance(header, dict):
                    raise SchemaLoadError("a header must be a mapping", self.at(at_old))
                translated = _copy(header, ("description",))
                translated["schema"] = self.schemas.value_schema(header)
                out["headers"][name] = translated
                self.moved(at_new + "/schema", at_old)
        return out
