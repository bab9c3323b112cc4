"""The four views a designer asks for, each as a ``Diagram``.

- ``project_map``: every credential in stage columns (the fixpoint round in which it
  becomes earnable), the unreachable ones in a column of their own, outcomes last;
- ``derived_pathway``: the pathway credpath derives for an outcome;
- ``curated_pathway``: a pathway as its authors wrote it, alternatives boxed together;
- ``credential_neighbourhood``: what one credential needs and what it unlocks.

Problems are part of every view, so a diagram is also a review: a gap, a dead end, a
credential that can never be earned, a curated stage item that is out of order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, replace

from credpath.checks.context import Context
from credpath.compiler.requirements import AnyOf, Choose, Requirement, refs
from credpath.compiler.resolve import UNNAMED
from credpath.compiler.semantics import Explainer, Semantics, loop_text, satisfied
from credpath.publish.render.model import (
    LAST,
    Builder,
    Column,
    Diagram,
    Group,
    clean,
    credential_node_id,
    focus,
    hours_text,
    outcome_node_id,
    shown,
    subset,
)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def project_map(
    semantics: Semantics, *, show_competencies: bool = False, include: Iterable[str] = ()
) -> Diagram:
    """The whole project; retired credentials only where something still requires them."""
    sem = semantics
    catalog = sem.catalog
    order = sem.rounds
    usable = sorted(c.id for c in catalog.credentials.values() if sem.usable(c))
    requirements = [catalog.credentials[c].requires for c in usable]
    requirements += [o.requires for o in catalog.outcomes.values()]
    required = {r.target for req in requirements for r in refs(req) if r.kind == "credential"}
    members = sorted({*usable, *(required & set(catalog.credentials)), *include})
    stage = {c: order.get(c, LAST) for c in members}
    builder = Builder(sem, members, stage, show_competencies=show_competencies)
    explain = Explainer(sem)
    last = max(order.values(), default=0)
    titles = {k: f"Stage {k}" for k in range(1, last + 1)} | {LAST: "Not reachable"}
    columns = []
    for k, title in titles.items():
        ids = [c for c in members if stage[c] == k]
        if not ids:
            continue
        columns.append(
            Column(
                f"stage-{k}" if k != LAST else "not-reachable",
                title,
                tuple(map(credential_node_id, ids)),
            )
        )
        for credential_id in ids:
            credential = catalog.credentials[credential_id]
            builder.credential(credential_id, *_problem(sem, explain, credential_id))
            if sem.usable(credential):
                builder.connect(credential_node_id(credential_id), credential.requires, k)
    outcomes = []
    for outcome_id in sorted(catalog.outcomes):
        outcome = catalog.outcomes[outcome_id]
        reached = satisfied(outcome.requires, sem.reachable_state)
        why = (
            ""
            if reached
            else f"not reachable: it {explain.requirement(outcome.requires, outcome.id).text}"
        )
        node = builder.outcome(outcome_id, "" if reached else "not reachable", why)
        builder.connect(node, outcome.requires, LAST + 1)
        outcomes.append(node)
    if outcomes:
        columns.append(Column("outcomes", "Outcomes", tuple(outcomes)))
    subtitle = (
        f"Map: {_plural(len(usable), 'credential')} in {_plural(last, 'stage')}, "
        f"{_plural(len(catalog.outcomes), 'outcome')}"
    )
    unreachable = sum(1 for c in usable if c not in sem.reachable)
    if unreachable:
        subtitle += f"; {unreachable} not reachable"
    # Columns under headers, not boxes: dot routes an edge around every box it crosses,
    # and a map has many edges that skip stages.
    return builder.diagram(shown(catalog.name, UNNAMED), subtitle, columns, boxed=False)


def _problem(sem: Semantics, explain: Explainer, credential_id: str) -> tuple[str, str]:
    """What is wrong with a credential on the map, in two words and in a sentence."""
    if not sem.usable(sem.catalog.credentials[credential_id]):
        return "", ""  # retired (or an unpublished draft): grey, not red
    if credential_id in sem.cycle_of:
        loop = loop_text(sem, sem.cycle_of[credential_id], credential_id)
        return "in a cycle", f"in the cycle {loop}"
    if credential_id not in sem.reachable:
        return "not earnable", f"it {explain.credential(credential_id).text}"
    if credential_id not in sem.leads_to:
        return "dead end", "dead end: it leads to no outcome"
    return "", ""


def derived_pathway(
    semantics: Semantics, outcome_id: str, *, show_competencies: bool = False
) -> Diagram:
    """The derived pathway to an outcome; when there is none, what stands in the way."""
    from credpath.compiler.pathways import derive, hours

    sem = semantics
    catalog = sem.catalog
    outcome = catalog.outcomes[outcome_id]
    title = clean(outcome.model.title)
    derived = derive(sem, outcome_id)
    if derived is None:
        whole = project_map(sem, show_competencies=show_competencies)
        keep = _near(whole, outcome_node_id(outcome_id), depth=None, down=False)
        return subset(whole, keep, f"{title} is not reachable: what it needs")
    stage = {c: k for k, ids in enumerate(derived.stages, 1) for c in ids}
    builder = Builder(sem, stage, stage, show_competencies=show_competencies)
    columns = []
    for k, ids in enumerate(derived.stages, 1):
        total = sum(hours(catalog.credentials[c]) for c in ids)
        columns.append(
            Column(
                f"stage-{k}",
                f"Stage {k} · {hours_text(total)}" if total else f"Stage {k}",
                tuple(credential_node_id(c) for c in ids),
            )
        )
        for credential_id in ids:
            node = builder.credential(credential_id)
            builder.connect(node, catalog.credentials[credential_id].requires, k)
    node = builder.outcome(outcome_id)
    builder.connect(node, outcome.requires, len(derived.stages) + 1)
    columns.append(Column("outcomes", "Outcome", (node,)))
    subtitle = (
        f"Pathway to {title}: {_plural(len(derived.credentials), 'credential')} in "
        f"{_plural(len(derived.stages), 'stage')}, {hours_text(derived.hours)}"
    )
    if not derived.optimal:
        subtitle += " (found by a heuristic)"
    return builder.diagram(shown(catalog.name, UNNAMED), subtitle, columns)


SITE_LIMIT = 24
"""Pathway credentials an outcome diagram of the learner site draws at most: past it, the
stages nearest the outcome (a 60-credential pathway drew an 800 KB diagram)."""
ALTERNATIVES = 8
"""Direct alternatives a site diagram draws at most, and ``PER_NEED`` per requirement."""
PER_NEED = 3


@dataclass(frozen=True)
class SitePathway:
    """An outcome diagram of the learner site, and how many pathway credentials (of how
    many) it leaves out to stay under ``SITE_LIMIT``."""

    diagram: Diagram
    left_out: int
    total: int


def site_pathway(semantics: Semantics, outcome_id: str, *, limit: int = SITE_LIMIT) -> SitePathway:
    """The derived pathway to an outcome for a new learner, with its direct alternatives
    (the other credentials that meet a requirement of it, one step, no further), whose
    nodes link to the site's credential pages: the map ``assets/pathway.js`` colours for
    the learner. At most ``limit`` pathway credentials, the stages nearest the outcome
    first; an outcome out of reach gets ``derived_pathway``'s "what it needs"."""
    from credpath.compiler.pathways import derive, hours

    sem = semantics
    catalog = sem.catalog
    derived = derive(sem, outcome_id)
    if derived is None:
        whole = derived_pathway(sem, outcome_id)
        return SitePathway(_site_links(whole), 0, 0)
    kept: list[tuple[int, tuple[str, ...]]] = []
    room = limit
    for k in range(len(derived.stages), 0, -1):
        ids = derived.stages[k - 1]
        if room <= 0:
            break
        kept.insert(0, (k, ids[:room]))
        room -= len(ids)
    drawn = [c for _, ids in kept for c in ids]
    column = {c: index for index, (_, ids) in enumerate(kept, 1) for c in ids}
    goal = len(kept) + 1
    outcome = catalog.outcomes[outcome_id]
    consumers = [(catalog.credentials[c].requires, column[c]) for c in drawn]
    consumers.append((outcome.requires, goal))
    everything = set(derived.credentials)
    reachable = sem.reachable
    others: dict[str, int] = {}
    for requirement, at in consumers:
        for ref in refs(requirement):
            found = (
                [ref.target]
                if ref.kind == "credential"
                else sorted(c.id for c in sem.servers(ref) if c.id not in everything)
            )
            for other in [c for c in found if c in reachable and c not in everything][:PER_NEED]:
                if len(others) < ALTERNATIVES or other in others:
                    others[other] = min(others.get(other, at), max(at - 1, 1))
    stage = {**column, **others}
    builder = Builder(sem, stage, stage)
    columns = []
    for index, (k, ids) in enumerate(kept, 1):
        total = sum(hours(catalog.credentials[c]) for c in ids)
        title = f"Stage {k} · {hours_text(total)}" if total else f"Stage {k}"
        alternatives = sorted(c for c, at in others.items() if at == index)
        nodes = [builder.credential(c) for c in ids]
        nodes += [_alternative(builder, c) for c in alternatives]
        columns.append(Column(f"stage-{k}", title, tuple(nodes)))
        for credential_id in ids:
            builder.connect(
                credential_node_id(credential_id),
                catalog.credentials[credential_id].requires,
                index,
            )
    node = builder.outcome(outcome_id)
    builder.connect(node, outcome.requires, goal)
    columns.append(Column("outcomes", "Outcome", (node,)))
    left_out = len(derived.credentials) - len(drawn)
    subtitle = (
        f"Pathway to {clean(outcome.model.title)}: "
        f"{_plural(len(derived.credentials), 'credential')} in "
        f"{_plural(len(derived.stages), 'stage')}, {hours_text(derived.hours)}"
    )
    if left_out:
        subtitle += f"; the last {len(drawn)} drawn, the plan lists all"
    if others:
        subtitle += f"; {_plural(len(others), 'alternative')} dashed"
    diagram = builder.diagram(shown(catalog.name, UNNAMED), subtitle, columns)
    return SitePathway(_site_links(diagram), left_out, len(derived.credentials))


