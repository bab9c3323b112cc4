"""A work tree someone else wrote cannot make credpath delete, read or write outside its
output folder (issue 32, items 1 and 6): the ledger ``.credpath-written`` is data,
and a symlink inside the output folder is never followed.

Every command that writes a folder is run over a folder holding a planted ledger; the
files it names outside the folder survive byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import credpath

Project = Callable[..., str]

ROOT = Path(__file__).parent.parent
ESCO_SAMPLE = ROOT / "tests" / "data" / "esco"
CSV = ROOT / "tests" / "fixtures" / "curricular_analytics" / "bakery_plan.csv"

CURRICULUM = """\
competencies:
  - {id: c, title: C}
credentials:
  - {id: c1, title: C1, type: course, grants: [c]}
outcomes:
  - {id: job, title: Job, requires: [c]}
"""

FOLDER_COMMANDS = {
    "site": ["site", "project", "--no-diagrams", "-o", "out"],
    "render-all": ["render", "project", "--all", "-f", "dot", "-o", "out"],
    "export-ob3": ["export", "ob3", "project", "-o", "out"],
    "import-ctdl": ["import", "ctdl", "graph.json", "-o", "out"],
    "import-esco": [
        *["import", "esco", "--data", str(ESCO_SAMPLE)],
        *["--occupation", "Pipe welder", "-o", "out"],
    ],
    "import-curricular-analytics": ["import", "curricular-analytics", str(CSV), "-o", "out"],
}
"""Every command whose result is a folder (a ``Tree``), writing into ``out``."""

VICTIM = b"the user's file\n"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _plant(folder: Path, files: dict[str, str]) -> None:
    """A ledger claiming ``files``, beside a file and a folder of the user's: the folder is
    then updated file by file, not replaced whole, as a folder in use is."""
    (folder / "a").mkdir(parents=True, exist_ok=True)
    ledger = {"written_by": "credpath", "files": files}
    (folder / ".credpath-written").write_text(json.dumps(ledger))
    (folder / "notes.txt").write_bytes(VICTIM)


@pytest.fixture
def workspace(project: Project) -> Path:
    """A project (and its CTDL export, for import ctdl) in the current folder."""
    project({"c.yaml": CURRICULUM})
    assert credpath("export", "ctdl", "project", "-o", "graph.json").exit_code == 0
    return Path.cwd()


@pytest.mark.parametrize("command", FOLDER_COMMANDS.values(), ids=FOLDER_COMMANDS.keys())
@pytest.mark.parametrize(
    "entry",
    ["../victim.txt", "a/../../victim.txt", "./../victim.txt", "absolute"],
    ids=["parent", "parent-inside", "dot-parent", "absolute"],
)
def test_a_planted_ledger_deletes_nothing_outside_the_folder(
    workspace: Path, command: list[str], entry: str
) -> None:
    victim = workspace / "victim.txt"
    victim.write_bytes(VICTIM)
    name = str(victim) if entry == "absolute" else entry
    _plant(workspace / "out", {name: _sha(VICTIM)})
    run = credpath(*command)
    assert run.exit_code == 0, run.stderr
    assert victim.read_bytes() == VICTIM
    assert Path("out/notes.txt").read_bytes() == VICTIM
    assert name not in json.loads(Path("out/.credpath-written").read_text())["files"]


@pytest.mark.parametrize("command", FOLDER_COMMANDS.values(), ids=FOLDER_COMMANDS.keys())
def test_a_ledger_entry_through_a_symlinked_folder_is_not_ours(
    workspace: Path, command: list[str]
) -> None:
    outside = workspace / "outside"
    outside.mkdir()
    (outside / "victim.txt").write_bytes(VICTIM)
    _plant(workspace / "out", {"d/victim.txt": _sha(VICTIM)})
    Path("out/d").symlink_to(outside)
    run = credpath(*command)
    assert run.exit_code == 0, run.stderr
    assert (outside / "victim.txt").read_bytes() == VICTIM
    assert Path("out/d").is_symlink()


class _Opens:
    """What this process opens, as an audit hook sees it: the hook cannot be removed, so it
    is added once and records only while a test watches."""

    hooked = False
    watching: list[str] | None = None

    @classmethod
    def record(cls, event: str, args: tuple[object, ...]) -> None:
        if event == "open" and cls.watching is not None and isinstance(args[0], str | bytes):
            cls.watching.append(os.fsdecode(args[0]))


@pytest.fixture
def opened() -> Iterator[list[str]]:
    """The paths opened during the test."""
    if not _Opens.hooked:
        sys.addaudithook(_Opens.record)
        _Opens.hooked = True
    _Opens.watching = []
    yield _Opens.watching
    _Opens.watching = None


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="no /proc on this system")
@pytest.mark.timeout(60)
@pytest.mark.parametrize("command", FOLDER_COMMANDS.values(), ids=FOLDER_COMMANDS.keys())
def test_a_ledger_entry_through_proc_self_is_never_read(
    workspace: Path, command: list[str], opened: list[str]
) -> None:
    """``pagemap`` is a 'regular file' of hundreds of gigabytes: reading it to hash it may
    never end; a link on the way means the entry is not credpath's, and it is not opened."""
    _plant(workspace / "out", {"d/pagemap": _sha(b"")})
    Path("out/d").symlink_to("/proc/self")
    run = credpath(*command)
    assert run.exit_code == 0, run.stderr
    assert [path for path in opened if "pagemap" in path] == []
    assert Path("out/d").is_symlink()


