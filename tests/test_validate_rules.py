"""`credpath validate` on the decided edge cases of FORMAT.md section 7.

Each rule's own cases (a project that gives it, one that does not, and the exact lines)
are folders: fixtures/rules/<rule-id>/, run by test_rule_cases.py.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conftest import credpath

Project = Callable[..., str]

SQL = """\
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
"""A clean one-file project that the edge cases below add to."""


def test_the_base_project_is_clean(project: Project) -> None:
    run = credpath("validate", project({"sql.yaml": SQL}))
    assert (run.lines, run.exit_code) == ([], 0)


@pytest.mark.parametrize("reference", ["sql@0", "sql@-1", "sql@"])
def test_a_level_that_is_not_a_whole_number_from_1_is_a_schema_error(
    project: Project, reference: str
) -> None:
    name = project(
        {
            "sql.yaml": SQL,
            "more.yaml": f"""\
                credentials:
                  - id: bi-reporting
                    title: BI Reporting
                    type: course
                    requires: ["{reference}"]
            """,
        }
    )
    run = credpath("validate", name)
    assert run.lines == [
        f"project/more.yaml:5:16: error: '{reference}': a level is a whole number from 1, "
        "or a level name [schema]"
    ]
    assert run.exit_code == 1


@pytest.mark.parametrize(
    ("requires", "column", "message"),
    [
        ("{all: []}", 21, "'all: []' is empty: give at least one requirement"),
        ("{any: []}", 21, "'any: []' is empty: give at least one requirement"),
        ("{choose: 1, from: []}", 33, "'from: []' is empty: give at least one requirement"),
        (
            "{choose: 3, from: [sql-foundations, sql@1]}",
            24,
            "choose: 3 but only 2 options in 'from'",
        ),
        ("{choose: 0, from: [sql-foundations]}", 24, "choose takes a whole number from 1, got '0'"),
    ],
)
def test_empty_operators_and_impossible_choose_are_schema_errors(
    project: Project, requires: str, column: int, message: str
) -> None:
    name = project(
        {
            "sql.yaml": SQL,
            "more.yaml": f"""\
                credentials:
                  - id: bi-reporting
                    title: BI Reporting
                    type: course
                    requires: {requires}
            """,
        }
    )
    run = credpath("validate", name)
    assert run.lines == [f"project/more.yaml:5:{column}: error: {message} [schema]"]
    assert run.exit_code == 1


def test_requires_empty_list_means_nothing_is_required(project: Project) -> None:
    name = project(
        {
            "sql.yaml": SQL.replace("grants: [sql@1]", "requires: []\n    grants: [sql@1]"),
            "more.yaml": """\
                outcomes:
                  - id: intern
                    title: Intern
                    requires: []
            """,
        }
    )
    run = credpath("validate", name)
    assert (run.lines, run.exit_code) == ([], 0)


def test_a_single_reference_needs_no_list(project: Project) -> None:
    name = project(
        {
            "sql.yaml": SQL.replace("grants: [sql@1]", "grants: sql@1").replace(
                "requires: [sql@1]", "requires: sql"
            )
        }
    )
    run = credpath("validate", name)
    assert (run.lines, run.exit_code) == ([], 0)


def test_plain_scalars_are_text_as_written(project: Project) -> None:
    name = project(
        {
            "sql.yaml": SQL.replace("title: SQL querying", "title: yes"),
            "more.yaml": """\
                outcomes:
                  - id: database-administrator
                    title: 2511
                    description: 3.14
                    occupation: {isco: 2511, onet: 15-1242.00}
                    requires: [sql-foundations]
            """,
        }
    )
    run = credpath("validate", name)
    assert (run.lines, run.exit_code) == ([], 0)


def test_merge_keys_are_allowed(project: Project) -> None:
    name = project(
        {
            "sql.yaml": SQL,
            "more.yaml": """\
                credentials:
                  - &badge
                    id: sql-joins
                    title: SQL Joins
                    type: badge
                    provider: Example University
                    requires: [sql-foundations]
                    grants: [sql@2]
                  - <<: *badge
                    id: sql-windows
                    title: SQL Window Functions
                    grants: [sql@3]
                outcomes:
                  - id: data-engineer
                    title: Data Engineer
                    requires: [sql@3]
            """,
        }
    )
    run = credpath("validate", name)
    assert (run.lines, run.exit_code) == ([], 0)


def test_an_unknown_key_suggests_the_field_it_resembles(project: Project) -> None:
    name = project(
        {
            "sql.yaml": SQL.replace("    grants: [sql@1]", "    grants: [sql@1]\n    provder: X"),
            "more.yaml": "credentails: []\n",
        }
    )
    run = credpath("validate", name)
    assert run.lines == [
        "project/more.yaml:1:1: error: unknown top-level key 'credentails' (did you mean "
        "'credentials'?): a curriculum file holds outcomes, competencies, credentials and "
        "pathways [schema]",
        "project/sql.yaml:10:5: error: unknown key 'provder' (did you mean 'provider'?) [schema]",
    ]
    assert run.exit_code == 1


