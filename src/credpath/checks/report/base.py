"""What every reporter is given: the findings of one run, and what it checked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from credpath.base.diagnostics import Diagnostic, Severity


@dataclass(frozen=True)
class Report:
    diagnostics: Sequence[Diagnostic]
    file_count: int
    files: Sequence[str] = ()
    """The files checked, as displayed: JUnit lists the clean ones as passing tests."""
    fail_level: Severity = Severity.ERROR
    """Findings from this severity up fail the run (JUnit failures)."""
