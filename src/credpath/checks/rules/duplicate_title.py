"""Two entries of the same kind with the same title, ignoring case.

Learners see titles, not ids: two credentials called "SQL Foundations" cannot be
told apart in a catalogue or a diagram. Reported at the later entry (in path
order: the sorted relative path, then the line), naming the earlier one.

Failing::

    credentials:
      - {id: sql-foundations, title: SQL Foundations, type: course}
      - {id: sql-basics, title: SQL foundations, type: badge}

Gives::

    curriculum.yaml:3:10: warning: credential 'sql-basics' has the same title as 'sql-foundations'
      (curriculum.yaml:2:10): 'SQL foundations'; give each credential a title of its own
      [duplicate-title]

Passing::

    credentials:
      - {id: sql-foundations, title: SQL Foundations, type: course}
      - {id: sql-basics, title: SQL Foundations Badge, type: badge}
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.base.diagnostics import Diagnostic, Severity
from credpath.checks.context import Context, finding
from credpath.checks.rules._authoring import kind_of, raw
from credpath.checks.rules.base import Rule
from credpath.compiler.resolve import AnyDef

ID = "duplicate-title"


def _key(entry: AnyDef) -> tuple[str, int]:
    return (entry.origin.source.display, entry.origin.locate("id").line)


def check(ctx: Context) -> Iterator[Diagnostic]:
    catalog = ctx.catalog
    kinds: list[list[AnyDef]] = [
        list(catalog.outcomes.values()),
        list(catalog.competencies.values()),
        list(catalog.credentials.values()),
        list(catalog.pathways.values()),
    ]
    for group in kinds:
        by_title: dict[str, list[AnyDef]] = {}
        for entry in group:
            title = " ".join(entry.model.title.split()).casefold()
            by_title.setdefault(title, []).append(entry)
        for same in by_title.values():
            if len(same) < 2:
                continue
            # A title that failed ``schema`` stands in as "untitled": not a real duplicate.
            ordered = sorted((e for e in same if isinstance(raw(e.origin, "title"), str)), key=_key)
            for later in ordered[1:]:
                first = ordered[0]
                there = first.origin.locate("id")
                yield finding(
                    later.origin.source,
                    (*later.origin.path, "id"),
                    ID,
                    f"{kind_of(later)} '{later.id}' has the same title as '{first.id}' "
                    f"({there}): '{later.model.title}'; give each {kind_of(later)} "
                    "a title of its own",
                    related=(there,),
                )


RULE = Rule(ID, __doc__ or "", check, Severity.WARNING, lint_only=True)
