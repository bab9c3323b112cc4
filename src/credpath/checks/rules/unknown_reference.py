"""A reference to an id that does not exist, with a "did you mean" suggestion.

Failing::

    competencies:
      - {id: sql, title: SQL, levels: [Basic, Intermediate]}
    credentials:
      - {id: sql-course, title: SQL, type: course, grants: [sql@2]}
    outcomes:
      - id: junior-data-analyst
        title: Junior Data Analyst
        requires: [sequel@2]

Gives::

    curriculum.yaml:8:16: error: unknown id 'sequel' (did you mean 'sql'?) [unknown-reference]

Passing::

    competencies:
      - {id: sql, title: SQL, levels: [Basic, Intermediate]}
    credentials:
      - {id: sql-course, title: SQL, type: course, grants: [sql@2]}
    outcomes:
      - id: junior-data-analyst
        title: Junior Data Analyst
        requires: [sql@2]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from credpath.base.diagnostics import Diagnostic, Severity
from credpath.base.text import closest
from credpath.checks.context import Context, at_place, part_subject
from credpath.checks.rules.base import Rule
from credpath.compiler.facts import UnknownReference

ID = "unknown-reference"


def check(ctx: Context) -> Iterator[Diagnostic]:
    for fact in ctx.catalog.facts:
        if isinstance(fact, UnknownReference):
            where = " in assumed" if fact.expected == "assumed competency" else ""
            likely = meant(ctx, fact)
            hint = f" (did you mean '{likely}'?)" if likely else ""
            message = f"unknown {_named(fact.expected)} '{fact.target}'{where}{hint}"
            place = fact.place
            subject = part_subject(ctx.catalog, place.source, place.path, fact.owner)
            yield at_place(place, ID, message, subject=subject)


def _named(expected: str) -> str:
    return "competency" if expected == "assumed competency" else expected


def candidates(ctx: Context, expected: str) -> Mapping[str, object]:
    catalog = ctx.catalog
    if expected == "outcome":
        return catalog.outcomes
    if expected in {"competency", "assumed competency"}:
        return catalog.competencies
    return catalog.ids


def meant(ctx: Context, fact: UnknownReference) -> str | None:
    """The id it most likely meant, remembered: an alias can repeat one name many times."""
    memo: dict[tuple[str, str], str | None] = ctx.memo.setdefault(ID, {})
    key = (fact.target, fact.expected)
    if key not in memo:
        memo[key] = closest(fact.target, candidates(ctx, fact.expected))
    return memo[key]


RULE = Rule(ID, __doc__ or "", check, Severity.ERROR)
