"""Reporters: the same findings as text, JSON, and the CI formats."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from credpath.diagnostics import Diagnostic, Severity

_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _RESET = "\033[1m", "\033[0m"


@dataclass(frozen=True)
class Report:
    diagnostics: Sequence[Diagnostic]
    file_count: int
    colour: bool = False


def text(report: Report) -> str:
    """One compiler-style line per finding (FORMAT.md section 5)."""
    lines = []
    for d in report.diagnostics:
        if report.colour:
            colour = _COLOURS[d.severity]
            lines.append(
                f"{_BOLD}{d.path}:{d.line}:{d.column}:{_RESET} {colour}{d.severity.label}:{_RESET} "
                f"{d.message} [{d.rule}]"
            )
        else:
            lines.append(d.format())
    return "".join(line + "\n" for line in lines)


def as_dict(d: Diagnostic) -> dict[str, object]:
    return {
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
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def summary(diagnostics: Sequence[Diagnostic], file_count: int) -> str:
    """ "3 errors, 1 warning in 12 files" (info findings are counted when present)."""
    found = counts(diagnostics)

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    parts = [plural(found["error"], "error"), plural(found["warning"], "warning")]
    if found["info"]:
        parts.append(f"{found['info']} info")
    return f"{', '.join(parts)} in {plural(file_count, 'file')}"


REPORTERS: dict[str, Callable[[Report], str]] = {"text": text, "json": as_json}
