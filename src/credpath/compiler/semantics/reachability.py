"""The reachable fixpoint: what a learner can earn from the assumed competencies, in
which round, what holding a credential guarantees and unlocks, and the gaps."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from functools import cached_property

from credpath.compiler.requirements import Ref, refs
from credpath.compiler.resolve import CredentialDef
from credpath.compiler.semantics.facts import CatalogFacts
from credpath.compiler.semantics.guarantees import Guarantees
from credpath.compiler.semantics.state import State, all_chain, satisfied, stages


class Reachability(CatalogFacts):
    """What can be earned at all, and what each credential opens."""

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
        Mirrored in credpath.js by ``Semantics.closure``: change both together.
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

    @cached_property
    def rounds(self) -> dict[str, int]:
        """The fixpoint round (1, 2, ...) in which each reachable credential becomes earnable."""
        staged = stages(self.active, self.start())
        return {cid: number for number, ids in enumerate(staged, 1) for cid in ids}

    @cached_property
    def guarantees(self) -> Guarantees:
        return Guarantees(self.catalog)

    def learner(self, credentials: Iterable[str], levels: Mapping[str, int]) -> State:
        """A learner who holds ``credentials`` and ``levels`` (and the assumed competencies).

        A held credential is proof that its requirements were met: whatever its
        ``requires`` names on every way of meeting it (``all``, not ``any`` or
        ``choose``) is held too, credentials with their grants, transitively
        (``Guarantees``). So a plan never sends a learner back for what they showed.
        Mirrored in credpath.js by ``Semantics.learner``: change both together.
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

    def levels_without(self, credential_id: str) -> dict[str, int]:
        """The highest level per competency a learner can come by without the reachable
        ``credential_id``: the fixpoint without it, from its round's credentials on
        (earlier rounds never need it). Once per credential: level-jump asks per grant."""
        known = self._levels_without.get(credential_id)
        if known is None:
            rounds = self.rounds
            own = rounds[credential_id]
            state = self.start()
            others = [c for c in self.active if c.id != credential_id]
            for other in others:  # the earlier rounds, earned without looking
                if rounds.get(other.id, own + 1) <= own:
                    state.earn(other)
            self.closure(state, others)
            known = self._levels_without[credential_id] = state.levels
        return known

    @cached_property
    def _levels_without(self) -> dict[str, dict[str, int]]:
        return {}

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

    @cached_property
    def _gaps(self) -> dict[tuple[str, int], bool]:
        """is_gap per competency level: references repeat across a catalog."""
        return {}

    def _is_gap(self, ref: Ref) -> bool:
        if self.catalog.assumed.get(ref.target, 0) >= ref.number:
            return False
        if self.reachable_state.levels.get(ref.target, 0) >= ref.number:
            return False  # earned by someone who did not hold it before
        return all(self.needs_first(c, ref.target, ref.number) for c in self.servers(ref))
