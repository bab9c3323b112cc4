"""Derived pathways (docs/format.md section 4), and the learner-facing plan and next steps.

A derived pathway for an outcome is an irredundant set of credentials, reachable
from the learner's state, that satisfies the outcome, arranged in stages (stage k
holds what is earnable once stages 1..k-1 are held). Among such sets it prefers
the least total workload hours, then the fewest credentials, then the
alphabetically first ids, so the result is deterministic.

When at most ``EXACT_LIMIT`` credentials can lead to the outcome, a uniform-cost
search over learner states finds the optimum (the cheapest goal state popped first
is irredundant: dropping a member would give a cheaper goal state), within a work
budget of ``SEARCH_BUDGET`` parts of requirements checked (a requirement counts as
many as it has parts, aliases expanded), so that a small file with many equally good
options, or with requirements that aliases make huge, cannot take minutes. Beyond
either limit, a documented heuristic: each requirement is met by the provider with the
cheapest estimated chain of prerequisites, then members that are not essential are
dropped, costliest first, going round until none can go, while the rest still
reaches the outcome. The budget counts work, never time: the same input gives the same
pathway on any machine.
"""

from __future__ import annotations

import heapq
import weakref
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from credpath.base.errors import UsageError
from credpath.compiler.model import HOURS_PER_ECTS
from credpath.compiler.requirements import All, AnyOf, Choose, Ref, Requirement, size
from credpath.compiler.resolve import Catalog, CredentialDef
from credpath.compiler.semantics import Semantics, State, satisfied, stages

EXACT_LIMIT = 20
SEARCH_BUDGET = 1_000_000
"""Parts of requirements (``requirements.size``) the exact search may check before the
heuristic takes over; the shipped curricula need at most 444,400."""


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


_ESTIMATORS: weakref.WeakKeyDictionary[Semantics, _Estimator] = weakref.WeakKeyDictionary()
"""Per semantics, the estimator from the assumed competencies: one serves every outcome."""


def derive(
    semantics: Semantics, outcome_id: str, start: State | None = None
) -> DerivedPathway | None:
    """The pathway to ``outcome_id`` from ``start`` (default: assumed only); None if unreachable.

    Mirrored in credpath.js by ``Semantics.derive``: change both together.
    """
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
            estimator = _ESTIMATORS.get(semantics)
            if estimator is None:
                order = [credentials[c] for c in earned]
                estimator = _ESTIMATORS[semantics] = _Estimator(semantics, origin, order)
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
    """Uniform-cost search over sets of held candidates; None when over the work budget.

    A set's cost does not depend on the order it was reached in, so each set enters the
    frontier once. Work is counted in parts of requirements: for each set taken from the
    frontier, the size of the goal and of every candidate's requirement, counted before
    they are checked.
    Mirrored in credpath.js by ``search``: change both together.
    """
    ordered = sorted(candidates, key=lambda c: c.id)
    costs = [hours(c) for c in ordered]
    requirements = [c.requires for c in ordered]
    step = size(goal) + sum(size(requirement) for requirement in requirements)
    frontier: list[tuple[float, int, tuple[int, ...], int]] = [(0.0, 0, (), 0)]
    pushed = {0}
    work = 0
    while frontier:
        cost, count, members_at, mask = heapq.heappop(frontier)
        work += step
        if work > SEARCH_BUDGET:
            return None
        state = _state_for(start, [ordered[i] for i in members_at])
        if satisfied(goal, state):
            return [ordered[i] for i in members_at]
        for i, requirement in enumerate(requirements):
            grown = mask | 1 << i
            if grown in pushed or not satisfied(requirement, state):
                continue
            pushed.add(grown)
            entry = (cost + costs[i], count + 1, tuple(sorted((*members_at, i))), grown)
            heapq.heappush(frontier, entry)
    return None  # pragma: no cover - the goal is reachable from the candidates


Estimate = tuple[float, int, int]
"""(hours, number of credentials, the credentials as a bit set over the estimator's order)
of one way to meet a requirement."""


