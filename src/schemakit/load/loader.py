"""``load()``: read a schema directory, a single schema file or an OpenAPI document.

The data path is: read files -> apply documented corrections -> make component refs
absolute -> check (meta-schema, every ``$ref``, ref cycles) -> ``PureSchemaSet``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urldefrag, urljoin

from ..core.errors import InvalidSchemaError, SchemaLoadError, SourceError
from ..core.schemaset import SYNTHETIC_BASE, Correction, PureSchemaSet, SchemaResource
from ..core.walk import iter_subschemas
from .checks import check_schema_set
from .corrections import CORRECTIONS_DIR, load_corrections
from .jsonio import load_file
from .openapi import component_ref, component_schemas, openapi_version
from .remote import Fetcher, fetch_remote_resources

SCHEMA_SUFFIXES = (".json", ".yaml", ".yml")
_SKIPPED_DIRS = {CORRECTIONS_DIR, "examples", "node_modules"}


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
) -> PureSchemaSet:
    """Load and check a schema set.

    ``source``: a directory of schema files (one schema per file, named by its path
    without suffix), one schema file, or an OpenAPI 3.0/3.1 document (JSON or YAML).
    Default: the bundled Sentinel Hub Batch V2 set. ``upstream=True`` skips the
    documented corrections and validates exactly as published.

    Remote (http/https) ``$ref`` targets are fetched only with ``allow_remote=True``
    (with a timeout, a size limit and a disk cache; see ``schemakit.load.remote``); they
    then become resources of the set. Otherwise they fail with ``RemoteRefError``.
    """
    schema_set = read_schema_set(
        source, upstream=upstream, allow_remote=allow_remote, fetcher=fetcher
    )
    check_schema_set(schema_set)
    return schema_set


def read_schema_set(
    source: str | Path | None = None,
    *,
    upstream: bool = False,
    allow_remote: bool = False,
    fetcher: Fetcher | None = None,
) -> PureSchemaSet:
    """``load()`` without the checks: for tools (the linter) that report a broken set's
    defects instead of refusing it. Unreadable files and bad corrections still raise."""
    path = Path(source) if source is not None else bundled_schemas_dir()
    if not path.exists():
        raise SourceError("no such file or directory", str(path))
    reader = _read_directory if path.is_dir() else _read_file
    resources, corrections = reader(path)
    if not resources:
        raise SchemaLoadError("no schemas found", str(path))
    if not upstream:
        resources = _apply_corrections(resources, corrections)
    resources = _absolutise_component_refs(resources)
    if allow_remote:
        resources += fetch_remote_resources(resources, fetcher)
    return PureSchemaSet(
        resources=tuple(resources),
        source=str(path),
        upstream=upstream,
        corrections=() if upstream else corrections,
    )


Reader = Callable[[Path], tuple[list[SchemaResource], tuple[Correction, ...]]]


def _read_directory(root: Path) -> tuple[list[SchemaResource], tuple[Correction, ...]]:
    resolved_root = root.resolve()
    resources = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.suffix.lower() not in SCHEMA_SUFFIXES or not path.is_file():
            continue
        if any(part in _SKIPPED_DIRS or part.startswith(".") for part in relative.parts[:-1]):
            continue
        if not path.resolve().is_relative_to(resolved_root):
            raise SchemaLoadError("symbolic link points outside the schema directory", str(path))
        contents = load_file(path)
        name = relative.with_suffix("").as_posix()
        synthetic = SYNTHETIC_BASE + quote(relative.as_posix())
        resources.append(_resource(name, synthetic, str(path), contents))
    return resources, load_corrections(root)


def _read_file(path: Path) -> tuple[list[SchemaResource], tuple[Correction, ...]]:
    document = load_file(path)
    if openapi_version(document) is not None or (
        isinstance(document, dict) and "swagger" in document
    ):
        base = SYNTHETIC_BASE + quote(path.name) + "/components/schemas/"
        schemas = component_schemas(document, str(path))
        resources = [
            _resource(
                name, base + quote(name, safe=""), f"{path}#/components/schemas/{name}", schema
            )
            for name, schema in schemas.items()
        ]
        return resources, load_corrections(path.parent)
    return [_resource(path.stem, SYNTHETIC_BASE + quote(path.name), str(path), document)], ()


def _resource(name: str, synthetic_uri: str, origin: str, contents: Any) -> SchemaResource:
    if not isinstance(contents, (dict, bool)):
        raise InvalidSchemaError(
            f"a schema must be a JSON object or boolean, not {type(contents).__name__}", origin
        )
    declared = contents.get("$id") if isinstance(contents, dict) else None
    if isinstance(declared, str) and declared.split("#")[0]:
        # A relative $id is relative to where the file was read from (RFC 3986 resolution).
        uri = urldefrag(urljoin(synthetic_uri, declared))[0]
        return SchemaResource(name, uri, origin, contents, (synthetic_uri,))
    return SchemaResource(name, synthetic_uri, origin, contents)


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
        by_name[target.name] = SchemaResource(
            target.name,
            target.uri,
            target.origin,
            correction.apply(target.contents),
            target.aliases,
        )
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
            contents = _rewrite_component_refs(contents, uri_of, resource.uri)
        result.append(
            SchemaResource(resource.name, resource.uri, resource.origin, contents, resource.aliases)
        )
    return result


def _rewrite_component_refs(
    contents: dict[str, Any], uri_of: dict[str, str], base: str
) -> dict[str, Any]:
    contents = copy.deepcopy(contents)
    for node, _base, _pointer in iter_subschemas(contents, base):
        for keyword in ("$ref", "$dynamicRef"):
            ref = node.get(keyword)
            component = component_ref(ref) if isinstance(ref, str) else None
            if component is not None and component[0] in uri_of:
                name, rest = component
                node[keyword] = uri_of[name] + (f"#{rest}" if rest else "")
    return contents
