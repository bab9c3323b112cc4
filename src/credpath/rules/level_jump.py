"""A credential grants ``c@L`` (L >= 2) but asks for nothing below that level.

A credential that certifies an intermediate or advanced level should build on
the level below: it should require ``c@(L-1)`` or higher, or a credential that
grants it. Only direct requirements count, in any branch of ``all``, ``any`` or
``choose``. Retired credentials are skipped.

Failing::

    credentials:
      - id: sql-advanced
        title: Advanced SQL
        type: course
        grants: [sql@3]

Passing::

    credentials:
      - id: sql-advanced
        title: Advanced SQL
        type: course
        requires: [sql@2]
        grants: [sql@3]
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.context import Context, finding
from credpath.diagnostics import Diagnostic, Severity
from credpath.requirements import refs
from credpath.resolve import CredentialDef
from credpath.rules._authoring import content_credentials
from credpath.rules.base import Rule

ID = "level-jump"


def _builds_on(ctx: Context, credential: CredentialDef, competency: str, level: int) -> bool:
    for ref in refs(credential.requires):
        if ref.kind == "competency" and ref.target == competency and ref.number >= level:
            return True
        if ref.kind == "credential":
            required = ctx.catalog.credentials[ref.target]
            if any(g.target == competency and g.number >= level for g in required.grants):
                return True
    return False


def check(ctx: Context) -> Iterator[Diagnostic]:
    for credential in content_credentials(ctx):
        if credential.invalid:
            continue  # its broken references are reported; guessing here would add noise
        for grant in credential.grants:
            below = grant.number - 1
            if below < 1 or _builds_on(ctx, credential, grant.target, below):
                continue
            yield finding(
                credential.origin.source,
                grant.path,
                ID,
                f"'{credential.id}' grants '{grant.text}' but requires neither "
                f"'{grant.target}@{below}' (or higher) nor a credential that grants it: "
                f"learners would jump straight to level {grant.number}",
            )


RULE = Rule(ID, __doc__ or "", check, Severity.WARNING, lint_only=True)
