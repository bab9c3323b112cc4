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

Passing::

    credentials:
      - id: sql-foundations  # credpath: disable=missing-provider
        title: SQL Foundations
        type: course
"""

ID = "unused-suppression"
SEVERITY = "warning"
LINT_ONLY = True
