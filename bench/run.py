"""Benchmark `credpath validate` against the floor: parsing the same files with PyYAML's C loader.

Generates valid synthetic catalogs under bench/out/, then runs each command as its own
process and reads its wall time and peak memory (max RSS from wait4). "validate" runs
with --no-cache (everything checked); "touched" re-runs after touching one file (served
by the findings cache); "edited" re-runs after editing one file (its bytes change: it is
parsed again, the others' parses come from the parse cache, and every check runs again;
the goal is 0.3 times the floor). Prints a table with the floor beside each figure;
with 10,000 and 50,000 among the sizes, also the ratio of their validate times, from
runs of the two in turn (minutes apart, a shared machine's speed drifts); asserts nothing.

Three catalogs: "layered" (100 credentials per file, ten layers of prerequisites, `any`
requirements, outcomes at the end), "mixed" (random from ``--seed``: files of 1 to
400 credentials, `all`/`any`/`choose` requirements, competencies with named levels
referenced by number or by name, outcomes that choose among the top credentials) and
"rich" (``generate_rich``: long descriptions and other free text on every entry, five
named levels, `any`/`choose` among the tier below; the shape whose memory issue 28 names).
bench/bench_memory.py prints the peak memory of every generator at 50,000 beside its goal.

    python bench/run.py [--catalog layered|mixed|rich] [--seed 7] [--sizes 1000,10000,50000]
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


RICH_TIERS = 8
RICH_PER_FILE = 200
RICH_LEVELS = ["Awareness", "Foundation", "Practitioner", "Advanced", "Expert"]
RICH_TEXT = """
learners analyse design evaluate implement secure document present apply review relational
data models cloud services network protocols accessibility standards team projects client
briefs quality assurance regulatory frameworks statistical methods case studies laboratory
practice field work portfolio evidence reflective journals peer feedback industry partners
workplace tasks digital tools ethical considerations sustainable practice research skills
critical thinking
"""
RICH_WORDS = RICH_TEXT.split()


def _prose(rng: random.Random, low: int, high: int) -> str:
    """A sentence or several of ``low`` to ``high`` characters, different each time, as
    an author writes a description: none of it repeats across the catalog."""
    target = rng.randint(low, high)
    words: list[str] = []
    length = 0
    while length < target:
        word = rng.choice(RICH_WORDS)
        words.append(word)
        length += len(word) + 1
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def generate_rich(n: int, seed: int = 5) -> Path:
    """A clean catalog of ``n`` credentials written the way a well-kept real one is: a
    description of 250 to 600 characters on each, an assessment and quality assurance
    text, competencies of five named levels (their own names on a third of them),
    alignments, and requirements mixing a competency level (by number or by name) with
    an ``any`` or a ``choose`` among credentials of the tier below; outcomes with
    occupations choose among the top tier. ``RICH_TIERS`` tiers, each opening the next."""
    root = OUT / f"rich-{n}-seed{seed}"
    marker = root / ".complete"
    if marker.exists():
        return root
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "credpath.yaml").write_text(
        f"name: Rich catalog of {n} credentials (seed {seed})\nlevels: [{', '.join(RICH_LEVELS)}]\n"
    )
    n_comp = max(n // 10, 5)
    own_levels: dict[str, list[str]] = {}
    comps = ["competencies:"]
    for j in range(n_comp):
        skill = f"skill-{j}"
        comps += [
            f"  - id: {skill}",
            f"    title: Skill {j} {rng.choice(RICH_WORDS)} {rng.choice(RICH_WORDS)}",
            f"    description: {_prose(rng, 120, 300)}",
            f"    kind: {rng.choice(['skill', 'knowledge', 'competence'])}",
        ]
        if j % 3 == 0:
            names = [f"{name} {j}" for name in RICH_LEVELS]
            own_levels[skill] = names
            comps.append(f"    levels: [{', '.join(names)}]")
        comps += [
            "    aligns:",
            f"      - {{framework: ESCO, uri: 'http://data.europa.eu/esco/skill/{j:08d}', "
            f"name: Skill {j}}}",
        ]
    (root / "competencies.yaml").write_text("\n".join(comps) + "\n")
    per_tier = -(-n // RICH_TIERS)
    tiers: list[list[tuple[str, str, int]]] = []  # (id, skill, level granted) per tier
    entries: list[list[str]] = []
    for k in range(n):
        tier, slot = divmod(k, per_tier)
        if slot == 0:
            tiers.append([])
        cid = f"r{tier}-{slot}"
        skill = f"skill-{rng.randrange(n_comp)}"
        level = min(len(RICH_LEVELS), 1 + tier * len(RICH_LEVELS) // RICH_TIERS)
        second = f"skill-{rng.randrange(n_comp)}"
        ects = rng.choice([1, 2, 3])
        lines = [
            f"  - id: {cid}",
            f"    title: {_prose(rng, 20, 60).rstrip('.')}",
            f"    type: {rng.choice(['micro-credential', 'course', 'badge', 'certificate'])}",
            f"    provider: {rng.choice(['Rich College', 'Open Institute', 'Guild Academy'])}",
            f"    description: {_prose(rng, 250, 600)}",
            f"    url: https://rich.example/{cid}",
            f"    workload: {{hours: {25 * ects}, ects: {ects}}}",
            f"    eqf: {min(8, 3 + tier // 2)}",
            f"    assessment: {_prose(rng, 60, 160)}",
            f"    participation: {rng.choice(['online', 'in-person', 'blended'])}",
            f"    quality_assurance: {_prose(rng, 40, 120)}",
        ]
        if tier > 0:
            below = tiers[tier - 1]
            first = slot % len(below)
            options = [below[(first + i) % len(below)][0] for i in range(4)]
            _, need_skill, need_level = below[(slot * 7 + 3) % len(below)]
            names = own_levels.get(need_skill, RICH_LEVELS)
            written = names[need_level - 1] if rng.random() < 0.4 else str(need_level)
            need = f"'{need_skill}@{written}'"
            if slot % 3 == 0:
                group = f"{{any: [{', '.join(options[:2])}]}}"
            else:
                group = f"{{choose: 2, from: [{', '.join(options[:3])}]}}"
            if slot % 5 == 0:
                lines += ["    requires:", "      all:", f"        - {need}", f"        - {group}"]
            else:
                lines.append(f"    requires: [{need}, {group}]")
        grants = [f"{skill}@{level}"]
        if second != skill:
            grants.append(f"{second}@{max(1, level - 1)}")
        lines.append(f"    grants: [{', '.join(grants)}]")
        tiers[tier].append((cid, skill, level))
        entries.append(lines)
    for start in range(0, n, RICH_PER_FILE):
        index = start // RICH_PER_FILE
        folder = root / "credentials" / f"part-{index // 50:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        chunk = entries[start : start + RICH_PER_FILE]
        (folder / f"r{index:05d}.yaml").write_text(
            "credentials:\n" + "\n".join(line for entry in chunk for line in entry) + "\n"
        )
    top = [cid for cid, _, _ in tiers[-1]]
    outcomes = ["outcomes:"]
    for j in range(0, len(top), 4):
        group = top[j : j + 4]
        outcomes += [
            f"  - id: job-{j // 4}",
            f"    title: Job {j // 4} {rng.choice(RICH_WORDS)}",
            f"    description: {_prose(rng, 150, 400)}",
            f"    occupation: {{esco: 'http://data.europa.eu/esco/occupation/{j:08d}', "
            f"isco: '{2000 + j % 1000}'}}",
            f"    requires: {{choose: {min(2, len(group))}, from: [{', '.join(group)}]}}",
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


def measure(command: list[str], env: dict[str, str] | None = None) -> Run:
    """The figures of one process (``env``: its environment, else this one's)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return Run(elapsed, usage.ru_maxrss / 1024, process.returncode, cpu)


def median_run(command: list[str], repeat: int, env: dict[str, str] | None = None) -> Run:
    return summary([measure(command, env) for _ in range(repeat)])


def summary(runs: list[Run]) -> Run:
    """Median seconds and CPU, the highest peak, the last exit code of runs of one command."""
    return Run(
        statistics.median(r.seconds for r in runs),
        max(r.mib for r in runs),
        runs[-1].code,
        statistics.median(r.cpu for r in runs),
    )


def interleaved(
    first: list[str],
    second: list[str],
    repeat: int,
    first_env: dict[str, str] | None = None,
    second_env: dict[str, str] | None = None,
) -> tuple[Run, Run]:
    """``median_run`` of two commands run in turn, so that a machine slower for a while
    (a shared host) slows both alike and their ratio holds."""
    firsts, seconds = [], []
    for _ in range(repeat):
        firsts.append(measure(first, first_env))
        seconds.append(measure(second, second_env))
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
    parser.add_argument("--catalog", choices=["layered", "mixed", "rich"], default="layered")
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
        root = (
            generate(n)
            if args.catalog == "layered"
            else generate_rich(n)
            if args.catalog == "rich"
            else generate_mixed(n, args.seed)
        )
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
