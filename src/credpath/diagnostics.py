"""One finding type for every stage: where, how bad, which rule, what to do."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

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
        """The compiler-style line of docs/format.md section 5, always one line."""
        where = f"{escape(self.path)}:{self.line}:{self.column}"
        return f"{where}: {self.severity.label}: {escape(self.message)} [{self.rule}]"


def drop_caused(found: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The findings without those that follow from another reported one, whose message
    then says what it blocks: one root cause, one finding.

    A finding marked as caused by a subject is dropped when a finding about that
    subject is reported (directly, or through a chain of causes). The first finding
    of each root subject gains "; this makes 3 credentials and 1 outcome
    unreachable" for what was folded into it. When the root finding is suppressed
    or turned off, the caused ones are reported after all: nothing is lost.
    """
    found = list(found)
    by_subject: dict[str, Diagnostic] = {}
    for d in sorted(found):
        if d.subject:
            by_subject.setdefault(d.subject, d)

    def root_of(d: Diagnostic) -> str | None:
        """The subject of the reported finding that ``d`` follows from, if any."""
        seen: set[str] = set()
        current = d
        while current.cause and current.cause != current.subject:
            cause = by_subject.get(current.cause)
            if cause is None or current.cause in seen:
                break
            seen.add(current.cause)
            current = cause
        return current.subject if current is not d else None

    blocked: dict[str, dict[str, set[str]]] = {}
    kept = []
    for d in found:
        root = root_of(d)
        if root is None:
            kept.append(d)
            continue
        kind, _, name = d.subject.partition(":")
        if root == f"entry:{name}":
            continue  # the entry whose own requirement is broken: the root says so already
        if kind in {"credential", "outcome"} and d.rule in _UNREACHABLE_RULES:
            blocked.setdefault(root, {}).setdefault(kind, set()).add(name)
    noted: set[str] = set()
    out = []
    for d in sorted(kept):
        if d.subject in blocked and d.subject not in noted:
            noted.add(d.subject)
            d = replace(d, message=f"{d.message}; {_blocks(blocked[d.subject])}")
        out.append(d)
    return out


_UNREACHABLE_RULES = frozenset({"unearnable", "unreachable-outcome"})


def _blocks(blocked: dict[str, set[str]]) -> str:
    parts = []
    for kind in ("credential", "outcome"):
        count = len(blocked.get(kind, ()))
        if count:
            parts.append(f"{count} {kind}{'' if count == 1 else 's'}")
    return f"this makes {' and '.join(parts)} unreachable"
