"""The learner site in headless Chromium: what a learner sees, and that it is what the CLI says.

The contract (docs/site.md): the next doors under ``[data-role="next"]``, the plan under
``[data-role="plan"]`` grouped by ``data-stage``, ``[data-earn]`` controls, state from
``#have=`` and from localStorage, no resource from the network, no console error, and no
serious or critical accessibility violation (axe-core).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import credpath, write_files

browser = pytest.importorskip("browser")
if not browser.available():
    pytest.skip("needs chromium and chromium-driver (make install)", allow_module_level=True)

from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

ROOT = Path(__file__).parents[1]
DATA_CAREERS = ROOT / "curricula" / "data-careers"
HOSTILE = '<img src=x onerror=alert(1)> & "quotes"'

SMALL = {
    "credpath.yaml": "name: Small college\nassumed: [reading]\n",
    "catalog.yaml": f"""\
        competencies:
          - {{id: reading, title: Reading}}
          - {{id: sql, title: SQL, levels: [Basic, Intermediate, Advanced]}}
          - {{id: viz, title: Visualisation}}
          - {{id: weld, title: Welding, levels: [One, Two]}}
        credentials:
          - id: sql-basics
            title: SQL Basics
            type: course
            workload: {{hours: 40}}
            grants: [sql@1]
          - id: sql-more
            title: More SQL
            type: course
            workload: {{hours: 30}}
            requires: [sql@1]
            grants: [sql@2]
          - id: viz-basics
            title: '{HOSTILE}'
            type: badge
            workload: {{hours: 20}}
            grants: [viz]
          - {{id: weld-2, title: Welding Two, type: course, requires: [weld@1], grants: [weld@2]}}
        outcomes:
          - {{id: analyst, title: Analyst, requires: [sql@2, viz]}}
          - {{id: welder, title: Welder, requires: [weld@2]}}
          - {{id: reader, title: Reader, requires: [reading]}}
        """,
}


@pytest.fixture(scope="module")
def driver() -> Iterator[WebDriver]:
    chrome = browser.chromium()
    yield chrome
    chrome.quit()


@pytest.fixture(scope="module")
def careers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("careers") / "site"
    run = credpath("site", str(DATA_CAREERS), "-o", str(out))
    assert run.exit_code == 0, run.stderr
    return out


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("small")
    write_files(base / "project", SMALL)
    out = base / "site"
    run = credpath("site", str(base / "project"), "-o", str(out))
    assert run.exit_code == 0, run.stderr
    return base / "project", out


def open_page(driver: WebDriver, page: Path, have: list[str] | None = None) -> None:
    """Open a page with a fresh learner (nothing stored), or with ``#have=`` given."""
    driver.get(page.as_uri())
    driver.execute_script("window.localStorage.clear()")
    fragment = "" if have is None else "#have=" + ",".join(have)
    driver.get("about:blank")
    driver.get(page.as_uri() + fragment)


def next_doors(driver: WebDriver) -> list[str]:
    found = driver.find_elements(By.CSS_SELECTOR, "[data-role='next'] [data-credential]")
    return [e.get_attribute("data-credential") or "" for e in found]


def plan_stages(driver: WebDriver) -> list[list[str]]:
    stages = driver.find_elements(By.CSS_SELECTOR, "[data-role='plan'] [data-stage]")
    numbers = [int(s.get_attribute("data-stage") or 0) for s in stages]
    assert numbers == list(range(1, len(stages) + 1))
    return [
        [
            e.get_attribute("data-credential") or ""
            for e in s.find_elements(By.CSS_SELECTOR, "[data-credential]")
        ]
        for s in stages
    ]


def cli_next(project: Path, have: list[str]) -> list[str]:
    args = ["--have", ",".join(have)] if have else []
    run = credpath("next", str(project), *args, "--format", "json")
    return [door["id"] for door in json.loads(run.stdout)["next"]]


def cli_plan(project: Path, outcome: str, have: list[str]) -> dict[str, Any]:
    args = ["--have", ",".join(have)] if have else []
    run = credpath("plan", outcome, str(project), *args, "--format", "json")
    plan: dict[str, Any] = json.loads(run.stdout)
    return plan


def stored(driver: WebDriver) -> list[str]:
    key = f"credpath:{driver.find_element(By.TAG_NAME, 'body').get_attribute('data-site')}:have"
    value = driver.execute_script("return window.localStorage.getItem(arguments[0])", key)
    return list(json.loads(value or "[]"))


# -- the contract ---------------------------------------------------------------------------


