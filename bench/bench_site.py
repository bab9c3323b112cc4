"""Benchmark ``credpath site`` on the synthetic catalogs of bench/run.py.

Goals (issue 13): the site of the 10,000-credential catalog builds in at most twice the
time of a cold ``validate`` on it, and its home page is usable within 1 s in headless
Chromium (from navigation start to the first drawing of the learner's next doors and
outcome cards, the "credpath-ready" mark). Also timed: marking a credential earned on
the home page (the page redrawn), and an outcome page. Prints each figure beside its
goal; asserts nothing.

Also printed: the build without diagrams, and the floors it cannot go under: Graphviz
alone on the same diagrams, and writing files of the same sizes; and the CPU each takes
(user and system, with the workers and ``dot``): the build keeps every core busy, so the
goal is a budget of CPU seconds (twice validate's time on every core), of which
Graphviz alone takes its share.

    python bench/bench_site.py [--sizes 1000,10000] [--catalog layered|mixed] [--repeat 3]
        [--out /dev/shm]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

from run import Run, generate, generate_mixed, measure, median_run, summary


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


def write_floor(site: Path, out: Path) -> tuple[float, int]:
    """(seconds, files): writing files of the site's sizes into a new folder, nothing else."""
    sizes = [p.stat().st_size for p in site.rglob("*") if p.is_file()]
    with tempfile.TemporaryDirectory(dir=out) as folder:
        start = time.perf_counter()
        for i, size in enumerate(sizes):
            (Path(folder) / f"{i}.html").write_bytes(b"x" * size)
        return time.perf_counter() - start, len(sizes)


GRAPHVIZ_ALONE = """
import resource, sys, time
from pathlib import Path
from credpath.commands.render import export_in_parallel
from credpath.context import Options
from credpath.engine import check
from credpath.render import derived_pathway
context = check(Path(sys.argv[1]), Path.cwd(), Options(False)).context
diagrams = [derived_pathway(context.semantics, o) for o in sorted(context.catalog.outcomes)]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--catalog", choices=["layered", "mixed"], default="layered")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="where the sites are written (default: the system's temporary folder); "
        "/dev/shm takes the disk out of the figures",
    )
    args = parser.parse_args()
    credpath = [sys.executable, "-m", "credpath"]
    print(f"catalog: {args.catalog}; sites written under {args.out or tempfile.gettempdir()}")
    for n in [int(s) for s in args.sizes.split(",")]:
        root = generate(n) if args.catalog == "layered" else generate_mixed(n, args.seed)
        checked = median_run([*credpath, "validate", str(root), "--quiet", "--no-cache"], 3)
        validate = checked.seconds
        with tempfile.TemporaryDirectory(dir=args.out) as folder:
            site = Path(folder) / "site"
            bare = timed_builds(
                [*credpath, "site", str(root), "-o", str(site), "--no-diagrams"], site, args.repeat
            )
            built = timed_builds([*credpath, "site", str(root), "-o", str(site)], site, args.repeat)
            drawing = graphviz_alone(root)
            diagrams = drawing.diagrams
            floor = write_floor(site, Path(folder))
            pages = sum(1 for _ in site.rglob("*.html"))
            size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20
            data = (site / "assets" / "data.js").stat().st_size / 2**20
            print(
                f"{n} credentials: {pages} pages, {size:.1f} MiB ({data:.1f} MiB data.js), "
                f"{diagrams} outcome diagrams; validate --no-cache {validate:.2f} s"
            )
            print(
                f"  site --no-diagrams {bare.seconds:.2f} s = {bare.seconds / validate:.2f}x "
                f"validate (goal <= 2.00x), {bare.cpu:.2f} s of CPU"
            )
            print(
                f"  site {built.seconds:.2f} s = {built.seconds / validate:.2f}x validate "
                f"(goal <= 2.00x), {built.cpu:.2f} s of CPU, exit {built.code}, "
                f"peak {built.mib:.0f} MiB"
            )
            cores = os.cpu_count() or 1
            print(
                f"  CPU: validate takes {checked.cpu:.2f} s of CPU; twice its time on {cores} "
                f"cores is {2 * validate * cores:.2f} s of CPU at most, Graphviz alone "
                f"{drawing.cpu:.2f} s of it"
            )
            print(
                f"  floors: Graphviz alone on the {diagrams} diagrams takes "
                f"{drawing.seconds:.2f} s = {drawing.seconds / validate:.2f}x validate; "
                f"writing the same {floor[1]} files "
                f"(same sizes) takes {floor[0]:.2f} s"
            )
            figures = browser_figures(site, args.repeat)
            if figures is None:
                print("  headless Chromium missing: no page timings")
                continue
            home, click, outcome = figures
            print(
                f"  home page usable after {home:.0f} ms (goal <= 1000 ms); marking a door "
                f"earned redraws it in {click:.0f} ms; an outcome page is usable after "
                f"{outcome:.0f} ms"
            )


if __name__ == "__main__":
    main()
