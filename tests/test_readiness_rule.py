"""ctdl-readiness is a rule like the others (``rules``, ``explain``, docs/rules.md, the
severity in credpath.yaml), but only ``credpath export ctdl --check`` runs it."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import credpath
from credpath.checks.rules import ALL, RULES
from credpath.checks.rules.ctdl_readiness import ID

ROOT = Path(__file__).parents[1]

SHORT = """\
    credentials:
      - id: sql-foundations
        title: SQL Foundations
        type: course
        url: https://example.edu/sql
"""
SHORT_LINES = [
    "project/credentials.yaml:2:9: error: credential 'sql-foundations' needs a description "
    "of at least 15 characters for the Credential Registry (add description:) [ctdl-readiness]",
    "project/credentials.yaml:2:9: error: credential 'sql-foundations' needs its owning "
    "organization for the Credential Registry: add provider: [ctdl-readiness]",
]


def example(kind: str) -> str:
    """The rule's own ``Failing::`` or ``Passing::`` example, as a file's text."""
    block = RULES[ID].doc.split(f"{kind}::", 1)[1]
    block = block.split("Gives::", 1)[0].split("Passing::", 1)[0]
    return textwrap.dedent(block).strip("\n") + "\n"


def test_explain_knows_the_rule() -> None:
    run = credpath("explain", "ctdl-readiness")
    assert run.exit_code == 0
    assert run.lines[:3] == [
        "ctdl-readiness: error, runs in export ctdl --check",
        "",
        "A record the Credential Registry would refuse: minimum data that no default supplies.",
    ]
    assert "Failing:" in run.lines
    assert "Passing:" in run.lines


def test_explain_takes_it_as_printed_after_a_finding() -> None:
    run = credpath("explain", "[ctdl-readiness]")
    assert run.exit_code == 0
    assert run.lines[0] == "ctdl-readiness: error, runs in export ctdl --check"


def test_rules_lists_it_with_the_command_that_runs_it() -> None:
    run = credpath("rules")
    assert run.exit_code == 0
    row = next(line for line in run.lines if line.startswith("ctdl-readiness "))
    assert row.split()[1] == "error"
    assert "  export ctdl --check  A record the Credential Registry would refuse" in row


def test_the_engine_never_runs_it() -> None:
    assert RULES[ID].on_demand == "export ctdl --check"
    assert ID not in {rule.id for rule in ALL}


def test_the_docs_list_it() -> None:
    docs = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert "| [`ctdl-readiness`](#ctdl-readiness) | error | export ctdl --check |" in docs
    assert "## ctdl-readiness\n\nDefault: **error**. Runs in: export ctdl --check." in docs


def test_the_failing_example_fails_the_check(project: Callable[..., str]) -> None:
    name = project({"credentials.yaml": example("Failing")})
    run = credpath("export", "ctdl", name, "--check")
    assert run.exit_code == 1
    assert run.lines == [
        "project/credentials.yaml:2:9: error: credential 'sql-foundations' needs a description "
        "of at least 15 characters for the Credential Registry (add description:) "
        "[ctdl-readiness]"
    ]


def test_the_passing_example_passes_the_check(project: Callable[..., str]) -> None:
    name = project({"credentials.yaml": example("Passing")})
    run = credpath("export", "ctdl", name, "--check")
    assert run.exit_code == 0
    assert run.lines == []


@pytest.mark.parametrize("command", ["validate", "lint"])
def test_validate_and_lint_do_not_run_it(command: str, project: Callable[..., str]) -> None:
    name = project({"credentials.yaml": SHORT})
    run = credpath(command, name)
    assert not [line for line in run.lines if line.endswith("[ctdl-readiness]")]


def test_the_check_finds_what_the_author_must_add(project: Callable[..., str]) -> None:
    name = project({"credentials.yaml": SHORT})
    run = credpath("export", "ctdl", name, "--check")
    assert run.exit_code == 1
    assert run.lines == SHORT_LINES


def test_credpath_yaml_sets_its_severity(project: Callable[..., str]) -> None:
    name = project(
        {"credentials.yaml": SHORT, "credpath.yaml": "rules:\n  ctdl-readiness: warning\n"}
    )
    run = credpath("export", "ctdl", name, "--check")
    assert run.exit_code == 0
    assert run.lines == [line.replace(": error: ", ": warning: ") for line in SHORT_LINES]


def test_credpath_yaml_turns_it_off(project: Callable[..., str]) -> None:
    name = project({"credentials.yaml": SHORT, "credpath.yaml": "rules:\n  ctdl-readiness: off\n"})
    run = credpath("export", "ctdl", name, "--check")
    assert run.exit_code == 0
    assert run.lines == []


def test_the_check_reports_in_sarif(project: Callable[..., str]) -> None:
    """SARIF names each result's rule from the registry: before ctdl-readiness was in it,
    this was an internal error."""
    name = project({"credentials.yaml": SHORT})
    run = credpath("export", "ctdl", name, "--check", "--format", "sarif")
    assert run.exit_code == 1
    sarif = json.loads(run.stdout)["runs"][0]
    rules = [rule["id"] for rule in sarif["tool"]["driver"]["rules"]]
    assert [rules[r["ruleIndex"]] for r in sarif["results"]] == [ID, ID]
    assert [r["ruleId"] for r in sarif["results"]] == [ID, ID]
