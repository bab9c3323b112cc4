"""Benchmark ``credpath serve``: from a file's save to the edited credential's page
reloaded in the browser, on the 10,000-credential catalog of bench/run.py.

Goal (issue 28): the page shows the new title within 0.5 s of the save. Runs the real
command on a copy of the catalog (the generated one is left as it is), opens the edited
credential's page in headless Chromium, then saves new titles (the file written beside
it and renamed over it, as editors do) and times each from the rename to the moment the
page's heading shows the new title. Without Chromium, the time to the page's "reload"
event and the page's new bytes fetched instead. Also, in this process, where the time
goes: the engine's re-check (``Workspace.update``), the catalog's semantics the page
needs (what each credential leads to and unlocks: taken over from the snapshot before,
since a title edit leaves the graph as it was), the page drawn, and the data every page
reads (``assets/data.js``: drawn again after a title edit, once the page is served, since
it holds the titles; kept after an edit of descriptions or comments). The floor (the C loader
parsing the same files, bench/run.py) is printed beside them for a machine-independent
ratio. Prints each figure beside its goal; asserts nothing. The machine may be shared:
read ratios from one run, not absolute times across runs.

    python bench/bench_serve.py [--size 10000] [--edits 7] [--no-browser]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

from run import FLOOR, generate, median_run

GOAL = 0.5
"""Seconds from the save to the edited credential's page reloaded (issue 28)."""


def credential_file(root: Path, credential: str) -> Path:
    wanted = f"  - id: {credential}\n"
    for path in sorted(root.rglob("*.yaml")):
        if wanted in path.read_text(encoding="utf-8"):
            return path
    raise SystemExit(f"{credential} is in no file of {root}")


def save_title(path: Path, credential: str, title: str) -> float:
    """Give ``credential`` a new title as an editor saves; the time of the rename."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(rf"(  - id: {re.escape(credential)}\n    title: )[^\n]*")
    changed = pattern.sub(lambda m: m[1] + title, text, count=1)
    saving = path.with_name(f".{path.name}.saving")
    saving.write_text(changed, encoding="utf-8")
    saved = time.perf_counter()
    os.replace(saving, path)
    return saved


def start_server(root: Path) -> tuple[subprocess.Popen[str], int]:
    command = [sys.executable, "-m", "credpath", "serve", str(root), "--port", "0"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    for line in process.stderr:
        found = re.search(r"at http://127\.0\.0\.1:(\d+)/", line)
        if found:
            return process, int(found[1])
    raise SystemExit("credpath serve did not start")


def chromium() -> WebDriver:
    """The tests' headless Chromium (tests/browser.py), told not to wait for pages to
    load: the bench reads the heading as soon as the new page shows it, before the
    page's scripts and their data have loaded."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    import browser

    options = webdriver.ChromeOptions()
    options.binary_location = str(browser.BROWSER)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    options.page_load_strategy = "none"
    return webdriver.Chrome(service=Service(str(browser.DRIVER)), options=options)


def in_browser(
    port: int, path: Path, credential: str, edits: int
) -> tuple[list[float], list[float]]:
    """Seconds from each save to the page's heading showing the new title, and to the
    new page loaded whole (its scripts run, with the catalog's data)."""
    from selenium.webdriver.support.ui import WebDriverWait

    chrome = chromium()
    try:
        chrome.get(f"http://127.0.0.1:{port}/credentials/{credential}.html")
        live = "return document.documentElement.hasAttribute('data-credpath-live')"
        WebDriverWait(chrome, 300).until(lambda d: d.execute_script(live))
        heading = "const h = document.querySelector('h1'); return h ? h.textContent : '';"
        loaded = "return document.readyState === 'complete';"
        shown, whole = [], []
        for edit in range(edits):
            title = f"Credential edited {edit}"
            saved = save_title(path, credential, title)
            while chrome.execute_script(heading) != title:
                time.sleep(0.005)
            shown.append(time.perf_counter() - saved)
            while not chrome.execute_script(loaded):
                time.sleep(0.005)
            whole.append(time.perf_counter() - saved)
            WebDriverWait(chrome, 300).until(lambda d: d.execute_script(live))
            time.sleep(0.5)  # the next save is a separate one
        return shown, whole
    finally:
        chrome.quit()


