"""Format dependencies jsonschema imports eagerly load on first use; their formats still check."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
import schemakit
from schemakit.core.formats import FORMAT_CHECKER
module = sys.modules["rfc3987_syntax"]
print("deferred" if module.__doc__ == "lazy stand-in installed by schemakit" else "eager")
print(FORMAT_CHECKER.conforms("https://example.com/ä", "iri"))
print(FORMAT_CHECKER.conforms("::not an iri", "iri"))
print(FORMAT_CHECKER.conforms("a b", "iri-reference"))
print(FORMAT_CHECKER.conforms("../relative/ä", "iri-reference"))
"""


def test_iri_dependency_is_deferred_and_still_checks() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["deferred", "True", "False", "False", "True"]


DURATION_SCRIPT = """
import sys
import schemakit
from schemakit.core.formats import FORMAT_CHECKER
print("deferred" if "arrow" not in sys.modules else "eager")
print(FORMAT_CHECKER.conforms("P1Y2M", "duration"))
print(FORMAT_CHECKER.conforms("P1Q", "duration"))
print(FORMAT_CHECKER.conforms("P", "duration"))
import isoduration.parser  # a submodule still imports through the stand-in
print("loaded" if "arrow" in sys.modules else "not loaded")
"""


def test_duration_dependency_is_deferred_and_still_checks() -> None:
    result = subprocess.run(
        [sys.executable, "-c", DURATION_SCRIPT], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["deferred", "True", "False", "False", "loaded"]
