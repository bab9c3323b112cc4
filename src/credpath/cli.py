"""The command line: parse options, call the core, print through a reporter, exit.

Commands import the core lazily so that ``credpath --version`` and ``--help``
stay fast.
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from credpath import __version__
from credpath.commands import fail
from credpath.commands.lint import (
    FailLevel,
    FailLevelOpt,
    FormatOpt,
    NoDraftsOpt,
    OutputFormat,
    OutputOpt,
    QuietOpt,
    StrictOpt,
)

if TYPE_CHECKING:
    from credpath.diagnostics import Diagnostic, Severity

app = typer.Typer(
    name="credpath",
    help="A pathway compiler for stackable (micro)credentials: validate curricula, "
    "find gaps and dead-ends, derive and draw pathways to job outcomes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class SchemaKind(enum.StrEnum):
    curriculum = "curriculum"
    config = "config"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"credpath {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """credpath: design pathways backwards from job outcomes, and check them."""


PathArg = Annotated[
    Path,
    typer.Argument(help="The project folder, or a file inside it.", show_default=True),
]


def _colour(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and "NO_COLOR" not in os.environ


def output_format(chosen: OutputFormat | None) -> str:
    """The format asked for, or the one that suits where credpath runs."""
    if chosen is not None:
        return chosen.value
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def fail_level(chosen: FailLevel | None, strict: bool) -> Severity:
    """``--fail-level``, made stricter by ``--strict``; error by default."""
    from credpath.diagnostics import Severity

    level = Severity.parse(chosen.value) if chosen is not None else Severity.ERROR
    return min(level, Severity.WARNING) if strict else level


def emit(
    diagnostics: Sequence[Diagnostic],
    files: Sequence[str],
    *,
    format_: OutputFormat | None,
    output: Path | None,
    level: Severity,
    quiet: bool,
) -> int:
    """Print the report (or write it to ``output``) and the summary; return the exit code."""
    from credpath.report import REPORTERS, Report, summary

    shown = [d for d in diagnostics if not quiet or d.severity >= level]
    name = output_format(format_)
    colour = name == "text" and output is None and _colour(sys.stdout)
    report = Report(shown, len(files), colour=colour, files=tuple(files), fail_level=level)
    rendered = REPORTERS[name](report)
    if output is None:
        sys.stdout.write(rendered)
    else:
        try:
            output.write_text(rendered, encoding="utf-8")
        except OSError as exc:
            fail(f"{output}: cannot write the report: {exc.strerror}")
    if not quiet:
        typer.echo(summary(diagnostics, len(files)), err=True)
    failed = any(d.severity >= level for d in diagnostics)
    return EXIT_FINDINGS if failed else EXIT_OK


@app.command()
def validate(
    path: PathArg = Path("."),
    format_: FormatOpt = None,
    output: OutputOpt = None,
    strict: StrictOpt = False,
    fail_level_: FailLevelOpt = None,
    no_drafts: NoDraftsOpt = False,
    quiet: QuietOpt = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Check everything even when no file changed since the last run "
            "(also: CREDPATH_NO_CACHE=1).",
        ),
    ] = False,
) -> None:
    """Check a curriculum project: format, references, gaps, dead-ends, cycles."""
    from credpath import cache
    from credpath.config import ConfigError

    cwd = Path.cwd()
    try:
        key = None if no_cache else cache.key(path, cwd, f"validate no_drafts={no_drafts}")
        hit = cache.load(key) if key is not None else None
        if hit is not None:
            diagnostics, files = hit.diagnostics, hit.files
        else:
            diagnostics, files = _check(path, cwd, no_drafts)
            if key is not None:
                cache.store(key, diagnostics, files)
    except ConfigError as exc:
        fail(str(exc))
    level = fail_level(fail_level_, strict)
    code = emit(diagnostics, files, format_=format_, output=output, level=level, quiet=quiet)
    raise typer.Exit(code)


def _check(path: Path, cwd: Path, no_drafts: bool) -> tuple[list[Diagnostic], list[str]]:
    from credpath.context import Options
    from credpath.engine import check

    result = check(path, cwd, Options(no_drafts=no_drafts))
    return result.diagnostics, [source.display for source in result.sources]


@app.command()
def schema(
    kind: Annotated[
        SchemaKind, typer.Option("--kind", help="Which file the schema describes.")
    ] = SchemaKind.curriculum,
) -> None:
    """Print the JSON Schema of curriculum files or of credpath.yaml, for editors."""
    from credpath.schema import json_schema

    sys.stdout.write(json_schema(kind.value))


def _register_commands() -> None:
    from credpath.commands import analytics, lint, pathways, render

    for module in (pathways, render, lint, analytics):
        module.register(app)


_register_commands()


def main() -> None:
    """Entry point: usage errors exit 2, findings 1, an internal failure 3 (never a traceback)."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("credpath: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        typer.echo(
            f"credpath: internal error: {type(exc).__name__}: {exc} "
            "(please report this with the input that caused it)",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
