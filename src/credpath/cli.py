"""The command line: parse options, call the core, print through a reporter, exit.

Commands import the core lazily so that ``credpath --version`` and ``--help``
stay fast.
"""

from __future__ import annotations

import enum
import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from credpath import __version__

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


class OutputFormat(enum.StrEnum):
    text = "text"
    json = "json"


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


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    typer.echo(f"credpath: {message}", err=True)
    raise typer.Exit(code)


def _colour(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and "NO_COLOR" not in os.environ


@app.command()
def validate(
    path: PathArg = Path("."),
    format_: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")] = False,
    no_drafts: Annotated[
        bool, typer.Option("--no-drafts", help="Treat draft credentials as not yet published.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only print findings that fail; no summary.")
    ] = False,
) -> None:
    """Check a curriculum project: format, references, gaps, dead-ends, cycles."""
    from credpath.config import ConfigError
    from credpath.context import Options
    from credpath.diagnostics import Severity
    from credpath.engine import check
    from credpath.report import REPORTERS, Report, summary

    try:
        result = check(path, Path.cwd(), Options(no_drafts=no_drafts))
    except ConfigError as exc:
        fail(str(exc))
    fail_level = Severity.WARNING if strict else Severity.ERROR
    shown = [d for d in result.diagnostics if not quiet or d.severity >= fail_level]
    report = Report(shown, result.file_count, colour=_colour(sys.stdout))
    sys.stdout.write(REPORTERS[format_.value](report))
    if not quiet:
        typer.echo(summary(result.diagnostics, result.file_count), err=True)
    failed = any(d.severity >= fail_level for d in result.diagnostics)
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_OK)


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
