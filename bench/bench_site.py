"""Benchmark ``credpath site`` on the synthetic catalogs of bench/run.py.

Goals (issue 13): the site of the 10,000-credential catalog builds in at most twice the
time of a cold ``validate`` on it, and its home page is usable within 1 s in headless
Chromium (from navigation start to the first drawing of the learner's next doors and
outcome cards, the "credpath-ready" mark). Also timed: marking a credential earned on
the home page (the page redrawn), and an outcome page. Prints each figure beside its
goal; asserts nothing.

    python bench/bench_site.py [--sizes 1000,10000] [--catalog layered|mixed] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

from run import generate, generate_mixed, median_run


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


def write_floor(site: Path) -> tuple[float, int]:
    """(seconds, files): writing files of the site's sizes into a new folder, nothing else."""
    sizes = [p.stat().st_size for p in site.rglob("*") if p.is_file()]
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        for i, size in enumerate(sizes):
            (Path(folder) / f"{i}.html").write_bytes(b"x" * size)
        return time.perf_counter() - start, len(sizes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--catalog", choices=["layered", "mixed"], default="layered")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    credpath = [sys.executable, "-m", "credpath"]
    print(f"catalog: {args.catalog}")
    for n in [int(s) for s in args.sizes.split(",")]:
        root = generate(n) if args.catalog == "layered" else generate_mixed(n, args.seed)
        validate = median_run([*credpath, "validate", str(root), "--quiet", "--no-cache"], 3)
        with tempfile.TemporaryDirectory() as folder:
            site = Path(folder) / "site"
            times = []
            for _ in range(args.repeat):
                shutil.rmtree(site, ignore_errors=True)
                start = time.perf_counter()
                built = median_run([*credpath, "site", str(root), "-o", str(site)], 1)
                times.append(time.perf_counter() - start)
            build = statistics.median(times)
            floor = write_floor(site)
            pages = sum(1 for _ in site.rglob("*.html"))
            size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20
            data = (site / "assets" / "data.js").stat().st_size / 2**20
            print(
                f"{n} credentials: validate --no-cache {validate[0]:.2f} s; site {build:.2f} s "
                f"= {build / validate[0]:.2f}x validate (goal <= 2.00x), exit {built[2]}, "
                f"peak {built[1]:.0f} MiB; {pages} pages, {size:.1f} MiB ({data:.1f} MiB data.js)"
            )
            print(
                f"  floor: writing the same {floor[1]} files (same sizes) takes {floor[0]:.2f} s "
                "on this machine"
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
