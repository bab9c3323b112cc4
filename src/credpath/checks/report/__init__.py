"""Reporters: the same findings as text, JSON, and the CI formats.

Each reporter is a function from a Report to the text to write; ``REPORTERS``
maps the ``--format`` names to them. The CI formats live in their own modules:
github (workflow commands), sarif (SARIF 2.1.0 for code scanning), junit (JUnit
XML) and gitlab (GitLab Code Quality).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from credpath.base.diagnostics import Diagnostic, Severity
from credpath.base.text import json_text
from credpath.checks.report.base import Report as Report

SEVERITY_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
"""How a terminal shows each severity (rich styles; the command layer prints them)."""


def text(report: Report) -> str:
    """One compiler-style line per finding (see docs/format.md, "Findings")."""
    return "".join(d.format() + "\n" for d in report.diagnostics)


def as_dict(d: Diagnostic) -> dict[str, object]:
    """A finding as JSON; a root also lists what was folded into it (``absorbed``), so
    that nothing is invisible to a machine."""
    found: dict[str, object] = {
        "path": d.path,
        "line": d.line,
        "column": d.column,
        "end_line": d.end_line,
        "end_column": d.end_column,
        "severity": d.severity.label,
        "rule": d.rule,
        "message": d.message,
        "related": [{"path": r.path, "line": r.line, "column": r.column} for r in d.related],
    }
    if d.absorbed:
        found["absorbed"] = [
            {
                "rule": a.rule,
                "subject": str(a.subject) if a.subject is not None else None,
                "path": a.path,
                "line": a.line,
            }
            for a in d.absorbed
        ]
    return found


def counts(diagnostics: Sequence[Diagnostic]) -> dict[str, int]:
    found = {"error": 0, "warning": 0, "info": 0}
    for d in diagnostics:
        found[d.severity.label] += 1
    return found


def as_json(report: Report) -> str:
    document = {
        "version": 1,
        "files": report.file_count,
        "summary": counts(report.diagnostics),
        "diagnostics": [as_dict(d) for d in report.diagnostics],
    }
    return json_text(document)


def summary(diagnostics: Sequence[Diagnostic], file_count: int) -> str:
    """ "3 errors, 1 warning in 12 files" (info findings are counted when present)."""
    found = counts(diagnostics)

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    parts = [plural(found["error"], "error"), plural(found["warning"], "warning")]
    if found["info"]:
        parts.append(f"{found['info']} info")
    return f"{', '.join(parts)} in {plural(file_count, 'file')}"


def _reporters() -> dict[str, Callable[[Report], str]]:
    from credpath.checks.report import github, gitlab, junit, sarif

    return {
        "text": text,
        "json": as_json,
        "github": github.render,
        "sarif": sarif.render,
        "junit": junit.render,
        "gitlab": gitlab.render,
    }


REPORTERS = _reporters()
