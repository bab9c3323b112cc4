"""The diagram model: nodes, edges and stage columns, built from the catalog.

Every view (the map, a derived or curated pathway, one credential's neighbourhood)
becomes one ``Diagram``; the DOT and Mermaid writers only turn it into text. Keeping
the decisions here (what is drawn, which column, which problem) makes both formats say
the same thing and lets the tests look at the structure rather than at layout.

Requirements become edges into the node that needs them: a credential reference is an
edge from that credential; a competency reference is an edge from each credential that
serves it, labelled with the competency, or a path through one competency node when
several serve it and several need it (always, with ``show_competencies``); ``any`` and
``choose`` go through a small junction node labelled "1 of 2"; a competency level that
nothing grants is a "missing: c@L" node. Servers that presuppose the reference (they
require it themselves, or require another server of it) are left out: ``Intermediate
SQL`` grants sql@2 but is not a way to get sql@1.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from urllib.parse import quote, urlsplit

from credpath.compiler.requirements import All, AnyOf, Choose, Ref, Requirement
from credpath.compiler.resolve import CredentialDef
from credpath.compiler.semantics import Semantics, all_chain

LAST = 1 << 20
"""The stage number of the "not reachable" column; outcomes come one after it."""


@dataclass(frozen=True)
class Node:
    """One box or circle; ``title`` and ``details`` are plain text, escaped by the writers."""

    id: str
    kind: str
    """credential | outcome | competency | junction | gap"""
    title: str
    details: tuple[str, ...] = ()
    type: str = ""
    status: str = "active"
    problem: str = ""
    """Short words shown in red on the node: "dead end", "not earnable", ..."""
    unusable: bool = False
    """Never earned here: retired, or a draft under --no-drafts."""
    focus: bool = False
    url: str = ""
    tooltip: str = ""


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str = ""
    problem: bool = False
    constraint: bool = True
    """False for an edge that does not run forward in the stages (dot ignores it for ranks)."""


@dataclass(frozen=True)
class Group:
    """Alternatives inside a stage of a curated pathway: "1 of 2"."""

    id: str
    label: str
    nodes: tuple[str, ...]


@dataclass(frozen=True)
class Column:
    id: str
    title: str
    nodes: tuple[str, ...]
    groups: tuple[Group, ...] = ()


@dataclass(frozen=True)
class Diagram:
    title: str
    subtitle: str
    columns: tuple[Column, ...]
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    boxed: bool = True
    """Stages as boxes (a pathway), or as columns under a header (a map, see views)."""

    def node(self, node_id: str) -> Node:
        return next(n for n in self.nodes if n.id == node_id)


# -- text ---------------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")


def clean(text: str) -> str:
    """One line of printable text: whitespace runs become one space, control characters go.

    Control characters are not allowed in XML, so an SVG holding one would not open.
    """
    text = _SPACE.sub(" ", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc").strip()


def shown(title: str, fallback: str) -> str:
    """A title as a diagram draws it: ``clean``, or ``fallback`` (the id) when nothing
    printable is left, as of a title of control characters (one of spaces is a schema
    error, drawn as its stand-in). A box then still names something, and Graphviz,
    which refuses an empty bold line, gets none."""
    return clean(title) or fallback


def wrap(text: str, width: int = 26) -> list[str]:
    """Lines of at most ``width``, as even as the line count allows (no lone last word)."""
    return list(_wrapped(text, width))


@lru_cache(maxsize=16384)
def _wrapped(text: str, width: int) -> tuple[str, ...]:
    """``wrap``, remembered: the learner site draws the same titles in many diagrams."""
    text = clean(text)
    if len(text) <= width:  # one line, and any narrower width that keeps it one is its length
        return (text,)  # (most titles: the narrowing below took 4 ms of each site diagram)
    best = textwrap.wrap(text, width, break_on_hyphens=False) or [""]
    for narrower in range(width - 1, 0, -1):
        trial = textwrap.wrap(text, narrower, break_on_hyphens=False, break_long_words=False)
        if len(trial) != len(best) or max(len(line) for line in trial) > narrower:
            break
        best = trial
    return tuple(best)


_URL_UNSAFE = re.compile(r"[^A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]")


def safe_url(url: str | None) -> str:
    """An http(s) URL with every character that could break out of an attribute encoded."""
    if not url or urlsplit(url).scheme.lower() not in {"http", "https"}:
        return ""
    return _URL_UNSAFE.sub(lambda m: quote(m.group(0), safe=""), url)


def hours_text(hours: float) -> str:
    return f"{hours:g} h"


def workload_text(credential: CredentialDef) -> str:
    workload = credential.model.workload
    if workload is None:
        return ""
    parts = []
    if workload.hours is not None:
        parts.append(hours_text(workload.hours))
    if workload.ects is not None:
        parts.append(f"{workload.ects:g} ECTS")
    return ", ".join(parts)


# -- building -----------------------------------------------------------------------------


def credential_node_id(credential_id: str) -> str:
    return f"credential:{credential_id}"


def outcome_node_id(outcome_id: str) -> str:
    return f"outcome:{outcome_id}"


@dataclass
class _EdgeDraft:
    labels: list[str] = field(default_factory=list)
    problem: bool = False
    constraint: bool = True


class Builder:
    """Collects nodes and edges for one diagram; ``connect`` draws a requirement.

    ``members`` limits which credentials may serve a requirement (a pathway's own);
    ``stage`` gives each credential's column number, to tell forward edges from others.
    """

    def __init__(
        self,
        semantics: Semantics,
        members: Iterable[str],
        stage: dict[str, int],
        *,
        show_competencies: bool = False,
    ) -> None:
        self.semantics = semantics
        self.catalog = semantics.catalog
        self.members = frozenset(members)
        self.stage = stage
        self.show_competencies = show_competencies
        self.nodes: dict[str, Node] = {}
        self.edges: dict[tuple[str, str], _EdgeDraft] = {}
        self._junctions = 0
        self._needs: dict[str, tuple[Ref, list[tuple[str, int]], list[str]]] = {}
        """Competency references waiting for ``_flush``: the reference, consumers, servers."""

    # -- nodes ----------------------------------------------------------------------------
    def add(self, node: Node) -> str:
        self.nodes.setdefault(node.id, node)
        return node.id

    def credential(self, credential_id: str, problem: str = "", tooltip_extra: str = "") -> str:
        """The node of a credential: title, type and workload, link and tooltip."""
        credential = self.catalog.credentials[credential_id]
        model = credential.model
        sem = self.semantics
        unusable = not sem.usable(credential)
        details = [model.type]
        if credential.status != "active":
            details.insert(0, credential.status)
        workload = credential.model.workload
        if workload is not None:
            details.append(
                hours_text(workload.hours) if workload.hours else f"{workload.ects:g} ECTS"
            )
        title = shown(model.title, credential_id)
        tooltip = [
            title,
            " · ".join(p for p in (model.type, clean(model.provider or "")) if p),
        ]
        if workload_text(credential):
            tooltip.append(f"Workload: {workload_text(credential)}")
        if credential.status != "active":
            tooltip.append(f"Status: {credential.status}")
        if problem or tooltip_extra:
            tooltip.append(f"Problem: {tooltip_extra or problem}")
        if model.description:
            tooltip.append(clean(model.description))
        return self.add(
            Node(
                credential_node_id(credential_id),
                "credential",
                title,
                (" · ".join(details),),
                type=model.type,
                status=credential.status,
                problem=problem,
                unusable=unusable,
                url=safe_url(model.url),
                tooltip="\n".join(tooltip),
            )
        )

    def outcome(self, outcome_id: str, problem: str = "", tooltip_extra: str = "") -> str:
        outcome = self.catalog.outcomes[outcome_id]
        title = shown(outcome.model.title, outcome_id)
        tooltip = [title, "Job outcome"]
        if problem:
            tooltip.append(f"Problem: {tooltip_extra or problem}")
        if outcome.model.description:
            tooltip.append(clean(outcome.model.description))
        return self.add(
            Node(
                outcome_node_id(outcome_id),
                "outcome",
                title,
                ("job outcome",),
                problem=problem,
                tooltip="\n".join(tooltip),
            )
        )

    def competency(self, ref: Ref, problem: str = "", why: str = "") -> str:
        definition = self.catalog.competencies[ref.target]
        levels = definition.levels
        level_name = levels[ref.number - 1] if ref.number <= len(levels) else str(ref.number)
        title = shown(definition.model.title, ref.target)
        details = (f"level {ref.number}: {clean(level_name)}",) if levels != ("1",) else ()
        tooltip = [title, *details]
        if why:
            tooltip.append(f"Problem: {why}")
        if definition.model.description:
            tooltip.append(clean(definition.model.description))
        node = Node(
            f"competency:{ref}",
            "competency",
            title,
            details,
            problem=problem,
            tooltip="\n".join(tooltip),
        )
        return self.add(node)

    def _junction(self, need: int, total: int) -> Node:
        self._junctions += 1
        return Node(
            f"junction:{self._junctions}",
            "junction",
            f"{need} of {total}",
            tooltip=f"any {need} of these {total}" if need > 1 else f"one of these {total}",
        )

    # -- edges ----------------------------------------------------------------------------
    def edge(
        self, source: str, target: str, label: str = "", *, problem: bool = False, forward: bool
    ) -> None:
        draft = self.edges.setdefault((source, target), _EdgeDraft())
        if label and label not in draft.labels:
            draft.labels.append(label)
        draft.problem = draft.problem or problem
        draft.constraint = draft.constraint and forward

    def connect(self, target: str, requirement: Requirement, stage: int) -> bool:
        """Draw what ``requirement`` needs into ``target`` (at column ``stage``); drawn anything?"""
        if isinstance(requirement, All):
            drawn = [self.connect(target, item, stage) for item in requirement.items]
            return any(drawn)
        if isinstance(requirement, Ref):
            return self._ref(target, requirement, stage)
        if isinstance(requirement, AnyOf | Choose):
            return self._choice(target, requirement, stage)
        return False  # Invalid: reported by validate, nothing to draw

    def _choice(self, target: str, requirement: AnyOf | Choose | All, stage: int) -> bool:
        items = requirement.items
        need = (
            requirement.n
            if isinstance(requirement, Choose)
            else len(items)
            if isinstance(requirement, All)
            else 1
        )
        junction = self._junction(need, len(items))
        drawn = [
            self._choice(junction.id, item, stage)
            if isinstance(item, All) and len(item.items) > 1
            else self.connect(junction.id, item, stage)
            for item in items
        ]
        if not any(drawn):
            self._junctions -= 1
            return False
        self.add(junction)
        self.edge(junction.id, target, forward=True)
        return True

    def _ref(self, target: str, ref: Ref, stage: int) -> bool:
        sem = self.semantics
        if ref.kind == "competency" and self.catalog.assumed.get(ref.target, 0) >= ref.number:
            return False
        if sem.is_gap(ref):
            gap = self.add(Node(f"gap:{ref}", "gap", f"missing: {ref}", tooltip=gap_tip(ref)))
            self.edge(gap, target, problem=True, forward=True)
            return True
        servers = self.servers(ref)
        if not servers:
            return False
        if ref.kind == "credential":
            self.edge(
                credential_node_id(ref.target), target, forward=self.stage[ref.target] < stage
            )
        else:
            self._needs.setdefault(str(ref), (ref, [], servers))[1].append((target, stage))
        return True

    def _flush(self) -> None:
        """Competency edges, now that every consumer is known.

        A competency level that several credentials serve and several need goes
        through one competency node (``s + c`` edges instead of ``s * c`` labelled
        ones); with ``show_competencies`` every one does. Only servers in columns
        before the first consumer are drawn, when there are any: they are how the
        learner gets there, and the others would be arrows running backwards.
        """
        for _, (ref, consumers, found) in sorted(self._needs.items()):
            first = min(stage for _, stage in consumers)
            servers = [s for s in found if self.stage[s] < first] or found
            hub = self.show_competencies or (
                len(servers) * len(consumers) > len(servers) + len(consumers)
            )
            if hub:
                middle = self.competency(ref)
                for server in servers:
                    self.edge(
                        credential_node_id(server), middle, forward=self.stage[server] < first
                    )
                for target, _ in consumers:
                    self.edge(middle, target, forward=True)
                continue
            for target, stage in consumers:
                for server in servers:
                    self.edge(
                        credential_node_id(server),
                        target,
                        str(ref),
                        forward=self.stage[server] < stage,
                    )
        self._needs.clear()

    def servers(self, ref: Ref) -> list[str]:
        """Members that serve ``ref``, without those that presuppose it (module docstring)."""
        if ref.kind == "credential":
            return [ref.target] if ref.target in self.members else []
        found = [c.id for c in self.semantics.servers(ref) if c.id in self.members]
        plain = [s for s in found if not self._presupposes(s, ref, found)]
        return sorted(plain or found)

    def _presupposes(self, server: str, ref: Ref, others: list[str]) -> bool:
        for need in all_chain(self.catalog.credentials[server].requires):
            if need.kind == "competency":
                if need.target == ref.target and need.number >= ref.number:
                    return True
            elif need.target in others and need.target != server:
                return True
        return False

    # -- result ---------------------------------------------------------------------------
    def diagram(
        self, title: str, subtitle: str, columns: Iterable[Column], *, boxed: bool = True
    ) -> Diagram:
        self._flush()
        edges = tuple(
            Edge(source, target, "\n".join(d.labels), d.problem, d.constraint)
            for (source, target), d in sorted(self.edges.items())
        )
        return Diagram(title, subtitle, tuple(columns), tuple(self.nodes.values()), edges, boxed)


def gap_tip(ref: Ref) -> str:
    return f"No credential grants {ref} and it is not assumed: a gap in the catalog"


def focus(diagram: Diagram, node_id: str) -> Diagram:
    """The same diagram with one node drawn as its centre."""
    nodes = tuple(replace(n, focus=True) if n.id == node_id else n for n in diagram.nodes)
    return replace(diagram, nodes=nodes)


def subset(diagram: Diagram, keep: set[str], subtitle: str) -> Diagram:
    """The diagram restricted to ``keep``, empty columns and groups dropped."""
    columns = []
    for column in diagram.columns:
        nodes = tuple(n for n in column.nodes if n in keep)
        if not nodes:
            continue
        groups = tuple(
            replace(g, nodes=tuple(n for n in g.nodes if n in keep))
            for g in column.groups
            if any(n in keep for n in g.nodes)
        )
        columns.append(replace(column, nodes=nodes, groups=groups))
    return replace(
        diagram,
        subtitle=subtitle,
        columns=tuple(columns),
        nodes=tuple(n for n in diagram.nodes if n.id in keep),
        edges=tuple(e for e in diagram.edges if e.source in keep and e.target in keep),
    )
