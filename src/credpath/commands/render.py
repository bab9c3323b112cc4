"""CLI command ``render``: pathway diagrams. Registered on the app by credpath.cli.

The core is imported inside the command, so that ``credpath --help`` stays fast.
Option types live at module level because typer reads the postponed annotations
from this module's globals.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from credpath.commands import fail, load

if TYPE_CHECKING:
    from credpath.engine import Result
    from credpath.render import Diagram


class DiagramFormat(enum.StrEnum):
    svg = "svg"
    png = "png"
    pdf = "pdf"
    dot = "dot"
    mermaid = "mermaid"


PathArg = Annotated[Path, typer.Argument(help="The project folder, or a file inside it.")]


def render(
    path: PathArg = Path("."),
    outcome: Annotated[
        str | None,
        typer.Option(
            "--outcome", help="Draw the derived pathway to this outcome.", show_default=False
        ),
    ] = None,
    pathway: Annotated[
        str | None,
        typer.Option("--pathway", help="Draw this curated pathway.", show_default=False),
    ] = None,
    credential: Annotated[
        str | None,
        typer.Option(
            "--credential",
            help="Draw what this credential needs and what it unlocks.",
            show_default=False,
        ),
    ] = None,
    depth: Annotated[
        int | None,
        typer.Option(
            "--depth",
            min=1,
            help="With --credential: how many credentials to follow each way. Default: 1.",
            show_default=False,
        ),
    ] = None,
    show_competencies: Annotated[
        bool,
        typer.Option(
            "--show-competencies",
            help="Draw competencies as nodes between credentials (else they label the edges).",
        ),
    ] = False,
    format_: Annotated[
        DiagramFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="svg, png, pdf (these need Graphviz), dot or mermaid. "
            "Default: from the suffix of --output, else svg.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to FILE (with --all: into the folder DIR) instead of standard output.",
            show_default=False,
        ),
    ] = None,
    all_: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Write the map, one diagram per outcome and curated pathway, and index.html "
            "into the folder given with -o.",
        ),
    ] = False,
    no_drafts: Annotated[
        bool, typer.Option("--no-drafts", help="Treat draft credentials as not yet published.")
    ] = False,
) -> None:
    """Draw pathway diagrams: the project map, a pathway, or one credential's neighbourhood.

    Problems show in the diagram (a gap as a dashed red "missing" node, dead ends and
    credentials that cannot be earned outlined in red), so it doubles as a review.
    """
    from credpath.render import GraphvizMissing, LayoutFailed, has_dot, needs_graphviz
    from credpath.render.convert import INSTALL_HINT

    views = [
        name
        for name, value in (
            ("--outcome", outcome),
            ("--pathway", pathway),
            ("--credential", credential),
        )
        if value is not None
    ]
    if len(views) > 1 or (all_ and views):
        fail(
            f"choose one view: {', '.join(views + (['--all'] if all_ else []))} cannot be combined"
        )
    if depth is not None and credential is None:
        fail("--depth goes with --credential")
    if all_ and output is None:
        fail("--all writes a folder of diagrams: give it with -o DIR")
    fmt = _format(format_, None if all_ else output)
    if needs_graphviz(fmt) and not has_dot():
        fail(INSTALL_HINT.format(fmt=fmt))
    result = load(path, no_drafts=no_drafts)
    try:
        if all_:
            assert output is not None
            _write_all(result, output, fmt, show_competencies)
            _note_errors(result)
            return
        diagram = _view(result, outcome, pathway, credential, depth or 1, show_competencies)
        _emit(diagram, fmt, output)
        _note_errors(result)
    except GraphvizMissing as exc:
        fail(str(exc))
    except LayoutFailed as exc:
        fail(f"Graphviz could not lay out the diagram: {exc}", 3)


def _note_errors(result: Result) -> None:
    """A diagram of a broken project is a review; say that there is more to read."""
    from credpath.diagnostics import Severity

    errors = sum(1 for d in result.diagnostics if d.severity >= Severity.ERROR)
    if errors:
        typer.echo(
            f"credpath: the project has {errors} error{'s' if errors != 1 else ''}; the diagram "
            "marks the problems it can show, credpath validate lists them all",
            err=True,
        )


def _format(chosen: DiagramFormat | None, output: Path | None) -> str:
    """--format, else the suffix of -o, else svg."""
    from credpath.render import SUFFIXES

    if chosen is not None:
        return chosen.value
    if output is None or not output.suffix:
        return "svg"
    fmt = SUFFIXES.get(output.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(SUFFIXES))
        fail(f"cannot tell the format from '{output.suffix}' ({known}): give --format")
    return fmt


def _unknown(kind: str, wanted: str, ids: Iterable[str]) -> NoReturn:
    import difflib

    known = sorted(ids)
    if not known:
        fail(f"unknown {kind} '{wanted}': the project has no {kind}s")
    close = difflib.get_close_matches(wanted, known, n=5, cutoff=0.5)
    if close:
        fail(f"unknown {kind} '{wanted}'; close ids: {', '.join(close)}")
    shown = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
    fail(f"unknown {kind} '{wanted}'; the {kind}s are: {shown}")


def _view(
    result: Result,
    outcome: str | None,
    pathway: str | None,
    credential: str | None,
    depth: int,
    show_competencies: bool,
) -> Diagram:
    from credpath.render import (
        credential_neighbourhood,
        curated_pathway,
        derived_pathway,
        project_map,
    )

    catalog = result.catalog
    sem = result.context.semantics
    if outcome is not None:
        if outcome not in catalog.outcomes:
            _unknown("outcome", outcome, catalog.outcomes)
        if not _reachable(result, outcome):
            typer.echo(
                f"credpath: '{outcome}' is not reachable; the diagram shows what stands in the "
                "way (credpath validate explains it)",
                err=True,
            )
        return derived_pathway(sem, outcome, show_competencies=show_competencies)
    if pathway is not None:
        if pathway not in catalog.pathways:
            _unknown("pathway", pathway, catalog.pathways)
        return curated_pathway(result.context, pathway, show_competencies=show_competencies)
    if credential is not None:
        if credential not in catalog.credentials:
            _unknown("credential", credential, catalog.credentials)
        return credential_neighbourhood(sem, credential, depth, show_competencies=show_competencies)
    return project_map(sem, show_competencies=show_competencies)


def _reachable(result: Result, outcome: str) -> bool:
    from credpath.semantics import satisfied

    sem = result.context.semantics
    return satisfied(result.catalog.outcomes[outcome].requires, sem.reachable_state)


def _emit(diagram: Diagram, fmt: str, output: Path | None) -> None:
    from credpath.render import export

    if output is None and fmt in {"png", "pdf"} and sys.stdout.isatty():
        fail(f"{fmt} is binary: write it to a file with -o FILE")
    data = export(diagram, fmt)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
    except OSError as exc:
        fail(f"{output}: cannot write the diagram: {exc.strerror}")


def _write_all(result: Result, directory: Path, fmt: str, show_competencies: bool) -> None:
    from credpath.render import write_all

    if directory.exists() and not directory.is_dir():
        fail(f"{directory}: --all writes a folder, and this is a file")
    try:
        written = write_all(result.context, directory, fmt, show_competencies=show_competencies)
    except OSError as exc:
        fail(f"{directory}: cannot write the diagrams: {exc.strerror}")
    typer.echo(f"wrote {len(written) - 1} diagrams and index.html to {directory}", err=True)


def register(app: typer.Typer) -> None:
    """Add ``render`` to the app."""
    app.command()(render)
