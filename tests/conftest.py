"""Shared fixtures: the bundled schema set, loaded once per test session."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

import schemakit

# CI shares 2 cores with whatever else runs: no property test may fail because a machine
# was slow for a moment (explicit @settings still take precedence over the profile).
settings.register_profile(
    "schemakit-tests", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("schemakit-tests")

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
