"""Run the rules over a project and settle each finding's severity.

Configured severities (``rules:`` in credpath.yaml) replace the defaults, ``off``
drops a rule, and the result is sorted by file, line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from credpath.config import ProjectConfig
from credpath.context import Context, Options
from credpath.diagnostics import Diagnostic, Severity
from credpath.project import load_project
from credpath.resolve import Catalog
from credpath.rules import FIXED, RULES


@dataclass
class Result:
    project: ProjectConfig
    catalog: Catalog
    context: Context
    diagnostics: list[Diagnostic]

    @property
    def file_count(self) -> int:
        return len(self.catalog.files) + (self.catalog.config_source is not None)


def check(target: Path, cwd: Path, options: Options, *, lint: bool = False) -> Result:
    """Load the project holding ``target`` and run every rule that applies."""
    project, catalog = load_project(target, cwd, frozenset(RULES))
    context = Context(catalog, options)
    found = list(catalog.diagnostics)
    for rule in RULES.values():
        if rule.check is None or (rule.lint_only and not lint):
            continue
        if project.config.rules.get(rule.id) == "off":
            continue
        found.extend(rule.check(context))
    return Result(project, catalog, context, settle(found, project))


def settle(found: list[Diagnostic], project: ProjectConfig) -> list[Diagnostic]:
    """Apply configured severities, drop what is off, sort, and drop exact repeats."""
    configured = project.config.rules
    settled: set[Diagnostic] = set()
    out = []
    for diagnostic in found:
        level = configured.get(diagnostic.rule)
        if diagnostic.rule in FIXED:
            level = "error"
        if level == "off":
            continue
        severity = Severity.parse(level) if level else RULES[diagnostic.rule].severity
        diagnostic = replace(diagnostic, severity=severity)
        if diagnostic in settled:
            continue
        settled.add(diagnostic)
        out.append(diagnostic)
    return sorted(out)
