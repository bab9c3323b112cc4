"""A ``Diagram`` as Graphviz DOT text: deterministic, every piece of text escaped.

Stages are clusters whose nodes share one rank (``newrank`` lets a rank cross
clusters), chained left to right by invisible edges, so columns stay columns however
the edges run. All text goes into HTML-like labels, where only ``& < > "`` and the
backslash need escaping; tooltips and links are quoted attributes (see ``attr_text``).
"""

from __future__ import annotations

import itertools

from credpath.publish.render.model import Column, Diagram, Edge, Node, wrap
from credpath.publish.render.style import EDGE, FONT, INK, MUTED, PROBLEM, legend, look


def html_text(text: str) -> str:
    """Text for an HTML-like label. Graphviz expands ``\\N`` and friends even here."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\\", "\\\\")
    )


def attr_text(text: str) -> str:
    """Text for a quoted attribute (tooltip, URL), newlines kept as line breaks.

    Graphviz unescapes a tooltip twice (object substitution, then escString), so a
    backslash is written four times; ``&`` and ``<`` are written as entities, which
    Graphviz copies into SVG as they are.
    """
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\\", "\\\\\\\\")
        .replace("\n", "&#10;")
    )


def quoted(value: str) -> str:
    """A DOT string for our own ids and constants (never user text: see ``attr_text``)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _attrs(pairs: list[tuple[str, str]]) -> str:
    return ", ".join(f"{key}={value}" for key, value in pairs)


def node_label(node: Node) -> str:
    if node.kind == "junction":
        return f"<{html_text(node.title)}>"
    lines: list[str] = []
    if node.kind == "outcome" and node.id.startswith("outcome:"):  # not the legend's sample
        lines.append('<FONT POINT-SIZE="8" COLOR="#BFD3EA">JOB OUTCOME</FONT>')
    width = 22 if node.kind == "competency" else 26
    bold = node.kind in {"credential", "outcome"}
    for line in wrap(node.title, width):
        text = html_text(line)
        lines.append(f"<B>{text}</B>" if bold else text)
    shown = node.details if node.kind != "outcome" else ()  # said above the title instead
    for detail in shown:
        colour = "#6B6B6B" if node.unusable else MUTED
        lines.append(f'<FONT POINT-SIZE="9" COLOR="{colour}">{html_text(detail)}</FONT>')
    if node.problem and node.kind != "gap":
        colour = "#FEB2B2" if node.kind == "outcome" else PROBLEM
        lines.append(
            f'<FONT POINT-SIZE="9" COLOR="{colour}"><B>{html_text("⚠ " + node.problem)}</B></FONT>'
        )
    return "<" + "<BR/>".join(lines) + ">"


def node_statement(node: Node) -> str:
    style = look(node)
    styles = ["filled"]
    if style.rounded and style.shape == "box":
        styles.append("rounded")
    if style.dashed:
        styles.append("dashed")
    pairs = [
        ("id", quoted(node.id)),
        ("label", node_label(node)),
        ("shape", style.shape),
        ("style", quoted(",".join(styles))),
        ("fillcolor", quoted(style.fill)),
        ("color", quoted(style.border)),
        ("fontcolor", quoted(style.font)),
        ("penwidth", f"{style.penwidth:g}"),
    ]
    if style.double:
        pairs.append(("peripheries", "2"))
    if node.kind == "junction":
        pairs += [("width", "0.5"), ("fixedsize", "true"), ("fontsize", "9")]
    elif node.kind in {"competency", "gap"}:
        pairs.append(("fontsize", "10"))
    if node.url:
        pairs += [("URL", f'"{attr_text(node.url)}"'), ("target", '"_top"')]
    if node.tooltip:
        pairs.append(("tooltip", f'"{attr_text(node.tooltip)}"'))
    return f"{quoted(node.id)} [{_attrs(pairs)}];"


LARGE = 200
"""Nodes from which a diagram is laid out for speed (see ``layout_limits``)."""


def layout_limits(nodes: int) -> list[tuple[str, str]]:
    """Graphviz's effort on a large diagram, scaled down as it grows.

    Measured on the 500- and 2,000-credential bench catalogs (759 and 3,000 nodes):
    ``dot`` took 12 s and over 5 minutes with the defaults; with edge labels as
    ``xlabel`` and these limits, 0.9 s and 6 s, every node and edge still drawn.
    """
    if nodes <= LARGE:
        return []
    if nodes <= 1_000:
        return [("nslimit", "2"), ("mclimit", "0.5")]
    return [("nslimit", "0.5"), ("mclimit", "0.2")]


def edge_statement(edge: Edge, *, large: bool = False) -> str:
    """One edge. On a large diagram its label is an ``xlabel``, placed after the layout
    (a label that takes part in it doubles the ranks dot must route through), and its
    tooltip says the same."""
    pairs: list[tuple[str, str]] = []
    if edge.label:
        text = "<BR/>".join(html_text(line) for line in edge.label.split("\n"))
        pairs.append(("xlabel" if large else "label", f"<{text}>"))
        if large:
            pairs.append(("tooltip", f'"{attr_text(edge.label)}"'))
    if edge.problem:
        pairs += [("color", quoted(PROBLEM)), ("style", "dashed")]
    if not edge.constraint:
        pairs.append(("constraint", "false"))
    attrs = f" [{_attrs(pairs)}]" if pairs else ""
    return f"{quoted(edge.source)} -> {quoted(edge.target)}{attrs};"


