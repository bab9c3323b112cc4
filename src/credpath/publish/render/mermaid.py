"""A ``Diagram`` as a Mermaid flowchart, for Markdown pages that render Mermaid (GitHub, GitLab).

Mermaid has no rank constraints, so stages are subgraphs and the layout is Mermaid's
own; shapes and colours follow the DOT output. Text is written with Mermaid's entity
codes (``#quot;``, ``#lt;``), which it turns into HTML entities, so a title such as
``<b>`` stays visible text; node ids are derived from ours, made safe for Mermaid.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from credpath.publish.render.model import Column, Diagram, Node, wrap
from credpath.publish.render.style import AWARDS, PROBLEM, legend, type_colours

_ENTITIES = {
    "#": "#35;",
    "&": "#amp;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "`": "#96;",
    "|": "#124;",
    "\\": "#92;",
}
_SPECIAL = re.compile("[" + re.escape("".join(_ENTITIES)) + "]")


def mermaid_text(text: str) -> str:
    """Text for inside a quoted Mermaid label: every character that means something, coded."""
    return _SPECIAL.sub(lambda m: _ENTITIES[m.group(0)], text)


_PREFIX = {
    "credential": "c",
    "outcome": "o",
    "competency": "k",
    "junction": "j",
    "gap": "g",
    "legend": "l",
}


class _Ids:
    """Mermaid-safe ids (letters, digits, ``_``), unique, stable for the same diagram."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.used: set[str] = set()

    def __call__(self, node_id: str, prefix: str = "") -> str:
        if node_id in self.names:
            return self.names[node_id]
        kind, _, rest = node_id.partition(":")
        base = (prefix or _PREFIX.get(kind, "n")) + "_" + re.sub(r"\W", "_", rest or kind)
        name, count = base, 1
        while name in self.used:
            count += 1
            name = f"{base}_{count}"
        self.used.add(name)
        self.names[node_id] = name
        return name


def _label(node: Node) -> str:
    width = 22 if node.kind == "competency" else 26
    parts = [mermaid_text(line) for line in wrap(node.title, width)]
    title = "<br>".join(parts)
    if node.kind in {"credential", "outcome"}:
        title = f"<b>{title}</b>"
    lines = [title]
    lines += [f"<small>{mermaid_text(d)}</small>" for d in node.details]
    if node.problem and node.kind != "gap":
        lines.append(f"<small>{mermaid_text('⚠ ' + node.problem)}</small>")
    return "<br>".join(lines)


def _shape(node: Node, text: str) -> str:
    if node.kind == "junction":
        return f'(("{text}"))'
    if node.kind == "outcome":
        return '{{"' + text + '"}}'
    if node.kind == "competency":
        return f'(["{text}"])'
    if node.kind == "gap":
        return f'["{text}"]'
    if node.type in AWARDS:
        return f'[["{text}"]]'
    return f'("{text}")'


def _type_class(type_: str) -> str:
    return "t_" + re.sub(r"\W", "_", type_)


def _classes(node: Node) -> list[str]:
    if node.kind == "credential":
        names = [_type_class(node.type)]
        if node.status == "retired" or node.unusable:
            names.append("retired")
        elif node.status == "draft":
            names.append("draft")
    else:
        names = [node.kind]
    if node.problem and node.kind != "gap":
        names.append("problem")
    if node.focus:
        names.append("focus")
    return names


def _class_defs(nodes: list[Node]) -> list[str]:
    types = sorted({n.type for n in nodes if n.kind == "credential"})
    out = []
    for type_ in types:
        fill, border = type_colours(type_)
        out.append(f"  classDef {_type_class(type_)} fill:{fill},stroke:{border},color:#1A202C")
    fixed = {
        "outcome": "fill:#1F3A5F,stroke:#1F3A5F,color:#FFFFFF",
        "competency": "fill:#F7FAFC,stroke:#8A94A6,color:#4A5568",
        "junction": "fill:#FFFFFF,stroke:#4A5568,color:#4A5568,font-size:11px",
        "gap": f"fill:#FFF5F5,stroke:{PROBLEM},color:{PROBLEM},stroke-dasharray:5 3",
        "draft": "stroke-dasharray:5 3",
        "retired": "fill:#EDEDED,stroke:#9A9A9A,color:#6B6B6B,stroke-dasharray:5 3",
        "problem": f"stroke:{PROBLEM},stroke-width:3px",
        "focus": "stroke-width:4px",
    }
    out += [f"  classDef {name} {style}" for name, style in fixed.items()]
    return out


def to_mermaid(diagram: Diagram) -> str:
    """The Mermaid flowchart text of a diagram."""
    ids = _Ids()
    nodes = {n.id: n for n in diagram.nodes}
    title = json.dumps(mermaid_text(f"{diagram.title} · {diagram.subtitle}"), ensure_ascii=False)
    lines = ["---", f"title: {title}", "---", "flowchart LR"]
    placed: set[str] = set()

    def node_line(node: Node, indent: str) -> str:
        return f"{indent}{ids(node.id)}{_shape(node, _label(node))}"

    for column in diagram.columns:
        lines += _subgraph(column, nodes, ids, node_line)
        placed.update(column.nodes)
    for node in diagram.nodes:
        if node.id not in placed:
            lines.append(node_line(node, "  "))
    samples = legend(diagram)
    if samples:
        lines.append('  subgraph s_legend["Legend"]')
        lines += [node_line(sample, "    ") for sample in samples]
        lines.append("  end")
    problem_links = []
    for index, edge in enumerate(diagram.edges):
        arrow = "-.->" if edge.problem else "-->"
        label = ""
        if edge.label:
            text = "<br>".join(mermaid_text(line) for line in edge.label.split("\n"))
            label = f'|"{text}"|'
        lines.append(f"  {ids(edge.source)} {arrow}{label} {ids(edge.target)}")
        if edge.problem:
            problem_links.append(str(index))
    every = [*diagram.nodes, *samples]
    lines += _class_defs(every)
    members: dict[str, list[str]] = {}
    for node in every:
        for name in _classes(node):
            members.setdefault(name, []).append(ids(node.id))
    order = [name for name in members if name.startswith("t_")]
    order += [n for n in ("outcome", "competency", "junction", "gap", "draft") if n in members]
    order += [n for n in ("retired", "problem", "focus") if n in members]
    lines += [f"  class {','.join(members[name])} {name}" for name in order]
    if problem_links:
        lines.append(f"  linkStyle {','.join(problem_links)} stroke:{PROBLEM}")
    for node in diagram.nodes:
        if node.url:
            # Mermaid reads "#name;" anywhere as an entity code, even in a link.
            url = re.sub(r"(#\w+);", r"\1%3B", node.url)
            lines.append(f'  click {ids(node.id)} href "{url}" _top')
    return "\n".join(lines) + "\n"


def _subgraph(
    column: Column, nodes: dict[str, Node], ids: _Ids, node_line: Callable[[Node, str], str]
) -> list[str]:
    out = [f'  subgraph {ids(column.id, "s")}["{mermaid_text(column.title)}"]']
    grouped: set[str] = set()
    for group in column.groups:
        out.append(f'    subgraph {ids(group.id, "s")}["{mermaid_text(group.label)}"]')
        for node_id in group.nodes:
            out.append(node_line(nodes[node_id], "      "))
            grouped.add(node_id)
        out.append("    end")
    for node_id in column.nodes:
        if node_id not in grouped:
            out.append(node_line(nodes[node_id], "    "))
    out.append("  end")
    return out