class _Estimator:
    """Estimates, per credential, the cheapest set of credentials that earns it.

    Credentials are taken in the order the fixpoint earned them, so each one's
    prerequisites have estimates already. The estimates do not depend on the
    outcome, so one estimator serves every outcome from the same start. Sets are
    bit sets (Python ints), so a 10,000-long chain of prerequisites costs kilobytes
    per estimate, not a copy of every set before it.
    Mirrored in credpath.js by ``Estimator``: change both together.
    """

    def __init__(self, semantics: Semantics, start: State, order: list[CredentialDef]) -> None:
        self.semantics = semantics
        self.start = start
        self.order = order
        self.costs = [hours(c) for c in order]
        self.estimates: dict[str, Estimate] = {}
        for i, credential in enumerate(order):
            needed = self.meet(credential.requires)
            if needed is not None:
                self.estimates[credential.id] = self._union([needed, (self.costs[i], 1, 1 << i)])

    def _union(self, parts: Iterable[Estimate]) -> Estimate:
        """The union of the parts, with the hours and count of what it holds.

        Mirrored in credpath.js by ``Estimator.union``: change both together.
        """
        total, count, members = 0.0, 0, 0
        for part_hours, part_count, part in parts:
            if part & ~members == 0:
                continue  # nothing new
            if members & ~part == 0:
                total, count, members = part_hours, part_count, part
                continue
            new = part & ~members
            members |= part
            while new:
                low = new & -new
                total += self.costs[low.bit_length() - 1]
                count += 1
                new ^= low
        return (total, count, members)

    def ids(self, members: int) -> list[str]:
        """Mirrored in credpath.js by ``Estimator.ids``: change both together."""
        found = []
        while members:
            low = members & -members
            found.append(self.order[low.bit_length() - 1].id)
            members ^= low
        return found

    def meet(self, requirement: Requirement) -> Estimate | None:
        """Mirrored in credpath.js by ``Estimator.meet``: change both together."""
        if isinstance(requirement, Ref):
            if self.start.has(requirement):
                return (0.0, 0, 0)
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
    """Mirrored in credpath.js by ``cheaper``: change both together."""
    return estimate[0], estimate[1]


def _heuristic(
    semantics: Semantics,
    goal: Requirement,
    start: State,
    candidates: list[CredentialDef],
    estimator: _Estimator,
) -> list[CredentialDef]:
    """Cheapest estimated providers per requirement, then drop what is not needed.

    Dropping goes round the members, costliest first, until every one left has been
    tried since the last drop: a member kept because another one needed it may be
    needless once that one is dropped, and a plan must be irredundant. Members that
    every way to the goal needs (named outside any/choose, or the only member that
    grants a level asked for that way) are never tried, so a credential that requires
    a thousand others costs one round, not a thousand.
    Mirrored in credpath.js by ``heuristic``: change both together.
    """
    chosen = estimator.meet(goal)
    assert chosen is not None
    by_id = {c.id: c for c in candidates}
    members = [by_id[i] for i in sorted(estimator.ids(chosen[2]))]
    essential = _essential(goal, start, members)
    trying = deque(
        c for c in sorted(members, key=lambda c: (-hours(c), c.id)) if c.id not in essential
    )
    # Whether the members still reach the goal without one of them: those earned before
    # it (in an order the members are earned in) are earned without it, so only those
    # after it are tried again, and each in turn after what it needs. The same sets as
    # trying them all from the start, by id: a 500-outcome site drew in 30% less time.
    order = semantics.closure(start.copy(), members)
    assert len(order) == len(members), "an estimate holds what its members need"
    kept_since_drop = 0
    while kept_since_drop < len(trying):
        credential = trying.popleft()
        at = order.index(credential.id)
        state = start.copy()
        for earlier in order[:at]:
            state.earn(by_id[earlier])
        after = [by_id[later] for later in order[at + 1 :]]
        earned = semantics.closure(state, after)
        if satisfied(goal, state) and all(c.id in state.held for c in after):
            order = order[:at] + earned
            kept_since_drop = 0
        else:
            trying.append(credential)
            kept_since_drop += 1
    left = set(order)
    return [c for c in members if c.id in left]


def _essential(goal: Requirement, start: State, members: list[CredentialDef]) -> set[str]:
    """Members that no irredundant subset can do without: what the goal and the
    essential members need on every way (all_chain), named by id, or granted by
    only one member.

    Mirrored in credpath.js by ``essential``: change both together.
    """
    from credpath.compiler.semantics import all_chain

    by_id = {c.id: c for c in members}
    grants: dict[str, list[tuple[int, str]]] = {}
    for member in members:
        for grant in member.grants:
            grants.setdefault(grant.target, []).append((grant.number, member.id))
    granting: dict[tuple[str, int], list[str]] = {}
    found: set[str] = set()
    pending: list[Requirement] = [goal]
    while pending:
        for ref in all_chain(pending.pop()):
            if start.has(ref):
                continue
            if ref.kind == "credential":
                needed = [ref.target] if ref.target in by_id else []
            else:
                key = (ref.target, ref.number)
                if key not in granting:
                    granting[key] = sorted(
                        {cid for level, cid in grants.get(ref.target, ()) if level >= ref.number}
                    )
                needed = granting[key] if len(granting[key]) == 1 else []
            for cid in needed:
                if cid not in found:
                    found.add(cid)
                    pending.append(by_id[cid].requires)
    return found


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
    from credpath.base.text import suggest
    from credpath.compiler.requirements import parse_reference

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
    from credpath.compiler.requirements import level_number, levels_text

    number = level_number(level, names)
    if number is not None:
        return number
    shown = levels_text(names)
    if isinstance(level, int):
        raise UsageError(f"--have: '{part}': '{competency}' has {shown}; there is no level {level}")
    raise UsageError(f"--have: '{part}': '{competency}' has no level named '{level}' ({shown})")
