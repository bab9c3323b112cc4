"""The rule registry: every check has a stable id, a default severity and its docs.

Each rule lives in its own module with ``ID``, ``SEVERITY``, a docstring that is
its documentation (what it finds, a failing and a passing example), and, for the
checks that run on a resolved project, ``check(context)``. Rules found while
loading and resolving (yaml-syntax ... wrong-reference) have no ``check``: the
loader and resolver report them.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from credpath.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from credpath.context import Context

MODULES = (
    "yaml_syntax",
    "duplicate_key",
    "schema",
    "duplicate_id",
    "unknown_reference",
    "wrong_reference",
    "gap",
    "cycle",
    "unearnable",
    "unreachable_outcome",
    "dead_end",
    "orphan_competency",
    "redundant_requirement",
    "pathway_order",
    "pathway_incomplete",
)
FIXED = frozenset({"yaml-syntax", "duplicate-key", "schema"})
"""Always errors: a file that cannot be read cannot be checked."""

Check = Callable[["Context"], Iterable[Diagnostic]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    doc: str
    check: Check | None
    lint_only: bool

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0]


def _load() -> dict[str, Rule]:
    registry: dict[str, Rule] = {}
    for name in MODULES:
        module = importlib.import_module(f"credpath.rules.{name}")
        rule = Rule(
            module.ID,
            Severity.parse(module.SEVERITY),
            inspect.cleandoc(module.__doc__ or ""),
            getattr(module, "check", None),
            getattr(module, "LINT_ONLY", False),
        )
        registry[rule.id] = rule
    return registry


RULES = _load()
