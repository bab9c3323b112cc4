"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

https://docs.github.com/actions/reference/workflow-commands-for-github-actions
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from credpath.base.diagnostics import Diagnostic, Severity
from credpath.base.text import escape

if TYPE_CHECKING:
    from credpath.checks.report.base import Report

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    """Author text as one line: control characters escaped (so that no text can start a
    line of its own, which the runner would execute as a workflow command), then the
    runner's own %-encoding."""
    return escape(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def line(d: Diagnostic) -> str:
    """One ``::error file=...,line=...::message`` command."""
    props = [f"file={_property(d.path)}", f"line={d.line}", f"col={d.column}"]
    if d.end_line is not None and d.end_line >= d.line:
        props.append(f"endLine={d.end_line}")
        if d.end_line == d.line and d.end_column is not None:
            # The column after the last character, as in every other format (SARIF's rule).
            props.append(f"endColumn={d.end_column}")
    props.append(f"title={_property(f'credpath {d.rule}')}")
    return f"::{COMMANDS[d.severity]} {','.join(props)}::{_data(d.message)}"


def render(report: Report) -> str:
    return "".join(line(d) + "\n" for d in report.diagnostics)
