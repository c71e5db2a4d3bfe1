"""Exceptions and located problems.

Validation never stops at the first problem: every check appends a :class:`Problem`
and the caller raises :class:`WorkspaceInvalid` carrying all of them at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Longest quoted value in a message: a whole list pasted back helps nobody read it.
SHOWN_LENGTH = 80


def shown(value: object, limit: int = SHOWN_LENGTH) -> str:
    """``repr(value)`` cut to ``limit`` characters, marking the cut with "… (N characters)".

    >>> shown("x" * 200, 10)
    "'xxxxxxxx… (202 characters)"
    """
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[: limit - 1]}… ({len(text)} characters)"


class StakegraphError(Exception):
    """Root of every error stakegraph raises on purpose."""


@dataclass(frozen=True, slots=True)
class Location:
    """Where a record (or one of its fields) was read from.

    ``line`` is set for YAML files, ``sheet``/``row`` for workbooks and CSV files
    (row numbers count the header as row 1, as a spreadsheet shows them).
    """

    file: str
    line: int | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.file}:{self.line}"
        parts = [self.file]
        if self.sheet is not None and not self.file.endswith(".csv"):
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts) if len(parts) > 1 else parts[0]


#: Severities of a problem: an error stops loading; a warning is reported and the
#: workspace still loads (``stakegraph check --strict`` makes warnings fail).
ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a workspace, located and explained."""

    message: str
    location: Location | None = None
    record_type: str | None = None
    record_id: str | None = None
    field: str | None = None
    hint: str | None = None
    severity: str = ERROR
    #: The collection whose file this problem left unread: references to its records
    #: are then not reported as missing (they would all be, and bury this problem).
    unread: str | None = None
    #: For a missing reference, the collection it points into.
    refers_to: str | None = None

    @property
    def is_warning(self) -> bool:
        return self.severity == WARNING

    def format(self) -> str:
        where = str(self.location) if self.location else "workspace"
        what = []
        if self.record_type:
            rid = f" '{self.record_id}'" if self.record_id else ""
            what.append(f"{self.record_type}{rid}")
        if self.field:
            what.append(f"field '{self.field}'")
        head = f"{where}: " + (" ".join(what) + ": " if what else "")
        text = head + self.message
        if self.hint:
            text += f" Fix: {self.hint}"
        return text

    def to_dict(self) -> dict:
        loc = self.location
        return {
            "file": loc.file if loc else None,
            "line": loc.line if loc else None,
            "sheet": loc.sheet if loc else None,
            "row": loc.row if loc else None,
            "column": loc.column if loc else None,
            "record_type": self.record_type,
            "record_id": self.record_id,
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
            "severity": self.severity,
        }


@dataclass
class WorkspaceInvalid(StakegraphError):
    """A workspace failed validation; ``problems`` holds every error found.

    ``warnings`` holds the warnings found beside them, reported apart.
    """

    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        n = len(self.problems)
        lines = [f"{n} problem{'s' if n != 1 else ''} found:"]
        lines += [f"  {p.format()}" for p in self.problems]
        return "\n".join(lines)


class ImportInvalid(WorkspaceInvalid):
    """A file to import (an appointments table, its mapping) has problems; each is
    located by file, row and column, and nothing was written."""


class WorkspaceNotFound(StakegraphError):
    """The path given is not a workspace stakegraph can read."""


class ConfigError(StakegraphError):
    """stakegraph.toml is missing a value, has a wrong one, or cannot be parsed."""


class UnknownRecord(StakegraphError):
    """A command named a record id that the workspace does not have."""


class AmbiguousName(StakegraphError):
    """A name given on the command line fits more than one record; give the id."""


class HorizonError(StakegraphError, ValueError):
    """A horizon (``6m``, ``12m``, ``90d``) that cannot be read; the message says how to write it."""

    exit_code = 2  # a usage error, as click's are


class FigureError(StakegraphError, ValueError):
    """A figure cannot be drawn with the arguments given (unknown kind, wrong axes, …)."""


class MapError(StakegraphError, ValueError):
    """The map cannot be drawn as asked (unknown circle, missing library asset)."""


# --- the engines ---------------------------------------------------------------------
class StoreError(StakegraphError):
    """Something went wrong talking to Neo4j."""


class ServerUnreachable(StoreError):
    """No Neo4j server answers at the URI."""


class AuthError(StoreError):
    """The server refused the user name or password."""


class DatabaseNotFound(StoreError):
    """The server has no database of the name asked for."""


class WorkspaceNotStored(StoreError):
    """The database holds no workspace with the id asked for."""


class IncompletePush(StoreError):
    """The last push of a workspace stopped before it finished; push it again."""


class QueryTimedOut(StoreError):
    """The server stopped a query that ran past its transaction timeout."""


class QueryError(StakegraphError):
    """A named query is unknown, malformed, or given bad parameters."""


class ParamOutOfRange(QueryError):
    """A number lies outside the bounds its query declares; nothing was sent."""

    #: A usage error, as click reports a bad option value.
    exit_code = 2


class WorkspaceNotHere(StakegraphError):
    """The store holds no workspace of the id asked for."""
