"""A credential that can never be earned, because something it waits on never can.

Not reported for members of a cycle (``cycle`` is). The message follows the
chain to its root cause; when that cause is reported (a gap, a cycle, a broken
entry, a credential that names a retired one), this finding is folded into it.

Failing::

    credentials:
      - {id: a, title: A, type: course, status: retired, grants: [x@1]}
      - {id: b, title: B, type: course, requires: [a]}   # a is retired

Passing::

    credentials:
      - {id: a, title: A, type: course, grants: [x@1]}
      - {id: b, title: B, type: course, requires: [a]}
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.context import Context, at_id
from credpath.diagnostics import Diagnostic, Severity
from credpath.rules.base import Rule
from credpath.semantics import Explainer

ID = "unearnable"


def check(ctx: Context) -> Iterator[Diagnostic]:
    sem = ctx.semantics
    explain = Explainer(sem)
    for credential in sem.active:
        if credential.id in sem.reachable or credential.id in sem.cycle_of:
            continue
        why = explain.credential(credential.id)
        subject = f"credential:{credential.id}"
        yield at_id(
            credential.origin,
            ID,
            f"'{credential.id}' can never be earned: it {why.text}",
            subject=subject,
            cause="" if why.root == subject else why.root,
        )


RULE = Rule(ID, __doc__ or "", check, Severity.ERROR)
