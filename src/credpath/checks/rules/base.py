"""What a rule is: an id, a default severity, its documentation, and a check."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from credpath.base.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from credpath.checks.context import Context

Check = Callable[["Context"], Iterable[Diagnostic]]


@dataclass(frozen=True)
class Rule:
    id: str
    doc: str
    """The module docstring: what it finds, a failing and a passing example."""
    check: Check
    severity: Severity = Severity.ERROR
    """The severity it reports at by default (for a rule that is off: once turned on)."""
    lint_only: bool = False
    """An authoring rule: only ``credpath lint`` runs it."""
    enabled: bool = True
    """False for a rule that is off unless credpath.yaml gives it a severity."""
    fixed: bool = False
    """Always an error, never suppressed: a file that cannot be read cannot be checked."""
    after_suppressions: bool = False
    """Runs once every other finding went through the suppressions (unused-suppression)."""
    on_demand: str = ""
    """The command that runs it, for a rule that validate and lint never run
    (ctdl-readiness: ``export ctdl --check``)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "doc", inspect.cleandoc(self.doc or ""))

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0]

    @property
    def default(self) -> str:
        """The default as the docs' tables write it: error, warning, info or off."""
        return self.severity.label if self.enabled else "off"
