"""credpath render: golden DOT and Mermaid, the diagram model, SVG content, escaping, determinism.

Golden files live in tests/fixtures/render/golden; after an intended change, rewrite
them with ``CREDPATH_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_render.py`` and read
the diff.
"""

from __future__ import annotations

import re
import shutil
import struct
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import FIXTURES, assert_golden, credpath
from credpath.checks.context import Options
from credpath.checks.engine import Result, check
from credpath.compiler.pathways import derive
from credpath.publish.render import (
    credential_neighbourhood,
    curated_pathway,
    derived_pathway,
    project_map,
)
from credpath.publish.render.dot import to_dot
from credpath.publish.render.mermaid import mermaid_text
from credpath.publish.render.model import Diagram, safe_url, wrap

RENDER = FIXTURES / "render"
GOLDEN = RENDER / "golden"
SMALL = RENDER / "small"
PROBLEMS = RENDER / "problems"
CURRICULA = Path(__file__).parent.parent / "curricula"
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' not installed")


def load(path: Path) -> Result:
    return check(path, Path.cwd(), Options())


def by_id(diagram: Diagram) -> dict[str, str]:
    """Node id -> kind."""
    return {n.id: n.kind for n in diagram.nodes}


def column_of(diagram: Diagram, node_id: str) -> str:
    return next(c.title for c in diagram.columns if node_id in c.nodes)


def edges(diagram: Diagram) -> set[tuple[str, str, str]]:
    return {(e.source, e.target, e.label) for e in diagram.edges}


# -- golden DOT and Mermaid ---------------------------------------------------------------

GOLDEN_CASES = {
    "small-map": (SMALL, []),
    "small-map-competencies": (SMALL, ["--show-competencies"]),
    "small-outcome-analyst": (SMALL, ["--outcome", "analyst"]),
    "small-pathway-analyst-track": (SMALL, ["--pathway", "analyst-track"]),
    "small-credential-sql-basics": (SMALL, ["--credential", "sql-basics"]),
    "problems-map": (PROBLEMS, []),
    "problems-pathway-wrong-order": (PROBLEMS, ["--pathway", "wrong-order"]),
    "problems-outcome-goal": (PROBLEMS, ["--outcome", "goal"]),
}


@pytest.mark.parametrize("fmt", ["dot", "mermaid"])
@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden(name: str, fmt: str) -> None:
    folder, args = GOLDEN_CASES[name]
    run = credpath("render", str(folder), *args, "--format", fmt)
    assert run.exit_code == 0, run.stderr
    golden = GOLDEN / f"{name}.{'dot' if fmt == 'dot' else 'mmd'}"
    assert_golden(golden, run.stdout)


# -- what each view draws -----------------------------------------------------------------


def test_map_puts_credentials_in_fixpoint_rounds_and_outcomes_last() -> None:
    diagram = project_map(load(SMALL).context.semantics)
    assert [c.title for c in diagram.columns] == ["Stage 1", "Stage 2", "Outcomes"]
    assert column_of(diagram, "credential:sql-basics") == "Stage 1"
    assert column_of(diagram, "credential:sql-advanced") == "Stage 2"
    assert column_of(diagram, "outcome:analyst") == "Outcomes"
    assert diagram.title == "Small Data Pathways"


def test_map_draws_any_and_choose_as_junctions() -> None:
    diagram = project_map(load(SMALL).context.semantics)
    junctions = sorted(n.title for n in diagram.nodes if n.kind == "junction")
    assert junctions == ["1 of 2", "2 of 3"]
    choose = next(n.id for n in diagram.nodes if n.title == "2 of 3")
    into = {e.source for e in diagram.edges if e.target == choose}
    assert into == {
        "credential:sql-basics",
        "credential:python-basics",
        "credential:stats-basics",
    }
    assert (choose, "credential:analyst-certificate", "") in edges(diagram)


