"""`credpath validate`, rule by rule, as an author meets each finding.

Every rule that validate runs has a row in CASES and a pair of example projects in
``fixtures/rules/<rule-id>/``: ``bad/`` prints exactly the lines of its row, ``good/`` is
the same project fixed and prints nothing. Adding a rule means adding a row and two
folders; ``test_every_validate_rule_has_a_case`` says so when one is missing.

The second half pins down the decided edge cases of FORMAT.md section 7.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from conftest import FIXTURES, credpath
from credpath.checks.rules import RULES

RULE_FIXTURES = FIXTURES / "rules"


@dataclass(frozen=True)
class Case:
    rule: str
    exit_code: int
    """Exit code of the bad example: 1 when an error is among its findings."""
    lines: tuple[str, ...]
    """The exact output for the bad example, run from the rule's fixture folder."""


CASES = [
    Case(
        "yaml-syntax",
        1,
        (
            "bad/curriculum.yaml:6:12: error: the '[' opened here is not closed: end it with "
            "']', and separate its items with ',' [yaml-syntax]",
        ),
    ),
    Case(
        "duplicate-key",
        1,
        (
            "bad/curriculum.yaml:8:5: error: duplicate key 'title' in this mapping; "
            "only the first one is used [duplicate-key]",
        ),
    ),
    Case(
        "schema",
        1,
        (
            "bad/curriculum.yaml:4:11: error: 'kind': input should be 'skill', 'knowledge' or "
            "'competence', got 'skil' [schema]",
            "bad/curriculum.yaml:6:9: error: 'SQL Foundations' is not a valid id: use lowercase "
            "letters, digits and single '-', '_' or '.' between them, at most 80 characters "
            "[schema]",
            "bad/curriculum.yaml:9:9: error: missing required field 'title' [schema]",
            "bad/curriculum.yaml:10:5: error: unknown key 'titel' (did you mean 'title'?) [schema]",
            "bad/curriculum.yaml:12:10: error: 'url' must be an http or https URL, "
            "got 'ftp://example.edu/sql' [schema]",
            "bad/curriculum.yaml:13:23: error: 'hours': input should be greater than 0 [schema]",
            "bad/curriculum.yaml:14:24: error: choose: 2 but only 1 option in 'from' [schema]",
            "bad/curriculum.yaml:15:14: error: 'sql@0': a level is a whole number from 1, "
            "or a level name [schema]",
            "bad/curriculum.yaml:18:11: error: unknown credential type 'workshop': use one of "
            "micro-credential, course, badge, certificate, certification, license, degree, "
            "diploma, apprenticeship, assessment, or ext:<name> for your own [schema]",
            "bad/curriculum.yaml:19:13: error: 'status': input should be 'draft', 'active' or "
            "'retired', got 'archived' [schema]",
            "bad/curriculum.yaml:25:1: error: unknown top-level key 'curriculum': a curriculum "
            "file holds outcomes, competencies, credentials and pathways [schema]",
        ),
    ),
    Case(
        "duplicate-id",
        1,
        (
            "bad/credentials.yaml:6:9: error: duplicate id 'sql': already defined at "
            "bad/competencies.yaml:2:9; this credential is left out until it has an id of its "
            "own [duplicate-id]",
        ),
    ),
    Case(
        "unknown-reference",
        1,
        (
            "bad/curriculum.yaml:13:16: error: unknown id 'sql-fundations' "
            "(did you mean 'sql-foundations'?) [unknown-reference]",
            "bad/curriculum.yaml:14:14: error: unknown competency 'sequel' "
            "(did you mean 'sql'?) [unknown-reference]",
            "bad/curriculum.yaml:18:23: error: unknown id 'excel' [unknown-reference]",
            "bad/curriculum.yaml:22:14: error: unknown outcome 'junior-analsyt' "
            "(did you mean 'junior-analyst'?) [unknown-reference]",
        ),
    ),
    Case(
        "wrong-reference",
        1,
        (
            "bad/curriculum.yaml:13:16: error: 'sql-foundations@2': 'sql-foundations' is a "
            "credential and has no levels; write 'sql-foundations' [wrong-reference]",
            "bad/curriculum.yaml:13:35: error: 'sql@intermediat': 'sql' has no level named "
            "'intermediat' (3 levels (Foundational, Intermediate, Advanced)) "
            "(did you mean 'Intermediate'?) [wrong-reference]",
            "bad/curriculum.yaml:13:52: error: 'junior-analyst' is an outcome; requirements "
            "name competencies and credentials [wrong-reference]",
            "bad/curriculum.yaml:14:14: error: 'sql@4': 'sql' has 3 levels "
            "(Foundational, Intermediate, Advanced); there is no level 4 [wrong-reference]",
            "bad/curriculum.yaml:14:21: error: 'sql-foundations' is a credential: grants lists "
            "competencies only [wrong-reference]",
            "bad/curriculum.yaml:18:16: error: 'fast-track' is a pathway; requirements name "
            "competencies and credentials [wrong-reference]",
            "bad/curriculum.yaml:26:14: error: 'sql-foundations' is not an outcome: a pathway "
            "leads to an outcome [wrong-reference]",
        ),
    ),
    Case(
        "gap",
        1,
        (
            "bad/curriculum.yaml:21:16: error: 'sql@3' is not granted by any credential "
            "(highest granted: sql@2 by 'sql-intermediate'); this makes 1 outcome "
            "unreachable [gap]",
        ),
    ),
    Case(
        "cycle",
        1,
        (
            "bad/curriculum.yaml:7:9: error: credentials wait on each other in a cycle: "
            "python-basics -> data-wrangling -> python-basics; none of them can ever be "
            "earned; remove one of these requirements to break the loop; this makes 1 outcome "
            "unreachable [cycle]",
        ),
    ),
    Case(
        "unearnable",
        1,
        (
            "bad/curriculum.yaml:17:9: error: 'ml-theory' can never be earned: it requires "
            "'stats-advanced', which is retired; this makes 2 credentials and 1 outcome "
            "unreachable [unearnable]",
        ),
    ),
    Case(
        "unreachable-outcome",
        1,
        (
            "bad/curriculum.yaml:14:9: error: outcome 'database-administrator' cannot be "
            "reached: it requires 'legacy-db-cert', which is retired [unreachable-outcome]",
        ),
    ),
    Case(
        "dead-end",
        0,
        (
            "bad/curriculum.yaml:11:9: warning: 'excel-tips' leads to no outcome: it grants "
            "excel@1, but no outcome or credential on the way to one requires it; a learner "
            "who finishes this sees no next door [dead-end]",
        ),
    ),
    Case(
        "orphan-competency",
        0,
        (
            "bad/curriculum.yaml:4:9: warning: competency 'cobol' is neither granted nor "
            "required by anything: grant it in a credential, require it, or remove it "
            "[orphan-competency]",
        ),
    ),
    Case(
        "redundant-requirement",
        0,
        (
            "bad/curriculum.yaml:13:33: info: 'sql@1' is already implied by 'sql-foundations' "
            "in the same list (holding 'sql-foundations' guarantees sql at level 1 or higher); "
            "drop it [redundant-requirement]",
            "bad/curriculum.yaml:18:16: info: 'sql@2' is already implied by 'sql-intermediate' "
            "in the same list (holding 'sql-intermediate' guarantees sql at level 2 or higher); "
            "drop it [redundant-requirement]",
            "bad/curriculum.yaml:18:23: info: 'sql@1' is already implied by 'sql@2' in the "
            "same list (a higher level of the same competency); drop it [redundant-requirement]",
        ),
    ),
    Case(
        "pathway-order",
        1,
        (
            "bad/curriculum.yaml:34:14: error: after all 3 stages of pathway "
            "'analyst-fast-track' the learner does not meet 'junior-analyst': still missing "
            "'viz' [pathway-incomplete]",
            "bad/curriculum.yaml:36:10: error: stage 1 of pathway 'analyst-fast-track': "
            "'sql-intermediate' is not earnable at the start: it requires 'sql-foundations', "
            "which only stage 2 provides (move it to an earlier stage) [pathway-order]",
            "bad/curriculum.yaml:36:28: error: stage 1 of pathway 'analyst-fast-track' is out "
            "of order: no option of this stage item is earnable at the start [pathway-order]",
        ),
    ),
    Case(
        "pathway-incomplete",
        1,
        (
            "bad/curriculum.yaml:28:14: error: after all 2 stages of pathway "
            "'analyst-fast-track' the learner does not meet 'junior-analyst': still missing "
            "'viz' [pathway-incomplete]",
        ),
    ),
]


def _ids(case: Case) -> str:
    return case.rule


def test_every_validate_rule_has_a_case() -> None:
    validate_rules = {rule.id for rule in RULES.values() if not rule.lint_only}
    assert {case.rule for case in CASES} == validate_rules
    for case in CASES:
        assert (RULE_FIXTURES / case.rule / "bad").is_dir()
        assert (RULE_FIXTURES / case.rule / "good").is_dir()


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_bad_example_prints_exactly_these_lines(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(RULE_FIXTURES / case.rule)
    run = credpath("validate", "bad")
    assert run.lines == list(case.lines)
    assert case.rule in run.rules()
    assert run.exit_code == case.exit_code


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_good_example_is_clean(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(RULE_FIXTURES / case.rule)
    run = credpath("validate", "good")
    assert case.rule not in run.rules()
    assert run.lines == []
    assert run.exit_code == 0


# -- FORMAT.md section 7: edge cases, decided ------------------------------------------

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
