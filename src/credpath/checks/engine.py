"""The engine every command asks: load a project, check it, remember the findings.

``check`` reads the project (root, credpath.yaml, every file's bytes) and returns
a ``Result`` whose parts are built on first use: the parsed files, the resolved
catalog, the check context and the findings. A command that needs no findings
(plan, next, render) never runs the rules; one that needs only findings (validate
on unchanged files) never parses a file, as the findings cache answers from the
hash of the bytes read; and, after an edit of titles, descriptions or comments only,
the graph rules (the costly ones) are not run again either: their findings come from
the graph cache (``graph_view``, ``cache.load_graph``), the resident engine's from
its previous run (``checks.workspace``).

Settling the findings: suppression comments silence what they name (the rules
that judge suppressions run after that); configured severities (``rules:`` in
credpath.yaml) replace the defaults, ``off`` drops a rule; the result is sorted by
file, line and column (``Result.findings``). Then, and only over what is reported,
caused findings are folded into their roots (``Result.diagnostics``,
``diagnostics.fold``): a root that is off, suppressed or not reported absorbs nothing.
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from pathlib import Path

from credpath.base.diagnostics import Diagnostic, fold
from credpath.checks import cache
from credpath.checks.context import Context, Options, RuleSettings
from credpath.checks.rules import ALL, FIXED, RULE_BOOK, RULES, Rule, effective
from credpath.checks.suppress import Suppressions, has_suppressions
from credpath.compiler.config import find_root
from credpath.compiler.files import display_path
from credpath.compiler.loader import LINE_BREAK, SourceFile, may_alias
from credpath.compiler.model import Config
from credpath.compiler.project import Project, open_project
from credpath.compiler.resolve import Catalog, build_catalog, prevalidate

TEXT_FIELDS = frozenset({"title", "description"})
"""Fields no graph rule reads: an edit of these alone keeps the graph rules' findings."""

GRAPH_RULES = frozenset(
    {
        "gap",
        "cycle",
        "unearnable",
        "unreachable-outcome",
        "dead-end",
        "orphan-competency",
        "redundant-requirement",
        "pathway-order",
        "pathway-incomplete",
    }
)
"""The rules that work over the whole graph (the costly ones) and whose findings depend
on the ids, requirements, grants, levels, statuses and places of entries and on the
facts found at those, never on a title, a description or a comment. A rule added to the
registry is not among them until that is checked."""

_TEXT_LINE = re.compile(
    r"(?P<head> *(?:- +)?(?:title|description): +)"
    r"(?P<value>[A-Za-z0-9(][^:#\[\]{},&*!|>'\"%@`\\]*)"
)
"""A block-style title or description line whose value is a plain one-line scalar that
runs to the end of the line: changing it moves no other position in the file."""

_COMMENT_LINE = re.compile(r"[ \t]*#.*")


def graph_view(source: SourceFile) -> bytes:
    """A digest of what the graph rules can see of a file: equal for two versions of it
    that differ only in title and description values and whole-line comments.

    Those lines are blanked in place (no other position moves; the last line is kept as
    it is when no line break ends it, as the end of the file is a position too), and the
    entries' models are added without their titles and descriptions (a line that only
    looks like a comment or a title, inside a block scalar, still counts where it
    matters). A file with a problem, or an entry that did not validate on its own, is
    seen whole: only the same bytes match it."""
    digest = hashlib.blake2b(digest_size=16)
    if source.problems or source.validated.keys() != source.entries.keys():
        digest.update(b"whole\0" + source.text.encode("utf-8", "surrogatepass"))
        return digest.digest()
    whole = source.text  # read once, its lines not kept: the catalog keeps texts compressed
    lines = LINE_BREAK.split(whole)[::2]
    kept = len(lines) if whole.endswith("\n") else len(lines) - 1
    for index, line in enumerate(lines):
        if index < kept and _COMMENT_LINE.fullmatch(line):
            line = ""
        elif index < kept and (text := _TEXT_LINE.fullmatch(line)):
            line = text["head"]
        digest.update(line.encode("utf-8", "surrogatepass") + b"\n")
    for path, model in source.validated.items():
        try:
            shown = model.model_dump_json(exclude=TEXT_FIELDS)
        except ValueError:  # pragma: no cover - models hold YAML values, all JSON-able
            shown = repr(model)
        digest.update(repr(path).encode() + b"\0" + shown.encode("utf-8", "surrogatepass"))
    return digest.digest()


def facts_seen(catalog: Catalog) -> bytes:
    """A digest of where the resolver found facts, and of what kind: a title that stops
    being text (a number, null) breaks its entry, which the graph rules do see."""
    digest = hashlib.blake2b(digest_size=16)
    for fact in catalog.facts:
        for part in fields(fact):
            value = getattr(fact, part.name)
            source = getattr(value, "source", None)
            if source is not None:
                where = (source.display, getattr(value, "path", ()), getattr(value, "at_key", None))
                digest.update(f"{type(fact).__name__}{part.name}{where!r}".encode())
    return digest.digest()


