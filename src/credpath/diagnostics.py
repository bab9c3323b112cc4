"""One finding type for every stage: where, how bad, which rule, what to do."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

from credpath.text import escape


class Severity(enum.IntEnum):
    """Ordered so that a fail level compares with `>=`."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file: 1-based line and column, end exclusive where known."""

    path: str
    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A finding, sortable by file, line and column (then rule and message)."""

    path: str
    line: int
    column: int
    rule: str
    message: str
    severity: Severity = field(default=Severity.ERROR, compare=False)
    end_line: int | None = field(default=None, compare=False)
    end_column: int | None = field(default=None, compare=False)
    related: tuple[Location, ...] = field(default=(), compare=False)
    subject: str = field(default="", compare=False)
    """What the finding is about, e.g. ``credential:weld-2``: findings are matched on it."""
    cause: str = field(default="", compare=False)
    """The subject of the root finding this one follows from; reports fold it into that one."""

    @property
    def location(self) -> Location:
        return Location(self.path, self.line, self.column, self.end_line, self.end_column)

    def format(self) -> str:
        """The compiler-style line of FORMAT.md section 5, always one line."""
        where = f"{escape(self.path)}:{self.line}:{self.column}"
        return f"{where}: {self.severity.label}: {escape(self.message)} [{self.rule}]"


def drop_caused(found: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The findings without those whose cause is itself reported: one root cause, one finding.

    A finding marked as caused by a subject is dropped when a finding about that
    subject is reported too (its message names the consequences); when the root
    finding is suppressed or turned off, the caused ones are reported after all,
    so that nothing is lost.
    """
    found = list(found)
    subjects = {d.subject for d in found if d.subject}
    return [d for d in found if not d.cause or d.cause not in subjects or d.cause == d.subject]
