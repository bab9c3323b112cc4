"""A required competency level that no learner can come by.

A requirement ``c@L`` of an outcome, credential or pathway that is not ``assumed``
and that no usable credential (retired ones, and drafts with ``--no-drafts``,
aside) grants at level L or higher without asking for it first: when the
level-1 course of a ladder is retired, ``weld@1`` is a gap even though the
level-2 and level-3 courses grant higher levels, as both require ``weld@1``.
The message names the highest level that is granted, and by whom, and how many
credentials and outcomes the gap makes unreachable (those it alone blocks are folded
into it). A gap that a mistyped grant or ``assumed`` entry, or an id defined twice,
would close once fixed (at that level, from a credential a learner earns without it)
is folded into that finding.

Failing::

    competencies:
      - {id: sql, title: SQL, levels: [Basic, Intermediate]}
    credentials:
      - {id: sql-basics, title: SQL Basics, type: course, grants: [sql@1]}
    outcomes:
      - {id: analyst, title: Analyst, requires: [sql@2]}

Gives::

    curriculum.yaml:6:46: error: 'sql@2' is not granted by any credential (highest granted: sql@1 by
      'sql-basics'); this makes 1 outcome unreachable [gap]

Passing::

    competencies:
      - {id: sql, title: SQL, levels: [Basic, Intermediate]}
    credentials:
      - {id: sql-basics, title: SQL Basics, type: course, grants: [sql@1]}
      - {id: sql-more, title: More SQL, type: course, requires: [sql@1], grants: [sql@2]}
    outcomes:
      - {id: analyst, title: Analyst, requires: [sql@2]}
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.base.diagnostics import Diagnostic, Severity, Subject
from credpath.checks.context import Context, finding
from credpath.checks.rules._common import MeantGrant, checked_refs, meant_grants
from credpath.checks.rules.base import Rule
from credpath.compiler.requirements import Ref
from credpath.compiler.semantics import gap_subject

ID = "gap"


def check(ctx: Context) -> Iterator[Diagnostic]:
    sem = ctx.semantics
    meant = meant_grants(ctx)
    for source, ref in checked_refs(ctx):
        if not sem.is_gap(ref):
            continue
        yield finding(
            source,
            ref.path,
            ID,
            f"'{ref.text}' {_why(ctx, ref)}",
            subject=gap_subject(ref),
            cause=_closed_by(ctx, meant, ref),
        )


def _why(ctx: Context, ref: Ref) -> str:
    """What grants the competency, and why that does not help."""
    sem = ctx.semantics
    best = sem.highest_grant(ref.target)
    others = sorted(
        c.id
        for c in ctx.catalog.credentials.values()
        if not sem.usable(c)
        and any(g.target == ref.target and g.number >= ref.number for g in c.grants)
    )
    named = ", ".join(repr(r) for r in others)
    unusable = f"{named}, not earnable, grant{'s' if len(others) == 1 else ''} it"
    if best is None:
        return (
            "is not granted by any credential "
            f"({f'only {unusable}' if others else f'nothing grants {ref.target!r}'})"
        )
    if best[0] < ref.number:
        highest = f"highest granted: {ref.target}@{best[0]} by '{best[1].id}'"
        return f"is not granted by any credential ({highest}{f'; {unusable}' if others else ''})"
    needing = sorted(c.id for c in sem.servers(ref))
    shown = ", ".join(repr(c) for c in needing[:3]) + (", ..." if len(needing) > 3 else "")
    return (
        f"is not granted by any credential a learner can earn without it (granted only by "
        f"{shown}, which {'needs' if len(needing) == 1 else 'need'} it first"
        f"{f'; {unusable}' if others else ''}): add a credential "
        "that grants it without requiring it, or lower the requirement"
    )


def _closed_by(ctx: Context, meant: list[MeantGrant], ref: Ref) -> tuple[Subject, ...]:
    """The finding whose fix closes the gap: a grant (or an assumed competency) that did
    not resolve and, as it was meant, gives a learner that level, from a credential
    a learner earns without it (not retired, reachable, not needing it first)."""
    sem = ctx.semantics
    for grant in meant:
        if (
            grant.competency == ref.target
            and grant.level >= ref.number
            and grant.earned
            and (grant.owner is None or not sem.needs_first(grant.owner, ref.target, ref.number))
        ):
            return (grant.subject,)
    return ()


RULE = Rule(ID, __doc__ or "", check, Severity.ERROR)
