"""Right answers or a clear error, and nothing lost: the cases a new user hit (issue 11).

Each test reproduces one reported case exactly, through the CLI, and asserts what
the user sees: the lines, the exit code, the files left on disk.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import credpath

Project = Callable[..., str]

# -- 1. a held credential proves its requirements ------------------------------------------

HELD = """\
competencies:
  - {id: c, title: C}
  - {id: x, title: X}
  - {id: a, title: A, levels: [One, Two]}
credentials:
  - {id: c1, title: C1, type: course, workload: {hours: 10}, grants: [c]}
  - {id: xx, title: XX, type: course, workload: {hours: 20}, requires: [c], grants: [x]}
  - {id: a1, title: A1, type: course, workload: {hours: 5}, grants: [a@1]}
  - {id: a2, title: A2, type: course, workload: {hours: 5}, grants: [a@2]}
  - {id: x-more, title: X more, type: course, requires: {any: [c1, xx]}, grants: [x]}
outcomes:
  - {id: job, title: Job, requires: [x, c]}
  - {id: senior, title: Senior, requires: [x, a@2]}
"""


def test_holding_a_credential_means_holding_what_it_required(project: Project) -> None:
    name = project({"c.yaml": HELD})
    run = credpath("plan", "job", name, "--have", "xx")
    assert (run.exit_code, run.stdout) == (0, "Job (job) is already met: nothing left to earn.\n")


def test_the_state_json_echoes_what_the_held_credential_implies(project: Project) -> None:
    name = project({"c.yaml": HELD})
    run = credpath("plan", "job", name, "--have", "xx", "--format", "json")
    document = json.loads(run.stdout)
    assert document["have"] == {"credentials": ["xx"], "competencies": {"c": 1, "x": 1}}
    assert (document["met"], document["stages"]) == (True, [])


def test_any_implies_nothing_that_have_does_not_name(project: Project) -> None:
    name = project({"c.yaml": HELD})
    run = credpath("plan", "job", name, "--have", "x-more", "--format", "json")
    document = json.loads(run.stdout)
    assert document["have"] == {"credentials": ["x-more"], "competencies": {"x": 1}}
    assert [[c["id"] for c in s["credentials"]] for s in document["stages"]] == [["c1"]]


def test_next_offers_no_door_that_adds_nothing(project: Project) -> None:
    name = project({"c.yaml": HELD})
    run = credpath("next", name, "--have", "a2", "--format", "json")
    doors = [door["id"] for door in json.loads(run.stdout)["next"]]
    assert "a1" not in doors
    assert doors == ["c1"]


# -- 2 and 3. one root cause, one finding ---------------------------------------------------

LADDER = """\
competencies:
  - {id: weld, title: Welding, levels: [One, Two, Three]}
credentials:
  - {id: weld-1, title: Weld 1, type: course, status: retired, grants: [weld@1]}
  - {id: weld-2, title: Weld 2, type: course, requires: [weld@1], grants: [weld@2]}
  - {id: weld-3, title: Weld 3, type: course, requires: [weld@2], grants: [weld@3]}
  - {id: weld-cert, title: Weld certificate, type: certificate, requires: [weld-3]}
outcomes:
  - {id: welder, title: Welder, requires: [weld-cert]}