def test_competency_edges_carry_labels_and_shared_ones_go_through_one_node() -> None:
    diagram = project_map(load(SMALL).context.semantics)
    # sql@2: one server, one consumer: a labelled edge
    assert ("credential:sql-advanced", "outcome:analyst", "sql@2") in edges(diagram)
    # sql@1: two servers, three consumers: one competency node instead of six edges
    assert by_id(diagram)["competency:sql@1"] == "competency"
    assert {e.source for e in diagram.edges if e.target == "competency:sql@1"} == {
        "credential:sql-basics",
        "credential:sql-placement",
    }


def test_a_server_that_presupposes_the_reference_is_left_out() -> None:
    # sql-advanced grants sql@2, which serves sql@1, but it requires sql@1 itself
    diagram = project_map(load(SMALL).context.semantics)
    assert not any(
        e.source == "credential:sql-advanced" and e.target == "competency:sql@1"
        for e in diagram.edges
    )


def test_show_competencies_draws_every_competency_as_a_node() -> None:
    diagram = project_map(load(SMALL).context.semantics, show_competencies=True)
    assert not any(e.label for e in diagram.edges)
    assert {n.id for n in diagram.nodes if n.kind == "competency"} >= {
        "competency:sql@1",
        "competency:sql@2",
        "competency:viz@1",
    }


def test_credential_nodes_show_type_workload_link_and_tooltip() -> None:
    diagram = project_map(load(SMALL).context.semantics)
    node = diagram.node("credential:sql-basics")
    assert node.details == ("micro-credential · 40 h",)
    assert node.url == "https://example.edu/sql?level=1&lang=en"
    assert "Single-table queries" in node.tooltip
    assert "Workload: 40 h, 1.5 ECTS" in node.tooltip
    assert diagram.node("credential:stats-basics").details == ("micro-credential · 2 ECTS",)
    assert diagram.node("credential:ml-intro").details == ("draft · course · 80 h",)


def test_map_shows_every_problem() -> None:
    diagram = project_map(load(PROBLEMS).context.semantics)
    problem = {n.id: n.problem for n in diagram.nodes if n.problem}
    assert problem == {
        "credential:dead": "dead end",
        "credential:needs-gap": "not earnable",
        "credential:waits": "not earnable",
        "credential:uses-old": "not earnable",
        "credential:cyc-one": "in a cycle",
        "credential:cyc-two": "in a cycle",
        "outcome:goal": "not reachable",
    }
    gap = diagram.node("gap:y@3")
    assert gap.title == "missing: y@3"
    assert any(e.source == gap.id and e.problem for e in diagram.edges)
    assert column_of(diagram, "credential:waits") == "Not reachable"
    retired = diagram.node("credential:old")  # retired, but still required
    assert retired.unusable
    assert column_of(diagram, retired.id) == "Not reachable"
    assert "requires 'needs-gap'" in diagram.node("credential:waits").tooltip
    assert "cyc-one -> cyc-two -> cyc-one" in diagram.node("credential:cyc-one").tooltip


def test_derived_pathway_follows_the_derived_stages_with_the_outcome_on_the_right() -> None:
    result = load(SMALL)
    sem = result.context.semantics
    derived = derive(sem, "analyst")
    assert derived is not None
    diagram = derived_pathway(sem, "analyst")
    stages = [tuple(n.removeprefix("credential:") for n in c.nodes) for c in diagram.columns[:-1]]
    assert stages == [tuple(s) for s in derived.stages]
    assert diagram.columns[-1].nodes == ("outcome:analyst",)
    assert diagram.columns[0].title.startswith("Stage 1 · ")
    assert f"{derived.hours:g} h" in diagram.subtitle


def test_an_unreachable_outcome_shows_what_stands_in_the_way() -> None:
    diagram = derived_pathway(load(PROBLEMS).context.semantics, "goal")
    ids = by_id(diagram)
    assert "not reachable" in diagram.subtitle
    assert {"outcome:goal", "credential:waits", "gap:y@3", "credential:cyc-one"} <= set(ids)
    assert "outcome:fine" not in ids
    assert "credential:dead" not in ids