def test_ignored_ledger_entries_are_named_on_stderr(workspace: Path) -> None:
    outside = workspace / "outside"
    outside.mkdir()
    _plant(
        workspace / "out",
        {"../victim.txt": "0", "a\\b": "0", "C:/x": "0", "d/x": "0", "d/y": "0", "ok.txt": "0"},
    )
    Path("out/d").symlink_to(outside)
    run = credpath(*FOLDER_COMMANDS["render-all"])
    assert (run.exit_code, run.stderr.splitlines()) == (
        0,
        [
            "credpath: out/.credpath-written: ignored 3 entries not plain paths inside "
            "the folder (such as '../victim.txt')",
            "credpath: out/.credpath-written: ignored 2 entries through a symbolic link "
            "(such as 'd/x')",
            "wrote 2 diagrams to out",
        ],
    )


def test_a_file_credpath_wrote_is_still_removed_when_stale(workspace: Path) -> None:
    """The ledger still does its job: a page of its own, unchanged, goes when no longer drawn."""
    assert credpath(*FOLDER_COMMANDS["render-all"]).exit_code == 0
    Path("out/old.dot").write_bytes(b"digraph {}\n")
    ledger = json.loads(Path("out/.credpath-written").read_text())
    _plant(workspace / "out", {**ledger["files"], "old.dot": _sha(b"digraph {}\n")})
    run = credpath(*FOLDER_COMMANDS["render-all"])
    assert (run.exit_code, run.stderr) == (0, "wrote 2 diagrams to out\n")
    assert sorted(p.name for p in Path("out").iterdir()) == [
        ".credpath-written",
        "a",
        "map.dot",
        "notes.txt",
        "outcome-job.dot",
    ]


# -- a ledger credpath cannot read: nothing in the folder is credpath's ------------------------

DOT = FOLDER_COMMANDS["render-all"]


def _map_dot(workspace: Path) -> bytes:
    """What render --all writes as map.dot, drawn in a folder of its own."""
    assert credpath("render", "project", "--all", "-f", "dot", "-o", "drawn").exit_code == 0
    return (workspace / "drawn" / "map.dot").read_bytes()


MALFORMED = {
    "nested": (b'{"deep": ' + b"[" * 200_000 + b"]" * 200_000 + b', "files": {FILES}}', None),
    "invalid-utf-8": (b'{"junk": "\xff\xfe", "files": {FILES}}', None),
    "nan": (b'{"files": {FILES}, "x": NaN}', None),
    "symlink-to-dev-zero": (None, "/dev/zero"),
}
REASONS = {
    "nested": "nested deeper than 1,000 levels",
    "invalid-utf-8": "not UTF-8 text (byte 10)",
    "nan": "NaN is not a JSON number",
    "symlink-to-dev-zero": "it is a symbolic link",
}


def _plant_malformed(workspace: Path, kind: str, map_dot: bytes) -> None:
    content, link = MALFORMED[kind]
    ledger = workspace / "out" / ".credpath-written"
    ledger.parent.mkdir(exist_ok=True)
    if link is not None:
        ledger.symlink_to(link)
    else:
        assert content is not None
        files = json.dumps({"map.dot": _sha(map_dot)}).encode()
        ledger.write_bytes(content.replace(b"{FILES}", files))


