"""The resident engine finds after every edit exactly what a cold ``validate`` finds.

A random project (tests/strategies.py), split over several files, is edited again and
again: titles, descriptions and comments (the engine's fast path, including titles that
stop being text and suppression comments), requirements, grants, statuses, entries
added (new ids and duplicate ones), removed and moved, cycles made, YAML syntax broken
and mended, files deleted, renamed and created, credpath.yaml changed; some edits reach
the engine as an editor's unsaved text. After each, ``Workspace.update`` and a cold
``engine.check`` of the same tree must give the same findings, field for field, folded
and not, and the same report; so must a one-shot ``check`` with the caches on (parses,
findings and the graph rules' findings kept from the run before the edit).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credpath.base.diagnostics import Diagnostic
from credpath.checks.context import Options
from credpath.checks.engine import Result, check
from credpath.checks.report import REPORTERS, Report
from credpath.checks.workspace import Workspace
from credpath.compiler.config import ConfigError
from strategies import Project, projects, requirements

TITLES = ["New title", "C1 renamed (v2)", "Data literacy 101", "123", "null", "yes", "a: b", ""]
DESCRIPTIONS = [None, "Short.", "A longer description of what is learnt", "42"]
CONFIG_RULES = [{}, {"dead-end": "off"}, {"gap": "warning"}, {"unearnable": "info"}]
MTIME_BASE = 1_600_000_000 * 10**9
"""Files get distinct modification times long past, so the engine may trust them."""


class Tree:
    """A project as data (files of entries by kind, credpath.yaml), written to a folder."""

    def __init__(self, root: Path, project: Project, split: int) -> None:
        self.root = root
        self.config: dict[str, Any] = {"assumed": list(project.assumed)}
        self.levels = project.levels
        competencies = [
            {"id": c, "title": c.upper(), "levels": [f"L{i}" for i in range(1, n + 1)]}
            for c, n in project.levels.items()
        ]
        self.files: dict[str, dict[str, list[dict[str, Any]]]] = {
            "competencies.yaml": {"competencies": competencies}
        }
        for index, credential in enumerate(project.credentials):
            name = f"credentials-{index % split}.yaml"
            self.files.setdefault(name, {}).setdefault("credentials", []).append(dict(credential))
        if project.outcomes:
            self.files["outcomes.yaml"] = {"outcomes": [dict(o) for o in project.outcomes]}
        if project.pathways:
            self.files["outcomes.yaml"]["pathways"] = [dict(p) for p in project.pathways]
        self.broken: set[str] = set()
        self.notes: dict[str, tuple[str, str]] = {}
        """A file's first line (a comment) and its last lines (comments, or nothing)."""
        self.written = 0

    def text(self, name: str) -> str:
        first, last = self.notes.get(name, ("# a curriculum file", ""))
        body = yaml.safe_dump(self.files[name], sort_keys=False, width=1000)
        broken = "credentials:\n  - id: [unclosed\n" if name in self.broken else ""
        return f"{first}\n{body}{broken}{last}"

    def write(self, name: str, text: str | None = None) -> None:
        path = self.root / name
        path.write_text(self.text(name) if text is None else text, encoding="utf-8")
        self.written += 1
        stamp = MTIME_BASE + self.written * 10**9
        os.utime(path, ns=(stamp, stamp))

    def write_config(self) -> None:
        (self.root / "credpath.yaml").write_text(yaml.safe_dump(self.config), encoding="utf-8")

    def write_all(self) -> None:
        self.write_config()
        for name in self.files:
            self.write(name)

    def credentials(self) -> list[tuple[str, dict[str, Any]]]:
        return [
            (name, entry)
            for name, kinds in self.files.items()
            for entry in kinds.get("credentials", [])
        ]

    def ids(self) -> list[str]:
        return sorted({entry["id"] for _, entry in self.credentials()})

    def entries(self) -> list[tuple[str, dict[str, Any]]]:
        return [
            (name, entry)
            for name, kinds in self.files.items()
            for entries in kinds.values()
            for entry in entries
        ]


COMMENTS = [
    "# a curriculum file",
    "# edited: a longer comment than before",
    "# credpath: disable-file=dead-end",
    "#",
]
ENDINGS = ["", "# the end\n", "# the end\n# and more\n", "# no line break at the end"]

EDITS = [
    "title",
    "title",
    "comment",
    "description",
    "requires",
    "grants",
    "status",
    "add",
    "remove",
    "move",
    "cycle",
    "break",
    "mend",
    "delete-file",
    "rename-file",
    "new-file",
    "config",
    "nothing",
]


