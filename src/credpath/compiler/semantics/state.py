"""A learner's state and what a requirement asks of it: satisfied, unmet, stages.

Plain functions over ``State`` and requirements, with no catalog: the fixpoint, the
plan's search and the site's script all reason with these.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from credpath.compiler.requirements import All, AnyOf, Choose, Invalid, Ref, Requirement, refs
from credpath.compiler.resolve import CredentialDef


@dataclass
class State:
    """A learner: the credentials held and, per competency, the highest level held.

    Mirrored in credpath.js by ``State``: change both together.
    """

    held: set[str] = field(default_factory=set)
    levels: dict[str, int] = field(default_factory=dict)

    def copy(self) -> State:
        return State(set(self.held), dict(self.levels))

    def earn(self, credential: CredentialDef) -> list[str]:
        """Hold ``credential``; return the ids whose level (or holding) changed."""
        self.held.add(credential.id)
        changed = [credential.id]
        for grant in credential.grants:
            if self.levels.get(grant.target, 0) < grant.number:
                self.levels[grant.target] = grant.number
                changed.append(grant.target)
        return changed

    def has(self, ref: Ref) -> bool:
        if ref.kind == "credential":
            return ref.target in self.held
        return self.levels.get(ref.target, 0) >= ref.number


def satisfied(requirement: Requirement, state: State) -> bool:
    """Whether ``state`` meets ``requirement``. The plan's search spends its work budget
    here, so plain loops and ``State.has`` inlined: a third of the time of ``all()``
    over a generator.

    Mirrored in credpath.js by ``satisfied``: change both together.
    """
    if isinstance(requirement, Ref):
        if requirement.kind == "credential":
            return requirement.target in state.held
        return state.levels.get(requirement.target, 0) >= requirement.number
    if isinstance(requirement, All):
        for item in requirement.items:  # noqa: SIM110 - faster than all() over a generator
            if not satisfied(item, state):
                return False
        return True
    if isinstance(requirement, AnyOf):
        for item in requirement.items:  # noqa: SIM110
            if satisfied(item, state):
                return True
        return False
    if isinstance(requirement, Choose):
        count = 0
        for item in requirement.items:
            if satisfied(item, state):
                count += 1
                if count >= requirement.n:
                    return True
        return False
    return False  # Invalid


def stages(chosen: Iterable[CredentialDef], start: State) -> tuple[tuple[str, ...], ...]:
    """Round k: what is earnable once rounds 1..k-1 are held (each round sorted by id).

    Stops when nothing more is earnable: what is left over is not reached. Event
    driven: after a round, only the credentials that name something it changed
    are looked at again, so a 10,000-long chain takes 10,000 steps, not 50 million.
    Mirrored in credpath.js by ``stages``: change both together.
    """
    remaining = {c.id: c for c in chosen}
    watchers: dict[str, list[CredentialDef]] = defaultdict(list)
    for credential in remaining.values():
        for target in {ref.target for ref in refs(credential.requires)}:
            watchers[target].append(credential)
    state = start.copy()
    found: list[tuple[str, ...]] = []
    now = [c for c in remaining.values() if satisfied(c.requires, state)]
    while now:
        now.sort(key=lambda c: c.id)
        changed: set[str] = set()
        for credential in now:
            del remaining[credential.id]
            changed.update(state.earn(credential))
        found.append(tuple(c.id for c in now))
        looked = {w.id: w for name in changed for w in watchers.get(name, ()) if w.id in remaining}
        now = [c for c in looked.values() if satisfied(c.requires, state)]
    return tuple(found)


def unmet(requirement: Requirement, state: State) -> Iterator[Ref | Invalid]:
    """The leaves that keep ``requirement`` from being satisfied, in written order.

    Mirrored in credpath.js by ``firstUnmet``: change both together.
    """
    if satisfied(requirement, state):
        return
    if isinstance(requirement, Ref | Invalid):
        yield requirement
    elif isinstance(requirement, All | AnyOf | Choose):
        for item in requirement.items:
            yield from unmet(item, state)


def all_chain(requirement: Requirement) -> Iterator[Ref]:
    """References that every way of meeting ``requirement`` needs: under ``all``, and
    under an ``any`` or ``choose`` that leaves no choice (``any`` of one item, ``choose``
    of every item).

    Mirrored in credpath.js by ``allChain``: change both together.
    """
    if isinstance(requirement, Ref):
        yield requirement
    elif (
        isinstance(requirement, All)
        or (isinstance(requirement, AnyOf) and len(requirement.items) == 1)
        or (isinstance(requirement, Choose) and requirement.n == len(requirement.items))
    ):
        for item in requirement.items:
            yield from all_chain(item)


def wants(requirement: Requirement, credential_id: str, state: State) -> bool:
    """Whether ``requirement`` still wants ``credential_id``: it names it in a part that
    is not met, inside no ``any``, ``choose`` or ``all`` that is met already.

    Mirrored in credpath.js by ``wants``: change both together.
    """
    if satisfied(requirement, state):
        return False
    if isinstance(requirement, Ref):
        return requirement.kind == "credential" and requirement.target == credential_id
    if isinstance(requirement, Invalid):
        return False
    return any(wants(item, credential_id, state) for item in requirement.items)
