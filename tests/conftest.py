"""Shared fixtures: the bundled schema set, loaded once per test session."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml  # noqa: F401  (see below)
from hypothesis import HealthCheck, settings

import schemakit

# CI shares 2 cores with whatever else runs: no property test may fail because a machine
# was slow for a moment (explicit @settings still take precedence over the profile). The
# default run is derandomized: the same examples every time, so a verdict is reproducible
# and a clean clone passes or fails the same way twice. Hunting for new failures is a
# separate, random run: `pytest --hypothesis-profile=explore` (see README).
_LOADED_MACHINE: dict[str, Any] = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow],
}
settings.register_profile("schemakit-tests", derandomize=True, **_LOADED_MACHINE)
settings.register_profile("explore", derandomize=False, database=None, **_LOADED_MACHINE)
settings.load_profile("schemakit-tests")

# Imported here, in the outer session, on purpose: in-process pytester runs forget every
# module first imported inside them, and PyYAML's C extension cannot be imported afresh (it
# keeps the first copy's node classes: "could not determine a constructor for the tag None").

ROOT = Path(__file__).resolve().parents[1]
DOCS_DATA = ROOT / "tests" / "data" / "docs"


@pytest.fixture(scope="session")
def sentinel() -> schemakit.SchemaSet:
    return schemakit.load()


@pytest.fixture(scope="session")
def sentinel_upstream() -> schemakit.SchemaSet:
    return schemakit.load(upstream=True)


def docs_payloads() -> list[tuple[str, str, Any]]:
    """(file name, schema name, document) for every recorded documentation payload."""
    result = []
    for path in sorted(DOCS_DATA.glob("*.json")):
        data = json.loads(path.read_text())
        result.append((path.name, data["schema"], data["document"]))
    return result
