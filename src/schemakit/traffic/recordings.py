"""Read recordings: which format a file is (by its shape, not its name; a ``.zip`` is a
HAR archive) and its exchanges.

A recording is read whole before any exchange is checked: an unreadable one is a single
``RecordingError`` (file and place), and the other recordings are still checked.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from ..load.jsonio import is_yaml_path, parse_json, read_text
from .exchange import Exchange
from .har import read_har
from .postman import read_collection
from .shape import RecordingError
from .vcr import read_cassette

RECORDING_SUFFIXES = (".har", ".json", ".yaml", ".yml", ".har.zip")

_Safe: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _CassetteLoader(_Safe):  # type: ignore[misc,valid-type]
    """A safe loader that also reads what cassette writers put in YAML, which schemakit's
    JSON-only YAML refuses: ``!!binary`` (gzip'd bodies as they arrived), the Python 2
    ``!!python/unicode``/``!!python/str`` strings of old vcrpy cassettes, ``!!python/bytes``,
    and Ruby VCR's ``!binary``. Nothing else: no tag builds an object."""


def _text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


for _tag in ("tag:yaml.org,2002:python/unicode", "tag:yaml.org,2002:python/str"):
    _CassetteLoader.add_constructor(_tag, _text)
for _tag in ("tag:yaml.org,2002:python/bytes", "!binary"):
    _CassetteLoader.add_constructor(_tag, _Safe.construct_yaml_binary)

Reader = Callable[[Any, str], list[Exchange]]

# vcrpy before 1.0 wrote a list of interactions (Request objects, host/port/path apart);
# vcrpy itself refuses these and ships the converter
_OLD_VCRPY = (
    "a cassette in the format of vcrpy before 1.0; convert it with "
    "'python -m vcr.migration FILE' (vcrpy reads only the converted form too)"
)


def _is_har(data: dict[str, Any]) -> bool:
    return isinstance(data.get("log"), dict)


def _is_cassette(data: dict[str, Any]) -> bool:
    return "interactions" in data or "http_interactions" in data  # vcrpy; Betamax, Ruby VCR


def _is_collection(data: dict[str, Any]) -> bool:
    info = data.get("info")
    return isinstance(info, dict) and "item" in data


FORMATS: tuple[tuple[str, Callable[[dict[str, Any]], bool], Reader], ...] = (
    ("HAR", _is_har, read_har),
    ("VCR cassette", _is_cassette, read_cassette),
    ("Postman collection", _is_collection, read_collection),
)


def read_recording(path: str | Path) -> list[Exchange]:
    """Every exchange of one HAR file, VCR.py/Betamax/Ruby VCR cassette or Postman v2.1
    collection."""
    source = str(path)
    if Path(path).suffix.lower() == ".zip":
        return _read_har_zip(Path(path))
    text = read_text(Path(path))
    if not text.strip("\ufeff \t\r\n"):
        raise RecordingError(
            "file is empty, expected a HAR, VCR cassette or Postman collection", source
        )
    data = _parse_yaml(text, source) if is_yaml_path(Path(path)) else parse_json(text, source)
    if isinstance(data, dict):
        for _name, recognise, reader in FORMATS:
            if recognise(data):
                return reader(data, source)
    if isinstance(data, list) and data and isinstance(data[0], dict) and "request" in data[0]:
        raise RecordingError(_OLD_VCRPY, source)
    raise RecordingError(
        "not a HAR file, VCR cassette or Postman collection "
        "(expected log.entries, interactions, http_interactions, or info and item)",
        source,
    )


def _read_har_zip(path: Path) -> list[Exchange]:
    """A HAR archive as Playwright writes it (``recordHar`` to a ``.zip``): one ``.har``
    member, and the body files its entries name in ``content._file``."""
    source = str(path)
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise RecordingError("no such file", source) from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise RecordingError(f"not a zip archive ({exc})", source) from None
    with archive:
        names = set(archive.namelist())
        hars = sorted(name for name in names if name.lower().endswith(".har"))
        if not hars:
            raise RecordingError("a zip archive without a .har file in it", source)
        member = f"{source}/{hars[0]}"
        try:
            text = archive.read(hars[0]).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise RecordingError(f"not valid UTF-8 (byte {exc.start})", member) from None
        data = parse_json(text, member)

        def attached(name: str) -> bytes | None:
            return archive.read(name) if name in names else None

        if not isinstance(data, dict) or not _is_har(data):
            raise RecordingError("not a HAR file (expected log.entries)", member)
        return read_har(data, source, attached)


def _parse_yaml(text: str, source: str) -> Any:
    try:
        return yaml.load(text, Loader=_CassetteLoader)  # a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
        if "vcr.request.Request" in str(exc.problem):
            raise RecordingError(_OLD_VCRPY, where) from None
        raise RecordingError(f"invalid YAML: {exc.problem or exc.context}", where) from None
    except yaml.YAMLError as exc:
        raise RecordingError(f"invalid YAML: {exc}", source) from None


def recording_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files named, with directories expanded to their recordings (sorted)."""
    for entry in paths:
        path = Path(entry)
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.name.lower().endswith(RECORDING_SUFFIXES)
            )
        else:
            yield path
