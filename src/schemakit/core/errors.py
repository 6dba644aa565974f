"""Named exceptions: every failure says what went wrong and where, in one line.

Each exception carries a ``where`` (a file, ``file:line:col`` or ``file#/json/pointer``)
and a ``message``; ``str(exc)`` joins them, which is what the CLI prints.
"""

from __future__ import annotations

from collections.abc import Sequence


class SchemakitError(Exception):
    """Base class for every error schemakit raises on bad input."""

    def __init__(self, message: str, where: str | None = None) -> None:
        self.message = message
        self.where = where
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

    def __reduce__(self) -> tuple[object, ...]:
        # Keep exceptions picklable across worker processes.
        return (_rebuild, (type(self), self.__dict__.copy()))


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


class UnknownSchemaError(SchemakitError):
    """A schema name that is not in the set; suggests close names."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f" (did you mean {', '.join(repr(s) for s in suggestions)}?)" if suggestions else ""
        super().__init__(f"unknown schema {name!r}{hint}")


class UnsatisfiableSchemaError(SchemakitError):
    """No document can satisfy the schema (raised by the generators)."""


class ValidationError(SchemakitError):
    """A document is not valid; ``issues`` lists every problem found."""

    def __init__(self, issues: Sequence[object], where: str | None = None) -> None:
        self.issues = list(issues)
        first = str(issues[0]) if issues else "invalid"
        more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
        super().__init__(first + more, where)


class OutputError(SchemakitError):
    """An output file or directory could not be written (the target is named, not a temp file)."""
