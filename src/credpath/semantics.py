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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from credpath.requirements import (
    All,
    AnyOf,
    Choose,
    Invalid,
    Ref,
    Requirement,
    has_invalid,
    refs,
)
from credpath.resolve import Catalog, CredentialDef


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
    """References that every way of meeting ``requirement`` needs (not under any/choose)."""
    if isinstance(requirement, Ref):
        yield requirement
    elif isinstance(requirement, All) or (
        isinstance(requirement, Choose) and requirement.n == len(requirement.items)
    ):
        for item in requirement.items:
            yield from all_chain(item)


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
        where a requirement that names it is not met yet. Holding ``a2`` (``a@2``),
        ``a1`` (``a@1``) adds nothing, so it is no next door.
        """
        if any(state.levels.get(g.target, 0) < g.number for g in credential.grants):
            return True
        return any(not satisfied(r, state) for r in self._naming.get(credential.id, ()))

    @cached_property
    def _naming(self) -> dict[str, list[Requirement]]:
        """Per credential, the requirements (of outcomes, credentials, pathway stages) that
        name it by id."""
        catalog = self.catalog
        requirements: list[Requirement] = [c.requires for c in catalog.credentials.values()]
        requirements += [o.requires for o in catalog.outcomes.values()]
        requirements += [item for p in catalog.pathways.values() for s in p.stages for item in s]
        naming: dict[str, list[Requirement]] = defaultdict(list)
        for requirement in requirements:
            for target in {r.target for r in refs(requirement) if r.kind == "credential"}:
                naming[target].append(requirement)
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
    """Why something cannot be had: a phrase to follow "it", and the root finding's subject."""

    text: str
    root: str
    """The subject of the finding that reports the root cause ("gap:sql@3",
    "cycle:a", "entry:x" for a broken entry, "credential:x" for the credential
    that names a retired one); empty when the one asked about is itself the root."""


def gap_subject(ref: Ref) -> str:
    return f"gap:{ref.target}@{ref.number}"


class Explainer:
    """Root causes: why a credential can never be earned, why an outcome is out of reach.

    Follows the first unmet requirement from credential to credential until it
    reaches a cause (a gap, a cycle, a retired credential, an invalid reference).
    Short chains are spelled out step by step; long ones name the first step and
    the root, so that a message stays one readable line.
    """

    SPELLED_OUT = 3

    def __init__(self, semantics: Semantics) -> None:
        self.semantics = semantics

    def credential(self, credential_id: str) -> Why:
        """Why ``credential_id`` can never be earned."""
        steps, cause, root = self._chain(credential_id)
        return Why(self._phrase(steps, cause), root)

    def requirement(self, requirement: Requirement, owner: str) -> Why:
        """Why ``requirement`` (of the entry ``owner``) can never be met."""
        step = self._step(requirement, owner)
        if isinstance(step[0], str) and len(step) == 2:
            return Why(step[0], step[1])
        how, target, _ = step
        steps, cause, root = self._chain(target, owner)
        return Why(self._phrase([(how, target), *steps], cause), root)

    def _chain(
        self, credential_id: str, asker: str | None = None
    ) -> tuple[list[tuple[str, str]], str, str]:
        """The steps from ``credential_id`` to the root cause, the cause, the root's subject."""
        steps: list[tuple[str, str]] = []
        seen: set[str] = set()
        current, previous = credential_id, asker
        while True:
            own = self._own_cause(current, previous)
            if own is not None:
                return steps, own[0], own[1]
            if current in seen:  # pragma: no cover - waiting loops are cycles, found above
                return steps, "waits on itself", f"cycle:{current}"
            seen.add(current)
            step = self._step(self.semantics.catalog.credentials[current].requires, current)
            if len(step) == 2:
                return steps, step[0], step[1]
            steps.append((step[0], step[1]))
            current, previous = step[1], current

    def _own_cause(self, credential_id: str, named_by: str | None) -> tuple[str, str] | None:
        sem = self.semantics
        credential = sem.catalog.credentials[credential_id]
        members = sem.cycle_of.get(credential_id)
        if members is not None:
            first = sem.first_in_path_order(members)
            return f"is in the cycle {loop_text(sem, members, first)}", f"cycle:{first}"
        if not sem.usable(credential):
            why = "is retired" if credential.status == "retired" else "is a draft (--no-drafts)"
            return why, f"credential:{named_by}" if named_by else ""
        if has_invalid(credential.requires):
            return "has an invalid requirement (reported there)", f"entry:{credential_id}"
        return None

    def _step(
        self, requirement: Requirement, owner: str
    ) -> tuple[str, str] | tuple[str, str, None]:
        """(how it is blocked, the credential that blocks it, None), or (the cause, root)."""
        sem = self.semantics
        leaf = next(unmet(requirement, sem.reachable_state), None)
        if leaf is None:  # pragma: no cover - callers ask only about unmet requirements
            return "is satisfied", ""
        if isinstance(leaf, Invalid):
            return "has an invalid requirement (reported there)", f"entry:{owner}"
        if sem.is_gap(leaf):
            best = sem.highest_grant(leaf.target)
            if best is None or best[0] < leaf.number:
                return f"requires '{leaf.text}', which no credential grants", gap_subject(leaf)
            return (
                f"requires '{leaf.text}', which only credentials that need it first grant",
                gap_subject(leaf),
            )
        if leaf.kind == "credential":
            return (f"requires '{leaf.text}', which", leaf.target, None)
        servers = [
            s
            for s in sem.servers(leaf)
            if s.id not in sem.reachable and not sem.needs_first(s, leaf.target, leaf.number)
        ]
        names = ", ".join(f"'{s.id}'" for s in servers[:3]) + (", ..." if len(servers) > 3 else "")
        return (
            f"requires '{leaf.text}', granted only by {names}; '{servers[0].id}'",
            servers[0].id,
            None,
        )

    def _phrase(self, steps: list[tuple[str, str]], cause: str) -> str:
        """Short chains step by step; long ones as the first step, a count and the root."""
        if len(steps) <= self.SPELLED_OUT:
            return " ".join([*(how for how, _ in steps), cause])
        root = steps[-1][1]
        return (
            f"{steps[0][0]} waits on {len(steps) - 1} more credentials down to '{root}', "
            f"which {cause}"
        )


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
