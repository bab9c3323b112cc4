"""``validate`` and ``lint``: the findings of a project, for a person or a CI system;
``validate --watch``: the findings again after each save, from the resident engine."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TextIO

from credpath.base.errors import UsageError
from credpath.base.text import escape
from credpath.checks.context import Options
from credpath.commands import Document, ExitStatus, Findings, ReportOptions

if TYPE_CHECKING:
    from credpath.base.diagnostics import Diagnostic
    from credpath.checks.workspace import Workspace


@dataclass(frozen=True, kw_only=True)
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
        options.paths[0],
        Path.cwd(),
        Options(no_drafts=options.no_drafts),
        use_cache=options.use_cache,
    )
    found = result.diagnostics if options.folded else result.findings
    return Findings(found, result.files, options.report)


def lint(options: CheckOptions) -> Findings:
    """The findings, authoring rules included, located in the files and folders named."""
    from credpath.checks.engine import lint as lint_paths

    found = lint_paths(
        options.paths,
        Path.cwd(),
        Options(no_drafts=options.no_drafts),
        use_cache=options.use_cache,
        folded=options.folded,
    )
    notes = tuple(
        f"{escape(skipped)}: not a curriculum file of its project (hidden, ignored or excluded); "
        "nothing to report"
        for skipped in found.skipped
    )
    return Findings(found.diagnostics, found.files, options.report, notes)


WATCH_DEBOUNCE_MS = 200
"""Changes within this long of each other are one batch: an editor's save is often
several writes (a temporary file, a rename), and one re-check is enough."""


class Screen(Protocol):
    """Where ``validate --watch`` shows each run: a terminal's live display, or plain
    lines for a pipe or a file."""

    def show(self, run: Findings | UsageError) -> None: ...


def watch(options: CheckOptions, batches: Iterable[Iterable[Path]], screen: Screen) -> int:
    """Check the project, then again after each batch of changed paths that concerns it
    (credpath.yaml, a curriculum file), showing each run on ``screen``; the exit code of
    the last run once the batches end or Ctrl-C stops them. A file that does not parse
    is a finding like any other; a credpath.yaml that cannot be used is shown, and the
    watch goes on until it is fixed."""
    from credpath.checks.workspace import Workspace

    engine = Workspace(options.paths[0], Path.cwd(), Options(no_drafts=options.no_drafts))
    code = _run_once(engine, options, screen)
    try:
        for batch in batches:
            if engine.last is None or engine.concerns(batch):
                code = _run_once(engine, options, screen)
    except KeyboardInterrupt:
        pass
    return code


def _run_once(engine: Workspace, options: CheckOptions, screen: Screen) -> int:
    """One check of the watched project, shown; its exit code."""
    from credpath.commands import fail_level

    try:
        result = engine.update()
    except UsageError as error:
        screen.show(error)
        return ExitStatus.USAGE
    found = result.diagnostics if options.folded else result.findings
    screen.show(Findings(found, result.files, options.report))
    level = fail_level(options.report)
    return ExitStatus.FINDINGS if any(d.severity >= level for d in found) else ExitStatus.OK


def changes(root: Path) -> Iterator[list[Path]]:
    """The paths changed under ``root``, a batch at a time (watchfiles, debounced)."""
    import watchfiles

    for batch in watchfiles.watch(root, debounce=WATCH_DEBOUNCE_MS, step=50):
        yield sorted(Path(path) for _, path in batch)


class PlainScreen:
    """Each run printed in full after the last: for a pipe, a file or a dumb terminal."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def show(self, run: Findings | UsageError) -> None:
        self.out.write("".join(f"{line}\n" for line in _lines(run)))
        self.out.flush()


class LiveScreen:
    """A terminal's live display (rich), redrawn in place after each run."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.live import Live

        self.console = Console(highlight=False)
        self.live = Live(console=self.console, auto_refresh=False, vertical_overflow="crop")

    def __enter__(self) -> LiveScreen:
        self.live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.live.__exit__(None, None, None)

    def show(self, run: Findings | UsageError) -> None:
        from rich.console import Group
        from rich.text import Text

        from credpath.checks.report import SEVERITY_STYLES

        lines = []
        if isinstance(run, Findings):
            room = max(self.console.size.height - 3, 1)
            shown = _shown(run)
            for d in shown[:room]:
                where, rest = d.format().split(f": {d.severity.label}: ", 1)
                line = Text.assemble(
                    (f"{where}:", "bold"),
                    " ",
                    (f"{d.severity.label}:", SEVERITY_STYLES[d.severity]),
                )
                line.append(f" {rest}")
                lines.append(line)
            if len(shown) > room:
                lines.append(Text(f"... and {len(shown) - room:,} more", style="dim"))
        stamp = time.strftime("%H:%M:%S")  # on a terminal, to see that it ran again
        lines += [Text(f"{line} [{stamp}]", style="dim") for line in _footer(run)]
        self.live.update(Group(*lines), refresh=True)


def _shown(run: Findings) -> list[Diagnostic]:
    """The findings a run shows: all, or with --quiet those at the failing level."""
    from credpath.commands import fail_level

    level = fail_level(run.report)
    return [d for d in run.diagnostics if not run.report.quiet or d.severity >= level]


def _lines(run: Findings | UsageError) -> list[str]:
    found = [d.format() for d in _shown(run)] if isinstance(run, Findings) else []
    return found + _footer(run)


def _footer(run: Findings | UsageError) -> list[str]:
    """What ends each run: the counts, or the configuration's problem."""
    from credpath.checks.report import summary

    if isinstance(run, UsageError):
        said = f"credpath: {escape(str(run))}"
    else:
        said = summary(run.diagnostics, len(run.files))
    return [f"{said}; watching for changes (Ctrl-C to stop)"]


def validate_watch(options: CheckOptions) -> Document:
    """``validate --watch``: the findings again after each save, until Ctrl-C; the exit
    code of the last run. Only text to the terminal: a report file per save is not a
    report."""
    from credpath.commands import report_format

    if options.report.output is not None or report_format(options.report) != "text":
        raise UsageError("--watch prints text findings: drop --format and --output")
    target = options.paths[0]
    root = target if target.is_dir() else target.parent
    if not sys.stdout.isatty():
        code = watch(options, changes(root), PlainScreen(sys.stdout))
    else:
        with LiveScreen() as screen:
            code = watch(options, changes(root), screen)
    return Document("", code=code)
