"""A micro-credential missing one of the EU mandatory elements that the format can hold.

The Council Recommendation on micro-credentials (2022) lists the elements every
micro-credential should state. Those expressible here are: ``provider``,
``workload.ects``, ``eqf``, ``assessment``, ``participation``,
``quality_assurance`` and ``grants`` (the learning outcomes). Off by default;
turn it on in credpath.yaml (``rules: {eu-microcredential: warning}``) for
curricula published in the EU. Retired credentials are skipped. The examples below are
checked with it on.

Failing::

    competencies:
      - {id: sql, title: SQL}
    credentials:
      - id: sql-foundations
        title: SQL Foundations
        type: micro-credential
        provider: Example University
        grants: [sql@1]

Gives::

    curriculum.yaml:4:9: warning: micro-credential 'sql-foundations' lacks EU mandatory elements:
      workload.ects, eqf, assessment, participation, quality_assurance [eu-microcredential]

Passing::

    competencies:
      - {id: sql, title: SQL}
    credentials:
      - id: sql-foundations
        title: SQL Foundations
        type: micro-credential
        provider: Example University
        workload: {hours: 50, ects: 2}
        eqf: 4
        assessment: Proctored practical exam
        participation: online
        quality_assurance: Internal QA, accredited by the national agency
        grants: [sql@1]
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.base.diagnostics import Diagnostic, Severity
from credpath.checks.context import Context, at_id
from credpath.checks.rules._authoring import content_credentials
from credpath.checks.rules.base import Rule
from credpath.compiler.model import Credential

ID = "eu-microcredential"


def missing(model: Credential) -> list[str]:
    """The mandatory elements ``model`` lacks, in the order the rule lists them."""
    present = {
        "provider": model.provider is not None,
        "workload.ects": model.workload is not None and model.workload.ects is not None,
        "eqf": model.eqf is not None,
        "assessment": model.assessment is not None,
        "participation": model.participation is not None,
        "quality_assurance": model.quality_assurance is not None,
        "grants": bool(model.grants),
    }
    return [name for name, ok in present.items() if not ok]


def check(ctx: Context) -> Iterator[Diagnostic]:
    for credential in content_credentials(ctx):
        if credential.model.type != "micro-credential":
            continue
        lacking = missing(credential.model)
        if lacking:
            yield at_id(
                credential.origin,
                ID,
                f"micro-credential '{credential.id}' lacks EU mandatory "
                f"element{'s' if len(lacking) > 1 else ''}: {', '.join(lacking)}",
            )


RULE = Rule(ID, __doc__ or "", check, Severity.WARNING, lint_only=True, enabled=False)
