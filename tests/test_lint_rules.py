"""The authoring rules of `credpath lint` (FORMAT.md section 6): which they are, their
defaults, and how configuration and retired credentials change what they report.

Each rule's own cases (a project that gives it, one that does not, and its exact lines)
are folders: fixtures/rules/<rule-id>/, run by test_rule_cases.py.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import FIXTURES, credpath
from credpath.checks.rules import RULES

RULE_CASES = FIXTURES / "rules"
AUTHORING = sorted(rule.id for rule in RULES.values() if rule.lint_only)


def lines_of(rule: str, stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.endswith(f"[{rule}]")]


def test_the_authoring_rules() -> None:
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
    shutil.copytree(RULE_CASES / "eu-microcredential" / "bad", tmp_path / "bad")
    (tmp_path / "bad" / "credpath.yaml").write_text("name: EU\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert lines_of("eu-microcredential", credpath("lint", "bad").stdout) == []


def test_configured_severity_applies_to_authoring_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(RULE_CASES / "missing-provider" / "bad", tmp_path / "bad")
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
