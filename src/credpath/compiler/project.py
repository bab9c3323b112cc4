"""Find a project and read it: its root, credpath.yaml, and the bytes of every curriculum file.

The bytes are read once, here: the findings cache hashes exactly these bytes and
the parser parses exactly these bytes, so a file edited in between cannot make
the cache store one content's findings under another content's hash.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Callable, Generator, Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from credpath.compiler.config import ConfigError, RuleBook, find_root, load_config
from credpath.compiler.files import Unreadable, discover, display_path, read_bytes
from credpath.compiler.loader import (
    ALIAS_BUDGET,
    SourceFile,
    may_alias,
    parse_source,
    parsed_before,
)
from credpath.compiler.model import Config

if TYPE_CHECKING:
    from credpath.compiler.loader import Parse

PARALLEL_BYTES = 1 * 2**20
"""Below this much YAML, starting worker processes costs more than it saves."""


@dataclass(frozen=True)
class RawFile:
    """One curriculum file as read: its bytes, or why they could not be read."""

    path: Path
    display: str
    data: bytes | None
    problem: str | None = None
    digest: bytes = field(default=b"", repr=False)
    """A hash of the bytes (or of the problem), taken when read: what the findings cache
    keys on, kept when the bytes are released once parsed."""

    def __post_init__(self) -> None:
        if not self.digest:
            content = self.data if self.data is not None else (self.problem or "").encode()
            object.__setattr__(self, "digest", hashlib.blake2b(content, digest_size=16).digest())


@dataclass(frozen=True)
class Project:
    root: Path
    config: Config
    config_source: SourceFile | None
    files: tuple[RawFile, ...]
    named: tuple[Path, ...]
    """Files named on the command line (empty when a folder was given)."""
    released: bool = False
    """Parsed already, and its files' bytes dropped (``release``)."""

    def release(self) -> Project:
        """This project without its files' bytes, once they are parsed: the parsed files
        hold the text, and the findings cache needs only the digests (a 50,000-credential
        catalog then takes 18 MiB less)."""
        files = tuple(replace(f, data=None) for f in self.files)  # digests carried over
        return replace(self, files=files, released=True)

    def parse(
        self,
        known: Mapping[bytes, Parse] | None = None,
        then: Callable[[SourceFile], None] | None = None,
    ) -> list[SourceFile]:
        """Every curriculum file parsed, in path order (on several cores when there is a
        lot); a file whose bytes' hash is in ``known`` (the parse cache) is not parsed
        again, unless it may hold aliases (their count is not cached, and the project's
        budget needs it). ``then`` is called with each file as soon as it is parsed: while
        worker processes parse the others, this process has time to spare."""
        if self.released:
            raise RuntimeError("the project's bytes were released after parsing")
        known = known or {}
        again = [f.data is None or f.digest not in known or may_alias(f.data) for f in self.files]
        aliases = AliasBudget()
        parsed = []
        with closing(_parse_all([f for f, p in zip(self.files, again, strict=True) if p])) as fresh:
            for f, parse in zip(self.files, again, strict=True):
                source = (
                    aliases.admit(next(fresh), f.data)
                    if parse or f.data is None
                    else parsed_before(f.path, f.display, f.data, *known[f.digest])
                )
                if then is not None:
                    then(source)
                parsed.append(source)
        return parsed


class AliasBudget:
    """The values aliases may expand to (``ALIAS_BUDGET``), shared by a project's files in
    path order: each file's parse counts its own, so workers can parse files apart. A file
    whose aliases go past what is left is refused, with the finding at the alias that goes
    over, and what it expanded is not kept, so it does not count."""

    def __init__(self) -> None:
        self.spent = 0

    def admit(self, source: SourceFile, data: bytes | None) -> SourceFile:
        """``source`` as parsed, or refused when over the budget (parsed again from
        ``data`` to find where)."""
        if self.spent + source.alias_values <= ALIAS_BUDGET:
            self.spent += source.alias_values
            return source
        assert data is not None  # only a parse of the bytes counts aliases
        return parse_source(source.path, source.display, data, aliases_before=self.spent)


def _parse_all(files: list[RawFile]) -> Generator[SourceFile, None, None]:
    """The files parsed, in order, each as soon as it is."""
    total = sum(len(f.data) for f in files if f.data is not None)
    workers = min(os.cpu_count() or 1, 4)
    if total < PARALLEL_BYTES or workers < 2 or len(files) < 2:
        yield from map(parse_raw, files)
        return
    chunk = max(1, len(files) // (workers * 4))
    with ProcessPoolExecutor(workers, initializer=gc.disable) as pool:
        yield from pool.map(parse_raw, files, chunksize=chunk)


def parse_raw(raw: RawFile) -> SourceFile:
    """One file as read, parsed (or with the reason it could not be read)."""
    if raw.data is None:
        source = SourceFile(raw.path, raw.display)
        source.unparsable(0, 0, raw.problem or "unreadable")
        return source
    return parse_source(raw.path, raw.display, raw.data)


def open_project(
    target: Path, cwd: Path, rules: RuleBook, *, require_files: bool = True
) -> Project:
    """Find the project holding ``target``, read its configuration and its files' bytes.

    Raises ConfigError (exit 2) when there is nothing to check: a folder without
    curriculum files is far more often the wrong folder than an empty project.
    """
    root, named = find_root(target)
    config, config_source = load_config(root, cwd, rules)
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
            files.append(RawFile(path, display, read_bytes(path, max_bytes, inside=root)))
        except Unreadable as exc:
            files.append(RawFile(path, display, None, str(exc)))
    return Project(root, config, config_source, tuple(files), named)
