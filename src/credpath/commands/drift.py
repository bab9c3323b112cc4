"""``drift`` (where learners stop after each credential) and ``simulate`` (records to try it on)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from credpath.base.errors import UsageError
from credpath.checks.context import Options
from credpath.commands import Document

if TYPE_CHECKING:
    import duckdb
    from rich.console import Console

    from credpath.analytics.records import Step

LONG_READ = 32 * 2**20
"""Records of at least this many bytes get a progress bar (on a terminal): a few seconds' work."""
POLL_SECONDS = 0.2


@dataclass(frozen=True, kw_only=True)
class DriftOptions:
    records: tuple[Path, ...]
    path: Path = Path(".")
    format: str | None = None
    """None: from -o's suffix, else text."""
    output: Path | None = None
    force: bool = False
    columns: str = ""
    events: str = ""
    encoding: str = "utf-8"
    window: int = 180
    as_of: str | None = None
    min_group: int = 10
    top: int = 5
    strict: bool = False
    no_drafts: bool = False


def _as_of(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--as-of: '{text}' is not a date (YYYY-MM-DD)") from None


def _format(options: DriftOptions) -> str:
    from credpath.analytics.reports import SUFFIXES

    if options.format is not None:
        return options.format
    if options.output is not None:
        return SUFFIXES.get(options.output.suffix.lower(), "text")
    return "text"


def drift(options: DriftOptions) -> Document:
    """The drift report; exit 1 with --strict when rows were skipped."""
    from credpath.analytics.drift import analyse, database
    from credpath.analytics.html import html_report
    from credpath.analytics.privacy import publish
    from credpath.analytics.records import (
        ENCODINGS,
        ReadOptions,
        parse_columns,
        parse_events,
        read_records,
    )
    from credpath.analytics.reports import FORMATS
    from credpath.checks.engine import check

    if options.encoding not in ENCODINGS:
        raise UsageError(f"--encoding: '{options.encoding}' is not one of {', '.join(ENCODINGS)}")
    chosen = _format(options)
    read = ReadOptions(
        columns=parse_columns(options.columns),
        events=parse_events(options.events),
        encoding=options.encoding,
        as_of=_as_of(options.as_of),
    )
    result = check(options.path, Path.cwd(), Options(no_drafts=options.no_drafts))
    sem = result.context.semantics
    _refuse_outputs_beside(options)
    with database() as con, watch(con, _progress_console(options.records)) as step:
        summary = read_records(con, options.records, sem.catalog, read, step)
        analysis = analyse(con, sem, summary, options.window, step)
    catalog = result.catalog
    titles = {c: d.model.title for c, d in catalog.credentials.items()}
    titles.update({o: d.model.title for o, d in catalog.outcomes.items()})
    report = publish(analysis, titles, options.min_group, options.top)
    drawing: tuple[str, ...] = ()
    if chosen == "html":
        content, drawing = html_report(report, sem)
    else:
        content = FORMATS[chosen](report)
    skipped = sum(s.count for s in analysis.read.skipped)
    notes: tuple[str, ...] = tuple(f"credpath: {note}" for note in drawing)
    if options.output is not None or chosen != "text":
        from credpath.analytics.reports import read_lines

        notes += tuple(f"credpath: {line}" for line in read_lines(report)[1:])
    code = 1 if options.strict and skipped else 0
    return Document(content, options.output, options.force, code=code, notes=notes)


def _progress_console(records: Sequence[Path]) -> Console | None:
    """Standard error, for a bar, when it is a terminal and the records are long to read."""
    from rich.console import Console

    console = Console(file=sys.stderr)
    if not console.is_terminal:
        return None
    size = 0
    for path in records:
        files = path.rglob("*") if path.is_dir() else [path]
        size += sum(f.stat().st_size for f in files if f.is_file())
    return console if size >= LONG_READ else None


@contextmanager
def watch(con: duckdb.DuckDBPyConnection, console: Console | None) -> Iterator[Step]:
    """A ``Step`` that names the work on a progress bar, which follows DuckDB's own measure
    of the running query (``query_progress``, asked from a second thread); none without a
    console."""
    from credpath.analytics.records import no_step

    if console is None:
        yield no_step
        return
    from rich.markup import escape
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("Reading", total=100)
        done = threading.Event()

        def follow() -> None:
            while not done.wait(POLL_SECONDS):
                percent = con.query_progress()
                if percent >= 0:
                    bar.update(task, completed=percent)

        follower = threading.Thread(target=follow, daemon=True)
        follower.start()

        def step(label: str) -> None:
            # A label may hold a file name: shown as written, never read as rich markup.
            bar.update(task, description=escape(label), completed=0, refresh=True)

        try:
            yield step
        finally:
            done.set()
            follower.join()


def _refuse_outputs_beside(options: DriftOptions) -> None:
    """Records are only read: -o may not name one of them."""
    if options.output is None:
        return
    target = options.output.resolve()
    for record in options.records:
        if record.resolve() == target:
            raise UsageError(f"-o {options.output}: that is a record file; records are only read")


@dataclass(frozen=True, kw_only=True)
class SimulateOptions:
    path: Path = Path(".")
    learners: int = 1000
    seed: int = 1
    output: Path | None = None
    force: bool = False
    chances: tuple[float, float, float] = field(default=(0.8, 0.3, 0.2))


def simulate(options: SimulateOptions) -> Document:
    """Synthetic records (CSV) of learners walking the project's pathways."""
    from credpath.analytics.simulate import Probabilities
    from credpath.analytics.simulate import simulate as run_simulation
    from credpath.checks.engine import check

    for value in options.chances:
        if not 0.0 <= value <= 1.0:
            raise UsageError(f"a --continue probability must be from 0 to 1, not {value}")
    result = check(options.path, Path.cwd(), Options())
    content = run_simulation(
        result.context.semantics, options.learners, options.seed, Probabilities(*options.chances)
    )
    return Document(content, options.output, options.force)
