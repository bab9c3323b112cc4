"""`credpath lint`, `rules`, `explain`, and the output options shared with `validate`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import credpath
from credpath.checks.rules import RULES

Project = Callable[..., str]
CURRICULA = Path(__file__).parent.parent / "curricula"

COMPETENCIES = """\
    competencies:
      - {id: sql, title: SQL, levels: [Basic, Advanced]}
    """
OUTCOMES = """\
    outcomes:
      - id: analyst
        title: Analyst
        description: Writes reports.
        requires: [sql@2]
    """
CREDENTIALS = """\
    credentials:
      - id: sql-basics
        title: SQL Basics
        type: course
        provider: Example College
        description: Single-table queries.
        workload: {hours: 50, ects: 2}
        grants: [sql@1]
      - id: sql-advanced
        title: Advanced SQL
        type: course
        provider: Example College
        description: Joins and window functions.
        workload: {hours: 50, ects: 2}
        requires: [sql-basics]
        grants: [sql@2]
    """
NEW_CREDENTIAL = """\
    credentials:
      - id: sql-reporting
        title: SQL Reporting
        type: course
        description: TODO
        workload: {hours: 25, ects: 1}
        requires: [sql-advanced]
        grants: [sql@2]
    """


@pytest.fixture
def clean(project: Project) -> str:
    """A project without findings, except what a test adds."""
    return project(
        {
            "credpath.yaml": "name: Clean\n",
            "competencies.yaml": COMPETENCIES,
            "outcomes.yaml": OUTCOMES,
            "credentials/core.yaml": CREDENTIALS,
        }
    )


def test_a_clean_project_lints_clean(clean: str) -> None:
    run = credpath("lint", clean)
    assert (run.exit_code, run.stdout, run.stderr) == (0, "", "0 errors, 0 warnings in 4 files\n")


def test_lint_runs_validate_checks_too(project: Project) -> None:
    name = project({"outcomes.yaml": OUTCOMES, "competencies.yaml": COMPETENCIES})
    run = credpath("lint", name)
    assert run.rules() == ["gap"]
    assert run.exit_code == 1


def test_warnings_pass_unless_strict(clean: str, tmp_path: Path) -> None:
    (tmp_path / clean / "credentials" / "new.yaml").write_text(
        "credentials:\n  - {id: spare, title: Spare, type: course, requires: [sql-basics]}\n",
        encoding="utf-8",
    )
    assert credpath("lint", clean).exit_code == 0
    assert credpath("lint", clean, "--strict").exit_code == 1
    assert credpath("lint", clean, "--fail-level", "warning").exit_code == 1
    assert credpath("lint", clean, "--fail-level", "error").exit_code == 0


def test_fail_level_info_fails_on_info(clean: str, tmp_path: Path) -> None:
    path = tmp_path / clean / "outcomes.yaml"
    path.write_text(path.read_text().replace("[sql@2]", "[sql@2, sql@1]"), encoding="utf-8")
    run = credpath("lint", clean)
    assert run.rules() == ["redundant-requirement"]
    assert run.exit_code == 0
    assert credpath("lint", clean, "--strict").exit_code == 0
    assert credpath("lint", clean, "--fail-level", "info").exit_code == 1
    assert credpath("validate", clean, "--fail-level", "info").exit_code == 1


def test_quiet_prints_only_what_fails(clean: str, tmp_path: Path) -> None:
    (tmp_path / clean / "credentials" / "new.yaml").write_text(
        "credentials:\n  - {id: spare, title: Spare, type: course, requires: [nothing]}\n",
        encoding="utf-8",
    )
    run = credpath("lint", clean, "--quiet")
    assert run.rules() == ["unknown-reference"]
    assert run.stderr == ""


def test_linting_a_new_file_reports_only_that_file(clean: str, tmp_path: Path) -> None:
    """An author linting their one new file sees nothing from the others, which are
    still loaded: the new file's references resolve against the whole project."""
    root = tmp_path / clean
    (root / "credentials" / "reporting.yaml").write_text(
        NEW_CREDENTIAL.replace("    ", "", 1).replace("\n    ", "\n"), encoding="utf-8"
    )
    # Another file has problems of its own, an error among them.
    (root / "credentials" / "broken.yaml").write_text(
        "credentials:\n  - {id: broken, title: Broken, type: course, requires: [nope]}\n",
        encoding="utf-8",
    )
    run = credpath("lint", f"{clean}/credentials/reporting.yaml")
    assert run.lines == [
        "project/credentials/reporting.yaml:2:9: warning: credential 'sql-reporting' has no "
        "provider: name the institution or organisation that awards it [missing-provider]",
        "project/credentials/reporting.yaml:5:18: warning: placeholder text 'TODO' in the "
        "description of credential 'sql-reporting': replace it with the real text "
        "[placeholder-text]",
    ]
    assert run.exit_code == 0, "the error in broken.yaml does not count"
    assert run.stderr == "0 errors, 2 warnings in 1 file\n"
    assert credpath("lint", clean).exit_code == 1


