"""Defer the import of ``rfc3987_syntax`` until an ``iri`` value is actually checked.

``jsonschema``'s format module imports it eagerly, and it builds a Lark grammar at
import time: about two seconds on every ``schemakit`` command and every pytest run
that loads our plugin. A stand-in module exposes the one function jsonschema takes
from it and loads the real module on first use, so ``iri``/``iri-reference`` are
still checked by the same code.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any

_NAME = "rfc3987_syntax"


def _install() -> None:
    if _NAME in sys.modules or importlib.util.find_spec(_NAME) is None:
        return
    real: list[types.ModuleType] = []

    def load() -> types.ModuleType:
        if not real:
            del sys.modules[_NAME]
            try:
                real.append(importlib.import_module(_NAME))
            except BaseException:
                sys.modules[_NAME] = stand_in
                raise
        return real[0]

    def is_valid_syntax(*args: Any, **kwargs: Any) -> Any:
        return load().is_valid_syntax(*args, **kwargs)

    stand_in = types.ModuleType(_NAME, "lazy stand-in installed by schemakit")
    stand_in.is_valid_syntax = is_valid_syntax  # type: ignore[attr-defined]

    def delegate(attribute: str) -> Any:
        # The import system probes dunders (``__path__``...); answering them must not load.
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return getattr(load(), attribute)

    stand_in.__getattr__ = delegate  # type: ignore[method-assign]
    sys.modules[_NAME] = stand_in


_install()
