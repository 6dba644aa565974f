"""Issues in the terms of the schema files as written, not of their 2020-12 translation.

Both explainers judge the bundle, which is 2020-12: a draft-07 ``additionalItems: false``
fails there as ``items`` at ``.../items``, a ``dependencies`` as ``dependentRequired``.
``AsWritten`` builds every ``Issue`` (both explainers call it), reading the rule's location
back through the schema's ``origins`` (``core.origins``) and, where the reference
validator of the schema's own draft words a failure differently (``WORDING``), saying it
that way. Only invalid documents get here; a schema read as 2020-12 costs a dict lookup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema._utils import extras_msg

from ..core.drafts import draft_named
from ..core.origins import written_pointer
from ..core.pointer import last_token, resolve
from ..core.schemaset import PureSchemaSet
from .branches import with_note
from .issue import Issue, pointer
from .locate import Stretch


@dataclass(frozen=True)
class WrittenSchema:
    """One named schema read from an older draft: what the file says, and where the
    translation renamed keywords (translated pointer -> pointer as written)."""

    draft: str
    contents: Any
    origins: Mapping[str, str]


def _additional_items(value: Any, parent: Any) -> str:
    # parent: the schema holding the array ``items`` that ``additionalItems`` follows
    items = parent.get("items") if isinstance(parent, Mapping) else None
    count = len(items) if isinstance(items, (list, tuple)) else 0
    extras = list(value[count:]) if isinstance(value, (list, tuple)) else [value]
    listed, verb = extras_msg(extras)
    return f"Additional items are not allowed ({listed} {verb} unexpected)"


def _none_contained(value: Any, parent: Any) -> str:
    return f"None of {value!r} are valid under the given schema"


Wording = Callable[[Any, Any], str]  # (offending value, schema holding the keyword) -> text
# keyword -> (the drafts whose reference validator says it this way, how it says it)
WORDING: dict[str, tuple[frozenset[str], Wording]] = {
    "additionalItems": (
        frozenset({"draft-04", "draft-06", "draft-07", "2019-09"}),
        _additional_items,
    ),
    "contains": (frozenset({"draft-06", "draft-07"}), _none_contained),
}


# Drafts 6 to 2019-09 apply ``items: false`` to each item, as any false schema: their
# reference reports each item (2020-12 reports the array once, as extra items).
_EACH_ITEM_REJECTED = frozenset({"draft-06", "draft-07", "2019-09"})


class AsWritten:
    """Builds issues located and worded as the files of a set are written."""

    def __init__(self, schemas: Mapping[str, WrittenSchema] | None = None) -> None:
        self.schemas = dict(schemas or {})

    def __reduce__(self) -> tuple[Any, ...]:
        return (AsWritten, (self.schemas,))

    def issues(
        self,
        *,
        pointer: str,
        message: str,
        rule: str,
        schema_path: str,
        schema_name: str | None,
        rule_location: str,
        value: Any,
        note: str = "",
        stretches: tuple[Stretch, ...] = (),
    ) -> tuple[Issue, ...]:
        """The issues for one failure (one, but for ``items: false`` in the drafts that
        reject each item); ``message`` is the 2020-12 wording, ``note`` the branch it was
        found in (if any), ``stretches`` the parts of ``schema_path`` in each schema."""
        written = self.schemas.get(schema_name) if self.schemas and schema_name else None
        if self.schemas and stretches:
            schema_path = self._schema_path(schema_path, stretches)
        if written is not None:
            located = written_pointer(written.origins, rule_location)
            if located.renamed and last_token(rule_location) == rule:
                rule = last_token(located.pointer)
            rule_location = located.pointer
            if _each_item(written, rule, rule_location, value):
                return tuple(
                    Issue(
                        pointer=f"{pointer}/{index}",
                        message=with_note(f"False schema does not allow {item!r}", note),
                        rule="falseSchema",
                        schema_path=schema_path,
                        schema_name=schema_name,
                        rule_location=rule_location,
                        value=item,
                    )
                    for index, item in enumerate(value)
                )
            message = _worded(written, rule, rule_location, value) or message
        issue = Issue(
            pointer=pointer,
            message=with_note(message, note),
            rule=rule,
            schema_path=schema_path,
            schema_name=schema_name,
            rule_location=rule_location,
            value=value,
        )
        return (issue,)

    def _schema_path(self, schema_path: str, stretches: tuple[Stretch, ...]) -> str:
        """``schema_path`` with the keywords of each schema it passes through named as
        that schema's file writes them."""
        if not any(name in self.schemas for name, _base, _path in stretches if name):
            return schema_path
        return "".join(
            _written_stretch(self.schemas.get(name) if name else None, base, path)
            for name, base, path in stretches
        )


def _written_stretch(written: WrittenSchema | None, base: str, path: tuple[Any, ...]) -> str:
    # the stretch from ``base`` on, read back where ``base`` is read back to
    relative = pointer(path)
    if written is None or not written.origins:
        return relative
    start = written_pointer(written.origins, base).pointer
    whole = written_pointer(written.origins, base + relative).pointer
    return whole[len(start) :] if whole.startswith(start) else relative


def _each_item(written: WrittenSchema, rule: str, location: str, value: Any) -> bool:
    return (
        rule == "items"
        and written.draft in _EACH_ITEM_REJECTED
        and isinstance(value, list)
        and resolve(written.contents, location, None) is False
    )


def _worded(written: WrittenSchema, rule: str, location: str, value: Any) -> str | None:
    found = WORDING.get(rule)
    if found is None or written.draft not in found[0]:
        return None
    parent = resolve(written.contents, location.rpartition("/")[0], None)
    return found[1](value, parent)


PLAIN = AsWritten()  # for a bundle of 2020-12 schemas: issues as the explainers find them


def written_schemas(schema_set: PureSchemaSet, names: list[str]) -> dict[str, WrittenSchema]:
    """The named schemas of ``names`` that were read from an older draft (or changed by
    the translation), by name."""
    found = {}
    for name in names:
        resource = schema_set.resource(name)
        if resource.original is None:
            continue
        draft = draft_named(resource.draft).name
        found[resource.name] = WrittenSchema(draft, resource.original, dict(resource.origins))
    return found