def test_a_shared_link_sets_the_state_and_the_next_doors_are_the_clis(
    driver: WebDriver, careers: Path
) -> None:
    have = ["spreadsheet-analysis-essentials", "sql-foundations"]
    open_page(driver, careers / "index.html", have)
    assert next_doors(driver) == cli_next(DATA_CAREERS, have)
    assert "#have" not in driver.current_url  # read once, then dropped from the address
    assert stored(driver) == have
    driver.refresh()
    assert next_doors(driver) == cli_next(DATA_CAREERS, have)
    pressed = driver.find_elements(
        By.CSS_SELECTOR, "[data-role='have'] [data-earn][aria-pressed='true']"
    )
    assert sorted(e.get_attribute("data-earn") for e in pressed) == have


def test_marking_a_door_earned_updates_the_page_and_survives_a_reload(
    driver: WebDriver, careers: Path
) -> None:
    open_page(driver, careers / "index.html")
    assert next_doors(driver) == cli_next(DATA_CAREERS, [])
    first = next_doors(driver)[0]
    url = driver.current_url
    driver.find_element(By.CSS_SELECTOR, f"[data-role='next'] [data-earn='{first}']").click()
    assert driver.current_url == url  # no reload, no navigation
    assert next_doors(driver) == cli_next(DATA_CAREERS, [first])
    assert first not in next_doors(driver)
    status = driver.find_element(By.CSS_SELECTOR, "[data-role='status']").text
    assert status.endswith("marked as earned.")
    driver.refresh()
    assert next_doors(driver) == cli_next(DATA_CAREERS, [first])
    driver.find_element(By.CSS_SELECTOR, f"[data-role='have'] [data-earn='{first}']").click()
    assert next_doors(driver) == cli_next(DATA_CAREERS, [])
    driver.refresh()
    assert stored(driver) == []


def test_each_outcome_page_shows_the_clis_plan_stage_by_stage(
    driver: WebDriver, careers: Path
) -> None:
    ids = sorted(p.stem for p in (careers / "credentials").glob("*.html"))
    chance = random.Random(5)
    states = [[], ["sql-foundations"], sorted(chance.sample(ids, 4))]
    outcomes = sorted(p.stem for p in (careers / "outcomes").glob("*.html"))
    open_page(driver, careers / "index.html")
    links = driver.find_elements(By.CSS_SELECTOR, "a[data-outcome]")
    assert sorted(a.get_attribute("data-outcome") for a in links) == outcomes
    for have in states:
        for outcome in outcomes:
            open_page(driver, careers / "outcomes" / f"{outcome}.html", have)
            plan = cli_plan(DATA_CAREERS, outcome, have)
            expected = [[c["id"] for c in s["credentials"]] for s in plan["stages"]]
            assert plan_stages(driver) == expected, (outcome, have)


def test_an_unreachable_outcome_says_why_and_a_met_one_says_so(
    driver: WebDriver, small: tuple[Path, Path]
) -> None:
    project, site = small
    open_page(driver, site / "outcomes" / "welder.html")
    reason = cli_plan(project, "welder", [])["reason"]
    shown = driver.find_element(By.CSS_SELECTOR, "[data-role='unreachable']").text
    assert shown == f"Welder cannot be reached from here: it {reason}."
    assert plan_stages(driver) == []
    open_page(driver, site / "outcomes" / "reader.html")
    assert driver.find_element(By.CSS_SELECTOR, "[data-role='met']").text == (
        "You meet Reader: nothing left to earn."
    )
    open_page(driver, site / "outcomes" / "analyst.html")
    assert plan_stages(driver) == [["sql-basics", "viz-basics"], ["sql-more"]]
    driver.find_element(By.CSS_SELECTOR, "[data-earn='sql-basics']").click()
    assert plan_stages(driver) == [["sql-more", "viz-basics"]]
    driver.find_element(By.CSS_SELECTOR, "[data-earn='sql-more']").click()
    driver.find_element(By.CSS_SELECTOR, "[data-earn='viz-basics']").click()
    assert driver.find_elements(By.CSS_SELECTOR, "[data-role='met']")
    driver.refresh()
    assert driver.find_elements(By.CSS_SELECTOR, "[data-role='met']")


def test_the_share_button_gives_a_link_that_restores_the_state(
    driver: WebDriver, careers: Path
) -> None:
    have = ["python-for-data-basics", "sql-foundations"]
    open_page(driver, careers / "index.html", have)
    driver.find_element(By.CSS_SELECTOR, "[data-action='share']").click()
    link = driver.find_element(By.CSS_SELECTOR, "[data-role='share-link']").get_attribute("value")
    assert link == (careers / "index.html").as_uri() + "#have=" + ",".join(have)
    driver.find_element(By.CSS_SELECTOR, "[data-action='reset']").click()
    assert stored(driver) == []
    assert next_doors(driver) == cli_next(DATA_CAREERS, [])
    driver.get(link or "")
    assert next_doors(driver) == cli_next(DATA_CAREERS, have)


