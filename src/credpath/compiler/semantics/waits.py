"""Waiting among the unreachable: who waits on whom, and the cycles it forms."""

from __future__ import annotations

from functools import cached_property

from credpath.compiler.requirements import Ref
from credpath.compiler.semantics.reachability import Reachability
from credpath.compiler.semantics.state import unmet


class Waits(Reachability):
    """The unreachable credentials and what each waits on (section 3)."""

    @cached_property
    def waits(self) -> dict[str, list[str]]:
        """X -> the unreachable usable credentials X waits on (section 3)."""
        state = self.reachable_state
        graph: dict[str, list[str]] = {}
        for credential in self.active:
            if credential.id in self.reachable:
                continue
            targets: list[str] = []
            for leaf in unmet(credential.requires, state):
                if isinstance(leaf, Ref) and not self.is_gap(leaf):
                    for server in self.servers(leaf):
                        # Granting what it requires is not waiting on itself; naming itself is.
                        if server.id == credential.id and leaf.kind != "credential":
                            continue
                        if server.id not in self.reachable and server.id not in targets:
                            targets.append(server.id)
            graph[credential.id] = targets
        return graph

    @cached_property
    def cycles(self) -> list[list[str]]:
        """Strongly connected groups of waiting: two or more, or one waiting on itself."""
        if not any(self.waits.values()):
            return []  # nothing waits on anything: no need to load networkx
        import networkx as nx

        graph = nx.DiGraph()
        for source, targets in self.waits.items():
            graph.add_node(source)
            for target in targets:
                graph.add_edge(source, target)
        groups = []
        for component in nx.strongly_connected_components(graph):
            members = sorted(component)
            if len(members) > 1 or graph.has_edge(members[0], members[0]):
                groups.append(members)
        return sorted(groups)

    def first_in_path_order(self, ids: list[str]) -> str:
        """The id defined first: by relative path, then line (docs/format.md section 7)."""

        def key(id_: str) -> tuple[str, int]:
            entry = self.catalog.entry(id_)
            assert entry is not None
            return (entry.origin.source.display, entry.origin.locate("id").line)

        return min(ids, key=key)

    @cached_property
    def cycle_of(self) -> dict[str, list[str]]:
        return {member: group for group in self.cycles for member in group}


def loop_text(semantics: Waits, members: list[str], start: str | None = None) -> str:
    """``a -> b -> a``: the shortest loop through ``start`` (default: the first member)."""
    import networkx as nx

    graph = nx.DiGraph()
    group = set(members)
    for source in members:
        for target in semantics.waits.get(source, ()):
            if target in group:
                graph.add_edge(source, target)
    start = start or members[0]
    if graph.has_edge(start, start):
        return f"{start} -> {start}"
    best: list[str] | None = None
    for target in sorted(graph.successors(start)):
        path = nx.shortest_path(graph, target, start)
        if best is None or len(path) < len(best):
            best = path
    assert best is not None
    return " -> ".join([start, *best])
