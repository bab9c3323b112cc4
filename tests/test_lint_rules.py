"""The authoring rules of `credpath lint` (FORMAT.md section 6), one example pair each.

Every authoring rule has a folder ``fixtures/lint/rules/<rule-id>/`` with a ``bad/``
project, the exact lines it prints for that rule in ``expected.txt``, and a ``good/``
project, the same fixed, that prints none. Each ``bad/`` also holds the cases the rule
must stay quiet about (retired credentials, ids and URLs, broken fields, ...).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import FIXTURES, credpath
from credpath.checks.rules import RULES

LINT_RULES = FIXTURES / "lint" / "rules"
AUTHORING = sorted(rule.id for rule in RULES.values() if rule.lint_only)


def lines_of(rule: str, stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.endswith(f"[{rule}]")]


def test_every_authoring_rule_has_examples() -> None:
    assert (
        sorted(
            [
                "missing-description",
                "placeholder-text",
                "missing-workload",
                "missing-provider",
                "insecure-url",
                "retired-reference",
                "draft-in-pathway",
                "level-jump",
                "workload-mismatch",
                "duplicate-title",
                "eu-microcredential",
                "unused-suppression",
            ]
        )
        == AUTHORING
    )
    assert sorted(p.name for p in LINT_RULES.iterdir() if p.is_dir()) == AUTHORING


@pytest.mark.parametrize("rule", AUTHORING)
def test_bad_example_prints_exactly_its_lines(rule: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(LINT_RULES / rule)
    expected = (LINT_RULES / rule / "expected.txt").read_text(encoding="utf-8").splitlines()
    run = credpath("lint", "bad")
    assert expected, "an example that finds nothing shows nothing"
    assert lines_of(rule, run.stdout) == expected


@pytest.mark.parametrize("rule", AUTHORING)
def test_good_example_is_quiet(rule: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(LINT_RULES / rule)
    run = credpath("lint", "good")
    assert lines_of(rule, run.stdout) == []


@pytest.mark.parametrize("rule", AUTHORING)
def test_validate_does_not_run_authoring_rules(rule: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(LINT_RULES / rule)
    assert lines_of(rule, credpath("validate", "bad").stdout) == []


def test_rule_docstrings_hold_a_failing_and_a_passing_example() -> None:
    for rule in RULES.values():
        assert "Failing::" in rule.doc, rule.id
        assert "Passing::" in rule.doc, rule.id
        assert rule.doc.index("Failing::") < rule.doc.index("Passing::"), rule.id


def test_authoring_rules_are_lint_only_with_the_documented_defaults() -> None:
    defaults = {rule: RULES[rule].default for rule in AUTHORING}
    assert defaults == {
        "missing-description": "warning",
        "placeholder-text": "warning",
        "missing-workload": "warning",
        "missing-provider": "warning",
        "insecure-url": "warning",
        "retired-reference": "error",
        "draft-in-pathway": "warning",
        "level-jump": "warning",
        "workload-mismatch": "warning",
        "duplicate-title": "warning",
        "eu-microcredential": "off",
        "unused-suppression": "warning",
    }


def test_eu_microcredential_is_off_until_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(LINT_RULES / "eu-microcredential" / "bad", tmp_path / "bad")
    (tmp_path / "bad" / "credpath.yaml").write_text("name: EU\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert lines_of("eu-microcredential", credpath("lint", "bad").stdout) == []


def test_configured_severity_applies_to_authoring_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(LINT_RULES / "missing-provider" / "bad", tmp_path / "bad")
    (tmp_path / "bad" / "credpath.yaml").write_text(
        "rules:\n  missing-provider: error\n  missing-workload: off\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    run = credpath("lint", "bad")
    assert run.exit_code == 1
    assert [line.split(": ")[1] for line in lines_of("missing-provider", run.stdout)] == [
        "error",
        "error",
    ]
    assert lines_of("missing-workload", run.stdout) == []


@pytest.mark.parametrize("status", ["retired", "active"])
def test_retired_credentials_are_skipped_by_content_rules(
    status: str, project: Callable[..., str]
) -> None:
    name = project(
        {
            "credpath.yaml": "rules: {eu-microcredential: warning}\n",
            "c.yaml": """\
                competencies:
                  - {id: x, title: X, levels: [a, b, c]}
                credentials:
                  - id: old
                    title: TODO
                    type: micro-credential
                    status: STATUS
                    url: http://example.edu/old
                    workload: {hours: 1, ects: 1}
                    grants: [x@3]
                """.replace("STATUS", status),
        }
    )
    content_rules = {  # missing-workload: see its own example
        "level-jump",
        "missing-description",
        "missing-provider",
        "workload-mismatch",
        "insecure-url",
        "placeholder-text",
        "eu-microcredential",
    }
    found = set(credpath("lint", name).rules()) & content_rules
    assert found == (set() if status == "retired" else content_rules)
