"""A reference of the wrong kind or level.

A level on a credential, a level the competency does not have, an outcome or
pathway named as a requirement, a credential in ``grants``.

Failing::

    competencies:
      - {id: sql, title: SQL, levels: [Basic, Intermediate, Advanced]}
    credentials:
      - {id: sql-foundations, title: SQL Foundations, type: course, grants: [sql@1]}
      - id: sql-advanced
        title: Advanced SQL
        type: course
        requires: [sql-foundations@2]   # a credential has no levels
        grants: [sql@4]                 # sql has three levels

Gives::

    curriculum.yaml:8:16: error: 'sql-foundations@2': 'sql-foundations' is a credential and has no
      levels; write 'sql-foundations' [wrong-reference]
    curriculum.yaml:9:14: error: 'sql@4': 'sql' has 3 levels (Basic, Intermediate, Advanced); there
      is no level 4 [wrong-reference]

Passing::

    competencies:
      - {id: sql, title: SQL, levels: [Basic, Intermediate, Advanced]}
    credentials:
      - {id: sql-foundations, title: SQL Foundations, type: course, grants: [sql@1]}
      - id: sql-advanced
        title: Advanced SQL
        type: course
        requires: [sql-foundations]
        grants: [sql@3]
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.base.diagnostics import Diagnostic, Severity
from credpath.base.text import suggest
from credpath.checks.context import Context, at_place, part_subject
from credpath.checks.rules.base import Rule
from credpath.compiler.facts import WrongReference
from credpath.compiler.requirements import levels_text

ID = "wrong-reference"


def check(ctx: Context) -> Iterator[Diagnostic]:
    for fact in ctx.catalog.facts:
        if isinstance(fact, WrongReference):
            place = fact.place
            subject = part_subject(ctx.catalog, place.source, place.path, fact.owner)
            yield at_place(place, ID, message(fact), subject=subject)


def message(fact: WrongReference) -> str:
    target, text, what = fact.target, fact.text, fact.what
    if fact.code == "grant-not-competency":
        return f"'{target}' is {what}: grants lists competencies only"
    if fact.code == "requirement-names":
        return f"'{target}' is {what}; requirements name competencies and credentials"
    if fact.code == "credential-level":
        return f"'{text}': '{target}' is a credential and has no levels; write '{target}'"
    if fact.code == "pathway-outcome":
        return f"'{target}' is not an outcome: a pathway leads to an outcome"
    if fact.code == "assumed-not-competency":
        return (
            f"'{target}' is not a competency: assumed lists the competencies every learner brings"
        )
    levels = fact.levels
    shown = levels_text(levels)
    if fact.code == "no-level":
        return f"'{text}': '{target}' has {shown}; there is no level {fact.level}"
    return (
        f"'{text}': '{target}' has no level named '{fact.level}' ({shown})"
        f"{suggest(str(fact.level), levels)}"
    )


RULE = Rule(ID, __doc__ or "", check, Severity.ERROR)
