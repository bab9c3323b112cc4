"""The command layer: each command is a function from typed options to a typed result.

Commands never print, write files or exit. They return one of three results:

- ``Findings``: what validate and lint found, and how to report it;
- ``Document``: text or bytes for standard output or for one file (``-o``);
- ``Tree``: a folder of files (render --all, import).

``run`` is the one place that calls a command, turns its result into output
and an exit code, and maps errors: a ``UsageError`` (usage, configuration, a
bad path, a file it may not overwrite) or an ``OSError`` exits 2 with one line,
Ctrl-C exits 130, anything else exits 3 with one line and a request to report
it, never a traceback (``CREDPATH_TRACEBACK=1`` re-raises it, for a bug report).
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

import typer

from credpath.base.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from credpath.base.diagnostics import Diagnostic, Severity
    from credpath.base.output import Staging, Written


class ExitStatus(enum.IntEnum):
    """credpath's exit codes, the same for every command (docs/format.md)."""

    OK = 0
    FINDINGS = 1
    """A finding at the failing severity (for plan: the outcome cannot be reached)."""
    USAGE = 2
    """A usage or configuration error, a bad path, a file it may not overwrite, I/O."""
    INTERNAL = 3
    """A bug in credpath: one line asking for a report."""
    INTERRUPTED = 130


TRACEBACK_VARIABLE = "CREDPATH_TRACEBACK"
"""Set to 1 to get the traceback of an internal error instead of its one line."""


def internal_error(exc: Exception) -> NoReturn:
    """The one way an unexpected exception ends credpath: one line and exit 3, or, with
    ``CREDPATH_TRACEBACK=1``, the exception itself (and its traceback) for a bug report."""
    if os.environ.get(TRACEBACK_VARIABLE, "") not in ("", "0"):
        raise exc
    _stop(
        f"internal error: {type(exc).__name__}: {exc} (please report this with the input "
        f"that caused it; {TRACEBACK_VARIABLE}=1 shows where it happened)",
        ExitStatus.INTERNAL,
    )


@dataclass(frozen=True, kw_only=True)
class ReportOptions:
    """How findings are reported: the options validate and lint share."""

    format: str | None = None
    """text, json, github, sarif, junit, gitlab; None: from -o's suffix, else by environment."""
    output: Path | None = None
    fail_level: Severity | None = None
    quiet: bool = False
    force: bool = False


@dataclass(frozen=True)
class Findings:
    diagnostics: Sequence[Diagnostic]
    files: Sequence[str]
    """The files checked, as displayed."""
    report: ReportOptions
    notes: tuple[str, ...] = ()
    """Lines for standard error before the report (files that were skipped, ...)."""


@dataclass(frozen=True)
class Document:
    content: str | bytes
    output: Path | None = None
    """Write here instead of standard output."""
    force: bool = False
    code: int = ExitStatus.OK
    notes: tuple[str, ...] = ()
    """Lines for standard error, after the document."""


@dataclass(frozen=True)
class Tree:
    directory: Path
    files: Mapping[str, bytes] | Iterator[tuple[str, bytes | Written]]
    """The files by path relative to ``directory``; as an iterator, drawn while written
    (a ``Written`` file is already in ``staging``)."""
    force: bool = False
    code: int = ExitStatus.OK
    notes: tuple[str, ...] = ()
    """Lines for standard error once the folder is written."""
    count: int | None = None
    """How many files an iterator gives: the progress bar's length."""
    staging: Staging | None = None
    """The folder the files are written into first, when the command made it (its
    workers write there); else the writing makes one."""


Result = Findings | Document | Tree

REPORT_SUFFIXES = {".json": "json", ".sarif": "sarif", ".xml": "junit", ".txt": "text"}


def report_format(options: ReportOptions) -> str:
    """The format asked for, else the one -o's suffix names, else the one that suits here."""
    if options.format is not None:
        return options.format
    if options.output is not None:
        chosen = REPORT_SUFFIXES.get(options.output.suffix.lower())
        if chosen is not None:
            return chosen
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def fail_level(options: ReportOptions) -> Severity:
    from credpath.base.diagnostics import Severity

    return options.fail_level if options.fail_level is not None else Severity.ERROR


def _present_findings(result: Findings) -> int:
    from credpath.checks.report import REPORTERS, Report, summary

    options = result.report
    level = fail_level(options)
    diagnostics = result.diagnostics
    shown = [d for d in diagnostics if not options.quiet or d.severity >= level]
    name = report_format(options)
    report = Report(shown, len(result.files), files=tuple(result.files), fail_level=level)
    rendered = REPORTERS[name](report)
    for note in result.notes:
        typer.echo(f"credpath: {note}", err=True)
    if options.output is not None:
        from credpath.base.output import write_file

        write_file(options.output, rendered.encode("utf-8"), force=options.force)
    elif name == "text" and _terminal(sys.stdout):
        _print_coloured(shown)
    else:
        sys.stdout.write(rendered)
    if not options.quiet:
        typer.echo(summary(diagnostics, len(result.files)), err=True)
    failed = any(d.severity >= level for d in diagnostics)
    return ExitStatus.FINDINGS if failed else ExitStatus.OK


