"""A requirement or a pathway stage that names a retired credential.

A retired credential can no longer be earned, so whatever requires it is closed
to new learners. Requirements of retired credentials themselves are not checked.

Failing::

    credentials:
      - {id: sql-2019, title: SQL (2019 edition), type: course, status: retired}
      - {id: sql-reporting, title: SQL Reporting, type: course, requires: [sql-2019]}

Gives::

    curriculum.yaml:3:72: error: 'sql-2019' is retired and can no longer be earned: name the
      credential that replaces it, or remove it [retired-reference]

Passing::

    credentials:
      - {id: sql-2019, title: SQL (2019 edition), type: course, status: retired}
      - {id: sql-2024, title: SQL (2024 edition), type: course}
      - {id: sql-reporting, title: SQL Reporting, type: course, requires: [sql-2024]}
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.base.diagnostics import Diagnostic, Severity
from credpath.checks.context import Context, finding
from credpath.checks.rules._authoring import content_credentials
from credpath.checks.rules.base import Rule
from credpath.compiler.loader import SourceFile
from credpath.compiler.requirements import Requirement, refs

ID = "retired-reference"


def check(ctx: Context) -> Iterator[Diagnostic]:
    catalog = ctx.catalog
    checked: list[tuple[SourceFile, Requirement]] = [
        (o.origin.source, o.requires) for o in catalog.outcomes.values()
    ]
    checked += [(c.origin.source, c.requires) for c in content_credentials(ctx)]
    checked += [
        (p.origin.source, item) for p in catalog.pathways.values() for s in p.stages for item in s
    ]
    for source, requirement in checked:
        for ref in refs(requirement):
            if ref.kind != "credential":
                continue
            target = catalog.credentials[ref.target]
            if target.status == "retired":
                yield finding(
                    source,
                    ref.path,
                    ID,
                    f"'{ref.text}' is retired and can no longer be earned: "
                    "name the credential that replaces it, or remove it",
                )


RULE = Rule(ID, __doc__ or "", check, Severity.ERROR, lint_only=True)
