"""`credpath validate` through the command line: exit codes, output formats, the summary.

FORMAT.md section 5: one compiler-style line per finding, sorted by file, line and
column; exit 0 when nothing fails, 1 when something does, 2 for a usage or
configuration problem, 3 (one line, no traceback) for an internal failure.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import credpath
from credpath import __version__

Project = Callable[..., str]

CURRICULA = Path(__file__).parent.parent / "curricula"

CLEAN = """\
competencies:
  - id: sql
    title: SQL querying
    levels: [Foundational, Intermediate, Advanced]
credentials:
  - id: sql-foundations
    title: SQL Foundations
    type: micro-credential
    grants: [sql@1]
outcomes:
  - id: junior-analyst
    title: Junior Analyst
    requires: [sql@1]
"""

WARNING_ONLY = """\
credentials:
  - id: excel-tips
    title: Excel Tips
    type: badge
"""
"""A dead-end: a warning, next to CLEAN."""

INFO_ONLY = """\
outcomes:
  - id: data-analyst
    title: Data Analyst
    requires: [sql-foundations, sql@1]
"""
"""A redundant requirement: an info finding, next to CLEAN."""

ERRORS = """\
outcomes:
  - id: data-engineer
    title: Data Engineer
    requires: [sql@3, sequel]
"""
"""A gap and an unknown reference, next to CLEAN: the outcome follows from both, so it is
folded into neither (fixing one leaves the other)."""


# -- exit codes ----------------------------------------------------------------------


def test_a_clean_project_exits_0_and_prints_only_the_summary(project: Project) -> None:
    run = credpath("validate", project({"sql.yaml": CLEAN}))
    assert run.exit_code == 0
    assert run.stdout == ""
    assert run.stderr == "0 errors, 0 warnings in 1 file\n"


def test_errors_exit_1(project: Project) -> None:
    run = credpath("validate", project({"sql.yaml": CLEAN, "more.yaml": ERRORS}))
    assert run.exit_code == 1
    assert run.rules() == ["unreachable-outcome", "gap", "unknown-reference"]


def test_warnings_alone_exit_0_but_1_with_strict(project: Project) -> None:
    name = project({"sql.yaml": CLEAN, "more.yaml": WARNING_ONLY})
    assert credpath("validate", name).exit_code == 0
    strict = credpath("validate", "--strict", name)
    assert strict.exit_code == 1
    assert strict.rules() == ["dead-end"]


def test_info_findings_never_fail_even_with_strict(project: Project) -> None:
    name = project({"sql.yaml": CLEAN, "more.yaml": INFO_ONLY})
    run = credpath("validate", "--strict", name)
    assert run.rules() == ["redundant-requirement"]
    assert run.exit_code == 0
    assert run.stderr == "0 errors, 0 warnings, 1 info in 2 files\n"


def test_a_missing_path_exits_2(project: Project) -> None:
    project({"sql.yaml": CLEAN})
    run = credpath("validate", "no-such-folder")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == "credpath: no-such-folder: no such file or folder\n"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            "rules: [\n",
            "project/credpath.yaml:1:8: error: the '[' opened here is not closed: end it "
            "with ']', and separate its items with ',' [yaml-syntax]",
        ),
        (
            "name: Data\nrulez:\n  dead-end: error\n",
            "project/credpath.yaml:2:1: unknown key 'rulez' (did you mean 'rules'?)",
        ),
        (
            "rules:\n  dead-end: eror\n",
            "project/credpath.yaml:2:13: 'dead-end': input should be 'error', 'warning', "
            "'info' or 'off', got 'eror'",
        ),
        (
            "name: Data\n---\nname: More data\n",
            "project/credpath.yaml:3:1: credpath.yaml holds one YAML document, not several",
        ),
        ("- name\n", "project/credpath.yaml:1:1: credpath.yaml must be a mapping of settings"),
    ],
    ids=["yaml-syntax", "unknown-key", "bad-severity", "two-documents", "a-list"],
)
def test_a_broken_credpath_yaml_exits_2_naming_file_line_and_column(
    project: Project, config: str, message: str
) -> None:
    run = credpath("validate", project({"credpath.yaml": config, "sql.yaml": CLEAN}))
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == f"credpath: {message}\n"


# -- what is printed ---------------------------------------------------------------------


def test_the_summary_counts_errors_warnings_and_files(project: Project) -> None:
    name = project(
        {
            "credpath.yaml": "name: Data\n",
            "sql.yaml": """\
                competencies:
                  - {id: sql, title: SQL querying, levels: [Basic, Fluent, Expert]}
                credentials:
                  - {id: sql-basics, title: SQL Basics, type: course, grants: [sql@1]}
                  - {id: excel-tips, title: Excel Tips, type: badge, url: "ftp://x.org/e"}
                outcomes:
                  - {id: analyst, title: Analyst, requires: [sql@1]}
                  - {id: engineer, title: Engineer, requires: [sql@3]}
            """,
        }
    )
    run = credpath("validate", name)
    assert run.rules() == ["dead-end", "schema", "gap"]
    assert run.stderr == "2 errors, 1 warning in 2 files\n"


def test_the_summary_speaks_in_singular_for_one(project: Project) -> None:
    broken = CLEAN.replace("    grants: [sql@1]\n", "    grants: [sql@1]\n    eqf: 9\n")
    run = credpath("validate", project({"sql.yaml": broken, "more.yaml": WARNING_ONLY}))
    assert run.stderr == "1 error, 1 warning in 2 files\n"


def test_one_line_per_finding_sorted_by_file_line_and_column(project: Project) -> None:
    many_lines = "competencies:\n" + "".join(
        f"  - {{id: skill-{i}, title: Skill {i}}}\n" for i in range(12)
    )
    name = project(
        {
            "b.yaml": many_lines,
            "a/z.yaml": "outcomes:\n  - {id: o1, title: O1, requires: [nope, skill-1, nix]}\n",
            "a.yaml": "outcomes:\n  - {id: o2, title: O2, requires: [skill-2]}\n",
        }
    )
    run = credpath("validate", name)
    places = [tuple(line.split(":")[:3]) for line in run.lines]
    keyed = [(path, int(line), int(column)) for path, line, column in places]
    assert keyed == sorted(keyed)
    assert [path for path, _, _ in keyed][:1] == ["project/a.yaml"]
    assert ("project/b.yaml", 10, 10) in keyed
    assert ("project/b.yaml", 13, 10) in keyed  # line 13 after line 10, as numbers
    assert ("project/a/z.yaml", 2, 36) in keyed
    assert ("project/a/z.yaml", 2, 51) in keyed


def test_paths_are_relative_to_where_credpath_runs(
    project: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    project({"sql.yaml": CLEAN, "more.yaml": WARNING_ONLY})
    monkeypatch.chdir(tmp_path / "project")
    assert credpath("validate").lines[0].startswith("more.yaml:2:9: warning: ")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert (
        credpath("validate", "../project")
        .lines[0]
        .startswith("../project/more.yaml:2:9: warning: ")
    )


def test_quiet_prints_only_failing_findings_and_no_summary(project: Project) -> None:
    name = project(
        {"sql.yaml": CLEAN, "more.yaml": ERRORS, "tips.yaml": WARNING_ONLY, "x.yaml": INFO_ONLY}
    )
    everything = credpath("validate", name)
    assert sorted(set(everything.rules())) == [
        "dead-end",
        "gap",
        "redundant-requirement",
        "unknown-reference",
        "unreachable-outcome",
    ]
    quiet = credpath("validate", "--quiet", name)
    assert quiet.lines == [line for line in everything.lines if ": error: " in line]
    assert quiet.stderr == ""
    assert quiet.exit_code == 1
    strict = credpath("validate", "--quiet", "--strict", name)
    assert strict.lines == [line for line in everything.lines if ": info: " not in line]
    assert strict.stderr == ""


def test_quiet_on_a_clean_project_prints_nothing(project: Project) -> None:
    run = credpath("validate", "-q", project({"sql.yaml": CLEAN}))
    assert (run.stdout, run.stderr, run.exit_code) == ("", "", 0)


def test_json_carries_the_same_findings_as_text(project: Project) -> None:
    name = project({"sql.yaml": CLEAN, "more.yaml": ERRORS, "tips.yaml": WARNING_ONLY})
    text = credpath("validate", name)
    run = credpath("validate", "--format", "json", name)
    assert run.exit_code == 1
    document = json.loads(run.stdout)
    findings = document["diagnostics"]
    assert [
        f"{d['path']}:{d['line']}:{d['column']}: {d['severity']}: {d['message']} [{d['rule']}]"
        for d in findings
    ] == text.lines
    gap = next(d for d in findings if d["rule"] == "gap")
    assert gap["path"] == "project/more.yaml"
    assert (gap["line"], gap["column"]) == (4, 16)
    assert (gap["end_line"], gap["end_column"]) == (4, 21)
    assert gap["severity"] == "error"
    assert gap["message"] == (
        "'sql@3' is not granted by any credential (highest granted: sql@1 by 'sql-foundations'); "
        "this makes 1 outcome unreachable"
    )
    assert {d["severity"] for d in findings} == {"error", "warning"}


def test_the_same_input_gives_byte_identical_output(project: Project) -> None:
    name = project({"sql.yaml": CLEAN, "more.yaml": ERRORS, "tips.yaml": WARNING_ONLY})
    first = credpath("validate", "--format", "json", name)
    second = credpath("validate", "--format", "json", name)
    assert first.stdout.encode() == second.stdout.encode()
    assert credpath("validate", name).stdout == credpath("validate", name).stdout


def test_version() -> None:
    run = credpath("--version")
    assert (run.stdout, run.exit_code) == (f"credpath {__version__}\n", 0)


def test_an_internal_failure_prints_one_line_and_exits_3(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import credpath.checks.engine
    import credpath.cli

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the graph fell over")

    name = project({"sql.yaml": CLEAN})
    monkeypatch.setattr(credpath.checks.engine, "check", broken)
    monkeypatch.setattr(sys, "argv", ["credpath", "validate", name])
    with pytest.raises(SystemExit) as exit_:
        credpath.cli.main()
    assert exit_.value.code == 3
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "credpath: internal error: RuntimeError: the graph fell over "
        "(please report this with the input that caused it; CREDPATH_TRACEBACK=1 shows "
        "where it happened)"
    ]
    assert "Traceback" not in err


@pytest.mark.parametrize("where", ["a command", "typer itself"])
def test_credpath_traceback_gives_the_exception_for_a_bug_report(
    where: str, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    import credpath.checks.engine
    import credpath.cli
    import credpath.commands

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the graph fell over")

    name = project({"sql.yaml": CLEAN})
    if where == "a command":
        monkeypatch.setattr(credpath.checks.engine, "check", broken)
    else:
        monkeypatch.setattr(credpath.cli, "app", broken)
    monkeypatch.setattr(sys, "argv", ["credpath", "validate", name])
    monkeypatch.setenv("CREDPATH_TRACEBACK", "1")
    with pytest.raises(RuntimeError, match=r"^the graph fell over$"):
        credpath.cli.main()
    monkeypatch.setenv("CREDPATH_TRACEBACK", "0")
    with pytest.raises(SystemExit) as exit_:
        credpath.cli.main()
    assert exit_.value.code == credpath.commands.ExitStatus.INTERNAL == 3


def test_main_exits_with_the_command_exit_code(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import credpath.cli

    name = project({"sql.yaml": CLEAN, "more.yaml": ERRORS})
    monkeypatch.setattr(sys, "argv", ["credpath", "validate", "--quiet", name])
    with pytest.raises(SystemExit) as exit_:
        credpath.cli.main()
    assert exit_.value.code == 1
    assert len(capsys.readouterr().out.splitlines()) == 3


# -- the example curricula ---------------------------------------------------------------


@pytest.mark.parametrize(
    "folder",
    sorted(p.name for p in CURRICULA.iterdir() if p.is_dir()) if CURRICULA.is_dir() else [],
)
def test_every_example_curriculum_validates_without_findings(
    folder: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(CURRICULA)
    run = credpath("validate", "--strict", folder)
    assert run.stdout == ""
    assert run.stderr.startswith("0 errors, 0 warnings in ")
    assert run.exit_code == 0


def test_a_relative_file_in_a_subfolder_finds_the_project_above_it(
    project: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    project(
        {
            "credpath.yaml": "name: Nested\n",
            "competencies.yaml": "competencies:\n  - {id: sql, title: SQL}\n",
            "credentials/core.yaml": (
                "credentials:\n  - {id: sql-101, title: SQL 101, type: course, grants: [sql]}\n"
                "outcomes:\n  - {id: analyst, title: Analyst, requires: [sql]}\n"
            ),
        }
    )
    monkeypatch.chdir(tmp_path / "project" / "credentials")
    by_file = credpath("validate", "core.yaml")
    assert (by_file.stdout, by_file.exit_code) == ("", 0)
    assert by_file.stderr == "0 errors, 0 warnings in 3 files\n"
    by_folder = credpath("validate", ".")
    assert (by_folder.stdout, by_folder.exit_code) == ("", 0)


def test_a_folder_of_projects_is_a_usage_error_naming_them(
    project: Project, tmp_path: Path
) -> None:
    project({"credpath.yaml": "", "a.yaml": ""}, name="all/one")
    project({"credpath.yaml": "", "a.yaml": ""}, name="all/two")
    run = credpath("validate", "all")
    assert run.exit_code == 2
    assert run.stderr == (
        "credpath: all: no curriculum files of its own, but it holds the projects "
        "all/one, all/two: run credpath on each\n"
    )