def test_a_credential_page_marks_it_earned_with_the_keyboard(
    driver: WebDriver, small: tuple[Path, Path]
) -> None:
    _, site = small
    open_page(driver, site / "credentials" / "sql-basics.html")
    button = driver.find_element(By.CSS_SELECTOR, "[data-earn='sql-basics']")
    assert button.get_attribute("aria-pressed") == "false"
    button.send_keys(Keys.ENTER)
    assert driver.execute_script("return document.activeElement.dataset.earn") == "sql-basics"
    button = driver.find_element(By.CSS_SELECTOR, "[data-earn='sql-basics']")
    assert button.get_attribute("aria-pressed") == "true"
    assert button.text == "Earned ✓"
    driver.get((site / "index.html").as_uri())
    assert next_doors(driver) == cli_next(small[0], ["sql-basics"])


def test_hostile_titles_are_text(driver: WebDriver, small: tuple[Path, Path]) -> None:
    _, site = small
    for page, have in (
        ("index.html", []),
        ("credentials/viz-basics.html", []),
        ("outcomes/analyst.html", []),
    ):
        open_page(driver, site / page, have)
        with pytest.raises(NoAlertPresentException):
            driver.switch_to.alert.text  # noqa: B018 - an alert would mean markup ran
        assert not driver.find_elements(By.CSS_SELECTOR, "img[src='x']")
        assert HOSTILE in driver.find_element(By.TAG_NAME, "main").text, page


def requested(driver: WebDriver) -> list[str]:
    """The URLs the browser asked for since the last call (Chromium's network log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def test_no_page_loads_from_the_network_or_logs_an_error(driver: WebDriver, careers: Path) -> None:
    pages = ["index.html", "outcomes/junior-data-analyst.html", "credentials/sql-foundations.html"]
    pages += ["credentials.html", "competencies.html", "outcomes/bi-developer.html"]
    pages += ["your-pathway.html"]
    for page in pages:
        driver.get_log("performance")
        driver.get_log("browser")
        open_page(driver, careers / page, ["sql-foundations"])
        loaded = [url for url in requested(driver) if url != "about:blank"]
        assert any(url.endswith("/assets/credpath.js") for url in loaded), page
        assert all(url.startswith("file://") for url in loaded), (page, loaded)
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == [], page


AXE = ROOT / ".venv" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.skipif(not AXE.is_file(), reason="needs axe-core (make install)")
@pytest.mark.parametrize("dark", [False, True])
def test_no_serious_accessibility_violation(driver: WebDriver, careers: Path, dark: bool) -> None:
    """axe-core's rules, in light and dark mode, with the learner's content drawn (a state
    with next doors, a plan and earned credentials)."""
    scheme = [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": scheme})
    pages = ["index.html", "outcomes/junior-data-analyst.html", "credentials/sql-foundations.html"]
    pages += ["competencies.html", "credentials.html", "your-pathway.html"]
    try:
        for page in pages:
            open_page(driver, careers / page, ["sql-foundations"])
            driver.execute_script(AXE.read_text(encoding="utf-8"))
            results = driver.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "axe.run(document, {resultTypes: ['violations']}).then(done);"
            )
            serious = [
                (v["id"], v["help"], [n["target"] for n in v["nodes"]][:5])
                for v in results["violations"]
                if v["impact"] in {"serious", "critical"}
            ]
            assert serious == [], page
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def test_a_phone_screen_needs_no_sideways_scrolling(driver: WebDriver, careers: Path) -> None:
    phone = {"width": 375, "height": 800, "deviceScaleFactor": 2, "mobile": True}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", phone)
    try:
        for page in (
            "index.html",
            "outcomes/bi-developer.html",
            "credentials/sql-foundations.html",
        ):
            open_page(driver, careers / page, ["sql-foundations"])
            width = driver.execute_script("return document.documentElement.scrollWidth")
            assert width <= 375, page
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_printing_keeps_the_plan_and_drops_the_controls(driver: WebDriver, careers: Path) -> None:
    open_page(driver, careers / "outcomes" / "junior-data-analyst.html")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not driver.find_element(By.CSS_SELECTOR, "[data-earn]").is_displayed()
        assert not driver.find_element(By.CSS_SELECTOR, "header.site nav").is_displayed()
        assert driver.find_element(
            By.CSS_SELECTOR, "[data-role='plan'] [data-stage='1']"
        ).is_displayed()
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_outcome_cards_beyond_the_first_screen_fill_as_they_come_into_view(
    driver: WebDriver, tmp_path: Path
) -> None:
    """A catalog with many outcomes derives the cards on screen first, the rest on scroll."""
    outcomes = "\n".join(
        f"  - {{id: job-{n:02d}, title: Job {n}, requires: [c{n % 3}]}}" for n in range(20)
    )
    write_files(
        tmp_path / "many",
        {
            "c.yaml": "credentials:\n"
            + "".join(
                f"  - {{id: c{n}, title: C{n}, type: course, workload: {{hours: {10 + n}}}}}\n"
                for n in range(3)
            )
            + "outcomes:\n"
            + outcomes
            + "\n"
        },
    )
    site = tmp_path / "site"
    assert credpath("site", str(tmp_path / "many"), "-o", str(site), "--no-diagrams").exit_code == 0
    open_page(driver, site / "index.html")
    cards = driver.find_elements(By.CSS_SELECTOR, "[data-progress]")
    assert len(cards) == 20
    last = cards[-1]
    driver.execute_script("arguments[0].scrollIntoView()", last)
    text = last.find_element(By.CSS_SELECTOR, ".progress-text")
    WebDriverWait(driver, 5).until(lambda _: text.text != "")
    assert text.text == "1 credential, 11 h to go in 1 stage."  # job-19 requires c1 (11 h)
    driver.find_element(By.CSS_SELECTOR, "[data-role='next'] [data-earn='c1']").click()
    driver.execute_script("arguments[0].scrollIntoView()", last)
    WebDriverWait(driver, 5).until(lambda _: text.text.startswith("Met"))


# -- the pathway map, long lists and badges (issue 31) ---------------------------------------


def map_states(driver: WebDriver) -> dict[str, str]:
    """Credential id -> held | start | locked, as the outcome page's map marks them."""
    nodes = driver.find_elements(By.CSS_SELECTOR, "[data-role='map'] g.node[data-state]")
    return {
        (n.get_attribute("id") or "").removeprefix("credential:"): n.get_attribute("data-state")
        or ""
        for n in nodes
    }


