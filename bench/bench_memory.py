"""Peak memory of a cold ``credpath validate`` on every synthetic catalog generator of bench/.

Goal (issue 28): under 300 MiB at 50,000 credentials on each generator: "layered",
"mixed" and "rich" (bench/run.py; "rich" has descriptions of a few hundred characters,
competencies of five named levels and ``any``/``choose`` requirements), "tracks"
(bench/bench_render.py) and "chains" (bench/bench_site.py). Each run is its own process
(``--no-cache``: everything parsed and checked); its peak is the largest resident set
of that process and of the parse workers it waited for (``wait4``'s ``ru_maxrss``).
Prints each peak beside the goal, with the wall time, the CPU time (user and system, the
workers' included: steadier than the wall time on a shared machine) and the exit code;
asserts nothing.

``--against SRC`` also runs another checkout's code (its ``src`` folder, put first on
``PYTHONPATH``), in turn with this one's, so both sets of figures come from one run of a
shared machine: before and after a change, side by side, and the ratio of their times.

    python bench/bench_memory.py [--sizes 50000] [--catalog all|layered|mixed|rich|tracks|chains]
        [--repeat 1] [--against /tmp/before/src]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_site import generate_chains
from run import OUT, Run, generate, generate_mixed, generate_rich, interleaved, median_run

GOAL_MIB = 300


def generate_tracks(n: int) -> Path:
    """bench/bench_render.py's catalog, written once; its one file of credentials is 10.6 MB
    at 50,000, over the default limit of 10 MiB a file, so its credpath.yaml raises
    ``max_file_mib`` (bench_site.py's copy, at 10,000, needs no such thing)."""
    from bench_render import catalog

    root = OUT / f"tracks-{n}-max-file-64"
    if not (root / ".complete").exists():
        root.mkdir(parents=True, exist_ok=True)
        for name, text in catalog(n).items():
            extra = "max_file_mib: 64\n" if name == "credpath.yaml" else ""
            (root / name).write_text(text + extra)
        (root / ".complete").touch()
    return root


GENERATORS: dict[str, Callable[[int], Path]] = {
    "layered": generate,
    "mixed": lambda n: generate_mixed(n, 7),
    "rich": generate_rich,
    "tracks": generate_tracks,
    "chains": generate_chains,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="50000")
    parser.add_argument("--catalog", choices=["all", *GENERATORS], default="all")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--against", type=Path, help="another checkout's src folder, run in turn with this one"
    )
    args = parser.parse_args()
    names = list(GENERATORS) if args.catalog == "all" else [args.catalog]
    credpath = [sys.executable, "-m", "credpath"]
    before_env = None
    if args.against is not None:
        before_env = {**os.environ, "PYTHONPATH": str(args.against.resolve())}
    print(f"cold validate --no-cache, peak resident memory; goal < {GOAL_MIB} MiB")
    header = (
        f"{'catalog':>8} {'credentials':>11} {'MiB':>6} {'goal':>6} {'s':>7} {'cpu s':>7} "
        f"{'exit':>4}"
    )
    if before_env is not None:
        header += f" {'before MiB':>10} {'before s':>8} {'before cpu':>10} {'cpu ratio':>9}"
    print(header)
    for name in names:
        for n in [int(s) for s in args.sizes.split(",")]:
            root = GENERATORS[name](n)
            command = [*credpath, "validate", str(root), "--quiet", "--no-cache"]
            before: Run | None = None
            if before_env is None:
                after = median_run(command, args.repeat)
            else:
                before, after = interleaved(command, command, args.repeat, before_env, None)
            verdict = "ok" if after.mib < GOAL_MIB else "OVER"
            line = (
                f"{name:>8} {n:>11,} {after.mib:>6.0f} {verdict:>6} {after.seconds:>7.2f} "
                f"{after.cpu:>7.2f} {after.code:>4}"
            )
            if before is not None:
                line += (
                    f" {before.mib:>10.0f} {before.seconds:>8.2f} {before.cpu:>10.2f} "
                    f"{after.cpu / before.cpu:>9.3f}"
                )
            print(line, flush=True)


if __name__ == "__main__":
    main()