def test_curated_pathway_boxes_alternatives_and_marks_items_out_of_order() -> None:
    diagram = curated_pathway(load(SMALL).context, "analyst-track")
    first = diagram.columns[0]
    assert [(g.label, g.nodes) for g in first.groups] == [
        ("1 of 2", ("credential:sql-basics", "credential:sql-placement"))
    ]
    assert first.title == "Stage 1 · 52\u201390 h"  # python-basics, and 2 h or 40 h of SQL
    broken = curated_pathway(load(PROBLEMS).context, "wrong-order")
    node = broken.node("credential:b")
    assert node.problem == "out of order"
    assert "only stage 2 provides" in node.tooltip
    late = next(e for e in broken.edges if e.source == "credential:a")
    assert not late.constraint  # it runs backwards, and must not bend the columns


def test_credential_view_reaches_depth_credentials_each_way() -> None:
    sem = load(SMALL).context.semantics
    near = credential_neighbourhood(sem, "sql-basics")
    ids = set(by_id(near))
    assert near.node("credential:sql-basics").focus
    assert {"credential:sql-advanced", "credential:analyst-certificate"} <= ids
    assert "outcome:analyst" not in ids  # two steps away
    assert "credential:python-basics" not in ids  # a sibling, not needed nor unlocked
    far = credential_neighbourhood(sem, "sql-basics", depth=2)
    assert "outcome:analyst" in set(by_id(far))


# -- text ---------------------------------------------------------------------------------


def test_wrap_balances_lines() -> None:
    assert wrap("Statistical Computing with R") == ["Statistical", "Computing with R"]
    assert wrap("SQL Basics") == ["SQL Basics"]


def test_only_http_urls_are_linked_and_they_cannot_break_out() -> None:
    assert safe_url("javascript:alert(1)") == ""
    assert safe_url('https://x.example/a"><script>') == "https://x.example/a%22%3E%3Cscript%3E"


def test_mermaid_text_codes_every_special_character() -> None:
    assert mermaid_text('<b> & "q" #1 `x` |') == (
        "#lt;b#gt; #amp; #quot;q#quot; #35;1 #96;x#96; #124;"
    )


# -- through Graphviz ---------------------------------------------------------------------


def svg_nodes(svg: bytes) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {g.get("id", ""): g for g in root.iter(f"{SVG}g") if g.get("class") == "node"}


