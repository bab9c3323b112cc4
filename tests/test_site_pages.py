"""What the site's static pages say, against what the CLI says of the same catalog.

The catalog page (``credentials.html``) opens on an overview: the credentials per stage,
each stage a section listing them. Its stages are the map's (``credpath render``): the
same credentials in the same stage, whatever the catalog's size.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import credpath

ROOT = Path(__file__).parents[1]


def map_stages(folder: Path) -> dict[str, set[str]]:
    """Stage title -> credential ids, read from the Mermaid map's stage subgraphs."""
    run = credpath("render", str(folder), "--format", "mermaid")
    assert run.exit_code == 0, run.stderr
    stages: dict[str, set[str]] = {}
    current = None
    for line in run.stdout.splitlines():
        opened = re.match(r'  subgraph s_stage_\d+\["(Stage \d+)"\]', line)
        if opened:
            current = stages.setdefault(opened.group(1), set())
        elif line == "  end":
            current = None
        elif current is not None:
            node = re.match(r"    c_(\w+)[(\[]", line)
            if node:
                current.add(node.group(1))
    return stages


def page_stages(site: Path) -> tuple[list[tuple[str, str]], dict[str, set[str]]]:
    """(overview rows, stage title -> credential ids) of the catalog page; ids written as
    the map writes them (``-`` as ``_``)."""
    html = (site / "credentials.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr><td><a href="#[\w-]+">([^<]+)</a></td><td>([\d,]+)</td></tr>', html)
    sections = re.findall(r'<h2 id="stage-\d+">(Stage \d+) .*?</section>', html, re.S)
    bodies = re.findall(r'<h2 id="stage-\d+">Stage \d+ .*?</section>', html, re.S)
    stages = {
        title: {
            href.replace("-", "_").replace(".", "_")
            for href in re.findall(r'href="credentials/([^"]+)\.html"', body)
        }
        for title, body in zip(sections, bodies, strict=True)
    }
    return rows, stages


@pytest.mark.parametrize("folder", ["data-careers", "cybersecurity"])
def test_the_catalog_page_opens_on_the_maps_stages(folder: str, tmp_path: Path) -> None:
    site = tmp_path / "site"
    run = credpath("site", str(ROOT / "curricula" / folder), "-o", str(site), "--no-diagrams")
    assert run.exit_code == 0, run.stderr
    rows, stages = page_stages(site)
    expected = map_stages(ROOT / "curricula" / folder)
    assert len(expected) >= 4
    assert stages == expected
    staged = [(title, str(len(ids))) for title, ids in sorted(expected.items())]
    assert rows[: len(staged)] == staged


def test_credentials_no_learner_can_earn_and_retired_ones_come_last(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "c.yaml").write_text(
        """\
competencies:
  - {id: k, title: K}
credentials:
  - {id: a, title: A, type: course, grants: [k]}
  - {id: b, title: B, type: course, requires: [a]}
  - {id: old, title: Old, type: course, status: retired}
  - {id: never, title: Never, type: course, requires: [old]}
outcomes:
  - {id: job, title: Job, requires: [b]}
""",
        encoding="utf-8",
    )
    run = credpath("site", str(project), "-o", str(tmp_path / "site"), "--no-diagrams")
    assert run.exit_code == 0, run.stderr
    rows, _ = page_stages(tmp_path / "site")
    assert rows == [
        ("Stage 1", "1"),
        ("Stage 2", "1"),
        ("No learner can earn these yet", "1"),
        ("Retired or not offered", "1"),
    ]
