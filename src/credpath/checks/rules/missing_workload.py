"""A credential without a workload.

The notional workload (hours, ECTS credits or both) lets learners plan, and lets
credpath prefer the lightest derived pathway. Retired credentials are skipped.

Failing::

    credentials:
      - id: sql-foundations
        title: SQL Foundations
        type: course

Gives::

    curriculum.yaml:2:9: warning: credential 'sql-foundations' has no workload: give its notional
      hours, ECTS credits or both (workload: {hours: 50, ects: 2}) [missing-workload]

Passing::

    credentials:
      - id: sql-foundations
        title: SQL Foundations
        type: course
        workload: {hours: 50, ects: 2}
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.base.diagnostics import Diagnostic, Severity
from credpath.checks.context import Context, at_id
from credpath.checks.rules._authoring import content_credentials, written
from credpath.checks.rules.base import Rule

ID = "missing-workload"


def check(ctx: Context) -> Iterator[Diagnostic]:
    for credential in content_credentials(ctx):
        if credential.model.workload is None and not written(credential.origin, "workload"):
            yield at_id(
                credential.origin,
                ID,
                f"credential '{credential.id}' has no workload: give its notional hours, "
                "ECTS credits or both (workload: {hours: 50, ects: 2})",
            )


RULE = Rule(ID, __doc__ or "", check, Severity.WARNING, lint_only=True)
