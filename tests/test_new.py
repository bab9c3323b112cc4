"""`credpath new`: a template entry appended as text, comments and layout kept."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from conftest import credpath
from credpath.editor.new import NewError, add_entry

Project = Callable[..., str]

CREDENTIAL_TEMPLATE = """\
  - id: sql-basics
    title: TODO title of sql-basics
    type: micro-credential  # or course, badge, certificate, certification, degree, ...
    status: draft  # active once it is published
    provider: TODO provider
    description: TODO what a learner can do after earning it
    # url: https://...
    # workload: {hours: 50, ects: 2}
    # eqf: 4
    # assessment: how learning is assessed
    # participation: online  # online | in-person | blended
    # quality_assurance: who assures its quality
    requires: []  # what a learner must hold first, e.g. [sql-foundations, python@1]
    grants: []  # the competencies it certifies, e.g. [sql@1]
"""


def test_new_creates_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = credpath("new", "credential", "sql-basics")
    assert run.exit_code == 0
    assert run.stdout == (
        "credentials.yaml:2: added credential 'sql-basics'; fill in its TODOs, "
        "then run `credpath lint credentials.yaml`\n"
    )
    assert (tmp_path / "credentials.yaml").read_text() == "credentials:\n" + CREDENTIAL_TEMPLATE


def test_default_files_per_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert credpath("new", "competency", "sql").exit_code == 0
    assert credpath("new", "outcome", "analyst").exit_code == 0
    assert (tmp_path / "competencies.yaml").read_text().startswith("competencies:\n  - id: sql\n")
    assert (tmp_path / "outcomes.yaml").read_text().startswith("outcomes:\n  - id: analyst\n")


def test_templates_are_valid_and_lint_flags_them_until_filled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for kind, entry_id in [("competency", "sql"), ("credential", "sql-basics")]:
        assert credpath("new", kind, entry_id, "--file", "curriculum.yaml").exit_code == 0
    assert credpath("new", "outcome", "analyst", "--file", "curriculum.yaml").exit_code == 0
    validate = credpath("validate", "curriculum.yaml")
    assert validate.exit_code == 0
    assert ": error: " not in validate.stdout
    lint = credpath("lint", "curriculum.yaml")
    placeholders = [line for line in lint.lines if line.endswith("[placeholder-text]")]
    assert len(placeholders) == 7  # 2 per competency and outcome, 3 per credential
    path = tmp_path / "curriculum.yaml"
    text = path.read_text().replace("TODO title of ", "Title of ").replace("TODO ", "Some ")
    path.write_text(text)
    assert "[placeholder-text]" not in credpath("lint", "curriculum.yaml").stdout


def test_appending_keeps_the_file_and_goes_under_the_right_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    before = (
        "# Core data credentials.\n"
        "credentials:\n"
        "  - id: sql-foundations   # the entry point\n"
        "    title: SQL Foundations\n"
        "    type: course\n"
        "\n"
        "  - id: sql-advanced\n"
        "    title: Advanced SQL\n"
        "    type: course\n"
        "    description: >-\n"
        "      Joins and\n"
        "      window functions.\n"
        "\n"
        "# Outcomes follow.\n"
        "outcomes:\n"
        "  - {id: analyst, title: Analyst, requires: [sql-foundations]}\n"
    )
    (tmp_path / "data.yaml").write_text(before)
    run = credpath("new", "credential", "sql-basics", "--file", "data.yaml")
    assert run.stdout.startswith("data.yaml:14: added credential 'sql-basics'"), run.stdout
    after = (tmp_path / "data.yaml").read_text()
    split = before.index("\n# Outcomes follow.")
    assert after == before[:split] + "\n" + CREDENTIAL_TEMPLATE + before[split:]
    document = yaml.safe_load(after)
    assert [c["id"] for c in document["credentials"]] == [
        "sql-foundations",
        "sql-advanced",
        "sql-basics",
    ]
    assert len(document["outcomes"]) == 1


def test_a_list_written_at_column_zero() -> None:
    text = "outcomes:\n- id: a\n  title: A\n  requires: [x]\n"
    updated, line = add_entry(text, "outcome", "b")
    assert updated == text + (
        "- id: b\n"
        "  title: TODO title of b\n"
        "  description: TODO the role and what it involves\n"
        "  requires: []  # what the job needs, e.g. [sql@2, data-visualisation@1]\n"
    )
    assert line == 5


def test_a_key_without_entries_yet() -> None:
    text = "competencies:  # to do\npathways: []\n"
    updated, line = add_entry(text, "competency", "sql")
    assert updated.startswith("competencies:  # to do\n  - id: sql\n    title: TODO title of sql\n")
    assert updated.endswith("pathways: []\n")
    assert line == 2


def test_a_file_without_the_key_gets_it_at_the_end() -> None:
    text = "# Job outcomes.\noutcomes:\n  - {id: a, title: A, requires: [x]}"
    updated, line = add_entry(text, "competency", "x")
    assert updated.startswith(text + "\n\ncompetencies:\n  - id: x\n")
    assert line == 6


def test_the_last_document_of_several() -> None:
    text = "credentials:\n  - {id: a, title: A, type: course}\n---\noutcomes: []\n"
    updated, line = add_entry(text, "credential", "b")
    documents = list(yaml.safe_load_all(updated))
    assert [c["id"] for c in documents[1]["credentials"]] == ["b"]
    assert line == 7


def test_windows_line_endings_are_kept() -> None:
    text = "credentials:\r\n  - {id: a, title: A, type: course}\r\n"
    updated, _ = add_entry(text, "credential", "b")
    assert updated.startswith(text)
    assert "\n" not in updated.replace("\r\n", "")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("credentials: [{id: a, title: A, type: course}]\n", "written as a flow list"),
        ("credentials: [\n", "fix the file before adding to it"),
        ("- a\n- b\n", "not a mapping"),
        ("credentials: nothing\n", "is not a list"),
    ],
)
def test_files_it_will_not_touch(text: str, message: str) -> None:
    with pytest.raises(NewError, match=message):
        add_entry(text, "credential", "b")


def test_a_refused_file_is_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "c.yaml").write_text("credentials: [{id: a, title: A, type: course}]\n")
    run = credpath("new", "credential", "b", "--file", "c.yaml")
    assert run.exit_code == 2
    assert run.stderr.startswith("credpath: c.yaml: 'credentials' is written as a flow list")
    assert (tmp_path / "c.yaml").read_text() == "credentials: [{id: a, title: A, type: course}]\n"


def test_an_id_already_used_in_the_project(project: Project, tmp_path: Path) -> None:
    name = project(
        {
            "credpath.yaml": "name: P\n",
            "competencies.yaml": "competencies:\n  - {id: sql, title: SQL}\n",
        }
    )
    (tmp_path / name / "credentials").mkdir()
    run = credpath("new", "credential", "sql", "--file", f"{name}/credentials/new.yaml")
    assert run.exit_code == 2
    assert run.stderr == "credpath: id 'sql' is already used at project/competencies.yaml:2:10\n"
    assert not (tmp_path / name / "credentials" / "new.yaml").exists()


def test_an_invalid_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = credpath("new", "credential", "SQL Basics")
    assert run.exit_code == 2
    assert run.stderr.startswith("credpath: 'SQL Basics' is not a valid id")


def test_a_missing_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = credpath("new", "credential", "a", "--file", "nowhere/c.yaml")
    assert (run.exit_code, run.stderr) == (2, "credpath: nowhere: no such folder\n")


def test_a_symlinked_file_is_refused_and_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cloned project whose credentials.yaml links to a file outside it (an editor's token
    file): adding to it would replace the link with a copy of that file, ready to commit."""
    token = tmp_path / "token"
    token.write_text("github_token: ghp_secret\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "credentials.yaml").symlink_to(token)
    monkeypatch.chdir(project)
    run = credpath("new", "credential", "x")
    assert (run.exit_code, run.stderr) == (
        2,
        "credpath: credentials.yaml: is a symbolic link; credpath new adds only to a regular "
        "file, never through a link: give the file it points at with --file if you mean it\n",
    )
    assert (project / "credentials.yaml").is_symlink()
    assert token.read_text() == "github_token: ghp_secret\n"
    assert sorted(p.name for p in project.iterdir()) == ["credentials.yaml"]


@pytest.mark.timeout(30)
def test_a_file_that_is_not_regular_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A FIFO would block the read for ever: only a regular file is read."""
    monkeypatch.chdir(tmp_path)
    os.mkfifo("credentials.yaml")
    run = credpath("new", "credential", "x")
    assert (run.exit_code, run.stderr) == (
        2,
        "credpath: credentials.yaml: not a regular file (a FIFO, device or socket): it is "
        "not read\n",
    )
