"""Folding hides no problem (issue 33): a finding is folded into another only when fixing
that root, as its message says, makes the folded finding go away.

Each case is a few lines of YAML an adversarial author wrote, and the exact lines and
exit code `validate` (or `lint`) gives for it.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from conftest import credpath

Project = Callable[..., str]

NET = """\
competencies:
  - {id: net, title: Networking, levels: [Basic, Advanced]}
outcomes:
  - {id: admin, title: Admin, requires: [net@2]}
"""
"""An outcome asking for net@2, which nothing grants."""

GAP_NET_2 = (
    "project/a.yaml:4:42: error: 'net@2' is not granted by any credential (nothing grants "
    "'net'); this makes 1 outcome unreachable [gap]"
)


def _typo(where: str, column: int) -> str:
    return (
        f"project/b.yaml:2:{column}: error: unknown competency 'nett' (did you mean 'net'?) "
        f"[unknown-reference]{where}"
    )


# -- a gap is folded only into what closes it ----------------------------------------------


def test_a_duplicate_id_granting_a_lower_level_does_not_explain_the_gap(project: Project) -> None:
    name = project(
        {
            "a.yaml": NET,
            "b.yaml": """\
                credentials:
                  - {id: admin, title: Net course, type: course, grants: [net@1]}
            """,
        }
    )
    run = credpath("validate", name)
    assert run.lines == [
        GAP_NET_2,
        "project/b.yaml:2:10: error: duplicate id 'admin': already defined at "
        "project/a.yaml:4:10; this credential is left out until it has an id of its own "
        "[duplicate-id]",
    ]
    assert run.exit_code == 1


@pytest.mark.parametrize(
    ("credential", "options", "column"),
    [
        ("{id: course, title: Net course, type: course, grants: [nett@1]}", (), 60),
        (
            "{id: course, title: Net course, type: course, status: retired, grants: [nett@2]}",
            (),
            77,
        ),
        (
            "{id: course, title: Net course, type: course, status: draft, grants: [nett@2]}",
            ("--no-drafts",),
            75,
        ),
    ],
    ids=["lower-level", "retired", "draft-no-drafts"],
)
def test_a_mistyped_grant_that_would_not_close_the_gap_does_not_hide_it(
    project: Project, credential: str, options: tuple[str, ...], column: int
) -> None:
    name = project({"a.yaml": NET, "b.yaml": f"credentials:\n  - {credential}\n"})
    run = credpath("validate", *options, name)
    assert [line for line in run.lines if "[dead-end]" not in line] == [
        GAP_NET_2,
        _typo("", column),
    ]
    assert run.exit_code == 1


def test_a_mistyped_grant_of_a_credential_that_needs_the_level_first_does_not_hide_it(
    project: Project,
) -> None:
    name = project(
        {
            "a.yaml": NET,
            "b.yaml": """\
                credentials:
                  - {id: course, title: Net, type: course, requires: [net@2], grants: [nett@2]}
            """,
        }
    )
    run = credpath("validate", name)
    assert run.lines == [
        "project/a.yaml:4:42: error: 'net@2' is not granted by any credential (nothing "
        "grants 'net'); this makes 1 credential and 1 outcome unreachable [gap]",
        "project/b.yaml:2:55: error: 'net@2' is not granted by any credential (nothing "
        "grants 'net') [gap]",
        _typo("", 72),
    ]


def test_a_mistyped_grant_that_closes_the_gap_is_the_one_finding(project: Project) -> None:
    name = project(
        {
            "a.yaml": NET,
            "b.yaml": "credentials:\n  - {id: course, title: N, type: course, grants: [nett@2]}\n",
        }
    )
    run = credpath("validate", name)
    assert run.lines == [
        _typo("", 51).replace(" [unknown", "; this makes 1 outcome unreachable [unknown")
    ]
    assert run.exit_code == 1


def test_a_level_name_typo_in_grants_is_one_finding(project: Project) -> None:
    name = project(
        {
            "a.yaml": """\
                competencies:
                  - {id: sql, title: SQL, levels: [Basic, Advanced]}
                credentials:
                  - {id: sql-course, title: SQL, type: course, grants: [sql@Advancd]}
                outcomes:
                  - {id: job, title: Job, requires: [sql@2]}
            """
        }
    )
    run = credpath("validate", name)
    assert run.lines == [
        "project/a.yaml:4:57: error: 'sql@Advancd': 'sql' has no level named 'Advancd' "
        "(2 levels (Basic, Advanced)) (did you mean 'Advanced'?); this makes 1 outcome "
        "unreachable [wrong-reference]"
    ]


@pytest.mark.parametrize(
    ("assumed", "line"),
    [
        (
            "numeracyy",
            "project/credpath.yaml:1:11: error: unknown competency 'numeracyy' in assumed "
            "(did you mean 'numeracy'?); this makes 1 outcome unreachable [unknown-reference]",
        ),
        (
            "numeracy@Fluet",
            "project/credpath.yaml:1:11: error: 'numeracy@Fluet': 'numeracy' has no level named "
            "'Fluet' (2 levels (Basic, Fluent)) (did you mean 'Fluent'?); this makes 1 outcome "
            "unreachable [wrong-reference]",
        ),
    ],
    ids=["id", "level-name"],
)
def test_a_typo_in_assumed_is_one_finding(project: Project, assumed: str, line: str) -> None:
    name = project(
        {
            "credpath.yaml": f"assumed: [{assumed}]\n",
            "a.yaml": """\
                competencies:
                  - {id: numeracy, title: Numeracy, levels: [Basic, Fluent]}
                outcomes:
                  - {id: job, title: Job, requires: [numeracy@2]}
            """,
        }
    )
    run = credpath("validate", name)
    assert (run.lines, run.exit_code) == ([line], 1)


# -- every independent cause is reported ----------------------------------------------------


@pytest.mark.parametrize(
    ("requires", "column", "causes"),
    [
        (
            "net@2, old",
            48,
            "requires 'net@2', which no credential grants, and requires 'old', which is retired",
        ),
        (
            "old, net@2",
            53,
            "requires 'old', which is retired, and requires 'net@2', which no credential grants",
        ),
    ],
    ids=["gap-first", "retired-first"],
)
def test_a_second_root_on_the_same_credential_is_reported_in_either_order(
    project: Project, requires: str, column: int, causes: str
) -> None:
    name = project(
        {
            "a.yaml": f"""\
                competencies:
                  - {{id: net, title: Networking, levels: [Basic, Advanced]}}
                credentials:
                  - {{id: old, title: Old, type: course, status: retired}}
                  - {{id: b, title: B, type: course, requires: [{requires}], grants: [net@1]}}
                outcomes:
                  - {{id: job, title: Job, requires: [b]}}
            """
        }
    )
    run = credpath("validate", name)
    assert run.lines == [
        f"project/a.yaml:5:10: error: 'b' can never be earned: it {causes}; this makes 1 "
        "outcome unreachable [unearnable]",
        f"project/a.yaml:5:{column}: error: 'net@2' is not granted by any credential (highest "
        "granted: net@1 by 'b'); this makes 1 credential and 1 outcome unreachable [gap]",
    ]
    assert run.exit_code == 1


BROKEN_AND_GAP = """\
competencies:
  - {{id: k0, title: K0}}
