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

from credpath.errors import UsageError
from credpath.model import HOURS_PER_ECTS
from credpath.requirements import All, AnyOf, Choose, Ref, Requirement
from credpath.resolve import Catalog, CredentialDef
from credpath.semantics import Semantics, State, satisfied, stages

EXACT_LIMIT = 20
SEARCH_BUDGET = 200_000


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
    if start is None:
        reach, earned = semantics.reachable_state, semantics.reachable_order
    else:
        reach = origin.copy()
        earned = semantics.closure(reach)
    if not satisfied(outcome.requires, reach):
        return None
    relevant = semantics.leading_to_outcome(outcome_id)
    credentials = semantics.catalog.credentials
    candidates = [credentials[c] for c in earned if c in relevant]
    chosen: list[CredentialDef] | None = None
    optimal = False
    if len(candidates) <= EXACT_LIMIT:
        chosen = _search(semantics, outcome.requires, origin, candidates)
        optimal = chosen is not None
    if chosen is None:
        if start is None:
            estimator = semantics.memo.get("estimator")
            if estimator is None:
                order = [credentials[c] for c in earned]
                estimator = semantics.memo["estimator"] = _Estimator(semantics, origin, order)
        else:
            estimator = _Estimator(semantics, origin, [credentials[c] for c in earned])
        chosen = _heuristic(semantics, outcome.requires, origin, candidates, estimator)
    staged = stages(chosen, origin)
    return DerivedPathway(outcome_id, staged, sum(hours(c) for c in chosen), optimal)


def derive_all(semantics: Semantics) -> dict[str, DerivedPathway | None]:
    return {o: derive(semantics, o) for o in sorted(semantics.catalog.outcomes)}


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


Estimate = tuple[float, int, frozenset[str]]
"""(hours, number of credentials, the credentials) of one way to meet a requirement."""


class _Estimator:
    """Estimates, per credential, the cheapest set of credentials that earns it.

    Credentials are taken in the order the fixpoint earned them, so each one's
    prerequisites have estimates already. The estimates do not depend on the
    outcome, so one estimator serves every outcome from the same start.
    """

    def __init__(self, semantics: Semantics, start: State, order: list[CredentialDef]) -> None:
        self.semantics = semantics
        self.start = start
        self.hours = {c.id: hours(c) for c in order}
        self.estimates: dict[str, Estimate] = {}
        for credential in order:
            needed = self.meet(credential.requires)
            if needed is not None:
                self.estimates[credential.id] = self._union([needed, (0.0, 0, {credential.id})])

    def _union(self, parts: Iterable[tuple[float, int, Iterable[str]]]) -> Estimate:
        ids: frozenset[str] = frozenset().union(*(p[2] for p in parts))
        return (sum(self.hours[i] for i in ids), len(ids), ids)

    def meet(self, requirement: Requirement) -> Estimate | None:
        if isinstance(requirement, Ref):
            if self.start.has(requirement):
                return (0.0, 0, frozenset())
            options = [
                self.estimates[s.id]
                for s in self.semantics.servers(requirement)
                if s.id in self.estimates
            ]
            return min(options, key=_cost) if options else None
        if isinstance(requirement, All):
            parts = []
            for item in requirement.items:
                part = self.meet(item)
                if part is None:
                    return None
                parts.append(part)
            return self._union(parts)
        if isinstance(requirement, AnyOf | Choose):
            need = requirement.n if isinstance(requirement, Choose) else 1
            found = [p for p in (self.meet(i) for i in requirement.items) if p is not None]
            if len(found) < need:
                return None
            return self._union(sorted(found, key=_cost)[:need])
        return None


def _cost(estimate: Estimate) -> tuple[float, int]:
    return estimate[0], estimate[1]


def _heuristic(
    semantics: Semantics,
    goal: Requirement,
    start: State,
    candidates: list[CredentialDef],
    estimator: _Estimator,
) -> list[CredentialDef]:
    """Cheapest estimated providers per requirement, then drop what is not needed."""
    chosen = estimator.meet(goal)
    assert chosen is not None
    by_id = {c.id: c for c in candidates}
    members = [by_id[i] for i in sorted(chosen[2])]
    for credential in sorted(members, key=lambda c: (-hours(c), c.id)):
        rest = [c for c in members if c.id != credential.id]
        state = start.copy()
        semantics.closure(state, rest)
        if satisfied(goal, state) and all(c.id in state.held for c in rest):
            members = rest
    return members


@dataclass(frozen=True)
class Holding:
    """What ``--have`` says a learner holds, as understood."""

    credentials: tuple[str, ...]
    levels: dict[str, int]


def parse_have(catalog: Catalog, text: str) -> Holding:
    """Read ``--have``: credential ids and competency references, comma-separated.

    Every part must name something in the project, at a level it has; a
    mistake is a UsageError with a did-you-mean, never silently ignored.
    """
    from credpath.requirements import parse_reference
    from credpath.text import suggest

    credentials: list[str] = []
    levels: dict[str, int] = {}
    problems: list[str] = []
    for part in [t.strip() for t in text.split(",") if t.strip()]:
        ref = parse_reference(part, (), lambda _p, message, _k: problems.append(message))
        if ref is None:
            raise UsageError(f"--have: {problems[0]}")
        credential = catalog.credentials.get(ref.target)
        competency = catalog.competencies.get(ref.target)
        if credential is not None:
            if ref.level is not None:
                raise UsageError(
                    f"--have: '{part}': '{ref.target}' is a credential, and levels belong to "
                    f"competencies: write '{ref.target}', or the competency it grants at a level"
                )
            credentials.append(ref.target)
        elif competency is not None:
            level = _level_of(part, ref.level, competency.id, competency.levels)
            levels[ref.target] = max(levels.get(ref.target, 0), level)
        else:
            known = [*catalog.credentials, *catalog.competencies]
            kind = "an outcome" if ref.target in catalog.outcomes else None
            kind = kind or ("a pathway" if ref.target in catalog.pathways else None)
            if kind is not None:
                raise UsageError(
                    f"--have: '{part}' is {kind}; --have takes credentials and competencies"
                )
            raise UsageError(
                f"--have: unknown credential or competency '{ref.target}'"
                f"{suggest(ref.target, known)}"
            )
    return Holding(tuple(sorted(set(credentials))), levels)


def _level_of(part: str, level: int | str | None, competency: str, names: tuple[str, ...]) -> int:
    shown = "a single level" if names == ("1",) else f"{len(names)} levels ({', '.join(names)})"
    if level is None:
        return 1
    if isinstance(level, int):
        if level > len(names):
            raise UsageError(
                f"--have: '{part}': '{competency}' has {shown}; there is no level {level}"
            )
        return level
    folded = [n.casefold() for n in names]
    if level.casefold() not in folded:
        raise UsageError(f"--have: '{part}': '{competency}' has no level named '{level}' ({shown})")
    return folded.index(level.casefold()) + 1
