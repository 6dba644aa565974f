"""``SCHEMAS``: which generated name stands for each schema of the set.

A schema becomes a class, an enum or a type alias, under the name ``schema`` gave it
(``class_names``) unless the generator renamed it; the generator's metadata says which name
it wrote for the source path ``$defs/<key>``. A schema the generator wrote no type for (it
folded it into another) gets an alias of ``Any`` so that every name of the set has an entry.
The module ends with the table, so ``decode(SCHEMAS[name], document)`` works for any name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

REGISTRY_NAME = "SCHEMAS"


def generated_names(
    def_keys: Mapping[str, str],
    class_names: Mapping[str, str],
    models: Iterable[Mapping[str, Any]],
    defined: Iterable[str],
) -> dict[str, str | None]:
    """Schema name -> the name defined for it in the module, or None when there is none."""
    by_path = {tuple(model.get("source_path") or ()): model["class_name"] for model in models}
    present = set(defined)
    found: dict[str, str | None] = {}
    for schema_name, key in def_keys.items():
        candidate = by_path.get(("$defs", key), class_names[schema_name])
        found[schema_name] = candidate if candidate in present else None
    return found


def registry_source(names: Mapping[str, str | None], class_names: Mapping[str, str]) -> str:
    """The module's closing statements: fallback aliases, then the ``SCHEMAS`` table."""
    lines: list[str] = []
    for schema_name, name in names.items():
        if name is None:
            lines += [
                "",
                f"{class_names[schema_name]}: TypeAlias = Any",
                f'"""The generator wrote no type for {schema_name!r}; any JSON value loads."""',
            ]
    table = {
        schema_name: name if name is not None else class_names[schema_name]
        for schema_name, name in names.items()
    }
    lines += ["", "", f"{REGISTRY_NAME}: dict[str, object] = {{"]
    lines += [f"    {schema_name!r}: {name}," for schema_name, name in table.items()]
    lines += ["}", '"""Every schema of the set by name: its model class, enum or alias."""', ""]
    return "\n".join(lines)