credentials:
  - {{id: c0, title: C0, type: course, requires: [c0x, k0]}}{fixed}
outcomes:
  - {{id: job1, title: Job, requires: [c0]}}
"""
"""From the fix-and-check property test: 'c0' has a broken reference and a gap."""

JOB1_BEHIND_C0 = (
    "project/a.yaml:{line}:10: error: outcome 'job1' cannot be reached: it requires 'c0', "
    "which has an invalid requirement (project/a.yaml:4:50){gap} [unreachable-outcome]"
)


def test_what_waits_on_a_credential_with_a_broken_reference_of_its_own_is_reported(
    project: Project,
) -> None:
    """'job1' is not folded into "'c0' can never be earned": once the gap is fixed, that
    finding is folded into c0's own broken reference, and 'job1' would appear then."""
    run = credpath("validate", project({"a.yaml": BROKEN_AND_GAP.format(fixed="")}))
    assert run.lines == [
        "project/a.yaml:4:10: error: 'c0' can never be earned: it has an invalid requirement "
        "(project/a.yaml:4:50), and requires 'k0', which no credential grants [unearnable]",
        "project/a.yaml:4:50: error: unknown id 'c0x' (did you mean 'c0'?); this makes 1 "
        "outcome unreachable [unknown-reference]",
        "project/a.yaml:4:55: error: 'k0' is not granted by any credential (nothing grants "
        "'k0'); this makes 1 credential and 1 outcome unreachable [gap]",
        JOB1_BEHIND_C0.format(
            line=6, gap=", and requires 'c0', which requires 'k0', which no credential grants"
        ),
    ]
    assert run.exit_code == 1
    grant = "\n  - {id: k0-course, title: K0, type: course, grants: [k0]}"
    fixed = credpath("validate", project({"a.yaml": BROKEN_AND_GAP.format(fixed=grant)}))
    assert fixed.lines == [
        "project/a.yaml:4:50: error: unknown id 'c0x' (did you mean 'c0'?); this makes 1 "
        "outcome unreachable [unknown-reference]",
        JOB1_BEHIND_C0.format(line=7, gap=""),
    ]


