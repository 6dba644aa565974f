"""What start-up skips: the compiled meta-schema check (Python's ``check_schema`` only for
schemas it rejects) and imports that only some runs need."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from schemakit.core.drafts import LATEST
from schemakit.load.checks import _meta_validator, _passes_compiled, tolerated

_VALUES = st.one_of(
    st.sampled_from(["string", "object", "x", "([", "a{,3}", "^a$", "#/a b", "http://x/y"]),
    st.integers(-2, 3),
    st.booleans(),
    st.none(),
)
_KEYWORDS = st.sampled_from(
    [
        "type",
        "pattern",
        "$id",
        "$ref",
        "$schema",
        "minimum",
        "required",
        "enum",
        "format",
        "$anchor",
        "items",
        "not",
    ]
)
_SCHEMAS = st.recursive(
    st.dictionaries(_KEYWORDS, _VALUES, max_size=3),
    lambda inner: st.one_of(
        st.dictionaries(_KEYWORDS, inner, max_size=2),
        st.fixed_dictionaries({"properties": st.dictionaries(st.text(max_size=2), inner)}),
        st.fixed_dictionaries(
            {
                "patternProperties": st.dictionaries(
                    _VALUES.filter(lambda v: isinstance(v, str)), inner, max_size=2
                )
            }
        ),
        st.fixed_dictionaries({"allOf": st.lists(inner, max_size=2)}),
    ),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(_SCHEMAS)
def test_what_the_compiled_meta_schema_check_passes_jsonschema_passes(schema: Any) -> None:
    errors = [e for e in _meta_validator(LATEST).iter_errors(schema) if not tolerated(e)]
    if _passes_compiled(LATEST, schema):
        assert errors == [], schema


@pytest.mark.parametrize(
    "schema",
    [
        {"type": 5},
        {"pattern": "(["},
        {"$id": "http://exa mple.com/"},
        {"$schema": "not a uri"},
        {"patternProperties": {"([": {}}},
        {"pattern": "a\\Z"},
        {"minimum": "1"},
    ],
)
def test_the_compiled_check_sends_bad_schemas_to_the_full_one(schema: Any) -> None:
    assert not _passes_compiled(LATEST, schema)
    assert [e for e in _meta_validator(LATEST).iter_errors(schema) if not tolerated(e)]


def test_a_validate_run_imports_neither_rich_nor_http() -> None:
    script = (
        "import sys\n"
        "from schemakit.cli import main\n"
        "code = main(['validate', '-s', 'BatchV2ProcessTask', 'examples/task.json'])\n"
        "print(code, sorted(m for m in ('rich', 'http.client', 'urllib.request', "
        "'hypothesis') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.splitlines()[-1] == "0 []"
