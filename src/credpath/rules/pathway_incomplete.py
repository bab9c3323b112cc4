"""After every stage of a curated pathway, its outcome is still not met.

Failing::

    pathways:
      - id: fast-track
        title: Fast track
        outcome: analyst          # requires sql@2 and viz@1
        stages:
          - [sql-basics]

Passing::

    pathways:
      - id: fast-track
        title: Fast track
        outcome: analyst
        stages:
          - [sql-basics, viz-basics]
          - [sql-advanced]
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.context import Context, finding
from credpath.diagnostics import Diagnostic, Severity
from credpath.requirements import Ref, Requirement
from credpath.resolve import PathwayDef
from credpath.rules._pathway import walk
from credpath.rules.base import Rule
from credpath.semantics import State, gap_subject, satisfied, unmet

ID = "pathway-incomplete"


def check(ctx: Context) -> Iterator[Diagnostic]:
    for pathway in ctx.catalog.pathways.values():
        if pathway.outcome is None:
            continue
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
            cause=_cause(ctx, pathway, outcome.requires, state),
        )


def _cause(ctx: Context, pathway: PathwayDef, goal: Requirement, state: State) -> str:
    """A broken pathway, or a gap in what it misses, explains an incomplete pathway."""
    if pathway.invalid:
        return f"entry:{pathway.id}"
    for leaf in unmet(goal, state):
        if isinstance(leaf, Ref) and ctx.semantics.is_gap(leaf):
            return gap_subject(leaf)
    return ""


RULE = Rule(ID, __doc__ or "", check, Severity.ERROR)
