"""A credential that can never be earned, because something it waits on never can.

The message names every cause that blocks it on its own, following each chain of
credentials to its root (a gap, a cycle, a broken reference, a credential that
names a retired one). When fixing one reported root would be enough, this finding
is folded into it; a member of a cycle is folded into the cycle when breaking the
loop is enough.

Failing::

    competencies:
      - {id: x, title: X}
    credentials:
      - {id: a, title: A, type: course, status: retired, grants: [x@1]}
      - {id: b, title: B, type: course, requires: [a]}   # a is retired

Gives::

    curriculum.yaml:5:10: error: 'b' can never be earned: it requires 'a', which is retired
      [unearnable]

Passing::

    competencies:
      - {id: x, title: X}
    credentials:
      - {id: a, title: A, type: course, grants: [x@1]}
      - {id: b, title: B, type: course, requires: [a]}
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.base.diagnostics import Diagnostic, Severity, Subject, SubjectKind
from credpath.checks.context import Context, at_id
from credpath.checks.rules._common import repaired
from credpath.checks.rules.base import Rule
from credpath.compiler.semantics import Explainer

ID = "unearnable"


def check(ctx: Context) -> Iterator[Diagnostic]:
    sem = ctx.semantics
    explain = Explainer(sem, repaired(ctx))
    for credential in sem.active:
        if credential.id in sem.reachable:
            continue
        why = explain.credential(credential.id)
        members = sem.cycle_of.get(credential.id)
        # A member of a cycle is the cycle's own finding ("none of them can ever be
        # earned"): folded into it when breaking the loop is enough, not counted by it.
        cycle = Subject(SubjectKind.CYCLE, sem.first_in_path_order(members)) if members else None
        yield at_id(
            credential.origin,
            ID,
            f"'{credential.id}' can never be earned: it {why.text}",
            subject=Subject.entry(credential.id),
            cause=why.causes(credential.id),
            blocked_by=tuple(r for r in why.counted(credential.id) if r != cycle),
        )


RULE = Rule(ID, __doc__ or "", check, Severity.ERROR)
