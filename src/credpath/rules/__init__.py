"""The rule registry: every check has a stable id, a default severity and its docs.

Each rule lives in its own module with ``ID``, ``SEVERITY``, a docstring that is
its documentation (what it finds, a failing and a passing example), and, for the
checks that run on a resolved project, ``check(context)``. Rules found while
loading and resolving (yaml-syntax ... wrong-reference) have no ``check``: the
loader and resolver report them, and the engine reports ``unused-suppression``.
``LINT_ONLY = True`` marks the authoring rules that only ``credpath lint`` runs;
``SEVERITY = "off"`` marks a rule that runs only when credpath.yaml turns it on.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable, Mapping
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
    "missing_description",
    "placeholder_text",
    "missing_workload",
    "missing_provider",
    "insecure_url",
    "retired_reference",
    "draft_in_pathway",
    "level_jump",
    "workload_mismatch",
    "duplicate_title",
    "eu_microcredential",
    "unused_suppression",
)
FIXED = frozenset({"yaml-syntax", "duplicate-key", "schema"})
"""Always errors: a file that cannot be read cannot be checked."""

Check = Callable[["Context"], Iterable[Diagnostic]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    """The severity it reports at by default (warning for a rule that is off by default)."""
    doc: str
    check: Check | None
    lint_only: bool
    enabled: bool = True
    """False for a rule that is off unless credpath.yaml gives it a severity."""

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0]

    @property
    def default(self) -> str:
        """The default as FORMAT.md's tables write it: error, warning, info or off."""
        return self.severity.label if self.enabled else "off"


def _load() -> dict[str, Rule]:
    registry: dict[str, Rule] = {}
    for name in MODULES:
        module = importlib.import_module(f"credpath.rules.{name}")
        enabled = module.SEVERITY != "off"
        rule = Rule(
            module.ID,
            Severity.parse(module.SEVERITY) if enabled else Severity.WARNING,
            inspect.cleandoc(module.__doc__ or ""),
            getattr(module, "check", None),
            getattr(module, "LINT_ONLY", False),
            enabled,
        )
        registry[rule.id] = rule
    return registry


RULES = _load()


def effective(rule_id: str, configured: Mapping[str, str]) -> Severity | None:
    """The severity ``rule_id`` reports at in a project, or None when it is off."""
    if rule_id in FIXED:
        return Severity.ERROR
    level = configured.get(rule_id)
    rule = RULES[rule_id]
    if level is None:
        return rule.severity if rule.enabled else None
    return None if level == "off" else Severity.parse(level)
