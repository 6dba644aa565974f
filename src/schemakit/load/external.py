"""Documents a schema set refers to but does not contain, found without a network.

A ``$ref`` may name a document that is not one of the loaded files: a JSON Schema
meta-schema, or a schema published elsewhere (``https://json.schemastore.org/x.json``).
They are looked up, in this order, in

1. ``ref_maps``: a URI prefix mapped to a local folder (``--ref-map PREFIX=DIR``), the
   rest of the URI being the path under the folder (with ``.json``, ``.yaml`` or
   ``.yml`` added when the URI has no suffix and only such a file exists);
2. ``ref_dirs``: folders of schema files, each registered under its own ``$id``
   (``--ref-dir DIR``);
3. the meta-schemas of every draft, which ship with ``jsonschema-specifications``;
4. the network, only with ``allow_remote`` (see ``schemakit.load.remote``).

Whatever is found becomes a resource of the set (named by its URI), so bundles,
validators and pickled copies work offline; documents it refers to are looked up in
turn. A ref that none of these supply is reported by the load-time checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag

from ..core.errors import RemoteRefError, SchemaLoadError, SourceError
from ..core.schemaset import SYNTHETIC_BASE, SchemaResource
from ..core.walk import iter_refs, iter_subschemas, join_uri
from .jsonio import load_file
from .remote import MAX_REMOTE_DOCUMENTS, Fetcher, _FetchFailed, is_remote

SCHEMA_SUFFIXES = (".json", ".yaml", ".yml")
# A set that pulls in more documents than this is more likely a crawl than a schema set.
MAX_EXTERNAL_DOCUMENTS = 1000


def parse_ref_map(text: str) -> tuple[str, Path]:
    """``"https://example.com/schemas/=DIR"`` -> (URI prefix, folder)."""
    prefix, equals, folder = text.rpartition("=")
    if not equals or not prefix or not folder:
        raise SourceError(f"--ref-map wants PREFIX=DIR, got {text!r}")
    return prefix, Path(folder)


@dataclass(frozen=True)
class RefSources:
    """Where documents outside the set come from (besides the always-available
    meta-schemas): URI prefixes mapped to folders, and folders indexed by ``$id``."""

    ref_maps: tuple[tuple[str, Path], ...] = ()
    ref_dirs: tuple[Path, ...] = ()
    fetcher: Fetcher | None = None  # None: no network

    @cached_property
    def by_id(self) -> dict[str, Path]:
        """``$id`` (without fragment) -> file, over every ``ref_dirs`` folder."""
        found: dict[str, Path] = {}
        for folder in self.ref_dirs:
            if not folder.is_dir():
                raise SourceError("--ref-dir is not a directory", str(folder))
            for path in sorted(folder.rglob("*")):
                if path.suffix.lower() not in SCHEMA_SUFFIXES or not path.is_file():
                    continue
                identifier = _declared_id(load_file(path))
                if identifier is None:
                    continue
                if identifier in found and found[identifier] != path:
                    raise SchemaLoadError(
                        f"$id {identifier} is declared by both {found[identifier]} and {path}",
                        str(path),
                    )
                found[identifier] = path
        return found

    def mapped_path(self, uri: str) -> Path | None:
        """The file ``uri`` maps to under a ``ref_maps`` folder (longest prefix wins)."""
        for prefix, folder in sorted(self.ref_maps, key=lambda pair: -len(pair[0])):
            if not uri.startswith(prefix):
                continue
            relative = unquote(uri[len(prefix) :])
            path = (folder / relative).resolve()
            if not relative or not path.is_relative_to(folder.resolve()):
                return None
            if not path.is_file() and not path.suffix:
                # published URIs often leave the suffix off (.../grunt-task serves
                # grunt-task.json): the file with a schema suffix, if there is one
                for suffix in SCHEMA_SUFFIXES:
                    if path.with_name(path.name + suffix).is_file():
                        return path.with_name(path.name + suffix)
            return path
        return None


def _declared_id(document: Any) -> str | None:
    if not isinstance(document, dict):
        return None
    for keyword in ("$id", "id"):  # draft-04 says "id"
        value = document.get(keyword)
        if isinstance(value, str) and urldefrag(value)[0]:
            return urldefrag(value)[0]
    return None


def _metaschema(uri: str) -> Any | None:
    from jsonschema_specifications import REGISTRY

    try:
        return REGISTRY.contents(uri.rstrip("#"))
    except LookupError:
        return None


Found = tuple[Any, str]  # (document, where it came from)
MakeResource = Callable[[str, str, Any], SchemaResource]  # (uri, origin, document)


def _lookup(uri: str, sources: RefSources, where: str) -> Found | None:
    mapped = sources.mapped_path(uri)
    if mapped is not None:
        if not mapped.is_file():
            raise RemoteRefError(uri, where, f"no file {mapped} (from --ref-map)")
        return load_file(mapped), str(mapped)
    if uri in sources.by_id:
        path = sources.by_id[uri]
        return load_file(path), str(path)
    metaschema = _metaschema(uri)
    if metaschema is not None:
        return metaschema, uri
    if sources.fetcher is not None and is_remote(uri):
        try:
            return sources.fetcher.fetch(uri), uri
        except _FetchFailed as exc:
            raise RemoteRefError(uri, where, str(exc)) from None
    return None


def external_resources(
    resources: Iterable[SchemaResource], sources: RefSources, make: MakeResource
) -> list[SchemaResource]:
    """The documents ``resources`` refer to and do not contain, transitively.

    Looked up in sorted order per round, so the result does not depend on the order
    of anything but the input; ``make`` turns a document into a resource.
    """
    known = list(resources)
    added: list[SchemaResource] = []
    unknown: set[str] = set()  # looked up and not found: the checks will say so
    while missing := {u: w for u, w in _missing(known).items() if u not in unknown}:
        for uri, where in sorted(missing.items()):
            found = _lookup(uri, sources, where)
            if found is None:
                unknown.add(uri)
                continue
            if len(added) >= MAX_EXTERNAL_DOCUMENTS or (
                sources.fetcher is not None and len(added) >= MAX_REMOTE_DOCUMENTS
            ):
                raise RemoteRefError(uri, where, f"more than {len(added)} external documents")
            document, origin = found
            resource = make(uri, origin, document)
            added.append(resource)
            known.append(resource)
    return added


def _missing(resources: list[SchemaResource]) -> dict[str, str]:
    """Document URI -> where the first ``$ref`` to it is, for those not in the set."""
    known: set[str] = set()
    for resource in resources:
        known.update((resource.uri, *resource.aliases))
        known.update(
            base for _node, base, _pointer in iter_subschemas(resource.contents, resource.uri)
        )
    missing: dict[str, str] = {}
    for resource in resources:
        for ref, base, pointer, _node in iter_refs(resource.contents, resource.uri):
            target = urldefrag(join_uri(base, ref))[0]
            if target and target not in known and not target.startswith(SYNTHETIC_BASE):
                missing.setdefault(target, resource.location(pointer))
    return missing


def merged_moves(
    resources: Iterable[SchemaResource], moves: Mapping[str, Mapping[str, str]]
) -> dict[str, Mapping[str, str]]:
    """Moves by every URI a resource answers to (its aliases too)."""
    merged: dict[str, Mapping[str, str]] = dict(moves)
    for resource in resources:
        if resource.uri in moves:
            merged.update(dict.fromkeys(resource.aliases, moves[resource.uri]))
    return merged
