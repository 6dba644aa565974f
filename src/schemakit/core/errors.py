"""Named exceptions: every failure says what went wrong and where, in one line.

Each exception carries a ``message`` and a ``where`` (a file, ``file:line:col`` or
``file#/json/pointer``); ``str(exc)`` joins them, which is what the CLI prints. The parts
of ``where`` are fields too (``file``, ``line``, ``column``, ``pointer``), so a program
can tell where without parsing the message. Every exception schemakit raises on bad input
is in this one tree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# "file:12:3" or "file:12"; a URI or a Windows drive ("C:") has no digits-only tail
_LINE_COL = re.compile(r"^(?P<file>.+?):(?P<line>\d+)(?::(?P<column>\d+))?$")


class SchemakitError(Exception):
    """Base class for every error schemakit raises on bad input."""

    def __init__(self, message: str, where: str | None = None) -> None:
        self.message = message
        self.where = where
        super().__init__(self.__str__())

    @property
    def file(self) -> str | None:
        """The file (or URI) the error is about, if any."""
        return _split_where(self.where)[0]

    @property
    def pointer(self) -> str | None:
        """The JSON pointer inside ``file``, when the place is a pointer."""
        return _split_where(self.where)[1]

    @property
    def line(self) -> int | None:
        return _split_where(self.where)[2]

    @property
    def column(self) -> int | None:
        return _split_where(self.where)[3]

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

    def __reduce__(self) -> tuple[object, ...]:
        # Keep exceptions picklable across worker processes.
        return (_rebuild, (type(self), self.__dict__.copy()))


def _split_where(where: str | None) -> tuple[str | None, str | None, int | None, int | None]:
    """``where`` as (file, pointer, line, column)."""
    if not where:
        return None, None, None, None
    file, hash_sign, fragment = where.partition("#")
    if hash_sign and (not fragment or fragment.startswith("/")):
        return file or None, fragment, None, None
    found = _LINE_COL.match(where)
    if found:
        column = found["column"]
        return found["file"], None, int(found["line"]), int(column) if column else None
    return where, None, None, None


def _rebuild(cls: type[SchemakitError], state: dict[str, object]) -> SchemakitError:
    exc = cls.__new__(cls)
    Exception.__init__(exc)
    exc.__dict__.update(state)
    return exc


class SourceError(SchemakitError):
    """A file or stream could not be read or parsed (missing, unreadable, invalid JSON/YAML)."""


class SchemaLoadError(SchemakitError):
    """The schema set itself is broken."""


class InvalidSchemaError(SchemaLoadError):
    """A schema does not conform to the draft 2020-12 meta-schema."""


class UnresolvableRefError(SchemaLoadError):
    """A ``$ref`` points at nothing: unknown resource, missing pointer or anchor."""

    def __init__(self, ref: str, where: str | None, reason: str) -> None:
        self.ref = ref
        super().__init__(f"cannot resolve $ref {ref!r}: {reason}", where)


class RefCycleError(SchemaLoadError):
    """``$ref``s that lead back to themselves without consuming any of the instance."""

    def __init__(self, chain: list[str], where: str | None) -> None:
        self.chain = chain
        self.ref = chain[0] if chain else ""
        super().__init__("$ref cycle with no base case: " + " -> ".join(chain), where)


class RemoteRefError(UnresolvableRefError):
    """A remote ``$ref`` that schemakit will not fetch unless allowed."""


class RetrievalRefusedError(SchemakitError):
    """The registry was asked for a schema that is not in the set; schemakit never fetches
    one on its own (raised inside ``referencing``, reported as an unresolvable ``$ref``)."""


class UnknownSchemaError(SchemakitError):
    """A schema name that is not in the set; suggests close names."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f" (did you mean {', '.join(repr(s) for s in suggestions)}?)" if suggestions else ""
        super().__init__(f"unknown schema {name!r}{hint}")


class UnsatisfiableSchemaError(SchemakitError):
    """No document can satisfy the schema (raised by the generators)."""


class GenerationError(SchemakitError):
    """The generators cannot handle a schema (a limit of schemakit, not a broken schema)."""


class ValidationError(SchemakitError):
    """A document is not valid; ``issues`` lists every problem found."""

    def __init__(self, issues: Sequence[object], where: str | None = None) -> None:
        self.issues = list(issues)
        first = str(issues[0]) if issues else "invalid"
        more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
        super().__init__(first + more, where)


class OutputError(SchemakitError):
    """An output file or directory could not be written (the target is named, not a temp file)."""


class CodegenError(SchemakitError):
    """The schema set cannot be turned into models (name clash, unsupported construct)."""


class FixtureError(SchemakitError):
    """Documents could not be generated (or a generated one was invalid: a generator bug)."""


class WorkerError(SchemakitError):
    """A worker process died (killed, out of memory) before finishing its batch."""


class SchemaWarning(UserWarning):
    """Input that loads but is probably not what was meant (a file that is no schema)."""
