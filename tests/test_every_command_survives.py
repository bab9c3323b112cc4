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
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
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


# -- a planted workspace -------------------------------------------------------------------
# Every file in the work tree but the YAML being checked may come from someone else: a
# ledger naming files outside its folder, links out of the project and out of the output
# folders, a git repository planted as ordinary files inside the project, option-like
# revisions. Whatever the commands answer, nothing outside may be read, written, deleted
# or run.

SECRET = "secret-token-7f3a"
"""Text that only a file outside the project holds: no command may print it."""

PLANTS = [
    "ledger-parent",
    "ledger-absolute",
    "ledger-through-link",
    "ledger-proc",
    "ledger-deep",
    "ledger-dev-zero",
    "yaml-link-out",
    "folder-link-out",
    "gitignore-dev-zero",
    "output-folder-link",
    "nested-repository",
]
OUTPUTS = ["site", "ctdl", "ob3", "diagrams"]


def _git(where: Path, *args: str) -> None:
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "-C", str(where), *identity, *args], check=True, capture_output=True)


def _snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry below ``folder`` without following links: a file's bytes, a link's target."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[name] = os.readlink(path)
        elif path.is_file():
            found[name] = path.read_bytes()
    return found


def _plant_ledger(output: Path, plants: set[str], victim: Path, outside: Path) -> None:
    output.mkdir()
    ledger = output / ".credpath-written"
    if "ledger-dev-zero" in plants:
        ledger.symlink_to("/dev/zero")
        return
    if "ledger-deep" in plants:
        ledger.write_text("[" * 200_000 + "]" * 200_000)
        return
    digest = hashlib.sha256(victim.read_bytes()).hexdigest()
    files: dict[str, str] = {}
    if "ledger-parent" in plants:
        files[os.path.relpath(victim, output)] = digest
    if "ledger-absolute" in plants:
        files[str(victim)] = digest
    if "ledger-through-link" in plants:
        (output / "d").symlink_to(outside, target_is_directory=True)
        files["d/victim.txt"] = digest
    if "ledger-proc" in plants and Path("/proc/self/pagemap").exists():
        (output / "p").symlink_to("/proc/self", target_is_directory=True)
        files["p/pagemap"] = digest
    if "output-folder-link" in plants:
        for name in ("credentials", "outcomes", "achievements"):
            (output / name).symlink_to(outside / "pages", target_is_directory=True)
    ledger.write_text(json.dumps({"written_by": "credpath", "files": files}))


def _plant_repository(project: Path, marker: Path) -> None:
    """The files of a git repository inside the project folder, committed as ordinary files:
    its config defines a filter that would create ``marker``, its commit applies it."""
    planted = project.parent / "planted"
    planted.mkdir()
    _git(planted, "init", "-q")
    (planted / ".gitattributes").write_text("* filter=pwn\n")
    shutil.copy(project / "outcomes.yaml", planted / "outcomes.yaml")
    _git(planted, "add", "-A")
    _git(planted, "commit", "-qm", "planted")
    for entry in (planted / ".git").iterdir():
        if entry.name in ("HEAD", "config", "objects", "refs"):
            copy_entry = shutil.copytree if entry.is_dir() else shutil.copy
            copy_entry(entry, project / entry.name)
    with (project / "config").open("a") as config:
        config.write(f'[filter "pwn"]\n\tsmudge = touch {marker} && cat\n\trequired = true\n')
    shutil.rmtree(planted)


def _workspace(base: Path, plants: set[str]) -> tuple[Path, Path, Path]:
    """The work tree (a git repository holding ``project``), the folder outside it, and
    the marker file a planted command would create."""
    outside, work = base / "outside", base / "work"
    (outside / "pages").mkdir(parents=True)
    victim = outside / "victim.txt"
    victim.write_text("the user's own file\n")
    (outside / "secret.yaml").write_text(
        f"credentials:\n  - {{id: {SECRET}, title: {SECRET}, type: course}}\n"
    )
    project = work / "project"
    shutil.copytree(EXAMPLE, project)
    if "yaml-link-out" in plants:
        (project / "credentials" / "linked.yaml").symlink_to(outside / "secret.yaml")
    if "folder-link-out" in plants:
        (project / "more").symlink_to(outside, target_is_directory=True)
    if "gitignore-dev-zero" in plants:
        (project / ".gitignore").symlink_to("/dev/zero")
    marker = base / "pwned"
    for name in OUTPUTS:
        _plant_ledger(work / name, plants, victim, outside)
    _git(work, "init", "-q")
    _git(work, "add", "-A", "project")
    _git(work, "commit", "-qm", "base")
    if "nested-repository" in plants:
        _plant_repository(project, marker)
        _git(work, "add", "-A", "project")
        _git(work, "commit", "-qm", "a pull request")
    return work, outside, marker


def _planted_commands(victim: Path) -> list[list[str]]:
    project = "project"
    return [
        ["validate", project, "-f", "json"],
        ["lint", project],
        ["compile", project],
        ["metrics", project, "-f", "json"],
        ["site", project, "--no-diagrams", "-o", "site", "--force"],
        ["site", project, "--no-diagrams", "-o", "site"],
        ["render", project, "--all", "-f", "dot", "-o", "diagrams", "--force"],
        ["export", "ctdl", project, "-o", "ctdl", "--force"],
        ["export", "ob3", project, "-o", "ob3", "--force"],
        ["new", "credential", "planted-x", "--file", f"{project}/credentials/linked.yaml"],
        ["diff", "git:HEAD", project],
        ["diff", f"git:--output={victim}", project],
        ["diff", f"git:-o{victim}", project],
    ]


@pytest.mark.skipif(not EXAMPLE.is_dir(), reason="needs curricula/data-careers")
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plants=st.sets(st.sampled_from(PLANTS), min_size=1))
@example(plants=set(PLANTS) - {"ledger-deep", "ledger-dev-zero"})
@example(plants={"ledger-deep", "nested-repository"})
@example(plants={"ledger-dev-zero", "gitignore-dev-zero"})
def test_a_planted_workspace_leads_no_command_outside(
    plants: set[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = Path(tempfile.mkdtemp(dir=tmp_path))
    work, outside, marker = _workspace(base, plants)
    before = _snapshot(outside)
    monkeypatch.chdir(work)
    for command in _planted_commands(outside / "victim.txt"):
        run = credpath(*command)
        assert run.exit_code in (0, 1, 2), (plants, command, run.stderr[-2000:])
        assert "internal error" not in run.stderr, (plants, command)
        assert SECRET not in run.stdout + run.stderr, (plants, command)
        assert _snapshot(outside) == before, (plants, command)
        assert not marker.exists(), (plants, command)
