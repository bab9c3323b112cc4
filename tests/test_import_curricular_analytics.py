"""Curricular Analytics CSV import: parsing, findings, the written project, real curricula."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from brute_force import metrics_by_enumeration
from credpath.analytics.metrics import compute_metrics
from credpath.exchange.curricular_analytics import (
    HOURS_PER_ECTS,
    CACourse,
    CACurriculum,
    build_graph,
    credential_ids,
    parse_curricular_analytics,
    read_curricular_analytics,
    render_project,
)

FIXTURES = Path(__file__).parent / "fixtures" / "curricular_analytics"
REFERENCE = Path(__file__).parents[1].parent / "shared/reference/curricular-analytics"
ID_PATTERN = re.compile(r"^[a-z0-9]+([-_.][a-z0-9]+)*$")
HEADER = (
    "Course ID,Course Name,Prefix,Number,Prerequisites,Corequisites,"
    "Strict-Corequisites,Credit Hours,Institution,Canonical Name"
)


def csv_text(*rows: str) -> str:
    """A CSV with a header block: the rows passed start on line 4."""
    return "\n".join(["Curriculum,Test", "Courses", HEADER, *rows]) + "\n"


def findings(text: str) -> list[tuple[int, str | None, str]]:
    result = parse_curricular_analytics(text)
    return [(f.line, f.column, f.message) for f in result.findings]


def load_project(files: dict[str, str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    credentials = yaml.safe_load(files["credentials.yaml"])["credentials"]
    outcomes = yaml.safe_load(files["outcomes.yaml"])["outcomes"]
    return credentials, outcomes


def graph_from_yaml(files: dict[str, str]) -> nx.DiGraph:
    """The credential graph as credpath sees the written YAML: requires -> credential."""
    credentials, _ = load_project(files)
    g = nx.DiGraph()
    g.add_nodes_from(c["id"] for c in credentials)
    g.add_edges_from((r, c["id"]) for c in credentials for r in c.get("requires", []))
    return g


# --- parsing ----------------------------------------------------------------------


def test_curriculum_fixture() -> None:
    result = read_curricular_analytics(FIXTURES / "culinary_curriculum.csv")
    assert result.findings == []
    c = result.curriculum
    assert c is not None
    assert (c.name, c.institution, c.degree_type, c.system_type, c.cip, c.degree_plan) == (
        "Culinary Arts Certificate",
        "Harbour City Community College",
        "AAS",
        "semester",
        "12.0503",
        None,
    )
    assert [course.course_id for course in c.courses] == [str(i) for i in range(1, 11)]
    sauces = c.courses[2]
    assert (sauces.prerequisites, sauces.corequisites, sauces.canonical_name) == (
        ("1",),
        ("2",),
        "Sauces I",
    )
    assert c.courses[4].strict_corequisites == ("6",)
    assert c.courses[6].prerequisites == ("3", "5")  # a quoted cell
    assert c.courses[7].credit_hours == 0
    assert c.courses[8].institution == "Open College of the Coast"


def test_degree_plan_fixture() -> None:
    # BOM, quoted cells, a comment and a blank row, an Additional Courses table and a
    # learning-outcomes section (ignored); terms are dropped.
    result = read_curricular_analytics(FIXTURES / "bakery_plan.csv")
    assert result.findings == []
    c = result.curriculum
    assert c is not None
    assert (c.name, c.degree_plan, c.system_type) == (
        "Bakery Skills",
        "Bakery Skills, two terms",
        "quarter",
    )
    assert [(x.course_id, x.name, x.additional) for x in c.courses] == [
        ("10", "Bread, Basic", False),
        ("20", "Bread Lab", False),
        ("30", "Viennoiserie", False),
        ("40", "Kitchen Math", True),
    ]
    assert c.courses[2].requisites == ("10", "40", "20")
    assert c.courses[3].credit_hours == 2.5
    assert c.courses[3].line == 16


def test_crlf_trailing_columns_and_short_rows() -> None:
    text = "Curriculum,X,,,\r\nCourses,,,\r\nCourse ID,Course Name,Credit Hours,,\r\n"
    text += "1,A,3,,\r\n2,B,4\r\n"
    result = parse_curricular_analytics(text)
    assert result.findings == []
    assert result.curriculum is not None
    assert [(c.course_id, c.credit_hours, c.prefix) for c in result.curriculum.courses] == [
        ("1", 3, ""),
        ("2", 4, ""),
    ]


def test_windows_1252_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_bytes(csv_text("1,Pâtisserie,,,,,,3,,").encode("cp1252"))
    result = read_curricular_analytics(path)
    assert result.curriculum is not None
    assert result.curriculum.courses[0].name == "Pâtisserie"


def test_requisite_lists_tolerate_spaces_commas_and_trailing_separators() -> None:
    result = parse_curricular_analytics(
        csv_text("1,A,,,,,,3,,", "2,B,,,,,,3,,", '3,C,,,"1 ; 2;",,,3,,', '4,D,,,"1,2",,,3,,')
    )
    assert result.findings == []
    assert result.curriculum is not None
    assert [c.prerequisites for c in result.curriculum.courses[2:]] == [("1", "2"), ("1", "2")]


# --- findings for malformed input, with exact lines --------------------------------


def test_empty_file() -> None:
    assert findings("") == [(1, None, "the file is empty")]
    assert findings(" \r\n\n") == [(1, None, "the file is empty")]


def test_not_curricular_analytics_csv() -> None:
    assert findings('{"courses": []}\n') == [
        (
            1,
            None,
            "the first row must start with 'Curriculum': "
            "this is not a Curricular Analytics curriculum or degree-plan CSV",
        )
    ]


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_bytes(b"PK\x03\x04\n\x00\x00")
    result = read_curricular_analytics(path)
    assert result.curriculum is None
    assert [(f.line, f.column) for f in result.findings] == [(2, None)]
    assert "NUL" in result.findings[0].message


def test_unclosed_quote() -> None:
    text = csv_text("1,A,,,,,,3,,", '2,"B,,,,,,3,,', "3,C,,,,,,3,,")
    assert findings(text) == [
        (5, None, "not valid CSV: a quoted cell starting on this line is never closed")
    ]


def test_missing_courses_row() -> None:
    text = "Curriculum,X\nInstitution,Y\n" + HEADER + "\n1,A,,,,,,3,,\n"
    assert findings(text) == [(3, None, "missing 'Courses' row above this header")]


def test_no_courses_row_at_all() -> None:
    assert findings("Curriculum,X\nInstitution,Y\n\nCIP,1.0\n") == [
        (4, None, "no 'Courses' row: the file lists no courses")
    ]


def test_unexpected_header_row_and_bad_system_type() -> None:
    text = "Curriculum,X\nDean,Z\nSystem Type,trimester\nCourses\n" + HEADER + "\n"
    assert findings(text) == [
        (
            2,
            None,
            "unexpected row 'Dean' in the header block; expected one of 'Degree Plan', "
            "'Institution', 'Degree Type', 'System Type', 'CIP', 'Courses'",
        ),
        (3, None, "System Type must be 'semester' or 'quarter', not 'trimester'"),
    ]


def test_missing_required_columns() -> None:
    text = "Curriculum,X\nCourses\nCourse ID,Course Name,Prefix\n1,A,B\n"
    assert findings(text) == [(3, "Credit Hours", "missing required column 'Credit Hours'")]
    assert parse_curricular_analytics(text).curriculum is None


def test_missing_column_header() -> None:
    assert findings("Curriculum,X\nCourses,,\n") == [(2, None, "no column header after 'Courses'")]


def test_duplicate_course_id() -> None:
    text = csv_text("1,A,,,,,,3,,", "2,B,,,1,,,3,,", "1,C,,,,,,3,,")
    assert findings(text) == [(6, "Course ID", "duplicate Course ID '1' (first on line 4)")]
    result = parse_curricular_analytics(text)
    assert result.curriculum is not None
    assert [c.name for c in result.curriculum.courses] == ["A", "B"]


def test_unknown_requisites() -> None:
    text = csv_text("1,A,,,,,,3,,", "2,B,,,1;9,8,7,3,,")
    assert findings(text) == [
        (5, "Prerequisites", "prerequisite '9' is not a Course ID of this file"),
        (5, "Corequisites", "co-requisite '8' is not a Course ID of this file"),
        (5, "Strict-Corequisites", "strict co-requisite '7' is not a Course ID of this file"),
    ]
    result = parse_curricular_analytics(text)
    assert result.curriculum is not None
    assert result.curriculum.courses[1].requisites == ("1",)


def test_bad_credit_hours_and_missing_cells() -> None:
    text = csv_text(
        "1,A,,,,,,three,,", "2,B,,,,,,-1,,", "3,C,,,,,,,,", ",D,,,,,,3,,", "5,,,,,,,3,,"
    )
    assert findings(text) == [
        (4, "Credit Hours", "Credit Hours must be a number of 0 or more, not 'three'"),
        (5, "Credit Hours", "Credit Hours must be a number of 0 or more, not '-1'"),
        (6, "Credit Hours", "missing Credit Hours"),
        (7, "Course ID", "missing Course ID"),
        (8, "Course Name", "missing Course Name"),
    ]


def test_requisite_cycles() -> None:
    text = csv_text("1,A,,,3,,,3,,", "2,B,,,1,,,3,,", "3,C,,,,2,,3,,", "4,D,,,4,,,3,,")
    assert findings(text) == [
        (
            4,
            None,
            "requisite cycle 1 -> 2 -> 3 -> 1 (Course IDs): no course of it can ever be taken",
        ),
        (7, None, "requisite cycle 4 -> 4 (Course IDs): no course of it can ever be taken"),
    ]


def test_findings_are_sorted_by_line() -> None:
    text = csv_text("1,A,,,2,,,3,,", "2,B,,,1,,,x,,")
    lines = [f.line for f in parse_curricular_analytics(text).findings]
    assert lines == sorted(lines) == [4, 5]


# --- the written project ----------------------------------------------------------


@pytest.mark.parametrize("name", ["culinary_curriculum", "bakery_plan"])
def test_project_matches_golden_files(name: str) -> None:
    result = read_curricular_analytics(FIXTURES / f"{name}.csv")
    assert result.curriculum is not None
    files = render_project(result.curriculum)
    golden = FIXTURES / f"{name}.expected"
    assert sorted(files) == sorted(p.name for p in golden.iterdir())
    for file_name, text in files.items():
        assert text == (golden / file_name).read_text(encoding="utf-8"), file_name


def test_written_graph_is_the_curricular_analytics_graph() -> None:
    result = read_curricular_analytics(FIXTURES / "culinary_curriculum.csv")
    assert result.curriculum is not None
    files = render_project(result.curriculum)
    from_yaml = graph_from_yaml(files)
    direct = build_graph(result.curriculum)
    assert set(from_yaml.nodes) == set(direct.nodes)
    assert set(from_yaml.edges) == set(direct.edges)


def test_culinary_metrics_worked_by_hand() -> None:
    # Long paths: 101-201-301-390, 102-201-301-390, 150-250-301-390, 250l-250-301-390,
    # plus 102-390 (too short to count) and two lone electives.
    result = read_curricular_analytics(FIXTURES / "culinary_curriculum.csv")
    assert result.curriculum is not None
    m = compute_metrics(build_graph(result.curriculum))
    values = {
        k: (v.blocking, v.delay, v.centrality, v.complexity) for k, v in m.credentials.items()
    }
    assert values == {
        "cul-101": (3, 4, 0, 7),
        "cul-102": (3, 4, 0, 7),
        "cul-201": (2, 4, 8, 6),
        "cul-150": (3, 4, 0, 7),
        "cul-250": (2, 4, 8, 6),
        "cul-250l": (3, 4, 0, 7),
        "cul-301": (1, 4, 16, 5),
        "cul-390": (0, 4, 0, 4),
        "course-9": (0, 1, 0, 1),
        "course-10": (0, 1, 0, 1),
    }
    assert (m.longest_path_length, m.longest_path_count) == (4, 4)


def test_outcome_requires_every_course_with_suppression_above_its_first_line() -> None:
    result = read_curricular_analytics(FIXTURES / "bakery_plan.csv")
    assert result.curriculum is not None
    files = render_project(result.curriculum)
    credentials, outcomes = load_project(files)
    assert [o["requires"] for o in outcomes] == [[c["id"] for c in credentials]]
    lines = files["outcomes.yaml"].splitlines()
    first = lines.index(f"  - id: {outcomes[0]['id']}")
    assert lines[first - 1] == "  # credpath: disable=redundant-requirement"
    assert lines[first - 2].startswith("  # ")


def test_no_suppression_when_nothing_is_redundant() -> None:
    # Without requisites nothing is implied, and an unused suppression would be a warning.
    result = parse_curricular_analytics(csv_text("1,A,,,,,,3,,", "2,B,,,,,,3,,"))
    assert result.curriculum is not None
    assert "disable" not in render_project(result.curriculum)["outcomes.yaml"]


def test_workload_conversion() -> None:
    files = render_project(_curriculum_from(FIXTURES / "bakery_plan.csv"))
    credentials, _ = load_project(files)
    workloads = {c["id"]: c.get("workload") for c in credentials}
    # Quarter credits: 30 hours each, and 25 hours per ECTS credit (as everywhere).
    assert workloads["bak-110"] == {"hours": 120, "ects": 4.8}
    assert workloads["mth-090"] == {"hours": 75, "ects": 3}
    semester, _ = load_project(
        render_project(_curriculum_from(FIXTURES / "culinary_curriculum.csv"))
    )
    assert semester[0]["workload"] == {"hours": 135, "ects": 5.4}
    for c in credentials + semester:
        if c.get("workload"):
            assert 20 <= c["workload"]["hours"] / c["workload"]["ects"] <= 35
    assert HOURS_PER_ECTS == 25


def test_zero_credit_course_has_no_workload_and_says_why() -> None:
    files = render_project(_curriculum_from(FIXTURES / "culinary_curriculum.csv"))
    credentials, _ = load_project(files)
    externship = next(c for c in credentials if c["id"] == "cul-390")
    assert "workload" not in externship
    lines = files["credentials.yaml"].splitlines()
    at = lines.index("  - id: cul-390")
    assert lines[at - 1] == "  # credpath: disable=missing-workload"


def test_missing_institution_suppresses_missing_provider_for_the_file() -> None:
    files = render_project(_curriculum_from_text(csv_text("1,A,,,,,,3,,")))
    assert "# credpath: disable-file=missing-provider" in files["credentials.yaml"]
    credentials, _ = load_project(files)
    assert "provider" not in credentials[0]
    with_provider = render_project(_curriculum_from(FIXTURES / "culinary_curriculum.csv"))
    assert "disable-file" not in with_provider["credentials.yaml"]


def test_credential_ids_are_valid_unique_and_stable() -> None:
    text = csv_text(
        "11,Calculus I,MA,113,,,,3,,",
        "12,Calculus I again,MA,113,,,,3,,",  # same label: both get their Course ID
        "13,Lab,CIS/WRD,110L,,,,1,,",
        "14,Elective,,,,,,3,,",
        "15,Numbers,,1e3,,,,3,,",  # an id YAML would read as a float
        "16,Truth,,true,,,,3,,",  # an id YAML would read as a boolean
        "17,Accents,,Étude 1,,,,3,,",
        "18,Long,,x" + "y" * 100 + ",,,,3,,",
    )
    curriculum = _curriculum_from_text(text)
    ids = credential_ids(curriculum)
    assert ids == {
        "11": "ma-113-11",
        "12": "ma-113-12",
        "13": "cis-wrd-110l",
        "14": "course-14",
        "15": "1e3",
        "16": "true",
        "17": "etude-1",
        "18": "x" + "y" * 79,
    }
    credentials, outcomes = load_project(render_project(curriculum))
    assert [c["id"] for c in credentials] == list(ids.values())
    assert outcomes[0]["requires"] == list(ids.values())
    assert all(ID_PATTERN.match(i) and len(i) <= 80 for i in ids.values())
    assert outcomes[0]["id"] == "test"


def test_duplicate_titles_are_told_apart() -> None:
    text = csv_text(
        "1,Physics,PHY,231,,,,4,,",
        "2,physics,PHY,232,,,,4,,",
        "3,Elective,,,,,,3,,",
        "4,Elective,,,,,,3,,",
    )
    credentials, _ = load_project(render_project(_curriculum_from_text(text)))
    assert [c["title"] for c in credentials] == [
        "Physics (PHY 231)",
        "physics (PHY 232)",
        "Elective (course-3)",
        "Elective (course-4)",
    ]


def test_description_keeps_what_requires_cannot_say() -> None:
    credentials, _ = load_project(
        render_project(_curriculum_from(FIXTURES / "culinary_curriculum.csv"))
    )
    pastry = next(c for c in credentials if c["id"] == "cul-250")
    assert pastry["requires"] == ["cul-150", "cul-250l"]
    assert "CUL 250" in pastry["description"]
    assert "Curricular Analytics course 5" in pastry["description"]
    assert (
        "Strict co-requisites (the source requires the same term): cul-250l"
        in (pastry["description"])
    )


_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)


@settings(max_examples=200, deadline=None)
@given(name=_TEXT, course=_TEXT, institution=_TEXT)
def test_any_text_survives_the_yaml_round_trip(name: str, course: str, institution: str) -> None:
    curriculum = CACurriculum(
        name=name,
        degree_plan=None,
        institution=institution,
        degree_type="",
        system_type="semester",
        cip="",
        courses=(
            CACourse(
                course_id="1",
                name=course,
                prefix="",
                number="",
                prerequisites=(),
                corequisites=(),
                strict_corequisites=(),
                credit_hours=3,
                institution="",
                canonical_name="",
                additional=False,
                line=4,
            ),
        ),
    )
    files = render_project(curriculum)
    credentials, outcomes = load_project(files)
    config = yaml.safe_load(files["credpath.yaml"])
    if name:
        assert config["name"] == name
        assert outcomes[0]["title"] == name
    if course:
        assert credentials[0]["title"] == course
    if institution:
        assert credentials[0]["provider"] == institution


def _curriculum_from(path: Path) -> CACurriculum:
    result = read_curricular_analytics(path)
    assert result.findings == []
    assert result.curriculum is not None
    return result.curriculum


def _curriculum_from_text(text: str) -> CACurriculum:
    result = parse_curricular_analytics(text)
    assert result.findings == []
    assert result.curriculum is not None
    return result.curriculum


# --- the real curricula of the reference, against Curricular Analytics' values ----------


def _reference() -> tuple[dict[str, Any], list[Path]]:
    if not (REFERENCE / "expected_values.json").is_file():
        pytest.skip(f"reference curricula not found at {REFERENCE}")
    expected = json.loads((REFERENCE / "expected_values.json").read_text(encoding="utf-8"))
    return expected, sorted((REFERENCE / "verbatim").glob("*.csv"))


def test_every_reference_curriculum_imports_cleanly() -> None:
    _, paths = _reference()
    assert paths
    for path in paths:
        result = read_curricular_analytics(path)
        assert result.findings == [], path.name
        assert result.curriculum is not None
        files = render_project(result.curriculum)
        # What credpath will load has the same graph as Curricular Analytics.
        assert set(graph_from_yaml(files).edges) == set(build_graph(result.curriculum).edges)
        assert render_project(result.curriculum) == files


def test_reference_metrics_equal_curricular_analytics_values() -> None:
    expected, _ = _reference()
    checked = 0
    for name, values in expected.items():
        curriculum = _curriculum_from(REFERENCE / name)
        m = compute_metrics(build_graph(curriculum))
        ids = credential_ids(curriculum)
        per_course = [m.credentials[ids[c.course_id]] for c in curriculum.courses]
        if "num_courses" in values:
            assert len(curriculum.courses) == values["num_courses"], name
        for metric in ("blocking", "delay", "centrality", "complexity"):
            total = getattr(m.totals, metric)
            if f"{metric}_total" in values:
                assert total == values[f"{metric}_total"], (name, metric)
                checked += 1
            if metric in values:
                expected_total, expected_list = values[metric]
                assert total == expected_total, (name, metric)
                assert [getattr(x, metric) for x in per_course] == expected_list, (name, metric)
                checked += 1
        if "longest_path_length" in values:
            assert m.longest_path_length == values["longest_path_length"], name
            assert m.longest_path_count == values["longest_path_count"], name
        if "plan" in values:
            # Terms are dropped, but the plan's credit hours are the courses' sum.
            hours = sum(c.credit_hours for c in curriculum.courses)
            assert hours == values["plan"]["credit_hours"], name
    assert checked >= 8


def test_degree_plan_and_curriculum_of_kentucky_give_one_graph() -> None:
    # expected_values.json has UKY_EE_plan.csv's plan figures only; its curriculum is
    # UKY_EE_curric.csv's, so its graph, and hence every metric, must be the same.
    _reference()
    plan = build_graph(_curriculum_from(REFERENCE / "verbatim/UKY_EE_plan.csv"))
    curric = build_graph(_curriculum_from(REFERENCE / "verbatim/UKY_EE_curric.csv"))
    assert set(plan.nodes) == set(curric.nodes)
    assert set(plan.edges) == set(curric.edges)


def test_big_unsatisfiable_curriculum() -> None:
    # CurricularAnalytics.jl's test suite reads this file and expects is_valid() to fail:
    # course 44 must share a term with its strict co-requisite 42, yet 42 is a
    # co-requisite of 40, which is a prerequisite of 44. As a credpath project every
    # requisite is simply held first, so the graph is acyclic and metrics exist; check
    # them against path enumeration (no expected entry exists for this file).
    _reference()
    curriculum = _curriculum_from(REFERENCE / "verbatim/big_unsatisfiable_curric.csv")
    ids = credential_ids(curriculum)
    course = {c.course_id: c for c in curriculum.courses}
    assert course["44"].strict_corequisites == ("42", "43")
    assert course["40"].corequisites == ("42", "43")
    assert "40" in course["44"].prerequisites
    g = build_graph(curriculum)
    assert nx.is_directed_acyclic_graph(g)
    with_terms = g.copy()  # Curricular Analytics' check: strict co-requisites both ways
    with_terms.add_edge(ids["44"], ids["42"])
    assert any(len(cycle) > 2 for cycle in nx.simple_cycles(with_terms))
    m = compute_metrics(g)
    expected, longest, count = metrics_by_enumeration(g)
    values = {
        k: (v.blocking, v.delay, v.centrality, v.complexity) for k, v in m.credentials.items()
    }
    assert values == expected
    assert (m.longest_path_length, m.longest_path_count) == (longest, count)