def _alternative(builder: Builder, credential_id: str) -> str:
    """A credential the pathway could take instead of one of its own: drawn dashed."""
    node_id = builder.credential(credential_id)
    node = builder.nodes[node_id]
    builder.nodes[node_id] = replace(
        node, details=(*node.details, "alternative"), status="alternative"
    )
    return node_id


def _site_links(diagram: Diagram) -> Diagram:
    """Credential nodes link to the site's own pages (an outcome page is one folder down)."""
    nodes = tuple(
        replace(n, url=f"../credentials/{n.id.removeprefix('credential:')}.html")
        if n.kind == "credential" and n.id.startswith("credential:")
        else n
        for n in diagram.nodes
    )
    return replace(diagram, nodes=nodes)


def curated_pathway(
    context: Context, pathway_id: str, *, show_competencies: bool = False
) -> Diagram:
    """A curated pathway, stage by stage; stage items that are out of order in red."""
    from credpath.checks.rules._pathway import walk

    sem = context.semantics
    catalog = sem.catalog
    pathway = catalog.pathways[pathway_id]
    walked = walk(context, pathway)
    late: dict[str, str] = {}
    for _, item, why in walked.out_of_order:
        for ref in refs(item):
            late.setdefault(f"{ref.kind}:{ref}", why)
    stage: dict[str, int] = {}
    for k, items in enumerate(pathway.stages, 1):
        for item in items:
            for ref in refs(item):
                if ref.kind == "credential" and ref.target in catalog.credentials:
                    stage.setdefault(ref.target, k)
    builder = Builder(sem, stage, stage, show_competencies=show_competencies)
    columns = []
    for k, items in enumerate(pathway.stages, 1):
        nodes: list[str] = []
        groups = []
        for index, item in enumerate(items):
            inside = []
            for ref in refs(item):
                why = late.get(f"{ref.kind}:{ref}", "")
                problem = "out of order" if why else ""
                if ref.kind == "competency":
                    node = builder.competency(ref, problem, why)
                    for server in builder.servers(ref):
                        builder.edge(credential_node_id(server), node, forward=stage[server] < k)
                elif stage.get(ref.target) == k:
                    node = builder.credential(ref.target, problem, why)
                    builder.connect(node, catalog.credentials[ref.target].requires, k)
                else:
                    continue
                if node not in nodes:
                    nodes.append(node)
                    inside.append(node)
            if isinstance(item, AnyOf | Choose) and inside:
                need = item.n if isinstance(item, Choose) else 1
                groups.append(
                    Group(f"group-{k}-{index + 1}", f"{need} of {len(item.items)}", tuple(inside))
                )
        low, high = _stage_hours(context, items, k, stage)
        title = f"Stage {k}"
        if high:
            span = hours_text(low) if low == high else f"{low:g}\u2013{hours_text(high)}"
            title += f" · {span}"
        columns.append(Column(f"stage-{k}", title, tuple(nodes), tuple(groups)))
    subtitle = f"{clean(pathway.model.title)}: {_plural(len(pathway.stages), 'stage')}"
    if pathway.outcome is not None:
        outcome = catalog.outcomes[pathway.outcome]
        done = satisfied(outcome.requires, walked.state)
        node = builder.outcome(
            pathway.outcome,
            "" if done else "not reached",
            "" if done else "the outcome is not satisfied after the last stage",
        )
        builder.connect(node, outcome.requires, len(pathway.stages) + 1)
        columns.append(Column("outcomes", "Outcome", (node,)))
        subtitle += f" to {clean(outcome.model.title)}"
    return builder.diagram(shown(catalog.name, UNNAMED), subtitle, columns)


