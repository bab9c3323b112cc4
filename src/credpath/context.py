"""What a rule's check() sees: the resolved catalog, the options, the derived facts."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from credpath.diagnostics import Diagnostic, Location, Severity
from credpath.loader import Path_, SourceFile
from credpath.resolve import Catalog, Origin

if TYPE_CHECKING:
    from credpath.semantics import Semantics


@dataclass(frozen=True)
class Options:
    no_drafts: bool = False
    """Treat draft credentials like retired ones: check what is published today."""


class Context:
    def __init__(self, catalog: Catalog, options: Options) -> None:
        self.catalog = catalog
        self.options = options

    @cached_property
    def semantics(self) -> Semantics:
        from credpath.semantics import Semantics

        return Semantics(self.catalog, no_drafts=self.options.no_drafts)

    @cached_property
    def graph(self) -> Any:
        """The networkx graph of the project (graph.build), built once and shared."""
        from credpath.graph import build

        return build(self.semantics)

    @cached_property
    def prerequisites(self) -> Any:
        """The credential prerequisite DiGraph (graph.prerequisites) of the whole project."""
        from credpath.graph import prerequisites

        return prerequisites(self.semantics)


def finding(
    source: SourceFile,
    path: Path_,
    rule: str,
    message: str,
    *,
    key: bool = False,
    related: tuple[Location, ...] = (),
) -> Diagnostic:
    """A finding at the value (or key) at ``path`` of ``source``; severity is settled later."""
    line, column, end_line, end_column = source.locate(path, key=key)
    return Diagnostic(
        source.display, line, column, rule, message, Severity.ERROR, end_line, end_column, related
    )


def at_id(origin: Origin, rule: str, message: str) -> Diagnostic:
    """A finding about a whole entry points at its id (FORMAT.md section 7)."""
    return finding(origin.source, (*origin.path, "id"), rule, message)
