"""A curated pathway stage needs something that only a later stage, or nothing, provides.

A stage item is in order when it is satisfied (a competency) or earnable (a
credential) from ``assumed`` plus stages 1..k-1; nothing in the same stage counts.

Failing::

    competencies:
      - {id: sql, title: SQL, levels: [Basic, Advanced]}
    credentials:
      - {id: sql-basics, title: SQL Basics, type: course, grants: [sql@1]}
      - {id: sql-advanced, title: SQL 2, type: course, requires: [sql-basics], grants: [sql@2]}
    outcomes:
      - {id: analyst, title: Analyst, requires: [sql@2]}
    pathways:
      - id: fast-track
        title: Fast track
        outcome: analyst
        stages:
          - [sql-advanced]      # requires sql-basics
          - [sql-basics]

Gives::

    curriculum.yaml:13:10: error: stage 1 of pathway 'fast-track': 'sql-advanced' is not earnable at
      the start: it requires 'sql-basics', which only stage 2 provides (move it to an earlier stage)
      [pathway-order]

Passing::

    competencies:
      - {id: sql, title: SQL, levels: [Basic, Advanced]}
    credentials:
      - {id: sql-basics, title: SQL Basics, type: course, grants: [sql@1]}
      - {id: sql-advanced, title: SQL 2, type: course, requires: [sql-basics], grants: [sql@2]}
    outcomes:
      - {id: analyst, title: Analyst, requires: [sql@2]}
    pathways:
      - id: fast-track
        title: Fast track
        outcome: analyst
        stages:
          - [sql-basics]
          - [sql-advanced]
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.base.diagnostics import Diagnostic, Severity
from credpath.checks.context import Context, finding, part_subject
from credpath.checks.rules._pathway import walk
from credpath.checks.rules.base import Rule
from credpath.compiler.requirements import Ref

ID = "pathway-order"


def check(ctx: Context) -> Iterator[Diagnostic]:
    for pathway in ctx.catalog.pathways.values():
        for index, item, why in walk(ctx, pathway).out_of_order:
            path = item.path
            yield finding(
                pathway.origin.source,
                path,
                ID,
                f"stage {index + 1} of pathway '{pathway.id}' is out of order: {why}"
                if not isinstance(item, Ref)
                else f"stage {index + 1} of pathway '{pathway.id}': {why}",
                subject=part_subject(ctx.catalog, pathway.origin.source, path, pathway.id),
            )


RULE = Rule(ID, __doc__ or "", check, Severity.ERROR)
