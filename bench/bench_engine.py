"""Benchmark the resident engine (``checks.workspace``) beside the parser floor (issue 28).

On the 10,000-credential catalog of bench/run.py, in one run: the floor (one process
parsing every file with PyYAML's C loader, as run.py measures it), a cold ``validate``
(--no-cache), the resident ``Workspace.update`` after a one-file edit (the median of
several: a title changed and back, the engine's fast path; and a requirement added and
back, which rebuilds the catalog and runs every rule), a one-shot ``validate`` with the
cache on after a one-file edit (run.py's edit, a comment line appended, which moves the
file's end so the graph rules run again; and a title edited, whose graph findings come
from the cache), and the memory of a process holding the resident engine on the
project. Each figure is printed beside its goal; asserts nothing. The machine is
shared: read the ratios, measured in the same run, rather than the seconds.

    python bench/bench_engine.py [--size 10000] [--edits 7] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from run import FLOOR, edited_reruns, generate, interleaved, measure

RESIDENT = """
import resource, sys, time
from pathlib import Path
from credpath.checks.context import Options
from credpath.checks.workspace import Workspace
root = Path(sys.argv[1])
edited = Path(sys.argv[2])
engine = Workspace(root, root, Options())
engine.update()
original = edited.read_text()
for n in range(4):
    engine.update({edited: original.replace("title: ", f"title: v{n} ", 1)})
engine.update()
with open("/proc/self/status") as status:
    rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(rss / 1024, peak / 1024)
"""
"""A process holding the engine on the project after a few edits: its resident memory
now, and its peak."""


def edited_file(root: Path) -> Path:
    """A credential file from the middle of the catalog (its credentials require others)."""
    files = sorted((root / "credentials").rglob("*.yaml"))
    return files[len(files) // 2]


def resident_edits(root: Path, edits: int) -> tuple[float, float, float, bool]:
    """(cold update s, median title edit s, median requirement edit s, fast path taken):
    each edit given as the editor's unsaved text, then undone (both timed)."""
    from credpath.checks.context import Options
    from credpath.checks.workspace import Workspace

    engine = Workspace(root, root, Options())
    start = time.perf_counter()
    engine.update()
    cold = time.perf_counter() - start
    path = edited_file(root)
    original = path.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if "requires: [" in line)
    added = lines[at].replace("requires: [", "requires: [cred-0, ", 1)
    with_requirement = "".join([*lines[:at], added, *lines[at + 1 :]])

    def timed(edit: str) -> tuple[list[float], bool]:
        times, patched = [], True
        for n in range(edits):
            start = time.perf_counter()
            engine.update({path: edit.replace("(n)", str(n))} if n % 2 == 0 else {})
            times.append(time.perf_counter() - start)
            patched = patched and engine.patched
        return times, patched

    titles, fast = timed(original.replace("title: ", "title: Edited (n) ", 1))
    requirements, _ = timed(with_requirement)
    return cold, statistics.median(titles), statistics.median(requirements), fast


def title_reruns(root: Path, command: list[str], repeat: int) -> float:
    """Median seconds of ``command`` (cache on) after a title is edited in one file (the
    graph rules' findings then come from the cache). The file is put back afterwards."""
    edited = edited_file(root)
    original = edited.read_text(encoding="utf-8")
    times = []
    try:
        for run in range(repeat):
            edited.write_text(original.replace("title: ", f"title: Run {run} ", 1))
            times.append(measure(command).seconds)
    finally:
        edited.write_text(original, encoding="utf-8")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = generate(args.size)
    credpath = [sys.executable, "-m", "credpath"]
    command = [*credpath, "validate", str(root), "--quiet"]
    floor, cold = interleaved(
        [sys.executable, "-c", FLOOR, str(root)], [*command, "--no-cache"], args.repeat
    )
    base = floor.seconds
    print(f"{args.size:,} credentials, {sum(1 for _ in root.rglob('*.yaml'))} files (under load:")
    print(f"a shared machine, load average {os.getloadavg()[0]:.1f}; read the ratios)")
    print(f"floor (C-loader parse, one process)      {base * 1000:7.0f} ms")
    print(
        f"cold validate (--no-cache)               {cold.seconds * 1000:7.0f} ms "
        f"{cold.seconds / base:6.2f}x floor, peak {cold.mib:.0f} MiB"
    )
    start_cold, title, requirement, fast = resident_edits(root, args.edits)
    print(f"resident engine, first update          {start_cold * 1000:7.0f} ms")
    print(
        f"resident update, title edited            {title * 1000:7.1f} ms "
        f"{title / base:6.3f}x floor (goal <= 0.05x; fast path {'taken' if fast else 'MISSED'})"
    )
    print(
        f"resident update, requirement added       {requirement * 1000:7.1f} ms "
        f"{requirement / base:6.3f}x floor (goal <= 0.05x)"
    )
    with tempfile.TemporaryDirectory() as cache:
        environment = {**os.environ, "CREDPATH_CACHE_DIR": cache}
        environment.pop("CREDPATH_NO_CACHE", None)
        os.environ.update(environment)
        measure(command)  # fill the caches
        edited = edited_reruns(root, command, args.repeat)
        titled = title_reruns(root, command, args.repeat)
    print(
        f"one-shot validate, cache on, a comment   {edited * 1000:7.0f} ms "
        f"{edited / base:6.2f}x floor (goal <= 0.6x; run.py's edit: a line appended)"
    )
    print(
        f"one-shot validate, cache on, a title     {titled * 1000:7.0f} ms "
        f"{titled / base:6.2f}x floor (goal <= 0.6x)"
    )
    held = subprocess.run(
        [sys.executable, "-c", RESIDENT, str(root), str(edited_file(root))],
        capture_output=True,
        text=True,
        check=True,
    )
    rss, peak = (float(x) for x in held.stdout.split())
    print(
        f"resident engine holding the project      {rss:7.0f} MiB resident, peak {peak:.0f} MiB "
        "(goal < 250 MiB)"
    )


if __name__ == "__main__":
    main()
