"""Derived pathways (FORMAT.md section 4), and the learner-facing plan and next steps.

A derived pathway for an outcome is an irredundant set of credentials, reachable
from the learner's state, that satisfies the outcome, arranged in stages (stage k
holds what is earnable once stages 1..k-1 are held). Among such sets it prefers
the least total workload hours, then the fewest credentials, then the
alphabetically first ids, so the result is deterministic.

When at most ``EXACT_LIMIT`` credentials can lead to the outcome, a uniform-cost
search over learner states finds the optimum (the cheapest goal state popped first
is irredundant: dropping a member would give a cheaper goal state). Beyond that,
a documented heuristic: each requirement is met by the provider with the cheapest
estimated chain of prerequisites, then members are dropped, costliest first,
while the rest still reaches the outcome.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass

from credpath.requirements import All, AnyOf, Choose, Ref, Requirement
from credpath.resolve import CredentialDef
from credpath.semantics import Semantics, State, satisfied

EXACT_LIMIT = 20
SEARCH_BUDGET = 200_000
HOURS_PER_ECTS = 25.0
"""ECTS users' guide: one credit is 25 to 30 hours of work; the low end is used."""


def hours(credential: CredentialDef) -> float:
    """Workload hours: ``hours`` when given, else ECTS x 25, else 0."""
    workload = credential.model.workload
    if workload is None:
        return 0.0
    if workload.hours is not None:
        return workload.hours
    return (workload.ects or 0.0) * HOURS_PER_ECTS


@dataclass(frozen=True)
class DerivedPathway:
    outcome: str
    stages: tuple[tuple[str, ...], ...]
    hours: float
    optimal: bool

    @property
    def credentials(self) -> tuple[str, ...]:
        return tuple(c for stage in self.stages for c in stage)


def derive(
    semantics: Semantics, outcome_id: str, start: State | None = None
) -> DerivedPathway | None:
    """The pathway to ``outcome_id`` from ``start`` (default: assumed only); None if unreachable."""
    outcome = semantics.catalog.outcomes[outcome_id]
    origin = start.copy() if start is not None else semantics.start()
    if satisfied(outcome.requires, origin):
        return DerivedPathway(outcome_id, (), 0.0, True)
    reach = origin.copy()
    earned = semantics.closure(reach)
    if not satisfied(outcome.requires, reach):
        return None
    relevant = semantics.leading_to([outcome.requires])
    credentials = semantics.catalog.credentials
    candidates = [credentials[c] for c in earned if c in relevant]
    chosen: list[CredentialDef] | None = None
    optimal = False
    if len(candidates) <= EXACT_LIMIT:
        chosen = _search(semantics, outcome.requires, origin, candidates)
        optimal = chosen is not None
    if chosen is None:
        chosen = _heuristic(semantics, outcome.requires, origin, candidates)
    stages = stage(semantics, chosen, origin)
    return DerivedPathway(outcome_id, stages, sum(hours(c) for c in chosen), optimal)


def derive_all(semantics: Semantics) -> dict[str, DerivedPathway | None]:
    return {o: derive(semantics, o) for o in sorted(semantics.catalog.outcomes)}


def stage(
    semantics: Semantics, chosen: Iterable[CredentialDef], start: State
) -> tuple[tuple[str, ...], ...]:
    """Stage k: what is earnable once stages 1..k-1 are held (each stage sorted)."""
    remaining = sorted(chosen, key=lambda c: c.id)
    state = start.copy()
    stages: list[tuple[str, ...]] = []
    while remaining:
        now = [c for c in remaining if satisfied(c.requires, state)]
        if not now:  # pragma: no cover - chosen sets are earnable in order by construction
            break
        for credential in now:
            state.earn(credential)
        stages.append(tuple(c.id for c in now))
        remaining = [c for c in remaining if c.id not in state.held]
    return tuple(stages)


def _state_for(start: State, members: Iterable[CredentialDef]) -> State:
    state = start.copy()
    for credential in members:
        state.earn(credential)
    return state


def _search(
    semantics: Semantics, goal: Requirement, start: State, candidates: list[CredentialDef]
) -> list[CredentialDef] | None:
    """Uniform-cost search over sets of held candidates; None when over budget."""
    ordered = sorted(candidates, key=lambda c: c.id)
    costs = [hours(c) for c in ordered]
    frontier: list[tuple[float, int, tuple[str, ...], int]] = [(0.0, 0, (), 0)]
    seen: set[int] = set()
    expansions = 0
    while frontier:
        cost, count, ids, mask = heapq.heappop(frontier)
        if mask in seen:
            continue
        seen.add(mask)
        members = [c for i, c in enumerate(ordered) if mask >> i & 1]
        state = _state_for(start, members)
        if satisfied(goal, state):
            return members
        expansions += 1
        if expansions > SEARCH_BUDGET:
            return None
        for i, credential in enumerate(ordered):
            bit = 1 << i
            if mask & bit or mask | bit in seen:
                continue
            if satisfied(credential.requires, state):
                heapq.heappush(
                    frontier,
                    (cost + costs[i], count + 1, tuple(sorted((*ids, credential.id))), mask | bit),
                )
    return None  # pragma: no cover - the goal is reachable from the candidates


def _heuristic(
    semantics: Semantics, goal: Requirement, start: State, candidates: list[CredentialDef]
) -> list[CredentialDef]:
    """Cheapest estimated providers per requirement, then drop what is not needed."""
    estimates: dict[str, frozenset[str]] = {}
    allowed: set[str] = set()
    by_id = {c.id: c for c in candidates}

    def total(ids: frozenset[str]) -> tuple[float, int, tuple[str, ...]]:
        return (sum(hours(by_id[i]) for i in ids), len(ids), tuple(sorted(ids)))

    def meet(requirement: Requirement) -> frozenset[str] | None:
        if isinstance(requirement, Ref):
            if start.has(requirement):
                return frozenset()
            options = [estimates[s.id] for s in semantics.servers(requirement) if s.id in allowed]
            return min(options, key=total) if options else None
        if isinstance(requirement, All):
            found: frozenset[str] = frozenset()
            for item in requirement.items:
                part = meet(item)
                if part is None:
                    return None
                found |= part
            return found
        if isinstance(requirement, AnyOf | Choose):
            need = requirement.n if isinstance(requirement, Choose) else 1
            parts = [p for p in (meet(i) for i in requirement.items) if p is not None]
            if len(parts) < need:
                return None
            picked: frozenset[str] = frozenset()
            for part in sorted(parts, key=total)[:need]:
                picked |= part
            return picked
        return None

    # Candidates come in the order the fixpoint earned them: each one's
    # prerequisites were earnable before it, so their estimates exist already.
    for credential in candidates:
        needed = meet(credential.requires)
        if needed is not None:
            estimates[credential.id] = needed | {credential.id}
            allowed.add(credential.id)
    chosen = meet(goal)
    assert chosen is not None
    members = [by_id[i] for i in sorted(chosen)]
    for credential in sorted(members, key=lambda c: (-hours(c), c.id)):
        rest = [c for c in members if c.id != credential.id]
        state = start.copy()
        semantics.closure(state, rest)
        if satisfied(goal, state) and all(c.id in state.held for c in rest):
            members = rest
    return members
