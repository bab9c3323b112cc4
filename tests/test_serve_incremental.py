"""``credpath serve`` after an edit of titles, descriptions and comments: the new snapshot
takes over the last one's semantics (and its data, when no text the data shows changed)
instead of working them out again, and serves what a cold start on the same files serves,
byte for byte. An edit of a requirement works everything out again.

The snapshots are made as the watcher makes them (``Live.refresh``), without HTTP: the
server answers a page with ``Snapshot.file``, adding the overlay (tests/test_serve.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import Files, write_files
from credpath.checks.context import Options
from credpath.checks.workspace import Workspace
from credpath.preview.live import Live
from credpath.preview.site import DATA, Snapshot
from credpath.publish.site import Job
from test_serve import serving

PROJECT: Files = {
    "credpath.yaml": """\
        name: Small college
        assumed: [reading]
        levels: [Basic, Intermediate, Advanced]
        """,
    "catalog.yaml": """\
        competencies:
          - id: reading
            title: Reading
          - id: sql
            title: SQL
            levels: [Basic, Intermediate, Advanced]
          - id: viz
            title: Visualisation
          - id: stats
            title: Statistics
        credentials:
          - id: sql-basics
            title: SQL Basics
            type: course
            description: Queries.
            workload: {hours: 40}
            requires: [reading]
            grants: [sql@1]
          - id: sql-advanced
            title: Advanced SQL
            type: course
            description: Joins and windows.
            requires: [sql-basics]
            grants: [sql@3]
          - id: viz-basics
            title: Charts
            type: course
            description: Charts that say something.
            requires: [sql@1]
            grants: [viz@1]
          - id: dashboards
            title: Dashboards
            type: micro-credential
            description: Dashboards.
            requires: [{any: [sql-advanced, viz-basics]}, viz@1]
            grants: [viz@2]
          - id: old-stats
            title: Old statistics
            type: course
            status: retired
            grants: [stats@1]
          - id: modelling
            title: Modelling
            type: course
            requires: [old-stats]
        outcomes:
          - id: analyst
            title: Analyst
            description: Reads data.
            requires: [sql@3, viz@1]
          - id: modeller
            title: Modeller
            requires: [modelling, stats@1]
        pathways:
          - id: fast
            title: Fast track
            outcome: analyst
            stages:
              - [sql-basics]
              - [sql-advanced, viz-basics]
        """,
    "more/draft.yaml": """\
        credentials:
          # one still being written
          - id: story
            title: Data stories
            type: course
            status: draft
            description: Telling it.
            requires: [dashboards]
            grants: [viz@3]
        """,
}


def edited(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edited_all(root: Path, *changes: tuple[str, str, str]) -> None:
    for name, old, new in changes:
        edited(root, name, old, new)


def every_file(snapshot: Snapshot) -> dict[str, bytes]:
    """Every page of the snapshot's site, and its data, as the server serves them."""
    pages = snapshot.pages
    assert pages is not None
    names = [name for name, _ in pages.draw(Job("lists"))]
    names += [f"credentials/{c}.html" for c in pages.catalog.credentials]
    names += [f"outcomes/{o}.html" for o in pages.catalog.outcomes]
    found = {name: snapshot.file(name) for name in [*names, DATA]}
    assert all(data is not None for data in found.values()), found
    return {name: data for name, data in found.items() if data is not None}


def cold(root: Path, options: Options) -> dict[str, bytes]:
    """What a server started on these files serves."""
    result = Workspace(root, root.parent, options).update()
    return every_file(Snapshot(1, (), result.context))


Edit = Callable[[Path], None]

EDITS: list[tuple[str, Edit, bool, str]] = [
    (
        "a credential's title",
        lambda root: edited(root, "catalog.yaml", "title: Advanced SQL", "title: SQL in depth"),
        True,
        "SQL in depth",
    ),
    (
        "a description",
        lambda root: edited(root, "catalog.yaml", "description: Queries.", "description: Rows."),
        True,
        "Rows.",
    ),
    (
        "the titles of an outcome and a competency, and a comment",
        lambda root: edited_all(
            root,
            ("catalog.yaml", "title: Analyst", "title: Data analyst"),
            ("catalog.yaml", "title: Visualisation", "title: Charting"),
            ("more/draft.yaml", "# one still being written", "# nearly done"),
        ),
        True,
        "Data analyst",
    ),
    (
        "a requirement",
        lambda root: edited(
            root, "catalog.yaml", "requires: [sql-basics]", "requires: [viz-basics]"
        ),
        False,
        "SQL in depth",
    ),
    (
        "a draft's title, after the requirement",
        lambda root: edited(root, "more/draft.yaml", "title: Data stories", "title: Stories"),
        True,
        "Stories",
    ),
]


