"""The random project generator of the property tests, shared by every test that needs one.

A ``Project`` is plain Python data, written as YAML files and loaded the way
``credpath validate`` loads it: competencies with 1 to 3 levels, credentials with
nested all/any/choose requirements over each other (so cycles happen) and over
competency levels, statuses (active, draft, retired) and assumed competencies.
With ``learners=True`` it also has workloads, job outcomes and a curated pathway,
which is what ``plan`` and ``next`` read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from hypothesis import strategies as st


@dataclass(frozen=True)
class Project:
    levels: dict[str, int]
    """Competency id -> number of levels."""
    credentials: tuple[dict[str, Any], ...]
    assumed: tuple[str, ...]
    outcomes: tuple[dict[str, Any], ...] = ()
    pathways: tuple[dict[str, Any], ...] = ()

    def files(self) -> dict[str, str]:
        competencies = [
            {"id": c, "title": c.upper(), "levels": [f"L{i}" for i in range(1, n + 1)]}
            for c, n in self.levels.items()
        ]
        curriculum: dict[str, Any] = {
            "competencies": competencies,
            "credentials": list(self.credentials),
        }
        if self.outcomes:
            curriculum["outcomes"] = list(self.outcomes)
        if self.pathways:
            curriculum["pathways"] = list(self.pathways)
        return {
            "credpath.yaml": yaml.safe_dump({"assumed": list(self.assumed)}),
            "curriculum.yaml": yaml.safe_dump(curriculum, sort_keys=False),
        }

    def with_credential(self, credential: dict[str, Any]) -> Project:
        return Project(
            self.levels, (*self.credentials, credential), self.assumed, self.outcomes, self.pathways
        )


@st.composite
def projects(draw: st.DrawFn, max_credentials: int = 7, *, learners: bool = False) -> Project:
    count = draw(st.integers(1, 4))
    levels = {f"k{i}": draw(st.integers(1, 3)) for i in range(count)}
    ids = [f"c{i}" for i in range(draw(st.integers(0, max_credentials)))]
    credentials = tuple(
        draw(credential_data(ids, levels, credential_id, workload=learners))
        for credential_id in ids
    )
    assumed = draw(
        st.lists(st.sampled_from(sorted(levels)), max_size=2, unique=True).flatmap(
            lambda names: st.tuples(
                *[
                    st.sampled_from([name, *(f"{name}@{n}" for n in range(1, levels[name] + 1))])
                    for name in names
                ]
            )
        )
    )
    if not learners:
        return Project(levels, credentials, assumed)
    outcomes = tuple(
        {"id": f"job{j}", "title": f"Job {j}", "requires": draw(requirements(ids, levels))}
        for j in range(draw(st.integers(1, 2)))
    )
    pathways: tuple[dict[str, Any], ...] = ()
    if ids and draw(st.booleans()):
        stage = st.lists(st.sampled_from(ids), min_size=1, max_size=2, unique=True)
        stages = draw(st.lists(stage, min_size=1, max_size=3))
        pathways = ({"id": "curated", "title": "Curated", "outcome": "job0", "stages": stages},)
    return Project(levels, credentials, assumed, outcomes, pathways)


def competency_references(levels: dict[str, int]) -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(levels)).flatmap(
        lambda name: st.sampled_from([name, *(f"{name}@{n}" for n in range(1, levels[name] + 1))])
    )


def requirements(ids: list[str], levels: dict[str, int]) -> st.SearchStrategy[Any]:
    leaves = competency_references(levels)
    if ids:
        leaves = st.one_of(leaves, st.sampled_from(ids))

    def operators(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        some = st.lists(children, min_size=1, max_size=3)
        return st.one_of(
            some,
            some.map(lambda items: {"all": items}),
            some.map(lambda items: {"any": items}),
            some.flatmap(
                lambda items: st.integers(1, len(items)).map(lambda n: {"choose": n, "from": items})
            ),
        )

    return st.recursive(leaves, operators, max_leaves=5)


WORKLOADS = st.sampled_from(
    [None, {"hours": 5}, {"hours": 10}, {"hours": 20}, {"hours": 40}, {"hours": 7.5}, {"ects": 2}]
)


def credential_data(
    ids: list[str],
    levels: dict[str, int],
    credential_id: str,
    status: str | None = None,
    *,
    workload: bool = False,
) -> st.SearchStrategy[dict[str, Any]]:
    grants = st.lists(
        st.sampled_from(sorted(levels)).flatmap(
            lambda name: st.integers(1, levels[name]).map(lambda n: f"{name}@{n}")
        ),
        max_size=2,
    )
    statuses = st.just(status) if status else st.sampled_from(["active"] * 3 + ["draft", "retired"])
    workloads = WORKLOADS if workload else st.none()
    return st.builds(
        lambda requires, granted, chosen, hours: {
            "id": credential_id,
            "title": credential_id.upper(),
            "type": "course",
            "status": chosen,
            **({} if requires is None else {"requires": requires}),
            "grants": granted,
            **({} if hours is None else {"workload": hours}),
        },
        st.one_of(st.none(), st.just([]), requirements(ids, levels)),
        grants,
        statuses,
        workloads,
    )
