"""The file system side of a project: which files are curriculum files, and their bytes.

Discovery follows the project's rules (hidden and tool folders, ``.gitignore``, the
``exclude`` patterns of credpath.yaml, sub-projects); reading refuses anything that is
not a regular file inside the project and never reads past the size limit. Every file
of a cloned repository is someone else's: a link in it may lead anywhere (an editor's
token file, ``/dev/zero``, ``/proc``), a folder tree may be thousands of levels deep,
and an ignore pattern may be written to make a backtracking matcher run for hours.
"""

from __future__ import annotations

import os
import re
import stat
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pathspec
import re2  # type: ignore[import-untyped]
from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

from credpath.base.errors import UsageError
from credpath.compiler.loader import SourceFile, parse_source

CONFIG_NAME = "credpath.yaml"
DEFAULT_MAX_FILE_MIB = 10.0
MAX_GITIGNORE_BYTES = 2**20
"""The largest ``.gitignore`` read; real ones are a few KB."""
MAX_IGNORE_PATTERNS = 2_000
"""The most ignore patterns a project may have, all its ``.gitignore`` files and
``exclude`` together: RE2 takes up to half a millisecond to compile each (more to fail),
and real projects have a few hundred."""


class Unreadable(Exception):
    """A file that cannot be read: not a regular file, outside the project, too big, an
    OS error."""


