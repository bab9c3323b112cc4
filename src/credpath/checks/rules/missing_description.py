"""An outcome or credential without a description.

Learners and advisers choose by the description; a title alone rarely says what
a credential teaches or what a job involves. Retired credentials are skipped.

Failing::

    credentials:
      - id: sql-foundations
        title: SQL Foundations
        type: course

Gives::

    curriculum.yaml:2:9: warning: credential 'sql-foundations' has no description: say in a sentence
      or two what a learner can do after earning it [missing-description]

Passing::

    credentials:
      - id: sql-foundations
        title: SQL Foundations
        type: course
        description: Relational data and single-table queries.
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.base.diagnostics import Diagnostic, Severity
from credpath.checks.context import Context, at_id
from credpath.checks.rules._authoring import content_credentials, written
from credpath.checks.rules.base import Rule

ID = "missing-description"


def check(ctx: Context) -> Iterator[Diagnostic]:
    for outcome in ctx.catalog.outcomes.values():
        if outcome.model.description is None and not written(outcome.origin, "description"):
            yield at_id(
                outcome.origin,
                ID,
                f"outcome '{outcome.id}' has no description: say in a sentence or two what "
                "the role involves",
            )
    for credential in content_credentials(ctx):
        if credential.model.description is None and not written(credential.origin, "description"):
            yield at_id(
                credential.origin,
                ID,
                f"credential '{credential.id}' has no description: say in a sentence or two "
                "what a learner can do after earning it",
            )


RULE = Rule(ID, __doc__ or "", check, Severity.WARNING, lint_only=True)