def _terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _print_coloured(diagnostics: Sequence[Diagnostic], console: Console | None = None) -> None:
    """Finding lines on a terminal: the place in bold, the severity in its colour.

    rich decides whether the terminal takes colour, and honours ``NO_COLOR``.
    """
    from rich.console import Console
    from rich.text import Text

    from credpath.checks.report import SEVERITY_STYLES

    console = console or Console(highlight=False, soft_wrap=True)
    for d in diagnostics:
        where, rest = d.format().split(f": {d.severity.label}: ", 1)
        line = Text.assemble(
            (f"{where}:", "bold"), " ", (f"{d.severity.label}:", SEVERITY_STYLES[d.severity])
        )
        line.append(f" {rest}")
        console.print(line)


def _present_document(result: Document) -> int:
    data = result.content.encode("utf-8") if isinstance(result.content, str) else result.content
    if result.output is not None:
        from credpath.base.output import write_file

        write_file(result.output, data, force=result.force)
    elif isinstance(result.content, bytes) and _terminal(sys.stdout):
        raise UsageError("this format is binary: write it to a file with -o FILE")
    elif data:  # nothing to print (a server that has shut down) touches no stream
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    for note in result.notes:
        typer.echo(note, err=True)
    return result.code


def _present_tree(result: Tree) -> int:
    from credpath.base.output import write_tree

    files = result.files
    if not isinstance(files, Mapping) and result.count is not None:
        files = progress(files, "Writing files", total=result.count)
    ignored = write_tree(result.directory, files, force=result.force, staging=result.staging)
    for note in ignored:
        typer.echo(f"credpath: {note}", err=True)
    for note in result.notes:
        typer.echo(note, err=True)
    return result.code


def present(result: Result) -> int:
    """Print or write a command's result; return the exit code."""
    if isinstance(result, Findings):
        return _present_findings(result)
    if isinstance(result, Document):
        return _present_document(result)
    return _present_tree(result)


Options = TypeVar("Options")


def run(command: Callable[[Options], Result], options: Options) -> NoReturn:
    """Run ``command``, present its result, and exit with its code; map every error."""
    try:
        code = present(command(options))
    except UsageError as exc:
        _stop(str(exc), ExitStatus.USAGE)
    except FileNotFoundError as exc:
        _stop(f"{exc.filename}: no such file or folder", ExitStatus.USAGE)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        _stop(f"{where}{exc.strerror or exc}", ExitStatus.USAGE)
    except KeyboardInterrupt:
        _stop("interrupted", ExitStatus.INTERRUPTED)
    except Exception as exc:
        internal_error(exc)
    raise typer.Exit(code)


def _stop(message: str, code: int) -> NoReturn:
    """One escaped line on standard error, then exit with ``code``."""
    from credpath.base.text import escape

    typer.echo(f"credpath: {escape(message)}", err=True)
    raise typer.Exit(code)


Item = TypeVar("Item")


def progress(items: Iterable[Item], label: str, *, total: int | None = None) -> Iterator[Item]:
    """``items`` one by one, with a progress bar on standard error when it is a terminal.

    ``total`` is how many there are when ``items`` has no length. Only long work shows a
    bar (more than a few items); a pipe or a CI log gets none.
    """
    from credpath.base.output import close_source

    length = total if total is not None else len(items) if isinstance(items, Sized) else 0
    try:
        if length < 8 or not _terminal(sys.stderr):
            yield from items
            return
        from rich.console import Console
        from rich.progress import Progress

        with Progress(transient=True, console=Console(file=sys.stderr)) as bar:
            yield from bar.track(items, total=length, description=label)
    finally:
        close_source(items)  # closed early (an error, Ctrl-C): what draws them stops too


def pick_unknown(kind: str, wanted: str, known: Sequence[str] | Mapping[str, object]) -> NoReturn:
    """Stop with "unknown <kind> 'x' (did you mean 'y'?)" naming the ids there are."""
    from credpath.base.text import suggest

    ids = sorted(known)
    if not ids:
        raise UsageError(f"unknown {kind} '{wanted}': the project has no {kind}s")
    hint = suggest(wanted, ids)
    if hint:
        raise UsageError(f"unknown {kind} '{wanted}'{hint}")
    shown = ", ".join(ids[:12]) + (", ..." if len(ids) > 12 else "")
    raise UsageError(f"unknown {kind} '{wanted}'; the {kind}s are: {shown}")
