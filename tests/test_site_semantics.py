"""The learner site's script answers as the CLI does, for any project and learner state.

``credpath next`` and ``credpath plan`` are run (in process, through the CLI) on random
projects from the property tests' generator (tests/strategies.py: nested all/any/choose,
levels, drafts, retired, assumed, cycles, workloads, outcomes, a curated pathway) and on
the shipped curricula; the site's script (publish/site/assets/credpath.js) answers the same
questions under Node from the data the site embeds. Every answer must be equal: the
state the learner is understood to hold, the next doors in order, and each plan stage
by stage, with hours, the reason an outcome cannot be reached, and whether the pathway
is proven optimal.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.testing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from credpath.checks.context import Options
from credpath.checks.engine import check
from credpath.cli import app
from credpath.publish.site.data import catalog_data
from strategies import Project, projects

ROOT = Path(__file__).parents[1]
SCRIPT = ROOT / "src" / "credpath" / "publish" / "site" / "assets" / "credpath.js"
HARNESS = Path(__file__).parent / "js" / "answers.js"
RANDOM_PAIRS = 1000
"""Random (project, learner state) pairs compared, at least."""

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None and not os.environ.get("CI"),
    reason="needs node (make install installs it; in CI these run, and fail without it)",
)
runner = CliRunner()
CLI = typer.main.get_command(app)


@pytest.fixture(autouse=True)
def _cli_built_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The runner builds the click command behind ``credpath`` once, not per question
    (the answers still come from the real CLI)."""
    monkeypatch.setattr(typer.testing, "_get_command", lambda _app: CLI)


def cli_answers(root: Path, have: list[str], outcome: str | None) -> dict[str, Any]:
    """What the CLI says for this learner: next, and plan when an outcome is given."""
    args = ["--format", "json", *(["--have", ",".join(have)] if have else [])]
    shown = runner.invoke(app, ["next", str(root), *args])
    assert shown.exit_code == 0, shown.output
    doors = json.loads(shown.output)
    answer: dict[str, Any] = {
        "held": doors["have"]["credentials"],
        "levels": doors["have"]["competencies"],
        "next": doors["next"],
        "plan": None,
    }
    if outcome is not None:
        result = runner.invoke(app, ["plan", outcome, str(root), *args])
        plan = json.loads(result.output)
        assert result.exit_code == (0 if plan["reachable"] else 1)
        answer["plan"] = {
            "outcome": plan["outcome"],
            "reachable": plan["reachable"],
            "met": plan["met"],
            "reason": plan["reason"],
            "stages": [
                {
                    "stage": s["stage"],
                    "hours": s["hours"],
                    "credentials": [c["id"] for c in s["credentials"]],
                }
                for s in plan["stages"]
            ],
            "total_hours": plan["total_hours"],
            "credentials": plan["credentials"],
            "optimal": plan["optimal"],
        }
    return answer


