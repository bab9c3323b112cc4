"""One finding type for every stage: where, how bad, which rule, what to do."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


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

    @property
    def location(self) -> Location:
        return Location(self.path, self.line, self.column, self.end_line, self.end_column)

    def format(self) -> str:
        """The compiler-style line of FORMAT.md section 5, always one line."""
        where = f"{printable(self.path)}:{self.line}:{self.column}"
        return f"{where}: {self.severity.label}: {printable(self.message)} [{self.rule}]"


_CONTROL = {code: f"\\x{code:02x}" for code in (*range(32), 127)}
_CONTROL.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})


def printable(text: str) -> str:
    """Control characters from an author's text, escaped so that a finding stays one line."""
    return text.translate(_CONTROL)
