"""Every rule's docstring examples run, and give what the docstring says.

A rule's docstring (its documentation: ``credpath explain``, docs/rules.md, SARIF help)
ends with three blocks::

    Failing::

        (a whole project in one file)

    Gives::

        curriculum.yaml:LINE:COLUMN: SEVERITY: MESSAGE [rule-id]
          (a line too long for the docstring goes on, indented further; the parts
          join with one space)

    Passing::

        (the same project, fixed)

Each example is written as ``curriculum.yaml`` in an empty folder and checked from there
by the command that runs the rule, as an author would: ``credpath validate``, ``credpath
lint`` for an authoring rule, or its own (``credpath export ctdl --check``); a rule that
is off by default is turned on at its documented severity in ``credpath.yaml``. The
failing example gives exactly the ``Gives`` lines of the rule, the passing one none; the
lines of other rules do not count (lint runs every authoring rule at once).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from conftest import credpath
from credpath.checks.rules import RULES, Rule
from credpath.checks.rules._docs import to_markdown


def blocks(doc: str) -> dict[str, str]:
    """The docstring's ``Name::`` blocks, in order, each dedented."""
    found: dict[str, str] = {}
    lines = doc.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index].rstrip()
        index += 1
        if not line.endswith("::"):
            continue
        block: list[str] = []
        while index < len(lines) and (not lines[index].strip() or lines[index][:1].isspace()):
            block.append(lines[index])
            index += 1
        found[line[:-2]] = textwrap.dedent("\n".join(block)).strip("\n") + "\n"
    return found


def findings(block: str) -> list[str]:
    """The ``Gives`` block as credpath prints it: continuation lines joined to theirs."""
    lines: list[str] = []
    for line in block.splitlines():
        if line[:1].isspace():
            lines[-1] += " " + line.strip()
        elif line:
            lines.append(line)
    return lines


def lines_of_rule(
    rule: Rule, example: str, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    folder.mkdir()
    (folder / "curriculum.yaml").write_text(example, encoding="utf-8")
    if not rule.enabled:
        config = f"rules:\n  {rule.id}: {rule.severity.label}\n"
        (folder / "credpath.yaml").write_text(config, encoding="utf-8")
    monkeypatch.chdir(folder)
    if rule.on_demand:
        run = credpath(*rule.on_demand.split())
    else:
        run = credpath("lint" if rule.lint_only else "validate")
    return [line for line in run.lines if line.endswith(f"[{rule.id}]")]


def test_every_docstring_ends_with_failing_gives_passing() -> None:
    shapes = {rule.id: list(blocks(rule.doc))[-3:] for rule in RULES.values()}
    assert [
        rule for rule, shape in shapes.items() if shape != ["Failing", "Gives", "Passing"]
    ] == []


@pytest.mark.parametrize("rule", RULES.values(), ids=lambda rule: rule.id)
def test_the_failing_example_gives_exactly_what_the_docstring_says(
    rule: Rule, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = blocks(rule.doc)
    given = lines_of_rule(rule, example["Failing"], tmp_path / "failing", monkeypatch)
    assert given == findings(example["Gives"])


@pytest.mark.parametrize("rule", RULES.values(), ids=lambda rule: rule.id)
def test_the_passing_example_gives_nothing_of_the_rule(
    rule: Rule, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    passing = blocks(rule.doc)["Passing"]
    assert lines_of_rule(rule, passing, tmp_path / "passing", monkeypatch) == []


def test_the_docs_show_the_findings_as_text_and_the_examples_as_yaml() -> None:
    doc = "Summary.\n\nFailing::\n\n    a: [\n\nGives::\n\n    x.yaml:1:4: error: m\n      n [r]\n"
    assert to_markdown(doc) == (
        "Summary.\n\nFailing:\n\n```yaml\na: [\n```\n\n"
        "Gives:\n\n```text\nx.yaml:1:4: error: m\n  n [r]\n```\n"
    )
