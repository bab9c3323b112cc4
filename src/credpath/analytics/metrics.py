"""Curricular Analytics metrics on the credential prerequisite graph.

The graph has one node per credential id and an edge ``a -> b`` when ``b`` needs ``a``
(``b`` requires credential ``a``, or a competency level that ``a`` grants). The four
per-credential metrics are those of Curricular Analytics (Heileman et al.), so a credpath
project and a Curricular Analytics curriculum with the same graph get the same numbers:

- blocking factor: how many credentials are reachable from this one (itself excluded);
- delay factor: how many credentials lie on the longest path through this one;
- centrality: the summed length (in credentials) of every source-to-sink path through
  this one, with this one neither first nor last;
- structural complexity: delay factor + blocking factor.

Curricular Analytics lists every source-to-sink path to get centrality, which is
exponential. Here every metric comes from dynamic programming over one topological order,
so a deep, densely layered catalog costs time linear in its edges (plus big-integer
arithmetic: path counts stay exact, however many digits they need).

For the metrics of one outcome, call :func:`compute_metrics` on the subgraph induced by
the credentials of its pathway (``graph.subgraph(ids)``), as Curricular Analytics does for
one degree.
"""

from __future__ import annotations

import decimal
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

__all__ = [
    "CredentialMetrics",
    "CurriculumMetrics",
    "CycleError",
    "MetricTotals",
    "compute_metrics",
    "metrics_to_csv",
    "metrics_to_json",
    "metrics_to_table",
]

_FIELDS = ("blocking", "delay", "centrality", "complexity")


class CycleError(ValueError):
    """The graph has a cycle, so no metric is defined; ``cycle`` holds one of them.

    ``cycle`` lists ids in edge order from the smallest one: each is needed by the next,
    and the last is needed by the first. The CLI reports it as a finding.
    """

    def __init__(self, cycle: list[str]) -> None:
        self.cycle = cycle
        super().__init__(
            "the prerequisite graph has a cycle, so its metrics are undefined: "
            + " -> ".join([*cycle, cycle[0]])
        )


@dataclass(frozen=True)
class CredentialMetrics:
    """The four Curricular Analytics metrics of one credential."""

    blocking: int
    delay: int
    centrality: int
    complexity: int


@dataclass(frozen=True)
class MetricTotals:
    """Sums of each metric over all credentials (the curriculum-level values)."""

    blocking: int
    delay: int
    centrality: int
    complexity: int


@dataclass(frozen=True)
class CurriculumMetrics:
    """Metrics of every credential (sorted by id), their totals, and the longest paths.

    ``longest_path_length`` counts credentials (0 for an empty graph) and
    ``longest_path_count`` how many source-to-sink paths have that length; a credential
    with no edges is a path of one.
    """

    credentials: Mapping[str, CredentialMetrics]
    totals: MetricTotals
    longest_path_length: int
    longest_path_count: int


def compute_metrics(graph: nx.DiGraph) -> CurriculumMetrics:
    """Compute every metric of ``graph`` (a ``networkx.DiGraph`` with ``str`` nodes).

    Raises :class:`CycleError` when the graph is not acyclic. Runs in O(n + m) arithmetic
    steps, plus blocking factors as bitsets in O(n * m / 64) word operations.
    """
    ids, preds, succs = _index(graph)
    order = _topological_order(graph, ids)
    n = len(ids)

    blocking = _blocking(order, preds, succs)

    # Longest path (in nodes) ending at / starting from each node, with the number of
    # longest paths ending at each node; paths of every length are counted in `paths_in`
    # and `paths_out`, with their summed lengths in `length_in` and `length_out`.
    up = [1] * n
    up_count = [1] * n
    paths_in = [1] * n
    length_in = [1] * n
    for v in order:
        if preds[v]:
            best = max(up[p] for p in preds[v])
            up[v] = best + 1
            up_count[v] = sum(up_count[p] for p in preds[v] if up[p] == best)
            paths_in[v] = sum(paths_in[p] for p in preds[v])
            length_in[v] = sum(length_in[p] for p in preds[v]) + paths_in[v]
    down = [1] * n
    paths_out = [1] * n
    length_out = [1] * n
    for v in reversed(order):
        if succs[v]:
            down[v] = max(down[s] for s in succs[v]) + 1
            paths_out[v] = sum(paths_out[s] for s in succs[v])
            length_out[v] = sum(length_out[s] for s in succs[v]) + paths_out[v]

    per_node: dict[str, CredentialMetrics] = {}
    for v, node_id in enumerate(ids):
        delay = up[v] + down[v] - 1
        centrality = 0
        if preds[v] and succs[v]:
            # Each prefix (source..v) joins each suffix (v..sink); v is counted twice.
            centrality = (
                length_in[v] * paths_out[v]
                + length_out[v] * paths_in[v]
                - paths_in[v] * paths_out[v]
            )
        per_node[node_id] = CredentialMetrics(
            blocking=blocking[v],
            delay=delay,
            centrality=centrality,
            complexity=delay + blocking[v],
        )

    longest = max(up, default=0)
    return CurriculumMetrics(
        credentials=per_node,
        totals=MetricTotals(
            blocking=sum(m.blocking for m in per_node.values()),
            delay=sum(m.delay for m in per_node.values()),
            centrality=sum(m.centrality for m in per_node.values()),
            complexity=sum(m.complexity for m in per_node.values()),
        ),
        longest_path_length=longest,
        longest_path_count=sum(c for u, c in zip(up, up_count, strict=True) if u == longest),
    )