def test_an_ftp_url_is_a_schema_error(project: Project) -> None:
    name = project(
        {
            "sql.yaml": SQL.replace(
                "    grants: [sql@1]", "    url: ftp://example.edu/sql\n    grants: [sql@1]"
            )
        }
    )
    run = credpath("validate", name)
    assert run.lines == [
        "project/sql.yaml:9:10: error: 'url' must be an http or https URL, "
        "got 'ftp://example.edu/sql' [schema]"
    ]
    assert run.exit_code == 1


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        (
            "    title: SQL Foundations",
            "    title: '   '",
            "project/sql.yaml:7:12: error: 'title' is blank: write its text [schema]",
        ),
        (
            "    title: SQL Foundations",
            '    title: ""',
            "project/sql.yaml:7:12: error: 'title' is blank: write its text [schema]",
        ),
        (
            "    type: micro-credential",
            "    type: micro-credential\n    provider: '\t'",
            "project/sql.yaml:9:15: error: 'provider' is blank: write its text, "
            "or leave it out [schema]",
        ),
        (
            "[Foundational, Intermediate, Advanced]",
            "[Foundational, ' ', Advanced]",
            "project/sql.yaml:4:28: error: item 2 of 'levels' is blank: write its text [schema]",
        ),
    ],
    ids=["spaces", "empty", "optional", "level-name"],
)
def test_blank_text_is_a_schema_error_that_says_so(
    project: Project, old: str, new: str, line: str
) -> None:
    """A title of spaces is as good as none: the learner site would show an empty heading."""
    name = project({"sql.yaml": SQL.replace(old, new)})
    run = credpath("validate", name)
    assert (run.lines, run.exit_code) == ([line], 1)


def test_an_unknown_assumed_competency_is_reported_in_credpath_yaml(project: Project) -> None:
    name = project(
        {
            "credpath.yaml": "name: Data\nassumed: [sql, numeracy]\n",
            "sql.yaml": SQL,
        }
    )
    run = credpath("validate", name)
    assert run.lines == [
        "project/credpath.yaml:2:16: error: unknown competency 'numeracy' in assumed "
        "[unknown-reference]"
    ]
    assert run.exit_code == 1


def test_assumed_competencies_count_at_their_top_level(project: Project) -> None:
    name = project(
        {
            "credpath.yaml": "assumed: [numeracy]\n",
            "sql.yaml": SQL,
            "more.yaml": """\
                competencies:
                  - id: numeracy
                    title: Numeracy
                    levels: [Basic, Fluent]
                outcomes:
                  - id: bookkeeper
                    title: Bookkeeper
                    requires: [numeracy@fluent, sql@1]
            """,
        }
    )
    run = credpath("validate", name)
    assert (run.lines, run.exit_code) == ([], 0)


def test_a_retired_credential_never_closes_a_gap(project: Project) -> None:
    name = project(
        {
            "sql.yaml": SQL,
            "more.yaml": """\
                credentials:
                  - id: legacy-sql
                    title: Legacy SQL Certificate
                    type: certificate
                    status: retired
                    grants: [sql@2]
                outcomes:
                  - id: data-analyst
                    title: Data Analyst
                    requires: [sql@2]
            """,
        }
    )
    run = credpath("validate", name)
    assert run.lines == [
        "project/more.yaml:10:16: error: 'sql@2' is not granted by any credential "
        "(highest granted: sql@1 by 'sql-foundations'; 'legacy-sql', not earnable, grants it); "
        "this makes 1 outcome unreachable [gap]",
    ]
    assert run.exit_code == 1


DRAFT = """\
    credentials:
      - id: sql-intermediate
        title: SQL Intermediate
        type: micro-credential
        status: draft
        requires: [sql-foundations]
        grants: [sql@2]
    outcomes:
      - id: data-analyst
        title: Data Analyst
        requires: [sql@2]
"""


def test_a_draft_counts_like_an_active_credential_by_default(project: Project) -> None:
    run = credpath("validate", project({"sql.yaml": SQL, "draft.yaml": DRAFT}))
    assert (run.lines, run.exit_code) == ([], 0)


def test_no_drafts_turns_a_draft_only_grant_into_a_gap(project: Project) -> None:
    run = credpath("validate", "--no-drafts", project({"sql.yaml": SQL, "draft.yaml": DRAFT}))
    assert run.lines == [
        "project/draft.yaml:11:16: error: 'sql@2' is not granted by any credential "
        "(highest granted: sql@1 by 'sql-foundations'; 'sql-intermediate', not earnable, "
        "grants it); this makes 1 outcome unreachable [gap]",
    ]
    assert run.exit_code == 1


