"""Benchmark ``credpath site`` on every synthetic catalog generator of bench/.

Goals (issues 13, 28 and 31), on each generator at 10,000 credentials: "layered" and
"mixed" (bench/run.py), "tracks" (bench/bench_render.py) and "chains" (here: 500
outcomes, pathways of up to 40 stages, foundation credentials that open hundreds):
- the site without diagrams in at most 2 times a cold ``validate`` (``--no-cache``);
- with diagrams, in at most that plus Graphviz's own time divided by the cores used
  (Graphviz alone: the same diagrams laid out by ``dot`` on every core, nothing else
  running; its CPU, user and system, over the cores); issue 31 asked 4 times ``validate``;
- each kind of page within its budget (``BUDGETS``: the largest page of each kind is
  printed beside it); the whole site under 100 MB;
- the home page usable within 1 s in headless Chromium (from navigation start to the
  "credpath-ready" mark). Also timed: marking a credential earned on the home page, and
  an outcome page.
Prints each figure beside its goal, all measured in one run (on a shared machine the
seconds are noisy, their ratios less so); asserts nothing.

    python bench/bench_site.py [--sizes 10000] [--catalog all|layered|mixed|tracks|chains]
        [--repeat 3] [--out /dev/shm] [--no-browser]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

from run import OUT, Run, generate, generate_mixed, measure, median_run, summary

CHAIN = 40
"""Credentials per chain of the "chains" catalog: a pathway to its outcomes is that long."""


def generate_chains(n: int, seed: int = 3) -> Path:
    """A valid catalog of ``n`` credentials in chains of ``CHAIN`` (each requires the one
    before it, now and then one of a neighbouring chain too), 50 per file, ten foundation
    credentials whose competency every chain's first credential asks for (each opens
    hundreds), and an outcome per 20 credentials (500 at 10,000) choosing 2 of 3 chains'
    deep credentials: the shape of issue 31, where pathways and diagrams are long."""
    import random

    root = OUT / f"chains-{n}-seed{seed}"
    if (root / ".complete").exists():
        return root
    rng = random.Random(seed)
    chains = max((n - 10) // CHAIN, 3)
    root.mkdir(parents=True, exist_ok=True)
    (root / "credpath.yaml").write_text(
        f"name: Chained catalog of {n} credentials\nlevels: [Basic, Intermediate, Advanced]\n"
    )
    skills = [f"  - {{id: found-{f}, title: Foundation skill {f}}}" for f in range(10)]
    skills += [f"  - {{id: chain-{c}, title: Chain skill {c}}}" for c in range(chains)]
    (root / "competencies.yaml").write_text("competencies:\n" + "\n".join(skills) + "\n")
    entries = [
        f"  - {{id: f-{f}, title: Foundation {f}, type: course, workload: {{hours: 20}}, "
        f"grants: [found-{f}@1]}}"
        for f in range(10)
    ]
    lengths = [CHAIN] * chains
    lengths[-1] += (n - 10) % CHAIN  # exactly n credentials
    ids = [[f"k{c}-{d}" for d in range(length)] for c, length in enumerate(lengths)]
    for c, chain in enumerate(ids):
        for d, credential_id in enumerate(chain):
            if d == 0:
                needs = f"[found-{c % 10}@1]"
            elif rng.random() < 0.2:
                other = ids[(c + 1) % chains][min(d, CHAIN) - 1]
                needs = f"[{{any: [{chain[d - 1]}, {other}]}}]"
            else:
                needs = f"[{chain[d - 1]}]"
            entries.append(
                f"  - {{id: {credential_id}, title: Chain {c} step {d}, "
                f"type: {rng.choice(['course', 'badge', 'micro-credential'])}, "
                f"workload: {{hours: {rng.choice([10, 25, 50])}}}, requires: {needs}, "
                f"grants: [chain-{c}@{min(3, 1 + d * 3 // CHAIN)}]}}"
            )
    for i in range(0, len(entries), 50):
        folder = root / "credentials" / f"part-{i // 2500:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        text = "credentials:\n" + "\n".join(entries[i : i + 50]) + "\n"
        (folder / f"f{i // 50:04d}.yaml").write_text(text)
    outcomes = ["outcomes:"]
    for j in range(max(n // 20, 1)):
        picks = rng.sample(range(chains), min(3, chains))
        ends = ", ".join(ids[c][rng.randrange(CHAIN // 2, CHAIN)] for c in picks)
        outcomes += [
            f"  - id: job-{j}",
            f"    title: Job {j}",
            f"    requires: {{choose: 2, from: [{ends}]}}",
        ]
    (root / "outcomes.yaml").write_text("\n".join(outcomes) + "\n")
    (root / ".complete").touch()
    return root


def generate_tracks(n: int) -> Path:
    """bench/bench_render.py's catalog (tracks of eight levels, one outcome per 25
    credentials), written as a project once."""
    from bench_render import catalog

    root = OUT / f"tracks-{n}"
    if not (root / ".complete").exists():
        root.mkdir(parents=True, exist_ok=True)
        for name, text in catalog(n).items():
            (root / name).write_text(text)
        (root / ".complete").touch()
    return root


GENERATORS = {
    "layered": generate,
    "mixed": lambda n: generate_mixed(n, 7),
    "tracks": generate_tracks,
    "chains": generate_chains,
}


def browser_figures(site: Path, repeat: int) -> tuple[float, float, float] | None:
    """(home ready ms, earn click ms, outcome page ready ms), medians; None without Chromium."""
    import browser

    if not browser.available():
        return None
    from selenium.webdriver.common.by import By

    chrome = browser.chromium()
    try:
        home, click, outcome = [], [], []
        outcome_page = sorted((site / "outcomes").glob("*.html"))[0]
        ready = "return performance.getEntriesByName('credpath-ready')[0].startTime"
        for _ in range(repeat):
            chrome.get("about:blank")
            chrome.get((site / "index.html").as_uri() + "#have=")
            home.append(chrome.execute_script(ready))
            door = chrome.find_element(By.CSS_SELECTOR, "[data-role='next'] [data-earn]")
            click.append(
                chrome.execute_script(
                    "const t = performance.now(); arguments[0].click(); "
                    "return performance.now() - t;",
                    door,
                )
            )
            chrome.get(outcome_page.as_uri())
            outcome.append(chrome.execute_script(ready))
        return statistics.median(home), statistics.median(click), statistics.median(outcome)
    finally:
        chrome.quit()


GRAPHVIZ_ALONE = """
import resource, sys, time
from pathlib import Path
from credpath.commands.render import export_in_parallel
from credpath.checks.context import Options
from credpath.checks.engine import check
from credpath.publish.render.views import site_pathway
context = check(Path(sys.argv[1]), Path.cwd(), Options(no_drafts=False)).context
outcomes = sorted(context.catalog.outcomes)
diagrams = [site_pathway(context.semantics, o).diagram for o in outcomes]
start = time.perf_counter()
export_in_parallel(diagrams, "svg")
dot = resource.getrusage(resource.RUSAGE_CHILDREN)
print(time.perf_counter() - start, dot.ru_utime + dot.ru_stime, len(diagrams))
"""


class Drawing(NamedTuple):
    seconds: float
    cpu: float
    """Seconds of CPU of the ``dot`` processes, user and system."""
    diagrams: int


def graphviz_alone(root: Path) -> Drawing:
    """Graphviz laying out the site's outcome diagrams on every core, nothing else
    running: what the diagrams cost whoever draws the pages."""
    run = subprocess.run(
        [sys.executable, "-c", GRAPHVIZ_ALONE, str(root)],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, cpu, count = run.stdout.split()
    return Drawing(float(seconds), float(cpu), int(count))


def timed_builds(command: list[str], site: Path, repeat: int) -> Run:
    """The figures of building ``site`` afresh each time."""
    runs = []
    for _ in range(repeat):
        shutil.rmtree(site, ignore_errors=True)
        runs.append(measure(command))
    return summary(runs)


BUDGETS = {
    "credential page": ("credentials/*.html", 60),
    "outcome page (with its map)": ("outcomes/*.html", 150),
    "home page": ("index.html", 300),
    "catalog page": ("credentials.html", 300),
    "competencies page": ("competencies*.html", 300),
    "script data": ("assets/data.js", None),
}
"""Kind of file -> (where, budget in KB: the largest of the kind must stay under it)."""
TOTAL_BUDGET = 100
"""MB (10^6 bytes) the whole site stays under."""


def page_sizes(site: Path) -> None:
    """Print the largest file of each kind beside its budget, and the total size."""
    for kind, (pattern, budget) in BUDGETS.items():
        files = [(p.stat().st_size, p.name) for p in site.glob(pattern)]
        if not files:
            continue
        size, name = max(files)
        if budget is None:
            goal = "no budget: loaded once, cached"
        else:
            goal = f"budget {budget} KB: {'met' if size <= budget * 1000 else 'over'}"
        print(f"  largest {kind}: {name} {size / 1000:.1f} KB ({goal}); {len(files)} files")
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    verdict = "met" if total < TOTAL_BUDGET * 1e6 else "over"
    print(f"  total size {total / 1e6:.1f} MB (goal < {TOTAL_BUDGET} MB: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--catalog", choices=["all", *GENERATORS], default="all")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true", help="skip the page timings")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="where the sites are written (default: the system's temporary folder); "
        "/dev/shm takes the disk out of the figures",
    )
    args = parser.parse_args()
    credpath = [sys.executable, "-m", "credpath"]
    print(f"sites written under {args.out or tempfile.gettempdir()}; {os.cpu_count()} cores")
    names = list(GENERATORS) if args.catalog == "all" else [args.catalog]
    for name in names:
        for n in [int(s) for s in args.sizes.split(",")]:
            root = GENERATORS[name](n)
            report(name, n, root, credpath, args)


def report(name: str, n: int, root: Path, credpath: list[str], args: argparse.Namespace) -> None:
    """Build the site of one catalog and print its figures, each beside its goal."""
    checked = median_run([*credpath, "validate", str(root), "--quiet", "--no-cache"], args.repeat)
    validate = checked.seconds
    cores = os.cpu_count() or 1  # the site's workers: one per core (credpath.base.forked)
    outcomes = sum(1 for line in (root / "outcomes.yaml").read_text().splitlines() if "id:" in line)
    with tempfile.TemporaryDirectory(dir=args.out) as folder:
        site = Path(folder) / "site"
        bare = timed_builds(
            [*credpath, "site", str(root), "-o", str(site), "--no-diagrams"], site, args.repeat
        )
        built = timed_builds([*credpath, "site", str(root), "-o", str(site)], site, args.repeat)
        drawing = graphviz_alone(root)
        pages = sum(1 for _ in site.rglob("*.html"))
        bare_goal = 2 * validate
        graphviz_share = drawing.cpu / cores
        built_goal = bare_goal + graphviz_share
        print(f"{name}, {n} credentials, {outcomes} outcomes: {pages} pages, {cores} cores")
        print(
            f"  validate --no-cache (cold)  {validate:6.2f} s, {checked.cpu:.2f} s of CPU, "
            f"peak {checked.mib:.0f} MiB"
        )
        print(
            f"  site --no-diagrams          {bare.seconds:6.2f} s = "
            f"{bare.seconds / validate:.2f}x validate  (goal <= 2.00x = {bare_goal:.2f} s: "
            f"{_verdict(bare.seconds, bare_goal)}); "
            f"{bare.cpu:.2f} s of CPU, exit {bare.code}"
        )
        print(
            f"  Graphviz alone              {drawing.cpu:6.2f} s of CPU on {drawing.diagrams} "
            f"diagrams / {cores} cores = {graphviz_share:.2f} s ({drawing.seconds:.2f} s wall)"
        )
        print(
            f"  site with diagrams          {built.seconds:6.2f} s = "
            f"{built.seconds / validate:.2f}x validate  "
            f"(goal <= 2x validate + Graphviz / cores = {built_goal:.2f} s: "
            f"{_verdict(built.seconds, built_goal)}; issue 31: <= 4x = {4 * validate:.2f} s); "
            f"{built.cpu:.2f} s of CPU, of which {built.cpu - drawing.cpu:.2f} s not Graphviz; "
            f"exit {built.code}, peak {built.mib:.0f} MiB"
        )
        # CPU seconds hardly depend on what else the machine runs: a floor for an idle one.
        floor_goal = 2 * checked.cpu + graphviz_share
        print(
            f"  from CPU alone (a shared machine's wall clock varies): site CPU / {cores} cores = "
            f"{bare.cpu / cores:.2f} s without diagrams, {built.cpu / cores:.2f} s with, the least "
            f"they can take; goals from CPU: {2 * checked.cpu:.2f} s and {floor_goal:.2f} s"
        )
        page_sizes(site)
        figures = None if args.no_browser else browser_figures(site, args.repeat)
        if figures is None:
            print("  no page timings (--no-browser, or headless Chromium missing)")
            return
        home, click, outcome = figures
        print(
            f"  home page usable after {home:.0f} ms (goal <= 1000 ms); marking a door "
            f"earned redraws it in {click:.0f} ms; an outcome page is usable after "
            f"{outcome:.0f} ms"
        )


def _verdict(seconds: float, goal: float) -> str:
    return "met" if seconds <= goal else f"{seconds / goal:.2f}x over"


if __name__ == "__main__":
    main()