def test_linting_several_files_of_one_project(clean: str, tmp_path: Path) -> None:
    root = tmp_path / clean
    (root / "a.yaml").write_text("credentials:\n  - {id: a, title: A, type: course}\n")
    (root / "b.yaml").write_text("credentials:\n  - {id: b, title: B, type: course}\n")
    (root / "c.yaml").write_text("credentials:\n  - {id: c, title: C, type: course}\n")
    run = credpath("lint", f"{clean}/a.yaml", f"{clean}/c.yaml")
    assert {line.split(":")[0] for line in run.lines} == {"project/a.yaml", "project/c.yaml"}
    assert run.stderr.endswith(" in 2 files\n")


def test_a_file_in_a_subfolder_finds_its_project(
    clean: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(Path(clean) / "credentials")
    run = credpath("lint", "core.yaml")
    assert (run.exit_code, run.stdout) == (0, "")


def test_a_folder_inside_a_project_means_the_files_below_it(clean: str, tmp_path: Path) -> None:
    root = tmp_path / clean
    (root / "a.yaml").write_text("credentials:\n  - {id: a, title: A, type: course}\n")
    (root / "credentials" / "b.yaml").write_text(
        "credentials:\n  - {id: b, title: B, type: course, requires: [sql-basics]}\n"
    )
    run = credpath("lint", f"{clean}/credentials")
    assert {line.split(":")[0] for line in run.lines} == {"project/credentials/b.yaml"}
    assert run.stderr == "0 errors, 4 warnings in 2 files\n"


def test_a_subproject_is_linted_on_its_own(clean: str, tmp_path: Path) -> None:
    sub = tmp_path / clean / "sub"
    sub.mkdir()
    (sub / "credpath.yaml").write_text("name: Sub\n")
    (sub / "c.yaml").write_text("credentials:\n  - {id: c, title: C, type: course}\n")
    assert credpath("lint", clean).stdout == ""
    run = credpath("lint", f"{clean}/sub")
    assert run.stderr == "0 errors, 4 warnings in 2 files\n"


def test_a_folder_and_a_file_of_the_same_project_mean_the_whole_project(
    clean: str, tmp_path: Path
) -> None:
    (tmp_path / clean / "a.yaml").write_text("credentials:\n  - {id: a, title: A, type: course}\n")
    whole = credpath("lint", clean)
    both = credpath("lint", f"{clean}/credentials/core.yaml", clean)
    assert both.stdout == whole.stdout != ""


def test_a_file_that_is_no_part_of_the_project(clean: str, tmp_path: Path) -> None:
    (tmp_path / clean / "notes.txt").write_text("TODO\n")
    run = credpath("lint", f"{clean}/notes.txt")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == (
        "credpath: project/notes.txt: not a curriculum file: give a .yaml or .yml file, "
        "or a folder\n"
    )


def test_an_excluded_yaml_file_is_named_and_not_reported(project: Project) -> None:
    name = project(
        {
            "credpath.yaml": "exclude: [drafts/]\n",
            "c.yaml": "competencies: [{id: a, title: A}]\n",
            "drafts/d.yaml": "x: [\n",
        }
    )
    run = credpath("lint", f"{name}/drafts/d.yaml")
    assert run.exit_code == 0
    assert run.stderr.startswith(
        "credpath: project/drafts/d.yaml: not a curriculum file of its project (hidden, ignored "
        "or excluded); nothing to report\n"
    )


def test_a_missing_path_is_a_usage_error(project: Project) -> None:
    run = credpath("lint", "nowhere")
    assert run.exit_code == 2
    assert run.stderr == "credpath: nowhere: no such file or folder\n"


def test_a_broken_config_is_a_usage_error(project: Project) -> None:
    name = project({"credpath.yaml": "rules: {no-such-rule: off}\n"})
    run = credpath("lint", name)
    assert run.exit_code == 2
    assert "unknown rule 'no-such-rule'" in run.stderr


@pytest.mark.parametrize("curriculum", sorted(p.name for p in CURRICULA.iterdir() if p.is_dir()))
def test_the_example_curricula_lint_without_errors(
    curriculum: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(CURRICULA)
    run = credpath("lint", curriculum)
    assert run.exit_code == 0
    assert not [line for line in run.lines if ": error: " in line]


# -- output options ------------------------------------------------------------------------


def test_github_actions_get_annotations_by_default(
    clean: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / clean / "a.yaml").write_text("credentials:\n  - {id: a, title: A, type: course}\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert credpath("lint", clean).lines[0].startswith("::warning file=project/a.yaml,line=2,")
    assert credpath("validate", clean).lines[0].startswith("::warning file=project/a.yaml,")
    assert credpath("lint", clean, "--format", "text").lines[0].startswith("project/a.yaml:2:")


def test_output_writes_the_report_to_a_file(clean: str, tmp_path: Path) -> None:
    (tmp_path / clean / "a.yaml").write_text("credentials:\n  - {id: a, title: A, type: course}\n")
    run = credpath("lint", clean, "--format", "sarif", "--output", "report.sarif")
    assert run.stdout == ""
    assert run.stderr == "0 errors, 4 warnings in 5 files\n"
    assert '"version": "2.1.0"' in (tmp_path / "report.sarif").read_text(encoding="utf-8")
    run = credpath("validate", clean, "-o", "report.txt")
    assert (tmp_path / "report.txt").read_text(encoding="utf-8").endswith("[dead-end]\n")


def test_an_unwritable_output_is_a_usage_error(clean: str) -> None:
    run = credpath("validate", clean, "--output", f"{clean}/credpath.yaml/report.xml")
    assert run.exit_code == 2
    assert run.stderr.startswith(f"credpath: {clean}/credpath.yaml/report.xml: cannot write: ")


def test_an_unknown_format_is_a_usage_error(clean: str) -> None:
    assert credpath("lint", clean, "--format", "xml").exit_code == 2


# -- rules and explain ---------------------------------------------------------------------


def test_rules_lists_every_rule_with_its_default() -> None:
    run = credpath("rules")
    assert run.exit_code == 0
    rows = {line.split()[0]: line.split()[1] for line in run.lines}
    assert list(rows) == list(RULES)
    assert rows["gap"] == "error"
    assert rows["eu-microcredential"] == "off"
    assert rows["redundant-requirement"] == "info"
    assert "level-jump             warning         lint            A credential grants" in (
        run.stdout
    )


def test_explain_prints_the_rule_docs() -> None:
    run = credpath("explain", "placeholder-text")
    assert run.exit_code == 0
    assert run.lines[0] == "placeholder-text: warning, runs in lint"
    assert run.lines[2] == "Placeholder text left in a title, description or other free text."
    assert "Failing:" in run.lines
    assert "Passing:" in run.lines
    assert "``" not in run.stdout


def test_explain_takes_the_rule_as_printed_in_brackets() -> None:
    assert credpath("explain", "[gap]").lines[0] == "gap: error, runs in validate, lint"


def test_explain_an_unknown_rule() -> None:
    run = credpath("explain", "dead-ends")
    assert run.exit_code == 2
    assert run.stderr == (
        "credpath: unknown rule 'dead-ends' (did you mean 'dead-end'?); "
        "`credpath rules` lists them\n"
    )
