"""Benchmark `credpath validate` against the floor: parsing the same files with PyYAML's C loader.

Generates valid synthetic catalogs under bench/out/, then runs each command as its own
process and reads its wall time and peak memory (max RSS from wait4). "validate" runs
with --no-cache (everything checked); "touched" re-runs after touching one file (served
by the findings cache); "edited" re-runs after editing one file (its bytes change: it is
parsed again, the others' parses come from the parse cache, and every check runs again;
the goal is 0.3 times the floor). Prints a table with the floor beside each figure;
with 10,000 and 50,000 among the sizes, also the ratio of their validate times, from
runs of the two in turn (minutes apart, a shared machine's speed drifts); asserts nothing.

Two catalogs: "layered" (100 credentials per file, ten layers of prerequisites, `any`
requirements, outcomes at the end) and "mixed" (random from ``--seed``: files of 1 to
400 credentials, `all`/`any`/`choose` requirements, competencies with named levels
referenced by number or by name, outcomes that choose among the top credentials).

    python bench/run.py [--catalog layered|mixed] [--seed 7] [--sizes 1000,10000,50000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

OUT = Path(__file__).parent / "out"
PER_FILE = 100
LAYERS = 10
FLOOR = """
import sys, pathlib, yaml
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.yaml")):
    list(yaml.load_all(path.read_bytes(), Loader=yaml.CSafeLoader))
"""


def generate(n: int) -> Path:
    """A clean project of ``n`` credentials (no finding at all), written once."""
    root = OUT / f"catalog-{n}"
    marker = root / ".complete"
    if marker.exists():
        return root
    root.mkdir(parents=True, exist_ok=True)
    per_layer = n // LAYERS
    n_comp = max(per_layer // 2, 1)
    (root / "credpath.yaml").write_text(
        f"name: Synthetic catalog of {n} credentials\nlevels: [Basic, Intermediate, Advanced]\n"
    )
    comps = ["competencies:"]
    for j in range(n_comp):
        comps += [f"  - id: skill-{j}", f"    title: Skill {j}", "    kind: skill"]
    (root / "competencies.yaml").write_text("\n".join(comps) + "\n")
    lines: list[str] = []
    file_index = 0

    def flush() -> None:
        nonlocal lines, file_index
        if lines:
            folder = root / "credentials" / f"part-{file_index // 50:03d}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"c{file_index:05d}.yaml").write_text(
                "credentials:\n" + "\n".join(lines) + "\n"
            )
            file_index += 1
            lines = []

    for k in range(n):
        layer, slot = divmod(k, per_layer)
        entry = [
            f"  - id: cred-{k}",
            f"    title: Credential {k} in layer {layer}",
            "    type: micro-credential",
            "    provider: Synthetic Institute of Technology",
            f"    description: Layer {layer} credential number {slot}, generated for benchmarks.",
            f"    url: https://synthetic.example/cred-{k}",
            "    workload: {hours: 50, ects: 2}",
            "    eqf: 5",
        ]
        if layer == 0:
            entry.append(f"    grants: [skill-{slot % n_comp}@1]")
        else:
            base = k - per_layer
            other = (layer - 1) * per_layer + (slot + 1) % per_layer
            entry.append(
                f"    requires: [{{any: [cred-{base}, cred-{other}]}}, "
                f"skill-{(slot * 7) % n_comp}@1]"
            )
            entry.append(f"    grants: [skill-{slot % n_comp}@{1 + layer % 3}]")
        lines.extend(entry)
        if (k + 1) % PER_FILE == 0:
            flush()
    flush()
    last = (LAYERS - 1) * per_layer
    outcomes = ["outcomes:"]
    for j in range(0, per_layer, 10):
        members = ", ".join(f"cred-{last + i}" for i in range(j, min(j + 10, per_layer)))
        outcomes += [
            f"  - id: role-{j // 10}",
            f"    title: Role {j // 10}",
            f"    description: Job outcome {j // 10}.",
            f"    requires: [{{any: [{members}]}}]",
        ]
    (root / "outcomes.yaml").write_text("\n".join(outcomes) + "\n")
    marker.touch()
    return root


def generate_mixed(n: int, seed: int) -> Path:
    """A clean catalog of ``n`` credentials whose shape varies the way real ones do."""
    root = OUT / f"mixed-{n}-seed{seed}"
    marker = root / ".complete"
    if marker.exists():
        return root
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    names = ["Basic", "Fluent", "Expert"]
    n_comp = max(n // 20, 3)
    (root / "credpath.yaml").write_text(f"name: Mixed catalog of {n} credentials (seed {seed})\n")
    comps = ["competencies:"]
    for j in range(n_comp):
        comps += [f"  - id: skill-{j}", f"    title: Skill {j}", f"    levels: {names}"]
    (root / "competencies.yaml").write_text("\n".join(comps) + "\n")
    granted: dict[str, int] = {}  # skill -> highest level granted so far
    earlier: list[str] = []
    entries: list[list[str]] = []

    def reference() -> str:
        skill = rng.choice(sorted(granted))
        level = rng.randint(1, granted[skill])
        return f"{skill}@{names[level - 1] if rng.random() < 0.3 else level}"

    for k in range(n):
        lines = [
            f"  - id: c-{k}",
            f"    title: Credential {k}",
            f"    type: {rng.choice(['micro-credential', 'course', 'badge', 'certificate'])}",
            "    provider: Mixed College",
            f"    description: Credential {k} of a generated catalog.",
            f"    workload: {{hours: {rng.choice([12, 25, 50, 75, 120])}}}",
        ]
        if earlier and granted:
            shape = rng.random()
            options = rng.sample(earlier[-200:], min(4, len(earlier[-200:])))
            if shape < 0.3:
                lines.append(f"    requires: [{reference()}, {options[0]}]")
            elif shape < 0.6:
                lines.append(f"    requires: {{any: [{', '.join(options[:2])}, {reference()}]}}")
            elif shape < 0.85 and len(options) >= 3:
                lines.append(f"    requires: {{choose: 2, from: [{', '.join(options[:3])}]}}")
            else:
                lines.append(f"    requires: [{reference()}]")
        skill = f"skill-{rng.randrange(n_comp)}"
        level = min(3, granted.get(skill, 0) + 1)
        lines.append(f"    grants: [{skill}@{level}]")
        granted[skill] = max(granted.get(skill, 0), level)
        earlier.append(f"c-{k}")
        entries.append(lines)
    index = 0
    part = 0
    while index < n:
        size = rng.randint(1, 400)
        folder = root / "credentials" / f"part-{part // 40:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        chunk = entries[index : index + size]
        (folder / f"f{part:05d}.yaml").write_text(
            "credentials:\n" + "\n".join(line for entry in chunk for line in entry) + "\n"
        )
        index += size
        part += 1
    top = earlier[-max(10, n // 50) :]
    outcomes = ["outcomes:"]
    for j in range(0, len(top), 5):
        group = top[j : j + 5]
        need = min(2, len(group))
        outcomes += [
            f"  - id: role-{j // 5}",
            f"    title: Role {j // 5}",
            f"    requires: {{choose: {need}, from: [{', '.join(group)}]}}",
        ]
    (root / "outcomes.yaml").write_text("\n".join(outcomes) + "\n")
    marker.touch()
    return root


class Run(NamedTuple):
    """One command's figures (or the medians of several runs, with the highest peak)."""

    seconds: float
    mib: float
    """Peak resident memory."""
    code: int
    cpu: float
    """Seconds of CPU, user and system, of the process and every process it waited for
    (its workers, Graphviz): what it asks of the machine's cores together."""


