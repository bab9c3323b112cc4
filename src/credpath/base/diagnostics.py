"""One finding type for every stage: where, how bad, which rule, what to do."""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from credpath.base.text import escape


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


class SubjectKind(enum.Enum):
    ENTRY = "entry"
    """An entry as a whole (its id): ``name`` is the id."""
    PART = "part"
    """A field, an item or a reference of an entry: ``name`` is the entry's id, ``part``
    the path below the entry (``("requires", 1)``)."""
    PLACE = "place"
    """A place in a file outside any known entry (credpath.yaml, an entry left out):
    ``name`` is the file as displayed, ``part`` the path in it."""
    GAP = "gap"
    """A competency level no learner can come by: ``name`` is ``sql@3``."""
    CYCLE = "cycle"
    """Credentials that wait on each other: ``name`` is the member first in path order."""
    DUPLICATE = "duplicate"
    """An id defined again: ``name`` is the id."""


@dataclass(frozen=True)
class Subject:
    """What a finding is about: folding matches a caused finding with its root on it.

    A part is matched with every finding inside it: an invalid requirement at
    ``("requires", 0)`` is the one reported at ``("requires", 0, "choose")``.
    """

    kind: SubjectKind
    name: str
    part: tuple[int | str, ...] = ()

    @classmethod
    def entry(cls, id_: str) -> Subject:
        return cls(SubjectKind.ENTRY, id_)

    @classmethod
    def gap(cls, competency: str, level: int) -> Subject:
        return cls(SubjectKind.GAP, f"{competency}@{level}")

    def within(self) -> Iterator[Subject]:
        """This subject, and each part (of the same entry or file) that holds it."""
        yield self
        if self.kind in {SubjectKind.PART, SubjectKind.PLACE}:
            for end in range(len(self.part) - 1, -1, -1):
                yield replace(self, part=self.part[:end])

    def __str__(self) -> str:
        if not self.part:
            return f"{self.kind.value}:{self.name}"
        return f"{self.kind.value}:{self.name}#/{'/'.join(str(p) for p in self.part)}"


@dataclass(frozen=True, order=True, kw_only=True)
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
    subject: Subject | None = field(default=None, compare=False)
    """What the finding is about: findings are matched on it."""
    cause: tuple[Subject, ...] = field(default=(), compare=False)
    """The root whose fix alone makes this finding go away: it is folded into that one.
    Several: an entry's own broken references, whose fixes together do; it is folded
    only when all of them are reported."""
    blocked_by: tuple[Subject, ...] = field(default=(), compare=False)
    """The roots that each keep what this finding reports unreachable: each one's
    message counts it."""
    absorbed: tuple[Diagnostic, ...] = field(default=(), compare=False)
    """The findings folded into this one (set by ``fold``)."""

    @property
    def location(self) -> Location:
        return Location(self.path, self.line, self.column, self.end_line, self.end_column)

    def format(self) -> str:
        """The compiler-style line of docs/format.md section 5, always one line."""
        where = f"{escape(self.path)}:{self.line}:{self.column}"
        return f"{where}: {self.severity.label}: {escape(self.message)} [{self.rule}]"


UNREACHABLE = {"unearnable": "credential", "unreachable-outcome": "outcome"}
"""The rules whose findings a root's message counts, and what each one is about."""


def fold(found: Iterable[Diagnostic]) -> list[Diagnostic]:
    """One root cause, one finding: each finding whose cause is among ``found`` is folded
    into the root it leads to (through a chain of causes), sorted.

    Folding is left to the rules, which set ``cause`` only where fixing that root, as
    its message says, makes the finding go away (docs/rules.md, "Folding"). Here, a
    root that is not among ``found`` (off, suppressed, outside the files linted)
    absorbs nothing. A root's message gains "; this makes 3 credentials and 1 outcome
    unreachable" for every unreachable one that it keeps so (``blocked_by``), folded
    or not; it reports at the highest severity of what it absorbed, so that the exit
    code and ``--strict`` count every finding, folded or not.
    """
    ordered = sorted(found)
    first: dict[Subject, Diagnostic] = {}
    for d in ordered:
        if d.subject is not None:
            for key in d.subject.within():
                first.setdefault(key, d)

    def reported(subject: Subject, start: Diagnostic) -> Diagnostic | None:
        """The finding ``subject`` leads to, through the causes of those folded."""
        current = first.get(subject)
        seen = {id(start)}
        while current is not None and id(current) not in seen:
            seen.add(id(current))
            following = [first.get(cause) for cause in current.cause]
            if not following or None in following or following[0] is current:
                return current
            current = following[0]
        return None  # a loop of causes: none of them is a root

    def root_of(d: Diagnostic) -> Diagnostic | None:
        roots = [reported(cause, d) for cause in d.cause]
        return roots[0] if roots and None not in roots else None

    absorbed: dict[int, list[Diagnostic]] = defaultdict(list)
    kept = []
    for d in ordered:
        root = root_of(d)
        if root is None:
            kept.append(d)
        else:
            absorbed[id(root)].append(d)
    blocks: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for d in ordered:
        kind = UNREACHABLE.get(d.rule)
        if kind is None or d.subject is None:
            continue
        for subject in d.blocked_by:
            root = reported(subject, d)
            if root is not None:
                blocks[id(root)][kind].add(d.subject.name)
    return [_as_root(d, blocks.get(id(d), {}), absorbed.get(id(d), [])) for d in kept]


def _as_root(d: Diagnostic, blocks: dict[str, set[str]], absorbed: list[Diagnostic]) -> Diagnostic:
    if not blocks and not absorbed:
        return d
    message = d.message
    worst = max((a.severity for a in absorbed), default=d.severity)
    raised = worst > d.severity
    counted = [a for a in absorbed if a.severity == worst and a.rule in UNREACHABLE]
    if blocks:
        message += f"; {_blocks(blocks)}"
        if raised and counted:
            message += f" ({worst.label})"
    if raised and not (blocks and counted):
        hidden = sorted({a.rule for a in absorbed if a.severity == worst})
        count = sum(1 for a in absorbed if a.severity == worst)
        message += (
            f"; it causes {count} {worst.label}{'' if count == 1 else 's'} ({', '.join(hidden)})"
        )
    return replace(d, message=message, severity=worst, absorbed=tuple(absorbed))


def _blocks(blocked: dict[str, set[str]]) -> str:
    parts = []
    for kind in ("credential", "outcome"):
        count = len(blocked.get(kind, ()))
        if count:
            parts.append(f"{count} {kind}{'' if count == 1 else 's'}")
    return f"this makes {' and '.join(parts)} unreachable"
