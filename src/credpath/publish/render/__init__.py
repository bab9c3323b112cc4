"""Pathway diagrams: the project's views as DOT, Mermaid, SVG, PNG or PDF.

catalog -> ``views`` (a ``model.Diagram`` per view) -> ``dot`` / ``mermaid`` text ->
``convert`` (the Graphviz ``dot`` program) for SVG, PNG and PDF. DOT and Mermaid need
no Graphviz. Output is byte-identical for the same input.
"""

from __future__ import annotations

from credpath.checks.context import Context
from credpath.publish.render.convert import PNG_DPI, GraphvizMissing, LayoutFailed, has_dot, layout
from credpath.publish.render.dot import to_dot
from credpath.publish.render.mermaid import to_mermaid
from credpath.publish.render.model import Diagram
from credpath.publish.render.views import (
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


def diagram_jobs(context: Context, fmt: str) -> list[tuple[str, tuple[str, str]]]:
    """The files of ``render --all`` and their views: the map, each curated pathway, each
    outcome; ("map", ""), ("pathway", id), ("outcome", id)."""
    catalog = context.catalog
    ext = EXTENSIONS[fmt]
    jobs = [(f"map.{ext}", ("map", ""))]
    jobs += [(f"pathway-{p}.{ext}", ("pathway", p)) for p in sorted(catalog.pathways)]
    jobs += [(f"outcome-{o}.{ext}", ("outcome", o)) for o in sorted(catalog.outcomes)]
    return jobs


def draw(context: Context, view: tuple[str, str], *, show_competencies: bool = False) -> Diagram:
    """The diagram of one view of ``render --all``."""
    kind, subject = view
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
    "credential_neighbourhood",
    "curated_pathway",
    "derived_pathway",
    "diagram_jobs",
    "draw",
    "export",
    "has_dot",
    "needs_graphviz",
    "project_map",
]
