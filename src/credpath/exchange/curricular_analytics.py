"""Import a Curricular Analytics curriculum or degree-plan CSV as a credpath project.

Curricular Analytics (CurricularAnalytics.jl, curricularanalytics.org) keeps a curriculum
as a CSV file: a header block (``Curriculum``, in a degree plan ``Degree Plan``, then
``Institution``, ``Degree Type``, ``System Type``, ``CIP``), a ``Courses`` row, a column
header and one row per course. A degree plan adds a ``Term`` column and may list
``Additional Courses`` under a second column header; learning-outcome sections after the
courses are ignored, as are blank rows and rows starting with ``#``.

The mapping, chosen so that the credential graph equals the Curricular Analytics graph
and :func:`credpath.analytics.metrics.compute_metrics` reproduces its metrics:

- every course (additional ones included) becomes a credential of type ``course``; its
  pre-, co- and strict co-requisites all become ``requires`` references;
- workload: :data:`HOURS_PER_CREDIT` notional hours per credit hour (45 for a semester
  credit: 15 in class and 30 of study; 30 for a quarter credit) and one ECTS credit per
  :data:`credpath.compiler.model.HOURS_PER_ECTS` hours, as everywhere in credpath. A
  zero-credit course gets no workload, since the format needs one above zero;
- one outcome for the degree requires every course.

Terms of a degree plan are dropped: a co-requisite may be taken in the same term, which a
credpath stage (everything in it earnable from the earlier stages) cannot express.

Typical use (what ``credpath import curricular-analytics FILE.csv -o DIR`` does)::

    result = read_curricular_analytics(Path("plan.csv"))
    if result.findings: report them (each has a line, a column name and a message)
    else: files = render_project(result.curriculum)  # file name -> YAML text
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import yaml

from credpath.base.text import ID_MAX, slug
from credpath.compiler.model import HOURS_PER_ECTS

__all__ = [
    "HOURS_PER_CREDIT",
    "HOURS_PER_ECTS",
    "CACourse",
    "CACurriculum",
    "ImportFinding",
    "ImportResult",
    "build_graph",
    "credential_ids",
    "parse_curricular_analytics",
    "read_curricular_analytics",
    "render_project",
]

HOURS_PER_CREDIT = {"semester": 45, "quarter": 30}
"""Notional learning hours per credit hour, by the curriculum's System Type."""


REQUIRED_COLUMNS = ("Course ID", "Course Name", "Credit Hours")
REQUISITE_COLUMNS = ("Prerequisites", "Corequisites", "Strict-Corequisites")
_OTHER_COLUMNS = ("Prefix", "Number", "Institution", "Canonical Name", "Term")
_KNOWN_COLUMNS = {c.casefold(): c for c in (*REQUIRED_COLUMNS, *REQUISITE_COLUMNS, *_OTHER_COLUMNS)}
_HEADER_KEYS = ("Degree Plan", "Institution", "Degree Type", "System Type", "CIP")
_LATER_SECTIONS = ("course learning outcomes", "curriculum learning outcomes")
_REQUISITE_NAMES = {
    "Prerequisites": "prerequisite",
    "Corequisites": "co-requisite",
    "Strict-Corequisites": "strict co-requisite",
}
_NUMBER = re.compile(r"\d+(\.\d*)?|\.\d+")


@dataclass(frozen=True)
class ImportFinding:
    """A problem in the CSV: 1-based line, the column's header name (if any), what is wrong."""

    line: int
    column: str | None
    message: str


@dataclass(frozen=True)
class CACourse:
    """One course row; requisites hold Course IDs known to the file, in cell order."""

    course_id: str
    name: str
    prefix: str
    number: str
    prerequisites: tuple[str, ...]
    corequisites: tuple[str, ...]
    strict_corequisites: tuple[str, ...]
    credit_hours: float
    institution: str
    canonical_name: str
    additional: bool
    line: int

    @property
    def requisites(self) -> tuple[str, ...]:
        """Every requisite once: each is a credpath requirement (held before this course)."""
        return tuple(
            dict.fromkeys((*self.prerequisites, *self.corequisites, *self.strict_corequisites))
        )

    @property
    def label(self) -> str:
        """``PREFIX NUMBER`` as the catalog shows it, or '' for placeholder courses."""
        return " ".join(part for part in (self.prefix, self.number) if part)


@dataclass(frozen=True)
class CACurriculum:
    """A parsed curriculum (or the curriculum of a degree plan), courses in file order."""

    name: str
    degree_plan: str | None
    institution: str
    degree_type: str
    system_type: str
    cip: str
    courses: tuple[CACourse, ...]


