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
        assert run.stderr == f"wrote the site (624 pages) to {tmp_path / name}; open index.html\n"


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


def unlock_groups(page: Path) -> list[tuple[list[str], int, list[str]]]:
    """The "What it unlocks" section of a credential page: (the outcomes its group leads
    to, none for "no job outcome"; how many; the titles listed) per group, in the page's
    order."""
    html = page.read_text(encoding="utf-8")
    section = html[html.index('id="unlocks-heading"') : html.index('id="leads"')]
    groups = re.findall(
        r'<h3 class="toward">Toward (.*?) <span class="meta">([\d,]+)</span></h3>\s*<ul>(.*?)</ul>',
        section,
        re.S,
    )
    return [
        (
            re.findall(r"<a [^>]*>([^<]+)</a>", toward),
            int(count.replace(",", "")),
            re.findall(r"<li><a [^>]*>([^<]+)</a>", body),
        )
        for toward, count, body in groups
    ]


def test_outcomes_whose_unlocked_credentials_are_the_same_share_one_group(
    tmp_path: Path,
) -> None:
    """Two outcomes reached through the same credentials it unlocks are one group of "What
    it unlocks", headed by both ("Toward X and Y"), listed once; its button lists the
    group by the first outcome."""
    catalog = tmp_path / "shared"
    catalog.mkdir()
    lines = ["credentials:", "  - {id: root, title: Root, grants: [base]}"]
    lines += [f"  - {{id: a{k}, title: A{k}, requires: [root], grants: [sa]}}" for k in range(6)]
    lines += ["  - {id: c, title: C, requires: [root], grants: [sc]}"]
    lines += ["competencies:", "  - {id: base, title: Base}"]
    lines += ["  - {id: sa, title: SA}", "  - {id: sc, title: SC}", "outcomes:"]
    lines += ["  - {id: x, title: X & Co, requires: [sa]}", "  - {id: y, title: Y, requires: [sa]}"]
    lines += ["  - {id: z, title: Z, requires: [sc]}"]
    (catalog / "catalog.yaml").write_text("\n".join(lines) + "\n")
    site = tmp_path / "site"
    run = credpath("site", str(catalog), "-o", str(site), "--no-diagrams")
    assert run.exit_code == 0, run.stderr
    page = site / "credentials" / "root.html"
    assert unlock_groups(page) == [
        (["X &amp; Co", "Y"], 6, ["A0", "A1", "A2", "A3", "A4"]),
        (["Z"], 1, ["C"]),
    ]
    html = page.read_text(encoding="utf-8")
    assert (
        '<h3 class="toward">Toward <a href="../outcomes/x.html">X &amp; Co</a> and '
        '<a href="../outcomes/y.html">Y</a> <span class="meta">6</span></h3>'
    ) in html
    assert (
        'data-more="unlocks-toward" data-of="root x" aria-expanded="false">'
        "and 1 more: list all 6</button>"
    ) in html
    assert 'data-of="root y"' not in html
    assert 'data-more="unlocks" data-of="root" aria-expanded="false">and 1 more: list all 7' in html