def edit(tree: Tree, kind: str, data: st.DataObject) -> str | None:
    """Apply one edit to the tree's data; the file whose text changed (for an editor's
    unsaved buffer), or None when the edit touched files and folders on disk."""
    entries = tree.entries()
    credentials = tree.credentials()
    ids = tree.ids()
    if kind in {"title", "description"} and entries:
        name, entry = data.draw(st.sampled_from(entries))
        if kind == "title":
            entry["title"] = data.draw(st.sampled_from([*TITLES, entry["title"] + " more"]))
        else:
            description = data.draw(st.sampled_from(DESCRIPTIONS))
            if description is None:
                entry.pop("description", None)
            else:
                entry["description"] = description
        return name
    if kind == "comment":
        name = data.draw(st.sampled_from(sorted(tree.files)))
        tree.notes[name] = (
            data.draw(st.sampled_from(COMMENTS)),
            data.draw(st.sampled_from(ENDINGS)),
        )
        return name
    if kind in {"requires", "grants", "status"} and credentials:
        name, entry = data.draw(st.sampled_from(credentials))
        if kind == "requires":
            entry["requires"] = data.draw(requirements(ids, tree.levels))
        elif kind == "grants":
            level = data.draw(st.sampled_from(sorted(tree.levels)))
            entry["grants"] = [f"{level}@{data.draw(st.integers(1, 4))}"]
        else:
            entry["status"] = data.draw(st.sampled_from(["active", "draft", "retired"]))
        return name
    if kind == "add":
        name = data.draw(st.sampled_from(sorted(tree.files)))
        fresh = f"n{tree.written}"
        chosen = data.draw(st.sampled_from([fresh, *ids])) if ids else fresh
        tree.files[name].setdefault("credentials", []).append(
            {"id": chosen, "title": chosen.upper(), "type": "course", "requires": ids[:1]}
        )
        return name
    if kind == "remove" and entries:
        name, entry = data.draw(st.sampled_from(entries))
        for listed in tree.files[name].values():
            if entry in listed:
                listed.remove(entry)
        return name
    if kind == "move" and credentials and len(tree.files) > 1:
        name, entry = data.draw(st.sampled_from(credentials))
        target = data.draw(st.sampled_from(sorted(set(tree.files) - {name})))
        tree.files[name]["credentials"].remove(entry)
        tree.files[target].setdefault("credentials", []).append(entry)
        tree.write(name)
        return target
    if kind == "cycle" and len(credentials) >= 2:
        (name_a, a), (name_b, b) = data.draw(
            st.lists(st.sampled_from(credentials), min_size=2, max_size=2, unique_by=id)
        )
        a["requires"], b["requires"] = [b["id"]], [a["id"]]
        tree.write(name_a)
        return name_b
    if kind in {"break", "mend"}:
        name = data.draw(st.sampled_from(sorted(tree.files)))
        (tree.broken.add if kind == "break" else tree.broken.discard)(name)
        return name
    if kind == "delete-file" and len(tree.files) > 1:
        name = data.draw(st.sampled_from(sorted(tree.files)))
        del tree.files[name]
        tree.broken.discard(name)
        (tree.root / name).unlink()
        return None
    if kind == "rename-file":
        name = data.draw(st.sampled_from(sorted(tree.files)))
        new = data.draw(st.sampled_from(["a-first.yaml", "z-last.yaml", "sub/moved.yaml"]))
        if new in tree.files:
            return None
        (tree.root / new).parent.mkdir(exist_ok=True)
        tree.files[new] = tree.files.pop(name)
        if name in tree.broken:
            tree.broken.discard(name)
            tree.broken.add(new)
        os.replace(tree.root / name, tree.root / new)
        return None
    if kind == "new-file":
        name = f"extra-{tree.written}.yaml"
        chosen = data.draw(st.sampled_from([f"x{tree.written}", *ids])) if ids else "x"
        tree.files[name] = {"credentials": [{"id": chosen, "title": "Extra", "type": "badge"}]}
        tree.write(name)
        return None
    if kind == "config":
        tree.config["rules"] = data.draw(st.sampled_from(CONFIG_RULES))
        tree.config["assumed"] = data.draw(
            st.lists(st.sampled_from(sorted(tree.levels)), max_size=2, unique=True)
        )
        tree.write_config()
        return None
    return None


@contextmanager
def cache_on(folder: Path) -> Iterator[None]:
    """The one-shot caches on, in ``folder``, for a moment (the tests run with them off)."""
    before = dict(os.environ)
    os.environ.pop("CREDPATH_NO_CACHE", None)
    os.environ["CREDPATH_CACHE_DIR"] = str(folder)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(before)


def outcome(run: Callable[[], Result]) -> Result | ConfigError:
    """A run with its findings, or the configuration error that stopped it."""
    try:
        result = run()
        _ = result.findings
    except ConfigError as error:
        return error
    return result


def everything(diagnostics: list[Diagnostic]) -> list[tuple[Any, ...]]:
    """Every field of every finding, those folded into it included (``Diagnostic``'s own
    equality compares the place, rule and message only)."""
    return [dataclasses.astuple(d) for d in diagnostics]


