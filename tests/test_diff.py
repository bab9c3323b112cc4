"""credpath diff: what a change does to learners, for a pull request."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import FIXTURES, assert_golden, credpath, write_files

Project = Callable[..., str]

BASE: dict[str, str] = {
    "credpath.yaml": "name: Welding\n",
    "competencies.yaml": """\
        competencies:
          - {id: weld, title: Welding, levels: [One, Two]}
          - {id: safety, title: Safety}
    """,
    "credentials.yaml": """\
        credentials:
          - {id: safety-101, title: Safety 101, type: badge, workload: {hours: 10}, grants: [safety]}
          - {id: weld-1, title: Weld 1, type: course, workload: {hours: 40}, requires: [safety], grants: [weld@1]}
          - {id: weld-2, title: Weld 2, type: course, workload: {hours: 60}, requires: [weld@1], grants: [weld@2]}
    """,
    "outcomes.yaml": """\
        outcomes:
          - {id: welder, title: Welder, requires: [weld@2]}
          - {id: helper, title: Helper, requires: [weld@1]}
    """,
}


BASE = {name: text.rstrip(" ") for name, text in BASE.items()}


def _sides(tmp_path: Path, head_changes: dict[str, str]) -> tuple[str, str]:
    write_files(tmp_path / "base", BASE)
    write_files(tmp_path / "head", {**BASE, **head_changes})
    return str(tmp_path / "base"), str(tmp_path / "head")


def _json(*args: str) -> dict[str, object]:
    run = credpath("diff", *args, "--format", "json")
    return json.loads(run.stdout)  # type: ignore[no-any-return]


def test_no_change_is_said_plainly(tmp_path: Path, project: Project) -> None:
    base, head = _sides(tmp_path, {})
    run = credpath("diff", base, head)
    assert (run.exit_code, run.stdout) == (0, "0 findings added, 0 fixed, 0 outcomes changed\n")


def test_moving_entries_between_files_and_reordering_is_no_change(
    tmp_path: Path, project: Project
) -> None:
    moved = {
        "credentials.yaml": """\
            credentials:
              - {id: weld-2, title: Weld 2, type: course, workload: {hours: 60}, requires: [weld@1], grants: [weld@2]}
              - {id: weld-1, title: Weld 1, type: course, workload: {hours: 40}, requires: [safety], grants: [weld@1]}
        """,
        "more/safety.yaml": """\
            # moved to a file of its own
            credentials:
              - {id: safety-101, title: Safety 101, type: badge, workload: {hours: 10}, grants: [safety]}
        """,
    }
    base, head = _sides(tmp_path, moved)
    (Path(head) / "credentials.yaml").write_text((Path(head) / "credentials.yaml").read_text())
    run = credpath("diff", base, head)
    assert run.stdout == "0 findings added, 0 fixed, 0 outcomes changed\n"


def test_a_new_prerequisite_shows_its_cost_per_outcome(tmp_path: Path, project: Project) -> None:
    changed = {
        "credentials.yaml": BASE["credentials.yaml"].replace(
            "requires: [weld@1], grants: [weld@2]",
            "requires: [weld@1, blueprint], grants: [weld@2]",
        )
        + "          - {id: blueprint, title: Blueprint Reading, type: course, workload: {hours: 20}}\n"
    }
    base, head = _sides(tmp_path, changed)
    document = _json(base, head)
    welder = next(o for o in document["outcomes"] if o["id"] == "welder")  # type: ignore[union-attr,index]
    assert welder == {
        "id": "welder",
        "before": {
            "reachable": True,
            "hours": 110.0,
            "stages": 3,
            "credentials": ["safety-101", "weld-1", "weld-2"],
        },
        "after": {
            "reachable": True,
            "hours": 130.0,
            "stages": 3,
            "credentials": ["blueprint", "safety-101", "weld-1", "weld-2"],
        },
        "hours_delta": 20.0,
    }
    assert document["credentials"] == {
        "added": ["blueprint"],
        "removed": [],
        "renamed": [],
        "retired": [],
        "changed": [
            {
                "id": "weld-2",
                "fields": ["requires"],
                "before": {"requires": ["weld@1"]},
                "after": {"requires": ["blueprint", "weld@1"]},
                "leads_before": ["helper", "welder"],
                "leads_after": ["helper", "welder"],
            }
        ],
    }
    run = credpath("diff", base, head)
    assert run.lines == [
        "0 findings added, 0 fixed, 1 outcome changed",
        "Outcomes:",
        "  welder: 3 stages, 110 h, 3 credentials -> 3 stages, 130 h, 4 credentials (+20 h); "
        "+blueprint",
        "Entries:",
        "  credential 'blueprint' added; leads to helper, welder",
        "  credential 'weld-2' changed (requires: +blueprint)",
    ]
    assert run.exit_code == 0


def test_retiring_a_credential_that_strands_an_outcome_fails(
    tmp_path: Path, project: Project
) -> None:
    retired = {
        "credentials.yaml": BASE["credentials.yaml"].replace(
            "{id: weld-1, title: Weld 1, type: course,",
            "{id: weld-1, title: Weld 1, type: course, status: retired,",
        )
    }
    base, head = _sides(tmp_path, retired)
    run = credpath("diff", base, head)
    assert run.exit_code == 1
    assert run.lines[0] == "3 findings added, 0 fixed, 2 outcomes changed, 2 made unreachable"
    assert "  helper: 2 stages, 50 h, 2 credentials -> unreachable  UNREACHABLE NOW" in run.lines
    assert (
        "  credential 'weld-1' retired (status: active -> retired); "
        "no longer leads to helper, welder" in run.lines
    )
    document = _json(base, head)
    added = document["findings"]["added"]  # type: ignore[index]
    assert [(f["rule"], f["line"]) for f in added] == [("dead-end", 2), ("gap", 4), ("gap", 3)]
    assert document["credentials"]["retired"] == ["weld-1"]  # type: ignore[index]


def test_findings_fixed_and_added_are_matched_by_rule_and_subject(
    tmp_path: Path, project: Project
) -> None:
    broken = {
        "outcomes.yaml": BASE["outcomes.yaml"].replace("[weld@1]", "[weld@1, welding-ethics]")
    }
    write_files(tmp_path / "broken", {**BASE, **broken})
    shifted = {
        "outcomes.yaml": "# a comment that moves every line down\n\n"
        + BASE["outcomes.yaml"].replace("[weld@1]", "[weld@1, welding-ethics]")
    }
    write_files(tmp_path / "shifted", {**BASE, **shifted})
    write_files(tmp_path / "fixed", BASE)
    same = credpath("diff", str(tmp_path / "broken"), str(tmp_path / "shifted"))
    assert same.stdout == "0 findings added, 0 fixed, 0 outcomes changed\n"
    fixed = _json(str(tmp_path / "broken"), str(tmp_path / "fixed"))
    assert fixed["findings"] == {  # type: ignore[comparison-overlap]
        "added": [],
        "fixed": [
            {
                "rule": "unknown-reference",
                "severity": "error",
                "message": "unknown id 'welding-ethics'",
                "file": "broken/outcomes.yaml",
                "line": 3,
                "column": 52,
            }
        ],
    }


def test_a_removed_credential_and_competency(tmp_path: Path, project: Project) -> None:
    removed = {
        "competencies.yaml": BASE["competencies.yaml"].replace(
            "          - {id: safety, title: Safety}\n", ""
        ),
        "credentials.yaml": BASE["credentials.yaml"]
        .replace(
            "          - {id: safety-101, title: Safety 101, type: badge, workload: {hours: 10}, grants: [safety]}\n",
            "",
        )
        .replace("requires: [safety], ", ""),
    }
    base, head = _sides(tmp_path, removed)
    document = _json(base, head)
    assert document["credentials"]["removed"] == ["safety-101"]  # type: ignore[index]
    assert document["competencies"]["removed"] == ["safety"]  # type: ignore[index]
    run = credpath("diff", base, head)
    assert "  credential 'safety-101' removed; no longer leads to helper, welder" in run.lines
    assert (
        "  helper: 2 stages, 50 h, 2 credentials -> 1 stage, 40 h, 1 credential (-10 h); "
        "-safety-101" in run.lines
    )
    assert (
        "  welder: 3 stages, 110 h, 3 credentials -> 2 stages, 100 h, 2 credentials (-10 h); "
        "-safety-101" in run.lines
    )
    assert "  credential 'weld-1' changed (requires: -safety)" in run.lines
    assert run.exit_code == 0


def test_competencies_added_removed_and_changed(tmp_path: Path, project: Project) -> None:
    changed = {
        "competencies.yaml": """\
            competencies:
              - {id: weld, title: Welding, levels: [One, Two, Three]}
              - {id: safety, title: Safety}
              - {id: cutting, title: Cutting}
        """
    }
    base, head = _sides(tmp_path, changed)
    assert _json(base, head)["competencies"] == {
        "added": ["cutting"],
        "removed": [],
        "renamed": [],
        "retired": [],
        "changed": [
            {
                "id": "weld",
                "fields": ["levels"],
                "before": {"levels": ["One", "Two"]},
                "after": {"levels": ["One", "Two", "Three"]},
                "leads_before": [],
                "leads_after": [],
            }
        ],
    }
    assert credpath("diff", base, head).lines[-2:] == [
        "  competency 'cutting' added",
        "  competency 'weld' changed (levels: [One, Two] -> [One, Two, Three])",
    ]


def test_a_renamed_id_reads_as_renamed_and_outcomes_say_what_changed(
    tmp_path: Path, project: Project
) -> None:
    tour = "          - {id: weld-tour, title: Weld Tour, type: badge, requires: [weld-1]}\n"
    write_files(tmp_path / "base", {**BASE, "credentials.yaml": BASE["credentials.yaml"] + tour})
    renamed = (BASE["credentials.yaml"] + tour).replace("weld-1", "welding-1")
    write_files(tmp_path / "head", {**BASE, "credentials.yaml": renamed})
    base, head = str(tmp_path / "base"), str(tmp_path / "head")
    run = credpath("diff", base, head)
    assert (run.exit_code, run.lines) == (
        0,
        [
            "0 findings added, 0 fixed, 2 outcomes changed",
            "Outcomes:",
            "  helper: 2 stages, 50 h, 2 credentials -> 2 stages, 50 h, 2 credentials; "
            "weld-1 renamed to welding-1",
            "  welder: 3 stages, 110 h, 3 credentials -> 3 stages, 110 h, 3 credentials; "
            "weld-1 renamed to welding-1",
            "Entries:",
            "  credential 'weld-tour' changed (requires: weld-1 -> welding-1)",
            "  credential 'weld-1' renamed to 'welding-1'",
        ],
    )
    document = _json(base, head)
    assert document["credentials"] == {
        "added": [],
        "removed": [],
        "renamed": [
            {
                "from": "weld-1",
                "to": "welding-1",
                "leads_before": ["helper", "welder"],
                "leads_after": ["helper", "welder"],
            }
        ],
        "retired": [],
        "changed": [
            {
                "id": "weld-tour",
                "fields": ["requires"],
                "before": {"requires": ["weld-1"]},
                "after": {"requires": ["welding-1"]},
                "leads_before": [],
                "leads_after": [],
            }
        ],
    }


def test_an_entry_renamed_and_changed_is_removed_and_added(
    tmp_path: Path, project: Project
) -> None:
    changed = {
        "credentials.yaml": BASE["credentials.yaml"]
        .replace("weld-1", "welding-1")
        .replace("{hours: 40}", "{hours: 45}")
    }
    base, head = _sides(tmp_path, changed)
    run = credpath("diff", base, head)
    assert run.lines[-2:] == [
        "  credential 'weld-1' removed; no longer leads to helper, welder",
        "  credential 'welding-1' added; leads to helper, welder",
    ]


def test_a_changed_entry_says_what_changed_on_its_line(tmp_path: Path, project: Project) -> None:
    changed = {
        "competencies.yaml": BASE["competencies.yaml"].replace("{id: safety,", "{id: safe-work,"),
        "credentials.yaml": BASE["credentials.yaml"]
        .replace("{hours: 10}, grants: [safety]", "{hours: 10, ects: 0.5}, grants: [safe-work]")
        .replace("requires: [safety]", "requires: [safe-work]")
        .replace(
            "workload: {hours: 60}, requires: [weld@1]",
            "status: draft, workload: {hours: 60}, requires: {choose: 1, from: [weld@1, safe-work]}",
        ),
    }
    base, head = _sides(tmp_path, changed)
    run = credpath("diff", base, head)
    assert run.lines[-4:] == [
        "  credential 'safety-101' changed (grants: safety -> safe-work; "
        "workload: 10 h -> 10 h, 0.5 ECTS)",
        "  credential 'weld-1' changed (requires: safety -> safe-work)",
        "  credential 'weld-2' changed (requires: [weld@1] -> "
        "{choose: 1, from: [weld@1, safe-work]}; status: active -> draft)",
        "  competency 'safety' renamed to 'safe-work'",
    ]
    document = _json(base, head)
    assert document["competencies"]["renamed"] == [  # type: ignore[index]
        {"from": "safety", "to": "safe-work", "leads_before": [], "leads_after": []}
    ]
    weld_2 = document["credentials"]["changed"][2]  # type: ignore[index]
    assert (weld_2["before"], weld_2["after"]) == (
        {"requires": ["weld@1"], "status": "active"},
        {"requires": {"choose": "1", "from": ["weld@1", "safe-work"]}, "status": "draft"},
    )


# -- git revisions ------------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    write_files(root / "curricula" / "welding", BASE)
    (root / "README.md").write_text("a repository with a curriculum in it\n")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    monkeypatch.chdir(root)
    return root


def test_git_revision_against_the_work_tree(repo: Path) -> None:
    credentials = repo / "curricula" / "welding" / "credentials.yaml"
    credentials.write_text(credentials.read_text().replace("{hours: 60}", "{hours: 90}"))
    before = sorted(p.name for p in repo.rglob("*") if ".git" not in p.parts)
    run = credpath("diff", "git:main", "curricula/welding")
    assert run.exit_code == 0
    assert run.lines[:3] == [
        "0 findings added, 0 fixed, 1 outcome changed",
        "Outcomes:",
        "  welder: 3 stages, 110 h, 3 credentials -> 3 stages, 140 h, 3 credentials (+30 h)",
    ]
    assert "  credential 'weld-2' changed (workload: 60 h -> 90 h)" in run.lines
    assert sorted(p.name for p in repo.rglob("*") if ".git" not in p.parts) == before
    assert _git(repo, "status", "--porcelain") == "M curricula/welding/credentials.yaml"


def test_two_git_revisions(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outcomes = repo / "curricula" / "welding" / "outcomes.yaml"
    outcomes.write_text(
        outcomes.read_text() + "  - {id: master, title: Master, requires: [weld@3]}\n"
    )
    _git(repo, "commit", "-q", "-am", "an outcome asking for a level welding does not have")
    at_root = credpath("diff", "git:HEAD~1", "git:HEAD")
    assert at_root.exit_code == 2  # the repository root holds a project, it is none itself
    assert "holds the projects curricula/welding" in at_root.stderr
    monkeypatch.chdir(repo / "curricula" / "welding")
    run = credpath("diff", "git:HEAD~1", "git:HEAD")
    assert run.exit_code == 1
    assert run.lines == [
        "1 finding added, 0 fixed, 1 outcome changed",
        "Added findings:",
        "  HEAD:outcomes.yaml:4:44: error: 'weld@3': 'weld' has 2 levels (One, Two); there is no "
        "level 3 [wrong-reference]",
        "Outcomes:",
        "  master: absent -> unreachable",
    ]


def test_a_revision_that_does_not_exist_is_a_usage_error(repo: Path) -> None:
    run = credpath("diff", "git:no-such-branch", "curricula/welding")
    assert (run.exit_code, run.stderr) == (
        2,
        "credpath: git:no-such-branch: not a revision of the repository in the current folder "
        "(git rev-parse: fatal: Needed a single revision)\n",
    )


# -- markdown, as GitHub shows it ----------------------------------------------------------------


def test_markdown_report_of_a_realistic_change(tmp_path: Path, project: Project) -> None:
    changed = {
        "credentials.yaml": BASE["credentials.yaml"].replace("{hours: 60}", "{hours: 80}")
        + "          - {id: welding-tour, title: Welding Tour, type: badge, grants: [safety]}\n",
        "outcomes.yaml": BASE["outcomes.yaml"]
        + "          - id: inspector\n"
        + "            title: 'Inspector *certified* | <script>x</script>'\n"
        + "            requires: [weld@2, inspection]\n",
    }
    base, head = _sides(tmp_path, changed)
    run = credpath("diff", base, head, "--format", "markdown")
    assert run.exit_code == 1
    assert_golden(FIXTURES / "diff" / "realistic.md", run.stdout.replace(str(tmp_path), "TMP"))
