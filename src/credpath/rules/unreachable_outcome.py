"""An outcome that no learner can reach with the credentials of the project.

Always reported, naming the root cause (a gap, a cycle, an unearnable credential),
even when that cause is reported too.

Failing::

    outcomes:
      - {id: analyst, title: Analyst, requires: [sql@2]}   # nothing grants sql@2

Passing::

    credentials:
      - {id: sql, title: SQL, type: course, grants: [sql@2]}
    outcomes:
      - {id: analyst, title: Analyst, requires: [sql@2]}
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.context import Context, at_id
from credpath.diagnostics import Diagnostic, Severity
from credpath.rules.base import Rule
from credpath.semantics import Explainer, satisfied

ID = "unreachable-outcome"


def check(ctx: Context) -> Iterator[Diagnostic]:
    sem = ctx.semantics
    explain = Explainer(sem)
    for outcome in ctx.catalog.outcomes.values():
        if satisfied(outcome.requires, sem.reachable_state):
            continue
        yield at_id(
            outcome.origin,
            ID,
            f"outcome '{outcome.id}' cannot be reached: it {explain.requirement(outcome.requires)}",
        )


RULE = Rule(ID, __doc__ or "", check, Severity.ERROR)
