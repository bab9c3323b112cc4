"""Every command on a broken project: an answer, a finding or a usage error, never a crash.

``test_hostile`` feeds random text to ``validate``. Here the example project of
``curricula/`` is edited the way authors break a catalog (a field of the wrong type, a
reference to nothing or to itself, a duplicate, an entry gone, a status changed) and
every command that reads a catalog runs on the result: plan, next, render (through
Graphviz too, when it is installed), the site, the exports, metrics, diff. None may end
in an internal error (exit 3).
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import credpath

EXAMPLE = Path(__file__).parent.parent / "curricula" / "data-careers"

ODD_VALUES: list[Any] = [
    None,
    0,
    -1,
    1.5,
    10**30,
    True,
    "",
    "<b>&amp;</b>",
    "é\u2028x",
    "\x07",
    [],
    {},
    [None],
    {"any": []},
    {"choose": 2},
    {"choose": 3, "of": ["a", "b"]},
    {"hours": -5},
    {"hours": "ten"},
    "a@0",
    "a@-1",
    "a@99",
    "@",
    "a,b",
]
"""Values an author can write where another was expected."""

FIELDS = ["status", "requires", "grants", "levels", "assumed", "type", "workload", "stages"]


def _nodes(document: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(document, dict):
        for key, value in document.items():
            found += _nodes(value, (*path, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += _nodes(value, (*path, index))
    return found


def _ids(documents: dict[Path, Any], kind: str) -> list[str]:
    return [
        entry["id"]
        for document in documents.values()
        if isinstance(document, dict) and isinstance(document.get(kind), list)
        for entry in document[kind]
        if isinstance(entry, dict) and isinstance(entry.get("id"), str)
    ]


Edit = tuple[int, int, str, int, int]
"""(file, node, action, value, field): indexes taken modulo what is there to choose from."""

edits = st.lists(
    st.tuples(
        st.integers(0, 50),
        st.integers(0, 10**4),
        st.sampled_from(["odd", "reference", "drop", "duplicate", "field"]),
        st.integers(0, 10**3),
        st.integers(0, len(FIELDS) - 1),
    ),
    min_size=1,
    max_size=4,
)


def broken_project(changes: list[Edit]) -> dict[Path, Any]:
    """The example's files (relative path: YAML document), edited."""
    documents = {
        path.relative_to(EXAMPLE): yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(EXAMPLE.rglob("*.yaml"))
    }
    references = _ids(documents, "credentials") + [
        f"{c}@{level}" for c in _ids(documents, "competencies") for level in (1, 2, 3)
    ]
    names = sorted(documents)
    for file, node, action, value, field in changes:
        document = documents[names[file % len(names)]]
        paths = [p for p in _nodes(document) if p]
        if not paths:
            continue
        path = paths[node % len(paths)]
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        key = path[-1]
        if action == "odd":
            parent[key] = copy.deepcopy(ODD_VALUES[value % len(ODD_VALUES)])
        elif action == "reference":
            parent[key] = references[value % len(references)]
        elif action == "drop":
            del parent[key]
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        elif isinstance(parent, dict):
            choices = [*ODD_VALUES, *references, "retired", "draft"]
            parent[FIELDS[field]] = copy.deepcopy(choices[value % len(choices)])
    return documents


def _commands(project: str, outcome: str, credential: str, have: str) -> list[list[str]]:
    return [
        ["validate", project, "-f", "json"],
        ["lint", project, "-f", "sarif"],
        ["compile", project],
        ["plan", outcome, project, "--have", have, "-f", "json"],
        ["next", project, "--have", have, "--no-drafts"],
        ["render", project, "-f", "dot"],
        ["render", project, "--credential", credential, "--depth", "2", "-f", "mermaid"],
        ["render", project, "--outcome", outcome, "-f", "dot"],
        ["metrics", project, "-f", "json"],
        ["site", project, "--no-diagrams", "-o", "site", "--force"],
        ["export", "ctdl", project, "-o", "ctdl", "--force"],
        ["export", "ob3", project, "-o", "ob3", "--force"],
        ["diff", str(EXAMPLE), project, "-f", "markdown"],
        *([["render", project, "-o", "map.svg", "--force"]] if shutil.which("dot") else []),
    ]


@pytest.mark.skipif(not EXAMPLE.is_dir(), reason="needs curricula/data-careers")
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=edits, pick=st.integers(0, 10**6))
def test_no_command_ends_in_an_internal_error(
    changes: list[Edit],
    pick: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    documents = broken_project(changes)
    shutil.rmtree("project", ignore_errors=True)
    for name, document in documents.items():
        target = Path("project") / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False))
    outcomes = _ids(documents, "outcomes") or ["nothing"]
    credentials = _ids(documents, "credentials") or ["nothing"]
    have = ",".join(credentials[pick % len(credentials) :][:3])
    outcome, credential = outcomes[pick % len(outcomes)], credentials[pick % len(credentials)]
    for command in _commands("project", outcome, credential, have):
        run = credpath(*command)
        assert run.exit_code in (0, 1, 2), (command, run.stderr[-2000:])
        assert "internal error" not in run.stderr, command
        if command[-2:] == ["-f", "json"] and run.exit_code in (0, 1) and run.stdout:
            json.loads(run.stdout)  # machine-readable even when the project is broken
