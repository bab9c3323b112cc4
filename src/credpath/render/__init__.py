"""Pathway diagrams: the project's views as DOT, Mermaid, SVG, PNG or PDF, and an index page.

catalog -> ``views`` (a ``model.Diagram`` per view) -> ``dot`` / ``mermaid`` text ->
``convert`` (the Graphviz ``dot`` program) for SVG, PNG and PDF. DOT and Mermaid need
no Graphviz. Output is byte-identical for the same input.
"""

from __future__ import annotations

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


def export(diagram: Diagram, fmt: str) -> bytes:
    """The diagram in ``fmt``; raises GraphvizMissing for svg/png/pdf without ``dot``."""
    if fmt == "dot":
        return to_dot(diagram).encode("utf-8")
    if fmt == "mermaid":
        return to_mermaid(diagram).encode("utf-8")
    return layout(to_dot(diagram, dpi=PNG_DPI if fmt == "png" else None), fmt)


def needs_graphviz(fmt: str) -> bool:
    return fmt not in {"dot", "mermaid"}


def diagram_jobs(
    context: Context, fmt: str, *, show_competencies: bool = False
) -> tuple[list[Page], str]:
    """The pages of ``render --all``: the map, each curated pathway, each outcome; and
    the index page's HTML."""
    sem = context.semantics
    catalog = context.catalog
    ext = EXTENSIONS[fmt]
    map_title = project_map(sem, show_competencies=show_competencies).title
    pages = [Page("Project map", f"map.{ext}", "Project map", "", ("map", ""))]
    for pathway_id in sorted(catalog.pathways):
        title = catalog.pathways[pathway_id].model.title
        pages.append(
            Page(
                "Curated pathways",
                f"pathway-{pathway_id}.{ext}",
                title,
                "",
                ("pathway", pathway_id),
            )
        )
    for outcome_id in sorted(catalog.outcomes):
        title = catalog.outcomes[outcome_id].model.title
        pages.append(
            Page(
                "Derived pathways",
                f"outcome-{outcome_id}.{ext}",
                title,
                "",
                ("outcome", outcome_id),
            )
        )
    return pages, map_title


def draw(context: Context, page: Page, *, show_competencies: bool = False) -> Diagram:
    """The diagram of one page of ``render --all``."""
    kind, subject = page.view
    if kind == "map":
        return project_map(context.semantics, show_competencies=show_competencies)
    if kind == "pathway":
        return curated_pathway(context, subject, show_competencies=show_competencies)
    return derived_pathway(context.semantics, subject, show_competencies=show_competencies)


__all__ = [
    "EXTENSIONS",
    "SUFFIXES",
    "Diagram",
    "GraphvizMissing",
    "LayoutFailed",
    "Page",
    "credential_neighbourhood",
    "curated_pathway",
    "derived_pathway",
    "diagram_jobs",
    "draw",
    "export",
    "has_dot",
    "index_html",
    "needs_graphviz",
    "project_map",
]