def test_an_unknown_reference_is_not_also_a_gap(project: Project) -> None:
    name = project(
        {
            "sql.yaml": SQL,
            "more.yaml": """\
                credentials:
                  - id: bi-reporting
                    title: BI Reporting
                    type: course
                    requires: [sql-foundations, sequel@2, sql@4]
            """,
        }
    )
    run = credpath("validate", name)
    assert run.lines == [
        "project/more.yaml:5:33: error: unknown id 'sequel' (did you mean 'sql'?) "
        "[unknown-reference]",
        "project/more.yaml:5:43: error: 'sql@4': 'sql' has 3 levels (Foundational, "
        "Intermediate, Advanced); there is no level 4 [wrong-reference]",
    ]


def test_an_invalid_reference_is_the_one_finding_and_names_what_it_blocks(
    project: Project,
) -> None:
    name = project(
        {
            "sql.yaml": SQL,
            "more.yaml": """\
                credentials:
                  - id: sql-intermediate
                    title: SQL Intermediate
                    type: course
                    requires: [sql-fundations]
                    grants: [sql@2]
                outcomes:
                  - id: data-analyst
                    title: Data Analyst
                    requires: [sql@2]
            """,
        }
    )
    run = credpath("validate", name)
    assert run.lines == [
        "project/more.yaml:5:16: error: unknown id 'sql-fundations' (did you mean "
        "'sql-foundations'?); this makes 1 outcome unreachable [unknown-reference]",
    ]


def test_a_cycle_with_another_blocker_folds_nothing_it_would_not_free(project: Project) -> None:
    name = project(
        {
            "sql.yaml": SQL,
            "more.yaml": """\
                credentials:
                  - id: b-course
                    title: B
                    type: course
                    requires: [a-course, sql@3]
                  - id: a-course
                    title: A
                    type: course
                    requires: [b-course]
                    grants: [sql@2]
                outcomes:
                  - id: data-analyst
                    title: Data Analyst
                    requires: [b-course]
            """,
        }
    )
    run = credpath("validate", name)
    # Breaking the loop leaves the gap, closing the gap leaves the loop: what follows from
    # both is folded into neither, and each one counts it. 'b-course' names both causes;
    # the outcome, which waits on it alone, is folded into it.
    assert run.lines == [
        "project/more.yaml:2:9: error: credentials wait on each other in a cycle: "
        "b-course -> a-course -> b-course; none of them can ever be earned; remove one of "
        "these requirements to break the loop; this makes 1 outcome unreachable [cycle]",
        "project/more.yaml:2:9: error: 'b-course' can never be earned: it is in the cycle "
        "b-course -> a-course -> b-course, and requires 'sql@3', which no credential grants; "
        "this makes 1 outcome unreachable [unearnable]",
        "project/more.yaml:5:26: error: 'sql@3' is not granted by any credential (highest "
        "granted: sql@2 by 'a-course'); this makes 2 credentials and 1 outcome unreachable "
        "[gap]",
        "project/more.yaml:6:9: error: 'a-course' can never be earned: it is in the cycle "
        "b-course -> a-course -> b-course [unearnable]",
    ]


def test_a_duplicate_id_is_reported_once_where_it_is_defined_again_and_the_first_one_wins(
    project: Project,
) -> None:
    name = project(
        {
            "a.yaml": SQL,
            "b/more.yaml": """\
                credentials:
                  - id: junior-analyst
                    title: Junior Analyst Certificate
                    type: certificate
                    grants: [sql@3]
            """,
        }
    )
    run = credpath("validate", name)
    assert run.lines == [
        "project/b/more.yaml:2:9: error: duplicate id 'junior-analyst': already defined at "
        "project/a.yaml:11:9; this credential is left out until it has an id of its own "
        "[duplicate-id]",
    ]


def test_hidden_excluded_and_sub_project_files_are_skipped(project: Project) -> None:
    broken = "outcomes: [\n"
    name = project(
        {
            "credpath.yaml": 'exclude: ["drafts/**", "*.tmp.yaml"]\n',
            "sql.yaml": SQL,
            ".git/config.yaml": broken,
            ".hidden.yaml": broken,
            "drafts/idea.yaml": broken,
            "drafts/deeper/idea.yaml": broken,
            "scratch.tmp.yaml": broken,
            "partner/credpath.yaml": "name: Partner college\n",
            "partner/broken.yaml": broken,
            "notes.txt": broken,
            "more/extra.yml": broken,
        }
    )
    run = credpath("validate", name)
    assert run.lines == [
        "project/more/extra.yml:1:11: error: the '[' opened here is not closed: end it with "
        "']', and separate its items with ',' [yaml-syntax]"
    ]
    assert run.stderr == "1 error, 0 warnings in 3 files\n"


