"""Curricular Analytics metrics: hand-worked graphs, a brute-force oracle, output formats."""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterable

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brute_force import metrics_by_enumeration
from credpath.analytics.metrics import (
    CredentialMetrics,
    CurriculumMetrics,
    CycleError,
    compute_metrics,
    metrics_to_csv,
    metrics_to_json,
    metrics_to_table,
)


def graph(edges: Iterable[tuple[str, str]], nodes: Iterable[str] = ()) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_nodes_from(nodes)
    g.add_edges_from(edges)
    return g


def table(metrics: CurriculumMetrics) -> dict[str, tuple[int, int, int, int]]:
    """id -> (blocking, delay, centrality, complexity)."""
    return {
        node: (m.blocking, m.delay, m.centrality, m.complexity)
        for node, m in metrics.credentials.items()
    }


def test_definition_example_a() -> None:
    # Curricular Analytics' metric docs, part (a): v1 before v2 and v3, v2 before v4.
    m = compute_metrics(graph([("v1", "v2"), ("v1", "v3"), ("v2", "v4")]))
    assert table(m) == {
        "v1": (3, 3, 0, 6),
        "v2": (1, 3, 3, 4),  # one long path v1-v2-v4 of three courses
        "v3": (0, 2, 0, 2),
        "v4": (0, 3, 0, 3),
    }
    assert (m.totals.blocking, m.totals.delay, m.totals.centrality) == (4, 11, 3)
    assert m.totals.complexity == 15


def test_definition_example_b() -> None:
    # Part (b): v1 and v2 before v3, v3 before v4; two long paths of three through v3.
    m = compute_metrics(graph([("v1", "v3"), ("v2", "v3"), ("v3", "v4")]))
    assert table(m) == {
        "v1": (2, 3, 0, 5),
        "v2": (2, 3, 0, 5),
        "v3": (1, 3, 6, 4),
        "v4": (0, 3, 0, 3),
    }
    assert m.totals.complexity == 17


