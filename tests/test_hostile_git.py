"""``diff git:REV`` in a hostile work tree: the files of a pull request and the revision a
workflow passes may come from anyone, and none of it may make git run a command, write
a file, or read another repository than the one holding the project."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import credpath, write_files

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

PROJECT: dict[str, str] = {
    "credpath.yaml": "name: Welding\n",
    "competencies.yaml": "competencies:\n  - {id: weld, title: Welding}\n",
    "credentials.yaml": "credentials:\n"
    "  - {id: weld-1, title: Weld 1, type: course, workload: {hours: 40}, grants: [weld]}\n",
    "outcomes.yaml": "outcomes:\n  - {id: welder, title: Welder, requires: [weld]}\n",
}
NO_CHANGE = "0 findings added, 0 fixed, 0 outcomes changed\n"


def _git(repo: Path, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        capture_output=True,
        text=True,
        check=True,
        input=stdin,
    )
    return done.stdout.strip()


def _commit_all(repo: Path) -> None:
    if not (repo / ".git").exists():
        _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "a commit")


@pytest.fixture
def outer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository holding the project ``curricula/welding``, committed; the current folder."""
    root = tmp_path / "outer"
    write_files(root / "curricula" / "welding", PROJECT)
    _commit_all(root)
    monkeypatch.chdir(root)
    return root


def _plant_repository(folder: Path, source: Path, marker: Path) -> None:
    """Write into ``folder`` the files of a git repository (HEAD, config, objects, refs),
    as ordinary files a pull request can add: its config defines a filter that runs a
    command, and its own commit's .gitattributes applies that filter to every file."""
    write_files(
        source,
        {
            ".gitattributes": "* filter=x\n",
            "credpath.yaml": "name: Planted\n",
            "welding/credpath.yaml": "name: Planted\n",
        },
    )
    _commit_all(source)
    for name in ("HEAD", "objects", "refs"):
        copy = shutil.copytree if (source / ".git" / name).is_dir() else shutil.copyfile
        copy(source / ".git" / name, folder / name)
    (folder / "config").write_text(
        "[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = .\n"
        f'[filter "x"]\n\tsmudge = touch {shlex.quote(str(marker))}; cat\n'
    )


@pytest.mark.parametrize("planted_in", ["curricula/welding", "curricula"])
def test_a_repository_planted_as_files_is_refused_and_runs_nothing(
    outer: Path, tmp_path: Path, planted_in: str
) -> None:
    marker = tmp_path / "pwned"
    _plant_repository(outer / planted_in, tmp_path / "planted", marker)
    _commit_all(outer)
    run = credpath("diff", "git:HEAD", "curricula/welding")
    assert not marker.exists()
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == (
        f"credpath: {planted_in}: holds the files of a git repository (HEAD, objects, refs) "
        "in the work tree; credpath reads git: sides only from the repository of a work "
        "tree (its .git)\n"
    )


@pytest.mark.parametrize("option", ["--output=", "-o"])
def test_a_revision_that_looks_like_an_option_is_refused(
    outer: Path, tmp_path: Path, option: str
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious\n")
    run = credpath("diff", f"git:{option}{victim}", "curricula/welding")
    assert victim.read_bytes() == b"precious\n"
    assert (run.exit_code, run.stderr) == (
        2,
        f"credpath: git:{option}{victim}: a revision cannot start with '-'\n",
    )


def test_links_and_submodules_at_the_revision_are_named_not_followed(
    outer: Path, tmp_path: Path
) -> None:
    (tmp_path / "secret.yaml").write_text("credentials:\n  - {id: leaked, title: Leaked}\n")
    project = outer / "curricula" / "welding"
    (project / "absolute.yaml").symlink_to(tmp_path / "secret.yaml")
    (project / "relative.yaml").symlink_to("../../../secret.yaml")
    _git(outer, "add", "-A")
    commit = _git(outer, "rev-parse", "HEAD")
    _git(outer, "update-index", "--add", "--cacheinfo", f"160000,{commit},curricula/welding/sub")
    _git(outer, "commit", "-q", "-m", "links and a submodule")
    (project / "absolute.yaml").unlink()
    (project / "relative.yaml").unlink()
    run = credpath("diff", "git:HEAD", "curricula/welding")
    assert (run.exit_code, run.stdout) == (0, NO_CHANGE)
    assert run.stderr == (
        "credpath: git:HEAD: not read (a symbolic link or submodule): "
        "'absolute.yaml', 'relative.yaml', 'sub'\n"
    )


def test_a_tree_naming_a_path_out_of_the_folder_is_refused(outer: Path, tmp_path: Path) -> None:
    blob = _git(outer, "hash-object", "-w", "--stdin", stdin="name: Out\n")
    project = _git(outer, "rev-parse", "HEAD:curricula/welding")
    listing = _git(outer, "ls-tree", project)
    hostile = _git(outer, "mktree", stdin=f"{listing}\n100644 blob {blob}\t..\n")
    curricula = _git(outer, "mktree", stdin=f"040000 tree {hostile}\twelding\n")
    top = _git(outer, "mktree", stdin=f"040000 tree {curricula}\tcurricula\n")
    commit = _git(outer, "commit-tree", top, "-m", "a tree git itself would not write")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    run = credpath("diff", f"git:{commit}", "curricula/welding")
    assert (run.exit_code, run.stderr) == (
        2,
        f"credpath: git:{commit}: the path '..' at that revision is not a plain relative path\n",
    )
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_inherited_git_variables_do_not_point_git_elsewhere(
    outer: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other"
    write_files(other / "curricula" / "welding", {**PROJECT, "outcomes.yaml": "outcomes: []\n"})
    _commit_all(other)
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    run = credpath("diff", "git:HEAD", "curricula/welding")
    assert (run.exit_code, run.stdout) == (0, NO_CHANGE)


def test_outside_a_repository_a_git_side_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(tmp_path / "loose", PROJECT)
    monkeypatch.chdir(tmp_path / "loose")
    run = credpath("diff", "git:HEAD", ".")
    assert (run.exit_code, run.stderr) == (
        2,
        "credpath: .: not in a git repository, which git: sides need\n",
    )
