"""Pathway diagrams: the project's views as DOT, Mermaid, SVG, PNG or PDF, and an index page.

catalog -> ``views`` (a ``model.Diagram`` per view) -> ``dot`` / ``mermaid`` text ->
``convert`` (the Graphviz ``dot`` program) for SVG, PNG and PDF. DOT and Mermaid need
no Graphviz. Output is byte-identical for the same input.
"""

from __future__ import annotations

from pathlib import Path

from credpath.context import Context
from credpath.render.convert import PNG_DPI, GraphvizMissing, LayoutFailed, has_dot, layout
from credpath.render.dot import to_dot
from credpath.render.mermaid import to_mermaid
from credpath.render.model import Diagram
from credpath.render.site import Page, index_html
from credpath.render.views import (
    credential_neighbourhood,
    curated_pathway,
    derived_pathway,
    project_map,
)

FORMATS = ("svg", "png", "pdf", "dot", "mermaid")
SUFFIXES = {
    ".svg": "svg",
    ".png": "png",
    ".pdf": "pdf",
    ".dot": "dot",
    ".gv": "dot",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
}
EXTENSIONS = {"svg": "svg", "png": "png", "pdf": "pdf", "dot": "dot", "mermaid": "mmd"}
TEXT_FORMATS = frozenset({"svg", "dot", "mermaid"})


def export(diagram: Diagram, fmt: str) -> bytes:
    """The diagram in ``fmt``; raises GraphvizMissing for svg/png/pdf without ``dot``."""
    if fmt == "dot":
        return to_dot(diagram).encode("utf-8")
    if fmt == "mermaid":
        return to_mermaid(diagram).encode("utf-8")
    return layout(to_dot(diagram, dpi=PNG_DPI if fmt == "png" else None), fmt)


def needs_graphviz(fmt: str) -> bool:
    return fmt not in {"dot", "mermaid"}


def write_all(
    context: Context, directory: Path, fmt: str, *, show_competencies: bool = False
) -> list[Path]:
    """One diagram per curated pathway and per outcome, the map, and ``index.html``."""
    sem = context.semantics
    catalog = context.catalog
    ext = EXTENSIONS[fmt]
    jobs: list[tuple[Page, Diagram]] = []
    whole = project_map(sem, show_competencies=show_competencies)
    jobs.append((Page("Project map", f"map.{ext}", "Project map", whole.subtitle), whole))
    for pathway_id in sorted(catalog.pathways):
        diagram = curated_pathway(context, pathway_id, show_competencies=show_competencies)
        title = catalog.pathways[pathway_id].model.title
        page = Page("Curated pathways", f"pathway-{pathway_id}.{ext}", title, diagram.subtitle)
        jobs.append((page, diagram))
    for outcome_id in sorted(catalog.outcomes):
        diagram = derived_pathway(sem, outcome_id, show_competencies=show_competencies)
        title = catalog.outcomes[outcome_id].model.title
        page = Page("Derived pathways", f"outcome-{outcome_id}.{ext}", title, diagram.subtitle)
        jobs.append((page, diagram))
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for page, diagram in jobs:
        target = directory / page.file
        target.write_bytes(export(diagram, fmt))
        written.append(target)
    index = directory / "index.html"
    index.write_bytes(index_html(whole.title, [p for p, _ in jobs], fmt).encode("utf-8"))
    written.append(index)
    return written


__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "SUFFIXES",
    "Diagram",
    "GraphvizMissing",
    "LayoutFailed",
    "credential_neighbourhood",
    "curated_pathway",
    "derived_pathway",
    "export",
    "has_dot",
    "needs_graphviz",
    "project_map",
    "write_all",
]
