"""Every rule, case by case, as an author meets its findings.

Each rule has a folder ``fixtures/rules/<rule-id>/`` of cases: ``<case>/`` is a small
project and ``<case>.txt`` beside it the lines credpath prints for it, exactly, one per
line (an empty file: it prints nothing). A case named ``bad`` or ``bad-...`` must give
the rule; one named ``good`` or ``good-...`` must not. Each rule has at least one of each.

The command is the one that runs the rule, run from the rule's folder on the case:

- ``credpath validate <case>`` for a rule validate runs: ``<case>.txt`` is everything it
  prints (validate is quiet on a clean project), and it exits 1 exactly when one of
  those lines is an error. The same for a rule that only its own command runs
  (``credpath export ctdl --check <case>`` for ``ctdl-readiness``).
- ``credpath lint <case>`` for an authoring rule: ``<case>.txt`` is that rule's lines, as
  lint runs every authoring rule at once and the others' lines would drown it.
  ``validate`` prints none of them.

Adding a rule means adding its folder: ``test_every_rule_has_a_case_folder`` says when one
is missing. The expected files are written by hand (or by a one-off script whose output
was reviewed); no test writes them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, credpath
from credpath.checks.rules import RULES, Rule

CASES = FIXTURES / "rules"


def rule_folders() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir())


def cases() -> list[Path]:
    return [case for rule in rule_folders() for case in sorted(rule.iterdir()) if case.is_dir()]


def case_id(case: Path) -> str:
    return f"{case.parent.name}/{case.name}"


def rule_of(case: Path) -> Rule:
    return RULES[case.parent.name]


def command(rule: Rule) -> list[str]:
    """The command that runs the rule, as an author types it."""
    if rule.on_demand:
        return rule.on_demand.split()
    return ["lint"] if rule.lint_only else ["validate"]


def lines_of(rule: str, lines: list[str]) -> list[str]:
    return [line for line in lines if line.endswith(f"[{rule}]")]


def test_every_rule_has_a_case_folder() -> None:
    assert [p.name for p in rule_folders()] == sorted(RULES)


@pytest.mark.parametrize("rule", rule_folders(), ids=lambda p: p.name)
def test_each_case_has_its_expected_lines_and_a_name_that_says_what_it_shows(
    rule: Path,
) -> None:
    folders = {p.name for p in rule.iterdir() if p.is_dir()}
    texts = {p.name.removesuffix(".txt") for p in rule.iterdir() if p.is_file()}
    assert folders == texts, "each case is a folder and its .txt, nothing else"
    kinds = {name.split("-", 1)[0] for name in folders}
    assert kinds == {"bad", "good"}, "bad or bad-..., good or good-..., at least one of each"


@pytest.mark.parametrize("case", cases(), ids=case_id)
def test_the_case_prints_exactly_its_expected_lines(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rule = rule_of(case)
    expected = (case.parent / f"{case.name}.txt").read_text(encoding="utf-8").splitlines()
    monkeypatch.chdir(case.parent)
    run = credpath(*command(rule), case.name)
    printed = lines_of(rule.id, run.lines) if rule.lint_only else run.lines
    assert printed == expected
    assert bool(lines_of(rule.id, printed)) == case.name.startswith("bad")
    if not rule.lint_only:
        assert run.exit_code == (1 if any(": error: " in line for line in printed) else 0)


@pytest.mark.parametrize(
    "case",
    [case for case in cases() if rule_of(case).lint_only or rule_of(case).on_demand],
    ids=case_id,
)
def test_validate_runs_no_authoring_rule_and_lint_no_rule_on_demand(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rule = rule_of(case)
    monkeypatch.chdir(case.parent)
    assert lines_of(rule.id, credpath("validate", case.name).lines) == []
    if rule.on_demand:
        assert lines_of(rule.id, credpath("lint", case.name).lines) == []
