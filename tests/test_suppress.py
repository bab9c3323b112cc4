"""Suppression comments (FORMAT.md sections 6 and 7), as an author writes them.

``# credpath: disable=a,b`` at the end of a line or alone on the line above; on an
entry's first line (or above it) for the whole entry; ``disable-file=`` for the file.
Both validate and lint honour them; lint reports the ones that silenced nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from conftest import credpath

Project = Callable[..., str]

COMPETENCIES = """\
competencies:
  - {id: sql, title: SQL}
"""
OUTCOMES = """\
outcomes:
  - {id: analyst, title: Analyst, description: Reports., requires: [sql@1]}
"""


def lint(project: Project, credentials: str, **more: str) -> list[str]:
    files = {"competencies.yaml": COMPETENCIES, "outcomes.yaml": OUTCOMES}
    name = project({**files, "credentials.yaml": credentials, **more})
    return credpath("lint", name).lines


CREDENTIAL = """\
credentials:
  - id: sql-basics
    title: SQL Basics
    type: course
    provider: Example College
    description: Queries.
    url: http://example.edu/sql-basics
    workload: {hours: 50, ects: 2}
    grants: [sql@1]
"""


def test_unsuppressed_finding_for_reference(project: Project) -> None:
    assert lint(project, CREDENTIAL) == [
        "project/credentials.yaml:7:10: warning: the url of 'sql-basics' uses http://: link to "
        "https://example.edu/sql-basics if the site serves it [insecure-url]"
    ]


def test_end_of_line_comment_silences_that_line(project: Project) -> None:
    text = CREDENTIAL.replace(
        "url: http://example.edu/sql-basics",
        "url: http://example.edu/sql-basics  # credpath: disable=insecure-url",
    )
    assert lint(project, text) == []


def test_comment_alone_above_silences_the_next_line(project: Project) -> None:
    text = CREDENTIAL.replace(
        "    url: http://",
        "    # credpath: disable=insecure-url -- the provider has no TLS yet\n    url: http://",
    )
    assert lint(project, text) == []


def test_comment_on_another_line_of_the_entry_does_not_cover_it(project: Project) -> None:
    text = CREDENTIAL.replace(
        "description: Queries.", "description: Queries.  # credpath: disable=insecure-url"
    )
    assert [line.rsplit("[", 1)[1] for line in lint(project, text)] == [
        "unused-suppression]",
        "insecure-url]",
    ]


def test_comment_on_the_first_line_covers_the_whole_entry(project: Project) -> None:
    text = CREDENTIAL.replace(
        "- id: sql-basics", "- id: sql-basics  # credpath: disable=insecure-url"
    )
    assert lint(project, text) == []


def test_comment_above_the_first_line_covers_the_whole_entry(project: Project) -> None:
    text = CREDENTIAL.replace(
        "  - id: sql-basics",
        "  # credpath: disable=insecure-url\n  # (the provider is fixing it)\n  - id: sql-basics",
    )
    assert lint(project, text) == []


def test_an_entry_comment_covers_only_its_entry(project: Project) -> None:
    second = """\
  - id: sql-more
    title: More SQL
    type: course
    provider: Example College
    description: More queries.
    url: http://example.edu/sql-more
    workload: {hours: 50, ects: 2}
    requires: [sql-basics]
    grants: [sql@1]
