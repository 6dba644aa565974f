"""The official JSON-Schema-Test-Suite, fetched at run time and read per draft.

The suite ships inside the ``jsonschema`` source distribution, so it comes from the
package index with ``pip download`` (the version installed here), is unpacked once into
a cache folder (``$SCHEMAKIT_CACHE_DIR/json-schema-test-suite/<version>``, or the
system temp dir) and is never committed. Used by ``benchmarks/conformance.py`` and by
the conformance tests.

What counts, per draft: the required tests less ``refRemote`` and ``vocabulary`` (they
need a server, or meta-schemas that switch vocabularies off) and ``format.json`` (format
as annotation), plus the optional ``format/`` files of the formats schemakit asserts.
Schemas of draft-04/06/07 get the ``$schema`` of their draft, as real schemas declare
it; 2019-09 and 2020-12 test schemas already do. ``localhost:1234`` documents are the
suite's ``remotes/`` folder, supplied offline (``--ref-map``).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from schemakit.core.formats import ASSERTED_FORMATS

REMOTE_PREFIX = "http://localhost:1234/"
# draft name (as schemakit says it) -> (suite folder, $schema given to its test schemas)
DRAFT_FOLDERS: dict[str, tuple[str, str]] = {
    "draft-04": ("draft4", "http://json-schema.org/draft-04/schema#"),
    "draft-06": ("draft6", "http://json-schema.org/draft-06/schema#"),
    "draft-07": ("draft7", "http://json-schema.org/draft-07/schema#"),
    "2019-09": ("draft2019-09", "https://json-schema.org/draft/2019-09/schema"),
    "2020-12": ("draft2020-12", "https://json-schema.org/draft/2020-12/schema"),
}
SKIPPED_FILES = frozenset({"refRemote.json", "vocabulary.json", "format.json"})


class SuiteUnavailable(Exception):
    """pip could not fetch the jsonschema sdist (no index reachable)."""


@dataclass(frozen=True)
class Case:
    """One schema of the suite with its test documents."""

    draft: str
    file: str  # "ref.json", "optional/format/email.json"
    description: str
    schema: Any
    tests: tuple[tuple[str, Any, bool], ...]  # (description, document, valid)

    @property
    def label(self) -> str:
        return f"{self.draft} {self.file}: {self.description}"


def cache_root() -> Path:
    configured = os.environ.get("SCHEMAKIT_CACHE_DIR")
    root = Path(configured).expanduser() if configured else Path(tempfile.gettempdir())
    return root / "json-schema-test-suite"


def suite_dir() -> Path:
    """The unpacked ``json`` folder of the suite (tests/ and remotes/), fetched once."""
    version = metadata.version("jsonschema")
    target = cache_root() / version
    done = target / "json" / "tests"
    if done.is_dir():
        return target / "json"
    cache_root().mkdir(parents=True, exist_ok=True)
    download = Path(tempfile.mkdtemp(dir=cache_root()))  # one per process: no clashes
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary"]
    command += [":all:", f"jsonschema=={version}", "-d", str(download)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    archives = sorted(download.glob("jsonschema-*.tar.gz"))
    if result.returncode != 0 or not archives:
        last = (result.stderr.strip().splitlines() or ["no archive"])[-1]
        raise SuiteUnavailable(f"pip could not download the jsonschema sdist: {last}")
    staging = download
    with tarfile.open(archives[0]) as tar:
        members = [m for m in tar.getmembers() if "/json/" in m.name and m.isfile()]
        for member in members:
            member.name = member.name.split("/json/", 1)[1]
        if hasattr(tarfile, "data_filter"):  # Python 3.12, and 3.10.12/3.11.4 onwards
            tar.extractall(staging / "json", members=members, filter="data")
        else:  # pragma: no cover
            tar.extractall(staging / "json", members=members)
    target.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # another process got there first
        (staging / "json").rename(target / "json")  # atomic: a half-unpacked suite is never seen
    shutil.rmtree(staging, ignore_errors=True)
    return target / "json"


def remotes_dir() -> Path:
    return suite_dir() / "remotes"


def counted_files(draft: str) -> list[str]:
    """The suite files of ``draft`` that count, relative to its folder."""
    folder = suite_dir() / "tests" / DRAFT_FOLDERS[draft][0]
    required = [p.name for p in sorted(folder.glob("*.json")) if p.name not in SKIPPED_FILES]
    formats = [
        f"optional/format/{p.name}"
        for p in sorted((folder / "optional" / "format").glob("*.json"))
        if p.stem in ASSERTED_FORMATS
    ]
    return required + formats


def cases(draft: str) -> Iterator[Case]:
    folder_name, dialect = DRAFT_FOLDERS[draft]
    folder = suite_dir() / "tests" / folder_name
    for file in counted_files(draft):
        groups = json.loads((folder / file).read_text(encoding="utf-8"))
        for group in groups:
            schema = group["schema"]
            if isinstance(schema, dict) and "$schema" not in schema:
                schema = {"$schema": dialect, **schema}
            tests = tuple((t["description"], t["data"], t["valid"]) for t in group["tests"])
            yield Case(draft, file, group["description"], schema, tests)