def _stage_hours(
    context: Context, items: Iterable[Requirement], k: int, stage: dict[str, int]
) -> tuple[float, float]:
    """Least and most workload of a curated stage: ``any``/``choose`` take n of their options."""
    from credpath.compiler.pathways import hours

    credentials = context.catalog.credentials

    def cost(item: Requirement) -> float:
        return sum(
            hours(credentials[r.target])
            for r in refs(item)
            if r.kind == "credential" and stage.get(r.target) == k
        )

    low = high = 0.0
    for item in items:
        if isinstance(item, AnyOf | Choose):
            need = item.n if isinstance(item, Choose) else 1
            costs = sorted(cost(option) for option in item.items)
            low += sum(costs[:need])
            high += sum(costs[-need:])
        else:
            low += cost(item)
            high += cost(item)
    return low, high


def credential_neighbourhood(
    semantics: Semantics, credential_id: str, depth: int = 1, *, show_competencies: bool = False
) -> Diagram:
    """What a credential needs and what it unlocks, ``depth`` credentials either way."""
    whole = project_map(semantics, show_competencies=show_competencies, include=[credential_id])
    centre = credential_node_id(credential_id)
    keep = _near(whole, centre, depth, down=False) | _near(whole, centre, depth, down=True)
    title = clean(semantics.catalog.credentials[credential_id].model.title)
    steps = "" if depth == 1 else f" ({depth} steps each way)"
    return focus(subset(whole, keep, f"{title}: what it needs and what it unlocks{steps}"), centre)


def _near(diagram: Diagram, start: str, depth: int | None, *, down: bool) -> set[str]:
    """Nodes within ``depth`` credentials or outcomes of ``start``, upstream or downstream.

    Junctions, competencies and gaps cost nothing: they are part of a requirement.
    """
    kinds = {n.id: n.kind for n in diagram.nodes}
    links: dict[str, list[str]] = {}
    for edge in diagram.edges:
        a, b = (edge.source, edge.target) if down else (edge.target, edge.source)
        links.setdefault(a, []).append(b)
    best = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in links.get(node, ()):
            cost = best[node] + (kinds[nxt] in {"credential", "outcome"})
            if depth is not None and cost > depth:
                continue
            if nxt not in best or cost < best[nxt]:
                best[nxt] = cost
                if cost == best[node]:
                    queue.appendleft(nxt)
                else:
                    queue.append(nxt)
    return set(best)


__all__ = [
    "SitePathway",
    "credential_neighbourhood",
    "curated_pathway",
    "derived_pathway",
    "project_map",
    "site_pathway",
]
