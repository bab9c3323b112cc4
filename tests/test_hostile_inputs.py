"""Input from someone else: JSON that would crash the reader, and data that would write
workflow commands or terminal escapes into a CI log (issue 32, items 3 and 4).

Every file a command reads may come from a pull request: a CTDL graph, a Curricular
Analytics CSV, an ESCO download, the names of the files pre-commit passes. Each case is
the exact line a user sees; the text of the data shows escaped (``\\n``, ``\\x1b``), a
``::`` opening a line as ``\\x3a:``, and nothing reaches a terminal or a runner raw.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import credpath, write_files

Project = Callable[..., str]

ATTACK = "\n::error title=owned::pwned\x1b[2J"
"""A line break, a GitHub workflow command, and a terminal's clear-screen."""
SHOWN = "\\n::error title=owned::pwned\\x1b[2J"
"""How ``ATTACK`` shows once escaped: on the same line, inert."""


# -- JSON: import ctdl ------------------------------------------------------------------------


def _graph(job_condition: dict[str, Any]) -> dict[str, Any]:
    """Two credentials and a pathway whose job component has ``job_condition``."""
    return {
        "@graph": [
            {"@id": "urn:c1", "@type": "ceterms:Certificate", "ceterms:name": "Intro"},
            {"@id": "urn:c2", "@type": "ceterms:Certificate", "ceterms:name": "Safety"},
            {"@id": "urn:sql", "@type": "ceasn:Competency", "ceasn:codedNotation": "sql",
             "ceasn:competencyText": "SQL"},
            {"@id": "urn:p", "@type": "ceterms:Pathway", "ceterms:name": "Welder",
             "ceterms:hasDestinationComponent": ["urn:job"],
             "ceterms:hasPart": ["urn:job", "urn:k1", "urn:k2"]},
            {"@id": "urn:job", "@type": "ceterms:JobComponent",
             "ceterms:hasCondition": [job_condition]},
            {"@id": "urn:k1", "@type": "ceterms:CredentialComponent", "ceterms:proxyFor": "urn:c1"},
            {"@id": "urn:k2", "@type": "ceterms:CredentialComponent", "ceterms:proxyFor": "urn:c2"},
        ]
    }  # fmt: skip


EITHER = {"ceterms:requiredNumber": 1, "ceterms:targetComponent": ["urn:k1", "urn:k2"]}


def _import_ctdl(tmp_path: Path, data: bytes) -> tuple[Any, Path]:
    source = tmp_path / "graph.json"
    source.write_bytes(data)
    return credpath("import", "ctdl", str(source), "-o", str(tmp_path / "p")), source


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"[" * 200_000 + b"]" * 200_000, "nested deeper than 100 levels)"),
        (
            json.dumps(_graph(EITHER)).replace(": 1,", ": NaN,"),
            "NaN is not a JSON number)",
        ),
        (
            json.dumps(_graph(EITHER)).replace(": 1,", ": 1e400,"),
            "the number 1e400 is too large)",
        ),
        (
            json.dumps(_graph(EITHER)).replace(": 1,", f": {'9' * 5000},"),
            "not JSON credpath reads: Exceeds the limit (4300 digits)",
        ),
        (b'{"@graph": ["\xff"]}', "not UTF-8 text (byte 13))"),
    ],
    ids=["deep", "nan", "huge-float", "huge-integer", "not-utf-8"],
)
def test_import_ctdl_refuses_json_it_cannot_read_in_one_line(
    tmp_path: Path, data: str | bytes, why: str
) -> None:
    """Was RecursionError or ValueError (exit 3), or NaN and infinity read as numbers."""
    run, source = _import_ctdl(tmp_path, data if isinstance(data, bytes) else data.encode())
    assert (run.exit_code, run.stdout) == (2, "")
    (line,) = run.stderr.splitlines()
    assert line.startswith(f"credpath: {source}: cannot read it as JSON-LD ({why}")
    assert not (tmp_path / "p").exists()


def test_import_ctdl_reads_a_graph_with_a_byte_order_mark(tmp_path: Path) -> None:
    """The Registry's publishing tool writes one; it was "Unexpected UTF-8 BOM" (exit 2)."""
    data = b"\xef\xbb\xbf" + json.dumps(_graph(EITHER)).encode()
    run, _ = _import_ctdl(tmp_path, data)
    assert run.exit_code == 0, run.stderr
    outcomes = yaml.safe_load((tmp_path / "p" / "outcomes.yaml").read_text())["outcomes"]
    assert outcomes[0]["requires"] == [{"any": ["intro", "safety"]}]


