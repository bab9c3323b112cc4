"""A requirement already implied by another requirement of the same list.

Holding a credential guarantees what it grants, what it requires, and what the
credentials it requires (transitively) grant and require. A competency level
also implies the lower levels of the same competency. Not reported when dropping
the requirement would leave a credential that serves only it leading nowhere
(its fix would raise a ``dead-end``).

Failing::

    competencies:
      - {id: sql, title: SQL}
    credentials:
      - {id: sql-basics, title: SQL Basics, type: course, grants: [sql@1]}
      - {id: bi-report, title: BI Reporting, type: course, requires: [sql-basics, sql@1]}
    outcomes:
      - {id: analyst, title: Analyst, requires: [bi-report]}

Gives::

    curriculum.yaml:5:79: info: 'sql@1' is already implied by 'sql-basics' in the same list (holding
      'sql-basics' guarantees sql at level 1 or higher); drop it [redundant-requirement]

Passing::

    competencies:
      - {id: sql, title: SQL}
    credentials:
      - {id: sql-basics, title: SQL Basics, type: course, grants: [sql@1]}
      - {id: bi-report, title: BI Reporting, type: course, requires: [sql-basics]}
    outcomes:
      - {id: analyst, title: Analyst, requires: [bi-report]}
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.base.diagnostics import Diagnostic, Severity
from credpath.checks.context import Context, finding
from credpath.checks.rules.base import Rule
from credpath.compiler.loader import SourceFile
from credpath.compiler.requirements import All, AnyOf, Choose, Ref, Requirement

ID = "redundant-requirement"


def _lists(requirement: Requirement) -> Iterator[All | AnyOf | Choose]:
    if isinstance(requirement, All | AnyOf | Choose):
        yield requirement
        for item in requirement.items:
            yield from _lists(item)


def _implied(r: Ref, q: Ref) -> str:
    if q.kind == "competency":
        why = "a higher level of the same competency"
    elif r.kind == "credential":
        why = f"'{q.target}' requires it"
    else:
        why = f"holding '{q.target}' guarantees {r.target} at level {r.number} or higher"
    return f"'{r.text}' is already implied by '{q.text}' in the same list ({why}); drop it"


def check(ctx: Context) -> Iterator[Diagnostic]:
    sem = ctx.semantics
    guarantees = sem.guarantees
    entries: list[tuple[SourceFile, Requirement]] = [
        (o.origin.source, o.requires) for o in ctx.catalog.outcomes.values()
    ]
    entries += [(c.origin.source, c.requires) for c in sem.active]
    for source, requirement in entries:
        for group in _lists(requirement):
            items = [item for item in group.items if isinstance(item, Ref)]
            every = isinstance(group, All)
            for index, r in enumerate(items):
                if sem.is_gap(r):
                    continue  # reported as a gap: one root cause, one finding
                for other_index, q in enumerate(items):
                    if other_index == index:
                        continue
                    same = q.kind == r.kind and q.target == r.target and q.number == r.number
                    if same and other_index > index:
                        continue  # the later duplicate is the one reported
                    if same:
                        yield finding(source, r.path, ID, f"'{r.text}' is listed twice; drop one")
                        break
                    if every and guarantees.implies(q, r):
                        if sem.still_leads_without(r):  # else dropping it makes dead ends
                            yield finding(source, r.path, ID, _implied(r, q))
                        break


RULE = Rule(ID, __doc__ or "", check, Severity.INFO)
