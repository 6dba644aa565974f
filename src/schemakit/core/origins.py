"""Where a place in a translated schema is in the file as its author wrote it.

Older drafts are read as their 2020-12 translation (``load.normalise``), which renames
some keywords: an array ``items`` becomes ``prefixItems``, ``additionalItems`` becomes
``items``, ``dependencies`` becomes ``dependentRequired``/``dependentSchemas``, a draft-04
``minimum`` with ``exclusiveMinimum: true`` becomes ``exclusiveMinimum``. The loader keeps,
for each schema, the pointers where a keyword was renamed (translated -> as written); this
module reads a pointer back through them, so what a person is told about a schema names
places that exist in their file. An OpenAPI component's origin is itself a place in a file
(``api.yaml#/definitions/Pet``): ``in_file`` puts a pointer inside the schema after it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple


class Written(NamedTuple):
    """A translated pointer read back: where it is written, and whether the keyword it
    ends with is itself one of the renamed ones (``/dependentRequired``, not a place
    under ``/prefixItems``)."""

    pointer: str
    renamed: bool


def written_pointer(origins: Mapping[str, str], pointer: str) -> Written:
    """``pointer`` (into the translated schema) as a pointer into the schema as written:
    its longest prefix that names a renamed keyword is replaced by where that keyword is
    written (``/properties/p/prefixItems/1/type`` -> ``/properties/p/items/1/type``)."""
    if not origins:
        return Written(pointer, False)
    end = len(pointer)
    while end > 0:
        prefix = pointer[:end]
        found = origins.get(prefix)
        if found is not None:
            return Written(found + pointer[end:], end == len(pointer))
        end = pointer.rfind("/", 0, end)
    return Written(pointer, False)


def in_file(origin: str, pointer: str) -> str:
    """``origin`` (a file, or ``file#/pointer`` for a schema inside a document) and a pointer
    inside that schema, as one place: ``api.yaml#/definitions/Pet/properties/x``."""
    return origin + pointer if "#" in origin else f"{origin}#{pointer}"
