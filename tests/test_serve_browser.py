"""``credpath serve`` in headless Chromium: what an author sees while editing.

An edit saved on disk shows in the open page (its new title) without touching the
browser; a finding shows in the overlay, in place (the page is not reloaded), and goes
when fixed; text from YAML shows as text. Waits are generous: how fast is
bench/bench_serve.py's question.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import write_files
from test_serve import CATALOG, HOSTILE, WAIT, Served, serving

browser = pytest.importorskip("browser")
if not browser.available():
    pytest.skip("needs chromium and chromium-driver (make install)", allow_module_level=True)

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def driver() -> Iterator[WebDriver]:
    chrome = browser.chromium()
    yield chrome
    chrome.quit()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    with serving(tmp_path, diagrams=True) as running:
        yield running


def open_page(driver: WebDriver, served: Served, page: str) -> None:
    driver.get(f"http://127.0.0.1:{served.port}/{page}")
    driver.execute_script("window.credpathUntouched = true;")  # gone if the page reloads
    WebDriverWait(driver, WAIT).until(
        lambda d: d.execute_script(
            "return document.documentElement.hasAttribute('data-credpath-live')"
        )
    )


def heading(driver: WebDriver) -> str:
    return str(driver.find_element(By.TAG_NAME, "h1").text)


def overlay(driver: WebDriver) -> str:
    """The overlay's text as shown; empty when hidden."""
    box = driver.find_element(By.ID, "credpath-overlay")
    return str(box.text) if box.is_displayed() else ""


def reloaded(driver: WebDriver) -> bool:
    return not driver.execute_script("return window.credpathUntouched === true;")


def errors(driver: WebDriver) -> list[str]:
    """Console errors, but the favicon no site has."""
    logged = driver.get_log("browser")
    return [
        e["message"] for e in logged if e["level"] == "SEVERE" and "favicon" not in e["message"]
    ]


def test_a_saved_title_shows_in_the_open_page(driver: WebDriver, served: Served) -> None:
    open_page(driver, served, "credentials/sql-basics.html")
    assert heading(driver) == "SQL Basics"
    served.edit(CATALOG, lambda t: t.replace("title: SQL Basics", "title: SQL for Analysts"))
    WebDriverWait(driver, WAIT).until(lambda d: heading(d) == "SQL for Analysts")
    assert driver.title.startswith("SQL for Analysts")
    assert errors(driver) == []


def test_a_finding_shows_over_the_page_without_a_reload_and_goes_when_fixed(
    driver: WebDriver, served: Served
) -> None:
    open_page(driver, served, "credentials/sql-basics.html")
    assert overlay(driver) == ""
    write_files(served.root, {"extra.yaml": "credentials: [\n"})
    WebDriverWait(driver, WAIT).until(lambda d: "[yaml-syntax]" in overlay(d))
    shown = overlay(driver)
    assert "1 finding" in shown
    assert "extra.yaml:" in shown
    assert "error" in shown
    assert not reloaded(driver)
    (served.root / "extra.yaml").unlink()
    WebDriverWait(driver, WAIT).until(lambda d: overlay(d) == "")
    assert not reloaded(driver)
    assert heading(driver) == "SQL Basics"


def test_a_syntax_error_in_the_pages_own_file_shows_and_the_fix_brings_it_back(
    driver: WebDriver, served: Served
) -> None:
    open_page(driver, served, "credentials/sql-basics.html")
    served.edit(CATALOG, lambda t: t.replace("title: SQL Basics", "title: [SQL Basics"))
    WebDriverWait(driver, WAIT).until(lambda d: "[yaml-syntax]" in overlay(d))
    assert heading(driver) == "Not in the site"
    served.edit(CATALOG, lambda t: t.replace("title: [SQL Basics", "title: SQL Basics 2"))
    WebDriverWait(driver, WAIT).until(lambda d: heading(d) == "SQL Basics 2")
    assert overlay(driver) == ""


def test_text_from_yaml_shows_as_text(driver: WebDriver, served: Served) -> None:
    open_page(driver, served, "credentials/sql-basics.html")
    served.edit(
        CATALOG,
        lambda t: t.replace("title: SQL Basics", f"title: '{HOSTILE}'").replace(
            "grants: [sql]", "grants: [sql, '<b>bold</b>']"
        ),
    )
    WebDriverWait(driver, WAIT).until(lambda d: heading(d) == HOSTILE)
    WebDriverWait(driver, WAIT).until(lambda d: "<b>bold</b>" in overlay(d))
    assert driver.find_elements(By.CSS_SELECTOR, "#credpath-overlay b") == []
    assert driver.find_elements(By.CSS_SELECTOR, "img[src='x']") == []


def test_the_overlay_hides_and_stays_hidden_across_updates(
    driver: WebDriver, served: Served
) -> None:
    write_files(served.root, {"extra.yaml": "credentials: [\n"})
    open_page(driver, served, "credentials/sql-basics.html")
    WebDriverWait(driver, WAIT).until(lambda d: "[yaml-syntax]" in overlay(d))
    driver.find_element(By.CSS_SELECTOR, "[data-credpath-toggle]").click()
    findings = driver.find_element(By.CSS_SELECTOR, "#credpath-overlay .credpath-findings")
    assert not findings.is_displayed()
    write_files(served.root, {"more.yaml": "outcomes: [\n"})
    WebDriverWait(driver, WAIT).until(
        lambda d: (
            "2 findings" in d.find_element(By.ID, "credpath-overlay").get_attribute("innerHTML")
        )
    )
    button = driver.find_element(By.CSS_SELECTOR, "[data-credpath-toggle]")
    assert button.text == "Show"
    assert not driver.find_element(By.CSS_SELECTOR, ".credpath-findings").is_displayed()
    driver.execute_script("sessionStorage.clear()")


def test_the_findings_page_lists_them_and_follows_each_save(
    driver: WebDriver, served: Served
) -> None:
    open_page(driver, served, "findings")
    assert driver.find_element(By.CSS_SELECTOR, ".credpath-clean").text == "No findings."
    served.edit(CATALOG, lambda t: t.replace("grants: [sql]", "grants: [sql, nope]"))
    WebDriverWait(driver, WAIT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "tbody tr td.credpath-rule")
    )
    rules = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "td.credpath-rule")]
    assert "unknown-reference" in rules
