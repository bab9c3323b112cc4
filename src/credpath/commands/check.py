"""``validate`` and ``lint``: the findings of a project, for a person or a CI system."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from credpath.base.text import escape
from credpath.checks.context import Options
from credpath.commands import Findings, ReportOptions


@dataclass(frozen=True)
class CheckOptions:
    paths: Sequence[Path]
    report: ReportOptions
    no_drafts: bool = False
    use_cache: bool = True
    folded: bool = True
    """False (``--no-fold``): every finding on its own, none folded into its root."""


def validate(options: CheckOptions) -> Findings:
    """Every finding of the project holding ``options.paths[0]``."""
    from credpath.checks.engine import check

    result = check(
        options.paths[0], Path.cwd(), Options(options.no_drafts), use_cache=options.use_cache
    )
    found = result.diagnostics if options.folded else result.findings
    return Findings(found, result.files, options.report)


def lint(options: CheckOptions) -> Findings:
    """The findings, authoring rules included, located in the files and folders named."""
    from credpath.checks.engine import lint as lint_paths

    found = lint_paths(
        options.paths,
        Path.cwd(),
        Options(options.no_drafts),
        use_cache=options.use_cache,
        folded=options.folded,
    )
    notes = tuple(
        f"{escape(skipped)}: not a curriculum file of its project (hidden, ignored or excluded); "
        "nothing to report"
        for skipped in found.skipped
    )
    return Findings(found.diagnostics, found.files, options.report, notes)
