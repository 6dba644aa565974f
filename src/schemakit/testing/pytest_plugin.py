"""The schemakit pytest plugin (registered through the ``pytest11`` entry point).

* options ``--schemakit-schemas SRC`` / ``--schemakit-upstream`` (ini: ``schemakit_schemas``);
* a session fixture ``schemakit_schemas`` with the configured SchemaSet;
* ``@pytest.mark.schemakit_documents(name, n=20, seed=0)``: one test per generated document;
* ``@pytest.mark.schemakit_responses(directory, schema=None)``: one test per recorded file;
* ``@pytest.mark.schemakit_traffic(path)``: one test per exchange of a HAR file, VCR.py
  cassette or Postman collection (or a directory of them), injected as ``exchange``.

Both markers inject ``document`` (``argname=`` renames it) and, when the test asks for it,
``schema_name``. Parametrisation is computed from the seed and the files alone, so every
pytest-xdist worker collects the same tests with the same ids; the ids of generated
documents carry a digest of the document, so a worker that generated something else would
make xdist stop with "different tests were collected" instead of testing silently.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ..core.errors import SchemakitError
from ..load.jsonio import load_file
from ..load.loader import bundled_schemas_dir
from ..schemaset import SchemaSet, load
from .assertions import reset_schemas, use_schemas

RESPONSE_SUFFIXES = (".json", ".yaml", ".yml")
_SCHEMAS_KEY = pytest.StashKey[SchemaSet]()
BUNDLED_MODELS = "sentinel_hub_models"  # generated from the bundled set, installed with it
_SCHEMAS_TOKEN_KEY = pytest.StashKey[Any]()
_DOCUMENTS_KEY = pytest.StashKey[dict[tuple[str, int, int], list[Any]]]()

MARKERS = (
    "schemakit_documents(name, n=20, seed=0, argname='document'): run the test once per "
    "document generated from schema `name` (deterministic for a seed)",
    "schemakit_responses(directory, schema=None, argname='document'): run the test once per "
    "JSON/YAML file in `directory` (relative to the test file)",
    "schemakit_traffic(path, argname='exchange'): run the test once per recorded exchange "
    "of a HAR file, VCR.py cassette or Postman collection, or a directory of them; check it "
    "with schemakit.assert_response_valid(exchange)",
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("schemakit", "schemakit schema testing")
    group.addoption(
        "--schemakit-schemas",
        metavar="SRC",
        default=None,
        help="schema directory, schema file or OpenAPI document (default: bundled set)",
    )
    group.addoption(
        "--schemakit-upstream",
        action="store_true",
        default=False,
        help="use the schemas exactly as published, without documented corrections",
    )
    parser.addini("schemakit_schemas", "default for --schemakit-schemas", default="")


def pytest_configure(config: pytest.Config) -> None:
    for marker in MARKERS:
        config.addinivalue_line("markers", marker)
    source, upstream = _configured_source(config)
    config.stash[_SCHEMAS_TOKEN_KEY] = use_schemas(source, upstream=upstream)
    _register_bundled_models()
    if source is not None:
        # A broken --schemakit-schemas is one usage error now, not a failure in every test.
        configured_schemas(config)


def pytest_unconfigure(config: pytest.Config) -> None:
    # Restore it: an in-process pytester run must not leak its option into the outer session.
    if _SCHEMAS_TOKEN_KEY in config.stash:
        reset_schemas(config.stash[_SCHEMAS_TOKEN_KEY])


def _register_bundled_models() -> None:
    """``st.from_type(BatchV2ProcessTask)`` works in tests, with no import side effect.

    Only the model classes are registered here; ``schemakit.strategies`` (whose import
    builds strategies, which Hypothesis flags during plugin start-up) and the schema set
    load when a model is first drawn. Skipped where Hypothesis or the models are missing.
    """
    try:
        from hypothesis import strategies as st

        models = importlib.import_module(BUNDLED_MODELS)
    except ImportError:
        return
    names = frozenset(path.stem for path in bundled_schemas_dir().glob("*.json"))
    for name, value in vars(models).items():
        if name in names and inspect.isclass(value) and hasattr(value, "from_dict"):
            st.register_type_strategy(value, functools.partial(_bundled_model, name))


def _bundled_model(name: str, model: type) -> Any:
    from ..strategies.models import bundled_model_strategy

    return bundled_model_strategy(name, model)


def _configured_source(config: pytest.Config) -> tuple[str | None, bool]:
    source: str | None = config.getoption("schemakit_schemas")
    if source is None and (ini := str(config.getini("schemakit_schemas") or "")):
        # ini paths are relative to the ini file, not to where pytest was started.
        base = config.inipath.parent if config.inipath else config.rootpath
        source = str(base / ini)
    return source, bool(config.getoption("schemakit_upstream"))


def configured_schemas(config: pytest.Config) -> SchemaSet:
    """The session's SchemaSet, loaded once per process."""
    if _SCHEMAS_KEY not in config.stash:
        source, upstream = _configured_source(config)
        try:
            config.stash[_SCHEMAS_KEY] = load(source, upstream=upstream)
        except SchemakitError as exc:
            raise pytest.UsageError(f"schemakit: {exc}") from None
    return config.stash[_SCHEMAS_KEY]


@pytest.fixture(scope="session")
def schemakit_schemas(pytestconfig: pytest.Config) -> SchemaSet:
    """The schema set chosen by --schemakit-schemas/--schemakit-upstream (default: bundled)."""
    return configured_schemas(pytestconfig)


# -- parametrisation ---------------------------------------------------------------------


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    for marker in metafunc.definition.iter_markers():
        handler = _MARKER_HANDLERS.get(marker.name)
        if handler is not None:
            handler(metafunc, marker)


