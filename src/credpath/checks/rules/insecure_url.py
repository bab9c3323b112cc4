"""A credential ``url`` that is ``http://``, not ``https://``.

Learners follow these links to enrol; plain http can be tampered with on the way.
Framework URIs in ``aligns`` (ESCO's are http) are identifiers, not links, and are
exempt. Retired credentials are skipped.

Failing::

    credentials:
      - id: sql-foundations
        title: SQL Foundations
        type: course
        url: http://example.edu/sql-foundations

Gives::

    curriculum.yaml:5:10: warning: the url of 'sql-foundations' uses http://: link to
      https://example.edu/sql-foundations if the site serves it [insecure-url]

Passing::

    credentials:
      - id: sql-foundations
        title: SQL Foundations
        type: course
        url: https://example.edu/sql-foundations
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.base.diagnostics import Diagnostic, Severity
from credpath.checks.context import Context, finding
from credpath.checks.rules._authoring import content_credentials
from credpath.checks.rules.base import Rule

ID = "insecure-url"


def check(ctx: Context) -> Iterator[Diagnostic]:
    for credential in content_credentials(ctx):
        url = credential.model.url
        if url is not None and url[:7].lower() == "http://":
            yield finding(
                credential.origin.source,
                (*credential.origin.path, "url"),
                ID,
                f"the url of '{credential.id}' uses http://: link to https://{url[7:]} "
                "if the site serves it",
            )


RULE = Rule(ID, __doc__ or "", check, Severity.WARNING, lint_only=True)
