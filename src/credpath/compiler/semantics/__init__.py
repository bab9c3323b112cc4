"""docs/format.md section 3: learner states, earnable, the reachable fixpoint, serves, leads-to.

One small API used by every check and command:

- ``State``: held credentials and the highest level held per competency;
- ``satisfied(requirement, state)``;
- ``Semantics.reachable``: what a learner can earn from the assumed competencies;
- ``Semantics.servers(ref)``: the credentials whose grant (or self) serves a reference;
- ``Semantics.leads_to``: the credentials that lead to some outcome;
- ``Semantics.waits``: who waits on whom among the unreachable, for cycles;
- ``Explainer``: why a credential can never be earned, down to its root causes.

One module per concern, each building on the one before: ``state`` (requirements
against a learner), ``facts`` (what the catalog says: who serves what), ``guarantees``
(what holding a credential proves), ``reachability`` (the fixpoint, rounds, unlocks,
gaps), then ``outcomes`` (leads-to, next doors) and ``waits`` (waiting, cycles) side
by side, and ``explain`` (root causes). Each caches what its own logic works out.
"""

from __future__ import annotations

from credpath.compiler.semantics.explain import Explainer, Why, gap_subject
from credpath.compiler.semantics.guarantees import Guarantee, Guarantees
from credpath.compiler.semantics.outcomes import Outcomes
from credpath.compiler.semantics.state import State, all_chain, satisfied, stages, unmet, wants
from credpath.compiler.semantics.waits import Waits, loop_text


class Semantics(Outcomes, Waits):
    """A catalog's meaning, worked out on demand and kept: ``Semantics(catalog)``."""


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
