"""The resident engine: a project kept in memory and checked again after each edit.

``validate --watch``, the language server and ``serve`` each hold one ``Workspace``.
``update`` reads the project again (files added, removed or changed on disk, or the
unsaved text an editor holds) and returns an engine ``Result`` whose findings are those
a cold ``check`` of the same bytes gives. What it does not redo:

- reading a file whose size and modification time are those of the last update (unless
  that time is too recent to trust: a file written twice within the clock's resolution
  keeps its time, so it is read and hashed again, as git does for "racily clean" files);
- parsing and validating a file whose bytes did not change (kept by content hash);
- resolving the references of an unchanged file while the ids are unchanged
  (``build_catalog(remember=True)``);
- when an edit changes only titles, descriptions and comments (``engine.graph_view``:
  the same lines, each changed one a whole-line comment or a ``title:`` or
  ``description:`` with a plain one-line value, every entry otherwise equal), and no
  fact of the resolver lies in the edited file: the catalog is the previous one with the
  edited entries' models swapped, and the graph rules (``engine.GRAPH_RULES``: gap,
  cycle, dead-end ..., which never read a title, a description or a comment) keep their
  previous findings, which cannot differ; the other rules run.

Any other edit rebuilds the catalog from the kept parses and runs every rule.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

from credpath.base.diagnostics import Diagnostic
from credpath.checks.context import Options
from credpath.checks.engine import GRAPH_RULES, TEXT_FIELDS, Result, graph_view
from credpath.checks.rules import RULE_BOOK
from credpath.compiler.config import find_root, load_config
from credpath.compiler.facts import Origin, ResolveFact
from credpath.compiler.files import CONFIG_NAME, Unreadable, discover, display_path, read_bytes
from credpath.compiler.loader import SourceFile
from credpath.compiler.project import Project, RawFile, parse_raw
from credpath.compiler.resolve import (
    AnyDef,
    Catalog,
    CompetencyDef,
    CredentialDef,
    OutcomeDef,
    PathwayDef,
    prevalidate,
)

RACY_SECONDS = 2.0
"""A file modified this recently is read again even when its size and time match: a
second write within the file system's time resolution leaves both unchanged."""


@dataclass
class _Known:
    """A file as last read: its stat, its bytes and their parse."""

    stat: tuple[int, int]
    raw: RawFile
    source: SourceFile
    text: str | None
    """The editor's text it was parsed from, or None when read from disk."""