def map_label(driver: WebDriver, credential_id: str) -> str:
    toggle = driver.find_element(
        By.CSS_SELECTOR, f"[data-role='map'] g[id='credential:{credential_id}'] .map-toggle"
    )
    return toggle.get_attribute("aria-label") or ""


def map_toggle(driver: WebDriver, credential_id: str) -> Any:
    return driver.find_element(
        By.CSS_SELECTOR, f"[data-role='map'] [data-toggle='{credential_id}']"
    )


def click_box(driver: WebDriver, credential_id: str) -> None:
    """Click a credential's box on the map near its left edge (its name, in the middle, is
    the link to its page)."""
    from selenium.webdriver.common.action_chains import ActionChains

    box = map_toggle(driver, credential_id)
    width = box.rect["width"]
    ActionChains(driver).move_to_element_with_offset(box, -width / 2 + 4, 0).click().perform()


def test_the_map_marks_held_startable_and_locked_credentials_as_the_learner_marks_them(
    driver: WebDriver, small: tuple[Path, Path]
) -> None:
    _, site = small
    open_page(driver, site / "outcomes" / "analyst.html")
    assert map_states(driver) == {
        "sql-basics": "start",
        "sql-more": "locked",
        "viz-basics": "start",
    }
    assert map_label(driver, "sql-more") == (
        "More SQL: locked: needs sql@1: take SQL Basics; stage 2 of your plan"
    )
    colour = driver.execute_script(
        "return getComputedStyle(arguments[0]).stroke",
        driver.find_element(By.CSS_SELECTOR, "g[id='credential:sql-basics'] path"),
    )
    assert colour == "rgb(31, 95, 191)"  # can start now: the accent border
    driver.find_element(By.CSS_SELECTOR, "[data-role='plan'] [data-earn='sql-basics']").click()
    assert map_states(driver) == {"sql-basics": "held", "sql-more": "start", "viz-basics": "start"}
    assert map_label(driver, "sql-basics") == "SQL Basics: earned"
    driver.refresh()
    assert map_states(driver)["sql-basics"] == "held"