def reports(diagnostics: list[Diagnostic], files: list[str]) -> tuple[str, str]:
    report = Report(diagnostics, len(files), files=tuple(files))
    return REPORTERS["text"](report), REPORTERS["json"](report)


@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    project=projects(max_credentials=6, learners=True),
    split=st.integers(1, 3),
    lint=st.booleans(),
    no_drafts=st.booleans(),
    data=st.data(),
)
def test_every_update_finds_what_a_cold_validate_finds(
    project: Project, split: int, lint: bool, no_drafts: bool, data: st.DataObject
) -> None:
    options = Options(no_drafts=no_drafts)
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)
        root = cwd / "project"
        root.mkdir()
        tree = Tree(root, project, split)
        tree.write_all()
        workspace = Workspace(root, cwd, options, lint=lint)
        steps = data.draw(st.lists(st.sampled_from(EDITS), min_size=1, max_size=8))
        for step, kind in enumerate(["nothing", *steps]):
            changed = edit(tree, kind, data)
            unsaved = changed is not None and data.draw(st.booleans(), label="unsaved")
            texts = {}
            if changed is not None:
                if unsaved:
                    texts[root / changed] = tree.text(changed)
                else:
                    tree.write(changed)
            resident = outcome(functools.partial(workspace.update, texts))
            if unsaved and changed is not None:
                tree.write(changed)  # the cold run reads the disk: the same bytes
            cold = outcome(lambda: check(root, cwd, options, lint=lint))
            if isinstance(cold, ConfigError) or isinstance(resident, ConfigError):
                assert str(resident) == str(cold), f"step {step} ({kind})"
                continue
            where = f"step {step} ({kind}, unsaved={unsaved}, patched={workspace.patched})"
            assert everything(resident.findings) == everything(cold.findings), where
            assert everything(resident.diagnostics) == everything(cold.diagnostics), where
            with cache_on(cwd / "cache"):
                cached = check(root, cwd, options, lint=lint, use_cache=True)
                assert everything(cached.diagnostics) == everything(cold.diagnostics), where
            assert resident.files == cold.files, where
            assert reports(resident.diagnostics, resident.files) == reports(
                cold.diagnostics, cold.files
            ), where


def test_a_title_edit_keeps_the_graph_findings_and_shows_the_new_title(tmp_path: Path) -> None:
    """The fast path is taken for a title edit, and its catalog holds the new title: a
    property test alone would pass if it were never taken."""
    (tmp_path / "credpath.yaml").write_text("name: t\n")
    curriculum = tmp_path / "c.yaml"
    curriculum.write_text(
        "competencies:\n  - id: sql\n    title: SQL\n    levels: [Basic, Advanced]\n"
        "credentials:\n  - id: a\n    title: Old title\n    type: course\n"
        "    requires: [sql@2]\n    grants: [sql@1]\n"
    )
    workspace = Workspace(tmp_path, tmp_path, Options())
    before = workspace.update()
    edited = curriculum.read_text().replace("Old title", "New title")
    after = workspace.update({curriculum: edited})
    assert workspace.patched
    assert after.catalog.credentials["a"].model.title == "New title"
    assert [d.format() for d in after.diagnostics] == [d.format() for d in before.diagnostics]
    assert [d.rule for d in after.diagnostics] == ["gap"]
    requirement = curriculum.read_text().replace("    requires: [sql@2]\n", "")
    fixed = workspace.update({curriculum: requirement})
    assert not workspace.patched
    assert "gap" not in [d.rule for d in fixed.diagnostics]


def test_a_one_shot_run_after_a_title_edit_takes_the_graph_findings_from_the_cache(
    tmp_path: Path,
) -> None:
    """With the cache on, a title edit re-runs the cheap rules and takes the graph rules'
    findings from the run before; a requirement edit runs them again."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "credpath.yaml").write_text("name: t\n")
    curriculum = project / "c.yaml"
    curriculum.write_text(
        "competencies:\n  - id: sql\n    title: SQL\n    levels: [Basic, Advanced]\n"
        "credentials:\n  - id: a\n    title: Old title\n    type: course\n"
        "    requires: [sql@2]\n    grants: [sql@1]\n"
    )
    with cache_on(tmp_path / "cache"):
        first = check(project, tmp_path, Options(), use_cache=True)
        assert [d.rule for d in first.diagnostics] == ["gap"]
        assert not first.reused
        curriculum.write_text(curriculum.read_text().replace("Old title", "New title"))
        titled = check(project, tmp_path, Options(), use_cache=True)
        assert everything(titled.diagnostics) == everything(first.diagnostics)
        assert set(titled.reused) >= {"gap", "cycle", "dead-end"}
        curriculum.write_text(curriculum.read_text().replace("    requires: [sql@2]\n", ""))
        fixed = check(project, tmp_path, Options(), use_cache=True)
        assert "gap" not in [d.rule for d in fixed.diagnostics]
        assert not fixed.reused