@dataclass(frozen=True)
class ImportResult:
    """What the CSV holds and what is wrong with it, findings sorted by line.

    ``curriculum`` is None when the file is too broken to read courses from. Otherwise it is
    self-consistent (unknown requisites and duplicate rows left out), but it should only be
    written when ``findings`` is empty.
    """

    curriculum: CACurriculum | None
    findings: list[ImportFinding]


def read_curricular_analytics(path: Path) -> ImportResult:
    """Read and parse a CSV file; UTF-8 (with or without BOM), else Windows-1252.

    Windows-1252 is what Excel writes for "CSV (Comma delimited)". ``OSError`` is left to
    the caller (a missing file is a usage error, not a finding).
    """
    data = path.read_bytes()
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return _broken(line, "not a CSV text file (it holds NUL bytes); save it as CSV UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            return _broken(line, "not a CSV text file (neither UTF-8 nor Windows-1252)")
    return parse_curricular_analytics(text)


def _broken(line: int, message: str) -> ImportResult:
    return ImportResult(None, [ImportFinding(line, None, message)])


def parse_curricular_analytics(text: str) -> ImportResult:
    """Parse the text of a curriculum or degree-plan CSV (quotes, BOM, CRLF tolerated)."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return _broken(1, "the file is empty")
    if "\x00" in text:
        return _broken(text[: text.index("\x00")].count("\n") + 1, "not a CSV text file")
    findings: list[ImportFinding] = []
    curriculum = _parse(_records(text, findings), findings)
    return ImportResult(curriculum, sorted(findings, key=lambda f: f.line))


_Record = tuple[int, list[str]]


def _records(text: str, findings: list[ImportFinding]) -> Iterator[_Record]:
    """Non-blank, non-comment rows with the line each starts on, cells stripped."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1  # where the next record starts; a quoted cell may span lines
    try:
        for row in reader:
            start, line = line, reader.line_num + 1
            cells = [cell.strip() for cell in row]
            if any(cells) and not cells[0].startswith("#"):
                yield start, cells
    except csv.Error as error:
        unclosed = "unexpected end of data" in str(error)
        message = "a quoted cell starting on this line is never closed" if unclosed else error
        findings.append(ImportFinding(line, None, f"not valid CSV: {message}"))


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _parse(records: Iterator[_Record], findings: list[ImportFinding]) -> CACurriculum | None:
    """Header block, then course tables; None when no course table can be found."""
    first = next(records, None)
    if first is None:
        return None  # only blank rows or a CSV error, already a finding
    line, cells = first
    if cells[0].casefold() != "curriculum":
        findings.append(
            ImportFinding(
                line,
                None,
                "the first row must start with 'Curriculum': "
                "this is not a Curricular Analytics curriculum or degree-plan CSV",
            )
        )
        return None
    header = {"Curriculum": _cell(cells, 1)}
    system_line = line
    for line, cells in records:
        key = next((k for k in _HEADER_KEYS if k.casefold() == cells[0].casefold()), None)
        if cells[0].casefold() == "courses":
            break
        if key is not None:
            header[key] = _cell(cells, 1)
            system_line = line if key == "System Type" else system_line
        elif cells[0].casefold() == "course id":
            findings.append(ImportFinding(line, None, "missing 'Courses' row above this header"))
            return None
        else:
            findings.append(
                ImportFinding(
                    line,
                    None,
                    f"unexpected row '{cells[0]}' in the header block; expected one of "
                    + ", ".join(f"'{k}'" for k in (*_HEADER_KEYS, "Courses")),
                )
            )
    else:
        findings.append(ImportFinding(line, None, "no 'Courses' row: the file lists no courses"))
        return None

    system_type = header.get("System Type", "").casefold() or "semester"
    if system_type not in HOURS_PER_CREDIT:
        findings.append(
            ImportFinding(
                system_line,
                None,
                f"System Type must be 'semester' or 'quarter', not '{header['System Type']}'",
            )
        )
        system_type = "semester"

    rows = _course_rows(line, records, findings)
    if rows is None:
        return None
    return CACurriculum(
        name=header["Curriculum"],
        degree_plan=header.get("Degree Plan"),
        institution=header.get("Institution", ""),
        degree_type=header.get("Degree Type", ""),
        system_type=system_type,
        cip=header.get("CIP", ""),
        courses=_courses(rows, findings),
    )


_Row = tuple[int, list[str], dict[str, int], bool]


def _course_rows(
    courses_line: int, records: Iterator[_Record], findings: list[ImportFinding]
) -> list[_Row] | None:
    """The rows of the Courses table and of an Additional Courses table, with their columns."""
    columns = _columns(courses_line, "Courses", records, findings)
    if columns is None:
        return None
    rows: list[_Row] = []
    additional = False
    for line, cells in records:
        section = cells[0].casefold()
        if section in _LATER_SECTIONS:
            break
        if section == "additional courses":
            columns = _columns(line, "Additional Courses", records, findings)
            if columns is None:
                return None
            additional = True
            continue
        rows.append((line, cells, columns, additional))
    return rows


def _columns(
    section_line: int, section: str, records: Iterator[_Record], findings: list[ImportFinding]
) -> dict[str, int] | None:
    """Map known column names (matched case-insensitively) to their positions."""
    record = next(records, None)
    if record is None:
        findings.append(ImportFinding(section_line, None, f"no column header after '{section}'"))
        return None
    line, cells = record
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = _KNOWN_COLUMNS.get(cell.casefold())
        if name is None:
            continue
        if name in columns:
            findings.append(ImportFinding(line, name, f"column '{name}' appears twice"))
        else:
            columns[name] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    for name in missing:
        findings.append(ImportFinding(line, name, f"missing required column '{name}'"))
    return None if missing else columns


def _courses(rows: list[_Row], findings: list[ImportFinding]) -> tuple[CACourse, ...]:
    """Check every row, then keep only requisites naming a course of the file."""
    first_line: dict[str, int] = {}
    parsed: list[_Row] = []
    for line, cells, columns, additional in rows:
        course_id = _cell(cells, columns["Course ID"])
        if not course_id:
            findings.append(ImportFinding(line, "Course ID", "missing Course ID"))
        elif course_id in first_line:
            findings.append(
                ImportFinding(
                    line,
                    "Course ID",
                    f"duplicate Course ID '{course_id}' (first on line {first_line[course_id]})",
                )
            )
        else:
            first_line[course_id] = line
            parsed.append((line, cells, columns, additional))

    courses: list[CACourse] = []
    for line, cells, columns, additional in parsed:
        row = defaultdict(str, {name: _cell(cells, index) for name, index in columns.items()})
        if not row["Course Name"]:
            findings.append(ImportFinding(line, "Course Name", "missing Course Name"))
        raw_hours = row["Credit Hours"]
        credit_hours = float(raw_hours) if _NUMBER.fullmatch(raw_hours) else 0.0
        if not _NUMBER.fullmatch(raw_hours):
            findings.append(
                ImportFinding(
                    line,
                    "Credit Hours",
                    f"Credit Hours must be a number of 0 or more, not '{raw_hours}'"
                    if raw_hours
                    else "missing Credit Hours",
                )
            )
        requisites: dict[str, tuple[str, ...]] = {}
        for column in REQUISITE_COLUMNS:
            known: list[str] = []
            for ref in dict.fromkeys(re.split(r"[;,]", row[column])):
                ref = ref.strip()
                if ref in first_line:
                    known.append(ref)
                elif ref:
                    findings.append(
                        ImportFinding(
                            line,
                            column,
                            f"{_REQUISITE_NAMES[column]} '{ref}' is not a Course ID of this file",
                        )
                    )
            requisites[column] = tuple(known)
        courses.append(
            CACourse(
                course_id=row["Course ID"],
                name=row["Course Name"],
                prefix=row["Prefix"],
                number=row["Number"],
                prerequisites=requisites["Prerequisites"],
                corequisites=requisites["Corequisites"],
                strict_corequisites=requisites["Strict-Corequisites"],
                credit_hours=credit_hours,
                institution=row["Institution"],
                canonical_name=row["Canonical Name"],
                additional=additional,
                line=line,
            )
        )
    findings.extend(_cycles(courses))
    return tuple(courses)


def _cycles(courses: list[CACourse]) -> list[ImportFinding]:
    """One finding per group of courses that (transitively) need themselves."""
    graph = nx.DiGraph()
    graph.add_nodes_from(c.course_id for c in courses)
    graph.add_edges_from((r, c.course_id) for c in courses for r in c.requisites)
    line = {c.course_id: c.line for c in courses}
    found: list[ImportFinding] = []
    for group in nx.strongly_connected_components(graph):
        start = min(group, key=line.__getitem__)
        if len(group) == 1 and not graph.has_edge(start, start):
            continue
        loop = [edge[0] for edge in nx.find_cycle(graph.subgraph(group), source=start)]
        first = loop.index(min(loop, key=line.__getitem__))
        loop = loop[first:] + loop[:first]
        found.append(
            ImportFinding(
                line[loop[0]],
                None,
                "requisite cycle "
                + " -> ".join([*loop, loop[0]])
                + " (Course IDs): no course of it can ever be taken",
            )
        )
    return found


def credential_ids(curriculum: CACurriculum) -> dict[str, str]:
    """Course ID -> credential id, from ``PREFIX NUMBER`` (``MA 113`` -> ``ma-113``).

    Courses without prefix and number get ``course-<Course ID>``. When several courses
    would share an id, each gets its Course ID appended (``ee-490-1116551982``), which
    keeps ids stable when rows are reordered; a numeric suffix settles any rest.
    """
    bases = [slug(c.label) or _join("course", slug(c.course_id) or "x") for c in curriculum.courses]
    counts = Counter(bases)
    taken = {base for base in bases if counts[base] == 1}
    ids: dict[str, str] = {}
    for course, base in zip(curriculum.courses, bases, strict=True):
        if counts[base] == 1:
            ids[course.course_id] = base
            continue
        candidate = _join(base, slug(course.course_id) or "x")
        unique, n = candidate, 2
        while unique in taken:
            unique, n = _join(candidate, str(n)), n + 1
        taken.add(unique)
        ids[course.course_id] = unique
    return ids


def _join(base: str, suffix: str) -> str:
    """``base-suffix`` cut to the 80-character id limit, cutting the base first."""
    room = max(ID_MAX - len(suffix) - 1, 1)
    return f"{base[:room].strip('-')}-{suffix}"[:ID_MAX].strip("-")


def build_graph(curriculum: CACurriculum) -> nx.DiGraph:
    """The credential graph of the imported project: an edge requisite -> course.

    Nodes are the ids of :func:`credential_ids`, so ``compute_metrics`` on this graph gives
    the values Curricular Analytics computes for the curriculum.
    """
    ids = credential_ids(curriculum)
    graph = nx.DiGraph()
    graph.add_nodes_from(ids[c.course_id] for c in curriculum.courses)
    graph.add_edges_from(
        (ids[r], ids[c.course_id]) for c in curriculum.courses for r in c.requisites
    )
    return graph


def render_project(curriculum: CACurriculum) -> dict[str, str]:
    """File name -> YAML text of the project, byte-identical for the same curriculum."""
    ids = credential_ids(curriculum)
    config = "# Imported from Curricular Analytics by `credpath import curricular-analytics`.\n"
    if curriculum.name:
        config += f"name: {_quote(curriculum.name)}\n"
    return {
        "credpath.yaml": config,
        "credentials.yaml": _credentials_yaml(curriculum, ids),
        "outcomes.yaml": _outcomes_yaml(curriculum, ids),
    }


def _credentials_yaml(curriculum: CACurriculum, ids: dict[str, str]) -> str:
    hours_per_credit = HOURS_PER_CREDIT[curriculum.system_type]
    lines = [
        "# One credential per Curricular Analytics course; pre-, co- and strict co-requisites",
        "# are all `requires`. Workload: "
        f"{hours_per_credit} hours and {_number(hours_per_credit / HOURS_PER_ECTS)} ECTS "
        f"per {curriculum.system_type} credit hour.",
    ]
    if not curriculum.institution and any(not c.institution for c in curriculum.courses):
        lines += [
            "# The CSV names no institution for some courses, so they have no provider.",
            "# credpath: disable-file=missing-provider",
        ]
    lines.append("credentials:" if curriculum.courses else "credentials: []")
    titles = _titles(curriculum, ids)
    for course in curriculum.courses:
        hours = round(course.credit_hours * hours_per_credit, 2)
        ects = round(hours / HOURS_PER_ECTS, 2)
        if not (hours > 0 and ects > 0):
            lines += [
                "  # No credit hours, and a workload must be above zero, so none is given.",
                "  # credpath: disable=missing-workload",
            ]
        lines.append(f"  - id: {_plain(ids[course.course_id])}")
        lines.append(f"    title: {_quote(titles[course.course_id])}")
        lines.append("    type: course")
        provider = course.institution or curriculum.institution
        if provider:
            lines.append(f"    provider: {_quote(provider)}")
        lines.append(f"    description: {_quote(_course_description(course, ids))}")
        if hours > 0 and ects > 0:
            lines.append(f"    workload: {{hours: {_number(hours)}, ects: {_number(ects)}}}")
        if course.requisites:
            refs = ", ".join(_plain(ids[r]) for r in course.requisites)
            lines.append(f"    requires: [{refs}]")
    return "\n".join(lines) + "\n"


def _titles(curriculum: CACurriculum, ids: dict[str, str]) -> dict[str, str]:
    """Course names, made unique (credpath's duplicate-title) with the course's label or id."""
    groups: defaultdict[str, list[CACourse]] = defaultdict(list)
    for course in curriculum.courses:
        groups[course.name.casefold()].append(course)
    titles: dict[str, str] = {}
    for group in groups.values():
        labels = [c.label.casefold() for c in group]
        by_label = all(labels) and len(set(labels)) == len(labels)
        for c in group:
            name = c.name or c.label or f"Course {c.course_id}"
            if len(group) > 1:
                name = f"{name} ({c.label if by_label else ids[c.course_id]})"
            titles[c.course_id] = name
    return titles


def _course_description(course: CACourse, ids: dict[str, str]) -> str:
    """Where the course came from, and what the credpath form leaves out (same-term rules)."""
    plural = "" if course.credit_hours == 1 else "s"
    text = f"{course.label}, " if course.label else ""
    text += f"Curricular Analytics course {course.course_id}"
    text += f", {_number(course.credit_hours)} credit hour{plural}."
    if course.canonical_name and course.canonical_name != course.name:
        text += f" Canonical name: {course.canonical_name}."
    if course.corequisites:
        text += " Co-requisites (the source allows the same term): "
        text += ", ".join(ids[r] for r in course.corequisites) + "."
    if course.strict_corequisites:
        text += " Strict co-requisites (the source requires the same term): "
        text += ", ".join(ids[r] for r in course.strict_corequisites) + "."
    if course.additional:
        text += " Listed under Additional Courses."
    return text


def _outcomes_yaml(curriculum: CACurriculum, ids: dict[str, str]) -> str:
    taken = set(ids.values())
    base = slug(curriculum.name) or "degree"
    outcome_id, n = base, 2
    while outcome_id in taken:
        outcome_id, n = _join(base, "degree" if n == 2 else str(n)), n + 1
    facts = [curriculum.degree_type] if curriculum.degree_type else []
    facts += [f"CIP {curriculum.cip}"] if curriculum.cip else []
    description = "Holds every course of the Curricular Analytics curriculum"
    description += f" ({', '.join(facts)})" if facts else ""
    description += f" at {curriculum.institution}." if curriculum.institution else "."
    if curriculum.degree_plan is not None:
        plan = f" '{curriculum.degree_plan}'" if curriculum.degree_plan else ""
        description += (
            f" Imported from the degree plan{plan}, whose terms are not kept:"
            " a co-requisite may share a term, which a credpath stage cannot express."
        )
    lines = ["outcomes:"]
    if any(c.requisites for c in curriculum.courses):
        lines += [
            "  # Requiring every course repeats what other courses' requisites already imply.",
            "  # credpath: disable=redundant-requirement",
        ]
    lines += [
        f"  - id: {_plain(outcome_id)}",
        f"    title: {_quote(curriculum.name or 'Degree')}",
        f"    description: {_quote(description)}",
    ]
    if curriculum.courses:
        lines.append("    requires:")
        lines += [f"      - {_plain(ids[c.course_id])}" for c in curriculum.courses]
    else:
        lines.append("    requires: []")
    return "\n".join(lines) + "\n"


def _number(value: float) -> str:
    """A YAML number with at most two decimals and no exponent: 3, 22.5, 1.33."""
    value = round(value, 2)
    return str(int(value)) if value == int(value) else f"{value:.2f}".rstrip("0")


@functools.lru_cache(maxsize=4096)
def _plain(identifier: str) -> str:
    """An id unquoted when YAML reads it back as that string (not 1e3, true, 0x1f...)."""
    return identifier if yaml.safe_load(identifier) == identifier else _quote(identifier)


def _quote(text: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly ``text``.

    Printable characters stay as they are (UTF-8 output); the rest are escaped, including
    the characters YAML treats as line breaks (NEL, LS, PS).
    """
    out = ['"']
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif _printable(code):
            out.append(char)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def _printable(code: int) -> bool:
    """Characters YAML allows unescaped, minus line breaks and the byte-order mark."""
    if code in (0x2028, 0x2029, 0xFEFF):
        return False
    return (
        0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )
