"""``render``: pathway diagrams of a project, one view or all of them (``credpath site``
is the web page that shows them to learners)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from credpath.base.errors import UsageError
from credpath.checks.context import Options
from credpath.commands import Document, Tree, pick_unknown, progress

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

    from credpath.checks.engine import Result
    from credpath.publish.render import Diagram


@dataclass(frozen=True, kw_only=True)
class RenderOptions:
    path: Path = Path(".")
    outcome: str | None = None
    pathway: str | None = None
    credential: str | None = None
    depth: int | None = None
    show_competencies: bool = False
    format: str | None = None
    output: Path | None = None
    all: bool = False
    no_drafts: bool = False
    force: bool = False


def render(options: RenderOptions) -> Document | Tree:
    """One diagram (the map by default), or with ``all`` every diagram."""
    from credpath.checks.engine import check
    from credpath.publish.render import has_dot, needs_graphviz
    from credpath.publish.render.convert import INSTALL_HINT

    views = [
        name
        for name, value in (
            ("--outcome", options.outcome),
            ("--pathway", options.pathway),
            ("--credential", options.credential),
        )
        if value is not None
    ]
    if len(views) > 1 or (options.all and views):
        chosen = ", ".join(views + (["--all"] if options.all else []))
        raise UsageError(f"choose one view: {chosen} cannot be combined")
    if options.depth is not None and options.credential is None:
        raise UsageError("--depth goes with --credential")
    if options.all and options.output is None:
        raise UsageError("--all writes a folder of diagrams: give it with -o DIR")
    if options.all and options.output is not None and _names_a_diagram(options.output):
        raise UsageError(
            f"{options.output}: --all writes a folder, and this is a diagram's file name: "
            "give a folder with -o DIR"
        )
    fmt = options.format or (None if options.all else _suffix_format(options.output)) or "svg"
    if needs_graphviz(fmt) and not has_dot():
        raise UsageError(INSTALL_HINT.format(fmt=fmt))
    result = check(options.path, Path.cwd(), Options(no_drafts=options.no_drafts))
    notes = _errors_note(result)
    if options.all:
        assert options.output is not None
        files = _all(result, fmt, options.show_competencies)
        notes = (f"wrote {len(files)} diagrams to {options.output}", *notes)
        return Tree(options.output, files, options.force, notes=notes)
    diagram, warning = _view(result, options)
    from credpath.publish.render import export

    data = export(diagram, fmt)
    content: str | bytes = data if fmt in {"png", "pdf"} else data.decode("utf-8")
    return Document(content, options.output, options.force, notes=(*warning, *notes))


def _suffix_format(output: Path | None) -> str | None:
    """The diagram format -o's suffix names; a suffix credpath does not know is an error."""
    from credpath.publish.render import SUFFIXES

    if output is None or not output.suffix:
        return None
    fmt = SUFFIXES.get(output.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(SUFFIXES))
        raise UsageError(f"cannot tell the format from '{output.suffix}' ({known}): give --format")
    return fmt


def _names_a_diagram(output: Path) -> bool:
    from credpath.publish.render import SUFFIXES

    return output.suffix.lower() in SUFFIXES


def _errors_note(result: Result) -> tuple[str, ...]:
    """A diagram of a broken project is a review; say that there is more to read."""
    from credpath.base.diagnostics import Severity

    errors = sum(1 for d in result.diagnostics if d.severity >= Severity.ERROR)
    if not errors:
        return ()
    return (
        f"credpath: the project has {errors} error{'s' if errors != 1 else ''}; the diagram "
        "marks the problems it can show, credpath validate lists them all",
    )


def _view(result: Result, options: RenderOptions) -> tuple[Diagram, tuple[str, ...]]:
    from credpath.compiler.semantics import satisfied
    from credpath.publish.render import (
        credential_neighbourhood,
        curated_pathway,
        derived_pathway,
        project_map,
    )

    catalog = result.catalog
    sem = result.context.semantics
    shown = options.show_competencies
    if options.outcome is not None:
        outcome = options.outcome
        if outcome not in catalog.outcomes:
            pick_unknown("outcome", outcome, catalog.outcomes)
        warning: tuple[str, ...] = ()
        if not satisfied(catalog.outcomes[outcome].requires, sem.reachable_state):
            warning = (
                f"credpath: '{outcome}' is not reachable; the diagram shows what stands in the "
                "way (credpath validate explains it)",
            )
        return derived_pathway(sem, outcome, show_competencies=shown), warning
    if options.pathway is not None:
        if options.pathway not in catalog.pathways:
            pick_unknown("pathway", options.pathway, catalog.pathways)
        return curated_pathway(result.context, options.pathway, show_competencies=shown), ()
    if options.credential is not None:
        if options.credential not in catalog.credentials:
            pick_unknown("credential", options.credential, catalog.credentials)
        depth = options.depth or 1
        diagram = credential_neighbourhood(sem, options.credential, depth, show_competencies=shown)
        return diagram, ()
    return project_map(sem, show_competencies=shown), ()


def _all(result: Result, fmt: str, show_competencies: bool) -> dict[str, bytes]:
    """Every diagram, drawn in memory: nothing is written until all is."""
    from credpath.publish.render import diagram_jobs, draw

    pages = diagram_jobs(result.context, fmt)
    diagrams = [
        draw(result.context, view, show_competencies=show_competencies) for _, view in pages
    ]
    exports = export_in_parallel(diagrams, fmt)
    return {file: data for (file, _), data in zip(pages, exports, strict=True)}


def export_in_parallel(diagrams: list[Diagram], fmt: str) -> list[bytes]:
    """The diagrams in ``fmt``, in the order given (put the largest first), laid out by
    Graphviz on every core. The result is the same whatever order they finish in."""
    from concurrent.futures import ThreadPoolExecutor

    if not diagrams:
        return []
    with ThreadPoolExecutor(_cores(len(diagrams))) as pool:
        return collect(submit_exports(pool, diagrams, fmt))


def submit_exports(
    pool: ThreadPoolExecutor, diagrams: list[Diagram], fmt: str
) -> list[Future[bytes]]:
    """Hand the diagrams to ``pool``, one ``dot`` process each. (One ``dot`` over several
    graphs would start fewer processes, but it lays out each graph after the first a
    little differently: a diagram would depend on its neighbours.)"""
    from credpath.publish.render import export

    return [pool.submit(export, diagram, fmt) for diagram in diagrams]


def collect(exports: list[Future[bytes]], *, show_progress: bool = True) -> list[bytes]:
    """What ``submit_exports`` laid out, in order, with a progress bar while it waits."""
    waiting = progress(exports, "Drawing diagrams") if show_progress else exports
    return [done.result() for done in waiting]


def _cores(jobs: int) -> int:
    import os

    return max(1, min(os.cpu_count() or 1, jobs))
