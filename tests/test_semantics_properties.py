"""FORMAT.md section 3 as properties: the reachable set, checked on random small projects.

Each project is built as plain Python data, written as YAML files, and loaded the way
``credpath validate`` loads it. An independent oracle below evaluates requirements on the
raw data, so the properties do not lean on the code they test:

- the reachable set is the fixpoint of "earn every earnable credential" from ``assumed``;
- it is monotone: adding an active credential never removes anything from it;
- retired credentials are never in it, nor drafts under ``--no-drafts``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from credpath.checks.context import Options
from credpath.checks.engine import check
from credpath.compiler.requirements import refs
from credpath.compiler.semantics import Semantics, all_chain, satisfied
from strategies import Project, credential_data, projects

STRUCTURAL = {
    "yaml-syntax",
    "duplicate-key",
    "schema",
    "duplicate-id",
    "unknown-reference",
    "wrong-reference",
}


def semantics(project: Project, *, no_drafts: bool = False) -> Semantics:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, text in project.files().items():
            (root / name).write_text(text, encoding="utf-8")
        result = check(root, root, Options(no_drafts=no_drafts))
    structural = [d.format() for d in result.diagnostics if d.rule in STRUCTURAL]
    assert structural == [], "the generator made an invalid project"
    return result.context.semantics


# -- the oracle: requirements evaluated on the raw data -------------------------------------


def holds(requirement: Any, held: set[str], levels: dict[str, int]) -> bool:
    if requirement is None:
        return True
    if isinstance(requirement, str):
        target, _, level = requirement.partition("@")
        if target.startswith("c"):
            return target in held
        return levels.get(target, 0) >= (int(level) if level else 1)
    if isinstance(requirement, list):
        return all(holds(item, held, levels) for item in requirement)
    if "all" in requirement:
        return all(holds(item, held, levels) for item in requirement["all"])
    if "any" in requirement:
        return any(holds(item, held, levels) for item in requirement["any"])
    met = sum(holds(item, held, levels) for item in requirement["from"])
    return met >= int(requirement["choose"])


def start_levels(project: Project) -> dict[str, int]:
    """``assumed`` competencies at their top level, or at the level written."""
    levels: dict[str, int] = {}
    for reference in project.assumed:
        target, _, level = reference.partition("@")
        levels[target] = max(levels.get(target, 0), int(level) if level else project.levels[target])
    return levels


def oracle_reachable(project: Project, usable: Iterable[str]) -> tuple[set[str], dict[str, int]]:
    """Earn everything earnable, again and again, until nothing changes."""
    allowed = set(usable)
    held: set[str] = set()
    levels = start_levels(project)
    changed = True
    while changed:
        changed = False
        for credential in project.credentials:
            earnable = credential["id"] in allowed and credential["id"] not in held
            if earnable and holds(credential.get("requires"), held, levels):
                held.add(credential["id"])
                for grant in credential.get("grants", []):
                    target, _, level = grant.partition("@")
                    levels[target] = max(levels.get(target, 0), int(level))
                changed = True
    return held, levels


def usable_ids(project: Project, *, no_drafts: bool = False) -> set[str]:
    excluded = {"retired", "draft"} if no_drafts else {"retired"}
    return {c["id"] for c in project.credentials if c["status"] not in excluded}


# -- the properties -------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(project=projects(), no_drafts=st.booleans())
def test_reachable_is_the_fixpoint_of_earning(project: Project, no_drafts: bool) -> None:
    sem = semantics(project, no_drafts=no_drafts)
    expected_held, expected_levels = oracle_reachable(
        project, usable_ids(project, no_drafts=no_drafts)
    )
    assert sem.reachable == expected_held
    assert sem.reachable_state.levels == expected_levels
    state = sem.reachable_state
    raw = {c["id"]: c for c in project.credentials}
    for credential in sem.catalog.credentials.values():
        earnable = holds(raw[credential.id].get("requires"), state.held, state.levels)
        assert satisfied(credential.requires, state) == earnable
        if credential.id in sem.reachable:
            assert earnable, f"{credential.id} is reachable but its requires is not met"
        elif sem.usable(credential):
            assert not earnable, f"{credential.id} is earnable from the reachable state"


@settings(max_examples=75, deadline=None)
@given(data=st.data())
def test_adding_an_active_credential_never_shrinks_reachable(data: st.DataObject) -> None:
    project = data.draw(projects(max_credentials=6))
    ids = [c["id"] for c in project.credentials]
    new_id = f"c{len(ids)}"
    extra = data.draw(credential_data([*ids, new_id], project.levels, new_id, status="active"))
    before = semantics(project).reachable
    after = semantics(project.with_credential(extra)).reachable
    assert before <= after


@settings(max_examples=75, deadline=None)
@given(project=projects())
def test_retired_credentials_are_never_reachable_and_drafts_only_with_drafts(
    project: Project,
) -> None:
    everything = semantics(project)
    published = semantics(project, no_drafts=True)
    status = {c["id"]: c["status"] for c in project.credentials}
    assert not any(status[c] == "retired" for c in everything.reachable)
    assert not any(status[c] != "active" for c in published.reachable)
    assert published.reachable <= everything.reachable


def test_the_oracle_agrees_on_a_hand_worked_project() -> None:
    """c0 from nothing; c1 needs c0; c2 needs two of three; c3 is retired; c4 waits on c3."""
    project = Project(
        {"k0": 2, "k1": 1},
        (
            {"id": "c0", "title": "C0", "type": "course", "status": "active", "grants": ["k0@1"]},
            {
                "id": "c1",
                "title": "C1",
                "type": "course",
                "status": "active",
                "requires": ["c0", "k1"],
                "grants": ["k0@2"],
            },
            {
                "id": "c2",
                "title": "C2",
                "type": "course",
                "status": "draft",
                "requires": {"choose": 2, "from": ["k0@2", "c3", "k1@1"]},
                "grants": [],
            },
            {"id": "c3", "title": "C3", "type": "course", "status": "retired", "grants": []},
            {
                "id": "c4",
                "title": "C4",
                "type": "course",
                "status": "active",
                "requires": {"any": ["c3", "c2"]},
                "grants": [],
            },
        ),
        ("k1",),
    )
    assert oracle_reachable(project, usable_ids(project)) == (
        {"c0", "c1", "c2", "c4"},
        {"k0": 2, "k1": 1},
    )
    assert semantics(project).reachable == {"c0", "c1", "c2", "c4"}
    assert semantics(project, no_drafts=True).reachable == {"c0", "c1"}


@settings(max_examples=150, deadline=None)
@given(project=projects(max_credentials=9, learners=True))
def test_outcomes_of_is_the_search_from_each_outcome(project: Project) -> None:
    """The one-pass propagation (outcomes_of) agrees with the search per outcome."""
    sem = semantics(project)
    found = {credential: outcomes for credential, outcomes in sem.outcomes_of.items() if outcomes}
    expected: dict[str, list[str]] = {}
    for outcome in sorted(sem.catalog.outcomes):
        for credential in sem.leading_to_outcome(outcome):
            expected.setdefault(credential, []).append(outcome)
    assert found == expected


@settings(max_examples=60, deadline=None)
@given(project=projects(max_credentials=9, learners=True))
def test_leading_to_outcome_reads_the_same_after_outcomes_of(project: Project) -> None:
    searched = semantics(project)
    expected = {o: searched.leading_to_outcome(o) for o in searched.catalog.outcomes}
    propagated = semantics(project)
    propagated.outcomes_of  # noqa: B018 - from now on read from it
    assert {o: propagated.leading_to_outcome(o) for o in expected} == expected


def guaranteed_by_search(sem: Semantics, credential_id: str) -> tuple[set[str], dict[str, int]]:
    """What holding it guarantees, by a plain search over what requirements name on every
    way of meeting them (the oracle: no memo, loops included)."""
    held, levels, todo = {credential_id}, {}, [credential_id]
    while todo:
        credential = sem.catalog.credentials.get(todo.pop())
        if credential is None:
            continue
        reached = [(g.target, g.number) for g in credential.grants]
        for ref in all_chain(credential.requires):
            if ref.kind == "competency":
                reached.append((ref.target, ref.number))
            elif ref.target not in held:
                held.add(ref.target)
                todo.append(ref.target)
        for target, level in reached:
            levels[target] = max(levels.get(target, 0), level)
    return held, levels


@settings(max_examples=200, deadline=None)
@given(project=projects(max_credentials=9, learners=True), data=st.data())
def test_what_a_credential_guarantees_does_not_depend_on_what_was_asked_first(
    project: Project, data: st.DataObject
) -> None:
    """Proof of a credential is proof of what its requirements name on every way,
    transitively; in a loop each member guarantees the others, whichever is asked first
    (the site's script keeps its answers across questions too)."""
    sem = semantics(project)
    ids = sorted(sem.catalog.credentials)
    order = data.draw(st.permutations(ids))
    for credential_id in order:
        guarantee = sem.guarantees.of(credential_id)
        expected = guaranteed_by_search(sem, credential_id)
        assert (guarantee.credentials, guarantee.levels) == expected, credential_id


@settings(max_examples=200, deadline=None)
@given(project=projects(max_credentials=9, learners=True))
def test_still_leads_without_is_the_search_from_the_outcomes_without_that_reference(
    project: Project,
) -> None:
    """Searched backwards from each credential the reference serves, the answer is the
    forward search from every outcome with that one occurrence left out."""
    sem = semantics(project)
    outcomes = [o.requires for o in sem.catalog.outcomes.values()]
    written = [r for requirement in outcomes for r in refs(requirement)]
    written += [r for c in sem.active for r in refs(c.requires)]
    for ref in written:
        servers = {s.id for s in sem.servers(ref) if s.id in sem.leads_to}
        expected = servers <= leading_without(sem, ref)
        assert sem.still_leads_without(ref) == expected, ref.text


def leading_without(sem: Semantics, skipped: object) -> set[str]:
    """The credentials the outcomes lead to, searched forwards from every outcome as if
    the one occurrence ``skipped`` were not written (the oracle)."""
    found: set[str] = set()
    todo = [r for o in sem.catalog.outcomes.values() for r in refs(o.requires)]
    while todo:
        ref = todo.pop()
        if ref is skipped:
            continue
        for server in sem.servers(ref):
            if server.id not in found:
                found.add(server.id)
                todo.extend(refs(server.requires))
    return found
