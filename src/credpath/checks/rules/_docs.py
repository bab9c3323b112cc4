"""The rule docstrings as Markdown: docs/rules.md, and the help text in SARIF output.

The docstrings are written for ``credpath explain`` (plain text, with ``Failing::``
and ``Passing::`` followed by an indented YAML block, and ``Gives::`` by the lines the
failing one gives); this turns them into Markdown with fenced blocks so that one text
serves the terminal, the docs and code-scanning tools.
"""

from __future__ import annotations

import re
import textwrap

from credpath.checks.rules import FIXED, RULES, Rule

GENERATED = (
    "<!-- Generated from the rule docstrings in src/credpath/checks/rules/ by "
    "`python -m credpath.checks.rules docs/rules.md`. Do not edit by hand. -->"
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
        name = line.rstrip()[:-2]
        out.append(name.replace("``", "`") + ":")
        block: list[str] = []
        while index < len(lines) and (not lines[index].strip() or lines[index][:1].isspace()):
            block.append(lines[index])
            index += 1
        code = textwrap.dedent("\n".join(block)).strip("\n")
        out += ["", "```text" if name == "Gives" else "```yaml", code, "```", ""]
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def to_text(doc: str) -> str:
    """A rule docstring for the terminal (``credpath explain``): no reST markup."""
    lines = [line[:-1] if line.endswith("::") else line for line in doc.splitlines()]
    return "\n".join(lines).replace("``", "`") + "\n"


def runs_in(rule: Rule) -> str:
    if rule.on_demand:
        return rule.on_demand
    return "lint" if rule.lint_only else "validate, lint"


def default_text(rule: Rule) -> str:
    if rule.id in FIXED:
        return "error (always)"
    return rule.default


FOLDING = [
    "## Folding: one root cause, one finding",
    "",
    "A finding that follows from another is folded into it: the root's message says what "
    "it makes unreachable, for example `'weld@1' is not granted by any credential ...; "
    "this makes 3 credentials and 1 outcome unreachable [gap]`.",
    "",
    "**The rule.** A finding is folded into a root only when fixing that root, as its "
    "message says, makes the folded finding go away. The fixes meant: a gap, a credential "
    "that grants the level without requiring it; a cycle, its loop broken; an id defined "
    "twice, the later entry given an id of its own; a reference with a did-you-mean, "
    "written as suggested (and only when what it then names can be had); a credential "
    "that names a retired one, that reference replaced. credpath's tests check it on "
    "random projects by applying each fix and checking again. One exception "
    "comes from the format: an entry whose own reference is broken is not also reported "
    "as unreachable (the broken reference is its finding).",
    "",
    "- **Every cause is named.** Something blocked by two independent roots (a gap and a "
    "retired credential, say) is folded into neither: fixing one leaves it blocked. Its "
    "own finding names every cause, and each root that blocks it on its own counts it. "
    "What waits only on it is folded into it, unless one of those causes is a broken "
    "reference of its own: once the others are fixed, its finding is that reference's "
    "(the exception above), which does not explain what waits on it, so what waits on it "
    "is reported on its own from the start, and a fix never brings a folded finding back.",
    "- **Nothing is lost.** A root that is off (`rules:` in `credpath.yaml`), suppressed, "
    "or, for `credpath lint FILE`, located in a file not linted, absorbs nothing: what it "
    "would have absorbed is reported.",
    "- **Severities first.** Severities are settled before folding, and a root reports at "
    "the highest severity of what it absorbed: with `gap: warning`, a gap that makes an "
    "outcome unreachable is still an error (`...; this makes 1 outcome unreachable "
    "(error) [gap]`), so the exit code and `--strict` count every finding, folded or not.",
    "- **Every finding, for tools.** `--no-fold` (on `validate` and `lint`) prints every "
    "finding on its own. The JSON output always lists, on each root, what was folded into "
    'it: `"absorbed": [{"rule", "subject", "path", "line"}]`, the subject '
    "naming the entry, the part of an entry (`part:sql-advanced#/requires/0`), the gap "
    "(`gap:sql@3`), the cycle or the id it is about.",
]
"""docs/rules.md's section on folding (diagnostics.fold, and the rules that set causes)."""


def markdown() -> str:
    """docs/rules.md: an index of every rule, then each rule's documentation."""
    parts = [
        "# credpath rules",
        "",
        GENERATED,
        "",
        "Every finding of `credpath validate` and `credpath lint` comes from one of these "
        "rules. Rule ids are stable. `validate` runs the rules marked *validate*; `lint` runs "
        "all of them but `ctdl-readiness`, which only `credpath export ctdl --check` runs. "
        "Change a severity, or turn a rule off, under `rules:` in "
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
    parts += ["", *FOLDING]
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
