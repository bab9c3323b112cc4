"""docs/format.md section 3: learner states, earnable, the reachable fixpoint, serves, leads-to.

One small API used by every check and command:

- ``State``: held credentials and the highest level held per competency;
- ``Semantics.satisfied(requirement, state)``;
- ``Semantics.reachable``: what a learner can earn from the assumed competencies;
- ``Semantics.servers(ref)``: the credentials whose grant (or self) serves a reference;
- ``Semantics.leads_to``: the credentials that lead to some outcome;
- ``Semantics.waits``: who waits on whom among the unreachable, for cycles.
"""

from __future__ import annotations

import heapq
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from credpath.base.diagnostics import Subject, SubjectKind
from credpath.compiler.requirements import (
    All,
    AnyOf,
    Choose,
    Invalid,
    Ref,
    Requirement,
    refs,
)
from credpath.compiler.resolve import Catalog, CredentialDef


@dataclass
class State:
    """A learner: the credentials held and, per competency, the highest level held."""

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
    over a generator."""
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
    """The leaves that keep ``requirement`` from being satisfied, in written order."""
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
    of every item)."""
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
    is not met, inside no ``any``, ``choose`` or ``all`` that is met already."""
    if satisfied(requirement, state):
        return False
    if isinstance(requirement, Ref):
        return requirement.kind == "credential" and requirement.target == credential_id
    if isinstance(requirement, Invalid):
        return False
    return any(wants(item, credential_id, state) for item in requirement.items)


@dataclass
class Guarantee:
    """What holding a credential guarantees: credentials held, and a level per competency."""

    credentials: set[str] = field(default_factory=set)
    levels: dict[str, int] = field(default_factory=dict)


class Guarantees:
    """What holding each credential guarantees: itself, what it grants, and what its
    requirements name on every way of meeting them (``all``, not ``any``/``choose``), with
    what the credentials named there guarantee in turn. Proof of a credential is proof
    that its requirements were met."""

    def __init__(self, sem: Semantics) -> None:
        self.sem = sem
        self.memo: dict[str, Guarantee] = {}

    def of(self, credential_id: str) -> Guarantee:
        """What holding the credential guarantees; iterative, as chains can be long.

        In a loop (reported as a cycle) each member guarantees the others. A result that
        still lacks a member being worked out (on the way down from the credential
        asked) is kept aside for this call only, not remembered, and worked out again
        once those members are done: the answers do not depend on which member was asked
        first (the site's script reasons alike)."""
        partial: dict[str, tuple[Guarantee, set[str]]] = {}
        pending: set[str] = set()
        stack = [credential_id]
        while stack:
            current = stack[-1]
            if current in self.memo or current in partial:
                stack.pop()
                continue
            credential = self.sem.catalog.credentials.get(current)
            needed = []
            for ref in all_chain(credential.requires) if credential is not None else ():
                target = ref.target
                if ref.kind != "credential" or target in self.memo or target in pending:
                    continue
                kept = partial.get(target)
                if kept is not None and kept[1] <= pending:
                    continue  # still waiting on members being worked out: fine as it is
                partial.pop(target, None)  # those members are done now: work it out again
                needed.append(target)
            if needed:
                pending.add(current)
                stack.extend(needed)
                continue
            stack.pop()
            pending.discard(current)
            result, lacking = self._combine(current, partial, pending)
            if lacking:
                partial[current] = (result, lacking)
            else:
                self.memo[current] = result
        return self.memo[credential_id]

    def _combine(
        self,
        credential_id: str,
        partial: dict[str, tuple[Guarantee, set[str]]],
        pending: set[str],
    ) -> tuple[Guarantee, set[str]]:
        """The credential's guarantee from those of what it names, and the members of a
        loop still being worked out that it lacks (none: it is complete)."""
        result = Guarantee({credential_id})
        lacking: set[str] = set()
        credential = self.sem.catalog.credentials.get(credential_id)
        if credential is None:
            return result, lacking
        for grant in credential.grants:
            _raise(result.levels, grant.target, grant.number)
        for ref in all_chain(credential.requires):
            if ref.kind == "competency":
                _raise(result.levels, ref.target, ref.number)
                continue
            inner = self.memo.get(ref.target)
            if inner is None and ref.target in partial:
                inner, waiting = partial[ref.target]
                lacking |= waiting
            if inner is None:  # a loop back to a credential being worked out
                if ref.target in pending:
                    lacking.add(ref.target)
                continue
            result.credentials |= inner.credentials
            for target, level in inner.levels.items():
                _raise(result.levels, target, level)
        lacking.discard(credential_id)
        return result, lacking

    def implies(self, q: Ref, r: Ref) -> bool:
        if q.kind == "competency":
            return r.kind == "competency" and r.target == q.target and r.number < q.number
        held = self.of(q.target)
        if r.kind == "credential":
            return r.target != q.target and r.target in held.credentials
        return held.levels.get(r.target, 0) >= r.number


def _raise(levels: dict[str, int], target: str, level: int) -> None:
    if levels.get(target, 0) < level:
        levels[target] = level


class Semantics:
    def __init__(self, catalog: Catalog, *, no_drafts: bool = False) -> None:
        self.catalog = catalog
        self.no_drafts = no_drafts
        self.memo: dict[str, Any] = {}
        """Derived results that later commands share (e.g. pathway estimates)."""
        self._servers: dict[tuple[str, int, str], list[CredentialDef]] = {}
        self._gaps: dict[tuple[str, int], bool] = {}
        """is_gap per competency level: references repeat across a catalog."""

    # -- which credentials take part ----------------------------------------------------
    def usable(self, credential: CredentialDef) -> bool:
        """Retired credentials are never earned; with --no-drafts, drafts neither."""
        status = credential.status
        return status == "active" or (status == "draft" and not self.no_drafts)

    @cached_property
    def active(self) -> list[CredentialDef]:
        return [c for c in self.catalog.credentials.values() if self.usable(c)]

    def start(self) -> State:
        return State(set(), dict(self.catalog.assumed))

    def learner(self, credentials: Iterable[str], levels: Mapping[str, int]) -> State:
        """A learner who holds ``credentials`` and ``levels`` (and the assumed competencies).

        A held credential is proof that its requirements were met: whatever its
        ``requires`` names on every way of meeting it (``all``, not ``any`` or
        ``choose``) is held too, credentials with their grants, transitively
        (``Guarantees``). So a plan never sends a learner back for what they showed.
        """
        state = self.start()
        for competency, level in levels.items():
            state.levels[competency] = max(state.levels.get(competency, 0), level)
        for credential_id in credentials:
            guaranteed = self.guarantees.of(credential_id)
            state.held |= guaranteed.credentials
            for competency, level in guaranteed.levels.items():
                state.levels[competency] = max(state.levels.get(competency, 0), level)
        return state

    @cached_property
    def guarantees(self) -> Guarantees:
        return Guarantees(self)

    def adds_something(self, credential: CredentialDef, state: State) -> bool:
        """Whether earning ``credential`` gives the learner something they lack.

        That is a competency level above the one they hold, or the credential itself
        where a requirement still wants it: a requirement of an outcome, of a pathway
        stage, or of a usable credential the learner does not hold (holding one is
        proof that its requirements were met), in a part that is not met yet
        (``wants``). Holding ``a2`` (``a@2``), ``a1`` (``a@1``) adds nothing, so it is
        no next door.
        """
        if any(state.levels.get(g.target, 0) < g.number for g in credential.grants):
            return True
        return any(
            owner not in state.held and wants(requirement, credential.id, state)
            for owner, requirement in self._naming.get(credential.id, ())
        )

    @cached_property
    def _naming(self) -> dict[str, list[tuple[str | None, Requirement]]]:
        """Per credential, the requirements that name it by id, each with the credential
        that writes it (None: an outcome or a pathway stage). Retired credentials are
        never earned: their requirements open no door."""
        catalog = self.catalog
        requirements: list[tuple[str | None, Requirement]] = [
            (c.id, c.requires) for c in self.active
        ]
        requirements += [(None, o.requires) for o in catalog.outcomes.values()]
        requirements += [
            (None, item) for p in catalog.pathways.values() for s in p.stages for item in s
        ]
        naming: dict[str, list[tuple[str | None, Requirement]]] = defaultdict(list)
        for owner, requirement in requirements:
            for target in {r.target for r in refs(requirement) if r.kind == "credential"}:
                naming[target].append((owner, requirement))
        return naming

    def next_doors(self, state: State) -> list[str]:
        """What a learner in ``state`` can start now and that adds something: the next doors.

        Sorted by how many outcomes each leads to (most first), then by id.
        """
        doors = [
            c.id
            for c in self.active
            if c.id not in state.held
            and satisfied(c.requires, state)
            and self.adds_something(c, state)
        ]
        outcomes_of = self.outcomes_of
        return sorted(doors, key=lambda cid: (-len(outcomes_of.get(cid, [])), cid))

    # -- the reachable fixpoint ---------------------------------------------------------
    @cached_property
    def _watchers(self) -> dict[str, list[CredentialDef]]:
        watchers: dict[str, list[CredentialDef]] = defaultdict(list)
        for credential in self.active:
            for target in {ref.target for ref in refs(credential.requires)}:
                watchers[target].append(credential)
        return watchers

    def closure(self, state: State, allowed: Iterable[CredentialDef] | None = None) -> list[str]:
        """Earn everything earnable from ``state`` (in place); return what was earned, in order.

        Event-driven: a credential is looked at again only when something it
        names changes, so the cost follows the number of references.
        """
        pool = self.active if allowed is None else list(allowed)
        allowed_ids = None if allowed is None else {c.id for c in pool}
        earned: list[str] = []
        queue = deque(c for c in pool if c.id not in state.held)
        watchers = self._watchers
        while queue:
            credential = queue.popleft()
            if credential.id in state.held or not satisfied(credential.requires, state):
                continue
            earned.append(credential.id)
            for changed in state.earn(credential):
                for watcher in watchers.get(changed, ()):
                    if watcher.id not in state.held and (
                        allowed_ids is None or watcher.id in allowed_ids
                    ):
                        queue.append(watcher)
        return earned

    @cached_property
    def _fixpoint(self) -> tuple[State, list[str]]:
        state = self.start()
        order = self.closure(state)
        return state, order

    @property
    def reachable_state(self) -> State:
        """The learner state once everything reachable is earned."""
        return self._fixpoint[0]

    @property
    def reachable_order(self) -> list[str]:
        """The reachable credentials in the order the fixpoint earned them."""
        return self._fixpoint[1]

    @cached_property
    def reachable(self) -> frozenset[str]:
        return frozenset(self.reachable_state.held)

    # -- serves and leads-to --------------------------------------------------------------
    @cached_property
    def _granters(self) -> dict[str, list[tuple[int, CredentialDef]]]:
        """Per competency, the usable credentials granting it, highest level first."""
        table: dict[str, list[tuple[int, CredentialDef]]] = defaultdict(list)
        for credential in self.active:
            for grant in credential.grants:
                table[grant.target].append((grant.number, credential))
        for entries in table.values():
            entries.sort(key=lambda e: (-e[0], e[1].id))
        return table

    def servers(self, ref: Ref) -> list[CredentialDef]:
        """The usable credentials that serve ``ref``: grant it at that level or more, or are it."""
        key = (ref.target, ref.number, ref.kind)
        found = self._servers.get(key)
        if found is None:
            if ref.kind == "credential":
                credential = self.catalog.credentials.get(ref.target)
                usable = credential is not None and self.usable(credential)
                found = [credential] if credential is not None and usable else []
            else:
                granters = self._granters.get(ref.target, ())
                found = [c for level, c in granters if level >= ref.number]
            self._servers[key] = found
        return found

    def granted_by(self, competency: str) -> list[tuple[int, CredentialDef]]:
        """(level, credential) of the usable credentials granting it, highest level first."""
        return self._granters.get(competency, [])

    @cached_property
    def unlocks(self) -> dict[str, dict[str, Ref]]:
        """Per credential, the usable credentials whose requirements it serves (they name
        it, or ask for a level it grants), each with the first such reference as written.

        Left out: those that holding it guarantees already (``Guarantees``: its own
        prerequisites). Advanced SQL grants the level Intermediate SQL asks for, but it
        requires Intermediate SQL: it opens nothing there."""
        found: dict[str, dict[str, Ref]] = defaultdict(dict)
        names_credentials: dict[str, bool] = {}  # on every way: else it guarantees only itself

        def guarantees(server: CredentialDef, credential_id: str) -> bool:
            named = names_credentials.get(server.id)
            if named is None:
                chain = all_chain(server.requires)
                named = names_credentials[server.id] = any(r.kind == "credential" for r in chain)
            return named and credential_id in self.guarantees.of(server.id).credentials

        for credential in self.active:
            for ref in self._refs_of[credential.id]:
                for server in self.servers(ref):
                    if server.id != credential.id and not guarantees(server, credential.id):
                        found[server.id].setdefault(credential.id, ref)
        return found

    def highest_grant(self, competency: str) -> tuple[int, CredentialDef] | None:
        entries = self._granters.get(competency)
        return entries[0] if entries else None

    def leading_to(self, requirements: Iterable[Requirement]) -> set[str]:
        """Credentials that serve a requirement here, or one of a credential that does."""
        found: set[str] = set()
        lowest: dict[str, int] = {}  # competency -> lowest level already expanded
        queue: deque[Ref] = deque(r for req in requirements for r in refs(req))
        refs_of = self._refs_of
        while queue:
            ref = queue.popleft()
            if ref.kind == "competency":
                if lowest.get(ref.target, 1 << 30) <= ref.number:
                    continue
                lowest[ref.target] = ref.number
            for server in self.servers(ref):
                if server.id not in found:
                    found.add(server.id)
                    queue.extend(refs_of[server.id])
        return found

    @cached_property
    def _refs_of(self) -> dict[str, tuple[Ref, ...]]:
        """Every reference in each credential's requires, flattened once."""
        return {c.id: tuple(refs(c.requires)) for c in self.catalog.credentials.values()}

    def leading_to_outcome(self, outcome_id: str) -> set[str]:
        """The credentials that lead to this outcome (computed once per outcome).

        A search from the outcome; or, once ``outcomes_of`` has been propagated for every
        outcome (the site, compile), read from it for all outcomes at once.
        """
        memo: dict[str, set[str]] = self.memo.setdefault("leading_to_outcome", {})
        if outcome_id not in memo:
            if "outcomes_of" in self.__dict__:
                inverted: dict[str, set[str]] = {o: set() for o in self.catalog.outcomes}
                for credential_id, outcomes in self.outcomes_of.items():
                    for outcome in outcomes:
                        inverted[outcome].add(credential_id)
                memo.update(inverted)
            else:
                memo[outcome_id] = self.leading_to([self.catalog.outcomes[outcome_id].requires])
        return memo[outcome_id]

    def still_leads_without(self, ref: Ref) -> bool:
        """Whether every credential that leads to an outcome still does without ``ref``
        (that very occurrence): as ``leading_to`` from the outcomes ``without`` it would
        say, but searched backwards from each credential ``ref`` serves, up to an outcome.
        Backwards, the search ends at the first way round; forwards, it had to cover
        the catalog for each reference (a tenth of a cold validate at 10,000)."""
        servers = [s.id for s in self.servers(ref) if s.id in self.leads_to]
        return all(self._reached_without(s, ref) for s in servers)

    def _reached_without(self, start: str, skipped: Ref) -> bool:
        """Whether an outcome asks, through references other than ``skipped``, for
        ``start`` or for a credential that asks for it, and so on."""
        seen = {start}
        todo = [start]
        while todo:
            current = todo.pop()
            for ref, owner in self._served_by(current):
                if ref is skipped:
                    continue
                if owner is None:
                    return True
                if owner not in seen:
                    seen.add(owner)
                    todo.append(owner)
        return False

    def _served_by(self, credential_id: str) -> Iterator[tuple[Ref, str | None]]:
        """The references ``credential_id`` serves (``servers``), each with the credential
        that writes it (None: an outcome)."""
        credential = self.catalog.credentials.get(credential_id)
        if credential is None or not self.usable(credential):
            return
        yield from self._asking["credential"].get(credential_id, ())
        granted: dict[str, int] = {}
        for grant in credential.grants:
            granted[grant.target] = max(grant.number, granted.get(grant.target, 0))
        for competency, level in granted.items():
            for ref, owner in self._asking["competency"].get(competency, ()):
                if level >= ref.number:
                    yield ref, owner

    @cached_property
    def _asking(self) -> dict[str, dict[str, list[tuple[Ref, str | None]]]]:
        """Per kind and target, every reference written in a requirement, with the
        credential that writes it (None: an outcome)."""
        table: dict[str, dict[str, list[tuple[Ref, str | None]]]] = {
            "credential": defaultdict(list),
            "competency": defaultdict(list),
        }
        owned: list[tuple[Ref, str | None]] = [
            (ref, None) for o in self.catalog.outcomes.values() for ref in refs(o.requires)
        ]
        owned += [(ref, cid) for cid, written in self._refs_of.items() for ref in written]
        for ref, owner in owned:
            if ref.kind in table:
                table[ref.kind][ref.target].append((ref, owner))
        return table

    @cached_property
    def leads_to(self) -> frozenset[str]:
        """Credentials that lead to some outcome (docs/format.md section 3)."""
        return frozenset(self.leading_to(o.requires for o in self.catalog.outcomes.values()))

    @cached_property
    def outcomes_of(self) -> dict[str, list[str]]:
        """Per credential, the outcomes it leads to (sorted): those in whose
        ``leading_to_outcome`` it is.

        One propagation instead of a search per outcome: each outcome is a bit, set
        on the credentials that serve its requirements, and a credential passes its
        bits on to the credentials that serve its own requirements until nothing
        changes. Credentials are taken latest-earned first (those that require others
        before those they require), so each is usually passed on once: 100 outcomes
        over 10,000 credentials take a fraction of a second, not seconds.
        """
        outcomes = sorted(self.catalog.outcomes)
        bits: dict[str, int] = defaultdict(int)
        for index, outcome_id in enumerate(outcomes):
            for ref in refs(self.catalog.outcomes[outcome_id].requires):
                for granter in self.servers(ref):
                    bits[granter.id] |= 1 << index
        refs_of = self._refs_of
        serves: dict[str, list[str]] = {}
        late = len(self.reachable_order)
        rank = {cid: late - i for i, cid in enumerate(self.reachable_order)}
        queue = [(rank.get(cid, 0), cid) for cid in bits]
        heapq.heapify(queue)
        queued = set(bits)
        while queue:
            _, passing = heapq.heappop(queue)
            queued.discard(passing)
            passed = bits[passing]
            if passing not in serves:
                found = {s.id for ref in refs_of[passing] for s in self.servers(ref)}
                serves[passing] = list(found)
            for server in serves[passing]:
                before = bits[server]
                if before | passed != before:
                    bits[server] = before | passed
                    if server not in queued:
                        queued.add(server)
                        heapq.heappush(queue, (rank.get(server, 0), server))
        named: dict[int, list[str]] = {}
        table: dict[str, list[str]] = defaultdict(list)
        for credential_id, mask in bits.items():
            if mask not in named:
                named[mask] = [o for i, o in enumerate(outcomes) if mask >> i & 1]
            table[credential_id] = named[mask]
        return table

    # -- gaps -----------------------------------------------------------------------------
    def is_gap(self, ref: Ref) -> bool:
        """A competency level that no learner can come by: nobody brings it (``assumed``),
        and every usable credential that grants it needs it first.

        "Needs it first": the credential's requirements ask for that level (or more)
        on every way of meeting them, directly or through the credentials they name.
        So when the level-1 course of a ladder is retired, ``weld@1`` is a gap, even
        though ``weld-2`` and ``weld-3`` grant higher levels: both ask for it.
        """
        if ref.kind != "competency":
            return False
        key = (ref.target, ref.number)
        known = self._gaps.get(key)
        if known is None:
            known = self._gaps[key] = self._is_gap(ref)
        return known

    def _is_gap(self, ref: Ref) -> bool:
        if self.catalog.assumed.get(ref.target, 0) >= ref.number:
            return False
        if self.reachable_state.levels.get(ref.target, 0) >= ref.number:
            return False  # earned by someone who did not hold it before
        return all(self.needs_first(c, ref.target, ref.number) for c in self.servers(ref))

    def needs_first(self, credential: CredentialDef, competency: str, level: int) -> bool:
        """Whether every way to earn ``credential`` asks for ``competency`` at ``level`` first:
        its requirements name that level (or more) outside any/choose, or name a
        credential that grants it. The rung below on a ladder, not a loop of
        different competencies (that is a cycle)."""
        for ref in all_chain(credential.requires):
            if ref.kind == "competency":
                if ref.target == competency and ref.number >= level:
                    return True
            else:
                named = self.catalog.credentials[ref.target]
                if any(g.target == competency and g.number >= level for g in named.grants):
                    return True
        return False

    # -- waiting and cycles ---------------------------------------------------------------
    @cached_property
    def waits(self) -> dict[str, list[str]]:
        """X -> the unreachable usable credentials X waits on (section 3)."""
        state = self.reachable_state
        graph: dict[str, list[str]] = {}
        for credential in self.active:
            if credential.id in self.reachable:
                continue
            targets: list[str] = []
            for leaf in unmet(credential.requires, state):
                if isinstance(leaf, Ref) and not self.is_gap(leaf):
                    for server in self.servers(leaf):
                        # Granting what it requires is not waiting on itself; naming itself is.
                        if server.id == credential.id and leaf.kind != "credential":
                            continue
                        if server.id not in self.reachable and server.id not in targets:
                            targets.append(server.id)
            graph[credential.id] = targets
        return graph

    @cached_property
    def cycles(self) -> list[list[str]]:
        """Strongly connected groups of waiting: two or more, or one waiting on itself."""
        if not any(self.waits.values()):
            return []  # nothing waits on anything: no need to load networkx
        import networkx as nx

        graph = nx.DiGraph()
        for source, targets in self.waits.items():
            graph.add_node(source)
            for target in targets:
                graph.add_edge(source, target)
        groups = []
        for component in nx.strongly_connected_components(graph):
            members = sorted(component)
            if len(members) > 1 or graph.has_edge(members[0], members[0]):
                groups.append(members)
        return sorted(groups)

    @cached_property
    def rounds(self) -> dict[str, int]:
        """The fixpoint round (1, 2, ...) in which each reachable credential becomes earnable."""
        staged = stages(self.active, self.start())
        return {cid: number for number, ids in enumerate(staged, 1) for cid in ids}

    def first_in_path_order(self, ids: list[str]) -> str:
        """The id defined first: by relative path, then line (docs/format.md section 7)."""

        def key(id_: str) -> tuple[str, int]:
            entry = self.catalog.entry(id_)
            assert entry is not None
            return (entry.origin.source.display, entry.origin.locate("id").line)

        return min(ids, key=key)

    @cached_property
    def cycle_of(self) -> dict[str, list[str]]:
        return {member: group for group in self.cycles for member in group}


@dataclass(frozen=True)
class Why:
    """Why something cannot be had: a phrase to follow "it", and its root causes."""

    text: str
    roots: tuple[Subject, ...] = ()
    """Every root that keeps it out of reach on its own (fixing the others would not
    do): each one's message counts it."""
    fix: tuple[Subject, ...] = ()
    """The roots whose fixes together bring it within reach, when that is known (most
    often one)."""

    def causes(self, owner: str) -> tuple[Subject, ...]:
        """The roots to fold a finding about ``owner`` into: its own broken references,
        when nothing else blocks it (an entry whose own requirement is broken is no
        finding of its own: docs/format.md); else the one root whose fix alone brings it
        within reach."""
        if self.roots and all(_own(r, owner) for r in self.roots):
            return self.roots
        return self.fix if len(self.fix) == 1 else ()

    def counted(self, owner: str) -> tuple[Subject, ...]:
        """The roots whose messages count ``owner`` as made unreachable: each that blocks
        it on its own, and the one it is folded into; not its own broken references."""
        found = (*self.roots, *(self.fix if len(self.fix) == 1 else ()))
        return tuple(r for r in dict.fromkeys(found) if not _own(r, owner))


def _own(root: Subject, owner: str) -> bool:
    return root.name == owner and root.kind in {SubjectKind.ENTRY, SubjectKind.PART}


def gap_subject(ref: Ref) -> Subject:
    return Subject.gap(ref.target, ref.number)


@dataclass(frozen=True, eq=False)
class _Chain:
    """One cause spelled out: the steps from credential to credential, then the cause.

    Linked from the first step on, so that a step more costs nothing: a chain of 10,000
    credentials shares its tail with the chains of all of them."""

    cause: str
    step: tuple[str, str] | None = None
    """The first step: how it is blocked, and the credential it waits on."""
    rest: _Chain | None = None
    length: int = 0
    last: str = ""
    """The credential the last step waits on."""

    def after(self, how: str, target: str) -> _Chain:
        return _Chain(self.cause, (how, target), self, self.length + 1, self.last or target)

    def steps(self, count: int) -> list[tuple[str, str]]:
        """The first ``count`` steps."""
        found: list[tuple[str, str]] = []
        chain: _Chain | None = self
        while chain is not None and chain.step is not None and len(found) < count:
            found.append(chain.step)
            chain = chain.rest
        return found


@dataclass(frozen=True)
class _Blocked:
    """What keeps a requirement unmet: each independent cause, and the roots."""

    chains: tuple[_Chain, ...]
    roots: tuple[Subject, ...]
    fix: tuple[Subject, ...]

    def after(self, how: str, target: str) -> _Blocked:
        """The same causes, reached through one more step."""
        chains = tuple(chain.after(how, target) for chain in self.chains)
        return _Blocked(chains, self.roots, self.fix)


def _through(inner: _Blocked, credential_id: str) -> tuple[Subject, ...]:
    """The fix of what waits on ``credential_id`` alone, blocked by several causes (or
    none known): the credential's own finding, which names them all, is the one to fold
    into; but not while one of them is a broken reference of its own. Once the other
    causes are fixed, that finding is folded into the broken reference (docs/format.md),
    which does not explain what waits on it: that would be reported again, so it is
    reported from the start."""
    if inner.roots and all(_own(r, credential_id) for r in inner.roots):
        return inner.fix  # folded into its own broken references: no finding to fold into
    if any(r.kind is SubjectKind.PART and r.name == credential_id for r in inner.roots):
        return ()
    return (Subject.entry(credential_id),)


def _root(subject: Subject, chain: _Chain, *, fixed: bool = True) -> _Blocked:
    """One root; ``fixed``: fixing it, as its finding says, meets what it blocks."""
    return _Blocked((chain,), (subject,), (subject,) if fixed else ())


def _every(parts: list[_Blocked]) -> _Blocked:
    """All of ``parts`` must be unblocked: each cause counts, and the fix is every part's."""
    if len(parts) == 1:
        return parts[0]
    chains = tuple(dict.fromkeys(c for p in parts for c in p.chains))
    roots = tuple(dict.fromkeys(r for p in parts for r in p.roots))
    known = all(p.fix for p in parts)
    fix = tuple(dict.fromkeys(r for p in parts for r in p.fix)) if known else ()
    return _Blocked(chains, roots, fix)


def _enough(parts: list[_Blocked], need: int) -> _Blocked:
    """``need`` of ``parts`` must be unblocked: a root blocks on its own when too few
    parts are left without it; a fix is one that unblocks ``need`` parts."""
    if len(parts) == 1:
        return parts[0]
    every = dict.fromkeys(r for p in parts for r in p.roots)
    roots = tuple(r for r in every if sum(r not in p.roots for p in parts) < need)
    fixes = [p.fix for p in parts if p.fix]
    fix = next((f for f in fixes if fixes.count(f) >= need), ())
    return _Blocked(parts[0].chains, roots, fix)


class Explainer:
    """Root causes: why a credential can never be earned, why an outcome is out of reach.

    Every unmet part of a requirement is followed from credential to credential down to
    its causes (a gap, a cycle, a retired credential, an invalid reference): each cause
    that blocks on its own is a root, and a root whose fix alone would open the way is
    the one to fold into. Short chains are spelled out step by step; long ones name the
    first step and the root, so that a message stays one readable line.
    """

    SPELLED_OUT = 3
    SHOWN = 3
    """Causes named in one message; more are counted."""

    def __init__(
        self, semantics: Semantics, repaired: Callable[[Invalid, str], bool] | None = None
    ) -> None:
        self.semantics = semantics
        self.repaired = repaired or (lambda _invalid, _owner: False)
        """Whether an invalid part (of the entry named), fixed as its finding suggests,
        would be met: only then is fixing it enough."""
        self._known: dict[str, _Blocked] = {}
        self._busy: set[str] = set()

    def credential(self, credential_id: str) -> Why:
        """Why ``credential_id`` can never be earned."""
        return self._why(self._credential(credential_id))

    def requirement(self, requirement: Requirement, owner: str) -> Why:
        """Why ``requirement`` (of the entry ``owner``) can never be met."""
        sem = self.semantics
        return self._why(self._blocked(requirement, owner, sem.reachable_state))

    def _why(self, blocked: _Blocked) -> Why:
        shown = [self._phrase(chain) for chain in blocked.chains[: self.SHOWN]]
        more = len(blocked.chains) - self.SHOWN
        if more > 0:
            shown.append(f"{more} more")
        return Why(", and ".join(shown), blocked.roots, blocked.fix)

    def _credential(self, credential_id: str) -> _Blocked:
        """What blocks a usable credential that is not reachable; the credentials it waits
        on are worked out first, without recursion (chains can be 10,000 long)."""
        known = self._known.get(credential_id)
        if known is not None:
            return known
        if credential_id in self._busy:  # pragma: no cover - waiting loops are cycles
            return _Blocked((_Chain("waits on itself"),), (), ())
        stack = [credential_id]
        while stack:
            current = stack[-1]
            if current in self._known:
                stack.pop()
                continue
            if current not in self._busy:
                self._busy.add(current)
                waits = [w for w in self._waits_on(current) if w not in self._known]
                stack.extend(w for w in waits if w not in self._busy)
                continue
            stack.pop()
            self._known[current] = self._own(current)
            self._busy.discard(current)
        return self._known[credential_id]

    def _waits_on(self, credential_id: str) -> list[str]:
        sem = self.semantics
        if credential_id in sem.cycle_of:
            return []
        credential = sem.catalog.credentials[credential_id]
        found: list[str] = []
        for leaf in unmet(credential.requires, sem.reachable_state):
            if isinstance(leaf, Ref) and not sem.is_gap(leaf):
                found += [s.id for s in self._servers(leaf, credential_id)]
        return found

    def _servers(self, leaf: Ref, owner: str) -> list[CredentialDef]:
        """The usable credentials that would meet ``leaf`` (of ``owner``) once earned; for a
        competency, those that do not need it first, the owner aside (granting what it
        requires is not waiting on itself)."""
        sem = self.semantics
        if leaf.kind == "credential":
            return sem.servers(leaf)
        return [
            s
            for s in sem.servers(leaf)
            if s.id not in sem.reachable
            and s.id != owner
            and not sem.needs_first(s, leaf.target, leaf.number)
        ]

    def _own(self, credential_id: str) -> _Blocked:
        sem = self.semantics
        members = sem.cycle_of.get(credential_id)
        if members is not None:
            return self._cycle(credential_id, members)
        credential = sem.catalog.credentials[credential_id]
        if not sem.usable(credential):  # asked about directly: whoever names it is the root
            return _Blocked((_Chain(_unusable(credential)),), (), ())
        return self._blocked(credential.requires, credential_id, sem.reachable_state)

    def _cycle(self, credential_id: str, members: list[str]) -> _Blocked:
        """A cycle is the root; it is the fix only when nothing outside the cycle blocks a
        member (a member that also needs a gap stays blocked once the loop is broken).
        The message names what blocks ``credential_id`` itself from outside."""
        sem = self.semantics
        first = sem.first_in_path_order(members)
        root = Subject(SubjectKind.CYCLE, first)
        chain = _Chain(f"is in the cycle {loop_text(sem, members, first)}")
        inside = sem.reachable_state.copy()
        credentials = sem.catalog.credentials
        for member in members:
            inside.earn(credentials[member])
        outside = {
            m: self._blocked(credentials[m].requires, m, inside)
            for m in members
            if not satisfied(credentials[m].requires, inside)
        }
        roots = tuple(dict.fromkeys((root, *(r for b in outside.values() for r in b.roots))))
        own = outside[credential_id].chains if credential_id in outside else ()
        return _Blocked((chain, *own), roots, () if outside else (root,))

    def _blocked(self, requirement: Requirement, owner: str, state: State) -> _Blocked:
        """What keeps ``requirement`` (unmet in ``state``) of the entry ``owner`` unmet."""
        if isinstance(requirement, Invalid):
            return self._invalid(requirement, owner)
        if isinstance(requirement, Ref):
            return self._ref(requirement, owner)
        items = [i for i in requirement.items if not satisfied(i, state)]
        parts = [self._blocked(item, owner, state) for item in items]
        if isinstance(requirement, All):
            return _every(parts)
        met = len(requirement.items) - len(items)
        return _enough(parts, requirement.n - met if isinstance(requirement, Choose) else 1)

    def _invalid(self, invalid: Invalid, owner: str) -> _Blocked:
        entry = self.semantics.catalog.entry(owner)
        assert entry is not None
        origin = entry.origin
        line, column, _, _ = origin.source.locate(invalid.path)
        part = invalid.path[len(origin.path) :]
        where = f"{origin.source.display}:{line}:{column}"
        return _root(
            Subject(SubjectKind.PART, owner, part),
            _Chain(f"has an invalid requirement ({where})"),
            fixed=self.repaired(invalid, owner),
        )

    def _ref(self, leaf: Ref, owner: str) -> _Blocked:
        sem = self.semantics
        if sem.is_gap(leaf):
            best = sem.highest_grant(leaf.target)
            if best is None or best[0] < leaf.number:
                why = f"requires '{leaf.text}', which no credential grants"
                return _root(gap_subject(leaf), _Chain(why))
            why = f"requires '{leaf.text}', which only credentials that need it first grant"
            return _root(gap_subject(leaf), _Chain(why))
        if leaf.kind == "credential":
            credential = sem.catalog.credentials[leaf.target]
            how = f"requires '{leaf.text}', which"
            if not sem.usable(credential):
                chain = _Chain(_unusable(credential)).after(how, leaf.target)
                return _root(Subject.entry(owner), chain)
            inner = self._credential(leaf.target)
            if len(inner.fix) != 1:
                inner = _Blocked(inner.chains, inner.roots, _through(inner, leaf.target))
            return inner.after(how, leaf.target)
        servers = self._servers(leaf, owner)
        if not servers:  # only the owner grants it: no cause of its own, others may be
            return _Blocked((_Chain(f"requires '{leaf.text}', which only it grants"),), (), ())
        names = ", ".join(f"'{s.id}'" for s in servers[:3]) + (", ..." if len(servers) > 3 else "")
        how = f"requires '{leaf.text}', granted only by {names};"
        return _enough([self._credential(s.id).after(f"{how} '{s.id}'", s.id) for s in servers], 1)

    def _phrase(self, chain: _Chain) -> str:
        """Short chains step by step; long ones as the first step, a count and the root."""
        if chain.length <= self.SPELLED_OUT:
            return " ".join([*(how for how, _ in chain.steps(self.SPELLED_OUT)), chain.cause])
        first = chain.steps(1)[0][0]
        return (
            f"{first} waits on {chain.length - 1} more credentials down to '{chain.last}', "
            f"which {chain.cause}"
        )


def _unusable(credential: CredentialDef) -> str:
    return "is retired" if credential.status == "retired" else "is a draft (--no-drafts)"


def loop_text(semantics: Semantics, members: list[str], start: str | None = None) -> str:
    """``a -> b -> a``: the shortest loop through ``start`` (default: the first member)."""
    import networkx as nx

    graph = nx.DiGraph()
    group = set(members)
    for source in members:
        for target in semantics.waits.get(source, ()):
            if target in group:
                graph.add_edge(source, target)
    start = start or members[0]
    if graph.has_edge(start, start):
        return f"{start} -> {start}"
    best: list[str] | None = None
    for target in sorted(graph.successors(start)):
        path = nx.shortest_path(graph, target, start)
        if best is None or len(path) < len(best):
            best = path
    assert best is not None
    return " -> ".join([start, *best])