def _index(graph: nx.DiGraph) -> tuple[list[str], list[list[int]], list[list[int]]]:
    """Number the nodes in id order, so every later step is deterministic and list-based.

    Parallel edges of a ``MultiDiGraph`` count once, as one course needing another does.
    """
    if not isinstance(graph, nx.DiGraph):
        raise TypeError("compute_metrics needs a networkx.DiGraph")
    ids: list[str] = sorted(graph.nodes)
    position = {node_id: i for i, node_id in enumerate(ids)}
    preds: list[list[int]] = [[] for _ in ids]
    succs: list[list[int]] = [[] for _ in ids]
    for a, b in dict.fromkeys(graph.edges()):
        preds[position[b]].append(position[a])
        succs[position[a]].append(position[b])
    return ids, preds, succs


def _topological_order(graph: nx.DiGraph, ids: list[str]) -> list[int]:
    """A topological order (as indexes into ``ids``); on a cycle raise :class:`CycleError`.

    The cycle named starts at its smallest id, so the same graph always reports it the
    same way.
    """
    position = {node: index for index, node in enumerate(ids)}
    try:
        return [position[node] for node in nx.lexicographical_topological_sort(graph)]
    except nx.NetworkXUnfeasible:
        cycle = [str(edge[0]) for edge in nx.find_cycle(graph)]
        start = cycle.index(min(cycle))
        raise CycleError(cycle[start:] + cycle[:start]) from None


def _blocking(order: list[int], preds: list[list[int]], succs: list[list[int]]) -> list[int]:
    """Descendant counts from descendant bitsets (Python ints), built in reverse order.

    A node's bitset is dropped once all its predecessors have used it, which keeps memory
    to the sets still needed rather than n * n bits.
    """
    blocking = [0] * len(order)
    reach: dict[int, int] = {}
    users = [len(p) for p in preds]
    for v in reversed(order):
        bits = 0
        for s in succs[v]:
            bits |= reach[s] | (1 << s)
            users[s] -= 1
            if users[s] == 0:
                del reach[s]
        blocking[v] = bits.bit_count()
        if users[v]:
            reach[v] = bits
    return blocking


def _digits(value: int) -> str:
    """Exact decimal text of any int (str() refuses more than 4300 digits by default)."""
    return str(decimal.Decimal(value))


def _rows(metrics: CurriculumMetrics) -> Iterable[tuple[str, Mapping[str, int]]]:
    """The per-credential rows then the totals, each as a name and its four values."""
    for node_id, m in metrics.credentials.items():
        yield node_id, _as_dict(m)
    yield "TOTAL", _as_dict(metrics.totals)


def _as_dict(m: CredentialMetrics | MetricTotals) -> dict[str, int]:
    return {field: getattr(m, field) for field in _FIELDS}


def metrics_to_json(metrics: CurriculumMetrics) -> str:
    """``{"credentials": {id: {...}}, "totals": {...}}``, keys sorted, exact integers.

    Laid out like ``json.dumps(indent=2, sort_keys=True)`` plus a newline, but written by
    hand so that path counts with thousands of digits print in full instead of raising.
    """

    def obj(members: Mapping[str, str], indent: str) -> str:
        if not members:
            return "{}"
        inner = indent + "  "
        items = [f"{inner}{json.dumps(k)}: {v}" for k, v in sorted(members.items())]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"

    def numbers(m: CredentialMetrics | MetricTotals, indent: str) -> str:
        return obj({k: _digits(v) for k, v in _as_dict(m).items()}, indent)

    credentials = {node_id: numbers(m, "    ") for node_id, m in metrics.credentials.items()}
    top = {"credentials": obj(credentials, "  "), "totals": numbers(metrics.totals, "  ")}
    return obj(top, "") + "\n"


def metrics_to_csv(metrics: CurriculumMetrics) -> str:
    """``id,blocking,delay,centrality,complexity`` rows sorted by id, then a TOTAL row.

    Credential ids are lowercase, so ``TOTAL`` cannot clash with one.
    """
    lines = [",".join(("id", *_FIELDS))]
    for name, values in _rows(metrics):
        lines.append(",".join([name, *(_digits(values[f]) for f in _FIELDS)]))
    return "\n".join(lines) + "\n"


def metrics_to_table(metrics: CurriculumMetrics) -> str:
    """A plain-text table (one row per credential, then TOTAL) and the longest path."""
    header = ("credential", *_FIELDS)
    body = [(name, *(_digits(values[f]) for f in _FIELDS)) for name, values in _rows(metrics)]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * width for width in widths)
    out = [line(header), rule, *(line(row) for row in body[:-1]), rule, line(body[-1])]
    plural = "path" if metrics.longest_path_count == 1 else "paths"
    out.append(
        f"longest path: {metrics.longest_path_length} credentials "
        f"({_digits(metrics.longest_path_count)} {plural})"
    )
    return "\n".join(out) + "\n"
