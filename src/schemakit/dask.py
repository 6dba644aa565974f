"""Validate dask collections (``pip install 'schemakit[dask]'``).

Each partition builds its validator once (a ``Validator`` pickles as its bundled schema)
and checks its elements in the worker; nothing is collected to the client.

* ``validate_bag(bag, schema_name, schemas=None)`` -> a bag of result dicts
  ``{"valid": bool | None, "errors": [issue dicts], "error": str | None}``;
* ``validate_dataframe(df, column, schema_name, schemas=None)`` -> a dataframe with
  ``valid`` (nullable boolean), ``errors`` (JSON text of the issue list) and ``error``
  (nullable string: why the cell could not be read, else ``<NA>``), on the index of ``df``.

Elements and cells may be parsed documents (dict, list, ...) or JSON text (``str`` or
``bytes``, e.g. from ``dask.bag.read_text``), which is parsed with schemakit's strict
rules; unreadable text gives ``valid: None`` and the reason in ``error``.
``schemas``: a ``SchemaSet``, a schema directory/file/OpenAPI path, or None for the
bundled set.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .core.errors import SourceError
from .core.extras import needs
from .load.jsonio import decode_utf8, parse_json
from .schemaset import SchemaSet, load
from .validate.validator import Validator

with needs("dask", "schemakit.dask"):
    import dask.bag as db
    import dask.dataframe as dd
    import pandas as pd

_NO_ISSUES = "[]"
_WHERE = "<element>"


def validator_for(schema_name: str, schemas: SchemaSet | str | Path | None = None) -> Validator:
    """Resolve ``schemas`` and build the validator on the client (errors surface early)."""
    schema_set = schemas if isinstance(schemas, SchemaSet) else load(schemas)
    return schema_set.validator(schema_name)


def check(validator: Validator, element: Any) -> dict[str, Any]:
    """The result dict for one element (a document, or JSON text of one)."""
    if isinstance(element, (str, bytes)):
        try:
            text = decode_utf8(element, _WHERE) if isinstance(element, bytes) else element
            element = parse_json(text.rstrip("\r\n"), _WHERE)
        except SourceError as exc:
            return {"valid": None, "errors": [], "error": str(exc)}
    issues = validator.errors(element)
    return {"valid": not issues, "errors": [issue.to_dict() for issue in issues], "error": None}


def _check_partition(elements: Iterable[Any], validator: Validator) -> list[dict[str, Any]]:
    return [check(validator, element) for element in elements]


def validate_bag(
    bag: db.Bag, schema_name: str, schemas: SchemaSet | str | Path | None = None
) -> db.Bag:
    """A bag with one result dict per element of ``bag``, in the same order."""
    validator = validator_for(schema_name, schemas)
    results: db.Bag = bag.map_partitions(_check_partition, validator)  # type: ignore[no-untyped-call]
    return results


_META = pd.DataFrame(
    {
        "valid": pd.Series(dtype="boolean"),
        "errors": pd.Series(dtype="object"),
        # nullable strings: a missing reason is <NA> in every partition, never NaN or None
        "error": pd.Series(dtype="string"),
    }
)


def _frame_partition(cells: pd.Series, validator: Validator) -> pd.DataFrame:
    results = [check(validator, cell) for cell in cells]
    return pd.DataFrame(
        {
            "valid": pd.array([r["valid"] for r in results], dtype="boolean"),
            "errors": [
                json.dumps(r["errors"], ensure_ascii=False) if r["errors"] else _NO_ISSUES
                for r in results
            ],
            "error": pd.array([r["error"] for r in results], dtype="string"),
        },
        index=cells.index,
    ).astype({"errors": "object"})


def validate_dataframe(
    df: dd.DataFrame,
    column: str,
    schema_name: str,
    schemas: SchemaSet | str | Path | None = None,
) -> dd.DataFrame:
    """Verdicts for the documents in ``df[column]``: columns ``valid``, ``errors``, ``error``."""
    validator = validator_for(schema_name, schemas)
    frame: dd.DataFrame = df[column].map_partitions(_frame_partition, validator, meta=_META)
    return frame
