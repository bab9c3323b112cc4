"""The file system side of a project: which files are curriculum files, and their bytes.

Discovery follows the project's rules (hidden and tool folders, ``.gitignore``, the
``exclude`` patterns of credpath.yaml, sub-projects); reading refuses anything that is
not a regular file and never reads past the size limit.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

import pathspec

from credpath.loader import SourceFile, parse_source

CONFIG_NAME = "credpath.yaml"
DEFAULT_MAX_FILE_MIB = 10.0


class Unreadable(Exception):
    """A curriculum file that cannot be read: not a regular file, too big, an OS error."""


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, never more than ``max_bytes`` + 1 read and never from a non-file.

    A FIFO would block for ever and a link to ``/dev/zero`` would never end, so
    anything that is not a regular file is refused before it is opened.
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        raise Unreadable(f"cannot read file: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable("not a regular file (a FIFO, device or socket): it is not read")
    data = b""
    if info.st_size <= max_bytes:
        try:
            with open(path, "rb") as handle:
                data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise Unreadable(f"cannot read file: {exc.strerror}") from None
    if info.st_size > max_bytes or len(data) > max_bytes:
        size = max(info.st_size, len(data))
        raise Unreadable(
            f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes ({_mib(max_bytes)}; "
            "raise max_file_mib in credpath.yaml if it is meant to be this big)"
        )
    return data


def read_file(path: Path, display: str, max_bytes: int) -> SourceFile:
    """Read and parse one file; every problem becomes a yaml-syntax or duplicate-key finding."""
    try:
        data = read_bytes(path, max_bytes)
    except Unreadable as exc:
        source = SourceFile(path, display)
        source.unparsable(0, 0, str(exc))
        return source
    return parse_source(path, display, data)


def _mib(count: int) -> str:
    return f"{count / 2**20:.3g} MiB"


SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__", "site-packages"})
"""Folders never crawled, besides hidden ones (.git, .venv) and virtual environments."""


def _gitignore(folder: Path) -> pathspec.GitIgnoreSpec | None:
    try:
        lines = (folder / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


@dataclass(frozen=True)
class Found:
    files: list[Path]
    """The curriculum files, in sorted path order."""
    projects: list[Path]
    """Folders below the root that are projects of their own (not searched)."""


def discover(root: Path, exclude: list[str]) -> Found:
    """The curriculum files below ``root``, in one walk of the tree.

    Skipped: hidden files and folders (``.git``, ``.venv``), ``node_modules`` and
    other tool folders, virtual environments (a folder with ``pyvenv.cfg``),
    sub-projects (folders with their own credpath.yaml), what a ``.gitignore``
    at or below ``root`` ignores, and the ``exclude`` patterns of credpath.yaml
    (gitignore syntax, relative to ``root``).
    """
    specs: list[tuple[str, pathspec.GitIgnoreSpec]] = []
    if exclude:
        specs.append(("", pathspec.GitIgnoreSpec.from_lines(exclude)))

    def ignored(rel: str, is_dir: bool, active: list[tuple[str, pathspec.GitIgnoreSpec]]) -> bool:
        probe = rel + "/" if is_dir else rel
        return any(
            spec.match_file(probe[len(base) :]) for base, spec in active if probe.startswith(base)
        )

    found: list[tuple[str, Path]] = []
    projects: list[Path] = []
    active_in: dict[str, list[tuple[str, pathspec.GitIgnoreSpec]]] = {}
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        rel_dir = here.relative_to(root).as_posix()
        prefix = "" if rel_dir == "." else rel_dir + "/"
        active = list(active_in.pop(rel_dir, specs))
        local = _gitignore(here)
        if local is not None:
            active.append((prefix, local))
        keep = []
        for name in dirs:
            rel = prefix + name
            sub = here / name
            if (
                name.startswith(".")
                or name in SKIPPED_FOLDERS
                or (sub / "pyvenv.cfg").is_file()
                or ignored(rel, True, active)
            ):
                continue
            if (sub / CONFIG_NAME).is_file():
                projects.append(sub)
                continue
            keep.append(name)
            active_in[rel] = active
        dirs[:] = sorted(keep)
        for name in files:
            if name.startswith(".") or not name.endswith((".yaml", ".yml")):
                continue
            if here == root and name == CONFIG_NAME:
                continue
            rel = prefix + name
            if not ignored(rel, False, active):
                found.append((rel, here / name))
    return Found([path for _, path in sorted(found)], sorted(projects))


def display_path(path: Path, base: Path) -> str:
    """The path as the user should see it: relative to where credpath was run."""
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:  # pragma: no cover - another drive on Windows
        return path.as_posix()
