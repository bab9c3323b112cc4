"""The resident engine: a project kept in memory and checked again after each edit.

``validate --watch``, the language server and ``serve`` each hold one ``Workspace``.
``update`` reads the project again (files added, removed or changed on disk, or the
unsaved text an editor holds), parses only the files whose bytes changed since the last
update, and returns an engine ``Result`` whose findings are those a cold ``check`` of
the same bytes gives.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from credpath.checks.context import Options
from credpath.checks.engine import Result
from credpath.checks.rules import RULE_BOOK
from credpath.compiler.loader import SourceFile
from credpath.compiler.project import RawFile, open_project, parse_raw
from credpath.compiler.resolve import prevalidate


class Workspace:
    """One project, resident: its files parsed, by path and content hash."""

    def __init__(self, target: Path, cwd: Path, options: Options, *, lint: bool = False) -> None:
        self.target = target
        self.cwd = cwd
        self.options = options
        self.lint = lint
        self.parsed: dict[tuple[Path, bytes], SourceFile] = {}
        self.last: Result | None = None

    def update(self, texts: Mapping[Path, str] | None = None) -> Result:
        """The project as it is now, checked; ``texts`` overrides what is on disk (an
        editor's unsaved buffers). Raises ConfigError as ``check`` does."""
        texts = texts or {}
        project = open_project(self.target, self.cwd, RULE_BOOK, require_files=False)
        sources = []
        kept: dict[tuple[Path, bytes], SourceFile] = {}
        for raw in project.files:
            text = texts.get(raw.path)
            data = text.encode("utf-8", "surrogatepass") if text is not None else raw.data
            digest = hashlib.blake2b(data, digest_size=16).digest() if data is not None else b""
            key = (raw.path, digest)
            source = self.parsed.get(key)
            if source is None:
                source = parse_raw(RawFile(raw.path, raw.display, data, raw.problem))
                prevalidate(source)
            kept[key] = source
            sources.append(source)
        self.parsed = kept
        result = Result(
            project, self.options, self.lint, self.cwd, parsed=sources, long_lived=True
        )
        _ = result.diagnostics  # checked here, by the caller's worker, not when shown
        self.last = result
        return result
