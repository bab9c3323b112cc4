"""Fix and check again: folding keeps its promise on random projects (issue 33).

A finding is folded into a root only when fixing that root, as its message says, makes
the folded finding go away (docs/rules.md, "Folding"). For random projects from the
property tests' generator (levels, any/choose, drafts, retired credentials, cycles,
outcomes, a curated pathway), with typos in references, grants and ``assumed``, level
names mistyped and ids defined twice, each root that absorbed something is fixed the
way its message says, and the project is checked again:

- every finding folded into it is gone;
- no finding folded into another root is now reported on its own.

The fixes: a gap gets a credential that grants the level and requires nothing; a cycle
loses the requirements its members have on each other (met by an assumed competency
instead); an id defined twice is given an id of its own; a reference with a
did-you-mean is written as suggested; a credential whose own finding names several
causes loses its requirements. One exception, which docs/format.md makes: an entry
folded into broken references of its own is not held to the first promise (once the
reference is written, what it names may still be out of reach, and is reported then).
"""

from __future__ import annotations

import copy
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import write_files
from credpath.base.diagnostics import Diagnostic, Subject, SubjectKind, fold
from credpath.checks.context import Options
from credpath.checks.engine import check
from strategies import Project, projects

OK = "fixed-ok"
"""An assumed competency: a reference to it is always met."""

Data = dict[str, Any]


@st.composite
def broken_projects(draw: st.DrawFn) -> Data:
    """A random project as YAML data, with a few typos and an id defined twice."""
    project: Project = draw(projects(learners=True))
    files = project.files()
    data: Data = yaml.safe_load(files["curriculum.yaml"])
    data["competencies"].append({"id": OK, "title": "OK"})
    data["assumed"] = [*yaml.safe_load(files["credpath.yaml"])["assumed"], OK]
    places = list(_written(data))
    for _ in range(draw(st.integers(0, 2))):
        if places:
            holder, key = draw(st.sampled_from(places))
            text = holder[key]
            target, at, level = text.partition("@")
            if at and draw(st.booleans()):
                holder[key] = f"{target}@{level}x"  # a level number read as a name: no suggestion
            else:
                holder[key] = f"{target}x{at}{level}"
    credentials = data["credentials"]
    if credentials and draw(st.booleans()):
        twin = copy.deepcopy(draw(st.sampled_from(credentials)))
        twin["grants"] = draw(st.lists(st.sampled_from(sorted(project.levels)), max_size=2))
        if draw(st.booleans()):
            twin.pop("requires", None)
        credentials.append(twin)
    return data


def _written(data: Data) -> Any:
    """(container, key) of every reference written in the project."""

    def walk(holder: Any, key: Any) -> Any:
        value = holder[key]
        if isinstance(value, str):
            yield holder, key
        elif isinstance(value, list):
            for index in range(len(value)):
                yield from walk(value, index)
        elif isinstance(value, dict):
            for inner in ("all", "any", "from"):
                if inner in value:
                    yield from walk(value, inner)

    for credential in data["credentials"]:
        for field in ("requires", "grants"):
            if field in credential:
                yield from walk(credential, field)
    for outcome in data.get("outcomes", []):
        yield from walk(outcome, "requires")
    for pathway in data.get("pathways", []):
        yield from walk(pathway, "stages")
    yield from ((data["assumed"], i) for i in range(len(data["assumed"]) - 1))


def findings(data: Data) -> list[Diagnostic]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        curriculum = {k: v for k, v in data.items() if k != "assumed"}
        write_files(
            root,
            {
                "credpath.yaml": yaml.safe_dump({"assumed": data["assumed"]}),
                "curriculum.yaml": yaml.safe_dump(curriculum, sort_keys=False),
            },
        )
        return check(root, root, Options()).findings


def fixed(data: Data, root: Diagnostic, found: list[Diagnostic]) -> Data | None:
    """``data`` with ``root`` fixed as its message says; None when it says no one way."""
    subject = root.subject
    if subject is None:
        return None
    data = copy.deepcopy(data)
    if subject.kind is SubjectKind.GAP:
        grant = {"id": "fix-gap", "title": "Fix", "type": "course", "grants": [subject.name]}
        data["credentials"].append(grant)
        return data
    if subject.kind is SubjectKind.DUPLICATE:
        twins = [c for c in data["credentials"] if c["id"] == subject.name]
        if len(twins) < 2:
            return None  # defined again as another kind: not one of the generated twins
        twins[-1]["id"] = f"{subject.name}-own"
        return data
    if subject.kind is SubjectKind.CYCLE:
        return _loops_broken(data, found, subject)
    if subject.kind is SubjectKind.ENTRY and root.rule == "unearnable":
        credential = next(c for c in data["credentials"] if c["id"] == subject.name)
        credential.pop("requires", None)
        return data
    suggested = re.search(r"did you mean '([^']+)'", root.message)
    if subject.kind in {SubjectKind.PART, SubjectKind.PLACE} and suggested:
        return _as_suggested(data, root, subject, suggested.group(1))
    if subject.kind is SubjectKind.PART and root.message.startswith("unknown id '"):
        return _as_suggested(data, root, subject, OK, level=False)  # any id that exists
    return None


