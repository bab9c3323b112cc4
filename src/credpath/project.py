"""Find a project and read it: its root, credpath.yaml, and the bytes of every curriculum file.

The bytes are read once, here: the findings cache hashes exactly these bytes and
the parser parses exactly these bytes, so a file edited in between cannot make
the cache store one content's findings under another content's hash.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pathspec

from credpath.config import ConfigError, find_root, load_config
from credpath.loader import (
    CONFIG_NAME,
    SourceFile,
    Unreadable,
    display_path,
    parse_source,
    read_bytes,
)
from credpath.model import Config

PARALLEL_BYTES = 1 * 2**20
"""Below this much YAML, starting worker processes costs more than it saves."""


@dataclass(frozen=True)
class RawFile:
    """One curriculum file as read: its bytes, or why they could not be read."""

    path: Path
    display: str
    data: bytes | None
    problem: str | None = None


@dataclass(frozen=True)
class Project:
    root: Path
    config: Config
    config_source: SourceFile | None
    files: tuple[RawFile, ...]
    named: tuple[Path, ...]
    """Files named on the command line (empty when a folder was given)."""

    def parse(self) -> list[SourceFile]:
        """Every curriculum file parsed, in path order (on several cores when there is a lot)."""
        total = sum(len(f.data) for f in self.files if f.data is not None)
        workers = min(os.cpu_count() or 1, 4)
        if total < PARALLEL_BYTES or workers < 2 or len(self.files) < 2:
            return [_parse(f) for f in self.files]
        chunk = max(1, len(self.files) // (workers * 4))
        with ProcessPoolExecutor(workers) as pool:
            return list(pool.map(_parse, self.files, chunksize=chunk))


def _parse(raw: RawFile) -> SourceFile:
    if raw.data is None:
        source = SourceFile(raw.path, raw.display)
        source.unparsable(0, 0, raw.problem or "unreadable")
        return source
    return parse_source(raw.path, raw.display, raw.data)


def open_project(
    target: Path, cwd: Path, known_rules: frozenset[str], *, require_files: bool = True
) -> Project:
    """Find the project holding ``target``, read its configuration and its files' bytes.

    Raises ConfigError (exit 2) when there is nothing to check: a folder without
    curriculum files is far more often the wrong folder than an empty project.
    """
    root, named = find_root(target)
    config, config_source = load_config(root, cwd, known_rules)
    found = discover(root, config.exclude)
    paths = found.files
    if not paths and require_files:
        nested = found.projects
        where = display_path(root, cwd)
        if nested:
            shown = ", ".join(display_path(p, cwd) for p in nested[:5])
            raise ConfigError(
                f"{where}: no curriculum files of its own, but it holds the "
                f"projects {shown}{', ...' if len(nested) > 5 else ''}: run credpath on each"
            )
        raise ConfigError(
            f"no curriculum files in {where}: credpath reads the .yaml and .yml files of a "
            "project folder (hidden, ignored and excluded ones aside)"
        )
    max_bytes = int(config.max_file_mib * 2**20)
    files = []
    for path in paths:
        display = display_path(path, cwd)
        try:
            files.append(RawFile(path, display, read_bytes(path, max_bytes)))
        except Unreadable as exc:
            files.append(RawFile(path, display, None, str(exc)))
    return Project(root, config, config_source, tuple(files), named)


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
