"""The JSON Schema drafts schemakit reads, and which one a schema declares.

Real schemas come in draft-04, -06, -07, 2019-09 and 2020-12. Each is read under the
draft its ``$schema`` names (or a chosen default when it names none); everything past
loading works on an equivalent 2020-12 form (see ``schemakit.load.normalise``). This
module is the one table of drafts: names, ``$schema`` URIs, and each draft's
meta-schema validator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jsonschema import (
    Draft4Validator,
    Draft6Validator,
    Draft7Validator,
    Draft201909Validator,
    Draft202012Validator,
)

from .errors import InvalidSchemaError, SchemakitError


@dataclass(frozen=True)
class Draft:
    """One JSON Schema draft."""

    name: str  # "draft-07", "2020-12": what the CLI and messages call it
    dialect: str  # the canonical ``$schema`` URI
    order: int  # drafts compare by age: 4 < 6 < 7 < 2019 < 2020
    id_keyword: str  # "id" in draft-04, "$id" after
    meta_validator: Any  # the jsonschema class that checks schemas against the meta-schema

    @property
    def title(self) -> str:
        """How prose names it: "draft-07", "draft 2020-12"."""
        return self.name if self.name.startswith("draft-") else f"draft {self.name}"

    @property
    def before_2019(self) -> bool:
        """Drafts where ``$ref`` overrides its siblings and ``items`` may be an array."""
        return self.order < 2019


DRAFT4 = Draft("draft-04", "http://json-schema.org/draft-04/schema#", 4, "id", Draft4Validator)
DRAFT6 = Draft("draft-06", "http://json-schema.org/draft-06/schema#", 6, "$id", Draft6Validator)
DRAFT7 = Draft("draft-07", "http://json-schema.org/draft-07/schema#", 7, "$id", Draft7Validator)
DRAFT2019 = Draft(
    "2019-09", "https://json-schema.org/draft/2019-09/schema", 2019, "$id", Draft201909Validator
)
DRAFT2020 = Draft(
    "2020-12", "https://json-schema.org/draft/2020-12/schema", 2020, "$id", Draft202012Validator
)
DRAFTS: tuple[Draft, ...] = (DRAFT4, DRAFT6, DRAFT7, DRAFT2019, DRAFT2020)
LATEST = DRAFT2020
DRAFT_NAMES: tuple[str, ...] = tuple(draft.name for draft in DRAFTS)


def _key(uri: str) -> str:
    # "$schema" values in the wild vary in scheme and in the empty fragment.
    without_scheme = uri.strip().split("://", 1)[-1]
    return without_scheme.rstrip("#").rstrip("/").lower()


_BY_URI = {_key(draft.dialect): draft for draft in DRAFTS}
# Names a person may type for --default-draft: "7", "07", "draft7", "draft-07", "2020-12" ...
_BY_NAME = {
    alias: draft
    for draft in DRAFTS
    for alias in {
        draft.name,
        draft.name.removeprefix("draft-"),
        draft.name.removeprefix("draft-").lstrip("0"),
        draft.name.replace("-", ""),
        "draft" + draft.name.removeprefix("draft-").lstrip("0"),
        "draft" + draft.name,
        "draft-" + draft.name,
        str(draft.order),
    }
}


class UnknownDraftError(SchemakitError):
    """A draft name or ``$schema`` URI schemakit does not know."""


def draft_named(name: str | Draft) -> Draft:
    """The draft called ``name`` ("draft-07", "7", "2020-12", or a ``$schema`` URI)."""
    if isinstance(name, Draft):
        return name
    found = _BY_NAME.get(name.strip().lower()) or _BY_URI.get(_key(name))
    if found is None:
        raise UnknownDraftError(
            f"unknown JSON Schema draft {name!r} (known: {', '.join(DRAFT_NAMES)})"
        )
    return found


def draft_of_uri(uri: str) -> Draft | None:
    """The draft whose meta-schema URI is ``uri``, if any."""
    return _BY_URI.get(_key(uri))


def declared_dialect(contents: Any) -> str | None:
    """The ``$schema`` a schema declares, if it declares one."""
    declared = contents.get("$schema") if isinstance(contents, dict) else None
    return declared if isinstance(declared, str) else None


def detect_draft(contents: Any, default: Draft, where: str | None = None) -> Draft:
    """The draft a schema declares with ``$schema``; ``default`` when it declares none.

    An unknown ``$schema`` is an error: guessing would validate under the wrong rules.
    """
    declared = declared_dialect(contents)
    if declared is None:
        if isinstance(contents, dict) and "$schema" in contents:
            raise InvalidSchemaError("$schema must be a string (a meta-schema URI)", where)
        return default
    draft = draft_of_uri(declared)
    if draft is None:
        raise InvalidSchemaError(
            f"unknown $schema {declared!r}: schemakit reads "
            + ", ".join(d.dialect for d in DRAFTS),
            where,
        )
    return draft