@pytest.mark.parametrize("options", [Options(), Options(no_drafts=True)], ids=["", "no-drafts"])
def test_each_edit_serves_what_a_cold_start_serves(tmp_path: Path, options: Options) -> None:
    root = tmp_path / "project"
    write_files(root, PROJECT)
    live = Live(root, tmp_path, options, diagrams=False)
    first = live.refresh()
    assert first.file("credentials/sql-basics.html") is not None  # some semantics worked out
    for what, edit, carried, shown in EDITS:
        edit(root)
        before = live.snapshot
        snapshot = live.refresh()
        assert (live.workspace.patched, snapshot.carried) == (carried, carried), what
        served = every_file(snapshot)
        assert served == cold(root, options), what
        assert any(shown.encode() in page for page in served.values()), what
        if what == "a description":  # the data shows no description: kept as it was
            assert served[DATA] is before.file(DATA)


def test_a_snapshot_of_an_older_catalog_is_not_taken_over(tmp_path: Path) -> None:
    """A requirement edited, then a title: the second edit patches the catalog of the
    first, so the snapshot that still shows the catalog before both (the first could not
    be shown) is no semantics to take over."""
    root = tmp_path / "project"
    write_files(root, PROJECT)
    live = Live(root, tmp_path, Options(), diagrams=False)
    live.refresh()
    every_file(live.snapshot)
    shown = live.snapshot
    edited(root, "catalog.yaml", "requires: [sql-basics]", "requires: [viz-basics]")
    live.workspace.update()  # checked, but no snapshot made of it
    live.snapshot = shown
    edited(root, "catalog.yaml", "title: Advanced SQL", "title: SQL in depth")
    snapshot = live.refresh()
    assert live.workspace.patched
    assert not snapshot.carried
    assert every_file(snapshot) == cold(root, Options())


# -- what the watcher checks again for ------------------------------------------------


def test_only_changes_that_can_show_something_are_checked_again(tmp_path: Path) -> None:
    root = tmp_path / "project"
    write_files(root, {**PROJECT, ".gitignore": "scratch/\n"})
    live = Live(root, tmp_path, Options(), diagrams=False)
    live.refresh()
    write_files(
        root,
        {
            "scratch/notes.yaml": "credentials: [\n",
            "notes.txt": "todo\n",
            "moved-in/new.yaml": "credentials: []\n",
        },
    )
    (root / "empty").mkdir()
    for ignored in ("scratch/notes.yaml", "scratch", "notes.txt", "empty"):
        assert not live.concerns([root / ignored]), ignored
    for checked in ("catalog.yaml", "credpath.yaml", ".gitignore", "moved-in", "more"):
        assert live.concerns([root / checked]), checked
    (root / "more").rename(tmp_path / "more")
    assert live.concerns([root / "more"])  # held a file of the project
    assert live.concerns([root / "notes.txt", root / "more/draft.yaml"])


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[Live]:
    with serving(tmp_path, PROJECT) as running:
        yield running.server.live


def after(live: Live, generation: int) -> Snapshot:
    snapshot = live.wait(generation, 30)
    assert snapshot is not None, "the save was not checked"
    return snapshot


def watching(live: Live) -> Snapshot:
    """The snapshot of a save seen: the watcher, started on a thread of its own, may miss
    the saves made before it is up, so one is made each second until one is seen."""
    for attempt in range(30):
        edited(live.root, "catalog.yaml", "that say something", f"that say something {attempt}")
        seen = live.wait(live.snapshot.generation, 1.0)
        if seen is not None:
            return seen
    raise AssertionError("no save was seen")


def test_a_folder_moved_out_and_back_is_checked_again(watched: Live) -> None:
    root = watched.root
    snapshot = watching(watched)
    (root / "more").rename(root.parent / "more")
    snapshot = after(watched, snapshot.generation)
    while snapshot.file("credentials/story.html") is not None:  # the event may come late
        snapshot = after(watched, snapshot.generation)
    (root.parent / "more").rename(root / "more")
    snapshot = after(watched, snapshot.generation)
    while snapshot.file("credentials/story.html") is None:
        snapshot = after(watched, snapshot.generation)
    assert b"Data stories" in (snapshot.file("credentials/story.html") or b"")