def test_diamond() -> None:
    m = compute_metrics(graph([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")]))
    assert table(m) == {
        "a": (3, 3, 0, 6),
        "b": (1, 3, 3, 4),
        "c": (1, 3, 3, 4),
        "d": (0, 3, 0, 3),
    }
    assert (m.longest_path_length, m.longest_path_count) == (3, 2)


def test_chain() -> None:
    m = compute_metrics(graph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")]))
    # One path of five: every inner course gets centrality 5.
    assert table(m) == {
        "a": (4, 5, 0, 9),
        "b": (3, 5, 5, 8),
        "c": (2, 5, 5, 7),
        "d": (1, 5, 5, 6),
        "e": (0, 5, 0, 5),
    }
    assert (m.longest_path_length, m.longest_path_count) == (5, 1)


def test_two_courses_have_no_centrality() -> None:
    # A path of two courses has no inner course, so it counts for nobody.
    assert table(compute_metrics(graph([("a", "b")]))) == {"a": (1, 2, 0, 3), "b": (0, 2, 0, 2)}


def test_isolated_node_is_source_and_sink() -> None:
    m = compute_metrics(graph([("a", "b")], nodes=["lone"]))
    assert m.credentials["lone"] == CredentialMetrics(
        blocking=0, delay=1, centrality=0, complexity=1
    )
    alone = compute_metrics(graph([], nodes=["lone"]))
    assert (alone.longest_path_length, alone.longest_path_count) == (1, 1)


def test_empty_graph() -> None:
    m = compute_metrics(nx.DiGraph())
    assert m.credentials == {}
    assert (m.totals.blocking, m.totals.delay, m.totals.centrality, m.totals.complexity) == (
        0,
        0,
        0,
        0,
    )
    assert (m.longest_path_length, m.longest_path_count) == (0, 0)


def test_curricular_analytics_seven_course_example() -> None:
    # The "Postmodern Basket Weaving" curriculum of CurricularAnalytics.jl's own tests:
    # co-requisite and prerequisite edges alike, with two long paths of five.
    edges = [("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")]
    edges += [("c", "e"), ("d", "f"), ("d", "g"), ("g", "f")]
    m = compute_metrics(graph(edges))
    assert table(m) == {
        "a": (6, 5, 0, 11),
        "b": (3, 5, 9, 8),
        "c": (4, 5, 12, 9),
        "d": (2, 5, 18, 7),
        "e": (0, 3, 0, 3),
        "f": (0, 5, 0, 5),
        "g": (1, 5, 10, 6),
    }
    assert (m.totals.blocking, m.totals.delay, m.totals.centrality, m.totals.complexity) == (
        16,
        33,
        49,
        49,
    )


def test_parallel_edges_count_once() -> None:
    multi = nx.MultiDiGraph([("a", "b"), ("a", "b"), ("b", "c")])
    assert table(compute_metrics(multi)) == table(compute_metrics(graph([("a", "b"), ("b", "c")])))


def test_undirected_graph_is_refused() -> None:
    with pytest.raises(TypeError):
        compute_metrics(nx.Graph([("a", "b")]))


def test_ids_are_sorted() -> None:
    m = compute_metrics(graph([("zeta", "alpha"), ("mid", "alpha")]))
    assert list(m.credentials) == ["alpha", "mid", "zeta"]


def test_cycle_raises_with_one_cycle() -> None:
    with pytest.raises(CycleError) as caught:
        compute_metrics(graph([("start", "b"), ("b", "c"), ("c", "d"), ("d", "b")]))
    assert caught.value.cycle == ["b", "c", "d"]
    assert str(caught.value).endswith("b -> c -> d -> b")


def test_cycle_starts_at_smallest_id() -> None:
    with pytest.raises(CycleError) as caught:
        compute_metrics(graph([("z", "m"), ("m", "a"), ("a", "z")]))
    assert caught.value.cycle == ["a", "z", "m"]


def test_self_requirement_is_a_cycle() -> None:
    with pytest.raises(CycleError) as caught:
        compute_metrics(graph([("a", "b"), ("b", "b")]))
    assert caught.value.cycle == ["b"]


def test_layered_graph_counts_paths_exactly() -> None:
    # 40 layers of 10, each fully connected to the next: 10**40 long paths of 40 courses.
    layers = [[f"l{i:02d}-{j}" for j in range(10)] for i in range(40)]
    edges = [(a, b) for upper, lower in itertools.pairwise(layers) for a in upper for b in lower]
    m = compute_metrics(graph(edges))
    assert m.longest_path_length == 40
    assert m.longest_path_count == 10**40
    # A course of an inner layer lies on a tenth of them, each of length 40.
    assert m.credentials["l17-3"].centrality == 10**39 * 40
    assert m.credentials["l00-0"].centrality == 0
    assert m.totals.centrality == 38 * 10 * 10**39 * 40
    assert m.credentials["l00-0"].blocking == 39 * 10


def test_path_counts_beyond_str_digit_limit_still_print() -> None:
    # 2200 diamonds in a row: 2**2200 long paths, more decimal digits than str() allows
    # under the lowest limit Python accepts (640; the default is 4300).
    edges: list[tuple[str, str]] = []
    for i in range(2200):
        top, bottom = f"t{i:04d}", f"t{i + 1:04d}"
        edges += [(top, f"x{i:04d}"), (top, f"y{i:04d}"), (f"x{i:04d}", bottom)]
        edges.append((f"y{i:04d}", bottom))
    m = compute_metrics(graph(edges))
    assert m.longest_path_count == 2**2200
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(640)
    try:
        text = metrics_to_json(m)
        csv_text = metrics_to_csv(m)
        metrics_to_table(m)
    finally:
        sys.set_int_max_str_digits(0)
    try:
        assert len(str(m.totals.centrality)) > 640
        assert f'"centrality": {m.totals.centrality},' in text
        assert csv_text.endswith(f",{m.totals.centrality},{m.totals.complexity}\n")
    finally:
        sys.set_int_max_str_digits(old)


# --- the dynamic programming against brute force ------------------------------------


@st.composite
def dags(draw: st.DrawFn) -> nx.DiGraph:
    """Random DAGs of up to 9 nodes whose ids do not follow topological order."""
    n = draw(st.integers(min_value=0, max_value=9))
    names = draw(st.permutations([f"c{i}" for i in range(n)]))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True) if pairs else st.just([]))
    return graph([(names[i], names[j]) for i, j in chosen], nodes=names)


@settings(max_examples=300, deadline=None)
@given(dags())
def test_dynamic_programming_matches_path_enumeration(g: nx.DiGraph) -> None:
    m = compute_metrics(g)
    expected, longest, count = metrics_by_enumeration(g)
    assert table(m) == expected
    assert (m.longest_path_length, m.longest_path_count) == (longest, count)
    assert m.totals.centrality == sum(values[2] for values in expected.values())


@settings(max_examples=100, deadline=None)
@given(dags(), st.data())
def test_any_added_back_edge_is_reported_as_a_cycle(g: nx.DiGraph, data: st.DataObject) -> None:
    edges = list(g.edges)
    if not edges:
        return
    a, b = data.draw(st.sampled_from(edges))
    g.add_edge(b, a)
    with pytest.raises(CycleError) as caught:
        compute_metrics(g)
    cycle = caught.value.cycle
    assert cycle[0] == min(cycle)
    assert all(g.has_edge(u, v) for u, v in zip(cycle, [*cycle[1:], cycle[0]], strict=True))


# --- output formats -------------------------------------------------------------------

DIAMOND = graph([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")], nodes=["e"])


def test_json_shape() -> None:
    text = metrics_to_json(compute_metrics(DIAMOND))
    assert text.endswith("}\n")
    data = json.loads(text)
    assert data == {
        "credentials": {
            "a": {"blocking": 3, "delay": 3, "centrality": 0, "complexity": 6},
            "b": {"blocking": 1, "delay": 3, "centrality": 3, "complexity": 4},
            "c": {"blocking": 1, "delay": 3, "centrality": 3, "complexity": 4},
            "d": {"blocking": 0, "delay": 3, "centrality": 0, "complexity": 3},
            "e": {"blocking": 0, "delay": 1, "centrality": 0, "complexity": 1},
        },
        "totals": {"blocking": 5, "delay": 13, "centrality": 6, "complexity": 18},
    }
    assert text == json.dumps(data, indent=2, sort_keys=True) + "\n"


def test_json_of_empty_graph() -> None:
    data = json.loads(metrics_to_json(compute_metrics(nx.DiGraph())))
    assert data == {
        "credentials": {},
        "totals": {"blocking": 0, "delay": 0, "centrality": 0, "complexity": 0},
    }


def test_csv() -> None:
    assert metrics_to_csv(compute_metrics(DIAMOND)) == (
        "id,blocking,delay,centrality,complexity\n"
        "a,3,3,0,6\n"
        "b,1,3,3,4\n"
        "c,1,3,3,4\n"
        "d,0,3,0,3\n"
        "e,0,1,0,1\n"
        "TOTAL,5,13,6,18\n"
    )


def test_table() -> None:
    assert metrics_to_table(compute_metrics(DIAMOND)) == (
        "credential  blocking  delay  centrality  complexity\n"
        "----------  --------  -----  ----------  ----------\n"
        "a                  3      3           0           6\n"
        "b                  1      3           3           4\n"
        "c                  1      3           3           4\n"
        "d                  0      3           0           3\n"
        "e                  0      1           0           1\n"
        "----------  --------  -----  ----------  ----------\n"
        "TOTAL              5     13           6          18\n"
        "longest path: 3 credentials (2 paths)\n"
    )
