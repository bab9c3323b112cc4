"""A required competency level that nothing in the project grants and nobody brings.

A requirement ``c@L`` of an outcome, credential or pathway that no credential
(retired ones aside) grants at level L or higher, and that is not ``assumed``.
The message names the highest level that is granted, and by whom.

Failing::

    credentials:
      - {id: sql-basics, title: SQL Basics, type: course, grants: [sql@1]}
    outcomes:
      - {id: analyst, title: Analyst, requires: [sql@2]}

Passing::

    credentials:
      - {id: sql-basics, title: SQL Basics, type: course, grants: [sql@1]}
      - {id: sql-more, title: More SQL, type: course, requires: [sql@1], grants: [sql@2]}
    outcomes:
      - {id: analyst, title: Analyst, requires: [sql@2]}
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.context import Context, finding
from credpath.diagnostics import Diagnostic, Severity
from credpath.rules._common import checked_refs
from credpath.rules.base import Rule

ID = "gap"


def check(ctx: Context) -> Iterator[Diagnostic]:
    sem = ctx.semantics
    for source, ref in checked_refs(ctx):
        if not sem.is_gap(ref):
            continue
        best = sem.highest_grant(ref.target)
        if best is None:
            retired = [
                c.id
                for c in ctx.catalog.credentials.values()
                if any(g.target == ref.target for g in c.grants)
            ]
            hint = (
                f"only {', '.join(repr(r) for r in sorted(retired))}, not earnable, grant it"
                if retired
                else f"nothing grants '{ref.target}'"
            )
        else:
            hint = f"highest granted: {ref.target}@{best[0]} by '{best[1].id}'"
        yield finding(
            source,
            ref.path,
            ID,
            f"'{ref.text}' is not granted by any credential ({hint})",
        )


RULE = Rule(ID, __doc__ or "", check, Severity.ERROR)
