"""A credential grants ``c@L`` (L >= 2) but asks for nothing below that level.

A credential that certifies an intermediate or advanced level should build on
the level below: it should require ``c@(L-1)`` or higher, or a credential that
brings it (grants it, or requires it in turn: what holding that credential
guarantees, as ``redundant-requirement`` counts it, so that fixing one of these
two rules never raises the other). Any branch of ``all``, ``any`` or ``choose``
counts. Retired credentials are skipped. The message says what to require, or
that no credential a learner can earn first grants the level below.

Failing::

    competencies:
      - {id: sql, title: SQL, levels: [Basic, Intermediate, Advanced]}
    credentials:
      - id: sql-advanced
        title: Advanced SQL
        type: course
        grants: [sql@3]

Gives::

    curriculum.yaml:7:14: warning: 'sql-advanced' grants 'sql@3' but requires neither
      'sql@2' (or higher) nor a credential that brings it: learners would jump straight
      to level 3; no credential that a learner can earn first grants 'sql@2': add one for
      that level, then require it [level-jump]

Passing::

    competencies:
      - {id: sql, title: SQL, levels: [Basic, Intermediate, Advanced]}
    credentials:
      - {id: sql-basics, title: SQL Basics, type: course, grants: [sql@1]}
      - {id: sql-more, title: More SQL, type: course, requires: [sql@1], grants: [sql@2]}
      - id: sql-advanced
        title: Advanced SQL
        type: course
        requires: [sql@2]
        grants: [sql@3]
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.base.diagnostics import Diagnostic, Severity
from credpath.checks.context import Context, finding
from credpath.checks.rules._authoring import content_credentials
from credpath.checks.rules.base import Rule
from credpath.compiler.requirements import refs
from credpath.compiler.resolve import CredentialDef

ID = "level-jump"


def _builds_on(ctx: Context, credential: CredentialDef, competency: str, level: int) -> bool:
    """Whether a requirement, in any branch, brings ``competency`` at ``level`` or more:
    named directly, or guaranteed by a credential it names (what that credential grants,
    and what it requires in turn)."""
    guarantees = ctx.semantics.guarantees
    for ref in refs(credential.requires):
        if ref.kind == "competency":
            if ref.target == competency and ref.number >= level:
                return True
        elif guarantees.of(ref.target).levels.get(competency, 0) >= level:
            return True
    return False


def _fix(ctx: Context, credential: CredentialDef, competency: str, level: int) -> str:
    """Require the level below, when a learner can earn it without this credential."""
    if _earnable_without(ctx, credential, competency, level):
        return f"require '{competency}@{level}'"
    return (
        f"no credential that a learner can earn first grants '{competency}@{level}': "
        "add one for that level, then require it"
    )


def _earnable_without(ctx: Context, credential: CredentialDef, competency: str, level: int) -> bool:
    """Whether a learner can come by ``competency@level`` without ``credential``.

    What the fixpoint earns in the credential's round or earlier never needs it (each
    round needs only earlier ones), so a granter from there answers at once; an
    unreachable credential is never part of the fixpoint. Otherwise the fixpoint
    without it, once per credential, from those earlier rounds on. (A whole fixpoint
    per finding took ten minutes on a 10,000-credential catalog with 9,443 findings;
    this takes 15 s, most of it in the 222 credentials that need the fixpoint.)
    """
    sem = ctx.semantics
    if sem.catalog.assumed.get(competency, 0) >= level:
        return True
    rounds = sem.rounds
    own = rounds.get(credential.id)
    if own is None:
        return sem.reachable_state.levels.get(competency, 0) >= level
    for granted, granter in sem.granted_by(competency):  # highest level first
        if granted < level:
            break
        if granter.id != credential.id and rounds.get(granter.id, own + 1) <= own:
            return True
    return sem.levels_without(credential.id).get(competency, 0) >= level


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
                f"'{grant.target}@{below}' (or higher) nor a credential that brings it: "
                f"learners would jump straight to level {grant.number}; "
                f"{_fix(ctx, credential, grant.target, below)}",
            )


RULE = Rule(ID, __doc__ or "", check, Severity.WARNING, lint_only=True)