def measure(command: list[str]) -> Run:
    """The figures of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return Run(elapsed, usage.ru_maxrss / 1024, process.returncode, cpu)


def median_run(command: list[str], repeat: int) -> Run:
    return summary([measure(command) for _ in range(repeat)])


def summary(runs: list[Run]) -> Run:
    """Median seconds and CPU, the highest peak, the last exit code of runs of one command."""
    return Run(
        statistics.median(r.seconds for r in runs),
        max(r.mib for r in runs),
        runs[-1].code,
        statistics.median(r.cpu for r in runs),
    )


def interleaved(first: list[str], second: list[str], repeat: int) -> tuple[Run, Run]:
    """``median_run`` of two commands run in turn, so that a machine slower for a while
    (a shared host) slows both alike and their ratio holds."""
    firsts, seconds = [], []
    for _ in range(repeat):
        firsts.append(measure(first))
        seconds.append(measure(second))
    return summary(firsts), summary(seconds)


def edited_reruns(root: Path, command: list[str], repeat: int) -> float:
    """Median seconds of ``command`` (cache on) after editing one credential file: a
    comment added, so its bytes change (the findings are checked again, the other files'
    parses come from the cache). The file is put back afterwards."""
    edited = sorted((root / "credentials").rglob("*.yaml"))[0]
    original = edited.read_bytes()
    times = []
    try:
        for run in range(repeat):
            edited.write_bytes(original + f"# edit {run}\n".encode())
            times.append(measure(command)[0])
    finally:
        edited.write_bytes(original)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--catalog", choices=["layered", "mixed"], default="layered")
    parser.add_argument("--seed", type=int, default=7, help="the mixed catalog's random seed")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    credpath = [sys.executable, "-m", "credpath"]
    seed = f", seed {args.seed}" if args.catalog == "mixed" else ""
    print(f"catalog: {args.catalog}{seed}")
    print(
        f"{'credentials':>11} {'files':>6} {'floor s':>8} {'validate s':>10} {'ratio':>6} "
        f"{'floor MiB':>9} {'validate MiB':>12} {'exit':>4} {'touched s':>9} {'ratio':>6} "
        f"{'edited s':>8} {'ratio':>6}"
    )
    results: dict[int, list[str]] = {}
    for n in [int(s) for s in args.sizes.split(",")]:
        root = generate(n) if args.catalog == "layered" else generate_mixed(n, args.seed)
        files = sum(1 for _ in root.rglob("*.yaml"))
        command = [*credpath, "validate", str(root), "--quiet"]
        floor, validate = interleaved(
            [sys.executable, "-c", FLOOR, str(root)], [*command, "--no-cache"], args.repeat
        )
        results[n] = [*command, "--no-cache"]
        measure(command)  # fill the cache
        touched = root / "outcomes.yaml"
        warm = []
        for _ in range(args.repeat):
            os.utime(touched)
            warm.append(measure(command)[0])
        cached = statistics.median(warm)
        edited = edited_reruns(root, command, args.repeat)
        print(
            f"{n:>11} {files:>6} {floor[0]:>8.2f} {validate[0]:>10.2f} "
            f"{validate[0] / floor[0]:>6.2f} {floor[1]:>9.0f} {validate[1]:>12.0f} "
            f"{validate[2]:>4} {cached:>8.2f} {cached / floor[0]:>6.2f} "
            f"{edited:>8.2f} {edited / floor[0]:>6.2f}"
        )
    if 10000 in results and 50000 in results:
        small, large = interleaved(results[10000], results[50000], args.repeat)
        print(
            f"50k / 10k validate time: {large.seconds / small.seconds:.2f}x "
            f"({large.seconds:.2f} s / {small.seconds:.2f} s, run in turn)"
        )
    start = [*credpath, "--version"]
    version = median_run(start, 7)
    print(f"credpath --version (whole process, median of 7): {version[0] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