def test_clicking_a_credentials_box_on_the_map_marks_it_and_its_name_opens_its_page(
    driver: WebDriver, small: tuple[Path, Path]
) -> None:
    project, site = small
    open_page(driver, site / "outcomes" / "analyst.html")
    box = map_toggle(driver, "sql-basics")
    assert box.get_attribute("aria-pressed") == "false"
    click_box(driver, "sql-basics")
    assert box.get_attribute("aria-pressed") == "true"
    assert map_states(driver) == {"sql-basics": "held", "sql-more": "start", "viz-basics": "start"}
    assert stored(driver) == ["sql-basics"]
    expected = cli_plan(project, "analyst", ["sql-basics"])["stages"]
    assert plan_stages(driver) == [[c["id"] for c in s["credentials"]] for s in expected]
    status = driver.find_element(By.CSS_SELECTOR, "[data-role='status']").text
    assert status == "SQL Basics: marked as earned."
    click_box(driver, "sql-basics")  # again: no longer marked
    assert map_toggle(driver, "sql-basics").get_attribute("aria-pressed") == "false"
    assert stored(driver) == []
    assert map_states(driver)["sql-basics"] == "start"
    driver.find_element(
        By.CSS_SELECTOR, "[data-role='map'] g[id='credential:sql-more'] a text"
    ).click()
    WebDriverWait(driver, 5).until(lambda d: d.current_url.endswith("credentials/sql-more.html"))


def test_the_map_is_usable_with_the_keyboard(driver: WebDriver, small: tuple[Path, Path]) -> None:
    """Tab reaches each credential of the map: first its box, a toggle button (its label and
    aria-pressed say where the learner stands, the caption under the map repeats it), then
    its name, a link. Space or Enter on the box marks it earned; Enter on the name opens its
    page."""
    _, site = small
    open_page(driver, site / "outcomes" / "analyst.html")
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    labels = []
    for _ in range(60):
        active = driver.switch_to.active_element
        if active.get_attribute("data-toggle"):
            labels.append(active.get_attribute("aria-label"))
            if labels[-1].startswith("More SQL"):
                break
        active.send_keys(Keys.TAB)
    assert sorted(labels) == [
        "More SQL: locked: needs sql@1: take SQL Basics; stage 2 of your plan",
        "SQL Basics: you can start it now; stage 1 of your plan",
    ]
    caption = driver.find_element(By.CSS_SELECTOR, "[data-role='map-why']").text
    assert caption == labels[-1] + " (select to mark it earned)"
    box = driver.switch_to.active_element
    assert box.get_attribute("role") == "button"
    box.send_keys(Keys.SPACE)
    box = driver.switch_to.active_element
    assert box.get_attribute("data-toggle") == "sql-more"  # focus stays on it
    assert box.get_attribute("aria-pressed") == "true"
    assert map_states(driver)["sql-more"] == "held"
    assert stored(driver) == ["sql-more"]
    box.send_keys(Keys.ENTER)
    assert box.get_attribute("aria-pressed") == "false"
    assert stored(driver) == []
    box.send_keys(Keys.TAB)
    link = driver.switch_to.active_element
    assert link.get_attribute("aria-label") == "More SQL: open its page"
    link.send_keys(Keys.ENTER)
    WebDriverWait(driver, 5).until(lambda d: d.current_url.endswith("credentials/sql-more.html"))


def view_box(driver: WebDriver) -> list[float]:
    svg = driver.find_element(By.CSS_SELECTOR, "[data-role='map'] svg")
    box = driver.execute_script("return arguments[0].getAttribute('viewBox')", svg)
    return [float(n) for n in box.split()]