@pytest.mark.parametrize(
    ("condition", "requires"),
    [
        ({**EITHER, "ceterms:name": "x: ² of"}, {"choose": 1, "from": ["intro", "safety"]}),
        ({**EITHER, "ceterms:name": "x: ٢ of"}, {"choose": 1, "from": ["intro", "safety"]}),
        (
            {**EITHER, "ceterms:name": "x: " + "9" * 5000 + " of"},
            {"choose": 1, "from": ["intro", "safety"]},
        ),
        (
            {**EITHER, "ceterms:requiredNumber": "9" * 5000},
            {"any": ["intro", "safety"]},
        ),
        (
            {**EITHER, "ceterms:name": "x: requires sql@" + "9" * 5000},
            {"choose": 1, "from": ["intro", "safety"]},
        ),
    ],
    ids=["superscript-two", "arabic-indic-two", "long-count", "long-required-number", "long-level"],
)
def test_import_ctdl_reads_counts_written_in_other_digits_as_no_count(
    tmp_path: Path, condition: dict[str, Any], requires: dict[str, Any]
) -> None:
    """``'²'.isdigit()`` holds but ``int('²')`` fails, and ``int`` refuses 5,000 digits:
    each was an internal error (ValueError). Only ASCII digits count, ``requiredNumber``
    counts otherwise."""
    run, _ = _import_ctdl(tmp_path, json.dumps(_graph(condition)).encode())
    assert (run.exit_code, run.stdout) == (0, ""), run.stderr
    outcomes = yaml.safe_load((tmp_path / "p" / "outcomes.yaml").read_text())["outcomes"]
    assert outcomes[0]["requires"] == [requires]


# -- Curricular Analytics: cells quoted in findings -------------------------------------------

CURRICULUM = (
    "Curriculum,Hostile\n"
    f'"Bogus{ATTACK}",1\n'
    'System Type,"semester ##[error]pwned\n::set-output name=x::y"\n'
    "Courses\n"
    "Course ID,Course Name,Prerequisites,Credit Hours\n"
    f'1,Intro,"9{ATTACK}",3\n'
    f'2,Next,,"3{ATTACK}"\n'
    f'"3{ATTACK}",Again,,3\n'
    f'"3{ATTACK}",Twice,,3\n'
    f'"4{ATTACK}",Loop,"4{ATTACK}",3\n'
)


