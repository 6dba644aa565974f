"""``PureSchemaSet``: an immutable, hashable, picklable set of named schemas (in 2020-12 form).

This is the data every layer works on: the named resources (deep-frozen, so nothing
handed out can change what is validated), the documented corrections that were applied,
and a ``referencing`` registry over them. Derived values (registry, bundles, validators,
strategies) are memoised in a cache held apart from the data: it is not part of equality,
hashing or pickling, and since the data cannot change it never goes stale.

What is derived lives in the layers above (``schemakit.validate``, ``schemakit.strategies``);
the public ``schemakit.SchemaSet`` adds ``.validator()``, ``.bundle()`` and ``.strategy()``
on top of this class, as ``pathlib.Path`` does on ``PurePath``.
"""

from __future__ import annotations

import copy
import difflib
import threading
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import unquote

import jsonpatch
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .drafts import LATEST
from .errors import RetrievalRefusedError, SchemaLoadError, UnknownSchemaError
from .frozen import freeze
from .operations import NO_OPERATIONS, Operations
from .origins import in_file, written_pointer
from .pointer import resolve

SYNTHETIC_BASE = "https://schemakit.invalid/"
T = TypeVar("T")
SetT = TypeVar("SetT", bound="PureSchemaSet")  # methods that return a set of their own class


@dataclass(frozen=True)
class Correction:
    """One documented fix to one component schema, as an RFC 6902 JSON Patch."""

    file: str
    title: str
    reason: str
    schema: str
    patch: tuple[Any, ...]
    example: Any
    # For corrections that only tighten: a document the published schemas accept that the
    # API can never send (e.g. ``42`` where an object belongs), rejected once corrected.
    counterexample: Any = None

    def __post_init__(self) -> None:
        for name in ("patch", "example", "counterexample"):
            object.__setattr__(self, name, freeze(getattr(self, name)))

    def apply(self, contents: Any) -> Any:
        """A patched copy of ``contents``; a patch that does not apply is a load error."""
        try:
            return jsonpatch.apply_patch(copy.deepcopy(contents), copy.deepcopy(self.patch))
        except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException) as exc:
            raise SchemaLoadError(
                f"correction does not apply to {self.schema}: {exc}", self.file
            ) from None


@dataclass(frozen=True)
class SchemaResource:
    """One named schema: where it came from and its (corrected, deep-frozen) contents.

    ``contents`` is the schema in draft 2020-12 form, which everything past loading reads;
    ``original`` is what the file says, under its declared ``draft`` (None: the same as
    ``contents``, as for a 2020-12 schema); ``origins`` pairs each pointer of ``contents``
    where the translation renamed a keyword with the pointer as written (see
    ``core.origins``), so errors can name what the file says.
    """

    name: str
    uri: str
    origin: str  # file path, or "file#/components/schemas/Name" for OpenAPI components
    contents: Any
    aliases: tuple[str, ...] = ()
    draft: str = LATEST.name
    original: Any = None
    # A schema written inline in an operation (named after it, e.g. "getTask.response.200"):
    # it validates traffic but is not one of the set's listed names (a body gets a model).
    from_operation: bool = False
    origins: tuple[tuple[str, str], ...] = ()
    # A document a $ref named outside the set (--ref-map, --ref-dir, a meta-schema, the
    # network): only the parts the set reaches are checked, as only they are used.
    external: bool = False

    def location(self, pointer: str) -> str:
        """Where ``pointer`` (into ``contents``) is in the user's file: ``file#pointer``,
        read back through ``origins`` and after the origin's own pointer, if any."""
        return in_file(self.origin, self.written_pointer(pointer))

    @property
    def as_written(self) -> Any:
        """The schema as read (after corrections), in its own draft."""
        return self.contents if self.original is None else self.original

    def written_pointer(self, pointer: str) -> str:
        """``pointer`` (into ``contents``) as a pointer into the schema as written
        (``/prefixItems/0`` -> ``/items/0`` in a draft-07 schema)."""
        return written_pointer(dict(self.origins), pointer).pointer if self.origins else pointer

    def written_ref(self, pointer: str, ref: str) -> str:
        """The ``$ref`` at ``pointer`` (of the keyword, into ``contents``) as the file
        writes it: the translation may have rewritten it (``#/items/0`` ->
        ``#/prefixItems/0``)."""
        if self.original is None:
            return ref
        found = resolve(self.original, self.written_pointer(pointer), None)
        return found if isinstance(found, str) else ref

    def __post_init__(self) -> None:
        object.__setattr__(self, "contents", freeze(self.contents))
        object.__setattr__(self, "aliases", tuple(self.aliases))
        object.__setattr__(self, "origins", tuple((new, old) for new, old in self.origins))


