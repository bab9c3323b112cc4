"""The drift HTML report in headless Chromium: it opens from disk with nothing from the
network and no console error, and shows the map, the curves and the funnels."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import credpath

browser = pytest.importorskip("browser")
if not browser.available() or shutil.which("dot") is None:
    pytest.skip(
        "needs chromium, chromium-driver and Graphviz (make install)", allow_module_level=True
    )

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402

DATA_CAREERS = Path(__file__).parents[1] / "curricula" / "data-careers"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("drift")
    records, page = folder / "records.csv", folder / "drift.html"
    made = credpath("simulate", str(DATA_CAREERS), "--learners", "3000", "-o", str(records))
    assert made.exit_code == 0, made.stderr
    run = credpath(
        "drift", str(records), "--project", str(DATA_CAREERS), "--as-of", "2024-12-31",
        "-o", str(page),
    )  # fmt: skip
    assert run.exit_code == 0, run.stderr
    return page


@pytest.fixture(scope="module")
def driver() -> Iterator[WebDriver]:
    chrome = browser.chromium()
    yield chrome
    chrome.quit()


def test_the_report_opens_offline_and_shows_map_curves_and_funnels(
    driver: WebDriver, report: Path
) -> None:
    driver.get_log("performance")
    driver.get(report.as_uri())
    requested = [
        json.loads(entry["message"])["message"]["params"]["request"]["url"]
        for entry in driver.get_log("performance")
        if json.loads(entry["message"])["message"]["method"] == "Network.requestWillBeSent"
    ]
    assert requested == [report.as_uri()]
    assert [e for e in driver.get_log("browser") if e["level"] in {"SEVERE", "WARNING"}] == []
    map_nodes = driver.find_elements(By.CSS_SELECTOR, "[data-role=map] svg g.node title")
    titles = {n.get_attribute("textContent") for n in map_nodes}
    assert "credential:sql-foundations" in titles
    wide = driver.find_elements(By.CSS_SELECTOR, "[data-role=map] svg g.edge path")
    assert max(float(p.get_attribute("stroke-width") or 1) for p in wide) == 12
    curves = driver.find_elements(By.CSS_SELECTOR, "[data-role=curves] svg path.curve")
    assert len(curves) == 5  # one per drift point (--top 5)
    assert all(c.size["width"] > 0 for c in curves)
    funnels = driver.find_elements(By.CSS_SELECTOR, "[data-role=funnel]")
    outcomes = [f.get_attribute("data-outcome") for f in funnels]
    assert outcomes == [
        "bi-developer", "data-engineer-associate", "junior-data-analyst", "junior-data-scientist",
    ]  # fmt: skip
    assert all(f.find_elements(By.CSS_SELECTOR, "svg rect") for f in funnels)