def by_http(port: int, path: Path, credential: str, edits: int) -> list[float]:
    """Seconds from each save to the page's "reload" event and its new bytes fetched."""
    page = f"/credentials/{credential}.html"
    times = []
    for edit in range(edits):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        connection.request("GET", page)
        html = connection.getresponse().read().decode("utf-8")
        connection.close()
        found = re.search(r'data-page="([^"]*)" data-digest="([^"]*)"', html)
        assert found is not None
        stream = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        stream.request("GET", f"/_credpath/events?page={found[1]}&digest={found[2]}")
        events = stream.getresponse()
        while events.readline() != b"\n":  # the overlay's findings, sent first
            pass
        title = f"Credential fetched {edit}"
        saved = save_title(path, credential, title)
        while not events.readline().startswith(b"event: reload"):
            pass
        fetch = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        fetch.request("GET", page)
        assert f"<h1>{title}</h1>" in fetch.getresponse().read().decode("utf-8")
        times.append(time.perf_counter() - saved)
        fetch.close()
        stream.close()
        time.sleep(0.5)
    return times


def breakdown(root: Path, path: Path, credential: str, edits: int) -> dict[str, list[float]]:
    """Where the time of one save goes, measured in this process, as the server spends it
    (``Live.refresh``): the engine's re-check, the catalog's semantics the page needs
    (taken over from the snapshot before when the engine patched the catalog), the page,
    then the data every page reads."""
    from credpath.checks.context import Options
    from credpath.checks.workspace import Workspace
    from credpath.preview.site import DATA, Snapshot

    workspace = Workspace(root, Path.cwd(), Options())
    snapshot = Snapshot(0, (), workspace.update().context)
    snapshot.digest(f"credentials/{credential}.html")
    snapshot.digest(DATA)
    parts: dict[str, list[float]] = {
        "floor": [],
        "re-check": [],
        "semantics": [],
        "page": [],
        "data": [],
    }
    carried = 0
    for edit in range(edits):
        parts["floor"].append(parse_floor(root))  # beside each edit: the load drifts
        save_title(path, credential, f"Credential in process {edit}")
        start = time.perf_counter()
        result = workspace.update()
        checked = time.perf_counter()
        same = snapshot if workspace.patched else None
        snapshot = Snapshot(edit + 1, (), result.context, same_graph=same)
        assert snapshot.pages is not None
        _ = snapshot.pages.sem.outcomes_of, snapshot.pages.sem.unlocks
        worked_out = time.perf_counter()
        snapshot.digest(f"credentials/{credential}.html")
        drawn = time.perf_counter()
        snapshot.digest(DATA)
        done = time.perf_counter()
        carried += snapshot.carried
        parts["re-check"].append(checked - start)
        parts["semantics"].append(worked_out - checked)
        parts["page"].append(drawn - worked_out)
        parts["data"].append(done - drawn)
    print(f"(in process: {carried} of {edits} edits took over the semantics before)")
    return parts


def parse_floor(root: Path) -> float:
    """The floor, in this process: every file parsed by PyYAML's C loader."""
    import yaml

    start = time.perf_counter()
    for path in sorted(root.rglob("*.yaml")):
        list(yaml.load_all(path.read_bytes(), Loader=yaml.CSafeLoader))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    import browser  # tests/browser.py

    use_browser = not args.no_browser and browser.available()
    generated = generate(args.size)
    floor = median_run([sys.executable, "-c", FLOOR, str(generated)], 3).seconds
    credential = f"cred-{args.size // 2}"
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "catalog"
        shutil.copytree(generated, root)
        path = credential_file(root, credential)
        process, port = start_server(root)
        try:
            whole: list[float] = []
            if use_browser:
                times, whole = in_browser(port, path, credential, args.edits)
                what = "save -> page reloaded in Chromium, new title shown"
            else:
                times = by_http(port, path, credential, args.edits)
                what = "save -> reload event + page fetched (no browser)"
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(60)
        parts = breakdown(root, path, credential, args.edits)
    median = statistics.median(times)
    print(f"credpath serve, {args.size} credentials, {args.edits} edits of {credential}")
    print(f"floor (C-loader parse of the same files): {floor:.3f} s")
    print(f"{what}: median {median:.3f} s, slowest {max(times):.3f} s")
    verdict = "met" if median <= GOAL else "NOT met"
    print(f"  goal: {GOAL:.3f} s ({verdict}); {median / floor:.2f} x the floor")
    if whole:
        print(
            f"save -> the new page loaded whole (scripts and data.js): median "
            f"{statistics.median(whole):.3f} s ({statistics.median(whole) / floor:.2f} x the floor)"
        )
    print("where one save's time goes (this process, medians; the floor measured beside")
    print("each edit, so these ratios hold better on a loaded machine):")
    for name, seconds in parts.items():
        if name == "floor":
            continue
        ratios = [s / f for s, f in zip(seconds, parts["floor"], strict=True)]
        value = statistics.median(seconds)
        print(f"  {name:<10} {value:.3f} s  ({statistics.median(ratios):.2f} x the floor)")
    print("(figures taken on a machine other work may share: compare the ratios)")


if __name__ == "__main__":
    main()