def test_where_it_sits_names_five_per_step_and_links_the_rest(tmp_path: Path) -> None:
    """The figure names five per step; "What it unlocks" groups what it opens by the
    outcome each leads to (the outcomes most lead to first), five per group, the nearest
    first (those naming it before those asking for a level it grants), each group then a
    button that lists it whole in the browser, and a last button that lists all."""
    from credpath.checks.context import Options
    from credpath.checks.engine import check
    from credpath.publish.site import unlocks_in_order

    catalog = tmp_path / "layers"
    layered_catalog(catalog, layers=3, per_layer=200)
    site = tmp_path / "site"
    assert credpath("site", str(catalog), "-o", str(site), "--no-diagrams").exit_code == 0
    sem = check(catalog, catalog, Options(no_drafts=False)).context.semantics
    opened = [c for c, _ in unlocks_in_order(sem, "c0-0")]
    title = {c: sem.catalog.credentials[c].model.title for c in opened}
    page = site / "credentials" / "c0-0.html"
    groups = unlock_groups(page)
    assert len(groups) == 4
    counts = [count for _, count, _ in groups]
    assert counts == sorted(counts, reverse=True)
    shown: set[str] = set()
    for outcomes, count, listed in groups:
        for outcome in outcomes:
            role = next(
                o for o in sem.catalog.outcomes if sem.catalog.outcomes[o].model.title == outcome
            )
            members = [c for c in opened if role in sem.outcomes_of.get(c, ())]
            assert count == len(members)
            assert listed == [title[c] for c in members[:5]]
        shown.update(members[:5])
    toward = section_links(page, "leads")
    assert len(toward) == 20
    steps = figure_steps(page)
    assert steps["after"] == [*[title[c] for c in opened[:5]], "and 76 more"]
    assert steps["toward"] == [*toward[:5], "and 15 more"]
    html = page.read_text(encoding="utf-8")
    assert '<a href="#unlocks-heading">and 76 more</a>' in html
    assert '<a href="#leads">and 15 more</a>' in html
    assert (
        '<li class="more"><button type="button" class="more" data-more="unlocks" '
        f'data-of="c0-0" aria-expanded="false">and {81 - len(shown)} more: list all 81</button>'
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
    assert run.stderr == f"wrote the site (258 pages) to {site}; open index.html\n"
    assert unlock_groups(site / "credentials" / "root.html") == [
        (["Job"], 1, ["C0"]),
        ([], 249, ["C1", "C2", "C3", "C4", "C5"]),
    ]
    root = (site / "credentials" / "root.html").read_text(encoding="utf-8")
    assert 'data-more="unlocks-toward" data-of="root"' in root  # those leading to no outcome
    assert "and 244 more: list all 249" in root
    assert "and 244 more: list all 250" in root  # the last button: all it unlocks
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


# -- credpath site --drift REPORT.json ----------------------------------------------------

DRIFT_CATALOG = """
credentials:
  - {id: a, title: Alpha, grants: [k]}
  - {id: b, title: '<b>Beta</b>', requires: [a]}
  - {id: c, title: Gamma, requires: [a]}
  - {id: d, title: Delta, requires: [a]}
  - {id: e, title: Epsilon}
competencies:
  - {id: k, title: K}
outcomes:
  - {id: job, title: Job, requires: [b]}
"""


def drift_row(
    credential: str, continued: int | None, went: list[tuple[str, int]], **counts: int | None
) -> dict[str, object]:
    """A credential's row as ``credpath drift --format json`` writes it."""
    cells = {"earnings": None, "continued": continued, "drifted": None, "censored": None}
    cells.update(counts)
    return {
        "id": credential,
        "title": credential,
        **cells,
        "suppressed": [name for name, value in cells.items() if value is None],
        "continuation": None,
        "median_days": None,
        "went_next": [{"id": i, "learners": n, "offered": True} for i, n in went],
        "structure": [],
    }


def drift_site(tmp_path: Path, report: object) -> tuple[object, Path]:
    import json

    project = tmp_path / "project"
    if not project.exists():
        project.mkdir()
        (project / "catalog.yaml").write_text(DRIFT_CATALOG)
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report) if not isinstance(report, str) else report)
    site = tmp_path / "site"
    run = credpath("site", str(project), "-o", str(site), "--no-diagrams", "--drift", str(path))
    return run, site


