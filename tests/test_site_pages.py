"""What the site's static pages say, against what the CLI says of the same catalog.

The catalog page (``credentials.html``) opens on an overview: the credentials per stage,
each stage a section listing them. Its stages are the map's (``credpath render``): the
same credentials in the same stage, whatever the catalog's size.
"""

from __future__ import annotations

import re
import time
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


def layered_catalog(folder: Path, layers: int, per_layer: int) -> None:
    """Credentials in layers, each (past the first) requiring one of two below it and a
    competency level; an outcome per ten credentials of the last layer."""
    lines = ["credentials:"]
    for layer in range(layers):
        for slot in range(per_layer):
            lines += [f"  - id: c{layer}-{slot}", f"    title: Credential {slot} of layer {layer}"]
            lines.append(f"    grants: [s{slot % 7}@{1 + layer % 3}]")
            if layer:
                below, other = f"c{layer - 1}-{slot}", f"c{layer - 1}-{(slot + 1) % per_layer}"
                lines.append(f"    requires: [{{any: [{below}, {other}]}}, s{slot % 5}@1]")
    lines.append("competencies:")
    for skill in range(7):
        lines += [f"  - id: s{skill}", f"    title: Skill {skill}"]
    lines.append("outcomes:")
    last = layers - 1
    for role in range(per_layer // 10):
        members = ", ".join(f"c{last}-{i}" for i in range(role * 10, role * 10 + 10))
        lines += [f"  - id: role-{role}", f"    title: Role {role}"]
        lines.append(f"    requires: [{{any: [{members}]}}]")
    folder.mkdir()
    (folder / "credpath.yaml").write_text("name: Layers\nlevels: [Basic, Middle, Top]\n")
    (folder / "catalog.yaml").write_text("\n".join(lines) + "\n")


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_a_site_drawn_by_forked_workers_is_the_site_drawn_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from credpath.base import forked
    from credpath.publish import site

    catalog = tmp_path / "layers"
    layered_catalog(catalog, layers=3, per_layer=200)
    chunks: list[int] = []
    drawn_by_workers = forked.forked_map

    def counting(function, items):  # type: ignore[no-untyped-def]
        chunks.append(len(items))
        return drawn_by_workers(function, items)

    monkeypatch.setattr(forked, "forked_map", counting)
    shared = credpath("site", str(catalog), "-o", str(tmp_path / "shared"), "--no-diagrams")
    assert shared.exit_code == 0, shared.stderr
    assert chunks == [3 + -(-600 // site.CHUNK)]  # the lists, data, 20 outcomes, 600 credentials
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    alone = credpath("site", str(catalog), "-o", str(tmp_path / "alone"), "--no-diagrams")
    assert alone.exit_code == 0, alone.stderr
    shared_files = site_files(tmp_path / "shared")
    assert len([n for n in shared_files if n.startswith("credentials/")]) == 600
    assert shared_files == site_files(tmp_path / "alone")
    for run, name in ((shared, "shared"), (alone, "alone")):
        assert run.stderr == f"wrote the site (623 pages) to {tmp_path / name}; open index.html\n"


def test_pages_written_by_forked_workers_are_known_as_credpaths_own(tmp_path: Path) -> None:
    """The workers write the pages into the staging folder and send back their digests:
    the ledger must know every file, so that the next build replaces them without
    --force; and a refused build leaves neither the workers' files nor their folder."""
    import hashlib
    import json

    catalog = tmp_path / "layers"
    layered_catalog(catalog, layers=3, per_layer=200)
    site = tmp_path / "site"
    assert credpath("site", str(catalog), "-o", str(site), "--no-diagrams").exit_code == 0
    ledger = json.loads((site / ".credpath-written").read_text())["files"]
    files = site_files(site)
    del files[".credpath-written"]
    assert ledger == {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    again = credpath("site", str(catalog), "-o", str(site), "--no-diagrams")
    assert again.exit_code == 0, again.stderr

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "credentials").mkdir()
    (mine / "credentials" / "c0-0.html").write_text("my page\n")
    refused = credpath("site", str(catalog), "-o", str(mine), "--no-diagrams")
    assert refused.exit_code == 2
    assert refused.stderr.startswith(f"credpath: {mine}/credentials/c0-0.html: exists and was")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["layers", "mine", "site"]
    assert site_files(mine) == {"credentials/c0-0.html": b"my page\n"}


def test_a_worker_that_fails_leaves_no_staging_folder_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One worker fails while the other is still writing pages into the staging folder:
    the command stops with an internal error, and once it has, no file and no folder of
    the build is left (the folder goes only after the other worker has stopped)."""
    from credpath.publish import site

    catalog = tmp_path / "layers"
    layered_catalog(catalog, layers=4, per_layer=300)
    drawn = site.Pages.credential

    def failing(pages: site.Pages, credential_id: str) -> tuple[str, bytes]:
        if credential_id == "c0-0":  # in the first chunk
            raise RuntimeError("a page that cannot be drawn")
        time.sleep(0.002)  # the other worker is still writing when the failure comes back
        return drawn(pages, credential_id)

    monkeypatch.setattr(site.Pages, "credential", failing)
    run = credpath("site", str(catalog), "-o", str(tmp_path / "site"), "--no-diagrams")
    assert run.exit_code == 3
    assert "internal error: RuntimeError: a page that cannot be drawn" in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["layers"]


def test_a_failed_write_here_leaves_nothing_of_the_workers_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This process cannot write the assets (a full disk) while the workers write pages:
    it stops the workers before it removes the staging folder, so no page they write
    afterwards brings the folder back."""
    import errno
    import os

    catalog = tmp_path / "layers"
    layered_catalog(catalog, layers=4, per_layer=300)
    here = os.getpid()
    write_bytes = Path.write_bytes

    def full_disk_here(path: Path, data: bytes) -> int:
        if os.getpid() == here and path.name == "site.css":
            raise OSError(errno.ENOSPC, "No space left on device")
        if os.getpid() != here:
            time.sleep(0.001)  # the workers are still writing when this process stops
        return write_bytes(path, data)

    monkeypatch.setattr(Path, "write_bytes", full_disk_here)
    run = credpath("site", str(catalog), "-o", str(tmp_path / "site"), "--no-diagrams")
    assert run.exit_code == 2
    assert run.stderr == f"credpath: {tmp_path / 'site'}: cannot write: No space left on device\n"
    time.sleep(0.5)  # a worker still running would write its next page by now
    assert sorted(p.name for p in tmp_path.iterdir()) == ["layers"]


def figure_steps(page: Path) -> dict[str, list[str]]:
    """The "where it sits" figure of a credential page: step -> the texts it lists (a
    linked title, with its note when it has one)."""
    html = page.read_text(encoding="utf-8")
    figure = re.search(r'<figure class="around".*?</figure>', html, re.S)
    assert figure is not None
    steps = {}
    for step, body in re.findall(r'data-step="(\w+)">(.*?)</div>', figure.group(0), re.S):
        texts = re.findall(r"<li[^>]*><a [^>]*>([^<]+)</a>(?: <span class=\"meta\">([^<]+))?", body)
        listed = [f"{title} ({note})" if note else title for title, note in texts]
        steps[step] = listed or re.findall(r"<p>([^<]+)</p>", body)
    return steps


def section_links(page: Path, heading: str) -> list[str]:
    """The linked titles of a list on a credential page, after ``heading``'s element."""
    html = page.read_text(encoding="utf-8")
    start = html.index(f'id="{heading}"')
    body = html[start : html.index("</ul>", start)]
    return re.findall(r"<li><a [^>]*>([^<]+)</a>", body)


SMALL = """
credentials:
  - {id: intro, title: Intro, grants: [basics]}
  - {id: sql, title: SQL, requires: [intro], grants: [query]}
  - {id: py, title: Python, requires: [basics], grants: [code]}
  - {id: pipe, title: Pipelines, requires: [{any: [sql, py]}, query], grants: [pipes]}
competencies:
  - {id: basics, title: Basics}
  - {id: query, title: Querying}
  - {id: code, title: Coding}
  - {id: pipes, title: Pipelines}
outcomes:
  - {id: eng, title: Data engineer, requires: [pipes]}
"""


def test_each_credential_page_draws_where_it_sits(tmp_path: Path) -> None:
    (tmp_path / "small").mkdir()
    (tmp_path / "small" / "catalog.yaml").write_text(SMALL)
    site = tmp_path / "site"
    assert (
        credpath("site", str(tmp_path / "small"), "-o", str(site), "--no-diagrams").exit_code == 0
    )
    pages = site / "credentials"
    assert figure_steps(pages / "intro.html") == {
        "before": ["Nothing: anyone can start it"],
        "this": ["Intro"],
        "after": ["SQL", "Python"],  # what names it before what asks for a level it grants
        "toward": ["Data engineer"],
    }
    assert figure_steps(pages / "pipe.html") == {
        "before": ["SQL", "Python", "Querying"],
        "this": ["Pipelines"],
        "after": ["No other credential"],
        "toward": ["Data engineer"],
    }


def test_where_it_sits_names_five_per_step_and_links_the_rest(tmp_path: Path) -> None:
    """The figure names five per step; the page's lists name the first twenty, nearest and
    most relevant first, then a button that lists them all in the browser."""
    catalog = tmp_path / "layers"
    layered_catalog(catalog, layers=3, per_layer=200)
    site = tmp_path / "site"
    assert credpath("site", str(catalog), "-o", str(site), "--no-diagrams").exit_code == 0
    page = site / "credentials" / "c0-0.html"
    opens = section_links(page, "unlocks-heading")
    toward = section_links(page, "leads")
    assert (len(opens), len(toward)) == (20, 20)
    named = [f"Credential {slot} of layer 1" for slot in (0, 199)]  # they name it: first
    assert opens[:2] == named
    steps = figure_steps(page)
    assert steps["after"] == [*opens[:5], "and 76 more"]
    assert steps["toward"] == [*toward[:5], "and 15 more"]
    html = page.read_text(encoding="utf-8")
    assert '<a href="#unlocks-heading">and 76 more</a>' in html
    assert '<a href="#leads">and 15 more</a>' in html
    assert (
        '<li class="more"><button type="button" class="more" data-more="unlocks" '
        'data-of="c0-0" aria-expanded="false">and 61 more: list all 81</button></li>'
    ) in html
    assert 'data-more="leads"' not in html  # twenty outcomes: all on the page


def test_long_lists_stay_within_the_page_budget(tmp_path: Path) -> None:
    """A credential that opens hundreds, a stage of hundreds, a competency granted by
    hundreds, hundreds of competencies: each page lists a bounded number, the rest is
    a button (or, for the competencies, the next page)."""
    catalog = tmp_path / "wide"
    lines = ["credentials:", "  - {id: root, title: Root, grants: [base]}"]
    lines += [
        f"  - {{id: c{k:03d}, title: C{k}, requires: [root], grants: [s{k:03d}, base]}}"
        for k in range(250)
    ]
    lines += ["competencies:", "  - {id: base, title: Base}"]
    lines += [f"  - {{id: s{k:03d}, title: S{k}}}" for k in range(250)]
    lines += ["outcomes:", "  - {id: job, title: Job, requires: [s000]}"]
    catalog.mkdir()
    (catalog / "catalog.yaml").write_text("\n".join(lines) + "\n")
    site = tmp_path / "site"
    run = credpath("site", str(catalog), "-o", str(site), "--no-diagrams")
    assert run.exit_code == 0, run.stderr
    assert run.stderr == f"wrote the site (257 pages) to {site}; open index.html\n"
    assert len(section_links(site / "credentials" / "root.html", "unlocks-heading")) == 20
    root = (site / "credentials" / "root.html").read_text(encoding="utf-8")
    assert "and 230 more: list all 250" in root
    listed = (site / "credentials.html").read_text(encoding="utf-8")
    assert 'data-more="stage" data-of="stage-2" aria-expanded="false">and 50 more' in listed
    pages = sorted(p.name for p in site.glob("competencies*.html"))
    assert pages == ["competencies-2.html", "competencies-3.html", "competencies.html"]
    first = (site / "competencies.html").read_text(encoding="utf-8")
    assert 'id="base"' in first
    assert 'data-more="granters" data-of="base" aria-expanded="false">and 246 more' in first
    assert 'id="s098"' in first
    assert 'id="s099"' not in first
    assert 'id="s099"' in (site / "competencies-2.html").read_text(encoding="utf-8")
    c150 = (site / "credentials" / "c150.html").read_text(encoding="utf-8")
    assert '<a href="../competencies-2.html#s150">S150</a>' in c150


LADDER = """
credentials:
  - {id: basics, title: SQL basics, grants: [sql@1]}
  - {id: inter, title: Intermediate SQL, requires: [sql@1], grants: [sql@2]}
  - {id: adv, title: Advanced SQL, requires: [inter], grants: [sql@3]}
  - {id: report, title: Reporting, requires: [sql@2]}
competencies:
  - {id: sql, title: SQL}
"""


def test_a_credential_opens_nothing_among_its_own_prerequisites(tmp_path: Path) -> None:
    """Advanced SQL grants the level Intermediate SQL asks for, but requires it: a learner
    who holds Advanced SQL holds Intermediate SQL already, so it does not open it."""
    (tmp_path / "ladder").mkdir()
    (tmp_path / "ladder" / "credpath.yaml").write_text("levels: [Basic, Middle, Top]\n")
    (tmp_path / "ladder" / "catalog.yaml").write_text(LADDER)
    site = tmp_path / "site"
    assert (
        credpath("site", str(tmp_path / "ladder"), "-o", str(site), "--no-diagrams").exit_code == 0
    )
    pages = site / "credentials"
    assert section_links(pages / "adv.html", "unlocks-heading") == ["Reporting"]
    assert figure_steps(pages / "adv.html")["after"] == ["Reporting"]
    assert section_links(pages / "inter.html", "unlocks-heading") == ["Advanced SQL", "Reporting"]
    assert section_links(pages / "basics.html", "unlocks-heading") == ["Intermediate SQL"]
