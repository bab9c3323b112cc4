"""``export ctdl`` and ``export ob3``: the catalog in the credential ecosystem's formats."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from credpath.base.text import escape, json_text
from credpath.checks.context import Options
from credpath.commands import Document, Findings, ReportOptions, Tree


@dataclass(frozen=True, kw_only=True)
class ExportOptions:
    path: Path = Path(".")
    output: Path | None = None
    drafts: bool = False
    check: bool = False
    force: bool = False
    report: ReportOptions = field(default_factory=ReportOptions)


def export_ctdl(options: ExportOptions) -> Document | Findings:
    """One CTDL JSON-LD document; with ``check``, what the Registry would refuse instead."""
    from credpath.checks.engine import check, settle
    from credpath.publish.ctdl import export, readiness

    # Without --drafts, drafts are not published: the pathways must not lean on them.
    result = check(options.path, Path.cwd(), Options(no_drafts=not options.drafts))
    sem = result.context.semantics
    # ctdl-readiness is a rule like the others: credpath.yaml may set its severity.
    problems = settle(readiness(sem, options.drafts), result.config)
    if options.check:
        return Findings(problems, result.files, options.report)
    notes: tuple[str, ...] = ()
    if problems:
        count = len(problems)
        notes = (
            f"credpath: {count} record{'s miss' if count != 1 else ' misses'} the Credential "
            "Registry's minimum data: credpath export ctdl --check says where to add it",
        )
    text = json_text(export(sem, drafts=options.drafts))
    return Document(text, options.output, options.force, notes=notes)


def export_ob3(options: ExportOptions) -> Tree:
    """One Open Badges 3.0 Achievement (JSON) per credential, into a folder."""
    from credpath.base.errors import UsageError
    from credpath.checks.engine import check
    from credpath.publish.ob3 import export

    if options.output is None:
        raise UsageError("export ob3 writes a folder of achievements: give it with -o DIR")
    result = check(options.path, Path.cwd(), Options())
    files = {
        name: json_text(document).encode("utf-8")
        for name, document in export(result.catalog, drafts=options.drafts).items()
    }
    note = f"wrote {len(files)} Open Badges 3.0 achievements to {escape(str(options.output))}"
    return Tree(options.output, files, options.force, notes=(note,))


@dataclass(frozen=True, kw_only=True)
class CtdlImportOptions:
    sources: tuple[Path, ...]
    output: Path
    force: bool = False
    report: Path | None = None


def import_ctdl(options: CtdlImportOptions) -> Tree:
    """A credpath project from CTDL documents (as export ctdl writes, or the Registry
    publishes): what came in and what was left out are counted on stderr, and listed with
    their JSON paths in ``--report``."""
    from credpath.base.output import write_file
    from credpath.exchange.ctdl_import import project

    imported = project(list(options.sources))
    files = {name: text.encode("utf-8") for name, text in imported.files.items()}
    counts = imported.counts
    shown = ", ".join(escape(str(s)) for s in options.sources)
    notes = [
        f"wrote a project from {shown} to {escape(str(options.output))}: "
        f"{counts['credentials']:,} credentials, {counts['outcomes']:,} outcomes, "
        f"{counts['conditions']:,} conditions, {counts['competencies']:,} competencies in; "
        "credpath validate it"
    ]
    left_out = imported.summary()
    if left_out:
        notes.append(f"left out: {escape(left_out)}")
    notes.extend(imported.notes)
    if options.report is not None:
        write_file(options.report, imported.report().encode("utf-8"), force=options.force)
        notes.append(f"wrote what was left out, by JSON path, to {escape(str(options.report))}")
    return Tree(options.output, files, options.force, notes=tuple(notes))


@dataclass(frozen=True, kw_only=True)
class EscoImportOptions:
    data: Path
    occupation: str
    output: Path
    force: bool = False


def import_esco(options: EscoImportOptions) -> Tree:
    """The start of a project, designed backwards from an ESCO occupation."""
    from credpath.exchange.esco import Esco, start_project

    occupation = Esco(options.data).find(options.occupation)
    files = {name: text.encode("utf-8") for name, text in start_project(occupation).items()}
    note = (
        f"wrote a project for '{escape(occupation.label)}' to {escape(str(options.output))}: "
        f"{len(occupation.essential)} competencies, one per essential skill; add credentials"
    )
    return Tree(options.output, files, options.force, notes=(note,))


@dataclass(frozen=True, kw_only=True)
class CoverageOptions:
    path: Path
    data: Path
    format: str = "text"
    output: Path | None = None
    force: bool = False


def coverage(options: CoverageOptions) -> Document:
    """Per outcome with an ESCO occupation: the essential skills its pathway covers."""
    from credpath.checks.engine import check
    from credpath.exchange.esco import (
        Esco,
        coverage_json,
        coverage_markdown,
        coverage_text,
    )
    from credpath.exchange.esco import coverage as measure

    esco = Esco(options.data)
    result = check(options.path, Path.cwd(), Options())
    rows = measure(result.context.semantics, esco)
    if options.format == "json":
        text = json_text(coverage_json(rows))
    elif options.format == "markdown":
        text = coverage_markdown(rows)
    else:
        text = coverage_text(rows)
    return Document(text, options.output, options.force)