def test_on_a_phone_the_map_zooms_and_pans_and_a_drag_marks_nothing(
    driver: WebDriver, careers: Path
) -> None:
    """At a phone's size (390 x 844): + and - zoom, a drag moves the map once zoomed in
    (and marks nothing, opens nothing), a pinch of two fingers zooms, "Whole map" shows it
    all again; nothing scrolls sideways."""
    from selenium.webdriver.common.action_chains import ActionChains

    phone = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", phone)
    try:
        page = careers / "outcomes" / "junior-data-analyst.html"
        open_page(driver, page)
        whole = view_box(driver)
        zoom_out = driver.find_element(By.CSS_SELECTOR, "[data-zoom='out']")
        assert zoom_out.get_attribute("disabled") == "true"  # the whole map already
        driver.find_element(By.CSS_SELECTOR, "[data-zoom='in']").click()
        closer = view_box(driver)
        assert closer[2] == pytest.approx(whole[2] / 1.5)
        assert closer[3] == pytest.approx(whole[3] / 1.5)
        svg = driver.find_element(By.CSS_SELECTOR, "[data-role='map'] svg")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", svg)
        ActionChains(driver).move_to_element(svg).click_and_hold().move_by_offset(
            -60, -10
        ).move_by_offset(-40, 0).release().perform()
        moved = view_box(driver)
        assert moved[0] > closer[0]  # dragged left: the view moves right over the map
        assert moved[2:] == closer[2:]
        assert stored(driver) == []
        assert driver.current_url == page.as_uri()
        pinch = """
            const svg = arguments[0];
            const box = svg.getBoundingClientRect();
            const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
            const send = (type, id, dx) => svg.dispatchEvent(new PointerEvent(type,
              {pointerId: id, pointerType: 'touch', clientX: x + dx, clientY: y, bubbles: true}));
            send('pointerdown', 1, -20); send('pointerdown', 2, 20);
            send('pointermove', 2, 60);
            send('pointerup', 1, -20); send('pointerup', 2, 60);
        """
        driver.execute_script(pinch, svg)
        pinched = view_box(driver)
        assert pinched[2] == pytest.approx(moved[2] / 2)  # fingers twice as far apart
        driver.find_element(By.CSS_SELECTOR, "[data-zoom='reset']").click()
        assert view_box(driver) == whole
        width = driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_the_map_agrees_with_next_for_random_states(driver: WebDriver, careers: Path) -> None:
    """What the map marks held is what ``credpath next`` says the learner holds; every next
    door it draws is marked "can start now"; no locked credential is a next door."""
    ids = sorted(p.stem for p in (careers / "credentials").glob("*.html"))
    outcomes = sorted(p.stem for p in (careers / "outcomes").glob("*.html"))
    chance = random.Random(31)
    for _ in range(6):
        have = sorted(chance.sample(ids, chance.randint(0, 4)))
        outcome = chance.choice(outcomes)
        open_page(driver, careers / "outcomes" / f"{outcome}.html", have)
        states = map_states(driver)
        assert states, outcome
        args = ["--have", ",".join(have)] if have else []
        answer = json.loads(credpath("next", str(DATA_CAREERS), *args, "--format", "json").stdout)
        held = set(answer["have"]["credentials"])
        doors = {door["id"] for door in answer["next"]}
        assert {c for c, s in states.items() if s == "held"} == held & set(states), have
        assert all(states[d] == "start" for d in doors & set(states)), have


def pathway_outcomes(driver: WebDriver) -> list[dict[str, Any]]:
    """What the "Your pathway" page shows per outcome drawn in full, in its order."""
    found = []
    for section in driver.find_elements(By.CSS_SELECTOR, "[data-role='pathway'] section"):
        stages = section.find_elements(By.CSS_SELECTOR, "[data-stage]")
        found.append(
            {
                "outcome": section.get_attribute("data-outcome"),
                "summary": section.find_element(By.CSS_SELECTOR, "[data-role='summary']").text,
                "stages": [
                    [
                        (e.get_attribute("data-credential"), e.get_attribute("data-state"))
                        for e in s.find_elements(By.CSS_SELECTOR, "[data-credential]")
                    ]
                    for s in stages
                ],
            }
        )
    return found


def test_your_pathway_answers_as_next_and_plan_for_random_states(
    driver: WebDriver, careers: Path
) -> None:
    """The "Your pathway" page: the next doors are ``credpath next``'s; per outcome the
    learner started (or, with none, every outcome), the stages are ``credpath plan``'s,
    the first stage "can start now", the later ones locked with why, or the CLI's reason
    it cannot be reached; the outcomes nearest first (fewest hours, then credentials)."""
    ids = sorted(p.stem for p in (careers / "credentials").glob("*.html"))
    outcomes = sorted(p.stem for p in (careers / "outcomes").glob("*.html"))
    chance = random.Random(131)
    states = [[], ["sql-foundations"]]
    states += [sorted(chance.sample(ids, chance.randint(1, 5))) for _ in range(4)]
    for have in states:
        open_page(driver, careers / "your-pathway.html", have)
        assert next_doors(driver) == cli_next(DATA_CAREERS, have), have
        shown = pathway_outcomes(driver)
        plans = {o: cli_plan(DATA_CAREERS, o, have) for o in outcomes}
        args = ["--have", ",".join(have)] if have else []
        held = set(
            json.loads(credpath("next", str(DATA_CAREERS), *args, "--format", "json").stdout)[
                "have"
            ]["credentials"]
        )
        started = [o for o in outcomes if held & set(credpath_leads(careers, o))]
        nearest = sorted(started or outcomes, key=lambda o: closeness(plans[o]))
        assert [s["outcome"] for s in shown] == nearest[:10], have
        for entry in shown:
            plan = plans[entry["outcome"]]
            assert [[c for c, _ in stage] for stage in entry["stages"]] == [
                [c["id"] for c in s["credentials"]] for s in plan["stages"]
            ], (have, entry["outcome"])
            for number, stage in enumerate(entry["stages"], 1):
                assert {state for _, state in stage} == {"start" if number == 1 else "locked"}
            if not plan["reachable"]:
                assert entry["summary"].endswith(
                    f"cannot be reached from here: it {plan['reason']}."
                )
            elif plan["met"]:
                assert entry["summary"].startswith("You meet ")


