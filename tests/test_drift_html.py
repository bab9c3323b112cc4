"""`credpath drift -f html`: one offline page; the map, curves and funnels obey the privacy
layer; data is escaped; the same records give the same bytes. And the progress bar."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from conftest import credpath
from credpath.analytics.drift import database
from credpath.analytics.html import WIDEST, band
from credpath.commands.drift import watch
from test_drift import PROJECT, RECORDS

HOSTILE = "<img src=x onerror=alert(1)>"

pytestmark = pytest.mark.skipif(
    not __import__("shutil").which("dot"), reason="needs Graphviz's dot (make install)"
)


@pytest.fixture
def drift_project(project: Callable[..., str], tmp_path: Path) -> Path:
    files = dict(PROJECT)
    files["credentials.yaml"] = files["credentials.yaml"].replace(
        "{id: c, title: C,", f"{{id: c, title: '{HOSTILE}',"
    )
    project(files)
    (tmp_path / "records.csv").write_text(RECORDS, encoding="utf-8")
    return tmp_path


def _html(*args: str) -> str:
    run = credpath("drift", "records.csv", "--project", "project", *args, "-o", "report.html")
    assert run.exit_code == 0, run.stderr
    return Path("report.html").read_text(encoding="utf-8")


def _edge(page: str, source: str, target: str) -> str:
    """The SVG group Graphviz draws for one edge of the map."""
    title = f"<title>credential:{source}&#45;&gt;credential:{target}</title>"
    start = page.index(title)
    return page[start : page.index("</g>", start)]


def test_html_report_draws_the_learners_on_the_map(drift_project: Path) -> None:
    page = _html("--window", "30", "--as-of", "2024-12-31", "--min-group", "0")
    assert page.startswith("<!DOCTYPE html>")
    assert "default-src 'none'" in page  # nothing may load, whatever the page holds
    # Both of A's continuers went to B: the widest edge; nobody took A -> D next.
    assert f'stroke-width="{WIDEST:g}"' in _edge(page, "a", "b")
    assert "took this next" not in _edge(page, "a", "d")
    # A's continuation is 2 of 3 (66.7%): its box is filled with that band and says so.
    node = page[page.index("<title>credential:a</title>") :]
    assert f'fill="{band(2 / 3).lower()}"' in node[: node.index("</g>")]
    assert "continuation 67%" in node[: node.index("</g>")]
    assert page.count('class="curve"') >= 1  # A is a drift point with a shown curve
    assert 'data-outcome="job"' in page


def test_html_report_shows_nothing_the_privacy_layer_suppressed(drift_project: Path) -> None:
    page = _html("--window", "30", "--as-of", "2024-12-31")  # every count is below 10
    assert "took this next" not in page
    assert 'class="curve"' not in page
    assert "continuation 67%" not in page
    assert f'fill="{band(2 / 3).lower()}"' not in page
    table = page[page.index('data-role="credentials"') :]
    cells = re.findall(r'<td class="n">([^<]*)</td>', table)
    assert cells
    assert set(cells) == {"fewer than 10"}
    funnel = page[page.index('data-outcome="job"') :]
    assert "<title>Met the outcome: fewer than 10</title>" in funnel


def test_html_report_escapes_data_and_is_deterministic(drift_project: Path) -> None:
    first = _html("--min-group", "0")
    assert HOSTILE not in first
    assert "&lt;img src=x onerror=alert(1)&gt;" in first
    assert not re.search(r"(src|href)=\"?(https?:)?//", first)
    assert _html("--min-group", "0") == first


def test_html_report_without_graphviz_says_the_map_is_left_out(
    drift_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("credpath.publish.render.convert.has_dot", lambda: False)
    run = credpath("drift", "records.csv", "--project", "project", "-f", "html")
    assert run.exit_code == 0
    assert "The map is left out" in run.stdout
    assert 'data-role="funnels"' in run.stdout
    assert run.stderr.startswith(
        "credpath: the map is left out of the report: the Graphviz 'dot' program is needed"
    )


def test_a_long_read_shows_a_progress_bar_on_a_terminal(drift_project: Path) -> None:
    from credpath.analytics.records import ReadOptions, read_records
    from credpath.checks.context import Options
    from credpath.checks.engine import check

    catalog = check(Path("project"), Path.cwd(), Options()).catalog
    records = Path("[bold] records.csv")  # rich would take the name for markup
    records.write_text(RECORDS, encoding="utf-8")
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100)
    with database() as con, watch(con, console) as step:
        read_records(con, [records], catalog, ReadOptions(), step)
        step("Counting")
    shown = screen.getvalue()
    assert "Reading [bold] records.csv" in shown
    assert "Counting" in shown


def test_no_progress_bar_where_standard_error_is_no_terminal(drift_project: Path) -> None:
    run = credpath("drift", "records.csv", "--project", "project", "-f", "json")
    assert run.exit_code == 0
    assert run.stderr == ""