def refuse_retrieval(uri: str) -> Resource[Any]:
    """Every schema is read at load time (remote ones only if allowed), so a URI that is
    not in the set is never fetched: say why, by kind of URI."""
    scheme = uri.partition(":")[0].lower() if ":" in uri else ""
    if uri.startswith(SYNTHETIC_BASE):
        path = unquote(uri[len(SYNTHETIC_BASE) :])
        raise RetrievalRefusedError(
            f"no schema file {path!r} in the set (refs resolve only to files loaded from "
            "the schema directory)"
        )
    if scheme in ("http", "https"):
        raise RetrievalRefusedError(
            f"remote schema {uri} is not fetched: network access is off (give a local "
            "copy with --ref-map PREFIX=DIR or --ref-dir DIR, or pass --allow-remote; "
            "in Python: load(..., ref_maps=..., ref_dirs=..., allow_remote=True))"
        )
    if scheme == "file":
        raise RetrievalRefusedError(
            f"{uri} is outside the schema set (schemakit reads only the files it loads)"
        )
    raise RetrievalRefusedError(f"no schema with URI {uri} in the set")


class _Memo:
    """Values derived from one set, computed once each (thread-safe)."""

    def __init__(self) -> None:
        self._values: dict[Hashable, Any] = {}
        self._lock = threading.RLock()

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        try:
            return self._values[key]  # type: ignore[no-any-return]
        except KeyError:
            pass
        with self._lock:
            if key not in self._values:
                self._values[key] = build()
            return self._values[key]  # type: ignore[no-any-return]


@dataclass(frozen=True, eq=True)
class PureSchemaSet:
    """Named schemas plus what is needed to resolve every ``$ref`` between them."""

    resources: tuple[SchemaResource, ...]
    source: str
    upstream: bool = False
    corrections: tuple[Correction, ...] = ()
    operations: Operations = NO_OPERATIONS
    _by_name: dict[str, SchemaResource] = field(init=False, repr=False, compare=False)
    _by_uri: dict[str, SchemaResource] = field(init=False, repr=False, compare=False)
    _memo: _Memo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "resources", tuple(self.resources))
        object.__setattr__(self, "corrections", tuple(self.corrections))
        object.__setattr__(self, "_by_name", {r.name: r for r in self.resources})
        by_uri = {r.uri: r for r in self.resources}
        by_uri.update({alias: r for r in self.resources for alias in r.aliases})
        object.__setattr__(self, "_by_uri", by_uri)
        object.__setattr__(self, "_memo", _Memo())

    def __hash__(self) -> int:
        # consistent with equality: equal sets have equal sources, flags and names
        return hash((self.source, self.upstream, tuple(r.uri for r in self.resources)))

    # -- pickling: send only the data; caches are rebuilt on the other side -------
    def __getstate__(self) -> dict[str, Any]:
        return {
            "resources": self.resources,
            "source": self.source,
            "upstream": self.upstream,
            "corrections": self.corrections,
            "operations": self.operations,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        for key, value in state.items():
            object.__setattr__(self, key, value)
        self.__post_init__()

    # -- new sets from this one ---------------------------------------------------
    def with_resources(self: SetT, resources: Iterable[SchemaResource]) -> SetT:
        """A new set (of the same class) with ``resources`` added; a resource whose name
        is already in the set replaces it. This set is left as it was."""
        added = {resource.name: resource for resource in resources}
        kept = tuple(r for r in self.resources if r.name not in added)
        return self.replace(resources=kept + tuple(added.values()))

    def replace(self: SetT, **changes: Any) -> SetT:
        """A new set (of the same class) with some fields changed."""
        state = self.__getstate__() | changes
        return type(self)(**state)

    # -- names ------------------------------------------------------------------
    @property
    def names(self) -> tuple[str, ...]:
        """The set's schemas (operations' inline schemas are reachable by name, not listed)."""
        return tuple(sorted(r.name for r in self.resources if not r.from_operation))

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __len__(self) -> int:
        return len(self.names)

    def resource(self, name: str) -> SchemaResource:
        """The named resource; also accepts a resource URI. Unknown names suggest close ones.
        Its ``contents`` are read-only (``schema(name)`` gives an editable copy)."""
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
        """An editable copy of the named schema as loaded (component refs made absolute)."""
        return copy.deepcopy(self.resource(name).contents)

    # -- derived, memoised ----------------------------------------------------------
    def memo(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()``, computed once per set and ``key``: how the layers above cache
        what they derive (bundles, validators) without putting it in the data."""
        return self._memo.get(key, build)

    @property
    def registry(self) -> Registry[Any]:
        """A ``referencing`` registry holding every resource (under its URI and aliases)."""
        return self.memo(("registry",), self._build_registry)

    def _build_registry(self) -> Registry[Any]:
        pairs: list[tuple[str, Resource[Any]]] = []
        for res in self.resources:
            resource = Resource.from_contents(res.contents, default_specification=DRAFT202012)
            pairs.extend((uri, resource) for uri in (res.uri, *res.aliases))
        registry: Registry[Any] = Registry(retrieve=refuse_retrieval)  # type: ignore[call-arg]
        return registry.with_resources(pairs).crawl()
