"""The rule registry: every check, in the order its documentation lists them.

Each rule is one module with ``ID``, a docstring that is its documentation (what it
finds, a failing and a passing example), a ``check(context)`` and ``RULE``, the
typed ``Rule`` that the registry lists. Adding a rule is adding its module here.
A rule ``on_demand`` is listed and documented like the others, but only its command
runs it (``ctdl-readiness``: ``export ctdl --check``), never the engine.
"""

from __future__ import annotations

from collections.abc import Mapping

from credpath.base.diagnostics import Severity
from credpath.checks.rules import (
    ctdl_readiness,
    cycle,
    dead_end,
    draft_in_pathway,
    duplicate_id,
    duplicate_key,
    duplicate_title,
    eu_microcredential,
    gap,
    insecure_url,
    level_jump,
    missing_description,
    missing_provider,
    missing_workload,
    orphan_competency,
    pathway_incomplete,
    pathway_order,
    placeholder_text,
    redundant_requirement,
    retired_reference,
    schema,
    unearnable,
    unknown_reference,
    unreachable_outcome,
    unused_suppression,
    workload_mismatch,
    wrong_reference,
    yaml_syntax,
)
from credpath.checks.rules.base import Rule
from credpath.compiler.loader import DuplicateKey, Unparsable

RULES: dict[str, Rule] = {
    module.RULE.id: module.RULE
    for module in (
        yaml_syntax,
        duplicate_key,
        schema,
        duplicate_id,
        unknown_reference,
        wrong_reference,
        gap,
        cycle,
        unearnable,
        unreachable_outcome,
        dead_end,
        orphan_competency,
        redundant_requirement,
        pathway_order,
        pathway_incomplete,
        missing_description,
        placeholder_text,
        missing_workload,
        missing_provider,
        insecure_url,
        retired_reference,
        draft_in_pathway,
        level_jump,
        workload_mismatch,
        duplicate_title,
        eu_microcredential,
        unused_suppression,
        ctdl_readiness,
    )
}
"""Every rule by id, in documentation order: what ``rules``, ``explain`` and the docs list."""
ALL: tuple[Rule, ...] = tuple(rule for rule in RULES.values() if not rule.on_demand)
"""The rules the engine runs (``validate``; ``lint`` adds its own): all but those on demand."""
FIXED = frozenset(rule.id for rule in ALL if rule.fixed)
"""Always errors, never suppressed: a file that cannot be read cannot be checked."""


class _RuleBook:
    """The rules as credpath.yaml is checked against them (``compiler.config.RuleBook``)."""

    known = frozenset(RULES)
    fixed = FIXED

    def unreadable(self, problem: Unparsable | DuplicateKey) -> str:
        if isinstance(problem, Unparsable):
            return yaml_syntax.diagnostic(problem).format()
        return duplicate_key.diagnostic(problem).format()


RULE_BOOK = _RuleBook()


def effective(rule_id: str, configured: Mapping[str, str]) -> Severity | None:
    """The severity ``rule_id`` reports at in a project, or None when it is off."""
    if rule_id in FIXED:
        return Severity.ERROR
    level = configured.get(rule_id)
    rule = RULES[rule_id]
    if level is None:
        return rule.severity if rule.enabled else None
    return None if level == "off" else Severity.parse(level)


__all__ = ["ALL", "FIXED", "RULES", "RULE_BOOK", "Rule", "effective"]
