"""The drift report as one HTML file that works offline, from a ``Published`` report only.

Three pictures, all inline SVG, nothing loaded from anywhere (the page's Content Security
Policy forbids it, and it has no script):

- **the map**: ``render``'s project map, each credential filled by its continuation rate
  (``RATE_BANDS``; the rate is also written in the box) and each prerequisite edge drawn
  as wide as the number of learners who took it next (through a "1 of 2" junction or a
  competency, the learners from the credentials before it to those after it). Only what
  the privacy layer published is used: a destination it left out counts as none. The
  map is laid out by Graphviz's ``dot`` like every credpath diagram; without it the
  report says so and shows the rest.
- **the Kaplan-Meier curves** of the drift points, and **the outcome funnels**: drawn here
  from a jinja2 template. A plotting library would not earn its place: matplotlib (the
  one that fits) brings numpy, Pillow and fontTools, about 170 MB, for two charts of a
  few lines each; pygal writes a random id and the day's date into every SVG and needs
  JavaScript for its values.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING

from credpath.analytics import reports
from credpath.analytics.privacy import Published, PublishedCredential
from credpath.analytics.reports import count_text

if TYPE_CHECKING:
    from jinja2 import Environment

    from credpath.compiler.semantics import Semantics
    from credpath.publish.render.model import Diagram

RATE_BANDS = (
    (0.40, "#F4A582", "under 40%"),
    (0.55, "#FDD0A2", "40% to 55%"),
    (0.70, "#FFF2B3", "55% to 70%"),
    (0.85, "#C6DBEF", "70% to 85%"),
    (1.01, "#92C5DE", "85% or more"),
)
"""Fill by continuation rate: warm where learners stop, cool where they go on (a light
red-to-blue scale that colour-blind readers tell apart, dark text readable on each)."""
NO_RATE = "#FFFFFF"

WIDEST = 12.0
"""The pen width of the edge most learners took; the others in proportion (at least 1)."""

CURVE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
"""Okabe and Ito's colour-blind-safe palette, one colour per drift point."""

CHART_WIDTH, CHART_HEIGHT, MARGIN = 640, 320, 48
BAR_WIDTH = 420


def band(rate: float | None) -> str:
    if rate is None:
        return NO_RATE
    return next(colour for upper, colour, _ in RATE_BANDS if rate < upper)


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    path: str
    """The SVG path of the step curve, in the chart's pixels."""


@dataclass(frozen=True)
class CurveChart:
    series: tuple[Series, ...]
    x_ticks: tuple[tuple[float, str], ...]
    y_ticks: tuple[tuple[float, str], ...]
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    margin: int = MARGIN


@dataclass(frozen=True)
class Bar:
    label: str
    count: str
    width: float
    """In pixels; 0 for a suppressed count (drawn as an outline)."""
    suppressed: bool


@dataclass(frozen=True)
class FunnelChart:
    outcome: str
    title: str
    reachable: bool
    bars: tuple[Bar, ...]


