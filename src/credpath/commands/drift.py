"""``drift`` (where learners stop after each credential) and ``simulate`` (records to try it on)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from credpath.commands import Document
from credpath.context import Options
from credpath.errors import UsageError


@dataclass(frozen=True)
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
    from credpath.analytics.drift import analyse_records
    from credpath.analytics.privacy import publish
    from credpath.analytics.records import ENCODINGS, ReadOptions, parse_columns, parse_events
    from credpath.analytics.reports import FORMATS
    from credpath.engine import check

    if options.encoding not in ENCODINGS:
        raise UsageError(f"--encoding: '{options.encoding}' is not one of {', '.join(ENCODINGS)}")
    chosen = _format(options)
    read = ReadOptions(
        parse_columns(options.columns),
        parse_events(options.events),
        options.encoding,
        _as_of(options.as_of),
    )
    result = check(options.path, Path.cwd(), Options(options.no_drafts))
    sem = result.context.semantics
    _refuse_outputs_beside(options)
    analysis = analyse_records(options.records, sem, read, options.window)
    catalog = result.catalog
    titles = {c: d.model.title for c, d in catalog.credentials.items()}
    titles.update({o: d.model.title for o, d in catalog.outcomes.items()})
    report = publish(analysis, titles, options.min_group, options.top)
    content = FORMATS[chosen](report)
    skipped = sum(s.count for s in analysis.read.skipped)
    notes: tuple[str, ...] = ()
    if options.output is not None or chosen != "text":
        from credpath.analytics.reports import read_lines

        notes = tuple(f"credpath: {line}" for line in read_lines(report)[1:])
    code = 1 if options.strict and skipped else 0
    return Document(content, options.output, options.force, code=code, notes=notes)


def _refuse_outputs_beside(options: DriftOptions) -> None:
    """Records are only read: -o may not name one of them."""
    if options.output is None:
        return
    target = options.output.resolve()
    for record in options.records:
        if record.resolve() == target:
            raise UsageError(f"-o {options.output}: that is a record file; records are only read")


@dataclass(frozen=True)
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
    from credpath.engine import check

    for value in options.chances:
        if not 0.0 <= value <= 1.0:
            raise UsageError(f"a --continue probability must be from 0 to 1, not {value}")
    result = check(options.path, Path.cwd(), Options())
    content = run_simulation(
        result.context.semantics, options.learners, options.seed, Probabilities(*options.chances)
    )
    return Document(content, options.output, options.force)
