"""Two entries share an id; both places are reported.

Ids are unique across the project and across all four kinds. The first
definition in path order is the one every other check uses.

Failing::

    competencies:
      - {id: sql, title: SQL}
    credentials:
      - {id: sql, title: SQL course, type: course}

Gives::

    curriculum.yaml:4:10: error: duplicate id 'sql': already defined at curriculum.yaml:2:10; this
      credential is left out until it has an id of its own [duplicate-id]

Passing::

    competencies:
      - {id: sql, title: SQL}
    credentials:
      - {id: sql-course, title: SQL course, type: course}
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.base.diagnostics import Diagnostic, Severity, Subject, SubjectKind
from credpath.checks.context import Context
from credpath.checks.rules.base import Rule
from credpath.compiler.facts import DuplicateId

ID = "duplicate-id"


def check(ctx: Context) -> Iterator[Diagnostic]:
    for fact in ctx.catalog.facts:
        if not isinstance(fact, DuplicateId):
            continue
        here = fact.here.locate("id")
        there = fact.first.locate("id")
        yield Diagnostic(
            path=here.path,
            line=here.line,
            column=here.column,
            rule=ID,
            message=f"duplicate id '{fact.id}': already defined at {there}; this {fact.kind} is "
            "left out until it has an id of its own",
            severity=Severity.ERROR,
            end_line=here.end_line,
            end_column=here.end_column,
            related=(there,),
            subject=Subject(SubjectKind.DUPLICATE, fact.id),
        )


RULE = Rule(ID, __doc__ or "", check, Severity.ERROR)