@pytest.mark.timeout(60)
@pytest.mark.parametrize("kind", MALFORMED)
def test_a_malformed_ledger_claims_nothing_and_is_noted(workspace: Path, kind: str) -> None:
    """Read as empty, never a crash: the file it names counts as the user's (refused without
    --force); once that is gone the folder is written, and the ledger was ignored with a note."""
    map_dot = _map_dot(workspace)
    _plant_malformed(workspace, kind, map_dot)
    Path("out/map.dot").write_bytes(map_dot)
    refused = credpath(*DOT)
    assert (refused.exit_code, refused.stderr) == (
        2,
        "credpath: out/map.dot: exists and was not written by credpath; nothing was "
        "written: use --force to overwrite\n",
    )
    assert Path("out/map.dot").read_bytes() == map_dot
    Path("out/map.dot").unlink()
    run = credpath(*DOT)
    assert (run.exit_code, run.stderr.splitlines()) == (
        0,
        [
            f"credpath: out/.credpath-written: ignored ({REASONS[kind]}); no file there "
            "counts as written by credpath",
            "wrote 2 diagrams to out",
        ],
    )
    assert not Path("out/.credpath-written").is_symlink()


@pytest.mark.timeout(60)
def test_writing_one_file_beside_a_ledger_linked_to_dev_zero(workspace: Path) -> None:
    """``-o FILE`` reads the ledger of the file's folder too: the link is replaced, unread."""
    Path("out").mkdir()
    Path("out/.credpath-written").symlink_to("/dev/zero")
    run = credpath("compile", "project", "-o", "out/manifest.json")
    assert run.exit_code == 0, run.stderr
    ledger = json.loads(Path("out/.credpath-written").read_text())
    assert list(ledger["files"]) == ["manifest.json"]


# -- symlinks inside the output folder are never written through ------------------------------


def test_a_symlinked_subfolder_is_refused_and_replaced_only_with_force(workspace: Path) -> None:
    elsewhere = workspace / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "victim.txt").write_bytes(VICTIM)
    Path("_site").mkdir()
    Path("_site/notes.txt").write_text("mine\n")
    Path("_site/credentials").symlink_to(elsewhere)
    run = credpath("site", "project", "--no-diagrams", "-o", "_site")
    assert (run.exit_code, run.stderr) == (
        2,
        "credpath: _site/credentials: is a symbolic link where credpath writes a folder; "
        "nothing was written: use --force to replace it (a link's target is left alone)\n",
    )
    assert sorted(os.listdir(elsewhere)) == ["victim.txt"]
    assert sorted(os.listdir("_site")) == ["credentials", "notes.txt"]
    forced = credpath("site", "project", "--no-diagrams", "-o", "_site", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert sorted(os.listdir(elsewhere)) == ["victim.txt"]
    assert (elsewhere / "victim.txt").read_bytes() == VICTIM
    assert not Path("_site/credentials").is_symlink()
    assert sorted(os.listdir("_site/credentials")) == ["c1.html"]
    assert Path("_site/notes.txt").read_text() == "mine\n"


def test_a_symlinked_subfolder_alone_is_not_dropped_by_a_rebuild(workspace: Path) -> None:
    """A folder holding only credpath's files is replaced whole; a symlink in it is not
    credpath's, so the folder is not replaced, and the link is in the way."""
    assert credpath("site", "project", "--no-diagrams", "-o", "_site").exit_code == 0
    (workspace / "elsewhere").mkdir()
    Path("_site/outcomes/job.html").unlink()
    Path("_site/outcomes").rmdir()
    Path("_site/outcomes").symlink_to(workspace / "elsewhere")
    run = credpath("site", "project", "--no-diagrams", "-o", "_site")
    assert run.exit_code == 2
    assert run.stderr.startswith("credpath: _site/outcomes: is a symbolic link where credpath")
    assert Path("_site/outcomes").is_symlink()
    assert os.listdir(workspace / "elsewhere") == []


def test_the_output_folder_named_on_the_command_line_may_be_a_symlink(workspace: Path) -> None:
    """The folder given with -o is the user's choice: a link to a web server's folder is
    written into (not replaced), as cp and static-site tools do."""
    served = workspace / "served"
    served.mkdir()
    Path("_site").symlink_to(served)
    run = credpath("site", "project", "--no-diagrams", "-o", "_site")
    assert run.exit_code == 0, run.stderr
    assert Path("_site").is_symlink()
    assert (served / "credentials" / "c1.html").is_file()
