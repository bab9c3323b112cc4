"""Hours and ECTS credits that disagree: fewer than 20 or more than 35 hours per credit.

One ECTS credit is 25 to 30 hours of learning; outside 20 to 35 one of the two
numbers is probably a typo. Retired credentials are skipped.

Failing::

    credentials:
      - id: sql-foundations
        title: SQL Foundations
        type: course
        workload: {hours: 50, ects: 5}

Gives::

    curriculum.yaml:5:15: warning: the workload of 'sql-foundations' is 50 hours for 5 ECTS, 10
      hours per credit: one credit is 25-30 hours of learning (20-35 accepted); check both numbers
      [workload-mismatch]

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
from credpath.checks.context import Context, finding
from credpath.checks.rules._authoring import content_credentials
from credpath.checks.rules.base import Rule

ID = "workload-mismatch"

LOW, HIGH = 20, 35
"""Hours per ECTS credit outside this range are reported."""


def check(ctx: Context) -> Iterator[Diagnostic]:
    for credential in content_credentials(ctx):
        workload = credential.model.workload
        if workload is None or workload.hours is None or workload.ects is None:
            continue
        per_credit = workload.hours / workload.ects
        if LOW <= per_credit <= HIGH:
            continue
        yield finding(
            credential.origin.source,
            (*credential.origin.path, "workload"),
            ID,
            f"the workload of '{credential.id}' is {workload.hours:g} hours for "
            f"{workload.ects:g} ECTS, {per_credit:.3g} hours per credit: one credit is "
            f"25-30 hours of learning ({LOW}-{HIGH} accepted); check both numbers",
        )


RULE = Rule(ID, __doc__ or "", check, Severity.WARNING, lint_only=True)
