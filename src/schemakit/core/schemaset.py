"""``SchemaSet``: an immutable, picklable set of named draft 2020-12 schemas.

Built once by ``schemakit.load``; everything else (validators, bundles, models,
strategies) is derived from it. Derived objects are cached per instance and dropped
when pickling, so a SchemaSet travels cheaply to worker processes.
"""

from __future__ import annotations

import copy
import difflib
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from ..load.corrections import Correction
from .errors import UnknownSchemaError

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from ..validate.validator import Validator

SYNTHETIC_BASE = "https://schemakit.invalid/"


@dataclass(frozen=True)
class SchemaResource:
    """One named schema: where it came from and its (corrected) contents."""

    name: str
    uri: str
    origin: str  # file path, or "file#/components/schemas/Name" for OpenAPI components
    contents: Any
    aliases: tuple[str, ...] = ()


class RemoteRetrievalDisabled(Exception):
    """Raised by the registry for any URI outside the set when remote refs are not allowed."""


def _refuse_retrieval(uri: str) -> Resource[Any]:
    """Every schema is read at load time (remote ones only if allowed), so a URI that is
    not in the set is never fetched: say why, by kind of URI."""
    scheme = uri.partition(":")[0].lower() if ":" in uri else ""
    if uri.startswith(SYNTHETIC_BASE):
        path = unquote(uri[len(SYNTHETIC_BASE) :])
        raise RemoteRetrievalDisabled(
            f"no schema file {path!r} in the set (refs resolve only to files loaded from "
            "the schema directory)"
        )
    if scheme in ("http", "https"):
        raise RemoteRetrievalDisabled(
            f"remote schema {uri} is not fetched: network access is off "
            "(pass --allow-remote, or load(..., allow_remote=True))"
        )
    if scheme == "file":
        raise RemoteRetrievalDisabled(
            f"{uri} is outside the schema set (schemakit reads only the files it loads)"
        )
    raise RemoteRetrievalDisabled(f"no schema with URI {uri} in the set")


@dataclass(frozen=True)
class SchemaSet:
    """Named schemas plus what is needed to resolve every ``$ref`` between them."""

    resources: tuple[SchemaResource, ...]
    source: str
    upstream: bool = False
    corrections: tuple[Correction, ...] = ()
    _by_name: dict[str, SchemaResource] = field(init=False, repr=False, compare=False)
    _by_uri: dict[str, SchemaResource] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {r.name: r for r in self.resources})
        by_uri = {r.uri: r for r in self.resources}
        by_uri.update({alias: r for r in self.resources for alias in r.aliases})
        object.__setattr__(self, "_by_uri", by_uri)

    # -- pickling: send only the data, rebuild caches on the other side --------
    def __getstate__(self) -> dict[str, Any]:
        return {
            "resources": self.resources,
            "source": self.source,
            "upstream": self.upstream,
            "corrections": self.corrections,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        for key, value in state.items():
            object.__setattr__(self, key, value)
        self.__post_init__()

    # -- names -----------------------------------------------------------------
    @property
    def names(self) -> tuple[str, ...]:
        return tuple(sorted(self._by_name))

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __len__(self) -> int:
        return len(self._by_name)

    def resource(self, name: str) -> SchemaResource:
        """The named resource; also accepts a resource URI. Unknown names suggest close ones."""
        found = self._by_name.get(name) or self._by_uri.get(name)
        if found is None:
            raise UnknownSchemaError(name, self.suggest(name))
        return found

    def suggest(self, name: str) -> list[str]:
        lowered = {n.lower(): n for n in self._by_name}
        exact_case = lowered.get(name.lower())
        close = difflib.get_close_matches(name, list(self._by_name), n=3, cutoff=0.6)
        return ([exact_case] if exact_case else []) + [c for c in close if c != exact_case]

    def resource_for_uri(self, uri: str) -> SchemaResource | None:
        return self._by_uri.get(uri)

    def uri(self, name: str) -> str:
        return self.resource(name).uri

    def schema(self, name: str) -> Any:
        """A copy of the named schema as loaded (component refs made absolute)."""
        return copy.deepcopy(self.resource(name).contents)

    # -- derived, cached -------------------------------------------------------
    @cached_property
    def registry(self) -> Registry[Any]:
        """A ``referencing`` registry holding every resource (under its URI and aliases)."""
        pairs: list[tuple[str, Resource[Any]]] = []
        for res in self.resources:
            resource = Resource.from_contents(res.contents, default_specification=DRAFT202012)
            pairs.extend((uri, resource) for uri in (res.uri, *res.aliases))
        registry: Registry[Any] = Registry(retrieve=_refuse_retrieval)  # type: ignore[call-arg]
        return registry.with_resources(pairs).crawl()

    def bundle(self, name: str) -> dict[str, Any]:
        """A self-contained copy of the named schema, every referenced schema under ``$defs``."""
        return copy.deepcopy(self._bundles(name))

    def _bundles(self, name: str) -> dict[str, Any]:
        cache: dict[str, dict[str, Any]] = self.__dict__.setdefault("_bundle_cache", {})
        uri = self.uri(name)
        if uri not in cache:
            from ..validate.bundle import bundle

            cache[uri] = bundle(self, self.resource(name))
        return cache[uri]

    def validator(self, name: str) -> Validator:
        """A (cached) validator for the named schema."""
        from ..validate.validator import Validator

        cache: dict[str, Validator] = self.__dict__.setdefault("_validator_cache", {})
        uri = self.uri(name)
        if uri not in cache:
            from ..validate.bundle import bundle_sources

            resource = self.resource(name)
            sources = bundle_sources(self, resource)
            cache[uri] = Validator(self._bundles(name), name=resource.name, sources=sources)
        return cache[uri]

    def strategy(self, name: str) -> SearchStrategy[Any]:
        """A Hypothesis strategy for documents valid under the named schema."""
        from ..strategies import from_schema

        strategy: SearchStrategy[Any] = from_schema(self._bundles(name))
        return strategy
