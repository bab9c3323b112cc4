"""Time ``credpath drift`` on 1,000,000 learners (about 4 million events), 500 credentials.

Run with ``.venv/bin/python bench/bench_drift.py [--learners N]``. Prints each figure
beside its goal (issue 30): the whole analysis in at most 20 s, under 1.5 GiB peak, and at
most 2 times a plain DuckDB SQL query computing the same per-credential counts (continued,
drifted, censored) from the same file in the same run. CPU seconds (all threads) are
printed beside the wall-clock ones: on a machine other work shares, they move less.

The project: 25 layers of 20 credentials, each requiring one or two of the layer before;
10 outcomes, each requiring two credentials of the last layer. The records: each learner
follows one outcome's derived pathway (its credentials in stage order) for a geometric
number of steps, starting and earning each; made with DuckDB SQL, so set-up is quick.

``--learners 12000000`` makes the 2 GB file of issue 30 (2,115 MiB, 53 million events;
about 6 minutes to make, in the temporary folder, removed afterwards).

Last measured (2026-12-07, 2 cores shared with other sessions at a load of 8 to 14, so
wall-clock seconds are inflated and only ratios within one run compare):

- 1,000,000 learners: SQL 31.5 s (CPU 7.2 s), drift 80.3 s (CPU 17.3 s): ratio 2.55
  (CPU 2.40), peak 0.92 GiB. The code before this change, run right after: ratio 2.58
  (CPU 2.07), peak 1.01 GiB; at a load of 0.2 it was SQL 3.6 s, drift 12.3 s, ratio 3.45.
- 12,000,000 learners (2 GB): SQL 488.5 s (CPU 113.0 s), drift 1,029.6 s (CPU 295.9 s):
  ratio 2.11 (CPU 2.62); peak 9.94 GiB resident: DuckDB's 1 GB limit does not bound it.
"""

from __future__ import annotations

import argparse
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from credpath.checks.context import Options
from credpath.checks.engine import check
from credpath.compiler.pathways import derive

LAYERS, WIDTH, OUTCOMES = 25, 20, 10
WINDOW = 180
GOAL_SECONDS, GOAL_GIB, GOAL_RATIO = 20.0, 1.5, 2.0