def _ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top``."""
    raw = max(top, 1.0) / count
    magnitude = 10 ** (len(str(int(raw))) - 1)
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return [step * i for i in range(count + 2) if step * (i - 1) < top]


def curve_chart(report: Published) -> CurveChart | None:
    """The Kaplan-Meier curves of the drift points whose curve was published."""
    by_id = {c.credential: c for c in report.credentials}
    shown = [by_id[c] for c in report.drift_points if by_id[c].curve is not None]
    if not shown:
        return None
    last = max([d for c in shown if c.curve for d in c.curve[0]] + [report.window])
    x_values = _ticks(last)
    x_top = x_values[-1]
    inner_w, inner_h = CHART_WIDTH - 2 * MARGIN, CHART_HEIGHT - 2 * MARGIN

    def x(day: float) -> float:
        return MARGIN + inner_w * day / x_top

    def y(share: float) -> float:
        return MARGIN + inner_h * (1 - share)

    series = []
    for index, credential in enumerate(shown):
        assert credential.curve is not None
        days, survival = credential.curve
        path = [f"M{x(0):.1f},{y(1):.1f}"]
        for day, share in zip(days, survival, strict=True):
            path.append(f"H{x(day):.1f}V{y(share):.1f}")
        path.append(f"H{x(max(days, default=0)):.1f}")
        series.append(
            Series(
                f"{credential.title} ({credential.credential})",
                CURVE_COLOURS[index % len(CURVE_COLOURS)],
                "".join(path),
            )
        )
    return CurveChart(
        tuple(series),
        tuple((x(v), f"{v:g}") for v in x_values),
        tuple((y(v / 4), f"{v * 25}%") for v in range(5)),
    )


def funnel_charts(report: Published) -> tuple[FunnelChart, ...]:
    charts = []
    for funnel in report.funnels:
        cells = [
            (f"Stage {index}: {', '.join(stage)}", count)
            for index, (stage, count) in enumerate(funnel.stages, 1)
        ]
        cells.append(("Met the outcome", funnel.met))
        widest = max([c for _, c in cells if c is not None] + [1])
        bars = tuple(
            Bar(
                label,
                count_text(count, report.min_group),
                0.0 if count is None else BAR_WIDTH * count / widest,
                count is None,
            )
            for label, count in cells
        )
        charts.append(FunnelChart(funnel.outcome, funnel.title, funnel.reachable, bars))
    return tuple(charts)


def _rate_text(credential: PublishedCredential) -> str:
    rate = credential.row.rate
    return "continuation: -" if rate is None else f"continuation {rate[0]:.0%}"


def flows(diagram: Diagram, report: Published) -> dict[tuple[str, str], int]:
    """Learners who took each edge of the map next, from the published destinations.

    An edge into or out of a junction or a competency carries the learners from the
    credentials before it to the credentials after it.
    """
    from credpath.publish.render.model import credential_node_id

    went = {
        credential_node_id(c.credential): {
            credential_node_id(w.credential): w.learners for w in c.went
        }
        for c in report.credentials
    }
    kinds = {n.id: n.kind for n in diagram.nodes}
    before: dict[str, list[str]] = defaultdict(list)
    after: dict[str, list[str]] = defaultdict(list)
    for edge in diagram.edges:
        after[edge.source].append(edge.target)
        before[edge.target].append(edge.source)

    def ends(node: str, links: dict[str, list[str]]) -> set[str]:
        found, todo, seen = set(), [node], {node}
        while todo:
            current = todo.pop()
            if kinds.get(current) == "credential":
                found.add(current)
                continue
            if kinds.get(current) not in {"junction", "competency"}:
                continue
            for linked in links[current]:
                if linked not in seen:
                    seen.add(linked)
                    todo.append(linked)
        return found

    return {
        (edge.source, edge.target): sum(
            went.get(source, {}).get(target, 0)
            for source in ends(edge.source, before)
            for target in ends(edge.target, after)
        )
        for edge in diagram.edges
    }


def map_svg(report: Published, sem: Semantics) -> str:
    """The project map with the learners drawn on it, as an ``<svg>`` element."""
    from credpath.publish.render.convert import layout
    from credpath.publish.render.dot import attr_text, quoted, to_dot
    from credpath.publish.render.model import credential_node_id
    from credpath.publish.render.style import legend
    from credpath.publish.render.views import project_map

    drawn = project_map(sem)
    by_node = {credential_node_id(c.credential): c for c in report.credentials}
    nodes = []
    for node in drawn.nodes:
        credential = by_node.get(node.id)
        if credential is not None:
            node = replace(node, details=(*node.details, _rate_text(credential)))
        nodes.append(replace(node, url=""))  # nothing to follow out of an offline report
    diagram = replace(drawn, nodes=tuple(nodes))
    dot = to_dot(diagram)
    assert dot.startswith("digraph ")
    overlay = []
    drawn_ids = {n.id for n in nodes}
    for node_id, credential in sorted(by_node.items()):
        if node_id in drawn_ids:
            rate = credential.row.rate
            fill = band(rate[0] if rate is not None else None)
            tip = f"{credential.title}: {_rate_text(credential)}, "
            tip += f"{count_text(credential.row.earnings, report.min_group)} earners"
            overlay.append(
                f'  {quoted(node_id)} [fillcolor={quoted(fill)}, tooltip="{attr_text(tip)}"];'
            )
    for sample in legend(diagram):
        if sample.kind == "credential":  # here the fill is the rate: the type is the border
            overlay.append(f'  {quoted(sample.id)} [fillcolor="{NO_RATE}"];')
    taken = flows(diagram, report)
    most = max(taken.values(), default=0)
    for (source, target), learners in sorted(taken.items()):
        if learners:
            width = max(1.0, WIDEST * learners / most)
            tip = f"{learners:,} learners took this next"
            overlay.append(
                f"  {quoted(source)} -> {quoted(target)} [penwidth={width:.2f}, "
                f'tooltip="{attr_text(tip)}"];'
            )
    # In a strict graph a second statement about a node or an edge adds to its attributes.
    text = "strict " + dot.rstrip().removesuffix("}") + "\n".join(overlay) + "\n}\n"
    svg = layout(text, "svg").decode("utf-8")
    return svg[svg.index("<svg") :]


def _environment() -> Environment:
    from credpath.base.templates import environment

    return environment("credpath.analytics")


def html_report(report: Published, sem: Semantics) -> tuple[str, tuple[str, ...]]:
    """The page, and notes for standard error (the map left out without Graphviz)."""
    from credpath.publish.render.convert import GraphvizMissing

    notes: tuple[str, ...] = ()
    try:
        drawn: str | None = map_svg(report, sem)
    except GraphvizMissing as missing:
        drawn = None
        notes = (f"the map is left out of the report: {missing}",)
    template = _environment().get_template("drift.html")
    page = template.render(
        report=report,
        heading=reports.heading(report),
        legend=reports.legend(report),
        structure=[line.strip() for line in reports.structure_lines(report)],
        by_id={c.credential: c for c in report.credentials},
        map_svg=drawn,
        bands=RATE_BANDS,
        no_rate=NO_RATE,
        curves=curve_chart(report),
        funnels=funnel_charts(report),
        read=reports.read_lines(report),
        count=partial(count_text, min_group=report.min_group),
        percent=reports.percent_text,
        days=reports.days_text,
        went=reports.went_text,
    )
    return page, notes