class Workspace:
    """One project, resident: its files read, parsed and validated, kept between edits."""

    def __init__(self, target: Path, cwd: Path, options: Options, *, lint: bool = False) -> None:
        self.target = target
        self.cwd = cwd
        self.options = options
        self.lint = lint
        self.known: dict[Path, _Known] = {}
        self.parsed: dict[bytes, SourceFile] = {}
        """Parses by content hash (a file renamed, or an edit undone, is not parsed again)."""
        self.last: Result | None = None
        self.config_text: str | None = None
        self.patched = False
        """Whether the last update patched the previous catalog (for tests and benches)."""

    def update(self, texts: Mapping[Path, str] | None = None) -> Result:
        """The project as it is now, checked; ``texts`` overrides what is on disk (an
        editor's unsaved buffers). Raises ConfigError as ``check`` does."""
        project, sources = self._read(texts or {})
        previous = self.last
        result = None
        self.patched = False
        if previous is not None:
            result = self._patched(previous, project, sources)
            self.patched = result is not None
        if result is None:
            result = Result(
                project, self.options, self.lint, self.cwd, parsed=sources, long_lived=True
            )
        _ = result.diagnostics  # checked here, by the caller's worker, not when shown
        self.last = result
        return result

    def concerns(self, changed: Iterable[Path]) -> bool:
        """Whether a change to these paths can change the findings: credpath.yaml, an
        ignore file, a curriculum file, or a YAML file that would be one now."""
        root = self.last.project.root if self.last is not None else find_root(self.target)[0]
        root = root.absolute()
        fresh = []
        known = {p.absolute() for p in self.known}
        for path in (p.absolute() for p in changed):
            if path in known or path.name in {CONFIG_NAME, ".gitignore"}:
                if root == path.parent or root in path.parents:
                    return True
            elif path.suffix.lower() in {".yaml", ".yml"} and root in path.parents:
                fresh.append(path)
        if not fresh:
            return False
        exclude = self.last.config.exclude if self.last is not None else []
        found = set(discover(root, exclude).files)
        return any(path in found for path in fresh)

    def _read(self, texts: Mapping[Path, str]) -> tuple[Project, list[SourceFile]]:
        """The project's configuration and files, each read and parsed only if changed."""
        root, named = find_root(self.target)
        config, config_source = load_config(root, self.cwd, RULE_BOOK)
        previous = self.last
        text = config_source.text if config_source is not None else None
        if previous is not None and text == self.config_text and config == previous.config:
            config, config_source = previous.config, previous.project.config_source
        self.config_text = text
        paths = discover(root, config.exclude).files
        max_bytes = int(config.max_file_mib * 2**20)
        known: dict[Path, _Known] = {}
        parsed: dict[bytes, SourceFile] = {}
        now = time.time()
        for path in paths:
            before = self.known.get(path)
            display = before.raw.display if before is not None else display_path(path, self.cwd)
            entry = self._file(path, display, root, max_bytes, texts.get(path), now)
            known[path] = entry
            parsed[entry.raw.digest] = entry.source
        self.known = known
        self.parsed = parsed
        files = tuple(k.raw for k in known.values())
        project = Project(root, config, config_source, files, named)
        return project, [k.source for k in known.values()]

    def _file(
        self, path: Path, display: str, root: Path, max_bytes: int, text: str | None, now: float
    ) -> _Known:
        """One file, from memory when it cannot have changed."""
        before = self.known.get(path)
        stat = (0, 0)
        if text is None:
            try:
                info = path.stat()
                stat = (info.st_mtime_ns, info.st_size)
                recent = now - stat[0] / 1e9 < RACY_SECONDS
            except OSError:
                recent = True  # read it, to say why it cannot be
            if (
                before is not None
                and before.text is None
                and before.stat == stat
                and before.raw.display == display
                and not recent
            ):
                return before
        elif before is not None and before.text == text and before.raw.display == display:
            return before
        if text is not None:
            raw = RawFile(path, display, text.encode("utf-8", "surrogatepass"))
        else:
            try:
                raw = RawFile(path, display, read_bytes(path, max_bytes, inside=root))
            except Unreadable as exc:
                raw = RawFile(path, display, None, str(exc))
        if before is not None and before.raw.digest == raw.digest and before.raw.display == display:
            return _Known(stat, before.raw, before.source, text)
        source = self.parsed.get(raw.digest)
        if source is None or source.path != path or source.display != display:
            source = parse_raw(raw)
            prevalidate(source)
        return _Known(stat, raw, source, text)

    def _patched(
        self, previous: Result, project: Project, sources: list[SourceFile]
    ) -> Result | None:
        """The result of an edit of titles and descriptions only, from the previous one;
        None for any other edit."""
        if (
            project.config is not previous.config
            or "catalog" not in previous.__dict__
            or "findings" not in previous.__dict__
        ):
            return None
        catalog = previous.catalog
        if [s.path for s in sources] != [s.path for s in catalog.files]:
            return None
        swapped = {
            id(old): new for old, new in zip(catalog.files, sources, strict=True) if old is not new
        }
        if not swapped:  # nothing changed: every rule's findings stand
            return self._result(project, sources, catalog, previous, previous.by_rule)
        olds = {id(old): old for old in catalog.files if id(old) in swapped}
        if any(not _graph_unchanged(olds[key], new) for key, new in swapped.items()):
            return None
        if any(_touches(fact, swapped) for fact in catalog.facts):
            return None  # a fact in an edited file: its wording may quote the text
        patched = Catalog(
            catalog.config,
            catalog.config_source,
            sources,
            dict(catalog.competencies),
            dict(catalog.credentials),
            dict(catalog.outcomes),
            dict(catalog.pathways),
            catalog.assumed,
            catalog.facts,
        )
        for key, new in swapped.items():
            if new.validated.keys() != new.entries.keys():
                return None  # an entry not validated on its own: the build says why
            for path, model in new.validated.items():
                entry = patched.entry(getattr(model, "id", ""))
                if entry is None or entry.origin.source is not olds[key]:
                    return None  # not in the catalog as written here: a duplicate id
                swapped_entry = _swap(entry, new)
                if swapped_entry is None or entry.origin.path != path:
                    return None
                _kind_of(patched, swapped_entry)[entry.id] = swapped_entry
        graph = {rule: found for rule, found in previous.by_rule.items() if rule in GRAPH_RULES}
        return self._result(project, sources, patched, previous, graph)

    def _result(
        self,
        project: Project,
        sources: list[SourceFile],
        catalog: Catalog,
        previous: Result,
        reused: Mapping[str, list[Diagnostic]],
    ) -> Result:
        return Result(
            project,
            self.options,
            self.lint,
            self.cwd,
            parsed=sources,
            long_lived=True,
            built=catalog,
            reused=reused,
        )


def _graph_unchanged(old: SourceFile, new: SourceFile) -> bool:
    """Whether ``new`` is ``old`` with only titles, descriptions and comments changed, so
    that every other position stays where it was (``engine.graph_view``)."""
    return old.entries.keys() == new.entries.keys() and graph_view(old) == graph_view(new)


def _touches(fact: ResolveFact, swapped: Mapping[int, SourceFile]) -> bool:
    """Whether a fact is located in, or refers to, one of the edited files."""
    for part in fields(fact):
        source = getattr(getattr(fact, part.name), "source", None)
        if source is not None and id(source) in swapped:
            return True
    return False


def _swap(entry: AnyDef, source: SourceFile) -> AnyDef | None:
    """The entry as written in the edited file: its new model, which must differ from the
    old one in its title and description only; None when it does otherwise."""
    model = source.validated.get(entry.origin.path)
    if model is None or type(model) is not type(entry.model):
        return None
    if _without_text(model) != _without_text(entry.model):
        return None
    return replace(entry, model=model, origin=Origin(source, entry.origin.path))  # type: ignore[arg-type]


def _kind_of(catalog: Catalog, entry: AnyDef) -> dict[str, AnyDef]:
    """The catalog's dictionary of entries of the kind of ``entry``."""
    kinds: dict[type, dict[str, AnyDef]] = {
        CompetencyDef: catalog.competencies,  # type: ignore[dict-item]
        CredentialDef: catalog.credentials,  # type: ignore[dict-item]
        OutcomeDef: catalog.outcomes,  # type: ignore[dict-item]
        PathwayDef: catalog.pathways,  # type: ignore[dict-item]
    }
    return kinds[type(entry)]


def _without_text(model: object) -> dict[str, object]:
    return {k: v for k, v in vars(model).items() if k not in TEXT_FIELDS}