def went_line(site: Path, credential: str) -> str | None:
    html = (site / "credentials" / f"{credential}.html").read_text(encoding="utf-8")
    found = re.search(r'<p class="went" data-role="went-next">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)) if found else None


def test_drift_shows_where_most_learners_went_next_from_shown_counts_only(tmp_path: Path) -> None:
    """Percentages of those who went on; a destination below the report's min_group is
    never named (even when a report lists it), nor a row whose ``continued`` is
    suppressed; ids the catalog does not know are left out; titles escaped."""
    report = {
        "min_group": 10,
        "credentials": [
            drift_row("a", 200, [("b", 120), ("c", 50), ("d", 12), ("zzz", 15), ("e", 9)]),
            drift_row("b", None, [("c", 40)], earnings=300),  # continued suppressed
            drift_row("c", 8, [("d", 8)]),  # a small cell a hand-edited report shows
            drift_row("nowhere", 50, [("a", 50)]),
        ],
    }
    run, site = drift_site(tmp_path, report)
    assert run.exit_code == 0, run.stderr
    assert went_line(site, "a") == (
        "Most learners who finished this went on to: &lt;b&gt;Beta&lt;/b&gt; (60%), "
        "Gamma (25%), Delta (6%). Of the 200 who went on to another credential, from this "
        "institution's records (credpath drift)."
    )
    assert went_line(site, "b") is None
    assert went_line(site, "c") is None
    assert went_line(site, "e") is None
    off = tmp_path / "without"
    assert (
        credpath("site", str(tmp_path / "project"), "-o", str(off), "--no-diagrams").exit_code == 0
    )
    assert "went-next" not in (off / "credentials" / "a.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("report", "says"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "the document is not a JSON object"),
        ({"credentials": []}, "min_group is missing"),
        ({"min_group": 10, "credentials": [{"id": "a"}]}, "credentials[0].suppressed"),
        (
            {"min_group": 10, "credentials": [drift_row("a", 20, [("b", 30)])]},
            "credentials[0].went_next[0].learners is more than",
        ),
        (
            {"min_group": 10, "credentials": [drift_row("a", 20, [("b", -1)])]},
            "credentials[0].went_next[0].learners is not a count",
        ),
        ("[" * 5000 + "]" * 5000, "nested deeper"),
    ],
)
def test_a_malformed_drift_report_exits_2_naming_the_file(
    tmp_path: Path, report: object, says: str
) -> None:
    run, site = drift_site(tmp_path, report)
    assert run.exit_code == 2
    assert run.stderr.startswith(f"credpath: {tmp_path / 'report.json'}: not a drift report")
    assert says in run.stderr
    assert "Traceback" not in run.stderr
    assert not site.exists()


def test_the_your_pathway_page_is_linked_from_every_page(tmp_path: Path) -> None:
    site = tmp_path / "site"
    run = credpath(
        "site", str(ROOT / "curricula" / "data-careers"), "-o", str(site), "--no-diagrams"
    )
    assert run.exit_code == 0, run.stderr
    page = (site / "your-pathway.html").read_text(encoding="utf-8")
    assert "<title>Your pathway · " in page
    assert 'data-role="pathway"' in page
    for other in ("index.html", "credentials/sql-foundations.html", "outcomes/bi-developer.html"):
        html = (site / other).read_text(encoding="utf-8")
        assert re.search(r'<a href="(\.\./)?your-pathway\.html">Your pathway</a>', html), other


@pytest.mark.slow  # thousands of simulated learners
def test_a_report_credpath_drift_wrote_is_shown_as_it_says(tmp_path: Path) -> None:
    """End to end: simulated records, ``credpath drift --format json``, then ``site
    --drift``: each credential page names the report's three most taken known next
    credentials with their share of those who went on, and only where ``continued`` is
    shown."""
    import json

    project = ROOT / "curricula" / "data-careers"
    records, report = tmp_path / "records.csv", tmp_path / "report.json"
    simulate = ["simulate", str(project), "--learners", "3000", "--seed", "2", "-o", str(records)]
    assert credpath(*simulate).exit_code == 0
    drift = ["drift", str(records), "--project", str(project), "--format", "json", "-o"]
    assert credpath(*drift, str(report)).exit_code == 0
    site = tmp_path / "site"
    run = credpath("site", str(project), "-o", str(site), "--no-diagrams", "--drift", str(report))
    assert run.exit_code == 0, run.stderr
    rows = json.loads(report.read_text(encoding="utf-8"))["credentials"]
    titles = {  # as each page writes it (escaped)
        page.stem: page.read_text(encoding="utf-8").split("<h1>", 1)[1].split("</h1>", 1)[0]
        for page in (site / "credentials").glob("*.html")
    }
    shown = 0
    for row in rows:
        line = went_line(site, row["id"])
        if row["continued"] is None or not row["went_next"]:
            assert line is None, row["id"]
            continue
        top = sorted(row["went_next"], key=lambda w: (-w["learners"], w["id"]))[:3]
        parts = [
            f"{titles[w['id']]} ({round(100 * w['learners'] / row['continued'])}%)" for w in top
        ]
        assert line == (
            f"Most learners who finished this went on to: {', '.join(parts)}. Of the "
            f"{row['continued']:,} who went on to another credential, from this institution's "
            "records (credpath drift)."
        ), row["id"]
        shown += 1
    assert shown > 10