def test_import_curricular_analytics_escapes_the_cells_it_quotes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cell's line break started a line of its own, which a runner executes (here an
    error annotation and a step output), as it does ``##[error]`` anywhere in a line, and
    the file name opened each line."""
    monkeypatch.chdir(tmp_path)
    name = "::warning title=x::plan.csv"
    Path(name).write_text(CURRICULUM, encoding="utf-8")
    run = credpath("import", "curricular-analytics", name, "-o", "out")
    where = "\\x3a:warning title=x::plan.csv"
    assert run.exit_code == 1
    assert run.lines == [
        f"{where}:2:1: error: unexpected row 'Bogus{SHOWN}' in the header block; expected one "
        "of 'Degree Plan', 'Institution', 'Degree Type', 'System Type', 'CIP', 'Courses' "
        "[import]",
        f"{where}:4:1: error: System Type must be 'semester' or 'quarter', not "
        "'semester \\x23#[error]pwned\\n::set-output name=x::y' [import]",
        f"{where}:8:1: error: prerequisite '9{SHOWN}' is not a Course ID of this file "
        "(column Prerequisites) [import]",
        f"{where}:10:1: error: Credit Hours must be a number of 0 or more, not '3{SHOWN}' "
        "(column Credit Hours) [import]",
        f"{where}:14:1: error: duplicate Course ID '3{SHOWN}' (first on line 12) "
        "(column Course ID) [import]",
        f"{where}:16:1: error: requisite cycle 4{SHOWN} -> 4{SHOWN} (Course IDs): no course "
        "of it can ever be taken [import]",
    ]
    assert not (tmp_path / "out").exists()


# -- ESCO: labels and URIs from the download -------------------------------------------------


def _esco(folder: Path, *, label: str, uri: str, occupation: str = "Pipe welder") -> None:
    write_files(
        folder,
        {
            "occupations_en.csv": "conceptUri,preferredLabel,iscoGroup\n"
            f'http://example.org/esco/occupation/welder,"{occupation}",7212\n',
            "skills_en.csv": "conceptUri,skillType,preferredLabel\n"
            'http://example.org/esco/skill/arc,skill/competence,"weld with an arc"\n'
            f'"{uri}",knowledge,"{label}"\n',
            "occupationSkillRelations_en.csv": "occupationUri,relationType,skillUri\n"
            "http://example.org/esco/occupation/welder,essential,http://example.org/esco/skill/arc\n"
            f'http://example.org/esco/occupation/welder,essential,"{uri}"\n',
        },
    )


WELDER = """\
    competencies:
      - id: arc
        title: Arc welding
        aligns: [{framework: ESCO, uri: "http://example.org/esco/skill/arc"}]
    credentials:
      - {id: w1, title: Welding 1, type: course, grants: [arc]}
    outcomes:
      - id: welder
        title: Welder
        occupation: {esco: "http://example.org/esco/occupation/welder"}
        requires: [arc]
    """


def test_coverage_escapes_a_skill_label(project: Project, tmp_path: Path) -> None:
    name = project({"c.yaml": WELDER})
    _esco(tmp_path / "esco", label=f"metals{ATTACK}", uri="http://example.org/esco/skill/m")
    run = credpath("coverage", name, "--esco", str(tmp_path / "esco"))
    assert run.lines == [
        "welder: 1 of 2 essential ESCO skills covered",
        f"  missing: metals{SHOWN} <http://example.org/esco/skill/m>",
    ]


@pytest.mark.parametrize(
    ("label", "uri", "shown"),
    [
        (
            "metals",
            "http://example.org/a b)<img src=x onerror=alert(1)>|",
            "[metals](http://example.org/a%20b%29%3Cimg%20src=x%20onerror=alert%281%29%3E%7C)",
        ),
        ("metals", "javascript:alert(1)", "metals (javascript:alert\\(1\\))"),
        (
            f"metals{ATTACK}",
            "http://example.org/m",
            "[metals\\\\n::error title=owned::pwned\\\\x1b\\[2J](http://example.org/m)",
        ),
    ],
    ids=["html-in-uri", "javascript-uri", "line-break-in-label"],
)
def test_coverage_markdown_links_only_web_addresses_and_shows_labels_as_text(
    project: Project, tmp_path: Path, label: str, uri: str, shown: str
) -> None:
    """The table goes into a pull-request comment: a URI could close the link and add raw
    HTML there, or link ``javascript:``."""
    name = project({"c.yaml": WELDER})
    _esco(tmp_path / "esco", label=label, uri=uri)
    run = credpath("coverage", name, "--esco", str(tmp_path / "esco"), "-f", "markdown")
    assert run.lines[2] == f"| Welder (`welder`) | 1 of 2 | {shown} |"
    assert len(run.lines) == 3


def test_import_esco_escapes_the_occupation_label_in_its_note(tmp_path: Path) -> None:
    _esco(tmp_path / "esco", label="metals", uri="http://example.org/esco/skill/m")
    occupations = tmp_path / "esco" / "occupations_en.csv"
    occupations.write_text(
        "conceptUri,preferredLabel,iscoGroup\n"
        f'"http://example.org/esco/occupation/welder{ATTACK}","Pipe welder{ATTACK}",7212\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    run = credpath(
        "import", "esco", "--data", str(tmp_path / "esco"), "--occupation", "pipe welder" + ATTACK,
        "-o", str(out),
    )  # fmt: skip
    assert run.exit_code == 0, run.stderr
    assert run.stderr == (
        f"wrote a project for 'Pipe welder{SHOWN}' to {out}: 0 competencies, one per "
        "essential skill; add credentials\n"
    )
    header = (out / "outcomes.yaml").read_text(encoding="utf-8").splitlines()[:2]
    assert header == [
        "# Started by credpath import esco from the ESCO occupation "
        f"http://example.org/esco/occupation/welder{SHOWN}:",
        "# one competency per essential skill. Add the credentials that grant them.",
    ]


# -- file names: lint's note, metrics' cycle ------------------------------------------------


def test_lint_escapes_the_name_of_a_file_it_skips(project: Project) -> None:
    """pre-commit passes the file names of a pull request, which may hold a line break."""
    skipped = f".hidden{ATTACK}.yaml"
    name = project({"c.yaml": "competencies: [{id: a, title: A}]\n", skipped: "x: [\n"})
    run = credpath("lint", f"{name}/{skipped}")
    assert run.exit_code == 0
    assert run.stderr.splitlines()[0] == (
        f"credpath: {name}/.hidden{SHOWN}.yaml: not a curriculum file of its project "
        "(hidden, ignored or excluded); nothing to report"
    )


def test_metrics_escapes_the_file_name_in_its_cycle_finding(project: Project) -> None:
    """The finding opens its line with the file name: a ``::`` there was a command."""
    folder = "::error title=owned::x"
    name = project(
        {
            f"c{ATTACK}.yaml": """\
                credentials:
                  - {id: a, title: A, type: course, requires: [b]}
                  - {id: b, title: B, type: course, requires: [a]}
                """
        },
        name=folder,
    )
    run = credpath("metrics", name)
    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr == (
        f"\\x3a:error title=owned::x/c{SHOWN}.yaml:2:10: error: credentials require each "
        "other in a cycle: a -> b -> a; metrics need an acyclic graph [cycle]\n"
    )