def read_bytes(
    path: Path,
    max_bytes: int,
    *,
    inside: Path,
    over: str = "raise max_file_mib in credpath.yaml if it is meant to be this big",
) -> bytes:
    """The bytes of the regular file ``path``, never more than ``max_bytes`` + 1 read.

    A FIFO would block for ever and a link to ``/dev/zero`` would never end, so anything
    that is not a regular file is refused before it is opened. So is a file that, once
    every link on its way is followed, is not in the folder ``inside``: a repository's
    link to an editor's token file must not be read and quoted, and
    ``/proc/self/pagemap`` passes for a regular file. ``over`` says what to do about a
    file over the limit.
    """
    real = Path(os.path.realpath(path))
    try:
        info = os.stat(real)
    except OSError as exc:
        raise Unreadable(f"cannot read file: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable("not a regular file (a FIFO, device or socket): it is not read")
    if not real.is_relative_to(os.path.realpath(inside)):
        raise Unreadable(f"links outside the project (to {real}): it is not read")
    data = b""
    if info.st_size <= max_bytes:
        try:
            with open(real, "rb") as handle:
                data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise Unreadable(f"cannot read file: {exc.strerror}") from None
    if info.st_size > max_bytes or len(data) > max_bytes:
        size = max(info.st_size, len(data))
        raise Unreadable(
            f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes "
            f"({_mib(max_bytes)}; {over})"
        )
    return data


def read_file(path: Path, display: str, max_bytes: int, *, inside: Path) -> SourceFile:
    """Read and parse one file; every problem becomes a yaml-syntax or duplicate-key finding."""
    try:
        data = read_bytes(path, max_bytes, inside=inside)
    except Unreadable as exc:
        source = SourceFile(path, display)
        source.unparsable(0, 0, str(exc))
        return source
    return parse_source(path, display, data)


def _mib(count: int) -> str:
    return f"{count / 2**20:.3g} MiB"


def has_config(folder: Path) -> bool:
    """Whether ``folder`` holds a credpath.yaml: anything so named but a folder, even a
    link or a FIFO, so that reading it says what is wrong rather than the project
    silently having none."""
    config = folder / CONFIG_NAME
    return os.path.lexists(config) and not config.is_dir()


class BadPattern(Exception):
    """Ignore patterns credpath does not match: ``number`` is the line (1-based) of the
    one at fault, or 0 when they are too many or too complex together."""

    def __init__(self, number: int, reason: str) -> None:
        super().__init__(reason)
        self.number = number
        self.reason = reason

    def describe(self, where: str, lines: Sequence[str]) -> str:
        """The one-line message, ``where`` being the file (or the file and line) shown."""
        if not self.number:
            return f"{where}: {self.reason}: credpath does not match them"
        pattern = lines[self.number - 1]
        return f"{where}: '{pattern}' is not a pattern credpath can match: {self.reason}"


def ignore_spec(lines: Sequence[str]) -> pathspec.GitIgnoreSpec:
    """``lines`` in gitignore syntax, matched in time linear in the path.

    pathspec's default engine is Python's ``re``, which backtracks: the 16-byte line
    ``a*a*a*a*a*a*a*b`` against one 200-character file name runs for hours, each ``*``
    multiplying the time by 20. RE2 (google-re2, pathspec's ``re2`` backend) never
    backtracks. A line that does not compile is a ``BadPattern`` at its line; so are
    patterns that together exceed what RE2 compiles (1,000 to 2,000 plain globs).
    """
    patterns = []
    with warnings.catch_warnings():  # re's "possible nested set": RE2 then decides
        warnings.simplefilter("ignore", FutureWarning)
        for number, line in enumerate(lines, 1):
            try:
                patterns.append(GitIgnoreSpecPattern(line))
            except (ValueError, re.error) as exc:  # ValueError: GitIgnorePatternError
                raise BadPattern(number, getattr(exc, "msg", None) or str(exc)) from None
    try:
        return pathspec.GitIgnoreSpec(patterns, backend="re2")
    except re2.error:
        for number, pattern in enumerate(patterns, 1):
            try:
                pathspec.GitIgnoreSpec([pattern], backend="re2")
            except re2.error:
                raise BadPattern(number, "RE2 cannot compile it") from None
        raise BadPattern(0, "too many or too complex to match in linear time") from None


def pattern_count(lines: Sequence[str]) -> int:
    """How many patterns ``lines`` hold: blank lines and comments aside."""
    return sum(1 for line in lines if line.strip() and not line.startswith("#"))


SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__", "site-packages"})
"""Folders never crawled, besides hidden ones (.git, .venv) and virtual environments."""


@dataclass(frozen=True)
class Found:
    files: list[Path]
    """The curriculum files, in sorted path order."""
    projects: list[Path]
    """Folders below the root that are projects of their own (not searched)."""


Active = list[tuple[str, pathspec.GitIgnoreSpec]]
"""The ignore rules in force in a folder: each with the folder it is relative to."""


def discover(root: Path, exclude: list[str]) -> Found:
    """The curriculum files below ``root``, in one walk of the tree.

    Skipped: hidden files and folders (``.git``, ``.venv``), ``node_modules`` and
    other tool folders, virtual environments (a folder with ``pyvenv.cfg``),
    sub-projects (folders with their own credpath.yaml), links to folders (never
    followed), what a ``.gitignore`` at or below ``root`` ignores, and the ``exclude``
    patterns of credpath.yaml (gitignore syntax, relative to ``root``; load_config has
    checked that they compile). The walk keeps its own stack: Python 3.11's ``os.walk``
    recurses, and a repository 1,000 folders deep ended it in ``RecursionError``.
    Raises UsageError for a ``.gitignore`` that is not read or not matched.
    """
    specs: Active = [("", ignore_spec(exclude))] if exclude else []
    allowed = MAX_IGNORE_PATTERNS - pattern_count(exclude)

    def ignored(rel: str, is_dir: bool, active: Active) -> bool:
        probe = rel + "/" if is_dir else rel
        return any(
            spec.match_file(probe[len(base) :]) for base, spec in active if probe.startswith(base)
        )

    found: list[tuple[str, Path]] = []
    projects: list[Path] = []
    pending: list[tuple[Path, str, Active]] = [(root, "", specs)]
    while pending:
        here, prefix, active = pending.pop()
        lines = _gitignore(here, root)
        if lines is not None:
            allowed -= pattern_count(lines)
            active = [*active, (prefix, _ignore_rules(here / ".gitignore", lines, allowed))]
        try:
            with os.scandir(here) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:  # as os.walk: a folder that cannot be listed holds nothing
            continue
        for entry in entries:
            name, rel = entry.name, prefix + entry.name
            if name.startswith("."):
                continue
            if _is_folder(entry):
                sub = Path(entry.path)
                if (
                    entry.is_symlink()
                    or name in SKIPPED_FOLDERS
                    or (sub / "pyvenv.cfg").is_file()
                    or ignored(rel, True, active)
                ):
                    continue
                if has_config(sub):
                    projects.append(sub)
                else:
                    pending.append((sub, rel + "/", active))
            elif (
                name.endswith((".yaml", ".yml"))
                and not (here == root and name == CONFIG_NAME)
                and not ignored(rel, False, active)
            ):
                found.append((rel, Path(entry.path)))
    return Found([path for _, path in sorted(found)], sorted(projects))


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """Whether the entry is a folder or a link to one; as for os.walk, an error means no."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _gitignore(folder: Path, root: Path) -> list[str] | None:
    """The lines of the folder's ``.gitignore``, read like a curriculum file (a regular
    file inside the project) and at most 1 MiB, or None when there is none."""
    path = folder / ".gitignore"
    if not os.path.lexists(path):
        return None
    try:
        data = read_bytes(
            path, MAX_GITIGNORE_BYTES, inside=root, over="the most credpath reads of a .gitignore"
        )
    except Unreadable as exc:
        raise UsageError(f"{display_path(path, Path.cwd())}: {exc}") from None
    return data.decode("utf-8", errors="replace").splitlines()


def _ignore_rules(path: Path, lines: list[str], allowed: int) -> pathspec.GitIgnoreSpec:
    """A ``.gitignore``'s patterns compiled, while the project's budget of ``allowed``
    more patterns lasts (it is negative once spent)."""
    shown = display_path(path, Path.cwd())
    if allowed < 0:
        raise UsageError(
            f"{shown}: more than {MAX_IGNORE_PATTERNS:,} ignore patterns in the project "
            "(its .gitignore files and exclude together): credpath does not match them"
        )
    try:
        return ignore_spec(lines)
    except BadPattern as exc:
        where = f"{shown}:{exc.number}:1" if exc.number else shown
        raise UsageError(exc.describe(where, lines)) from None


def display_path(path: Path, base: Path) -> str:
    """The path as the user should see it: relative to where credpath was run."""
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:  # pragma: no cover - another drive on Windows
        return path.as_posix()