def test_what_waits_on_two_broken_references_and_a_gap_is_reported(project: Project) -> None:
    name = project(
        {
            "a.yaml": """\
                competencies:
                  - {id: k0, title: K0}
                credentials:
                  - {id: c2, title: C2, type: course, requires: [k0x, k0x, k0]}
                  - {id: c5, title: C5, type: course, requires: [c2]}
                outcomes:
                  - {id: job0, title: Job, requires: [k0]}
            """
        }
    )
    run = credpath("validate", name)
    typo = (
        "project/a.yaml:4:{column}: error: unknown id 'k0x' (did you mean 'k0'?); this makes 1 "
        "credential unreachable [unknown-reference]"
    )
    assert run.lines == [
        "project/a.yaml:4:10: error: 'c2' can never be earned: it has an invalid requirement "
        "(project/a.yaml:4:50), and has an invalid requirement (project/a.yaml:4:55), and "
        "requires 'k0', which no credential grants [unearnable]",
        typo.format(column=50),
        typo.format(column=55),
        "project/a.yaml:4:60: error: 'k0' is not granted by any credential (nothing grants "
        "'k0'); this makes 2 credentials and 1 outcome unreachable [gap]",
        "project/a.yaml:5:10: error: 'c5' can never be earned: it requires 'c2', which has an "
        "invalid requirement (project/a.yaml:4:50), and requires 'c2', which has an invalid "
        "requirement (project/a.yaml:4:55), and requires 'c2', which requires 'k0', which no "
        "credential grants [unearnable]",
        "project/a.yaml:7:39: error: 'k0' is not granted by any credential (nothing grants "
        "'k0') [gap]",
    ]
    assert run.exit_code == 1


PATHWAY = """\
competencies:
  - {{id: sql, title: SQL, levels: [A, B, C]}}
  - {{id: viz, title: Viz}}
credentials:
  - {{id: sql-basics, title: SQL, type: course, grants: [sql@1]}}
  - {{id: viz-basics, title: Viz, type: course, grants: [viz@1]}}
outcomes:
  - {{id: analyst, title: Analyst, requires: [{needs}, viz@1]}}
pathways:
  - id: fast
    title: Fast
    outcome: analyst
    stages:
      - [{stage}]
"""


def test_a_typo_in_a_stage_does_not_hide_that_the_pathway_never_provides_viz(
    project: Project,
) -> None:
    run = credpath(
        "validate", project({"a.yaml": PATHWAY.format(needs="sql@1", stage="sql-basix")})
    )
    assert run.lines == [
        "project/a.yaml:12:14: error: after the only stage of pathway 'fast' the learner does "
        "not meet 'analyst': still missing 'sql@1', 'viz@1' [pathway-incomplete]",
        "project/a.yaml:14:10: error: unknown id 'sql-basix' (did you mean 'sql-basics'?) "
        "[unknown-reference]",
    ]


def test_a_typo_in_a_stage_that_alone_completes_it_is_the_one_finding(project: Project) -> None:
    stage = "sql-basix, viz-basics"
    run = credpath("validate", project({"a.yaml": PATHWAY.format(needs="sql@1", stage=stage)}))
    assert run.lines == [
        "project/a.yaml:14:10: error: unknown id 'sql-basix' (did you mean 'sql-basics'?) "
        "[unknown-reference]",
    ]


def test_a_gap_does_not_hide_that_the_pathway_never_provides_viz(project: Project) -> None:
    run = credpath(
        "validate", project({"a.yaml": PATHWAY.format(needs="sql@3", stage="sql-basics")})
    )
    assert [line for line in run.lines if "[dead-end]" not in line] == [
        "project/a.yaml:8:46: error: 'sql@3' is not granted by any credential (highest "
        "granted: sql@1 by 'sql-basics'); this makes 1 outcome unreachable [gap]",
        "project/a.yaml:12:14: error: after the only stage of pathway 'fast' the learner does "
        "not meet 'analyst': still missing 'sql@3', 'viz@1' [pathway-incomplete]",
    ]