def closeness(plan: dict[str, Any]) -> tuple[float, int, str]:
    """How near a plan of ``credpath plan --format json`` is: hours, then credentials."""
    if not plan["reachable"]:
        return (float("inf"), 0, plan["outcome"])
    return (plan["total_hours"], plan["credentials"], plan["outcome"])


def credpath_leads(site: Path, outcome: str) -> list[str]:
    """The credentials leading to an outcome, as the site's data says (``leads``)."""
    import base64

    text = (site / "assets" / "data.js").read_text(encoding="utf-8")
    data = json.loads(text[text.index("{") : text.rindex("}") + 1])
    entry = next(o for o in data["outcomes"] if o["id"] == outcome)
    bits = base64.b64decode(entry["leads"])
    return [
        c["id"]
        for i, c in enumerate(data["credentials"])
        if i >> 3 < len(bits) and bits[i >> 3] >> (i & 7) & 1
    ]


def test_your_pathway_marks_a_locked_credential_with_why_and_updates_when_marked(
    driver: WebDriver, small: tuple[Path, Path]
) -> None:
    _, site = small
    open_page(driver, site / "index.html")
    driver.find_element(By.CSS_SELECTOR, "header.site a[href='your-pathway.html']").click()
    WebDriverWait(driver, 5).until(lambda d: d.current_url.endswith("your-pathway.html"))
    note = driver.find_element(By.CSS_SELECTOR, "[data-role='pathway-note']").text
    assert note == "You have not started any outcome yet: every outcome, the nearest first."
    analyst = driver.find_element(By.CSS_SELECTOR, "[data-role='pathway'] [data-outcome='analyst']")
    locked = analyst.find_element(By.CSS_SELECTOR, "[data-credential='sql-more'] .locked")
    assert locked.text == "locked: needs sql@1: take SQL Basics"
    analyst.find_element(By.CSS_SELECTOR, "[data-earn='sql-basics']").click()
    note = driver.find_element(By.CSS_SELECTOR, "[data-role='pathway-note']").text
    assert note == "The 1 outcome you have started, the nearest first."
    shown = pathway_outcomes(driver)
    assert [s["outcome"] for s in shown] == ["analyst"]
    assert shown[0]["stages"] == [[("sql-more", "start"), ("viz-basics", "start")]]
    assert stored(driver) == ["sql-basics"]
    rest = driver.find_elements(By.CSS_SELECTOR, ".pathway-rest li")
    assert sorted(li.get_attribute("data-outcome") for li in rest) == ["reader", "welder"]


def test_a_long_list_is_listed_whole_a_page_at_a_time(driver: WebDriver, tmp_path: Path) -> None:
    from credpath.checks.context import Options
    from credpath.checks.engine import check
    from credpath.publish.site import unlocks_in_order
    from test_site_pages import layered_catalog

    catalog = tmp_path / "layers"
    layered_catalog(catalog, layers=3, per_layer=200)
    site = tmp_path / "site"
    assert credpath("site", str(catalog), "-o", str(site), "--no-diagrams").exit_code == 0
    sem = check(catalog, catalog, Options(no_drafts=False)).context.semantics
    expected = [sem.catalog.credentials[c].model.title for c, _ in unlocks_in_order(sem, "c0-0")]
    assert len(expected) == 81
    open_page(driver, site / "credentials" / "c0-0.html")
    driver.find_element(By.CSS_SELECTOR, "[data-more='unlocks']").click()
    browse = driver.find_element(By.CSS_SELECTOR, "[data-browse='unlocks']")
    assert driver.switch_to.active_element == browse.find_element(By.TAG_NAME, "input")

    def shown() -> list[str]:
        return [a.text for a in browse.find_elements(By.CSS_SELECTOR, "li > a")]

    assert browse.find_element(By.CSS_SELECTOR, "p.meta").text == "1\u201350 of 81"
    listed = shown()
    browse.find_element(By.XPATH, ".//button[.='Next']").click()
    assert browse.find_element(By.CSS_SELECTOR, "p.meta").text == "51\u201381 of 81"
    assert listed + shown() == expected
    browse.find_element(By.TAG_NAME, "input").send_keys("Layer 2")  # every word, any case
    assert shown() == [t for t in expected if "layer" in t and "2" in t][:50]
    assert "matching (of 81)" in browse.find_element(By.CSS_SELECTOR, "p.meta").text

    # a group of "What it unlocks": those leading to one outcome, listed whole
    driver.refresh()
    button = driver.find_element(By.CSS_SELECTOR, "[data-more='unlocks-toward']")
    role = (button.get_attribute("data-of") or "").split(" ")[1]
    toward = [
        sem.catalog.credentials[c].model.title
        for c, _ in unlocks_in_order(sem, "c0-0")
        if role in sem.outcomes_of.get(c, ())
    ]
    assert len(toward) > 5
    button.click()
    browse = driver.find_element(By.CSS_SELECTOR, "[data-browse='unlocks-toward']")
    assert [a.text for a in browse.find_elements(By.CSS_SELECTOR, "li > a")] == toward[:50]


