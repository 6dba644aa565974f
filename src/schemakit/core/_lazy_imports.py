"""Defer format-checking modules that ``jsonschema`` imports eagerly until a value needs them.

``jsonschema``'s format module imports its optional checkers when it is imported, and some
are slow: ``rfc3987_syntax`` builds a Lark grammar (about two seconds), ``isoduration``
pulls in ``arrow`` (about 0.1 s), ``rfc3986_validator`` compiles its grammar's regexes.
Every ``schemakit`` command and every pytest run that loads our plugin would pay for them,
though most never check an ``iri``, a ``duration`` or a ``uri``. A stand-in module exposes
what jsonschema takes from each and loads the real module on first use, so those formats
are still checked by the same code.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from collections.abc import Callable
from typing import Any

Loader = Callable[[], types.ModuleType]


def _functions(*names: str) -> Callable[[types.ModuleType, Loader], None]:
    """Functions jsonschema imports by name (``from m import f``), each loading on its call."""

    def offer(stand_in: types.ModuleType, load: Loader) -> None:
        for name in names:
            setattr(stand_in, name, _forward(load, name))

    return offer


def _forward(load: Loader, name: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(load(), name)(*args, **kwargs)

    call.__name__ = name
    return call


def _isoduration(stand_in: types.ModuleType, load: Loader) -> None:
    # jsonschema reads the exception class when it is imported (``raises=...``): the
    # stand-in has its own, and re-raises the real module's errors as it.
    class DurationParsingException(ValueError):
        """A duration the real ``isoduration`` refused."""

    def parse_duration(*args: Any, **kwargs: Any) -> Any:
        real = load()
        try:
            return real.parse_duration(*args, **kwargs)
        except real.DurationParsingException as exc:
            raise DurationParsingException(*exc.args) from exc

    stand_in.DurationParsingException = DurationParsingException  # type: ignore[attr-defined]
    stand_in.parse_duration = parse_duration  # type: ignore[attr-defined]


# module -> what its stand-in must offer before the real module is loaded
_DEFERRED: dict[str, Callable[[types.ModuleType, Loader], None]] = {
    "rfc3987_syntax": _functions("is_valid_syntax"),
    "rfc3986_validator": _functions("validate_rfc3986"),
    "isoduration": _isoduration,
}


def _install(name: str, offer: Callable[[types.ModuleType, Loader], None]) -> None:
    spec = None if name in sys.modules else importlib.util.find_spec(name)
    if spec is None:
        return
    real: list[types.ModuleType] = []

    def load() -> types.ModuleType:
        if not real:
            del sys.modules[name]
            try:
                real.append(importlib.import_module(name))
            except BaseException:
                sys.modules[name] = stand_in
                raise
        return real[0]

    stand_in = types.ModuleType(name, "lazy stand-in installed by schemakit")
    if spec.submodule_search_locations is not None:
        # where its submodules are, so ``import isoduration.parser`` works before the load
        stand_in.__path__ = list(spec.submodule_search_locations)
    offer(stand_in, load)

    def delegate(attribute: str) -> Any:
        # The import system probes dunders (``__path__``...); answering them must not load.
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return getattr(load(), attribute)

    stand_in.__getattr__ = delegate  # type: ignore[method-assign]
    sys.modules[name] = stand_in


for _name, _offer in _DEFERRED.items():
    _install(_name, _offer)
