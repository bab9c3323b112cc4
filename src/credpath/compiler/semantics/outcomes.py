"""Leads-to: which credentials lead to which outcomes, and the next doors a learner has."""

from __future__ import annotations

import heapq
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from functools import cached_property

from credpath.compiler.requirements import Ref, Requirement, refs
from credpath.compiler.resolve import CredentialDef
from credpath.compiler.semantics.reachability import Reachability
from credpath.compiler.semantics.state import State, satisfied, wants


class Outcomes(Reachability):
    """What leads where: per credential the outcomes, per outcome the credentials."""

    def adds_something(self, credential: CredentialDef, state: State) -> bool:
        """Whether earning ``credential`` gives the learner something they lack.

        That is a competency level above the one they hold, or the credential itself
        where a requirement still wants it: a requirement of an outcome, of a pathway
        stage, or of a usable credential the learner does not hold (holding one is
        proof that its requirements were met), in a part that is not met yet
        (``wants``). Holding ``a2`` (``a@2``), ``a1`` (``a@1``) adds nothing, so it is
        no next door.
        Mirrored in credpath.js by ``Semantics.addsSomething``: change both together.
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
        Mirrored in credpath.js by ``Semantics.nextDoors``: change both together.
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

    def leading_to_outcome(self, outcome_id: str) -> set[str]:
        """The credentials that lead to this outcome (computed once per outcome).

        A search from the outcome, unless ``outcomes_of`` has been propagated (the site,
        compile): it fills in every outcome at once.
        Mirrored in credpath.js by ``Semantics.leadingTo``: change both together.
        """
        found = self._leading.get(outcome_id)
        if found is None:
            outcome = self.catalog.outcomes[outcome_id]
            found = self._leading[outcome_id] = self.leading_to([outcome.requires])
        return found

    @cached_property
    def _leading(self) -> dict[str, set[str]]:
        """Per outcome, the credentials leading to it: searched one outcome at a time by
        ``leading_to_outcome``, or all at once by ``outcomes_of``."""
        return {}

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
        leading: dict[str, set[str]] = {o: set() for o in outcomes}
        for credential_id, leads in table.items():
            for outcome_id in leads:
                leading[outcome_id].add(credential_id)
        self._leading.update(leading)
        return table