def _parametrize(
    metafunc: pytest.Metafunc,
    marker: pytest.Mark,
    schema: str | None,
    values: list[Any],
    ids: list[str],
) -> None:
    argname = str(marker.kwargs.get("argname", "document"))
    if argname not in metafunc.fixturenames:
        pytest.fail(f"{marker.name}: the test takes no argument {argname!r}", pytrace=False)
    names = [argname]
    rows: list[tuple[Any, ...]] = [(value,) for value in values]
    if "schema_name" in metafunc.fixturenames:
        if schema is None:
            pytest.fail(f"{marker.name}: give schema= to use 'schema_name'", pytrace=False)
        names, rows = [argname, "schema_name"], [(value, schema) for value in values]
    metafunc.parametrize(names, rows, ids=ids)


def _documents_marker(metafunc: pytest.Metafunc, marker: pytest.Mark) -> None:
    if not marker.args:
        pytest.fail("schemakit_documents needs a schema name", pytrace=False)
    name = str(marker.args[0])
    n, seed = int(marker.kwargs.get("n", 20)), int(marker.kwargs.get("seed", 0))
    schema_set = configured_schemas(metafunc.config)
    if name not in schema_set:
        suggestions = ", ".join(schema_set.suggest(name))
        hint = f" (did you mean {suggestions}?)" if suggestions else ""
        pytest.fail(f"schemakit_documents: unknown schema {name!r}{hint}", pytrace=False)
    cache = metafunc.config.stash.setdefault(_DOCUMENTS_KEY, {})
    if (name, n, seed) not in cache:
        cache[(name, n, seed)] = draw_documents(schema_set.strategy(name), n, seed)
    documents = cache[(name, n, seed)]
    ids = [f"{name}-{i}-{digest(document)}" for i, document in enumerate(documents)]
    _parametrize(metafunc, marker, name, documents, ids)


def _marker_path(
    metafunc: pytest.Metafunc, marker: pytest.Mark, needs: str, *, directory: bool
) -> Path:
    """The path a marker names (relative to the test file); the test fails if it is not there."""
    if not marker.args:
        pytest.fail(f"{marker.name} needs {needs}", pytrace=False)
    path = Path(str(marker.args[0]))
    if not path.is_absolute():
        path = metafunc.definition.path.parent / path
    if not (path.is_dir() if directory else path.exists()):
        kind = "directory" if directory else "file or directory"
        pytest.fail(f"{marker.name}: no such {kind} {path}", pytrace=False)
    return path


def _responses_marker(metafunc: pytest.Metafunc, marker: pytest.Mark) -> None:
    directory = _marker_path(metafunc, marker, "a directory", directory=True)
    files = sorted(
        path
        for path in directory.rglob("*")
        if path.is_file() and path.suffix.lower() in RESPONSE_SUFFIXES
    )
    if not files:
        pytest.fail(f"schemakit_responses: no JSON or YAML files in {directory}", pytrace=False)
    documents = [_read(path) for path in files]
    schema = marker.kwargs.get("schema")
    ids = [path.relative_to(directory).as_posix() for path in files]
    _parametrize(metafunc, marker, None if schema is None else str(schema), documents, ids)


@dataclass(frozen=True)
class UnreadableResponse:
    """Stands in for a recorded file that could not be read: its own test fails with the
    reason, and the other files of the directory are still tested."""

    problem: str


def _read(path: Path) -> Any:
    try:
        return load_file(path)
    except SchemakitError as exc:
        return UnreadableResponse(str(exc))


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> None:
    for value in pyfuncitem.funcargs.values():
        if isinstance(value, UnreadableResponse):
            pytest.fail(f"schemakit_responses: {value.problem}", pytrace=False)


def _traffic_marker(metafunc: pytest.Metafunc, marker: pytest.Mark) -> None:
    from ..traffic.recordings import read_recording, recording_files

    where = _marker_path(metafunc, marker, "a recording or a directory", directory=False)
    base = where if where.is_dir() else where.parent
    exchanges: list[Any] = []
    problem: SchemakitError | None = None
    try:
        for path in recording_files([where]):
            exchanges.extend(read_recording(path))
    except SchemakitError as exc:  # reported outside the handler: no chained traceback
        problem = exc
    if problem is not None:
        pytest.fail(f"schemakit_traffic: {problem}", pytrace=False)
    if not exchanges:
        pytest.fail(f"schemakit_traffic: no recorded exchanges in {where}", pytrace=False)
    ids = [f"{Path(e.source).relative_to(base).as_posix()}#{e.index}-{e.method}" for e in exchanges]
    argname = str(marker.kwargs.get("argname", "exchange"))
    if argname not in metafunc.fixturenames:
        pytest.fail(f"schemakit_traffic: the test takes no argument {argname!r}", pytrace=False)
    metafunc.parametrize(argname, exchanges, ids=ids)


_MARKER_HANDLERS: dict[str, Callable[[pytest.Metafunc, pytest.Mark], None]] = {
    "schemakit_documents": _documents_marker,
    "schemakit_responses": _responses_marker,
    "schemakit_traffic": _traffic_marker,
}


def digest(document: Any) -> str:
    """Eight hex digits identifying a JSON document (key order does not matter)."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def draw_documents(strategy: Any, n: int, seed: int) -> list[Any]:
    """Up to ``n`` distinct examples of ``strategy``, the same ones for the same seed.

    Drawn with the fixtures engine, so ``schemakit fixtures --seed`` and the marker agree
    on what a seed means.
    """
    from ..strategies.seeded import documents

    found: list[Any] = []
    seen: set[str] = set()
    for document in documents(strategy, max(1, 3 * n), seed):
        key = json.dumps(document, sort_keys=True, default=str)
        if key not in seen:
            seen.add(key)
            found.append(document)
        if len(found) == n:
            break
    return found