def script_answers(cases: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    if shutil.which("node") is None:  # only reached in CI (else the module skips): fail
        pytest.fail("node is missing: the site's script cannot be checked (make install)")
    with tempfile.TemporaryDirectory() as folder:
        questions = Path(folder) / "cases.json"
        questions.write_text(json.dumps(cases), encoding="utf-8")
        done = subprocess.run(
            ["node", str(HARNESS), str(SCRIPT), str(questions)],
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
    assert done.returncode == 0, done.stderr
    answers: list[list[dict[str, Any]]] = json.loads(done.stdout)
    return answers


def data_of(root: Path) -> dict[str, Any]:
    return catalog_data(check(root, root, Options()).context.semantics)


def compare(cases: list[tuple[Path, list[tuple[list[str], str | None]]]]) -> int:
    """Ask the CLI and the script every question; return how many were compared."""
    requests = [
        {"data": data_of(root), "questions": [{"have": h, "outcome": o} for h, o in questions]}
        for root, questions in cases
    ]
    from_script = script_answers(requests)
    compared = 0
    for (root, questions), answers in zip(cases, from_script, strict=True):
        for (have, outcome), answer in zip(questions, answers, strict=True):
            expected = cli_answers(root, have, outcome)
            where = f"{root} --have {','.join(have)} (plan {outcome})"
            assert answer == expected, where
            compared += 1
    return compared


def test_the_script_answers_as_the_cli_on_random_projects_and_states() -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        cases: list[tuple[Path, list[tuple[list[str], str | None]]]] = []

        @settings(
            max_examples=RANDOM_PAIRS // 4,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(project=projects(max_credentials=12, learners=True), draw=st.data())
        def collect(project: Project, draw: st.DataObject) -> None:
            root = Path(tempfile.mkdtemp(dir=base))
            for name, text in project.files().items():
                (root / name).write_text(text, encoding="utf-8")
            ids = [c["id"] for c in project.credentials]
            outcomes = [o["id"] for o in project.outcomes]
            questions = []
            for _ in range(4):
                have = (
                    draw.draw(st.lists(st.sampled_from(ids), max_size=4, unique=True))
                    if ids
                    else []
                )
                questions.append((sorted(have), draw.draw(st.sampled_from(outcomes))))
            cases.append((root, questions))

        collect()
        assert compare(cases) >= RANDOM_PAIRS


@pytest.mark.parametrize("folder", ["data-careers", "cybersecurity"])
def test_the_script_answers_as_the_cli_on_the_shipped_curricula(folder: str) -> None:
    root = ROOT / "curricula" / folder
    sem = check(root, root, Options()).context.semantics
    ids = sorted(sem.catalog.credentials)
    outcomes = sorted(sem.catalog.outcomes)
    chance = random.Random(folder)
    questions: list[tuple[list[str], str | None]] = [([], o) for o in outcomes]
    for _ in range(40):
        have = sorted(chance.sample(ids, chance.randint(1, 6)))
        questions.append((have, chance.choice(outcomes)))
    assert compare([(root, questions)]) == len(questions)


LOOP = """
competencies:
  - {id: k0, title: K0}
  - {id: k1, title: K1}
credentials:
  - {id: c0, title: C0, requires: c2, grants: [k1]}
  - {id: c2, title: C2, requires: c0, grants: [k1]}
  - {id: c3, title: C3, requires: [k1], grants: [k0]}
outcomes:
  - {id: job, title: Job, requires: [k0]}
"""


def test_in_a_loop_each_member_guarantees_the_other_whichever_is_asked_first(
    tmp_path: Path,
) -> None:
    """The script keeps what it worked out across questions: holding c0, then holding c2,
    must each mean holding both (c0 and c2 require each other), as for the CLI."""
    (tmp_path / "catalog.yaml").write_text(LOOP)
    questions: list[tuple[list[str], str | None]] = [(["c0"], "job"), (["c2"], "job")]
    assert compare([(tmp_path, questions), (tmp_path, list(reversed(questions)))]) == 4
    assert cli_answers(tmp_path, ["c2"], "job")["held"] == ["c0", "c2"]


def test_the_script_uses_the_heuristic_as_the_cli_does(tmp_path: Path) -> None:
    """Past 20 candidate credentials the pathway is estimated; the script estimates alike
    (same order of sums, same tie-breaks), and says it is not proven optimal."""
    credentials = []
    for layer in range(4):
        for slot in range(8):
            entry: dict[str, Any] = {
                "id": f"l{layer}-s{slot}",
                "title": f"Layer {layer} slot {slot}",
                "type": "course",
                "workload": {"hours": 10 + (slot * 7 + layer * 3) % 13 + 0.1 * slot},
                "grants": [f"k{slot % 3}@{1 + layer % 3}"],
            }
            if layer:
                entry["requires"] = [
                    {"any": [f"l{layer - 1}-s{slot}", f"l{layer - 1}-s{(slot + 1) % 8}"]},
                    {"choose": 1, "from": [f"k{(slot + layer) % 3}@1", f"k{slot % 3}@1"]},
                ]
            credentials.append(entry)
    outcome = {"any": [f"l3-s{s}" for s in range(8)]}
    data = {
        "competencies": [
            {"id": f"k{i}", "title": f"K{i}", "levels": ["A", "B", "C"]} for i in range(3)
        ],
        "credentials": credentials,
        "outcomes": [
            {"id": "role", "title": "Role", "requires": [outcome, "k1@3"]},
            {
                "id": "wide",
                "title": "Wide",
                "requires": {"choose": 3, "from": [f"l3-s{s}" for s in range(8)]},
            },
        ],
    }
    (tmp_path / "catalog.yaml").write_text(json.dumps(data), encoding="utf-8")
    chance = random.Random(13)
    ids = [c["id"] for c in credentials]
    questions: list[tuple[list[str], str | None]] = [([], "role"), ([], "wide")]
    questions += [
        (sorted(chance.sample(ids, chance.randint(1, 5))), chance.choice(["role", "wide"]))
        for _ in range(30)
    ]
    assert compare([(tmp_path, questions)]) == len(questions)
    plan = json.loads(
        runner.invoke(app, ["plan", "wide", str(tmp_path), "--format", "json"]).output
    )
    assert plan["optimal"] is False
