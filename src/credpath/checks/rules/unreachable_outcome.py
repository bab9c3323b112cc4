"""An outcome that no learner can reach with the credentials of the project.

Names every cause that blocks it on its own (a gap, a cycle, an unearnable
credential, a broken reference). When fixing one reported root would be enough, this
finding is folded into it, which then says how many outcomes it makes unreachable.

Failing::

    competencies:
      - {id: sql, title: SQL, levels: [Basic, Intermediate]}
    credentials:
      - {id: sql-course, title: SQL, type: course, status: retired, grants: [sql@2]}
    outcomes:
      - {id: analyst, title: Analyst, requires: [sql-course]}   # it is retired

Gives::

    curriculum.yaml:6:10: error: outcome 'analyst' cannot be reached: it requires 'sql-course',
      which is retired [unreachable-outcome]

Passing::

    competencies:
      - {id: sql, title: SQL, levels: [Basic, Intermediate]}
    credentials:
      - {id: sql-course, title: SQL, type: course, grants: [sql@2]}
    outcomes:
      - {id: analyst, title: Analyst, requires: [sql-course]}
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.base.diagnostics import Diagnostic, Severity, Subject
from credpath.checks.context import Context, at_id
from credpath.checks.rules._common import repaired
from credpath.checks.rules.base import Rule
from credpath.compiler.semantics import Explainer, satisfied

ID = "unreachable-outcome"


def check(ctx: Context) -> Iterator[Diagnostic]:
    sem = ctx.semantics
    explain = Explainer(sem, repaired(ctx))
    for outcome in ctx.catalog.outcomes.values():
        if satisfied(outcome.requires, sem.reachable_state):
            continue
        why = explain.requirement(outcome.requires, outcome.id)
        subject = Subject.entry(outcome.id)
        yield at_id(
            outcome.origin,
            ID,
            f"outcome '{outcome.id}' cannot be reached: it {why.text}",
            subject=subject,
            cause=why.causes(subject.name),
            blocked_by=why.counted(subject.name),
        )


RULE = Rule(ID, __doc__ or "", check, Severity.ERROR)
