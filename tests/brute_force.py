"""The metrics by listing every source-to-sink path, as Curricular Analytics does.

Exponential, so only for small graphs: the oracle the dynamic programming is checked
against.
"""

from __future__ import annotations

import networkx as nx


def metrics_by_enumeration(
    g: nx.DiGraph,
) -> tuple[dict[str, tuple[int, int, int, int]], int, int]:
    """id -> (blocking, delay, centrality, complexity), longest path length and count."""
    sources = [v for v in g if g.in_degree(v) == 0]
    sinks = {v for v in g if g.out_degree(v) == 0}
    paths: list[list[str]] = []
    stack = [[s] for s in sources]
    while stack:
        path = stack.pop()
        if path[-1] in sinks:
            paths.append(path)
        stack.extend([*path, nxt] for nxt in g.successors(path[-1]))
    result = {}
    for v in g:
        blocking = len(nx.descendants(g, v))
        delay = max(len(p) for p in paths if v in p)
        centrality = sum(
            len(p) for p in paths if v in p and len(p) > 2 and p[0] != v and p[-1] != v
        )
        result[v] = (blocking, delay, centrality, blocking + delay)
    longest = max((len(p) for p in paths), default=0)
    return result, longest, sum(1 for p in paths if len(p) == longest)
