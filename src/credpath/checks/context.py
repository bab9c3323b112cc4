"""What a rule's check() sees: the resolved catalog, the options, the derived facts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from credpath.base.diagnostics import Diagnostic, Location, Severity, Subject, SubjectKind
from credpath.compiler.facts import Origin, Place
from credpath.compiler.loader import Path_, SourceFile
from credpath.compiler.resolve import Catalog

if TYPE_CHECKING:
    from credpath.checks.suppress import Suppressions
    from credpath.compiler.semantics import Semantics


@dataclass(frozen=True, kw_only=True)
class Options:
    no_drafts: bool = False
    """Treat draft credentials like retired ones: check what is published today."""


@dataclass(frozen=True)
class RuleSettings:
    """What the rules may ask about the rules, settled by the engine for this project."""

    severity: Callable[[str], Severity | None] = lambda _rule: Severity.ERROR
    """The severity a rule reports at here, or None when it is off."""
    known: frozenset[str] = frozenset()
    """Every rule id."""
    fixed: frozenset[str] = frozenset()
    """The rules that are always errors and cannot be suppressed."""


class Context:
    def __init__(
        self, catalog: Catalog, options: Options, rules: RuleSettings | None = None
    ) -> None:
        self.catalog = catalog
        self.options = options
        self.rules = rules or RuleSettings()
        self.memo: dict[str, Any] = {}
        """What a rule remembers between findings (did-you-mean suggestions, ...)."""
        self.suppressions: Suppressions | None = None
        """Set once the findings went through the suppressions (for unused-suppression)."""

    @cached_property
    def semantics(self) -> Semantics:
        from credpath.compiler.semantics import Semantics

        return Semantics(self.catalog, no_drafts=self.options.no_drafts)

    @cached_property
    def graph(self) -> Any:
        """The networkx graph of the project (graph.build), built once and shared."""
        from credpath.compiler.graph import build

        return build(self.semantics)

    @cached_property
    def prerequisites(self) -> Any:
        """The credential prerequisite DiGraph (graph.prerequisites) of the whole project."""
        from credpath.compiler.graph import prerequisites

        return prerequisites(self.semantics)


def finding(
    source: SourceFile,
    path: Path_,
    rule: str,
    message: str,
    *,
    key: bool = False,
    related: tuple[Location, ...] = (),
    subject: Subject | None = None,
    cause: tuple[Subject, ...] = (),
    blocked_by: tuple[Subject, ...] = (),
) -> Diagnostic:
    """A finding at the value (or key) at ``path`` of ``source``; severity is settled later.

    ``subject`` names what it is about; ``cause``, the root whose fix alone makes it go
    away (or the roots whose fixes together do); ``blocked_by``, the roots that each
    keep it unreachable (see ``diagnostics.fold``).
    """
    line, column, end_line, end_column = source.locate(path, key=key)
    return Diagnostic(
        path=source.display,
        line=line,
        column=column,
        rule=rule,
        message=message,
        severity=Severity.ERROR,
        end_line=end_line,
        end_column=end_column,
        related=related,
        subject=subject,
        cause=cause,
        blocked_by=blocked_by,
    )


def at_id(
    origin: Origin,
    rule: str,
    message: str,
    *,
    subject: Subject | None = None,
    cause: tuple[Subject, ...] = (),
    blocked_by: tuple[Subject, ...] = (),
) -> Diagnostic:
    """A finding about a whole entry points at its id."""
    return finding(
        origin.source,
        (*origin.path, "id"),
        rule,
        message,
        subject=subject,
        cause=cause,
        blocked_by=blocked_by,
    )


def at_place(
    place: Place, rule: str, message: str, *, subject: Subject | None = None
) -> Diagnostic:
    """A finding at a place the loader or the resolver recorded."""
    return finding(place.source, place.path, rule, message, key=place.at_key, subject=subject)


def part_subject(catalog: Catalog, source: SourceFile, path: Path_, owner: str | None) -> Subject:
    """The subject of a field, item or reference: the part of the entry ``owner`` (when
    ``path`` is inside it), else the place in the file (credpath.yaml, an entry left out)."""
    entry = catalog.entry(owner) if owner else None
    if entry is not None and owner is not None:
        base = entry.origin.path
        if entry.origin.source is source and path[: len(base)] == base:
            return Subject(SubjectKind.PART, owner, path[len(base) :])
    return Subject(SubjectKind.PLACE, source.display, path)