def _name(diagram: Diagram) -> str:
    """The graph's name, which becomes the SVG document's title.

    Graphviz copies it into SVG as it is (entities included) and never unescapes it.
    """
    text = html_text(f"{diagram.title}: {diagram.subtitle}")
    return text.replace("\\\\", "&#92;")


def _title(diagram: Diagram) -> str:
    return (
        f'<<FONT POINT-SIZE="20"><B>{html_text(diagram.title)}</B></FONT><BR ALIGN="LEFT"/>'
        f'<FONT POINT-SIZE="12" COLOR="{MUTED}">{html_text(diagram.subtitle)}</FONT>'
        '<BR ALIGN="LEFT"/>>'
    )


def _column(column: Column, nodes: dict[str, Node], boxed: bool) -> list[str]:
    """A stage column: a labelled box, or (``boxed`` off) a header node above free nodes."""
    if boxed:
        out = [
            f"  subgraph {quoted('cluster_' + column.id)} {{",
            f'    graph [label=<<B>{html_text(column.title)}</B>>, style="rounded,filled", '
            f'fillcolor="#F5F7FA", color="#D5DCE6", fontcolor="{MUTED}"];',
        ]
    else:
        out = []
    grouped = set()
    for group in column.groups:
        out.append(f"    subgraph {quoted('cluster_' + group.id)} {{")
        out.append(
            f'      graph [label=<{html_text(group.label)}>, style="dashed,rounded", '
            f'fillcolor="#FFFFFF", color="#A0AEC0", fontsize=10];'
        )
        for node_id in group.nodes:
            out.append(f"      {node_statement(nodes[node_id])}")
            grouped.add(node_id)
        out.append("    }")
    for node_id in column.nodes:
        if node_id not in grouped:
            out.append(f"    {node_statement(nodes[node_id])}")
    if boxed:
        out.append("  }")
    return out


def _header(column: Column) -> str:
    return f"column:{column.id}"


def to_dot(diagram: Diagram, *, dpi: int | None = None) -> str:
    """The DOT text of a diagram; ``dpi`` only for raster output."""
    nodes = {n.id: n for n in diagram.nodes}
    boxed = diagram.boxed
    graph_attrs = [
        ("rankdir", "LR"),
        ("newrank", "true"),
        ("nodesep", "0.18"),
        ("ranksep", "0.45"),
        ("pad", "0.3"),
        ("bgcolor", '"white"'),
        ("fontname", quoted(FONT)),
        ("fontcolor", quoted(INK)),
        ("labelloc", "t"),
        ("labeljust", "l"),
        ("label", _title(diagram)),
    ]
    if dpi is not None:
        graph_attrs.append(("dpi", str(dpi)))
    large = len(diagram.nodes) > LARGE
    graph_attrs += layout_limits(len(diagram.nodes))
    lines = [
        f'digraph "{_name(diagram)}" {{',
        f"  graph [{_attrs(graph_attrs)}];",
        f'  node [fontname="{FONT}", fontsize=11, margin="0.14,0.07"];',
        f'  edge [fontname="{FONT}", fontsize=9, fontcolor="{MUTED}", color="{EDGE}", '
        f"arrowsize=0.7, penwidth=1.1];",
    ]
    placed: set[str] = set()
    for column in diagram.columns:
        lines += _column(column, nodes, boxed)
        placed.update(column.nodes)
    for node in diagram.nodes:
        if node.id not in placed:
            lines.append(f"  {node_statement(node)}")
    if not boxed:
        # Declared last, the headers end up above the columns (dot keeps a first-seen order).
        lines += [
            f"  {quoted(_header(c))} [label=<<B>{html_text(c.title)}</B>>, shape=plaintext, "
            f'fontsize=15, fontcolor="{MUTED}"];'
            for c in diagram.columns
            if c.nodes
        ]
    samples = legend(diagram)
    if samples:
        lines.append(f"  subgraph {quoted('cluster_legend')} {{")
        lines.append(
            f'    graph [label=<<B>Legend</B>>, style="rounded", color="#D5DCE6", '
            f'fontcolor="{MUTED}"];'
        )
        lines += [f"    {node_statement(sample)}" for sample in samples]
        lines.append("  }")
    ranks = [list(c.nodes) for c in diagram.columns if c.nodes]
    if not boxed:
        headers = [_header(c) for c in diagram.columns if c.nodes]
        ranks = [[header, *rank] for header, rank in zip(headers, ranks, strict=True)]
    # The legend fills columns no taller than the diagram's, side by side in its box.
    rows = max([4, *(len(rank) for rank in ranks)])
    legend_ranks = [[s.id for s in samples[i : i + rows]] for i in range(0, len(samples), rows)]
    for rank in ranks + legend_ranks:
        lines.append("  {rank=same; " + " ".join(f"{quoted(n)};" for n in rank) + "}")
    # Columns in order; on a big map the heavy chain of headers also keeps them in one row.
    weight = "" if boxed else ", weight=20"
    for before, after in itertools.pairwise(ranks + legend_ranks[:1]):
        lines.append(f"  {quoted(before[0])} -> {quoted(after[0])} [style=invis{weight}];")
    for left, right in itertools.pairwise(legend_ranks):
        for a, b in zip(left, right, strict=False):
            lines.append(f"  {quoted(a)} -> {quoted(b)} [style=invis];")
    lines += [f"  {edge_statement(edge, large=large)}" for edge in diagram.edges]
    lines.append("}")
    return "\n".join(lines) + "\n"
