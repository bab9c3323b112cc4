"""Suppression comments (docs/format.md sections 6 and 7): find them, apply them, report the unused.

``# credpath: disable=rule-a,rule-b`` at the end of a line silences those rules for
findings on that line; alone on a line it does the same for the next line that is
not a comment. When that line is the first line of an entry, the whole entry is
covered. ``# credpath: disable-file=rule-a`` anywhere silences them in the file.
Anything after the list of names (a reason, say) is free text.

The comments are found with a regular expression, then checked against the
file's scalars (from PyYAML's scanner), so that a ``#`` inside a quoted string or
a block scalar is not taken for a comment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import yaml

from credpath.base.diagnostics import Diagnostic
from credpath.compiler.loader import SourceFile
from credpath.compiler.model import KINDS

MARKER = "credpath:"
"""Files without this text hold no suppression and are not scanned at all."""

_DIRECTIVE = re.compile(
    r"#\s*credpath:\s*(?P<kind>disable-file|disable)\s*=\s*"
    r"(?P<names>[\w.-]+(?:[ \t]*,[ \t]*[\w.-]+)*)"
)
_NAME = re.compile(r"[\w.-]+")

try:
    _Scanner = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Scanner = yaml.SafeLoader  # type: ignore[assignment,misc]

Point = tuple[int, int]
"""1-based (line, column)."""


@dataclass(frozen=True)
class Name:
    """A rule named in a comment, with where it is written (to report it there)."""

    rule: str
    line: int
    column: int
    end_column: int


@dataclass
class Suppression:
    path: str
    names: tuple[Name, ...]
    file_wide: bool
    start: Point = (0, 0)
    end: Point = (0, 0)
    """The part of the file it covers (end exclusive); unused for a file-wide one."""
    scope: str = "in this file"
    used: set[str] = field(default_factory=set)

    def covers(self, d: Diagnostic) -> bool:
        return self.file_wide or self.start <= (d.line, d.column) < self.end


def _scalar_spans(text: str) -> list[tuple[Point, Point]]:
    spans: list[tuple[Point, Point]] = []
    try:
        for token in yaml.scan(text, Loader=_Scanner):
            if isinstance(token, yaml.ScalarToken):
                start, end = token.start_mark, token.end_mark
                spans.append(((start.line + 1, start.column + 1), (end.line + 1, end.column + 1)))
    except yaml.YAMLError:
        pass  # a file that does not parse has no other findings to suppress
    return spans


def _entry_spans(source: SourceFile) -> dict[int, list[tuple[Point, Point]]]:
    """Per first line (1-based), the spans of the entries that start on it.

    The first parse recorded where each mapping entry was written; only an entry it
    did not record (a list item that is not a mapping) needs the whole file's positions.
    """
    starts: dict[int, list[tuple[Point, Point]]] = {}
    recorded = source.entries
    for index, document in enumerate(source.documents):
        if not isinstance(document, dict):
            continue
        for kind in KINDS:
            entries = document.get(kind)
            if not isinstance(entries, list):
                continue
            for item in range(len(entries)):
                path = (index, kind, item)
                span = recorded.get(path) or source.positions.values.get(path)
                if span is None:
                    continue
                line = span[0] + 1
                starts.setdefault(line, []).append(((line, 1), (span[2] + 1, span[3] + 1)))
    return starts


def has_suppressions(source: SourceFile) -> bool:
    """Whether the file may hold a suppression comment (only such a file's parsed values
    are read after the catalog is built, outside ``lint``)."""
    return source.mentions(MARKER)


def collect(source: SourceFile) -> list[Suppression]:
    """The suppression comments of one file."""
    if not has_suppressions(source):
        return []
    lines = source.lines
    candidates: list[tuple[int, re.Match[str]]] = []
    for number, line in enumerate(lines, 1):
        if MARKER not in line:
            continue
        for match in _DIRECTIVE.finditer(line):
            if match.start() == 0 or line[match.start() - 1].isspace():
                candidates.append((number, match))
    if not candidates:
        return []
    scalars = _scalar_spans(source.text)
    entries: dict[int, list[tuple[Point, Point]]] | None = None
    found: list[Suppression] = []
    for number, match in candidates:
        where = (number, match.start() + 1)
        if any(start <= where < end for start, end in scalars):
            continue
        offset = match.start("names")
        names = tuple(
            Name(m.group(), number, offset + m.start() + 1, offset + m.end() + 1)
            for m in _NAME.finditer(match.group("names"))
        )
        if match.group("kind") == "disable-file":
            found.append(Suppression(source.display, names, True))
            continue
        target = number
        if not lines[number - 1][: match.start()].strip():
            target = _next_code_line(lines, number)
        if entries is None:
            entries = _entry_spans(source)
        covered = entries.get(target)
        if covered:
            end = max(span_end for _, span_end in covered)
            found.append(
                Suppression(source.display, names, False, (target, 1), end, "in this entry")
            )
        else:
            found.append(
                Suppression(
                    source.display, names, False, (target, 1), (target + 1, 1), f"on line {target}"
                )
            )
    return found


def _next_code_line(lines: list[str], number: int) -> int:
    """The line a comment alone on line ``number`` is about: the next one not a comment."""
    target = number + 1
    while target <= len(lines) and lines[target - 1].lstrip().startswith("#"):
        target += 1
    return target


class Suppressions:
    """The suppressions of a project, and which of them silenced something."""

    def __init__(self, sources: Iterable[SourceFile]) -> None:
        self.by_path: dict[str, list[Suppression]] = {}
        for source in sources:
            if has_suppressions(source):
                found = collect(source)
                if found:
                    self.by_path[source.display] = found

    def apply(self, found: Iterable[Diagnostic], fixed: frozenset[str]) -> list[Diagnostic]:
        """The findings that no suppression covers; marks the suppressions that were used.
        A finding of a ``fixed`` rule (one that is always an error) is never silenced."""
        if not self.by_path:
            return list(found)
        kept = []
        for diagnostic in found:
            silenced = False
            if diagnostic.rule not in fixed:
                for suppression in self.by_path.get(diagnostic.path, ()):
                    if suppression.covers(diagnostic) and any(
                        n.rule == diagnostic.rule for n in suppression.names
                    ):
                        suppression.used.add(diagnostic.rule)
                        silenced = True
            if not silenced:
                kept.append(diagnostic)
        return kept
