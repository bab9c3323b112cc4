"""A suppression comment that suppressed nothing, or that names an unknown rule.

Each rule named in a ``# credpath: disable=...`` or ``disable-file=...`` comment
that silenced no finding is reported at its name, so that stale suppressions do
not pile up and hide the next real problem. Rules that are off are not reported;
nor is ``unused-suppression`` itself. ``yaml-syntax``, ``duplicate-key`` and
``schema`` cannot be suppressed: naming them is reported too. Computed by the
engine after every other rule.

Failing::

    credentials:
      - id: sql-foundations  # credpath: disable=missing-provider
        title: SQL Foundations
        type: course
        provider: Example University

Gives::

    curriculum.yaml:2:46: warning: 'missing-provider' is suppressed here but reports nothing in this
      entry: remove it from the comment [unused-suppression]

Passing::

    credentials:
      - id: sql-foundations  # credpath: disable=missing-provider
        title: SQL Foundations
        type: course
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.base.diagnostics import Diagnostic, Severity
from credpath.checks.context import Context
from credpath.checks.rules.base import Rule

ID = "unused-suppression"


def check(ctx: Context) -> Iterator[Diagnostic]:
    """Run after the other rules went through the suppressions (``ctx.suppressions``)."""
    from credpath.base.text import suggest

    rules = ctx.rules
    suppressions = ctx.suppressions
    if suppressions is None:
        return
    for path, found in suppressions.by_path.items():
        for suppression in found:
            for name in suppression.names:
                rule = name.rule
                if rule == ID or rule in suppression.used:
                    continue
                if rule not in rules.known:
                    hint = suggest(rule, sorted(rules.known))
                    message = f"unknown rule '{rule}' in a suppression{hint}"
                elif rule in rules.fixed:
                    message = (
                        f"'{rule}' cannot be suppressed: yaml-syntax, duplicate-key and "
                        "schema findings keep a file from being checked; fix them instead"
                    )
                elif rules.severity(rule) is None:
                    continue  # the rule is off: it could not have found anything
                else:
                    message = (
                        f"'{rule}' is suppressed here but reports nothing "
                        f"{suppression.scope}: remove it from the comment"
                    )
                yield Diagnostic(
                    path=path,
                    line=name.line,
                    column=name.column,
                    rule=ID,
                    message=message,
                    severity=Severity.WARNING,
                    end_line=name.line,
                    end_column=name.end_column,
                )


RULE = Rule(ID, __doc__ or "", check, Severity.WARNING, lint_only=True, after_suppressions=True)