@needs_dot
def test_svg_holds_every_node_link_and_tooltip() -> None:
    run = credpath("render", str(SMALL), "--format", "svg")
    assert run.exit_code == 0, run.stderr
    svg = run.stdout.encode()
    nodes = svg_nodes(svg)
    diagram = project_map(load(SMALL).context.semantics)
    assert {n.id for n in diagram.nodes} <= set(nodes)
    links = {
        g.get("id"): a.get(f"{XLINK}href")
        for g in nodes.values()
        for a in g.iter(f"{SVG}a")
        if a.get(f"{XLINK}href")
    }
    assert links == {
        "credential:sql-basics": "https://example.edu/sql?level=1&lang=en",
        "credential:python-basics": "https://example.edu/python",
    }
    anchor = next(nodes["credential:sql-basics"].iter(f"{SVG}a"))
    assert anchor.get(f"{XLINK}title", "").startswith("SQL Basics\nmicro-credential")
    text = " ".join(t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text"))
    assert "Small Data Pathways" in text
    assert "Legend" in text


HOSTILE = '<script>alert(1)</script> & "quotes"'


@pytest.fixture
def hostile(project: Callable[..., str]) -> str:
    return project(
        {
            "credpath.yaml": f"name: '{HOSTILE}'\n",
            "c.yaml": f"""\
                competencies:
                  - {{id: skill, title: Skill}}
                credentials:
                  - id: evil
                    title: '{HOSTILE}'
                    type: course
                    description: 'back\\slash \\N and a <b>tag</b> &amp; entity'
                    url: 'https://x.example/?a=1&b="2"'
                    grants: [skill]
                outcomes:
                  - {{id: job, title: '{HOSTILE}', requires: [skill]}}
                """,
        }
    )


@needs_dot
def test_hostile_text_stays_text_in_svg(hostile: str) -> None:
    run = credpath("render", hostile)
    assert run.exit_code == 0, run.stderr
    root = ET.fromstring(run.stdout.encode())
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    evil = svg_nodes(run.stdout.encode())["credential:evil"]
    label = " ".join(t.text or "" for t in evil.iter(f"{SVG}text"))
    assert HOSTILE in label
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert HOSTILE in texts  # the title, on one line
    assert root.findtext(f"{SVG}g/{SVG}title", "").startswith(HOSTILE + ": Map")
    anchor = next(evil.iter(f"{SVG}a"))
    assert anchor.get(f"{XLINK}href") == "https://x.example/?a=1&b=%222%22"
    assert "back\\slash \\N and a <b>tag</b> &amp; entity" in anchor.get(f"{XLINK}title", "")


def test_hostile_text_stays_text_in_mermaid_and_dot(hostile: str) -> None:
    mermaid = credpath("render", hostile, "-f", "mermaid").stdout
    assert "<script>" not in mermaid
    assert '"quotes"' not in mermaid
    assert "#lt;script#gt;alert(1)#lt;/script#gt; #amp; #quot;quotes#quot;" in mermaid
    assert 'href "https://x.example/?a=1&b=%222%22"' in mermaid
    dot = credpath("render", hostile, "-f", "dot").stdout
    assert "<script>" not in dot
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;" in dot


def test_hostile_text_stays_text_in_every_page_of_the_site(hostile: str, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run = credpath("site", hostile, "-o", str(out), "--no-diagrams")
    assert run.exit_code == 0, run.stderr
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quotes&#34;"
    for page in ("index.html", "outcomes/job.html", "credentials/evil.html", "credentials.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert "<script>alert" not in html, page
        assert escaped in html, page
    evil = (out / "credentials/evil.html").read_text(encoding="utf-8")
    assert "back\\slash \\N and a &lt;b&gt;tag&lt;/b&gt; &amp;amp; entity" in evil
    assert 'href="https://x.example/?a=1&amp;b=&#34;2&#34;"' in evil
    data = (out / "assets/data.js").read_text(encoding="ascii")
    assert "<" not in data  # written as \u003c: no markup anywhere near a script


BLANK = """\
competencies:
  - {id: skill, title: "\\a"}
credentials:
  - {id: blank-course, title: "\\a\\b", type: course, grants: [skill]}
outcomes:
  - {id: job, title: "\\x7f", requires: [skill]}
"""
"""Titles of control characters only: valid text, but nothing a diagram can print."""


@needs_dot
@pytest.mark.parametrize(
    "command",
    [
        ["render"],
        ["render", "--show-competencies"],
        ["render", "--outcome", "job"],
        ["render", "--credential", "blank-course"],
    ],
    ids=["map", "competencies", "outcome", "credential"],
)
def test_a_blank_title_draws_the_id_in_its_box(
    project: Callable[..., str], command: list[str]
) -> None:
    """Graphviz refuses an empty bold line: a title with nothing printable ended the
    command in an internal error; the box now names the entry by its id."""
    name = project({"credpath.yaml": 'name: "\\a"\n', "c.yaml": BLANK})
    run = credpath(command[0], name, *command[1:])
    assert run.exit_code == 0, run.stderr
    nodes = svg_nodes(run.stdout.encode())
    for node, title in [("credential:blank-course", "blank-course"), ("outcome:job", "job")]:
        texts = [t.text for t in nodes[node].iter(f"{SVG}text")]
        assert title in texts, (node, texts)
    if "--show-competencies" in command:
        texts = [t.text for t in nodes["competency:skill@1"].iter(f"{SVG}text")]
        assert "skill" in texts
    root = ET.fromstring(run.stdout.encode())
    assert root.findtext(f"{SVG}g/{SVG}title", "").startswith("credpath project: ")


@needs_dot
def test_a_blank_title_still_gets_its_site_diagram(project: Callable[..., str]) -> None:
    name = project({"c.yaml": BLANK})
    run = credpath("site", name, "-o", "site")
    assert (run.exit_code, run.stderr) == (0, "wrote the site (6 pages) to site; open index.html\n")
    page = Path("site/outcomes/job.html").read_bytes()  # the map is drawn into its page
    nodes = svg_nodes(re.search(rb"<svg.*</svg>", page, re.S)[0])  # type: ignore[index]
    assert "blank-course" in [t.text for t in nodes["credential:blank-course"].iter(f"{SVG}text")]


# -- formats, files and determinism --------------------------------------------------------


@needs_dot
@pytest.mark.parametrize(
    ("fmt", "magic"), [("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF")]
)
def test_each_format_is_byte_identical_on_a_rerun(fmt: str, magic: bytes, tmp_path: Path) -> None:
    first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    for target in (first, second):
        run = credpath("render", str(CURRICULA / "data-careers"), "-o", str(target))
        assert run.exit_code == 0, run.stderr
    data = first.read_bytes()
    assert data.startswith(magic)
    assert data == second.read_bytes()
    if fmt == "svg":  # what is drawn: every credential of the map, by its title
        titles = re.findall(
            r"title: (.+)",
            "".join(
                p.read_text(encoding="utf-8") for p in (CURRICULA / "data-careers").rglob("*.yaml")
            ),
        )
        text = data.decode("utf-8")
        assert text.count('class="node"') >= 30
        assert "SQL Foundations" in text
        assert len(titles) > 30
    elif fmt == "png":  # a real picture, wider than tall, as a left-to-right map is
        width, height = struct.unpack(">II", data[16:24])
        assert width > height > 200
    else:
        assert b"/Type /Page" in data


def test_text_formats_are_identical_on_a_rerun() -> None:
    for fmt in ("dot", "mermaid"):
        runs = {
            credpath("render", str(CURRICULA / "cybersecurity"), "-f", fmt).stdout for _ in "ab"
        }
        assert len(runs) == 1


@pytest.mark.parametrize(
    ("name", "start"), [("d.dot", "digraph"), ("d.gv", "digraph"), ("d.mmd", "---")]
)
def test_the_format_follows_the_output_suffix(name: str, start: str, tmp_path: Path) -> None:
    target = tmp_path / name
    assert credpath("render", str(SMALL), "-o", str(target)).exit_code == 0
    drawn = target.read_text(encoding="utf-8")
    assert drawn.startswith(start)
    assert "8 credentials in 2 stages" in drawn
    for title in ("SQL Basics", "SQL Placement Test", "Python Basics", "Statistics Basics"):
        assert title in drawn


@needs_dot
def test_all_writes_every_diagram(tmp_path: Path) -> None:
    out = tmp_path / "site"
    run = credpath("render", str(SMALL), "--all", "-o", str(out))
    assert run.exit_code == 0, run.stderr
    files = sorted(p.name for p in out.iterdir())
    assert files == [
        ".credpath-written",
        "map.svg",
        "outcome-analyst.svg",
        "outcome-data-scientist.svg",
        "pathway-analyst-track.svg",
    ]
    assert run.stderr == f"wrote 4 diagrams to {out}\n"
    again = tmp_path / "again"
    credpath("render", str(SMALL), "--all", "-o", str(again))
    assert all((out / f).read_bytes() == (again / f).read_bytes() for f in files)


def test_all_in_mermaid_needs_no_graphviz(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    out = tmp_path / "site"
    run = credpath("render", str(SMALL), "--all", "-o", str(out), "-f", "mermaid")
    assert run.exit_code == 0, run.stderr
    drawn = (out / "map.mmd").read_text(encoding="utf-8")
    assert drawn.startswith("---")
    assert "SQL Basics" in drawn
    assert sorted(p.name for p in out.glob("*.mmd")) == [
        "map.mmd",
        "outcome-analyst.mmd",
        "outcome-data-scientist.mmd",
        "pathway-analyst-track.mmd",
    ]


# -- usage errors -------------------------------------------------------------------------


def test_without_graphviz_one_line_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    run = credpath("render", str(SMALL), "-o", str(tmp_path / "map.png"))
    assert run.exit_code == 2
    assert len(run.stderr.splitlines()) == 1
    assert "install Graphviz" in run.stderr
    assert "--format dot" in run.stderr
    assert not (tmp_path / "map.png").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--outcome", "analist"], "unknown outcome 'analist' (did you mean 'analyst'?)"),
        (["--outcome", "zzz"], "the outcomes are: analyst, data-scientist"),
        (["--pathway", "analyst"], "(did you mean 'analyst-track'?)"),
        (["--credential", "sql-basic"], "(did you mean 'sql-basics'?)"),
        (["--all", "-o", "x.svg"], "x.svg: --all writes a folder, and this is a diagram's"),
        (["--depth", "2"], "--depth goes with --credential"),
        (["--outcome", "analyst", "--pathway", "analyst-track"], "choose one view"),
        (["--all"], "give it with -o DIR"),
        (["-o", "map.jpg"], "cannot tell the format from '.jpg'"),
    ],
)
def test_usage_errors_exit_2_with_one_clear_line(args: list[str], message: str) -> None:
    run = credpath("render", str(SMALL), *args)
    assert run.exit_code == 2
    assert message in run.stderr


def test_a_broken_project_still_renders_and_says_so() -> None:
    run = credpath("render", str(PROBLEMS), "-f", "dot")
    assert run.exit_code == 0
    assert "5 not reachable" in run.stdout
    assert "⚠ dead end" in run.stdout
    assert "label=<<B>missing:" in run.stdout or "missing: " in run.stdout
    assert "errors" in run.stderr
    assert "credpath validate" in run.stderr
    run = credpath("render", str(PROBLEMS), "--outcome", "goal", "-f", "dot")
    assert "'goal' is not reachable" in run.stderr


def test_a_map_has_header_columns_and_a_pathway_has_stage_boxes() -> None:
    # dot routes an edge around every box it crosses; a map has many edges skipping stages
    result = load(SMALL)
    map_dot = to_dot(project_map(result.context.semantics))
    assert map_dot.startswith('digraph "Small Data Pathways: Map: 8 credentials in 2 stages')
    assert '"column:stage-1" [label=<<B>Stage 1</B>>' in map_dot
    assert "cluster_stage" not in map_dot
    path_dot = to_dot(curated_pathway(result.context, "analyst-track"))
    assert 'subgraph "cluster_stage-1"' in path_dot
    assert 'subgraph "cluster_group-1-1"' in path_dot


def test_a_large_map_places_edge_labels_after_layout_and_keeps_them_as_tooltips(
    tmp_path: Path,
) -> None:
    """Past 200 nodes a label that takes part in the layout makes dot minutes slower."""
    n = 210
    competencies = "".join(f"  - {{id: k{i}, title: K{i}}}\n" for i in range(n))
    credentials = "".join(
        f"  - {{id: c{i}, title: C{i}, type: course, "
        f"{f'requires: [k{i - 1}], ' if i else ''}grants: [k{i}]}}\n"
        for i in range(n)
    )
    (tmp_path / "big.yaml").write_text(
        f"competencies:\n{competencies}credentials:\n{credentials}"
        f"outcomes:\n  - {{id: job, title: Job, requires: [k{n - 1}]}}\n",
        encoding="utf-8",
    )
    drawn = credpath("render", str(tmp_path), "-f", "dot").stdout
    assert "nslimit=2, mclimit=0.5" in drawn
    assert '"credential:c0" -> "credential:c1" [xlabel=<k0@1>, tooltip="k0@1"];' in drawn
    assert " label=<k" not in drawn
    small = credpath("render", str(SMALL), "-f", "dot").stdout
    assert "xlabel" not in small
    assert "nslimit" not in small
