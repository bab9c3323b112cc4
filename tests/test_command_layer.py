"""One command layer: the same mistake gives the same exit code and message in every command."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import credpath

Project = Callable[..., str]

CLEAN = """\
competencies:
  - {id: sql, title: SQL}
credentials:
  - {id: sql-basics, title: SQL Basics, type: course, grants: [sql]}
outcomes:
  - {id: analyst, title: Analyst, requires: [sql]}
"""

# Each command with the path it reads in place of PATH, and the options after it.
COMMANDS: dict[str, tuple[list[str], list[str]]] = {
    "validate": (["validate"], []),
    "lint": (["lint"], []),
    "plan": (["plan", "analyst"], []),
    "next": (["next"], []),
    "compile": (["compile"], []),
    "render": (["render"], ["-f", "dot"]),
    "metrics": (["metrics"], []),
    "import": (["import", "curricular-analytics"], ["-o", "imported"]),
}
PLAN_CSV = (
    "Curriculum,X\nInstitution,Y\nDegree Type,AS\nSystem Type,semester\nCIP,1\n"
    "Courses,,,,,,,,,\nCourse ID,Course Name,Prefix,Number,Prerequisites,Corequisites,"
    "Strict-Corequisites,Credit Hours,Institution,Canonical Name\n1,A,B,1,,,,3,,\n"
)
"""A one-course Curricular Analytics plan, for import."""
WRITERS = ["validate", "lint", "compile", "render", "metrics", "import"]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_missing_path_is_exit_2_with_one_line(name: str, project: Project) -> None:
    project({"c.yaml": CLEAN})
    before, after = COMMANDS[name]
    run = credpath(*before, "nowhere", *after)
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == "credpath: nowhere: no such file or folder\n"


@pytest.mark.parametrize("name", WRITERS)
def test_an_output_that_cannot_be_written_is_exit_2_with_one_line(
    name: str, project: Project
) -> None:
    project({"c.yaml": CLEAN})
    Path("plan.csv").write_text(PLAN_CSV)
    before, after = COMMANDS[name]
    source = "plan.csv" if name == "import" else "project"
    options = [a for a in after if a not in {"-o", "imported"}]
    run = credpath(*before, source, *options, "-o", "project/c.yaml/out")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr.startswith("credpath: project/c.yaml/out: cannot write: ")
    assert run.stderr.count("\n") == 1


@pytest.mark.parametrize("name", sorted(set(COMMANDS) - {"import", "compile"}))
def test_a_bad_option_value_is_exit_2_naming_the_option(name: str, project: Project) -> None:
    project({"c.yaml": CLEAN})
    before, _ = COMMANDS[name]
    run = credpath(*before, "project", "--format", "nope")
    assert run.exit_code == 2
    assert "Invalid value for '--format'" in run.stderr
    assert "'nope' is not one of" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_an_internal_failure_is_exit_3_with_one_line_asking_for_a_report(
    name: str, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    import credpath.commands as layer

    project({"c.yaml": CLEAN})

    def broken(result: object) -> int:
        raise RuntimeError("it fell over")

    monkeypatch.setattr(layer, "present", broken)
    before, after = COMMANDS[name]
    Path("plan.csv").write_text(PLAN_CSV)
    source = "plan.csv" if name == "import" else "project"
    run = credpath(*before, source, *after)
    assert (run.exit_code, run.stdout) == (3, "")
    assert run.stderr == (
        "credpath: internal error: RuntimeError: it fell over (please report this with the "
        "input that caused it; CREDPATH_TRACEBACK=1 shows where it happened)\n"
    )


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_long_work_shows_its_bar_on_a_terminals_standard_error_and_nowhere_else(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from credpath.commands import progress

    out, err = Terminal(), Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    assert list(progress(iter(range(20)), "Writing files", total=20)) == list(range(20))
    assert "Writing files" in err.getvalue()
    assert out.getvalue() == ""


def test_a_pipe_or_short_work_gets_no_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    from credpath.commands import progress

    piped, terminal = io.StringIO(), Terminal()
    monkeypatch.setattr(sys, "stderr", piped)
    assert list(progress(iter(range(20)), "Writing files", total=20)) == list(range(20))
    monkeypatch.setattr(sys, "stderr", terminal)
    assert list(progress(range(7), "Drawing diagrams")) == list(range(7))
    assert piped.getvalue() == terminal.getvalue() == ""
