"""Run the rules over a project and settle each finding.

Suppression comments silence what they name; configured severities (``rules:``
in credpath.yaml) replace the defaults, ``off`` drops a rule; the result is
sorted by file, line and column. ``lint`` adds the authoring rules and, for the
files and folders it is given inside a project, keeps only the findings there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from credpath.config import ProjectConfig, find_root
from credpath.context import Context, Options
from credpath.diagnostics import Diagnostic
from credpath.loader import SourceFile, display_path
from credpath.project import load_project
from credpath.resolve import Catalog
from credpath.rules import RULES, effective
from credpath.suppress import UNUSED, Suppressions


@dataclass
class Result:
    project: ProjectConfig
    catalog: Catalog
    context: Context
    diagnostics: list[Diagnostic]

    @property
    def sources(self) -> list[SourceFile]:
        """credpath.yaml (when there is one) and every curriculum file, in path order."""
        config = self.catalog.config_source
        return ([config] if config is not None else []) + self.catalog.files

    @property
    def file_count(self) -> int:
        return len(self.sources)


def check(target: Path, cwd: Path, options: Options, *, lint: bool = False) -> Result:
    """Load the project holding ``target`` and run every rule that applies."""
    project, catalog = load_project(target, cwd, frozenset(RULES))
    context = Context(catalog, options)
    configured = project.config.rules
    found = list(catalog.diagnostics)
    for rule in RULES.values():
        if rule.check is None or (rule.lint_only and not lint):
            continue
        if effective(rule.id, configured) is None:
            continue
        found.extend(rule.check(context))
    result = Result(project, catalog, context, [])
    result.diagnostics = settle(found, project, result.sources, lint=lint)
    return result


def settle(
    found: list[Diagnostic],
    project: ProjectConfig,
    sources: Iterable[SourceFile] = (),
    *,
    lint: bool = False,
) -> list[Diagnostic]:
    """Apply suppressions and severities, drop what is off, sort, and drop exact repeats.

    ``unused-suppression`` is computed here, after every other rule has been
    suppressed, and only by lint (validate does not run the rules it could name).
    """
    configured = project.config.rules
    suppressions = Suppressions(sources)
    kept = suppressions.apply(found)
    if lint and effective(UNUSED, configured) is not None:
        kept += suppressions.unused(lambda rule: effective(rule, configured))
    settled: set[Diagnostic] = set()
    out = []
    for diagnostic in kept:
        severity = effective(diagnostic.rule, configured)
        if severity is None:
            continue
        diagnostic = replace(diagnostic, severity=severity)
        if diagnostic in settled:
            continue
        settled.add(diagnostic)
        out.append(diagnostic)
    return sorted(out)


@dataclass
class LintResult:
    """What ``credpath lint`` reports: the findings located in the paths it was given."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    """The files reported on, as displayed (every file of a project given as a folder)."""
    skipped: list[str] = field(default_factory=list)
    """Named files that are no part of their project (hidden, excluded, not YAML)."""


@dataclass
class _Selection:
    """What to report of one project: all of it, or the named files and folders."""

    root: Path
    whole: bool = False
    files: set[str] = field(default_factory=set)
    folders: set[str] = field(default_factory=set)

    def __contains__(self, display: str) -> bool:
        return (
            self.whole
            or display in self.files
            or any(display.startswith(folder + "/") for folder in self.folders)
        )


def lint(paths: Sequence[Path], cwd: Path, options: Options) -> LintResult:
    """Lint the projects holding ``paths``.

    A project folder stands for its whole project. For files, and for folders
    inside a project (below its credpath.yaml), the project is still loaded whole,
    so that references resolve against everything, but only the findings located
    in those files and folders are kept. Raises ConfigError like ``check``.
    """
    projects: dict[Path, _Selection] = {}
    for path in paths:
        root, _ = find_root(path)
        target = path.absolute()
        selection = projects.setdefault(root.resolve(), _Selection(root))
        if target == root:
            selection.whole = True
        elif target.is_dir():
            selection.folders.add(display_path(target, cwd))
        else:
            selection.files.add(display_path(target, cwd))
    out = LintResult()
    for selection in projects.values():
        result = check(selection.root, cwd, options, lint=True)
        loaded = [s.display for s in result.sources]
        out.files += [display for display in loaded if display in selection]
        out.skipped += sorted(selection.files - set(loaded))
        out.diagnostics += [d for d in result.diagnostics if d.path in selection]
    out.diagnostics.sort()
    return out
