"""A credential without a provider.

Who awards a credential is the first thing a learner or an employer asks.
Retired credentials are skipped.

Failing::

    credentials:
      - id: sql-foundations
        title: SQL Foundations
        type: course

Gives::

    curriculum.yaml:2:9: warning: credential 'sql-foundations' has no provider: name the institution
      or organisation that awards it [missing-provider]

Passing::

    credentials:
      - id: sql-foundations
        title: SQL Foundations
        type: course
        provider: Example University
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.base.diagnostics import Diagnostic, Severity
from credpath.checks.context import Context, at_id
from credpath.checks.rules._authoring import content_credentials, written
from credpath.checks.rules.base import Rule

ID = "missing-provider"


def check(ctx: Context) -> Iterator[Diagnostic]:
    for credential in content_credentials(ctx):
        if credential.model.provider is None and not written(credential.origin, "provider"):
            yield at_id(
                credential.origin,
                ID,
                f"credential '{credential.id}' has no provider: name the institution "
                "or organisation that awards it",
            )


RULE = Rule(ID, __doc__ or "", check, Severity.WARNING, lint_only=True)
