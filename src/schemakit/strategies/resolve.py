"""Following ``$ref`` and ``$dynamicRef`` for the generators, and checking values on the side.

Every schema the generators handle has *absolute* references (see ``absolutise``): a subschema
then means the same thing wherever it ends up, so parts of different resources can be merged
and cached by their JSON text alone. ``$dynamicRef`` additionally depends on the dynamic scope
(the resources entered so far, outermost first), which the caller passes in.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urldefrag

import referencing.exceptions
from jsonschema_specifications import REGISTRY as SPECIFICATIONS
from referencing import Registry
from referencing.jsonschema import DRAFT202012, DynamicAnchor

from ..core.errors import UnresolvableRefError
from ..core.reference import reference_validator
from ..core.walk import SUBSCHEMA_KEYWORDS, child_base, join_uri

_REF_VALUE = re.compile(r'"\$ref":"((?:[^"\\]|\\.)*)"')
ROOT_BASE = "https://schemakit.invalid/strategies/root.json"
_SYNTHETIC_DIR = ROOT_BASE.rsplit("/", 1)[0] + "/"
_MAPPINGS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)


def absolutise(schema: Any, base: str) -> Any:
    """A copy of ``schema`` whose ``$ref``/``$dynamicRef``/``$id`` are absolute URIs."""
    if not isinstance(schema, dict):
        return schema
    base = child_base(schema, base)
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ("$ref", "$dynamicRef") and isinstance(value, str):
            result[key] = join_uri(base, value)
        elif key == "$id" and isinstance(value, str):
            result[key] = base
        elif key not in SUBSCHEMA_KEYWORDS:
            result[key] = value
        elif key in _MAPPINGS and isinstance(value, dict):
            result[key] = {name: absolutise(sub, base) for name, sub in value.items()}
        elif isinstance(value, list):
            result[key] = [absolutise(sub, base) for sub in value]
        else:
            result[key] = absolutise(value, base)
    return result


def schema_key(schema: Any) -> str:
    """The cache key of a schema: its canonical JSON text."""
    return json.dumps(schema, sort_keys=True, separators=(",", ":"), default=repr)


@dataclass(frozen=True)
class Target:
    """Where a reference leads: the (absolutised) subschema, its resource and a readable place."""

    schema: Any
    resource: str
    where: str


class Refs:
    """The registry of one generation job plus caches of lookups and validators."""

    def __init__(self, schema: Any, registry: Registry[Any] | None = None) -> None:
        identifier = schema.get("$id") if isinstance(schema, dict) else None
        self.root_uri = urldefrag(
            join_uri(ROOT_BASE, identifier if isinstance(identifier, str) else "")
        )[0]
        resource = DRAFT202012.create_resource(schema)
        base: Registry[Any] = registry if registry is not None else Registry()
        # The meta-schemas resolve offline, as they do for the reference validator.
        base = base.combine(SPECIFICATIONS)
        self.registry: Registry[Any] = base.with_resource(self.root_uri, resource).crawl()
        self.root = absolutise(schema, self.root_uri)
        self._targets: dict[str, Target] = {}
        self._validators: dict[str, Any] = {}
        self._keys: dict[int, tuple[Any, str]] = {}
        # Dynamic scope only matters when a reachable schema uses $dynamicRef.
        self.dynamic = self._reaches_dynamic_ref()

    def _reaches_dynamic_ref(self) -> bool:
        pending, seen = [self.root], set()
        while pending:
            text = schema_key(pending.pop())
            if '"$dynamicRef"' in text:
                return True
            for ref in _REF_VALUE.findall(text):
                # The root's own text holds whatever its refs point to: looking each of
                # them up again (hundreds in a bundled OpenAPI component) took a second.
                if ref not in seen and urldefrag(ref)[0] != self.root_uri:
                    seen.add(ref)
                    try:
                        pending.append(self.lookup(json.loads(f'"{ref}"')).schema)
                    except UnresolvableRefError:
                        continue  # reported when the generator actually needs it
        return False

    def key(self, schema: Any) -> str:
        """``schema_key(schema)``, remembered per schema object. The same subschemas are
        keyed again and again (each canonical and compile lookup), and big components have
        long texts. Schemas are never changed once built; each remembered one is kept, so
        its ``id`` cannot be reused by another object."""
        if not isinstance(schema, dict):
            return schema_key(schema)
        found = self._keys.get(id(schema))
        if found is None or found[0] is not schema:
            found = (schema, schema_key(schema))
            self._keys[id(schema)] = found
        return found[1]

    def where(self, uri: str) -> str:
        """``#/pointer`` for places in the root schema, the full URI elsewhere."""
        resource, fragment = urldefrag(uri)
        if resource == self.root_uri:
            return f"#{fragment}"
        return uri.removeprefix(_SYNTHETIC_DIR)  # relative to a schema without $id, as written

    def lookup(self, ref: str) -> Target:
        """The subschema an absolute reference points to."""
        found = self._targets.get(ref)
        if found is None:
            try:
                resolved = self.registry.resolver().lookup(ref)
            except referencing.exceptions.Unresolvable as exc:
                reason = str(exc).replace(self.root_uri, "").replace(_SYNTHETIC_DIR, "")
                raise UnresolvableRefError(
                    self.where(ref), None, reason or type(exc).__name__
                ) from None
            base = getattr(resolved.resolver, "_base_uri", "") or urldefrag(ref)[0]
            found = Target(absolutise(resolved.contents, base), base, self.where(ref))
            self._targets[ref] = found
        return found

    def dynamic_lookup(self, ref: str, scope: tuple[str, ...]) -> Target:
        """``$dynamicRef``: the outermost resource in scope with that dynamic anchor wins."""
        uri, fragment = urldefrag(ref)
        if fragment and not fragment.startswith("/") and self._is_dynamic(uri, fragment):
            for outer in scope:
                if self._is_dynamic(outer, fragment):
                    return self.lookup(f"{outer}#{fragment}")
        return self.lookup(ref)

    def _is_dynamic(self, uri: str, name: str) -> bool:
        try:
            anchor = self.registry.anchor(uri, name).value
        except (referencing.exceptions.Unresolvable, LookupError):
            return False
        return isinstance(anchor, DynamicAnchor)

    def validator(self, schema: Any) -> Any:
        """A (cached) reference validator for an absolutised schema."""
        key = self.key(schema)
        found = self._validators.get(key)
        if found is None:
            found = reference_validator(schema, self.registry)
            self._validators[key] = found
        return found

    def is_valid(self, schema: Any, value: Any) -> bool:
        return bool(self.validator(schema).is_valid(value))