@dataclass
class Result:
    project: Project
    options: Options
    lint: bool = False
    cwd: Path = field(default_factory=Path.cwd)
    use_cache: bool = False
    parsed: list[SourceFile] | None = None
    """The project's files already parsed (the language server keeps them in memory)."""
    long_lived: bool = False
    """Checked by a process that goes on after it (the language server), not one command."""
    built: Catalog | None = None
    """The catalog already built (the resident engine patches the previous one)."""
    reused: Mapping[str, list[Diagnostic]] = field(default_factory=dict)
    """Rules whose findings (raw: before suppressions and settling) are known already: the
    resident engine's, when an edit cannot change them; these rules are not run."""
    by_rule: dict[str, list[Diagnostic]] = field(default_factory=dict, init=False, repr=False)
    """What each rule found in this run, raw (for the resident engine to reuse)."""
    views: list[bytes] | None = field(default=None, init=False, repr=False)
    """Each file's graph view, when the cache is on (``graph_view``)."""
    graph: cache.GraphEntry | None = field(default=None, init=False, repr=False)
    """What the graph rules found in the last run with the cache on."""

    @property
    def config(self) -> Config:
        return self.project.config

    @property
    def files(self) -> list[str]:
        """credpath.yaml (when there is one) and every curriculum file, as displayed."""
        config = self.project.config_source
        return ([config.display] if config is not None else []) + [
            f.display for f in self.project.files
        ]

    @cached_property
    def catalog(self) -> Catalog:
        if self.built is not None:
            return self.built
        with collector_paused(freeze=not self.long_lived):
            sources = self.parsed if self.parsed is not None else self._parse()
            if not self.long_lived:
                self.project = self.project.release()
            catalog = build_catalog(
                self.config, self.project.config_source, sources, remember=self.long_lived
            )
        if not self.lint and not self.long_lived:
            for source in catalog.files:
                if not has_suppressions(source):
                    source.documents = []  # read after the build by lint rules only
        return catalog

    def _parse(self) -> list[SourceFile]:
        """The project's files parsed, each file's entries validated as soon as it is; with
        the cache on, only those parsed in no earlier run (an edit re-parses the files
        edited, not the catalog)."""
        if not self.use_cache:
            return self.project.parse(then=prevalidate)
        known = cache.load_parses(self.project)
        sources = self.project.parse(known, then=prevalidate)
        cache.store_parses(self.project, sources, known)
        self._see_graph(sources)
        return sources

    def _see_graph(self, sources: list[SourceFile]) -> None:
        """Each file's graph view (``graph_view``), kept from the last run for the same
        bytes (a file that may hold aliases is seen again: its parse depends on the files
        before it), and what the graph rules found then."""
        self.graph = cache.load_graph(self.project, self.cwd, self._mode())
        seen = self.graph.views if self.graph is not None else {}
        self.views = [
            seen.get(raw.digest) or graph_view(source)
            if raw.data is not None and not may_alias(raw.data)
            else graph_view(source)
            for raw, source in zip(self.project.files, sources, strict=True)
        ]

    def _mode(self) -> str:
        return f"check lint={self.lint} no_drafts={self.options.no_drafts}"

    @cached_property
    def context(self) -> Context:
        configured = self.config.rules
        settings = RuleSettings(lambda rule: effective(rule, configured), frozenset(RULES), FIXED)
        return Context(self.catalog, self.options, settings)

    @property
    def sources(self) -> list[SourceFile]:
        config = self.catalog.config_source
        return ([config] if config is not None else []) + self.catalog.files

    @cached_property
    def diagnostics(self) -> list[Diagnostic]:
        """Every finding, settled, each caused one folded into its root."""
        return fold(self.findings)

    @cached_property
    def findings(self) -> list[Diagnostic]:
        """Every finding, settled, none folded; from the findings cache when nothing
        changed."""
        key = None
        if self.use_cache:
            key = cache.key(self.project, self.cwd, self._mode())
        if key is not None:
            hit = cache.load(key)
            if hit is not None:
                return hit
        found = self._run_rules()
        if key is not None:
            cache.store(key, found)
        return found

    def _run_rules(self) -> list[Diagnostic]:
        context = self.context
        graph_key = None
        if self.views is not None:  # the cache is on: the graph rules' findings may stand
            facts = facts_seen(self.catalog)
            graph_key = cache.graph_key(self.project, self.cwd, self._mode(), self.views, facts)
            if self.graph is not None and self.graph.key == graph_key:
                self.reused = {**self.graph.findings, **self.reused}
        found: list[Diagnostic] = []
        with collector_paused(freeze=not self.long_lived):  # the rules' indexes live on too
            for rule in self._rules(after_suppressions=False):
                known = self.reused.get(rule.id)
                raw = list(rule.check(context)) if known is None else known
                self.by_rule[rule.id] = raw
                found.extend(raw)
            suppressions = Suppressions(self.sources)
            kept = suppressions.apply(found, context.rules.fixed)
            context.suppressions = suppressions
            for rule in self._rules(after_suppressions=True):
                kept += suppressions.apply(rule.check(context), context.rules.fixed)
        if graph_key is not None and self.views is not None:
            self._keep_graph(graph_key, self.views)
        return settle(kept, self.config)

    def _keep_graph(self, key: str, views: list[bytes]) -> None:
        """Store what the graph rules found, unless it is what was stored."""
        if self.graph is not None and self.graph.key == key:
            return
        found = {rule: raw for rule, raw in self.by_rule.items() if rule in GRAPH_RULES}
        seen = {raw.digest: view for raw, view in zip(self.project.files, views, strict=True)}
        cache.store_graph(self.project, self.cwd, self._mode(), cache.GraphEntry(key, seen, found))

    def _rules(self, *, after_suppressions: bool) -> list[Rule]:
        """The rules this run applies: on, and lint's own only for lint."""
        configured = self.config.rules
        return [
            rule
            for rule in ALL
            if rule.after_suppressions == after_suppressions
            and (self.lint or not rule.lint_only)
            and effective(rule.id, configured) is not None
        ]


