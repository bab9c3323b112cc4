"""Load a project: root, config, files (parsed on both cores when there are many)."""

from __future__ import annotations

import contextlib
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from credpath.config import ConfigError, ProjectConfig, find_root, load_config
from credpath.loader import CONFIG_NAME, SourceFile, discover, display_path, read_file
from credpath.resolve import Catalog, build_catalog

PARALLEL_BYTES = 1 * 2**20
"""Below this much YAML, starting worker processes costs more than it saves."""


def load_project(
    target: Path, cwd: Path, known_rules: frozenset[str]
) -> tuple[ProjectConfig, Catalog]:
    root, targets = find_root(target)
    config, config_source = load_config(root, cwd, known_rules)
    project = ProjectConfig(root, config, config_source, targets)
    paths = list(discover(root, config.exclude))
    if not paths and config_source is None:
        nested = sub_projects(root)
        if nested:
            shown = ", ".join(display_path(p, cwd) for p in nested[:5])
            raise ConfigError(
                f"{display_path(root, cwd)}: no curriculum files of its own, but it holds the "
                f"projects {shown}{', ...' if len(nested) > 5 else ''}: run credpath on each"
            )
    max_bytes = int(config.max_file_mib * 2**20)
    displays = [display_path(p, cwd) for p in paths]
    files = _read_all(paths, displays, max_bytes)
    return project, build_catalog(config, config_source, files)


def sub_projects(root: Path) -> list[Path]:
    """Folders below ``root`` with their own credpath.yaml (not descending into them)."""
    found: list[Path] = []
    for folder, dirs, _ in os.walk(root):
        here = Path(folder)
        keep = []
        for name in sorted(dirs):
            if name.startswith("."):
                continue
            if (here / name / CONFIG_NAME).is_file():
                found.append(here / name)
            else:
                keep.append(name)
        dirs[:] = keep
    return found


def _read_all(paths: list[Path], displays: list[str], max_bytes: int) -> list[SourceFile]:
    total = 0
    for path in paths:
        with contextlib.suppress(OSError):
            total += path.stat().st_size
    workers = min(os.cpu_count() or 1, 4)
    if total < PARALLEL_BYTES or workers < 2 or len(paths) < 2:
        return [read_file(p, d, max_bytes) for p, d in zip(paths, displays, strict=True)]
    chunk = max(1, len(paths) // (workers * 4))
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(read_file, paths, displays, [max_bytes] * len(paths), chunksize=chunk))
