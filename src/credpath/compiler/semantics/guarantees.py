"""What holding a credential guarantees: proof of a credential is proof that its
requirements were met (``Semantics.learner`` and ``unlocks`` lean on it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from credpath.compiler.requirements import Ref
from credpath.compiler.resolve import Catalog
from credpath.compiler.semantics.state import all_chain


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

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.known: dict[str, Guarantee] = {}

    def of(self, credential_id: str) -> Guarantee:
        """What holding the credential guarantees; iterative, as chains can be long.

        In a loop (reported as a cycle) each member guarantees the others. A result that
        still lacks a member being worked out (on the way down from the credential
        asked) is kept aside for this call only, not remembered, and worked out again
        once those members are done: the answers do not depend on which member was asked
        first (the site's script reasons alike).

        Mirrored in credpath.js by ``Semantics.guarantees``: change both together.
        """
        partial: dict[str, tuple[Guarantee, set[str]]] = {}
        pending: set[str] = set()
        stack = [credential_id]
        while stack:
            current = stack[-1]
            if current in self.known or current in partial:
                stack.pop()
                continue
            credential = self.catalog.credentials.get(current)
            needed = []
            for ref in all_chain(credential.requires) if credential is not None else ():
                target = ref.target
                if ref.kind != "credential" or target in self.known or target in pending:
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
                self.known[current] = result
        return self.known[credential_id]

    def _combine(
        self,
        credential_id: str,
        partial: dict[str, tuple[Guarantee, set[str]]],
        pending: set[str],
    ) -> tuple[Guarantee, set[str]]:
        """The credential's guarantee from those of what it names, and the members of a
        loop still being worked out that it lacks (none: it is complete).

        Mirrored in credpath.js by ``Semantics.combine``: change both together.
        """
        result = Guarantee({credential_id})
        lacking: set[str] = set()
        credential = self.catalog.credentials.get(credential_id)
        if credential is None:
            return result, lacking
        for grant in credential.grants:
            _raise(result.levels, grant.target, grant.number)
        for ref in all_chain(credential.requires):
            if ref.kind == "competency":
                _raise(result.levels, ref.target, ref.number)
                continue
            inner = self.known.get(ref.target)
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
