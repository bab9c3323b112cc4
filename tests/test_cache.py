"""The findings cache of `validate`: a hit gives the same output; any real change is a miss."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import credpath
from credpath import engine
from credpath import project as project_module

Project = Callable[..., str]

FILES = {
    "credpath.yaml": "name: Cached\nexclude: ['drafts/**']\n",
    "catalog.yaml": """\
        competencies:
          - {id: sql, title: SQL}
          - {id: cobol, title: COBOL}
        credentials:
          - {id: sql-101, title: SQL 101, type: course, grants: [sql]}
        outcomes:
          - {id: analyst, title: Analyst, requires: [sql]}
    """,
}


@pytest.fixture
def cached(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv("CREDPATH_NO_CACHE", raising=False)
    folder = tmp_path / "cache"
    monkeypatch.setenv("CREDPATH_CACHE_DIR", str(folder))
    return folder


def _forbid_checking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parsing a file or running a rule now fails the command (exit 3, "checked again")."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the project was checked again")

    monkeypatch.setattr(engine.Result, "_run_rules", refuse)
    monkeypatch.setattr(project_module.Project, "parse", refuse)


def test_a_rerun_on_unchanged_files_is_served_from_the_cache(
    project: Project, cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = project(FILES)
    first = credpath("validate", name)
    assert first.rules() == ["orphan-competency"]
    assert len(list(cached.glob("*.json"))) == 1
    os.utime(Path(name) / "catalog.yaml")  # touched: a new mtime, the same bytes
    _forbid_checking(monkeypatch)
    again = credpath("validate", name)
    assert (again.stdout, again.stderr, again.exit_code) == (
        first.stdout,
        first.stderr,
        first.exit_code,
    )


def test_a_changed_file_or_option_is_checked_again(project: Project, cached: Path) -> None:
    name = project(FILES)
    assert credpath("validate", name).rules() == ["orphan-competency"]
    catalog = Path(name) / "catalog.yaml"
    catalog.write_text(catalog.read_text().replace("requires: [sql]", "requires: [sql, cobol]"))
    changed = credpath("validate", name)
    assert changed.rules() == ["gap"]
    assert changed.exit_code == 1
    (Path(name) / "extra.yaml").write_text("outcomes: [\n")
    assert "yaml-syntax" in credpath("validate", name).rules()
    (Path(name) / "drafts").mkdir()
    (Path(name) / "drafts" / "skipped.yaml").write_text("outcomes: [\n")
    assert credpath("validate", name).rules().count("yaml-syntax") == 1


def test_no_cache_checks_for_real(
    project: Project, cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = project(FILES)
    credpath("validate", name)
    _forbid_checking(monkeypatch)
    run = credpath("validate", name, "--no-cache")
    assert run.exit_code == 3
    assert "the project was checked again" in run.stderr


def test_a_corrupt_cache_file_is_ignored(project: Project, cached: Path) -> None:
    name = project(FILES)
    first = credpath("validate", name)
    for entry in cached.glob("*.json"):
        entry.write_text("{not json")
    assert credpath("validate", name).stdout == first.stdout
