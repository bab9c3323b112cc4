"""A cloned work tree is someone else's (issue 32, items 5 and 6): what credpath reads of it.

Every file credpath reads from a project is a regular file inside the project, read with
a size cap; a link that leads out (to an editor's token file, ``/dev/zero``, ``/proc``)
is reported, never followed, and nothing outside is quoted. Ignore patterns are matched
in linear time, a deep folder tree is walked without recursion, and credpath's own
cache is data to check, never to trust: a planted entry is a miss, a planted link
redirects nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run, credpath
from test_hostile import CLEAN

Project = Callable[..., str]

SECRET = "competencies:\n  - id: s3cr3t-token\n    title: hunter2\n"
"""Stands for a file outside the project that must never be read or quoted."""


def validate(*args: str) -> Run:
    run = credpath("validate", *args)
    assert "Traceback" not in run.stdout + run.stderr
    assert "internal error" not in run.stderr
    return run


def outside(tmp_path: Path, text: str = SECRET) -> Path:
    """A file beside the project folder, not in it."""
    path = tmp_path / "elsewhere" / "secret.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return path


def not_quoted(run: Run) -> None:
    assert "s3cr3t" not in run.stdout + run.stderr
    assert "hunter2" not in run.stdout + run.stderr


# -- curriculum files and folders --------------------------------------------------------------


def test_a_yaml_file_linked_out_of_the_project_is_reported_and_not_read(
    project: Project, tmp_path: Path
) -> None:
    name = project({"sql.yaml": CLEAN})
    target = outside(tmp_path)
    (Path(name) / "creds.yaml").symlink_to(target)
    run = validate(name)
    assert run.lines == [
        f"project/creds.yaml:1:1: error: links outside the project (to {target.resolve()}): "
        "it is not read [yaml-syntax]"
    ]
    assert run.exit_code == 1
    not_quoted(run)


@pytest.mark.skipif(not Path("/proc/self/pagemap").exists(), reason="Linux /proc only")
def test_a_link_to_proc_pagemap_does_not_pass_as_a_regular_file(project: Project) -> None:
    name = project({"sql.yaml": CLEAN})
    (Path(name) / "pagemap.yaml").symlink_to("/proc/self/pagemap")
    run = validate(name)
    assert run.lines == [
        "project/pagemap.yaml:1:1: error: links outside the project "
        f"(to {os.path.realpath('/proc/self/pagemap')}): it is not read [yaml-syntax]"
    ]
    assert run.exit_code == 1


def test_a_link_that_stays_inside_the_project_is_read(project: Project) -> None:
    """A guard: refusing links out must not refuse the links a team keeps inside."""
    name = project({".shared/sql.yaml": CLEAN})
    (Path(name) / "sql.yaml").symlink_to(".shared/sql.yaml")
    run = validate(name)
    assert (run.lines, run.exit_code) == ([], 0)


def test_a_linked_folder_leading_out_is_not_crawled(project: Project, tmp_path: Path) -> None:
    """A guard (os.walk did not follow links either): the walk never descends a link."""
    name = project({"sql.yaml": CLEAN})
    (Path(name) / "shared").symlink_to(outside(tmp_path).parent, target_is_directory=True)
    run = validate(name)
    assert (run.lines, run.exit_code) == ([], 0)
    not_quoted(run)


@pytest.mark.timeout(60)
def test_a_folder_tree_1100_deep_is_walked(project: Project) -> None:
    """Python 3.11's os.walk recursed: a deep tree in a cloned repository ended discovery
    in RecursionError."""
    name = project({"sql.yaml": CLEAN})
    folders = [Path(name).absolute()]
    for _ in range(1100):
        folders.append(folders[-1] / "d")
        folders[-1].mkdir()
    broken = folders[-1] / "broken.yaml"
    broken.write_text("outcomes: [\n")
    try:
        run = validate(name)
    finally:  # shutil.rmtree recurses too: pytest could not remove the tree later
        broken.unlink()
        for folder in reversed(folders[1:]):
            folder.rmdir()
    assert run.rules() == ["yaml-syntax"]
    assert run.lines[0].startswith("project/" + "d/" * 1100 + "broken.yaml:1:11: error: ")


# -- credpath.yaml -----------------------------------------------------------------------------


@pytest.mark.timeout(20)
@pytest.mark.parametrize("link", ["outside", "/dev/zero"])
def test_a_credpath_yaml_link_is_a_configuration_error(
    project: Project, tmp_path: Path, link: str
) -> None:
    """Before, a link to a file outside was read (and its content quoted in the error),
    and a link to /dev/zero was as if there were no credpath.yaml."""
    name = project({"sql.yaml": CLEAN})
    target = outside(tmp_path, "name: Secret\ns3cr3t: hunter2\n") if link == "outside" else None
    (Path(name) / "credpath.yaml").symlink_to(target or link)
    run = validate(name)
    reason = (
        f"links outside the project (to {target.resolve()}): it is not read"
        if target
        else "not a regular file (a FIFO, device or socket): it is not read"
    )
    assert run.stderr == f"credpath: project/credpath.yaml:1:1: error: {reason} [yaml-syntax]\n"
    assert run.exit_code == 2
    not_quoted(run)


# -- .gitignore and exclude ------------------------------------------------------------------


@pytest.mark.timeout(20)
@pytest.mark.parametrize("link", ["outside", "/dev/zero"])
def test_a_gitignore_link_out_is_not_read(project: Project, tmp_path: Path, link: str) -> None:
    """Before, a .gitignore linked to /dev/zero was read until memory ran out."""
    name = project({"sql.yaml": CLEAN})
    target = outside(tmp_path, "s3cr3t\n") if link == "outside" else None
    (Path(name) / ".gitignore").symlink_to(target or link)
    run = validate(name)
    reason = (
        f"links outside the project (to {target.resolve()}): it is not read"
        if target
        else "not a regular file (a FIFO, device or socket): it is not read"
    )
    assert run.stderr == f"credpath: project/.gitignore: {reason}\n"
    assert run.exit_code == 2


def test_a_gitignore_over_1_mib_is_not_read(project: Project) -> None:
    name = project({"sql.yaml": CLEAN, "sub/.gitignore": "#" * 2**20 + "\n"})
    run = validate(name)
    assert run.stderr == (
        "credpath: project/sub/.gitignore: file is 1,048,577 bytes, over the limit of "
        "1,048,576 bytes (1 MiB; the most credpath reads of a .gitignore)\n"
    )
    assert run.exit_code == 2


@pytest.mark.timeout(20)
def test_a_backtracking_gitignore_pattern_and_a_long_name_end_promptly(project: Project) -> None:
    """16 bytes of .gitignore made pathspec's regex backtrack for hours on a 200-character
    name; the pattern still ignores what it matches."""
    long = "a" * 200
    name = project(
        {
            ".gitignore": "a*a*a*a*a*a*a*b\n",
            f"{long}.yaml": "competencies:\n  - id: long\n    title: Long\n",
            f"{long}b/ignored.yaml": "outcomes: [\n",
        }
    )
    run = validate(name)
    assert run.lines == [
        f"project/{long}.yaml:2:9: warning: competency 'long' is neither granted nor required "
        "by anything: grant it in a credential, require it, or remove it [orphan-competency]"
    ]
    assert run.exit_code == 0


@pytest.mark.parametrize(
    ("line", "reason"),
    [("[z-a]", "bad character range z-a"), ("[[:alpha:]]x", "RE2 cannot compile it")],
)
def test_a_gitignore_line_that_is_no_pattern_is_a_configuration_error(
    project: Project, line: str, reason: str
) -> None:
    """Before: an internal error (re.error from pathspec), or a FutureWarning from re."""
    name = project({"sql.yaml": CLEAN, ".gitignore": f"build/\n{line}\n"})
    run = validate(name)
    assert run.stderr == (
        f"credpath: project/.gitignore:2:1: '{line}' is not a pattern credpath can match: "
        f"{reason}\n"
    )
    assert run.exit_code == 2


def test_an_exclude_entry_that_is_no_pattern_is_reported_at_the_entry(project: Project) -> None:
    name = project({"sql.yaml": CLEAN, "credpath.yaml": "exclude: [drafts/, '[z-a]']\n"})
    run = validate(name)
    assert run.stderr == (
        "credpath: project/credpath.yaml:1:20: '[z-a]' is not a pattern credpath can match: "
        "bad character range z-a\n"
    )
    assert run.exit_code == 2


@pytest.mark.timeout(20)
def test_patterns_too_many_for_one_linear_time_matcher_are_refused(project: Project) -> None:
    patterns = "".join(f"*.ext{n}\n" for n in range(1999))
    name = project({"sql.yaml": CLEAN, ".gitignore": patterns})
    run = validate(name)
    assert run.stderr == (
        "credpath: project/.gitignore: too many or too complex to match in linear time: "
        "credpath does not match them\n"
    )
    assert run.exit_code == 2


def test_more_than_2000_ignore_patterns_are_refused(project: Project) -> None:
    patterns = "".join(f"*.ext{n}\n" for n in range(1001))
    name = project({"sql.yaml": CLEAN, ".gitignore": patterns, "sub/.gitignore": patterns})
    run = validate(name)
    assert run.stderr == (
        "credpath: project/sub/.gitignore: more than 2,000 ignore patterns in the project "
        "(its .gitignore files and exclude together): credpath does not match them\n"
    )
    assert run.exit_code == 2


# -- credpath's own cache --------------------------------------------------------------------


@pytest.fixture
def cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv("CREDPATH_NO_CACHE", raising=False)
    folder = tmp_path / "cache"
    monkeypatch.setenv("CREDPATH_CACHE_DIR", str(folder))
    return folder


def _plant_deep(entry: Path, _victim: Path) -> None:
    entry.write_text("[" * 200_000 + "]" * 200_000)


def _plant_dev_zero(entry: Path, _victim: Path) -> None:
    entry.unlink()
    entry.symlink_to("/dev/zero")


def _plant_not_utf8(entry: Path, _victim: Path) -> None:
    entry.write_bytes(b'{"digest": "\xff\xfe"}\n{}')


def _plant_link_out(entry: Path, victim: Path) -> None:
    entry.unlink()
    entry.symlink_to(victim)


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    "plant",
    [_plant_deep, _plant_dev_zero, _plant_not_utf8, _plant_link_out],
    ids=["nested-200000-deep", "link-to-dev-zero", "not-utf8", "link-out"],
)
def test_a_planted_cache_entry_is_a_miss(
    project: Project, cache: Path, tmp_path: Path, plant: Callable[[Path, Path], None]
) -> None:
    """Before, a deep entry ended in RecursionError and a link to /dev/zero was read until
    memory ran out. The planted link is replaced by the new entry, never written through."""
    name = project({"sql.yaml": CLEAN, "bad.yaml": "outcomes: [\n"})
    first = validate(name)
    assert first.rules() == ["yaml-syntax"]
    victim = outside(tmp_path, '{"keep": "me"}')
    entries = sorted(cache.glob("*.json"))
    assert len(entries) == 3  # the findings, the graph rules' findings, the files' parses
    for entry in entries:
        plant(entry, victim)
    again = validate(name)
    assert (again.stdout, again.stderr, again.exit_code) == (
        first.stdout,
        first.stderr,
        first.exit_code,
    )
    assert victim.read_text() == '{"keep": "me"}'
    assert not any(entry.is_symlink() for entry in entries)
    assert all(json.loads(entry.read_bytes().split(b"\n")[0]) for entry in entries)


def test_a_sealed_parse_cache_entry_of_the_wrong_shape_is_a_miss(
    project: Project, cache: Path
) -> None:
    """The seal is a hash anyone can compute: an entry under it whose spans are not four
    numbers ended in an internal error where the span was used."""
    name = project(
        {"sql.yaml": CLEAN, "gap.yaml": "outcomes:\n  - {id: x, title: X, requires: [nope]}\n"}
    )
    first = validate(name)
    assert first.rules() == ["unknown-reference"]
    (stored,) = cache.glob("parses-*.json")
    header, _, body = stored.read_bytes().partition(b"\n")
    files = json.loads(body)
    for _documents, entries in files.values():
        for entry in entries:
            entry[1] = ["line", 1]
    body = json.dumps(files).encode()
    depends = json.loads(header)["depends"]
    seal = hashlib.sha256(body).hexdigest()
    stored.write_bytes(json.dumps({"depends": depends, "seal": seal}).encode() + b"\n" + body)
    for findings in cache.glob("[!p]*.json"):
        findings.unlink()
    again = validate(name)
    assert (again.stdout, again.exit_code) == (first.stdout, first.exit_code)


def test_a_cache_folder_that_is_a_planted_link_is_not_used(
    project: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A work tree that commits the folder CREDPATH_CACHE_DIR names as a link must not
    make credpath write its entries where the link leads."""
    monkeypatch.delenv("CREDPATH_NO_CACHE", raising=False)
    name = project({"sql.yaml": CLEAN})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    planted = Path(name) / ".credpath-cache"
    planted.symlink_to(elsewhere, target_is_directory=True)
    monkeypatch.setenv("CREDPATH_CACHE_DIR", str(planted.absolute()))
    run = validate(name)
    assert (run.lines, run.exit_code) == ([], 0)
    assert list(elsewhere.iterdir()) == []
