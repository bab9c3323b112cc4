"""Credentials that wait on each other, so that none of them can ever be earned.

Reported once per group, at its member that comes first in path order, with the
loop step by step and every member.

Failing::

    competencies:
      - {id: x, title: X}
    credentials:
      - {id: a, title: A, type: course, requires: [b], grants: [x@1]}
      - {id: b, title: B, type: course, requires: [x@1]}

Gives::

    curriculum.yaml:4:10: error: credentials wait on each other in a cycle: a -> b -> a; none of
      them can ever be earned; remove one of these requirements to break the loop [cycle]

Passing::

    competencies:
      - {id: x, title: X}
    credentials:
      - {id: a, title: A, type: course, grants: [x@1]}
      - {id: b, title: B, type: course, requires: [x@1]}
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.base.diagnostics import Diagnostic, Severity, Subject, SubjectKind
from credpath.checks.context import Context, at_id
from credpath.checks.rules.base import Rule
from credpath.compiler.semantics import loop_text

ID = "cycle"


def check(ctx: Context) -> Iterator[Diagnostic]:
    sem = ctx.semantics
    for members in sem.cycles:
        first = sem.first_in_path_order(members)
        loop = loop_text(sem, members, first)
        others = "" if len(members) == loop.count(" -> ") else f" (members: {', '.join(members)})"
        yield at_id(
            ctx.catalog.credentials[first].origin,
            ID,
            f"credentials wait on each other in a cycle: {loop}{others}; none of them can "
            "ever be earned; remove one of these requirements to break the loop",
            subject=Subject(SubjectKind.CYCLE, first),
        )


RULE = Rule(ID, __doc__ or "", check, Severity.ERROR)
