"""The rule docstrings as Markdown: docs/rules.md, and the help text in SARIF output.

The docstrings are written for ``credpath explain`` (plain text, with ``Failing::``
and ``Passing::`` followed by an indented YAML block); this turns them into
Markdown with fenced YAML blocks so that one text serves the terminal, the docs
and code-scanning tools.
"""

from __future__ import annotations

import re
import textwrap

from credpath.rules import FIXED, RULES, Rule

GENERATED = (
    "<!-- Generated from the rule docstrings in src/credpath/rules/ by "
    "`python -m credpath.rules docs/rules.md`. Do not edit by hand. -->"
)


def to_markdown(doc: str) -> str:
    """A rule docstring as Markdown."""
    lines = doc.splitlines()
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.rstrip().endswith("::"):
            out.append(line.replace("``", "`"))
            continue
        out.append(line.rstrip()[:-2].replace("``", "`") + ":")
        block: list[str] = []
        while index < len(lines) and (not lines[index].strip() or lines[index][:1].isspace()):
            block.append(lines[index])
            index += 1
        code = textwrap.dedent("\n".join(block)).strip("\n")
        out += ["", "```yaml", code, "```", ""]
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def to_text(doc: str) -> str:
    """A rule docstring for the terminal (``credpath explain``): no reST markup."""
    lines = [line[:-1] if line.endswith("::") else line for line in doc.splitlines()]
    return "\n".join(lines).replace("``", "`") + "\n"


def runs_in(rule: Rule) -> str:
    return "lint" if rule.lint_only else "validate, lint"


def default_text(rule: Rule) -> str:
    if rule.id in FIXED:
        return "error (always)"
    return rule.default


def markdown() -> str:
    """docs/rules.md: an index of every rule, then each rule's documentation."""
    parts = [
        "# credpath rules",
        "",
        GENERATED,
        "",
        "Every finding of `credpath validate` and `credpath lint` comes from one of these "
        "rules. Rule ids are stable. `validate` runs the rules marked *validate*; `lint` runs "
        "all of them. Change a severity, or turn a rule off, under `rules:` in "
        "`credpath.yaml` (`yaml-syntax`, `duplicate-key` and `schema` are always errors); "
        "silence one place with a suppression comment:",
        "",
        "```yaml",
        "credentials:",
        "  # credpath: disable=missing-workload      (covers the whole entry below)",
        "  - id: sql-foundations",
        "    title: SQL Foundations",
        "    type: course",
        "    url: http://example.edu/sql  # credpath: disable=insecure-url (this line only)",
        "# credpath: disable-file=duplicate-title    (the whole file)",
        "```",
        "",
        "A comment at the end of a line covers that line; a comment alone on a line covers "
        "the next line that is not a comment; either one on an entry's first line covers "
        "the whole entry. `credpath rules` lists the rules, `credpath explain RULE` prints "
        "one rule's documentation.",
        "",
        "| rule | default | runs in | what it finds |",
        "|---|---|---|---|",
    ]
    for rule in RULES.values():
        summary = rule.summary.replace("``", "`").replace("|", "\\|")
        parts.append(
            f"| [`{rule.id}`](#{rule.id}) | {default_text(rule)} | {runs_in(rule)} | {summary} |"
        )
    for rule in RULES.values():
        parts += [
            "",
            f"## {rule.id}",
            "",
            f"Default: **{default_text(rule)}**. Runs in: {runs_in(rule)}.",
            "",
            to_markdown(rule.doc).rstrip("\n"),
        ]
    return "\n".join(parts) + "\n"
