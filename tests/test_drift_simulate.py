"""`credpath simulate` then `credpath drift`: the continuation measured is the one simulated.

The property runs through the library (``simulate`` and ``analyse_records`` on one checked
project), so its 24 analyses take seconds; one round trip through the CLI checks that the
commands give the same numbers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import credpath, write_files
from credpath.analytics.drift import analyse_records
from credpath.analytics.privacy import publish
from credpath.analytics.records import ReadOptions
from credpath.analytics.simulate import Probabilities, simulate
from credpath.checks.context import Options
from credpath.checks.engine import check

ROOT = Path(__file__).parents[1]
SEEDS = range(12)
LEARNERS = 300


def _chance(seed: int) -> float:
    return 0.3 + 0.05 * seed


@pytest.mark.parametrize("curriculum", ["data-careers", "cybersecurity"])
def test_drift_recovers_the_simulated_continuation(tmp_path: Path, curriculum: str) -> None:
    """Each seed draws its own chance; its 95% interval must hold it in at least 10 of 12
    runs (a correct interval misses more than 2 of 12 about 2% of the time; the seeds are
    fixed, so the test is deterministic)."""
    sem = check(ROOT / "curricula" / curriculum, Path.cwd(), Options()).context.semantics
    held = 0
    for seed in SEEDS:
        records = tmp_path / f"{seed}.csv"
        records.write_text(
            simulate(sem, LEARNERS, seed, Probabilities(door=_chance(seed))), encoding="utf-8"
        )
        analysis = analyse_records([records], sem, ReadOptions(), window=180)
        rate = publish(analysis, {}, min_group=10, top=5).door.rate
        assert rate is not None
        _, low, high = rate
        held += low <= _chance(seed) <= high
    assert held >= 10


DEAD_END_PROJECTS = {
    # Twelve badges, each granting a skill of its own, and no outcome: after the first
    # badge every moment is a dead end with a door (another badge) to go through.
    "badges": {
        "credpath.yaml": "name: Badges\n",
        "curriculum.yaml": "competencies:\n"
        + "".join(f"  - {{id: skill-{i}, title: Skill {i}}}\n" for i in range(12))
        + "credentials:\n"
        + "".join(
            f"  - {{id: badge-{i}, title: Badge {i}, type: badge, grants: [skill-{i}]}}\n"
            for i in range(12)
        ),
    },
    # Two chains of ten courses that lead to no outcome: one door at a time, then two.
    "chains": {
        "credpath.yaml": "name: Chains\n",
        "curriculum.yaml": "competencies:\n"
        + "".join(f"  - {{id: s-{t}{i}, title: S {t}{i}}}\n" for t in "ab" for i in range(10))
        + "credentials:\n"
        + "".join(
            f"  - {{id: {t}{i}, title: {t.upper()}{i}, type: course, grants: [s-{t}{i}]"
            + (f", requires: [{t}{i - 1}]" if i else "")
            + "}\n"
            for t in "ab"
            for i in range(10)
        ),
    },
}


@pytest.mark.parametrize("name", sorted(DEAD_END_PROJECTS))
def test_drift_recovers_the_simulated_dead_end_continuation(tmp_path: Path, name: str) -> None:
    """``--continue-dead-end``: the continuation of earnings that had no next door toward an
    outcome (the structure test's second row) holds the simulated chance in at least 10 of
    12 seeded runs, as above."""
    write_files(tmp_path / name, DEAD_END_PROJECTS[name])
    sem = check(tmp_path / name, Path.cwd(), Options()).context.semantics
    held = 0
    for seed in SEEDS:
        chance = 0.2 + 0.04 * seed
        records = tmp_path / f"{seed}.csv"
        chances = Probabilities(door=0.9, dead_end=chance)
        records.write_text(simulate(sem, LEARNERS, seed, chances), encoding="utf-8")
        analysis = analyse_records([records], sem, ReadOptions(), window=180)
        assert analysis.structure["door"].earnings == 0
        rate = publish(analysis, {}, min_group=10, top=5).no_door.rate
        assert rate is not None
        _, low, high = rate
        held += low <= chance <= high
    assert held >= 10


def test_the_commands_give_the_library_s_numbers(tmp_path: Path) -> None:
    project = ROOT / "curricula" / "data-careers"
    records = tmp_path / "records.csv"
    made = credpath(
        "simulate", str(project), "--learners", str(LEARNERS), "--seed", "3",
        "--continue", str(_chance(3)), "-o", str(records),
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    sem = check(project, Path.cwd(), Options()).context.semantics
    assert records.read_text(encoding="utf-8") == simulate(
        sem, LEARNERS, 3, Probabilities(door=_chance(3))
    )
    run = credpath("drift", str(records), "--project", str(project), "-f", "json")
    assert run.exit_code == 0, run.stderr
    shown = json.loads(run.stdout)["structure_test"]["next_door"]["continuation"]
    rate = publish(analyse_records([records], sem, ReadOptions(), 180), {}, 10, 5).door.rate
    assert rate is not None
    assert shown == {
        "value": round(rate[0], 4),
        "low": round(rate[1], 4),
        "high": round(rate[2], 4),
    }


def test_simulate_is_deterministic(tmp_path: Path) -> None:
    project = str(ROOT / "curricula" / "data-careers")
    first = credpath("simulate", project, "--learners", "50", "--seed", "7")
    again = credpath("simulate", project, "--learners", "50", "--seed", "7")
    assert first.stdout == again.stdout
    assert first.lines[0] == "learner,credential,date,event"
