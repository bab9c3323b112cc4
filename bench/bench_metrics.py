"""Time credpath.analytics.metrics on graphs where listing every path is hopeless.

Run with ``.venv/bin/python bench/bench_metrics.py``. Prints figures only; the tests hold
the correctness checks.

- layered: 40 layers of 10 credentials, each fully connected to the next
  (10**40 source-to-sink paths);
- catalog-10k: 10,000 credentials in random order, each needing ~3 earlier ones
  chosen uniformly (a random DAG: long chains, astronomically many paths);
- catalog-10k-local: the same, but prerequisites come from the 300 credentials before
  (closer to a real catalog, where a course builds on nearby levels).
"""

from __future__ import annotations

import decimal
import itertools
import platform
import random
import statistics
import time
from collections.abc import Callable

import networkx as nx

from credpath.analytics.metrics import CurriculumMetrics, compute_metrics, metrics_to_json

REPEATS = 3


def layered(layers: int, width: int) -> nx.DiGraph:
    g = nx.DiGraph()
    names = [[f"l{i:02d}-{j:02d}" for j in range(width)] for i in range(layers)]
    g.add_nodes_from(n for layer in names for n in layer)
    for upper, lower in itertools.pairwise(names):
        g.add_edges_from((a, b) for a in upper for b in lower)
    return g


def catalog(size: int, mean_prereqs: float, window: int | None, seed: int = 7) -> nx.DiGraph:
    """A random DAG: credential k picks prerequisites among the ones before it."""
    rng = random.Random(seed)
    ids = [f"c{i:05d}" for i in range(size)]
    rng.shuffle(ids)  # ids in no topological order
    g = nx.DiGraph()
    g.add_nodes_from(ids)
    for k in range(1, size):
        low = 0 if window is None else max(0, k - window)
        wanted = min(k - low, round(rng.expovariate(1 / mean_prereqs)))
        for p in rng.sample(range(low, k), wanted):
            g.add_edge(ids[p], ids[k])
    return g


def short(value: int) -> str:
    """Exact below 10**30, else mantissa, exponent and digit count."""
    text = str(decimal.Decimal(value))
    if len(text) <= 30:
        return text
    return f"{text[0]}.{text[1:4]}e+{len(text) - 1} ({len(text)} digits)"


def timed(action: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def run(name: str, build: Callable[[], nx.DiGraph]) -> None:
    start = time.perf_counter()
    g = build()
    built = time.perf_counter() - start
    seconds, result = timed(lambda: compute_metrics(g))
    assert isinstance(result, CurriculumMetrics)
    m = result
    json_seconds, text = timed(lambda: metrics_to_json(m))
    assert isinstance(text, str)
    print(f"== {name}: {g.number_of_nodes()} credentials, {g.number_of_edges()} edges")
    print(f"   build graph {built:8.3f} s (networkx, not timed below)")
    print(f"   compute_metrics {seconds:8.3f} s   metrics_to_json {json_seconds:8.3f} s")
    print(f"   ({len(text) / 1e6:.1f} MB of JSON); median of {REPEATS} runs")
    t = m.totals
    print(f"   totals: blocking {short(t.blocking)}, delay {short(t.delay)},")
    print(f"           centrality {short(t.centrality)}, complexity {short(t.complexity)}")
    print(
        f"   longest path {m.longest_path_length} credentials, "
        f"{short(m.longest_path_count)} of them"
    )


def main() -> None:
    print(f"Python {platform.python_version()}, networkx {nx.__version__}, {platform.machine()}")
    run("layered 40 x 10", lambda: layered(40, 10))
    run("catalog-10k", lambda: catalog(10_000, 3, window=None))
    run("catalog-10k-local", lambda: catalog(10_000, 3, window=300))


if __name__ == "__main__":
    main()
