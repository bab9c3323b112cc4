"""`credpath simulate` then `credpath drift`: the continuation measured is the one simulated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import credpath

ROOT = Path(__file__).parents[1]
SEEDS = range(12)


@pytest.mark.parametrize("curriculum", ["data-careers", "cybersecurity"])
def test_drift_recovers_the_simulated_continuation(tmp_path: Path, curriculum: str) -> None:
    """Each seed draws its own chance; its 95% interval must hold it in at least 10 of 12
    runs (a correct interval misses more than 2 of 12 about 2% of the time; the seeds are
    fixed, so the test is deterministic)."""
    project = str(ROOT / "curricula" / curriculum)
    held = 0
    for seed in SEEDS:
        chance = 0.3 + 0.05 * seed
        records = tmp_path / f"{seed}.csv"
        made = credpath(
            "simulate", project, "--learners", "300", "--seed", str(seed),
            "--continue", str(chance), "-o", str(records),
        )  # fmt: skip
        assert made.exit_code == 0, made.stderr
        run = credpath("drift", str(records), "--project", project, "-f", "json")
        assert run.exit_code == 0, run.stderr
        rate = json.loads(run.stdout)["structure_test"]["next_door"]["continuation"]
        held += rate["low"] <= chance <= rate["high"]
    assert held >= 10


def test_simulate_is_deterministic(tmp_path: Path) -> None:
    project = str(ROOT / "curricula" / "data-careers")
    first = credpath("simulate", project, "--learners", "50", "--seed", "7")
    again = credpath("simulate", project, "--learners", "50", "--seed", "7")
    assert first.stdout == again.stdout
    assert first.lines[0] == "learner,credential,date,event"
