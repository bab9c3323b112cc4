"""A credential that can never be earned, because something it waits on never can.

Not reported for members of a cycle (``cycle`` is), nor for a credential whose
own references are gaps or invalid (those are reported there). The message
follows the chain to its root cause.

Failing::

    credentials:
      - {id: a, title: A, type: course, requires: [sql@3], grants: [x@1]}
      - {id: b, title: B, type: course, requires: [x@1]}   # unearnable, because of a

Passing::

    credentials:
      - {id: a, title: A, type: course, grants: [x@1]}
      - {id: b, title: B, type: course, requires: [x@1]}
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.context import Context, at_id
from credpath.diagnostics import Diagnostic, Severity
from credpath.requirements import Ref
from credpath.rules.base import Rule
from credpath.semantics import Explainer, unmet

ID = "unearnable"


def check(ctx: Context) -> Iterator[Diagnostic]:
    sem = ctx.semantics
    explain = Explainer(sem)
    for credential in sem.active:
        if credential.id in sem.reachable or credential.id in sem.cycle_of:
            continue
        if credential.invalid:
            continue
        leaves = list(unmet(credential.requires, sem.reachable_state))
        if any(not isinstance(leaf, Ref) or sem.is_gap(leaf) for leaf in leaves):
            continue
        yield at_id(
            credential.origin,
            ID,
            f"'{credential.id}' can never be earned: it {explain.credential(credential.id)}",
        )


RULE = Rule(ID, __doc__ or "", check, Severity.ERROR)