"""


def test_a_retired_first_rung_is_one_gap_that_names_what_it_blocks(project: Project) -> None:
    run = credpath("validate", project({"c.yaml": LADDER}))
    assert run.lines == [
        "project/c.yaml:5:58: error: 'weld@1' is not granted by any credential a learner can "
        "earn without it (granted only by 'weld-2', 'weld-3', which need it first; 'weld-1', "
        "not earnable, grants it): add a credential that grants it without requiring it, or "
        "lower the requirement; this makes 3 credentials and 1 outcome unreachable [gap]"
    ]
    assert run.exit_code == 1
    assert "waits on itself" not in run.stdout


def test_a_deleted_first_rung_is_the_same_one_gap(project: Project) -> None:
    deleted = "\n".join(line for line in LADDER.splitlines() if "weld-1," not in line) + "\n"
    run = credpath("validate", project({"c.yaml": deleted}))
    assert run.rules() == ["gap"]
    assert run.lines[0].endswith("this makes 3 credentials and 1 outcome unreachable [gap]")


def test_a_typo_in_grants_is_one_finding(project: Project) -> None:
    text = """\
        competencies:
          - {id: sql, title: SQL}
        credentials:
          - {id: s1, title: S1, type: course, grants: [sqll]}
          - {id: s2, title: S2, type: course, requires: [sql]}
        outcomes:
          - {id: job, title: Job, requires: [s2]}
    """
    run = credpath("validate", project({"c.yaml": text}))
    assert run.lines == [
        "project/c.yaml:4:48: error: unknown competency 'sqll' (did you mean 'sql'?); this "
        "makes 1 credential and 1 outcome unreachable [unknown-reference]"
    ]


def test_an_id_used_twice_is_one_finding(project: Project) -> None:
    text = """\
        competencies:
          - {id: sql, title: SQL}
        credentials:
          - {id: sql, title: S1, type: course, grants: [sql]}
          - {id: s2, title: S2, type: course, requires: [sql]}
        outcomes:
          - {id: job, title: Job, requires: [s2]}
    """
    run = credpath("validate", project({"c.yaml": text}))
    assert run.lines == [
        "project/c.yaml:4:10: error: duplicate id 'sql': already defined at project/c.yaml:2:10; "
        "this credential is left out until it has an id of its own; this makes 1 credential "
        "and 1 outcome unreachable [duplicate-id]"
    ]


def test_a_missing_stages_on_a_duplicate_is_reported_at_each_entry(project: Project) -> None:
    """Giving the second 'p' an id of its own leaves it without stages: its schema error
    is not folded into the duplicate id (issue 33: fixing a root must make what it
    absorbs go away)."""
    text = """\
        competencies:
          - {id: sql, title: SQL}
        credentials:
          - {id: s1, title: S1, type: course, grants: [sql]}
        outcomes:
          - {id: job, title: Job, requires: [sql]}
        pathways:
          - {id: p, title: P, outcome: job}
          - {id: p, title: P, outcome: job}
    """
    run = credpath("validate", project({"c.yaml": text}))
    assert run.lines == [
        "project/c.yaml:8:10: error: missing required field 'stages' [schema]",
        "project/c.yaml:9:10: error: duplicate id 'p': already defined at project/c.yaml:8:10; "
        "this pathway is left out until it has an id of its own [duplicate-id]",
        "project/c.yaml:9:10: error: missing required field 'stages' [schema]",
    ]


def test_a_suppressed_root_lets_its_consequences_show(project: Project) -> None:
    text = LADDER.replace("requires: [weld@1], grants", "requires: [weld@1], grants").replace(
        "  - {id: weld-2,",
        "  # credpath: disable=gap\n  - {id: weld-2,",
    )
    run = credpath("validate", project({"c.yaml": text}))
    assert "gap" not in run.rules()
    assert "unreachable-outcome" in run.rules()


# -- 4. level-jump and redundant-requirement agree -----------------------------------------


def test_fixing_a_redundant_requirement_does_not_raise_a_level_jump(project: Project) -> None:
    text = """\
        competencies:
          - {id: sql, title: SQL, levels: [One, Two, Three]}
          - {id: review, title: Review}
        credentials:
          - {id: s1, title: S1, type: course, grants: [sql@1]}
          - {id: s2, title: S2, type: course, requires: [s1], grants: [sql@2]}
          - {id: rev, title: Rev, type: course, requires: [sql@2], grants: [review]}
          - {id: s3, title: S3, type: course, requires: [rev], grants: [sql@3]}
        outcomes:
          - {id: job, title: Job, requires: [sql@3, review]}
    """
    run = credpath("lint", project({"c.yaml": text}))
    assert "level-jump" not in run.rules()
    assert "redundant-requirement" not in run.rules()


@pytest.mark.parametrize(
    ("late", "fix"),
    [
        # the only sql@1 comes in a later round, without needing s2: require it
        ("requires: [rev]", "require 'sql@1'"),
        # the only sql@1 needs s2 itself: nothing a learner can earn first brings it
        (
            "requires: [s2]",
            "no credential that a learner can earn first grants 'sql@1': "
            "add one for that level, then require it",
        ),
    ],
)
def test_the_level_jump_fix_asks_whether_the_level_below_comes_without_it(
    project: Project, late: str, fix: str
) -> None:
    text = f"""\
        competencies:
          - {{id: sql, title: SQL, levels: [One, Two]}}
          - {{id: review, title: Review}}
        credentials:
          - {{id: r1, title: R1, type: course, grants: [review]}}
          - {{id: rev, title: Rev, type: course, requires: [r1], grants: [review]}}
          - {{id: s2, title: S2, type: course, grants: [sql@2]}}
          - {{id: s1, title: S1, type: course, {late}, grants: [sql@1]}}
        outcomes:
          - {{id: job, title: Job, requires: [sql@2, sql@1, review]}}
    """
    run = credpath("lint", project({"c.yaml": text}), "--format", "json")
    jumps = [f for f in json.loads(run.stdout)["diagnostics"] if f["rule"] == "level-jump"]
    assert [(f["line"], f["column"]) for f in jumps] == [(7, 48)]
    assert jumps[0]["message"].endswith(f"learners would jump straight to level 2; {fix}")


# -- 5. false green -------------------------------------------------------------------------


def test_an_empty_folder_is_a_usage_error(project: Project, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    run = credpath("validate", "empty")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr.startswith("credpath: no curriculum files in empty: ")


def test_a_folder_without_curriculum_files_is_a_usage_error(project: Project) -> None:
    name = project({"notes.txt": "hello\n", "credpath.yaml": "name: X\n"})
    run = credpath("validate", name)
    assert run.exit_code == 2
    assert run.stderr.startswith(f"credpath: no curriculum files in {name}: ")


def test_a_file_that_is_not_yaml_is_a_usage_error(project: Project) -> None:
    name = project({"c.yaml": HELD, "notes.txt": "hello\n"})
    run = credpath("validate", f"{name}/notes.txt")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == (
        "credpath: project/notes.txt: not a curriculum file: give a .yaml or .yml file, "
        "or a folder\n"
    )


@pytest.mark.parametrize(
    "ignored",
    [".venv/lib/x.yaml", "node_modules/pkg/x.yaml", ".git/x.yaml", "venv/x.yaml", "out/x.yaml"],
)
def test_tool_folders_and_gitignored_files_are_never_crawled(
    project: Project, ignored: str
) -> None:
    files = {"c.yaml": HELD, ignored: "outcomes: [\n", ".gitignore": "out/\n"}
    if ignored.startswith("venv/"):
        files["venv/pyvenv.cfg"] = "home = /usr\n"
    run = credpath("validate", project(files))
    assert "yaml-syntax" not in run.rules()
    assert run.stderr.endswith(" in 1 file\n")


# -- 6. --have -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("have", "message"),
    [
        ("xxx", "--have: unknown credential or competency 'xxx' (did you mean 'xx'?)"),
        (
            "xx@2",
            "--have: 'xx@2': 'xx' is a credential, and levels belong to competencies: "
            "write 'xx', or the competency it grants at a level",
        ),
        ("a@9", "--have: 'a@9': 'a' has 2 levels (One, Two); there is no level 9"),
        ("a@Three", "--have: 'a@Three': 'a' has no level named 'Three' (2 levels (One, Two))"),
        ("job", "--have: 'job' is an outcome; --have takes credentials and competencies"),
        (
            "Bad Id",
            "--have: 'Bad Id' is not a valid reference: an id is lowercase letters, "
            "digits and single '-', '_' or '.' between them, optionally followed by @level",
        ),
    ],
)
def test_have_input_that_names_nothing_is_an_error(
    project: Project, have: str, message: str
) -> None:
    name = project({"c.yaml": HELD})
    for command in (["plan", "job", name], ["next", name]):
        run = credpath(*command, "--have", have)
        assert (run.exit_code, run.stdout, run.stderr) == (2, "", f"credpath: {message}\n")


def test_have_json_echoes_levels_by_name_as_numbers(project: Project) -> None:
    name = project({"c.yaml": HELD})
    run = credpath("next", name, "--have", "a@two", "--format", "json")
    assert json.loads(run.stdout)["have"] == {"credentials": [], "competencies": {"a": 2}}


# -- 7 and 12. nothing lost ------------------------------------------------------------------

CSV = """\
Curriculum,Tiny
Institution,Example College
Degree Type,AS
System Type,semester
CIP,52.0201
Courses,,,,,,,,,
Course ID,Course Name,Prefix,Number,Prerequisites,Corequisites,Strict-Corequisites,\
Credit Hours,Institution,Canonical Name
1,Intro,BUS,101,,,,3,,
2,More,BUS,201,1,,,3,,
"""


def test_import_never_overwrites_a_file_it_did_not_write(tmp_path: Path, project: Project) -> None:
    (tmp_path / "plan.csv").write_text(CSV)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "outcomes.yaml").write_text("# my own outcomes\n")
    run = credpath("import", "curricular-analytics", "plan.csv", "-o", "mine")
    assert run.exit_code == 2
    assert run.stderr == (
        "credpath: mine/outcomes.yaml: exists and was not written by credpath; nothing was "
        "written: use --force to overwrite\n"
    )
    assert (out / "outcomes.yaml").read_text() == "# my own outcomes\n"
    assert sorted(p.name for p in out.iterdir()) == ["outcomes.yaml"]
    forced = credpath("import", "curricular-analytics", "plan.csv", "-o", "mine", "--force")
    assert forced.exit_code == 0
    assert "my own" not in (out / "outcomes.yaml").read_text()


def test_a_rerun_replaces_what_credpath_wrote_but_not_an_edit(
    tmp_path: Path, project: Project
) -> None:
    (tmp_path / "plan.csv").write_text(CSV)
    assert credpath("import", "curricular-analytics", "plan.csv", "-o", "out").exit_code == 0
    assert credpath("import", "curricular-analytics", "plan.csv", "-o", "out").exit_code == 0
    edited = tmp_path / "out" / "credentials.yaml"
    edited.write_text(edited.read_text() + "# my note\n")
    run = credpath("import", "curricular-analytics", "plan.csv", "-o", "out")
    assert run.exit_code == 2
    assert "out/credentials.yaml: exists and was not written by credpath" in run.stderr
    assert edited.read_text().endswith("# my note\n")


@pytest.mark.parametrize(
    "command",
    [
        ["compile", "project", "-o", "out.json"],
        ["validate", "project", "-o", "out.json"],
        ["metrics", "project", "-o", "out.json"],
        ["render", "project", "-f", "dot", "-o", "out.json"],
    ],
)
def test_minus_o_refuses_to_overwrite_a_users_file(project: Project, command: list[str]) -> None:
    project({"c.yaml": HELD})
    Path("out.json").write_text("precious\n")
    run = credpath(*command)
    assert run.exit_code == 2
    assert run.stderr.startswith("credpath: out.json: exists and was not written by credpath")
    assert Path("out.json").read_text() == "precious\n"
    assert credpath(*command, "--force").exit_code == 0
    assert Path("out.json").read_text() != "precious\n"
    again = credpath(*command)
    assert again.stderr.find("exists and was not written") == -1


def test_validate_o_writes_the_format_its_suffix_names(project: Project) -> None:
    project({"c.yaml": HELD})
    run = credpath("validate", "project", "-o", "report.sarif")
    document = json.loads(Path("report.sarif").read_text())
    assert document["version"] == "2.1.0"
    assert run.stdout == ""


def test_render_all_into_a_diagram_file_name_is_a_usage_error(project: Project) -> None:
    project({"c.yaml": HELD})
    run = credpath("render", "project", "--all", "-f", "dot", "-o", "x.svg")
    assert run.exit_code == 2
    assert run.stderr.startswith("credpath: x.svg: --all writes a folder")
    assert not Path("x.svg").exists()


def test_writing_through_a_symlink_replaces_the_link_not_its_target(project: Project) -> None:
    name = project({"c.yaml": HELD})
    target = Path(name) / "c.yaml"
    before = target.read_bytes()
    Path("link.json").symlink_to(target)
    refused = credpath("compile", name, "-o", "link.json")
    assert refused.exit_code == 2
    assert target.read_bytes() == before
    forced = credpath("compile", name, "-o", "link.json", "--force")
    assert forced.exit_code == 0
    assert target.read_bytes() == before
    assert not Path("link.json").is_symlink()
    assert json.loads(Path("link.json").read_text())["manifest_version"] == 1


def test_a_folder_command_never_writes_through_a_symlink_in_the_folder(project: Project) -> None:
    name = project({"c.yaml": HELD})
    target = Path(name) / "c.yaml"
    before = target.read_bytes()
    Path("site").mkdir()
    Path("site/index.html").symlink_to(Path("..") / target)
    run = credpath("site", name, "--no-diagrams", "-o", "site")
    assert run.exit_code == 2
    assert "site/index.html: exists and was not written by credpath" in run.stderr
    forced = credpath("site", name, "--no-diagrams", "-o", "site", "--force")
    assert forced.exit_code == 0
    assert target.read_bytes() == before
    assert not Path("site/index.html").is_symlink()


def test_written_files_keep_usual_permissions(project: Project) -> None:
    name = project({"c.yaml": HELD})
    credpath("render", name, "--all", "-f", "dot", "-o", "site")
    assert Path("site").stat().st_mode & 0o755 == 0o755
    assert Path("site/map.dot").stat().st_mode & 0o644 == 0o644


# -- 8. YAML syntax errors in the author's words -------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (
            "credentials:\n\t- id: a\n",
            "project/c.yaml:2:1: error: a tab character in the indentation: YAML indents "
            "with spaces only; replace the tab with spaces [yaml-syntax]",
        ),
        (
            "credentials:\n  - id: a\n    title A\n    type: course\n",
            "project/c.yaml:3:5: error: 'title A' is not a 'key: value' pair: add ':' after "
            "the key [yaml-syntax]",
        ),
        (
            "credentials:\n  - id: a\n    title:A\n    type: course\n",
            "project/c.yaml:3:5: error: 'title:A' needs a space after its ':' (write 'key: "
            "value'), or quotes if it is text [yaml-syntax]",
        ),
        (
            "credentials:\n  - id: a\n    requires: [x, y\n    grants: [z]\n",
            "project/c.yaml:3:15: error: the '[' opened here is not closed: end it with ']', "
            "and separate its items with ',' [yaml-syntax]",
        ),
        (
            'credentials:\n  - id: a\n    title: "SQL\n    type: course\n',
            'project/c.yaml:3:12: error: the quote " opened here is never closed: end the '
            'text with " [yaml-syntax]',
        ),
        (
            "credentials:\n  id: a\n  - id: b\n",
            "project/c.yaml:3:3: error: a list item ('- ...') where a 'key: value' is "
            "expected: indent it under a key that holds a list, or line it up with the items "
            "above [yaml-syntax]",
        ),
        (
            "credentials:\n  - id: a\n    title: A\n   type: x\n",
            "project/c.yaml:4:4: error: this line is indented differently from the lines above "
            "it (from line 2): line up each key of a mapping, and each '- ' item of a list "
            "[yaml-syntax]",
        ),
        (
            "credentials:\n  - id: a\n    title: SQL: the basics\n",
            "project/c.yaml:3:15: error: a ':' that YAML cannot read here: if it is part of the "
            'text, put the whole value in quotes (title: "SQL: the basics"); otherwise indent '
            "this line like the keys above it [yaml-syntax]",
        ),
    ],
    ids=["tab", "no-colon", "no-space", "bracket", "quote", "list-item", "indent", "colon"],
)
def test_yaml_errors_name_the_line_to_fix_and_how(project: Project, text: str, line: str) -> None:
    run = credpath("validate", project({"c.yaml": text}))
    assert run.lines == [line]


# -- 9. messages ------------------------------------------------------------------------------

COMMANDS = [
    [],
    ["validate"],
    ["lint"],
    ["plan"],
    ["next"],
    ["compile"],
    ["render"],
    ["metrics"],
    ["import", "curricular-analytics"],
    ["new"],
    ["explain"],
    ["schema"],
    ["rules"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "credpath")
def test_help_shows_no_python_types(command: list[str]) -> None:
    run = credpath(*command, "--help")
    assert run.exit_code == 0
    for python in ("<str>", "<path>", "<int", "list[", "Path", "None", "<bool>", "<float"):
        assert python not in run.stdout, python


def test_a_mistyped_credential_type_gets_a_did_you_mean(project: Project) -> None:
    text = HELD.replace("{id: c1, title: C1, type: course,", "{id: c1, title: C1, type: corse,")
    run = credpath("validate", project({"c.yaml": text}))
    assert run.lines[0] == (
        "project/c.yaml:6:31: error: unknown credential type 'corse' (did you mean "
        "'course'?) [schema]"
    )


def test_no_message_starts_with_value_error(project: Project) -> None:
    text = HELD.replace("workload: {hours: 10}", "workload: {}")
    run = credpath("validate", project({"c.yaml": text}))
    assert "Value error" not in run.stdout
    assert "project/c.yaml:6:49: error: a workload needs 'hours' or 'ects' [schema]" in run.lines


def test_the_end_column_is_the_same_in_every_format(project: Project) -> None:
    name = project({"c.yaml": HELD.replace("requires: [x, c]", "requires: [x, c@2]")})
    as_json = json.loads(credpath("validate", name, "-f", "json").stdout)["diagnostics"][0]
    sarif = json.loads(credpath("validate", name, "-f", "sarif").stdout)
    region = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    gitlab = json.loads(credpath("validate", name, "-f", "gitlab").stdout)[0]
    github = credpath("validate", name, "-f", "github").lines[0]
    end = as_json["end_column"]
    assert region["endColumn"] == end
    assert gitlab["location"]["positions"]["end"]["column"] == end
    assert f",endColumn={end}," in github


# -- 10. docs work outside this repository -------------------------------------------------

ROOT = Path(__file__).parent.parent


def test_no_user_doc_points_outside_the_repository() -> None:
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        assert "../shared" not in text, doc.name
        assert not re.search(r"shared/(spec|reference)", text), doc.name
        assert "FORMAT.md" not in text, doc.name


def test_every_relative_link_in_the_docs_resolves() -> None:
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            assert (doc.parent / target).exists(), f"{doc.name}: {target}"


# -- 17. new appends without touching what is there ---------------------------------------


def test_new_keeps_a_keep_block_scalar_exactly(project: Project) -> None:
    original = (
        "credentials:\n  - id: a\n    title: A\n    type: course\n"
        "    description: |+\n      keep these\n\n\n"
    )
    name = project({"c.yaml": original})
    run = credpath("new", "credential", "zz", "--file", f"{name}/c.yaml")
    assert run.exit_code == 0
    text = Path(name, "c.yaml").read_text()
    assert text.startswith(original)
    assert "  - id: zz\n" in text


# -- 18 and 19. control characters, and small ones -----------------------------------------


@pytest.mark.parametrize("command", [["next"], ["plan", "job"]])
def test_control_characters_in_titles_never_reach_the_terminal(
    project: Project, command: list[str]
) -> None:
    hostile = HELD.replace("title: C1", 'title: "C1\\e[2J\\u009b\\n::warning::hi"').replace(
        "title: Job", 'title: "Job\\e[2J"'
    )
    name = project({"c.yaml": hostile})
    run = credpath(*command[:1], *command[1:], name)
    assert "\x1b" not in run.stdout
    assert "\x9b" not in run.stdout
    assert not any(line.startswith("::") for line in run.lines)
    assert "\\x1b[2J" in run.stdout


def test_github_format_escapes_esc_and_line_separators(project: Project) -> None:
    text = HELD.replace("requires: [x, c]}", "requires: [x, c]}\n    # \u2028\n").replace(
        "  - {id: c, title: C}", '  - {id: c, title: "C\\e\\u2028\\x85::error::x"}'
    )
    text += '  - {id: bad, title: "T\\e\\u2028\\x85", requires: [nope]}\n'
    run = credpath("validate", project({"c.yaml": text}), "-f", "github")
    for character in ("\x1b", "\u2028", "\x85"):
        assert character not in run.stdout
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in run.lines)


def test_lint_of_a_file_that_is_not_yaml_is_a_usage_error(tmp_path: Path) -> None:
    other = tmp_path / "passwd"
    other.write_text("root:x:0:0\n")
    run = credpath("lint", str(other))
    assert run.exit_code == 2
    assert run.stderr.endswith("not a curriculum file: give a .yaml or .yml file, or a folder\n")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("hours: ' 5'", "'hours' must be a number without spaces around it, got ' 5'"),
        ("ects: '2 '", "'ects' must be a number without spaces around it, got '2 '"),
    ],
)
def test_numbers_with_spaces_are_refused_like_choose(
    project: Project, value: str, message: str
) -> None:
    text = HELD.replace("workload: {hours: 10}", f"workload: {{{value}}}")
    run = credpath("validate", project({"c.yaml": text}))
    assert any(line.endswith(f"{message} [schema]") for line in run.lines)
    choose = HELD.replace("requires: [x, c]", "requires: {choose: ' 1', from: [x, c]}")
    run = credpath("validate", project({"c.yaml": choose}, "other"))
    assert any(
        line.endswith("choose takes a whole number from 1, got ' 1' [schema]") for line in run.lines
    )


def test_ctrl_c_during_render_all_leaves_the_old_folder_whole(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = project({"c.yaml": HELD})
    assert credpath("render", name, "--all", "-f", "dot", "-o", "site").exit_code == 0
    before = {p.name: p.read_bytes() for p in Path("site").iterdir()}
    import credpath.publish.render as render

    calls = {"n": 0}
    real = render.export

    def interrupted(*args: object, **kwargs: object) -> bytes:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(render, "export", interrupted)
    run = credpath("render", name, "--all", "-f", "dot", "-o", "site")
    assert (run.exit_code, run.stderr) == (130, "credpath: interrupted\n")
    assert {p.name: p.read_bytes() for p in Path("site").iterdir()} == before
    assert not [p for p in Path(".").iterdir() if p.name.startswith(".site.")]


def test_no_temporary_file_is_left_behind(project: Project) -> None:
    name = project({"c.yaml": HELD})
    credpath("compile", name, "-o", "m.json")
    credpath("compile", name, "-o", "m.json")
    assert sorted(os.listdir(".")) == [".credpath-written", "m.json", name]


# -- 11. outputs are the same in two processes with different hash seeds -------------------

CURRICULA = ROOT / "curricula"


@pytest.mark.parametrize(
    "command",
    [
        ["validate", "-f", "json"],
        ["lint", "-f", "sarif"],
        ["compile"],
        ["plan", "junior-data-analyst", "-f", "json", "--have", "sql-foundations"],
        ["next", "-f", "json", "--have", "sql-foundations"],
        ["metrics", "-f", "json"],
        ["render", "-f", "dot"],
        ["render", "-f", "mermaid"],
    ],
    ids=lambda c: "-".join(c[:2]),
)
def test_two_processes_with_different_hash_seeds_print_the_same_bytes(
    command: list[str], tmp_path: Path
) -> None:
    import subprocess
    import sys

    outputs = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "CREDPATH_NO_CACHE": "1"}
        argv = [sys.executable, "-m", "credpath", command[0]]
        if command[0] == "plan":
            argv += [command[1], str(CURRICULA / "data-careers"), *command[2:]]
        else:
            argv += [str(CURRICULA / "data-careers"), *command[1:]]
        done = subprocess.run(argv, capture_output=True, env=env, cwd=tmp_path, check=False)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0]


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")
def test_two_site_builds_with_their_maps_are_the_same_bytes(tmp_path: Path) -> None:
    """Each outcome page holds its map as Graphviz laid it out: one dot run over several
    graphs laid them out differently on every run, so the site changed with nothing
    changed (found by the wheel test)."""
    import subprocess
    import sys

    sites = []
    for seed in ("1", "4242"):
        out = tmp_path / f"site-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "CREDPATH_NO_CACHE": "1"}
        argv = [sys.executable, "-m", "credpath", "site", str(CURRICULA / "data-careers")]
        done = subprocess.run([*argv, "-o", str(out)], capture_output=True, env=env, check=False)
        assert done.returncode == 0, done.stderr
        sites.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert sites[0] == sites[1]
    assert any(b"<svg" in page for page in sites[0].values())


def test_a_refused_folder_leaves_nothing_behind(project: Project) -> None:
    """The site is drawn and written into a hidden folder beside the target before the
    files in the way are found: refused, that folder goes, and the target is untouched."""
    name = project({"c.yaml": HELD})
    Path("site").mkdir()
    Path("site/index.html").write_text("mine\n")
    run = credpath("site", name, "--no-diagrams", "-o", "site")
    assert run.exit_code == 2
    assert run.stderr.startswith("credpath: site/index.html: exists and was not written by")
    assert sorted(p.name for p in Path().iterdir()) == sorted([name, "site"])
    assert [p.name for p in Path("site").iterdir()] == ["index.html"]
    assert Path("site/index.html").read_text() == "mine\n"


def test_a_rebuild_drops_pages_no_longer_drawn_but_keeps_what_the_user_wrote(
    project: Project,
) -> None:
    """A rebuilt folder loses the pages of a removed credential, unless the user edited
    them; a file the user put there stays, and the ledger never claims it."""
    name = project({"c.yaml": HELD})
    assert credpath("site", name, "--no-diagrams", "-o", "site").exit_code == 0
    Path("site/notes.txt").write_text("mine\n")
    Path("site/credentials/a2.html").write_text("my edit\n")
    source = Path(name) / "c.yaml"
    source.write_text(
        source.read_text()
        .replace("  - {id: a2, title: A2, type: course, workload: {hours: 5}, grants: [a@2]}\n", "")
        .replace(
            "  - {id: xx,", "  - {id: a3, title: A3, type: course, grants: [a@2]}\n  - {id: xx,"
        )
        .replace(
            "  - {id: x-more,",
            "  - {id: x-gone, title: G, type: course, grants: [x]}\n  - {id: x-more,",
        )
    )
    assert credpath("site", name, "--no-diagrams", "-o", "site").exit_code == 0
    source.write_text(
        source.read_text().replace("  - {id: x-gone, title: G, type: course, grants: [x]}\n", "")
    )
    run = credpath("site", name, "--no-diagrams", "-o", "site")
    assert (run.exit_code, run.stderr) == (
        0,
        "wrote the site (11 pages) to site; open index.html\n",
    )
    pages = sorted(p.name for p in Path("site/credentials").iterdir())
    assert pages == ["a1.html", "a2.html", "a3.html", "c1.html", "x-more.html", "xx.html"]
    assert Path("site/credentials/a2.html").read_text() == "my edit\n"
    assert Path("site/notes.txt").read_text() == "mine\n"
    ledger = json.loads(Path("site/.credpath-written").read_text())["files"]
    assert "notes.txt" not in ledger
    assert "credentials/a2.html" not in ledger
    assert "credentials/a3.html" in ledger


@pytest.mark.parametrize(
    "command",
    [["site", "--no-diagrams"], ["render", "--all", "-f", "dot"]],
    ids=["site", "render-all"],
)
def test_a_folder_command_refuses_a_file_in_place_of_the_folder(
    project: Project, command: list[str]
) -> None:
    name = project({"c.yaml": HELD})
    Path("out").write_text("mine\n")
    run = credpath(command[0], name, *command[1:], "-o", "out")
    assert (run.exit_code, run.stderr) == (
        2,
        "credpath: out: exists and is not a folder; give a folder with -o\n",
    )
    assert Path("out").read_text() == "mine\n"
    assert sorted(p.name for p in Path().iterdir()) == sorted([name, "out"])


def test_a_staging_folder_goes_when_let_go_but_never_from_a_forked_worker(tmp_path: Path) -> None:
    """Worker processes forked while a site is staged inherit its Staging: one that lets
    go of it must not remove the folder the other workers are writing into."""
    import gc

    from credpath.base.output import Staging

    staging = Staging(tmp_path / "site")
    folder = staging.folder
    assert folder.parent == tmp_path
    assert folder.name.startswith(".site.")
    child = os.fork()
    if child == 0:  # the worker: let go of it, then leave as pool workers do
        staging.discard()
        os._exit(0)
    assert os.waitpid(child, 0)[1] == 0
    assert folder.is_dir()
    del staging
    gc.collect()
    assert not folder.exists()
