"""A credential that leads to no outcome: a learner who finishes it sees no next door.

A reachable credential whose grants (or itself) serve no requirement of an outcome,
nor of a credential that leads to an outcome. Folded into a mistyped grant of it that,
written as suggested, would lead to an outcome.

Failing::

    competencies:
      - {id: sql, title: SQL}
      - {id: excel, title: Excel}
    credentials:
      - {id: sql-basics, title: SQL Basics, type: course, grants: [sql@1]}
      - {id: excel-tips, title: Excel Tips, type: badge, grants: [excel@1]}
    outcomes:
      - {id: analyst, title: Analyst, requires: [sql@1]}

Gives::

    curriculum.yaml:6:10: warning: 'excel-tips' leads to no outcome: it grants excel@1, but no
      outcome or credential on the way to one requires it; a learner who finishes this sees no next
      door [dead-end]

Passing::

    competencies:
      - {id: sql, title: SQL}
      - {id: excel, title: Excel}
    credentials:
      - {id: sql-basics, title: SQL Basics, type: course, grants: [sql@1]}
      - {id: excel-tips, title: Excel Tips, type: badge, grants: [excel@1]}
    outcomes:
      - {id: analyst, title: Analyst, requires: [sql@1, excel@1]}
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.base.diagnostics import Diagnostic, Severity, Subject
from credpath.checks.context import Context, at_id
from credpath.checks.rules._common import meant_grants
from credpath.checks.rules.base import Rule
from credpath.compiler.requirements import refs
from credpath.compiler.resolve import CredentialDef

ID = "dead-end"


def check(ctx: Context) -> Iterator[Diagnostic]:
    sem = ctx.semantics
    for credential in sem.active:
        if credential.id not in sem.reachable or credential.id in sem.leads_to:
            continue
        grants = ", ".join(str(g) for g in credential.grants)
        what = f"it grants {grants}, but" if grants else "it grants nothing, and"
        subject = Subject.entry(credential.id)
        yield at_id(
            credential.origin,
            ID,
            f"'{credential.id}' leads to no outcome: {what} no outcome or credential on the way "
            "to one requires it; a learner who finishes this sees no next door",
            subject=subject,
            cause=_lost_grant(ctx, credential),
        )


def _lost_grant(ctx: Context, credential: CredentialDef) -> tuple[Subject, ...]:
    """A grant of the credential that did not resolve and that, fixed as its finding
    suggests, is asked for on the way to an outcome: then that finding explains this one."""
    asked = _asked(ctx)
    for grant in meant_grants(ctx):
        if (
            grant.owner is credential
            and asked.get(grant.competency, grant.level + 1) <= grant.level
        ):
            return (grant.subject,)
    return ()


def _asked(ctx: Context) -> dict[str, int]:
    """Per competency, the lowest level an outcome, or a credential that leads to one,
    asks for."""
    memo: dict[str, int] | None = ctx.memo.get(ID)
    if memo is None:
        sem = ctx.semantics
        catalog = ctx.catalog
        requirements = [o.requires for o in catalog.outcomes.values()]
        requirements += [catalog.credentials[c].requires for c in sem.leads_to]
        memo = ctx.memo[ID] = {}
        for requirement in requirements:
            for ref in refs(requirement):
                if ref.kind == "competency":
                    memo[ref.target] = min(ref.number, memo.get(ref.target, ref.number))
    return memo


RULE = Rule(ID, __doc__ or "", check, Severity.WARNING)