def _loops_broken(data: Data, found: list[Diagnostic], cycle: Subject) -> Data:
    """Every requirement the cycle's members have on each other, met by ``OK`` instead."""
    message = next(d.message for d in found if d.subject == cycle)
    loop = re.search(r"cycle: (.*?); none", message)
    assert loop is not None
    members = set(re.findall(r"[a-z0-9]+", loop.group(1)))
    listed = re.search(r"\(members: ([^)]*)\)", message)
    if listed:
        members |= set(listed.group(1).split(", "))
    twins = [c for c in data["credentials"] if c["id"] in members]
    granted = {
        (target, int(level or 1))
        for c in twins
        for target, _, level in (g.partition("@") for g in c.get("grants", []))
        if not level or level.isdigit()
    }
    for credential in twins:
        if "requires" not in credential:
            continue
        for holder, key in _requirement_texts(credential, "requires"):
            target, _, level = holder[key].partition("@")
            number = int(level[1:]) if level.startswith("L") and level[1:].isdigit() else 1
            served = any(c == target and n >= number for c, n in granted)
            if target in members or served:
                holder[key] = OK
    return data


def _requirement_texts(holder: Any, key: Any) -> Any:
    value = holder[key]
    if isinstance(value, str):
        yield holder, key
    elif isinstance(value, list):
        for index in range(len(value)):
            yield from _requirement_texts(value, index)
    elif isinstance(value, dict):
        for inner in ("all", "any", "from"):
            if inner in value:
                yield from _requirement_texts(value, inner)


def _as_suggested(
    data: Data, root: Diagnostic, subject: Subject, meant: str, *, level: bool = True
) -> Data | None:
    """The reference at the root's place written with the id or level it suggests (with
    ``level`` False: the id alone)."""
    if subject.kind is SubjectKind.PLACE:
        holder: Any = data["assumed"]
        path: tuple[Any, ...] = subject.part[2:]
    else:
        entries = [
            e for kind in ("credentials", "outcomes", "pathways") for e in data.get(kind, [])
        ]
        matching = [e for e in entries if e["id"] == subject.name]
        if len(matching) != 1:
            return None
        holder, path = matching[0], subject.part
    for step in path[:-1]:
        holder = holder[step]
    text = holder[path[-1]]
    if not isinstance(text, str):
        return None
    target, at, written_level = text.partition("@")
    if root.rule == "wrong-reference":
        holder[path[-1]] = f"{target}@{meant}"
    else:
        holder[path[-1]] = f"{meant}{at}{written_level}" if level else meant
    return data


def _own_broken_reference(d: Diagnostic) -> bool:
    """Folded into a broken reference of its own entry: the exception docs/format.md
    makes (an entry whose own requirement is broken is not also unreachable), whose
    fix can only tell what the reference, once written, names."""
    name = d.subject.name if d.subject is not None else None
    return all(c.kind is SubjectKind.PART and c.name == name for c in d.cause)


def key(d: Diagnostic) -> tuple[str, Subject | None, str]:
    return (d.rule, d.subject, d.path if d.subject is None else "")


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,  # the same 250 projects in every run: CI gates on what was checked
)
@given(broken_projects())
def test_fixing_a_root_makes_what_it_absorbed_go_away(data: Data) -> None:
    found = findings(data)
    roots = [d for d in fold(found) if d.absorbed]
    for root in roots:
        after = fixed(data, root, found)
        if after is None:
            continue
        again = findings(after)
        left = {key(d) for d in again}
        for absorbed in root.absorbed:
            if not _own_broken_reference(absorbed):
                assert key(absorbed) not in left, (root.message, absorbed.message)
        reported = {key(d) for d in fold(again)}
        for other in roots:
            for absorbed in other.absorbed if other is not root else ():
                assert key(absorbed) not in reported, (root.message, absorbed.message)
