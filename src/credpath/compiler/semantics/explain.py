"""Root causes: why a credential can never be earned, why an outcome is out of reach."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from credpath.base.diagnostics import Subject, SubjectKind
from credpath.compiler.requirements import All, Choose, Invalid, Ref, Requirement
from credpath.compiler.resolve import CredentialDef
from credpath.compiler.semantics.state import State, satisfied, unmet
from credpath.compiler.semantics.waits import Waits, loop_text


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


@dataclass(frozen=True)
class _Step:
    """One step of a chain: how a credential is blocked, and the credential it waits on."""

    how: str
    waits_on: str


@dataclass(frozen=True, eq=False)
class _Chain:
    """One cause spelled out: the steps from credential to credential, then the cause.

    Linked from the first step on, so that a step more costs nothing: a chain of 10,000
    credentials shares its tail with the chains of all of them."""

    cause: str
    step: _Step | None = None
    """The first step (none: the cause is the credential's own)."""
    rest: _Chain | None = None
    length: int = 0
    last: str = ""
    """The credential the last step waits on."""

    def after(self, how: str, target: str) -> _Chain:
        step = _Step(how, target)
        return _Chain(self.cause, step, self, self.length + 1, self.last or target)

    def steps(self, count: int) -> list[_Step]:
        """The first ``count`` steps."""
        found: list[_Step] = []
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
        self, semantics: Waits, repaired: Callable[[Invalid, str], bool] | None = None
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
            return " ".join([*(step.how for step in chain.steps(self.SPELLED_OUT)), chain.cause])
        first = chain.steps(1)[0].how
        return (
            f"{first} waits on {chain.length - 1} more credentials down to '{chain.last}', "
            f"which {chain.cause}"
        )


def _unusable(credential: CredentialDef) -> str:
    return "is retired" if credential.status == "retired" else "is a draft (--no-drafts)"
