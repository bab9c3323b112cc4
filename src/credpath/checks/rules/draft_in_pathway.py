"""A curated pathway that includes a draft credential.

A published pathway should only send learners to credentials they can enrol in
today. Every draft named in a stage (in any ``any`` or ``choose`` branch) is reported.

Failing::

    competencies:
      - {id: sql, title: SQL}
    credentials:
      - {id: sql-foundations, title: SQL Foundations, type: course, status: draft, grants: [sql@1]}
    outcomes:
      - {id: analyst, title: Analyst, requires: [sql@1]}
    pathways:
      - id: fast-track
        title: Fast track
        outcome: analyst
        stages:
          - [sql-foundations]

Gives::

    curriculum.yaml:12:10: warning: pathway 'fast-track' includes 'sql-foundations', which is a
      draft: publish it (status: active) or leave it out of the pathway [draft-in-pathway]

Passing::

    competencies:
      - {id: sql, title: SQL}
    credentials:
      - {id: sql-foundations, title: SQL Foundations, type: course, grants: [sql@1]}
    outcomes:
      - {id: analyst, title: Analyst, requires: [sql@1]}
    pathways:
      - id: fast-track
        title: Fast track
        outcome: analyst
        stages:
          - [sql-foundations]
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.base.diagnostics import Diagnostic, Severity
from credpath.checks.context import Context, finding
from credpath.checks.rules.base import Rule
from credpath.compiler.requirements import refs

ID = "draft-in-pathway"


def check(ctx: Context) -> Iterator[Diagnostic]:
    catalog = ctx.catalog
    for pathway in catalog.pathways.values():
        for stage in pathway.stages:
            for item in stage:
                for ref in refs(item):
                    if ref.kind != "credential":
                        continue
                    if catalog.credentials[ref.target].status == "draft":
                        yield finding(
                            pathway.origin.source,
                            ref.path,
                            ID,
                            f"pathway '{pathway.id}' includes '{ref.text}', which is a draft: "
                            "publish it (status: active) or leave it out of the pathway",
                        )


RULE = Rule(ID, __doc__ or "", check, Severity.WARNING, lint_only=True)