def test_a_typo_in_grants_does_not_hide_a_dead_end_it_would_not_fix(project: Project) -> None:
    name = project(
        {
            "a.yaml": NET,
            "b.yaml": "credentials:\n  - {id: course, title: N, type: course, grants: [nett@1]}\n",
        }
    )
    run = credpath("validate", name)
    assert (
        "project/b.yaml:2:10: warning: 'course' leads to no outcome: it grants nothing, and no "
        "outcome or credential on the way to one requires it; a learner who finishes this sees "
        "no next door [dead-end]"
    ) in run.lines


def test_the_count_lands_on_the_broken_reference_not_on_a_schema_error_of_the_entry(
    project: Project,
) -> None:
    name = project(
        {
            "a.yaml": """\
                credentials:
                  - id: b
                    titel: B
                    title: B
                    type: course
                    requires: [sql-fundations]
                  - {id: sql-foundations, title: SQL, type: course}
                outcomes:
                  - {id: job, title: Job, requires: [b, sql-foundations]}
            """
        }
    )
    run = credpath("validate", name)
    assert run.lines == [
        "project/a.yaml:3:5: error: unknown key 'titel' (did you mean 'title'?) [schema]",
        "project/a.yaml:6:16: error: unknown id 'sql-fundations' (did you mean "
        "'sql-foundations'?); this makes 1 outcome unreachable [unknown-reference]",
    ]


# -- severities are settled before folding ----------------------------------------------------

WARNED_GAP = {
    "credpath.yaml": "rules:\n  gap: warning\n  dead-end: off\n",
    "a.yaml": """\
        competencies:
          - {id: net, title: Networking, levels: [Basic, Advanced]}
        credentials:
          - {id: net-basics, title: Net, type: course, grants: [net@1]}
        outcomes:
          - {id: admin, title: Admin, requires: [net@2]}
    """,
}


def test_a_gap_set_to_warning_that_hides_an_error_still_fails(project: Project) -> None:
    run = credpath("validate", project(WARNED_GAP))
    assert run.lines == [
        "project/a.yaml:6:42: error: 'net@2' is not granted by any credential (highest "
        "granted: net@1 by 'net-basics'); this makes 1 outcome unreachable (error) [gap]",
    ]
    assert run.stderr == "1 error, 0 warnings in 2 files\n"
    assert run.exit_code == 1


def test_an_info_root_that_hides_a_warning_fails_with_strict(project: Project) -> None:
    name = project(
        {
            "credpath.yaml": "rules:\n  unknown-reference: info\n",
            "a.yaml": """\
                competencies:
                  - {id: net, title: Networking}
                credentials:
                  - {id: basics, title: Basics, type: course, grants: [net]}
                  - {id: other, title: Other, type: course, grants: [nett]}
                outcomes:
                  - {id: admin, title: Admin, requires: [net]}
            """,
        }
    )
    run = credpath("validate", name)
    assert run.lines == [
        "project/a.yaml:5:54: warning: unknown competency 'nett' (did you mean 'net'?); it "
        "causes 1 warning (dead-end) [unknown-reference]",
    ]
    assert run.exit_code == 0
    assert credpath("validate", "--strict", name).exit_code == 1


# -- a root that is not reported absorbs nothing ---------------------------------------------

CYCLE = """\
credentials:
  - {id: a, title: A, type: course, requires: [b]}
  - {id: b, title: B, type: course, requires: [a]}
"""


def test_with_cycle_off_credentials_no_one_can_earn_still_fail(project: Project) -> None:
    run = credpath(
        "validate", project({"credpath.yaml": "rules:\n  cycle: off\n", "a.yaml": CYCLE})
    )
    assert run.lines == [
        "project/a.yaml:2:10: error: 'a' can never be earned: it is in the cycle a -> b -> a "
        "[unearnable]",
        "project/a.yaml:3:10: error: 'b' can never be earned: it is in the cycle a -> b -> a "
        "[unearnable]",
    ]
    assert run.exit_code == 1


