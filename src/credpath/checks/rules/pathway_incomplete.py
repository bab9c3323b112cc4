"""After every stage of a curated pathway, its outcome is still not met.

Failing::

    competencies:
      - {id: sql, title: SQL}
      - {id: viz, title: Visualisation}
    credentials:
      - {id: sql-basics, title: SQL Basics, type: course, grants: [sql@1]}
      - {id: viz-basics, title: Viz Basics, type: course, grants: [viz@1]}
    outcomes:
      - {id: analyst, title: Analyst, requires: [sql@1, viz@1]}
    pathways:
      - id: fast-track
        title: Fast track
        outcome: analyst
        stages:
          - [sql-basics]

Gives::

    curriculum.yaml:12:14: error: after the only stage of pathway 'fast-track' the learner does not
      meet 'analyst': still missing 'viz@1' [pathway-incomplete]

Passing::

    competencies:
      - {id: sql, title: SQL}
      - {id: viz, title: Visualisation}
    credentials:
      - {id: sql-basics, title: SQL Basics, type: course, grants: [sql@1]}
      - {id: viz-basics, title: Viz Basics, type: course, grants: [viz@1]}
    outcomes:
      - {id: analyst, title: Analyst, requires: [sql@1, viz@1]}
    pathways:
      - id: fast-track
        title: Fast track
        outcome: analyst
        stages:
          - [sql-basics, viz-basics]
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from credpath.base.diagnostics import Diagnostic, Severity, Subject
from credpath.checks.context import Context, finding, part_subject
from credpath.checks.rules._pathway import walk
from credpath.checks.rules.base import Rule
from credpath.checks.rules.unknown_reference import meant
from credpath.compiler.facts import UnknownReference
from credpath.compiler.requirements import All, AnyOf, Choose, Invalid, Ref, Requirement
from credpath.compiler.resolve import PathwayDef
from credpath.compiler.semantics import satisfied, unmet

ID = "pathway-incomplete"


def check(ctx: Context) -> Iterator[Diagnostic]:
    for pathway in ctx.catalog.pathways.values():
        if pathway.outcome is None or not pathway.stages:
            continue  # an unknown outcome or unreadable stages: reported as such, not walked
        outcome = ctx.catalog.outcomes[pathway.outcome]
        state = walk(ctx, pathway).state
        if satisfied(outcome.requires, state):
            continue
        missing = [leaf.text for leaf in unmet(outcome.requires, state) if isinstance(leaf, Ref)]
        shown = ", ".join(f"'{m}'" for m in missing[:5]) + (", ..." if len(missing) > 5 else "")
        stages = len(pathway.stages)
        yield finding(
            pathway.origin.source,
            (*pathway.origin.path, "outcome"),
            ID,
            f"after {'the only stage' if stages == 1 else f'all {stages} stages'} of pathway "
            f"'{pathway.id}' the learner does not meet '{outcome.id}': still missing "
            f"{shown or 'a requirement'}",
            subject=Subject.entry(pathway.id),
            cause=_completed_by(ctx, pathway, outcome.requires) if pathway.invalid else (),
        )


def _completed_by(ctx: Context, pathway: PathwayDef, goal: Requirement) -> tuple[Subject, ...]:
    """A stage item naming an unknown id whose fix, as its finding suggests (the
    credential it most likely meant), completes the pathway on its own."""
    for fact in ctx.catalog.facts:
        if not isinstance(fact, UnknownReference) or fact.owner != pathway.id:
            continue
        likely = meant(ctx, fact)
        path = fact.place.path
        if likely not in ctx.catalog.credentials or "stages" not in path:
            continue
        fixed = Ref(likely, None, likely, path, "credential")
        stages = tuple(tuple(_fixed(item, fixed) for item in stage) for stage in pathway.stages)
        if satisfied(goal, walk(ctx, replace(pathway, stages=stages)).state):
            return (part_subject(ctx.catalog, fact.place.source, path, pathway.id),)
    return ()


def _fixed(requirement: Requirement, ref: Ref) -> Requirement:
    """``requirement`` with the invalid part at ``ref.path`` replaced by ``ref``."""
    if isinstance(requirement, Invalid):
        return ref if requirement.path == ref.path else requirement
    if isinstance(requirement, All | AnyOf | Choose):
        return replace(requirement, items=tuple(_fixed(i, ref) for i in requirement.items))
    return requirement


RULE = Rule(ID, __doc__ or "", check, Severity.ERROR)
