"""Documented corrections to a published schema set, kept as JSON Patches.

A schema directory may hold ``corrections/*.json``; each file names the component it
patches, why, the RFC 6902 patch itself, and an example document that the published
schemas reject and the corrected ones accept (or, for a correction that only tightens,
a counterexample that the published schemas accept and the corrected ones reject).
The loader applies them in file-name order unless asked for the upstream behaviour.
"""

from __future__ import annotations

from pathlib import Path

from ..core.errors import SchemaLoadError
from ..core.schemaset import Correction
from .jsonio import load_file

CORRECTIONS_DIR = "corrections"


_REQUIRED_FIELDS = ("title", "reason", "schema", "patch")


def load_corrections(directory: Path) -> tuple[Correction, ...]:
    folder = directory / CORRECTIONS_DIR
    if not folder.is_dir():
        return ()
    return tuple(_read_correction(path) for path in sorted(folder.glob("*.json")))


def _read_correction(path: Path) -> Correction:
    data = load_file(path)
    if not isinstance(data, dict):
        raise SchemaLoadError("a correction must be a JSON object", str(path))
    missing = [field for field in _REQUIRED_FIELDS if field not in data]
    if missing:
        raise SchemaLoadError(f"correction lacks {', '.join(missing)}", str(path))
    if "example" not in data and "counterexample" not in data:
        raise SchemaLoadError("correction needs an 'example' or a 'counterexample'", str(path))
    if not isinstance(data["patch"], list) or not all(isinstance(op, dict) for op in data["patch"]):
        raise SchemaLoadError("'patch' must be a list of JSON Patch operations", str(path))
    return Correction(
        file=str(path),
        title=str(data["title"]),
        reason=str(data["reason"]),
        schema=str(data["schema"]),
        patch=tuple(data["patch"]),
        example=data.get("example"),
        counterexample=data.get("counterexample"),
    )
