"""Synthetic learner records with a known truth, for the demo and the tests.

Each learner picks an outcome the project can reach and walks toward it: at each moment
they look at ``Semantics.next_doors`` exactly as ``drift`` does, and go on with the
probability set for that kind of moment (a next door toward an outcome they have not
met: ``continue_door``; none, a dead end: ``continue_dead_end``; an outcome reached:
``continue_after_outcome``). Going on, they start the first door toward their outcome
(else toward another one, which becomes theirs; else any door) 1 to ``MAX_GAP_DAYS``
days later and earn it 20 to 120 days after that. The first credential is always
started. So the continuation rate ``drift`` measures for each kind of moment should be
the probability given here, within its interval.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, timedelta

from credpath.compiler.semantics import Semantics, State, satisfied

MAX_GAP_DAYS = 60
"""Well inside the default window of 180 days: whoever goes on, continues."""

FIRST_DAY = date(2023, 1, 2)


@dataclass(frozen=True)
class Probabilities:
    door: float = 0.8
    dead_end: float = 0.3
    after_outcome: float = 0.2


def simulate(sem: Semantics, learners: int, seed: int, chances: Probabilities) -> str:
    """The records as CSV: learner, credential, date, event (started or earned)."""
    rng = random.Random(seed)
    outcomes = sem.catalog.outcomes
    outcomes_of = sem.outcomes_of
    reachable = [
        o for o in sorted(outcomes) if satisfied(outcomes[o].requires, sem.reachable_state)
    ]
    moments: dict[frozenset[str], tuple[list[str], set[str], State]] = {}

    def moment(held: frozenset[str]) -> tuple[list[str], set[str], State]:
        if held not in moments:
            state = sem.learner(sorted(held), {})
            met = {o for o in outcomes if satisfied(outcomes[o].requires, state)}
            moments[held] = (sem.next_doors(state), met, state)
        return moments[held]

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["learner", "credential", "date", "event"])
    width = len(str(learners))
    for number in range(learners):
        learner = f"learner-{number:0{width}d}"
        goal = rng.choice(reachable) if reachable else None
        day = FIRST_DAY + timedelta(days=rng.randrange(730))
        held: frozenset[str] = frozenset()
        first = True
        while True:
            doors, met, _ = moment(held)
            toward = [d for d in doors if set(outcomes_of.get(d, ())) - met]
            if not first:
                chance = (
                    chances.door if toward else chances.after_outcome if met else chances.dead_end
                )
                if rng.random() >= chance:
                    break
            mine = [d for d in toward if goal in outcomes_of.get(d, ())]
            if not mine and toward:
                goal = rng.choice(sorted({o for d in toward for o in outcomes_of[d]} - met))
                mine = [d for d in toward if goal in outcomes_of.get(d, ())]
            options = mine or toward or doors
            if not options:
                break
            choice = options[0]
            day += timedelta(days=rng.randint(1, MAX_GAP_DAYS) if not first else 0)
            writer.writerow([learner, choice, day.isoformat(), "started"])
            day += timedelta(days=rng.randint(20, 120))
            writer.writerow([learner, choice, day.isoformat(), "earned"])
            held = held | {choice}
            first = False
    return out.getvalue()
