"""``load()``: read a schema directory, a single schema file or an OpenAPI document.

The data path is: read files (each under its declared draft) -> apply documented
corrections -> make component refs absolute -> translate to draft 2020-12 -> add the
documents refs name outside the set -> check (meta-schema, every ``$ref``, ref cycles)
-> ``PureSchemaSet``.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, urldefrag, urljoin

from ..core.drafts import LATEST, Draft, detect_draft, draft_named
from ..core.errors import (
    InvalidSchemaError,
    SchemakitError,
    SchemaLoadError,
    SchemaWarning,
    SourceError,
)
from ..core.frozen import thaw
from ..core.origins import written_pointer
from ..core.pointer import escape
from ..core.schemaset import SYNTHETIC_BASE, Correction, PureSchemaSet, SchemaResource
from ..core.walk import iter_subschemas
from .checks import check_depth, check_schema_set, looks_like_a_schema
from .corrections import CORRECTIONS_DIR, load_corrections
from .external import RefSources, external_resources, merged_moves, parse_ref_map
from .jsonio import load_file
from .normalise import normalise, rewrite_moved_refs
from .openapi import component_ref, openapi3, translated_components
from .operations import OperationsRead, read_operations
from .remote import Fetcher

SCHEMA_SUFFIXES = (".json", ".yaml", ".yml")
OPERATIONS_DIR = "operations"  # a schema directory's OpenAPI paths (see load.operations)
_SKIPPED_DIRS = {CORRECTIONS_DIR, OPERATIONS_DIR, "examples", "node_modules"}


def bundled_schemas_dir() -> Path:
    """The Sentinel Hub schema set shipped with schemakit."""
    packaged = Path(__file__).parents[1] / "_schemas" / "sentinel-hub"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "schemas" / "sentinel-hub"


def load(
    source: str | Path | None = None,
    *,
    upstream: bool = False,
    allow_remote: bool = False,
    fetcher: Fetcher | None = None,
    default_draft: str | Draft = LATEST,
    ref_dirs: Sequence[str | Path] = (),
    ref_maps: Mapping[str, str | Path] | Sequence[str] = (),
) -> PureSchemaSet:
    """Load and check a schema set.

    ``source``: a directory of schema files (one schema per file, named by its path
    without suffix), one schema file, or an OpenAPI 3.0/3.1 or Swagger 2.0 document (JSON
    or YAML; 2.0 is read as its 3.0 translation, see ``schemakit.load.swagger2``).
    Default: the bundled Sentinel Hub Batch V2 set. ``upstream=True`` skips the
    documented corrections and validates exactly as published.

    Each schema is read under the draft its ``$schema`` declares (draft-04, -06, -07,
    2019-09 or 2020-12); ``default_draft`` for those that declare none.

    Documents that ``$ref``s name outside the set come from ``ref_maps`` (URI prefix ->
    folder, or ``"PREFIX=DIR"`` strings), ``ref_dirs`` (folders of schema files known by
    their ``$id``) and the meta-schemas of every draft, all offline. Remote (http/https)
    targets are fetched only with ``allow_remote=True`` (with a timeout, a size limit and a
    disk cache; see ``schemakit.load.remote``); otherwise they fail with ``RemoteRefError``.
    """
    schema_set = read_schema_set(
        source,
        upstream=upstream,
        allow_remote=allow_remote,
        fetcher=fetcher,
        default_draft=default_draft,
        ref_dirs=ref_dirs,
        ref_maps=ref_maps,
    )
    try:
        check_schema_set(schema_set)
    except (SchemakitError, RecursionError):
        raise
    except Exception as exc:  # a schema no check foresaw must still be one line
        raise SchemaLoadError(f"cannot load: {type(exc).__name__}: {exc}", str(source)) from exc
    return schema_set


def read_schema_set(
    source: str | Path | None = None,
    *,
    upstream: bool = False,
    allow_remote: bool = False,
    fetcher: Fetcher | None = None,
    default_draft: str | Draft = LATEST,
    ref_dirs: Sequence[str | Path] = (),
    ref_maps: Mapping[str, str | Path] | Sequence[str] = (),
) -> PureSchemaSet:
    """``load()`` without the checks: for tools (the linter) that report a broken set's
    defects instead of refusing it. Unreadable files and bad corrections still raise."""
    draft = draft_named(default_draft)
    path = Path(source) if source is not None else bundled_schemas_dir()
    if not path.exists():
        raise SourceError("no such file or directory", str(path))
    reader = _read_directory if path.is_dir() else _read_file
    resources, corrections, operations = reader(path, draft)
    if not resources and not operations.operations:
        raise SchemaLoadError("no schemas found", str(path))
    if not upstream:
        resources = _apply_corrections(resources, corrections)
    # Operations' inline schemas: after the corrections (which name components only).
    resources = _absolutise_component_refs(resources + operations.resources)
    moves: dict[str, dict[str, str]] = {}
    normalised = [_normalised(resource, moves) for resource in resources]
    sources = RefSources(
        ref_maps=_ref_map_pairs(ref_maps),
        ref_dirs=tuple(Path(folder) for folder in ref_dirs),
        fetcher=(fetcher or Fetcher()) if allow_remote else None,
    )

    def external(uri: str, origin: str, document: Any) -> SchemaResource:
        resource = replace(_resource(uri, uri, origin, document, draft), external=True)
        return _normalised(resource, moves)

    normalised += external_resources(normalised, sources, external)
    if moves:
        everywhere = merged_moves(normalised, moves)
        normalised = [_with_moved_refs(resource, everywhere) for resource in normalised]
    return PureSchemaSet(
        resources=tuple(normalised),
        source=str(path),
        upstream=upstream,
        corrections=() if upstream else corrections,
        operations=operations.value(),
    )


def _ref_map_pairs(
    ref_maps: Mapping[str, str | Path] | Sequence[str],
) -> tuple[tuple[str, Path], ...]:
    if isinstance(ref_maps, Mapping):
        return tuple((prefix, Path(folder)) for prefix, folder in ref_maps.items())
    return tuple(parse_ref_map(text) for text in ref_maps)


def _normalised(resource: SchemaResource, moves: dict[str, dict[str, str]]) -> SchemaResource:
    """``resource`` with 2020-12 contents (the original kept); records moved pointers."""
    result = normalise(resource.contents, draft_named(resource.draft), resource.uri)
    for uri, found in result.moves.items():
        moves.setdefault(uri, {}).update(found)
    if result.contents == resource.contents:  # a 2020-12 schema: keep the very object
        return resource
    origins = tuple(sorted({**dict(resource.origins), **result.origins}.items()))
    return replace(resource, contents=result.contents, original=resource.contents, origins=origins)


def _with_moved_refs(
    resource: SchemaResource, moves: Mapping[str, Mapping[str, str]]
) -> SchemaResource:
    contents = rewrite_moved_refs(thaw(resource.contents), resource.uri, moves)
    if contents == resource.contents:
        return resource
    # a 2020-12 schema whose refs into an older one were rewritten keeps them as written
    original = resource.as_written
    return replace(resource, contents=contents, original=original)


Read = tuple[list[SchemaResource], tuple[Correction, ...], OperationsRead]
Reader = Callable[[Path, Draft], Read]


def _read_directory(root: Path, draft: Draft) -> Read:
    resolved_root = root.resolve()
    resources = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.suffix.lower() not in SCHEMA_SUFFIXES:
            continue
        if path.is_symlink() and not path.exists():
            warnings.warn(
                SchemaWarning(f"{path}: skipped: a symbolic link that loops or leads nowhere"),
                stacklevel=2,
            )
            continue
        if not path.is_file():
            continue
        if any(part in _SKIPPED_DIRS or part.startswith(".") for part in relative.parts[:-1]):
            continue
        if not path.resolve().is_relative_to(resolved_root):
            raise SchemaLoadError("symbolic link points outside the schema directory", str(path))
        contents = load_file(path)
        name = relative.with_suffix("").as_posix()
        synthetic = SYNTHETIC_BASE + quote(relative.as_posix())
        resources.append(_resource(name, synthetic, str(path), contents, draft))
    return resources, load_corrections(root), _directory_operations(root, resources)


def _directory_operations(root: Path, resources: list[SchemaResource]) -> OperationsRead:
    """The operations kept in ``root/operations/*`` (their schema refs name the directory's)."""
    found = OperationsRead()
    names = {resource.name for resource in resources}
    folder = root / OPERATIONS_DIR
    files = sorted(folder.iterdir()) if folder.is_dir() else []
    for path in (p for p in files if p.suffix.lower() in SCHEMA_SUFFIXES and p.is_file()):
        document = openapi3(load_file(path), str(path))
        if document is None:
            raise SchemaLoadError("an operations file must be an OpenAPI document", str(path))
        found.extend(read_operations(document.document, str(path), names, document.origins))
    return found


def _read_file(path: Path, draft: Draft) -> Read:
    document = load_file(path)
    openapi = openapi3(document, str(path))
    if openapi is not None:
        base = SYNTHETIC_BASE + quote(path.name) + "/components/schemas/"
        schemas = translated_components(openapi.document, str(path))
        resources = [
            replace(
                _resource(
                    name,
                    base + quote(name, safe=""),
                    f"{path}#{_component_pointer(name, openapi.origins)}",
                    schema,
                    LATEST,  # 2.0 and 3.0 schemas are translated, 3.1 ones are 2020-12
                ),
                origins=tuple(origins.items()),
            )
            for name, (schema, origins) in schemas.items()
        ]
        operations = read_operations(openapi.document, str(path), set(schemas), openapi.origins)
        return resources, load_corrections(path.parent), operations
    synthetic = SYNTHETIC_BASE + quote(path.name)
    return [_resource(path.stem, synthetic, str(path), document, draft)], (), OperationsRead()


def _component_pointer(name: str, origins: Mapping[str, str]) -> str:
    """Where component ``name`` is written: ``/definitions/<name>`` in a Swagger 2.0 file."""
    if origins:
        return written_pointer(origins, f"/components/schemas/{escape(name)}").pointer
    return f"/components/schemas/{name}"


def _resource(
    name: str, synthetic_uri: str, origin: str, contents: Any, default_draft: Draft
) -> SchemaResource:
    """A resource as read (not yet normalised): its draft and its URI."""
    if not isinstance(contents, (dict, bool)):
        raise InvalidSchemaError(
            f"a schema must be a JSON object or boolean, not {type(contents).__name__}", origin
        )
    check_depth(contents, origin)
    if isinstance(contents, dict) and not looks_like_a_schema(contents):
        keys = ", ".join(list(contents)[:3]) + (", ..." if len(contents) > 3 else "")
        warnings.warn(
            SchemaWarning(f"{origin}: no JSON Schema keyword (only {keys}); is it a schema?"),
            stacklevel=2,
        )
    draft = detect_draft(contents, default_draft, f"{origin}#/$schema")
    declared = contents.get(draft.id_keyword) if isinstance(contents, dict) else None
    if draft.before_2019 and isinstance(contents, dict) and "$ref" in contents:
        declared = None  # before 2019-09 an id beside $ref is ignored like any sibling
    if isinstance(declared, str) and declared.split("#")[0]:
        # A relative $id is relative to where the file was read from (RFC 3986 resolution).
        uri = urldefrag(urljoin(synthetic_uri, declared))[0]
        aliases = (synthetic_uri,) if uri != synthetic_uri else ()
        return SchemaResource(name, uri, origin, contents, aliases, draft.name)
    return SchemaResource(name, synthetic_uri, origin, contents, draft=draft.name)


def _apply_corrections(
    resources: list[SchemaResource], corrections: tuple[Correction, ...]
) -> list[SchemaResource]:
    by_name = {resource.name: resource for resource in resources}
    for correction in corrections:
        target = by_name.get(correction.schema)
        if target is None:
            raise SchemaLoadError(
                f"correction targets unknown schema {correction.schema!r}", correction.file
            )
        by_name[target.name] = replace(target, contents=correction.apply(target.contents))
    return [by_name[resource.name] for resource in resources]


def _absolutise_component_refs(resources: list[SchemaResource]) -> list[SchemaResource]:
    """Point ``#/components/schemas/Name`` refs at the resource that holds component ``Name``.

    Such refs only make sense inside an OpenAPI document; once components live in their
    own files (or resources), the fragment would resolve against the wrong document.
    """
    uri_of = {resource.name: resource.uri for resource in resources}
    result = []
    for resource in resources:
        contents = resource.contents
        if isinstance(contents, dict) and "components" not in contents:
            contents = rewrite_component_refs(contents, uri_of, resource.uri)
        result.append(replace(resource, contents=contents))
    return result


def rewrite_component_refs(
    contents: dict[str, Any], uri_of: dict[str, str], base: str
) -> dict[str, Any]:
    """A copy of ``contents`` whose ``#/components/schemas/Name`` refs point at ``uri_of[Name]``
    (also used for the schemas inside an OpenAPI document's operations)."""
    contents = copy.deepcopy(contents)
    for node, _base, _pointer in iter_subschemas(contents, base):
        for keyword in ("$ref", "$dynamicRef"):
            ref = node.get(keyword)
            component = component_ref(ref) if isinstance(ref, str) else None
            if component is not None and component[0] in uri_of:
                name, rest = component
                node[keyword] = uri_of[name] + (f"#{rest}" if rest else "")
    return contents