def test_with_gap_off_a_stage_nothing_provides_still_fails(project: Project) -> None:
    name = project(
        {
            "credpath.yaml": "rules:\n  gap: off\n",
            "a.yaml": """\
                competencies:
                  - {id: sql, title: SQL, levels: [A, B, C]}
                credentials:
                  - {id: sql-basics, title: SQL, type: course, grants: [sql@1]}
                outcomes:
                  - {id: analyst, title: Analyst, requires: [sql@1]}
                pathways:
                  - id: fast
                    title: Fast
                    outcome: analyst
                    stages:
                      - [sql-basics]
                      - [sql@3]
            """,
        }
    )
    run = credpath("validate", name)
    assert run.lines == [
        "project/a.yaml:13:10: error: stage 2 of pathway 'fast': 'sql@3' is not held after "
        "stage 1: nothing in the pathway provides it (add a stage that does) [pathway-order]",
    ]
    assert run.exit_code == 1


TYPO_BEHIND = """\
credentials:
  - id: b
    title: B
    type: course
    requires: [sql-fundations]{comment}
  - {{id: sql-foundations, title: SQL, type: course}}
outcomes:
  - {{id: job, title: Job, requires: [b, sql-foundations]}}
"""
BEHIND_THE_TYPO = [
    "project/a.yaml:2:9: error: 'b' can never be earned: it has an invalid requirement "
    "(project/a.yaml:5:16) [unearnable]",
    "project/a.yaml:8:10: error: outcome 'job' cannot be reached: it requires 'b', which has "
    "an invalid requirement (project/a.yaml:5:16) [unreachable-outcome]",
]


@pytest.mark.parametrize(
    "files",
    [
        {"a.yaml": TYPO_BEHIND.format(comment="  # credpath: disable=unknown-reference")},
        {
            "credpath.yaml": "rules:\n  unknown-reference: off\n",
            "a.yaml": TYPO_BEHIND.format(comment=""),
        },
    ],
    ids=["suppressed", "off"],
)
def test_what_a_silenced_unknown_reference_blocks_is_reported(
    project: Project, files: dict[str, str]
) -> None:
    run = credpath("validate", project(files))
    assert (run.lines, run.exit_code) == (BEHIND_THE_TYPO, 1)


def test_lint_of_one_file_reports_what_a_root_in_another_file_blocks(project: Project) -> None:
    project(
        {
            "credpath.yaml": "name: Demo\n",
            "a.yaml": CYCLE,
            "b.yaml": """\
                credentials:
                  - id: c
                    title: C
                    description: C
                    type: course
                    provider: P
                    workload: {hours: 1}
                    requires: [a]
            """,
        }
    )
    run = credpath("lint", "project/b.yaml")
    assert run.lines == [
        "project/b.yaml:2:9: error: 'c' can never be earned: it requires 'a', which is in the "
        "cycle a -> b -> a [unearnable]",
    ]
    assert run.exit_code == 1
    whole = credpath("lint", "project").rules()
    assert "cycle" in whole
    assert "unearnable" not in whole


# -- every finding, for tools ------------------------------------------------------------------


def test_no_fold_prints_every_finding_and_json_lists_what_a_root_absorbed(
    project: Project,
) -> None:
    name = project({"a.yaml": CYCLE + "outcomes:\n  - {id: job, title: Job, requires: [a]}\n"})
    folded = credpath("validate", name)
    assert folded.rules() == ["cycle"]
    raw = credpath("validate", "--no-fold", name)
    assert raw.rules() == ["cycle", "unearnable", "unearnable", "unreachable-outcome"]
    assert raw.exit_code == 1
    document = json.loads(credpath("validate", "--format", "json", name).stdout)
    (root,) = document["diagnostics"]
    assert root["absorbed"] == [
        {"rule": "unearnable", "subject": "entry:a", "path": "project/a.yaml", "line": 2},
        {"rule": "unearnable", "subject": "entry:b", "path": "project/a.yaml", "line": 3},
        {
            "rule": "unreachable-outcome",
            "subject": "entry:job",
            "path": "project/a.yaml",
            "line": 5,
        },
    ]


@pytest.mark.parametrize("format_", ["json", "sarif", "github", "junit", "gitlab"])
def test_every_format_reports_the_root_only(project: Project, format_: str) -> None:
    name = project({"a.yaml": CYCLE + "outcomes:\n  - {id: job, title: Job, requires: [a]}\n"})
    run = credpath("validate", "--format", format_, name)
    assert run.exit_code == 1
    assert "b -&gt; a; none of them" in run.stdout or "b -> a; none of them" in run.stdout
    assert "'a' can never be earned" not in run.stdout
    assert "outcome 'job' cannot be reached" not in run.stdout