def test_validate_file_checks_the_whole_project_holding_it(project: Project) -> None:
    project(
        {
            "credpath.yaml": "name: Data\n",
            "sql.yaml": SQL,
            "deep/er/orphan.yaml": "competencies:\n  - {id: cobol, title: COBOL}\n",
        }
    )
    run = credpath("validate", "project/sql.yaml")
    assert run.lines == [
        "project/deep/er/orphan.yaml:2:10: warning: competency 'cobol' is neither granted nor "
        "required by anything: grant it in a credential, require it, or remove it "
        "[orphan-competency]"
    ]
    assert run.stderr == "0 errors, 1 warning in 3 files\n"


def test_validate_file_walks_up_to_the_nearest_credpath_yaml(project: Project) -> None:
    project(
        {
            "credpath.yaml": "assumed: [sql]\n",
            "sql.yaml": SQL,
            "deep/er/more.yaml": """\
                outcomes:
                  - id: data-engineer
                    title: Data Engineer
                    requires: [sql@3]
            """,
        }
    )
    run = credpath("validate", "project/deep/er/more.yaml")
    assert (run.lines, run.exit_code) == ([], 0)


DEAD_END = """\
    credentials:
      - id: excel-tips
        title: Excel Tips
        type: badge
"""


@pytest.mark.parametrize(
    ("config", "lines", "exit_code"),
    [
        ("", ["project/more.yaml:2:9: warning: {message}"], 0),
        ("rules:\n  dead-end: error\n", ["project/more.yaml:2:9: error: {message}"], 1),
        ("rules:\n  dead-end: info\n", ["project/more.yaml:2:9: info: {message}"], 0),
        ("rules:\n  dead-end: off\n", [], 0),
    ],
    ids=["default", "error", "info", "off"],
)
def test_rules_in_credpath_yaml_set_the_severity(
    project: Project, config: str, lines: list[str], exit_code: int
) -> None:
    message = (
        "'excel-tips' leads to no outcome: it grants nothing, and no outcome or credential on "
        "the way to one requires it; a learner who finishes this sees no next door [dead-end]"
    )
    name = project({"credpath.yaml": config, "sql.yaml": SQL, "more.yaml": DEAD_END})
    run = credpath("validate", name)
    assert run.lines == [line.format(message=message) for line in lines]
    assert run.exit_code == exit_code


def test_schema_errors_cannot_be_turned_off(project: Project) -> None:
    name = project({"credpath.yaml": "rules:\n  schema: off\n", "sql.yaml": SQL})
    run = credpath("validate", name)
    assert run.stdout == ""
    assert run.stderr == (
        "credpath: project/credpath.yaml:2:11: 'schema' is always an error: a file that "
        "cannot be read cannot be checked; remove it from rules:\n"
    )
    assert run.exit_code == 2


def test_fixed_rules_may_be_named_as_errors(project: Project) -> None:
    name = project(
        {
            "credpath.yaml": "rules:\n  schema: error\n  yaml-syntax: error\n",
            "broken.yaml": "outcomes: [\n",
        }
    )
    run = credpath("validate", name)
    assert run.rules() == ["yaml-syntax"]
    assert run.exit_code == 1


def test_an_unknown_rule_under_rules_is_a_configuration_error(project: Project) -> None:
    name = project({"credpath.yaml": "rules:\n  dead-ends: error\n", "sql.yaml": SQL})
    run = credpath("validate", name)
    assert run.stdout == ""
    assert run.stderr == (
        "credpath: project/credpath.yaml:2:3: unknown rule 'dead-ends' under rules: "
        "(did you mean 'dead-end'?)\n"
    )
    assert run.exit_code == 2


def test_a_bad_url_does_not_hide_the_root_cause(project: Project) -> None:
    name = project(
        {
            "sql.yaml": SQL.replace("requires: [sql@1]", "requires: [sql@1, python-for-data]"),
            "more.yaml": """\
                competencies:
                  - id: python
                    title: Python
                credentials:
                  - id: data-modelling
                    title: Data Modelling
                    type: course
                    requires: [sql@3]
                    grants: [python]
                  - id: python-for-data
                    title: Python for Data
                    type: course
                    url: ftp://example.edu/python
                    requires: [python]
            """,
        }
    )
    run = credpath("validate", name)
    assert run.lines == [
        "project/more.yaml:8:16: error: 'sql@3' is not granted by any credential "
        "(highest granted: sql@1 by 'sql-foundations'); this makes 2 credentials and 1 outcome "
        "unreachable [gap]",
        "project/more.yaml:13:10: error: 'url' must be an http or https URL, "
        "got 'ftp://example.edu/python' [schema]",
    ]
