"""A credential that leads to no outcome: a learner who finishes it sees no next door.

A reachable credential whose grants (or itself) serve no requirement of an outcome,
nor of a credential that leads to an outcome.

Failing::

    credentials:
      - {id: excel-tips, title: Excel Tips, type: badge, grants: [excel@1]}
    outcomes:
      - {id: analyst, title: Analyst, requires: [sql@1]}

Passing::

    credentials:
      - {id: excel-tips, title: Excel Tips, type: badge, grants: [excel@1]}
    outcomes:
      - {id: analyst, title: Analyst, requires: [sql@1, excel@1]}
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.context import Context, at_id
from credpath.diagnostics import Diagnostic, Severity
from credpath.resolve import CredentialDef
from credpath.rules.base import Rule

ID = "dead-end"


def check(ctx: Context) -> Iterator[Diagnostic]:
    sem = ctx.semantics
    for credential in sem.active:
        if credential.id not in sem.reachable or credential.id in sem.leads_to:
            continue
        grants = ", ".join(str(g) for g in credential.grants)
        what = f"it grants {grants}, but" if grants else "it grants nothing, and"
        yield at_id(
            credential.origin,
            ID,
            f"'{credential.id}' leads to no outcome: {what} no outcome or credential on the way "
            "to one requires it; a learner who finishes this sees no next door",
            subject=f"credential:{credential.id}",
            cause=f"entry:{credential.id}" if _lost_grants(credential) else "",
        )


def _lost_grants(credential: CredentialDef) -> bool:
    """Whether some of its grants did not resolve (and were reported as such)."""
    raw = credential.model.grants
    written = len(raw) if isinstance(raw, list) else 1 if raw is not None else 0
    return written > len(credential.grants)


RULE = Rule(ID, __doc__ or "", check, Severity.WARNING)
