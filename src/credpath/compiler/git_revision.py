"""A project folder as it is at a git revision, read as data: nothing in the work tree runs.

The work tree may come from anyone (a pull request, a clone), so git is given no chance
to take its files for instructions:

- The repository is the one whose ``.git`` holds the project folder, found here and named
  to git with ``--git-dir``, so git discovers nothing. A folder on the way that is itself
  a git directory (``HEAD``, ``objects``, ``refs``: files anyone can commit) is refused:
  git would take it, with its ``config``, for the repository.
- The revision is resolved with ``rev-parse --verify --end-of-options`` (one that starts
  with ``-`` is refused before), and git is then given only the object id.
- Files are read as objects (``ls-tree``, ``cat-file --batch``): no checkout, so no
  smudge or other filter, no textconv, no hook. Only regular files are written, under
  paths checked to stay in the temporary folder; symbolic links and submodules are
  skipped and named.
- git runs without the system configuration and without inherited ``GIT_*`` variables
  (which could point it at another repository or configuration), with fsmonitor, hooks,
  every transport (a partial clone's lazy fetch) and prompts off.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from credpath.base.errors import UsageError

TIMEOUT_SECONDS = 120

_HARDENING = (
    "--no-pager",
    "--literal-pathspecs",
    *("-c", "core.fsmonitor=false"),
    *("-c", "core.hooksPath=/dev/null"),
    *("-c", "protocol.allow=never"),
)
"""Options before every git command: nothing it reads from configuration may run code."""

_REGULAR_FILE = {b"100644", b"100755"}
_SHOWN_SKIPPED = 5
"""How many skipped paths a note names before it counts the rest."""


@dataclass(frozen=True)
class Snapshot:
    """The project folder at a revision, written into a temporary folder."""

    root: Path
    skipped: tuple[str, ...]
    """Paths (relative to the project folder) that are not regular files: not written."""

    def note(self, side: str) -> str | None:
        """One line naming what was skipped, or None."""
        from credpath.base.text import escape

        if not self.skipped:
            return None
        names = ", ".join(f"'{escape(p)}'" for p in self.skipped[:_SHOWN_SKIPPED])
        more = len(self.skipped) - _SHOWN_SKIPPED
        names += f" and {more} more" if more > 0 else ""
        return f"credpath: {escape(side)}: not read (a symbolic link or submodule): {names}"


@contextlib.contextmanager
def snapshot(project_root: Path, revision: str, side: str) -> Iterator[Snapshot]:
    """``project_root`` as it is at ``revision``, in a temporary folder removed after use.

    ``side`` (``git:REV`` as the user wrote it) starts every error message.
    """
    from credpath.compiler.files import display_path

    if revision.startswith("-"):
        raise UsageError(f"{side}: a revision cannot start with '-'")
    work_tree = _work_tree(project_root.resolve())
    git_dir = work_tree / ".git"
    inside = project_root.resolve().relative_to(work_tree).as_posix()
    tree = _resolve(git_dir, revision, side, display_path(work_tree, Path.cwd()))
    pathspec = [] if inside == "." else ["--", inside]
    listing = _git(git_dir, "ls-tree", "-r", "-z", "--full-tree", tree, *pathspec)
    prefix = b"" if inside == "." else os.fsencode(inside) + b"/"
    files: dict[str, bytes] = {}
    skipped: list[str] = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, raw_path = record.split(b"\t", 1)
        mode, _, oid = meta.split(b" ")
        if not raw_path.startswith(prefix):
            continue
        path = os.fsdecode(raw_path[len(prefix) :])
        if mode not in _REGULAR_FILE:
            skipped.append(path)
            continue
        _check_path(path, side)
        files[path] = oid
    if not files and not skipped:
        raise UsageError(f"{side}: '{inside}' does not exist at that revision")
    contents = _objects(git_dir, files.values())
    with tempfile.TemporaryDirectory(prefix="credpath-diff-") as folder:
        root = Path(folder)
        for path, oid in files.items():
            target = root / path
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(contents[oid])
            except OSError as exc:
                raise UsageError(
                    f"{side}: cannot write '{path}' from that revision: {exc.strerror or exc}"
                ) from None
        yield Snapshot(root, tuple(skipped))


def _work_tree(folder: Path) -> Path:
    """The folder whose ``.git`` git would find first from ``folder`` up.

    Git also takes a folder that is itself a git directory (a bare repository) for the
    repository; in a work tree that is only committed files, so it is refused.
    """
    from credpath.compiler.files import display_path

    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate / ".git"):
            return candidate
        if os.path.lexists(candidate / "HEAD") and any(
            os.path.lexists(candidate / name) for name in ("objects", "refs", "commondir")
        ):
            raise UsageError(
                f"{display_path(candidate, Path.cwd())}: holds the files of a git repository "
                "(HEAD, objects, refs) in the work tree; credpath reads git: sides only from "
                "the repository of a work tree (its .git)"
            )
    raise UsageError(
        f"{display_path(folder, Path.cwd())}: not in a git repository, which git: sides need"
    )


def _resolve(git_dir: Path, revision: str, side: str, repository: str) -> str:
    """The object id of the tree at ``revision``."""
    try:
        found = _git(git_dir, "rev-parse", "--verify", "--end-of-options", f"{revision}^{{tree}}")
    except UsageError as exc:
        where = "the current folder" if repository == "." else repository
        raise UsageError(f"{side}: not a revision of the repository in {where} ({exc})") from None
    return found.decode("ascii").strip()


def _check_path(path: str, side: str) -> None:
    """A path from a tree object may be anything a hand-made tree holds: accept only a
    plain relative one, which cannot leave the folder it is written into (and no ``.git``
    part, which git itself never commits)."""
    parts = path.split("/")
    if path.startswith("/") or any(part in {"", ".", "..", ".git"} for part in parts):
        raise UsageError(f"{side}: the path '{path}' at that revision is not a plain relative path")


def _objects(git_dir: Path, oids: Iterable[bytes]) -> dict[bytes, bytes]:
    """The content of each blob, read with ``cat-file --batch`` (which runs no filter)."""
    wanted = list(dict.fromkeys(oids))
    out = _git(git_dir, "cat-file", "--batch", stdin=b"".join(o + b"\n" for o in wanted))
    contents: dict[bytes, bytes] = {}
    at = 0
    for oid in wanted:
        end = out.index(b"\n", at)
        header = out[at:end].split(b" ")
        if len(header) != 3:
            raise UsageError(f"git cat-file: object {oid.decode('ascii')} is missing")
        start = end + 1
        size = int(header[2])
        contents[oid] = out[start : start + size]
        at = start + size + 1
    return contents


def _environment() -> dict[str, str]:
    """The user's environment without what points git elsewhere or makes it ask."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    environment.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
        GIT_NO_LAZY_FETCH="1",
    )
    return environment


def _git(git_dir: Path, command: str, *args: str, stdin: bytes | None = None) -> bytes:
    """Standard output of one git command on the repository at ``git_dir``; a failure is
    a UsageError with git's first line."""
    from credpath.base.text import escape

    try:
        done = subprocess.run(
            ["git", f"--git-dir={git_dir}", *_HARDENING, command, *args],
            input=stdin,
            capture_output=True,
            check=False,
            cwd=git_dir.parent,
            env=_environment(),
            timeout=TIMEOUT_SECONDS,
        )
    except FileNotFoundError:
        raise UsageError("git is needed for git: sides and was not found") from None
    except subprocess.TimeoutExpired:
        raise UsageError(f"git {command}: no answer in {TIMEOUT_SECONDS} s") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"git {command}: {escape(said[0]) if said else 'failed'}")
    return done.stdout