def test_a_stage_of_the_catalog_page_is_listed_whole(driver: WebDriver, tmp_path: Path) -> None:
    from test_site_pages import layered_catalog

    catalog = tmp_path / "layers"
    layered_catalog(catalog, layers=2, per_layer=300)
    site = tmp_path / "site"
    assert credpath("site", str(catalog), "-o", str(site), "--no-diagrams").exit_code == 0
    open_page(driver, site / "credentials.html")
    driver.find_element(By.CSS_SELECTOR, "[data-more='stage'][data-of='stage-2']").click()
    browse = driver.find_element(By.CSS_SELECTOR, "[data-browse='stage']")
    titles = []
    while True:
        titles += [a.text for a in browse.find_elements(By.CSS_SELECTOR, "li > a")]
        following = browse.find_element(By.XPATH, ".//button[.='Next']")
        if not following.is_enabled():
            break
        following.click()
    assert sorted(titles) == sorted(f"Credential {slot} of layer 1" for slot in range(300))


def ob3_credential(achievement: dict[str, Any]) -> dict[str, Any]:
    """An OpenBadgeCredential for ``achievement``, as an issuer would send it."""
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://example.edu/issuers/565049", "type": ["Profile"]},
        "validFrom": "2025-01-01T00:00:00Z",
        "name": achievement.get("name", ""),
        "credentialSubject": {
            "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
            "type": ["AchievementSubject"],
            "achievement": achievement,
        },
    }


def signed(credential: dict[str, Any]) -> str:
    """The credential as a compact JWS (VC-JWT): header, payload, a signature."""
    import base64

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'ES256', 'typ': 'JWT'})}.{part({'vc': credential})}.c2lnbmF0dXJl"


def test_badges_loaded_from_files_mark_exactly_their_credentials(
    driver: WebDriver, small: tuple[Path, Path], tmp_path: Path
) -> None:
    project, site = small
    exported = tmp_path / "ob3"
    assert credpath("export", "ob3", str(project), "-o", str(exported)).exit_code == 0
    achievement = {p.stem: json.loads(p.read_text()) for p in exported.glob("*.json")}
    wallet = tmp_path / "wallet"
    wallet.mkdir()
    plain, token, other, broken = (wallet / n for n in ("a.json", "b.jwt", "c.json", "d.json"))
    plain.write_text(json.dumps(ob3_credential(achievement["sql-basics"])))
    token.write_text(signed(ob3_credential(achievement["viz-basics"])))
    stranger = {"id": "https://elsewhere.example/achievements/sql-more", "name": "Their SQL"}
    other.write_text(json.dumps([ob3_credential(stranger)]))
    broken.write_text("{not json")
    driver.get_log("performance")
    open_page(driver, site / "index.html")
    picker = driver.find_element(By.CSS_SELECTOR, "[data-role='badges']")
    picker.send_keys("\n".join(str(p) for p in (plain, token, other, broken)))
    WebDriverWait(driver, 5).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "[data-role='badges-matched']")
    )
    assert stored(driver) == ["sql-basics", "viz-basics"]
    assert next_doors(driver) == cli_next(project, ["sql-basics", "viz-basics"])
    unmatched = driver.find_elements(By.CSS_SELECTOR, "[data-role='badges-unmatched'] li")
    assert [li.text for li in unmatched] == [
        "Their SQL (c.json)",
        "d.json: not JSON nor a signed credential",
    ]
    loaded = [url for url in requested(driver) if url != "about:blank"]
    assert all(url.startswith("file://") for url in loaded), loaded