@contextmanager
def collector_paused(*, freeze: bool) -> Iterator[None]:
    """Pause Python's cycle collector while a catalog is built or checked; ``freeze``
    what was built.

    A catalog is millions of objects that all live on (10,000 credentials: about two
    million), and each pass of the collector walks them all to free nothing: a third of
    a cold ``validate`` at 10,000 (3.3 s -> 2.2 s without). The rules' indexes live on
    as well, and grow with the catalog: passes over them made the rules of 50,000
    credentials take twice as long per credential as those of 10,000. Frozen, they are
    left out of the later passes too; only a process that ends after the command may
    freeze (the language server lives on and drops old catalogs, which must stay
    collectable).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


def check(
    target: Path, cwd: Path, options: Options, *, lint: bool = False, use_cache: bool = False
) -> Result:
    """The project holding ``target``, read; checked on demand. Raises ConfigError."""
    project = open_project(target, cwd, RULE_BOOK)
    return Result(project, options, lint, cwd, use_cache)


def settle(found: Iterable[Diagnostic], config: Config) -> list[Diagnostic]:
    """Apply the configured severities (dropping the rules that are off), sort, and drop
    exact repeats. Folding comes after, over what is reported."""
    configured = config.rules
    settled: set[Diagnostic] = set()
    out = []
    for diagnostic in found:
        severity = effective(diagnostic.rule, configured)
        if severity is None:
            continue
        diagnostic = replace(diagnostic, severity=severity)
        if diagnostic in settled:
            continue
        settled.add(diagnostic)
        out.append(diagnostic)
    return sorted(out)


@dataclass
class LintResult:
    """What ``credpath lint`` reports: the findings located in the paths it was given."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    """The files reported on, as displayed (every file of a project given as a folder)."""
    skipped: list[str] = field(default_factory=list)
    """Named files that are no part of their project (hidden, excluded, ignored)."""


@dataclass
class _Selection:
    """What to report of one project: all of it, or the named files and folders."""

    root: Path
    whole: bool = False
    files: set[str] = field(default_factory=set)
    folders: set[str] = field(default_factory=set)

    def __contains__(self, display: str) -> bool:
        return (
            self.whole
            or display in self.files
            or any(display.startswith(folder + "/") for folder in self.folders)
        )


def lint(
    paths: Sequence[Path], cwd: Path, options: Options, *, use_cache: bool, folded: bool = True
) -> LintResult:
    """Lint the projects holding ``paths``.

    A project folder stands for its whole project. For files, and for folders
    inside a project (below its credpath.yaml), the project is still loaded whole,
    so that references resolve against everything, but only the findings located
    in those files and folders are kept, and folded among themselves: a root in
    another file absorbs nothing. ``folded=False``: none is folded. Raises
    ConfigError like ``check``.
    """
    projects: dict[Path, _Selection] = {}
    for path in paths:
        root, _ = find_root(path)
        target = path.absolute()
        selection = projects.setdefault(root.resolve(), _Selection(root))
        if target == root:
            selection.whole = True
        elif target.is_dir():
            selection.folders.add(display_path(target, cwd))
        else:
            selection.files.add(display_path(target, cwd))
    out = LintResult()
    for selection in projects.values():
        result = check(selection.root, cwd, options, lint=True, use_cache=use_cache)
        loaded = result.files
        out.files += [display for display in loaded if display in selection]
        out.skipped += sorted(selection.files - set(loaded))
        kept = [d for d in result.findings if d.path in selection]
        out.diagnostics += fold(kept) if folded else kept
    out.diagnostics.sort()
    return out
