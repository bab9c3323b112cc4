"""The caches of `validate`: a hit gives the same output; any real change is a miss. The
findings cache answers for unchanged files; the parse cache spares parsing the files an
edit did not touch."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import credpath
from credpath.checks import engine
from credpath.compiler import project as project_module

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
    assert len(list(cached.glob("*.json"))) == 3  # the findings, the parses, the graph's
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


SPLIT = {
    "credpath.yaml": "name: Split\n",
    "competencies.yaml": """\
        competencies:
          - {id: sql, title: SQL}
          - {id: cobol, title: COBOL}
    """,
    "credentials.yaml": """\
        credentials:
          - {id: sql-101, title: SQL 101, type: course, grants: [sql]}
    """,
    "outcomes.yaml": """\
        outcomes:
          - {id: analyst, title: Analyst, requires: [sql]}
    """,
}


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    real = project_module.parse_raw

    def counting(raw: project_module.RawFile) -> object:
        parsed.append(raw.path.name)
        return real(raw)

    monkeypatch.setattr(project_module, "parse_raw", counting)
    return parsed


def test_after_an_edit_only_the_edited_file_is_parsed_and_the_findings_are_all_there(
    project: Project, cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = project(SPLIT)
    parsed = _count_parses(monkeypatch)
    assert credpath("validate", name).rules() == ["orphan-competency"]
    assert sorted(parsed) == ["competencies.yaml", "credentials.yaml", "outcomes.yaml"]
    outcomes = Path(name) / "outcomes.yaml"
    outcomes.write_text(outcomes.read_text().replace("[sql]", "[sql, cobol]"))
    parsed.clear()
    edited = credpath("validate", name)
    assert parsed == ["outcomes.yaml"]
    uncached = credpath("validate", name, "--no-cache")
    assert (edited.stdout, edited.exit_code) == (uncached.stdout, uncached.exit_code)
    assert edited.stdout.splitlines()[0] == (
        f"{name}/outcomes.yaml:2:51: error: 'cobol' is not granted by any credential "
        "(nothing grants 'cobol'); this makes 1 outcome unreachable [gap]"
    )


def test_a_file_that_does_not_parse_is_read_again_each_time(
    project: Project, cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = project({**SPLIT, "broken.yaml": "outcomes: [\n"})
    first = credpath("validate", name)
    assert "yaml-syntax" in first.rules()
    (Path(name) / "credentials.yaml").write_text(
        (Path(name) / "credentials.yaml").read_text() + "# edited\n"
    )
    parsed = _count_parses(monkeypatch)
    again = credpath("validate", name)
    assert sorted(parsed) == ["broken.yaml", "credentials.yaml"]
    assert again.stdout == first.stdout


def test_a_parse_cache_edited_by_hand_is_ignored(
    project: Project, cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = project(SPLIT)
    first = credpath("validate", name)
    (stored,) = cached.glob("parses-*.json")
    stored.write_bytes(stored.read_bytes().replace(b'"analyst"', b'"nobody"'))
    (Path(name) / "credentials.yaml").write_text(
        (Path(name) / "credentials.yaml").read_text() + "# edited\n"
    )
    parsed = _count_parses(monkeypatch)
    again = credpath("validate", name)
    assert sorted(parsed) == ["competencies.yaml", "credentials.yaml", "outcomes.yaml"]
    assert again.stdout == first.stdout
