"""Optional parts of schemakit and the one line that says how to get each.

``pip install schemakit`` is the loader, the validator and the linter. Generation
(Hypothesis), model code generation (datamodel-code-generator, black) and dask support are
extras, so a user who only validates does not install them. A package that needs one
imports it inside ``with needs(extra, feature):``; a missing extra is then a
``MissingExtraError`` (an ``ImportError`` and a ``SchemakitError``) naming the
``pip install`` to run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .errors import SchemakitError

# extra -> the top-level modules it brings
EXTRAS = {
    "fixtures": ("hypothesis",),
    "models": ("datamodel_code_generator", "black"),
    "dask": ("dask", "distributed", "pandas"),
}


class MissingExtraError(SchemakitError, ImportError):
    """A feature was used whose optional dependencies are not installed."""


@contextmanager
def needs(extra: str, feature: str) -> Iterator[None]:
    """Imports in this block that fail for a module of ``extra`` name the pip install."""
    try:
        yield
    except ImportError as exc:
        module = (exc.name or "").split(".")[0]
        if module not in EXTRAS[extra]:
            raise  # something else is broken: not ours to explain away
        raise MissingExtraError(
            f"{feature} needs {module}, which is not installed: pip install 'schemakit[{extra}]'"
        ) from None
