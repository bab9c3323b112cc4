"""docs/format.md section 3: learner states, earnable, the reachable fixpoint, serves, leads-to.

One small API used by every check and command:

- ``State``: held credentials and the highest level held per competency;
- ``satisfied(requirement, state)``;
- ``Semantics.reachable``: what a learner can earn from the assumed competencies;
- ``Semantics.servers(ref)``: the credentials whose grant (or self) serves a reference;
- ``Semantics.leads_to``: the credentials that lead to some outcome;
- ``Semantics.waits``: who waits on whom among the unreachable, for cycles;
- ``Explainer``: why a credential can never be earned, down to its root causes;
- ``Semantics.carry_over``: what another semantics of the same graph worked out, taken
  over after an edit of titles and descriptions (``credpath serve``).

One module per concern, each building on the one before: ``state`` (requirements
against a learner), ``facts`` (what the catalog says: who serves what), ``guarantees``
(what holding a credential proves), ``reachability`` (the fixpoint, rounds, unlocks,
gaps), then ``outcomes`` (leads-to, next doors) and ``waits`` (waiting, cycles) side
by side, and ``explain`` (root causes). Each caches what its own logic works out.
"""

from __future__ import annotations

from typing import ClassVar

from credpath.compiler.semantics.explain import Explainer, Why, gap_subject
from credpath.compiler.semantics.guarantees import Guarantee, Guarantees
from credpath.compiler.semantics.outcomes import Outcomes
from credpath.compiler.semantics.state import State, all_chain, satisfied, stages, unmet, wants
from credpath.compiler.semantics.waits import Waits, loop_text


class Semantics(Outcomes, Waits):
    """A catalog's meaning, worked out on demand and kept: ``Semantics(catalog)``."""

    CARRIED: ClassVar[frozenset[str]] = frozenset(
        {
            "_refs_of",
            "_fixpoint",
            "reachable",
            "rounds",
            "unlocks",
            "_naming",
            "_asking",
            "leads_to",
            "outcomes_of",
            "waits",
            "cycles",
            "cycle_of",
        }
    )
    """What ``carry_over`` shares with the semantics it takes over: worked out once from
    the graph alone, and holding ids, references and requirements, never an entry (whose
    title may have changed) nor the catalog."""
    FILLED: ClassVar[frozenset[str]] = frozenset({"_leading", "_levels_without", "_gaps"})
    """Filled in as they are asked: copied, since each semantics goes on filling its own."""

    def carry_over(self, previous: Semantics) -> bool:
        """Take over what ``previous`` worked out, instead of working it out again: the
        ``CARRIED`` and ``FILLED`` results not worked out here yet, and what holding each
        credential guarantees. For a catalog with the graph of ``previous``'s: only titles,
        descriptions and comments changed (the resident engine's patched catalog, which the
        caller vouches for); the same ids in the same order are checked here. What holds
        entries (``active``, who grants what) is worked out again from this catalog, so
        that a page names a credential by its new title. False, taking nothing, for a
        semantics of other ids or other options.

        ``previous`` must not be working anything out meanwhile (its owner's lock).
        """
        before, now = previous.catalog, self.catalog
        if previous is self or previous.no_drafts != self.no_drafts:
            return False
        kinds = ("competencies", "credentials", "outcomes", "pathways")
        if any(list(getattr(before, k)) != list(getattr(now, k)) for k in kinds):
            return False
        if before.assumed != now.assumed:
            return False
        mine = vars(self)
        for name, value in vars(previous).items():
            if name in mine:
                continue
            if name in self.CARRIED:
                mine[name] = value
            elif name in self.FILLED:
                mine[name] = dict(value)
        if "guarantees" in vars(previous) and "guarantees" not in mine:
            guarantees = Guarantees(now)
            guarantees.known = dict(previous.guarantees.known)
            mine["guarantees"] = guarantees
        return True


__all__ = [
    "Explainer",
    "Guarantee",
    "Guarantees",
    "Semantics",
    "State",
    "Why",
    "all_chain",
    "gap_subject",
    "loop_text",
    "satisfied",
    "stages",
    "unmet",
    "wants",
]
