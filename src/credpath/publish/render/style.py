"""How each kind of node looks, shared by the DOT and Mermaid writers, and the legend.

Colour says the credential type, shape says the kind (credential, outcome, competency,
junction, missing competency); red is kept for problems only, so that a reviewer's eye
goes straight to them.
"""

from __future__ import annotations

from dataclasses import dataclass

from credpath.compiler.model import CREDENTIAL_TYPES
from credpath.publish.render.model import Diagram, Node

FONT = "Helvetica"
INK = "#1A202C"
MUTED = "#4A5568"
EDGE = "#718096"
PROBLEM = "#C53030"
PROBLEM_FILL = "#FFF5F5"

TYPE_COLOURS: dict[str, tuple[str, str]] = {
    "micro-credential": ("#E3EEFB", "#2B6CB0"),
    "course": ("#E2F4E6", "#2F855A"),
    "badge": ("#FFF4D6", "#B7791F"),
    "certificate": ("#EEE6FA", "#6B46C1"),
    "certification": ("#DDF3F4", "#2C7A7B"),
    "license": ("#E6ECF5", "#44546A"),
    "degree": ("#E8E7FB", "#434190"),
    "diploma": ("#F3EBE2", "#8C5A2B"),
    "apprenticeship": ("#FDEBD8", "#C05621"),
    "assessment": ("#EEF2E2", "#5F7A1F"),
}
"""Fill and border per credential type: soft fills, one hue each, no red."""
OTHER_TYPE = ("#F1F1F1", "#6B6B6B")
AWARDS = frozenset({"certificate", "certification", "degree", "diploma", "license"})
"""Types drawn with a double border: qualifications usually earned by stacking others."""


@dataclass(frozen=True)
class Look:
    shape: str
    fill: str
    border: str
    font: str = INK
    dashed: bool = False
    rounded: bool = True
    penwidth: float = 1.2
    double: bool = False


def type_colours(type_: str) -> tuple[str, str]:
    return TYPE_COLOURS.get(type_, OTHER_TYPE)


def look(node: Node) -> Look:
    """The shape and colours of a node; problems override the border in red."""
    if node.kind == "credential":
        fill, border = type_colours(node.type)
        font = INK
        if node.status == "retired" or node.unusable:
            fill, border, font = "#EDEDED", "#9A9A9A", "#6B6B6B"
        if node.problem:
            border = PROBLEM
        return Look(
            "box",
            fill,
            border,
            font,
            dashed=node.status != "active",
            penwidth=3.0 if node.focus else 2.4 if node.problem else 1.2,
            double=node.type in AWARDS,
        )
    if node.kind == "outcome":
        return Look(
            "box",
            "#1F3A5F",
            PROBLEM if node.problem else "#1F3A5F",
            "#FFFFFF",
            rounded=False,
            penwidth=3.0 if node.problem else 1.2,
        )
    if node.kind == "competency":
        border = PROBLEM if node.problem else "#8A94A6"
        return Look("ellipse", "#F7FAFC", border, MUTED, penwidth=2.4 if node.problem else 1.0)
    if node.kind == "junction":
        return Look("circle", "#FFFFFF", MUTED, MUTED, penwidth=1.0)
    # a gap: a competency level that no credential grants
    return Look("box", PROBLEM_FILL, PROBLEM, PROBLEM, dashed=True, penwidth=1.6)


def legend(diagram: Diagram) -> tuple[Node, ...]:
    """Sample nodes for what the diagram shows, and only that, in a fixed order."""
    nodes = diagram.nodes
    types = {n.type for n in nodes if n.kind == "credential"}
    kinds = {n.kind for n in nodes}
    ordered = [t for t in CREDENTIAL_TYPES if t in types] + sorted(types - set(CREDENTIAL_TYPES))
    items = [Node(f"legend:{t}", "credential", t, type=t) for t in ordered]
    if any(n.kind == "credential" and n.status == "draft" for n in nodes):
        items.append(Node("legend:draft", "credential", "draft", type="ext:legend", status="draft"))
    if any(n.kind == "credential" and (n.status == "retired" or n.unusable) for n in nodes):
        items.append(
            Node(
                "legend:retired",
                "credential",
                "retired or unpublished",
                type="ext:legend",
                status="retired",
            )
        )
    if "outcome" in kinds:
        items.append(Node("legend:outcome", "outcome", "job outcome"))
    if "competency" in kinds:
        items.append(Node("legend:competency", "competency", "competency@level"))
    if "junction" in kinds:
        items.append(Node("legend:junction", "junction", "n of m"))
    if "gap" in kinds:
        items.append(Node("legend:gap", "gap", "missing: nobody grants it"))
    if any(n.problem for n in nodes if n.kind != "gap"):
        items.append(
            Node(
                "legend:problem",
                "credential",
                "needs attention",
                type="ext:legend",
                problem="the tooltip says why",
            )
        )
    return tuple(items)