def write_project(root: Path, seed: int = 3) -> None:
    rng = random.Random(seed)
    lines = ["credentials:"]
    for layer in range(LAYERS):
        for k in range(WIDTH):
            cid = f"c{layer:02d}-{k:02d}"
            needs = (
                sorted(rng.sample([f"c{layer - 1:02d}-{j:02d}" for j in range(WIDTH)], 2))[
                    : rng.randint(1, 2)
                ]
                if layer
                else []
            )
            entry = f"id: {cid}, title: Course {cid}, type: course, requires: [{', '.join(needs)}]"
            lines.append(f"  - {{{entry}}}")
    lines.append("outcomes:")
    for o in range(OUTCOMES):
        last = [f"c{LAYERS - 1:02d}-{j:02d}" for j in rng.sample(range(WIDTH), 2)]
        lines.append(f"  - {{id: job-{o}, title: Job {o}, requires: [{', '.join(last)}]}}")
    root.mkdir(parents=True, exist_ok=True)
    (root / "credpath.yaml").write_text("name: Bench\n", encoding="utf-8")
    (root / "curriculum.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_records(project: Path, records: Path, learners: int) -> int:
    """Learners walk the outcomes' derived pathways; returns the number of events."""
    result = check(project, Path.cwd(), Options())
    sem = result.context.semantics
    tracks = []
    for outcome in sorted(result.catalog.outcomes):
        pathway = derive(sem, outcome)
        assert pathway is not None
        tracks.append(list(pathway.credentials))
    con = duckdb.connect()
    con.execute("CREATE TABLE tracks AS SELECT unnest($1) AS track", [tracks])
    con.execute("CREATE TABLE tracks_n AS SELECT row_number() OVER () - 1 AS t, track FROM tracks")
    con.execute(
        f"""
        COPY (
            WITH learners AS (
                SELECT i, hash(i, 'track') % {len(tracks)} AS t,
                    1 + CAST(floor(ln(1 - (hash(i, 'steps') % 1000000) / 1000000.0)
                        / ln(0.55)) AS INTEGER) AS steps,
                    DATE '2022-01-03' + CAST(hash(i, 'day') % 900 AS INTEGER) AS start
                FROM range({learners}) r(i)
            ), walked AS (
                SELECT l.i, l.start, s.k, n.track[s.k] AS credential,
                    CAST(hash(l.i, s.k, 'gap') % 200 AS INTEGER) AS gap,
                    20 + CAST(hash(l.i, s.k, 'length') % 100 AS INTEGER) AS length
                FROM learners l JOIN tracks_n n USING (t),
                    LATERAL (SELECT unnest(range(1, least(l.steps, len(n.track)) + 1)) AS k) s
            ), dated AS (
                SELECT i, credential, start + CAST(sum(gap + length) OVER
                    (PARTITION BY i ORDER BY k) AS INTEGER) AS earned, length
                FROM walked
            )
            SELECT 'learner-' || i AS learner, credential, earned - length AS date,
                'started' AS event FROM dated
            UNION ALL
            SELECT 'learner-' || i, credential, earned, 'earned' FROM dated
        ) TO '{records}' (HEADER)
        """
    )
    count = con.execute(f"SELECT count(*) FROM read_csv('{records}')").fetchone()
    assert count is not None
    return int(count[0])


BASELINE = f"""
WITH events AS (
    SELECT DISTINCT learner, credential, CAST(date AS DATE) AS day, event
    FROM read_csv($records)
), earnings AS (
    SELECT learner, credential, min(day) AS day FROM events WHERE event = 'earned' GROUP BY ALL
), firsts AS (
    SELECT e.learner, e.credential, e.day, min(o.day) AS first_day
    FROM earnings e JOIN events o ON o.learner = e.learner AND o.credential <> e.credential
        AND o.day >= e.day GROUP BY ALL
), bounds AS (SELECT max(day) AS as_of FROM events)
SELECT e.credential, count(*) AS earners,
    count(*) FILTER (f.first_day - e.day <= {WINDOW}) AS continued,
    count(*) FILTER (coalesce(f.first_day - e.day > {WINDOW}, true)
        AND e.day + {WINDOW} <= as_of) AS drifted,
    count(*) FILTER (coalesce(f.first_day - e.day > {WINDOW}, true)
        AND e.day + {WINDOW} > as_of) AS censored
FROM earnings e LEFT JOIN firsts f USING (learner, credential, day), bounds
GROUP BY e.credential ORDER BY e.credential
"""


def time_baseline(records: Path) -> tuple[float, float]:
    """Wall and CPU seconds of the plain query."""
    con = duckdb.connect()
    started, cpu = time.perf_counter(), time.process_time()
    con.execute(BASELINE, {"records": str(records)}).fetchall()
    return time.perf_counter() - started, time.process_time() - cpu


def time_drift(project: Path, records: Path, output: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak resident GiB of the whole ``credpath drift`` (a
    fresh process)."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "credpath", "drift", str(records), "--project", str(project),
         "-f", "json", "-o", str(output), "--force"],
        check=True,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=1_000_000)
    args = parser.parse_args()
    print(f"python {platform.python_version()}, duckdb {duckdb.__version__}, {platform.machine()}")
    with tempfile.TemporaryDirectory(prefix="credpath-bench-drift-") as folder:
        root = Path(folder)
        project, records = root / "project", root / "records.csv"
        write_project(project)
        made = time.perf_counter()
        events = write_records(project, records, args.learners)
        size = records.stat().st_size / 2**20
        print(
            f"records: {args.learners:,} learners, {events:,} events, {size:,.0f} MiB "
            f"(made in {time.perf_counter() - made:.1f} s)"
        )
        baseline, baseline_cpu = time_baseline(records)
        seconds, cpu, peak = time_drift(project, records, root / "drift.json")
        print(f"plain DuckDB SQL, same counts:  {baseline:6.2f} s   (CPU {baseline_cpu:6.2f} s)")
        print(
            f"credpath drift, whole analysis: {seconds:6.2f} s   (CPU {cpu:6.2f} s)  "
            f"goal <= {GOAL_SECONDS:.0f} s"
        )
        print(
            f"ratio to the SQL query:         {seconds / baseline:6.2f}     "
            f"(CPU {cpu / baseline_cpu:5.2f})     goal <= {GOAL_RATIO:.0f}"
        )
        print(f"peak memory (resident):         {peak:6.2f} GiB goal < {GOAL_GIB} GiB")


if __name__ == "__main__":
    main()