"""
    text = (
        CREDENTIAL.replace("- id: sql-basics", "- id: sql-basics  # credpath: disable=insecure-url")
        + second
    )
    assert [line.split(": ")[0] for line in lint(project, text)] == [
        "project/credentials.yaml:15:10"
    ]


def test_one_line_flow_entry(project: Project) -> None:
    text = (
        "credentials:\n"
        "  - {id: a, title: A, type: course, provider: P, description: TODO, grants: [sql@1],"
        " workload: {hours: 25}}  # credpath: disable=placeholder-text\n"
    )
    assert lint(project, text) == []


def test_file_comment_silences_the_rule_everywhere_in_the_file(project: Project) -> None:
    text = "# credpath: disable-file=insecure-url,missing-provider\n" + CREDENTIAL
    text = text.replace("    provider: Example College\n", "")
    assert lint(project, text) == []


def test_several_rules_in_one_comment(project: Project) -> None:
    text = CREDENTIAL.replace("    provider: Example College\n", "").replace(
        "- id: sql-basics",
        "- id: sql-basics  # credpath: disable=insecure-url , missing-provider",
    )
    assert lint(project, text) == []


def test_text_inside_a_string_or_block_scalar_is_no_comment(project: Project) -> None:
    text = CREDENTIAL.replace(
        "description: Queries.",
        'description: "see # credpath: disable=insecure-url"\n'
        "    assessment: |\n"
        "      # credpath: disable=insecure-url\n"
        "      Practical exam.",
    )
    assert [line.rsplit("[", 1)[1] for line in lint(project, text)] == ["insecure-url]"]


def test_validate_honours_suppressions(project: Project) -> None:
    name = project(
        {
            "curriculum.yaml": """\
                outcomes:
                  - id: analyst
                    title: Analyst
                    requires: [sql@2]  # credpath: disable=gap,unreachable-outcome
                  # credpath: disable=unreachable-outcome
                  - {id: engineer, title: Engineer, requires: [sql@2]}  # credpath: disable=gap
                competencies:
                  - {id: sql, title: SQL, levels: [a, b]}
                """
        }
    )
    run = credpath("validate", name)
    assert [line.split(": error: ")[0] for line in run.lines] == ["project/curriculum.yaml:2:9"]
    assert run.rules() == ["unreachable-outcome"]
    assert run.exit_code == 1
    assert run.stderr == "1 error, 0 warnings in 1 file\n"


def test_validate_reports_no_unused_suppression(project: Project) -> None:
    name = project(
        {
            "competencies.yaml": COMPETENCIES.replace("SQL}", "SQL}  # credpath: disable=gap"),
            "outcomes.yaml": OUTCOMES,
            "credentials.yaml": CREDENTIAL,
        }
    )
    run = credpath("validate", name)
    assert (run.exit_code, run.stdout) == (0, "")


def test_suppressions_in_credpath_yaml(project: Project) -> None:
    name = project(
        {
            "credpath.yaml": "assumed: [numeracy]  # credpath: disable=unknown-reference\n",
            "competencies.yaml": COMPETENCIES,
        }
    )
    assert credpath("lint", name).rules() == ["orphan-competency"]


def test_yaml_syntax_duplicate_key_and_schema_cannot_be_suppressed(project: Project) -> None:
    text = CREDENTIAL.replace("- id: sql-basics", "- id: sql-basics  # credpath: disable=schema")
    text = text.replace("type: course", "type: lecture").replace("http:", "https:")
    found = lint(project, text)
    assert found[0] == (
        "project/credentials.yaml:2:41: warning: 'schema' cannot be suppressed: yaml-syntax, "
        "duplicate-key and schema findings keep a file from being checked; fix them instead "
        "[unused-suppression]"
    )
    assert found[1].startswith("project/credentials.yaml:4:11: error: ")
    assert found[1].endswith("[schema]")
    assert len(found) == 2


def test_unused_suppression_reports_each_unused_name(project: Project) -> None:
    text = CREDENTIAL.replace(
        "- id: sql-basics",
        "- id: sql-basics  # credpath: disable=insecure-url,missing-provider,level-jmp",
    )
    assert lint(project, text) == [
        "project/credentials.yaml:2:54: warning: 'missing-provider' is suppressed here but "
        "reports nothing in this entry: remove it from the comment [unused-suppression]",
        "project/credentials.yaml:2:71: warning: unknown rule 'level-jmp' in a suppression "
        "(did you mean 'level-jump'?) [unused-suppression]",
    ]


def test_rules_that_are_off_are_not_reported_unused(project: Project) -> None:
    text = CREDENTIAL.replace(
        "- id: sql-basics",
        "- id: sql-basics  # credpath: disable=insecure-url,eu-microcredential,dead-end",
    )
    assert lint(project, text, **{"credpath.yaml": "rules: {dead-end: off}\n"}) == []


def test_unused_suppression_can_itself_be_silenced(project: Project) -> None:
    text = "# credpath: disable-file=unused-suppression\n" + CREDENTIAL.replace(
        "description: Queries.", "description: Queries.  # credpath: disable=gap"
    )
    assert [line.rsplit("[", 1)[1] for line in lint(project, text)] == ["insecure-url]"]


def test_unused_suppression_can_be_turned_off(project: Project) -> None:
    text = CREDENTIAL.replace("description: Queries.", "description: Q.  # credpath: disable=gap")
    found = lint(project, text, **{"credpath.yaml": "rules: {unused-suppression: off}\n"})
    assert [line.rsplit("[", 1)[1] for line in found] == ["insecure-url]"]


def test_linting_one_file_reports_no_unused_suppression_of_another(project: Project) -> None:
    name = project(
        {
            "competencies.yaml": COMPETENCIES.replace("SQL}", "SQL}  # credpath: disable=gap"),
            "outcomes.yaml": OUTCOMES,
            "credentials.yaml": CREDENTIAL,
        }
    )
    run = credpath("lint", f"{name}/credentials.yaml")
    assert run.rules() == ["insecure-url"]
    assert credpath("lint", name).rules() == ["unused-suppression", "insecure-url"]


def test_an_entry_comment_is_scoped_from_the_first_parse_without_parsing_the_file_again() -> None:
    from pathlib import Path

    from credpath.checks.suppress import collect
    from credpath.compiler.loader import parse_source

    text = (
        "credentials:\n"
        "  - just text  # credpath: disable=placeholder-text\n"
        "  - id: a  # credpath: disable=insecure-url\n"
        "    title: A\n"
        "    url: http://example.edu/a\n"
    )
    source = parse_source(Path("c.yaml"), "c.yaml", text.encode())
    found = [(s.start, s.end, s.scope) for s in collect(source)]
    assert found == [((2, 1), (2, 14), "in this entry"), ((3, 1), (6, 1), "in this entry")]
    assert "positions" in source.__dict__  # the text item was not recorded by the first parse

    source = parse_source(Path("c.yaml"), "c.yaml", text.replace("just text", "{id: b}").encode())
    found = [(s.start, s.end, s.scope) for s in collect(source)]
    assert found == [((2, 1), (2, 12), "in this entry"), ((3, 1), (6, 1), "in this entry")]
    assert "positions" not in source.__dict__
