"""Placeholder text left in a title, description or other free text.

Matches TODO, TBD, FIXME and XXX as whole words, and "lorem ipsum" and
"temporary description", in any case. Only free text is searched: titles,
descriptions, and a credential's provider, assessment and quality_assurance;
never ids or URLs. Retired credentials are skipped. ``credpath new`` writes
such placeholders on purpose, so that lint reminds you to fill them in.

Failing::

    credentials:
      - id: sql-foundations
        title: SQL Foundations
        type: course
        description: TODO describe the course

Gives::

    curriculum.yaml:5:18: warning: placeholder text 'TODO' in the description of credential
      'sql-foundations': replace it with the real text [placeholder-text]

Passing::

    credentials:
      - id: sql-foundations
        title: SQL Foundations
        type: course
        description: Relational data and single-table queries.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from credpath.base.diagnostics import Diagnostic, Severity
from credpath.checks.context import Context, finding
from credpath.checks.rules._authoring import entries, kind_of
from credpath.checks.rules.base import Rule
from credpath.compiler.resolve import CredentialDef

ID = "placeholder-text"

PLACEHOLDER = re.compile(
    r"\b(?:TODO|TBD|FIXME|XXX)\b|\blorem\s+ipsum\b|\btemporary\s+description\b", re.IGNORECASE
)
ENTRY_TEXT = ("title", "description")
CREDENTIAL_TEXT = ("provider", "assessment", "quality_assurance")


def placeholders(text: str) -> list[str]:
    """The distinct placeholders in ``text`` (ignoring case), as first written, in order."""
    found: dict[str, str] = {}
    for match in PLACEHOLDER.finditer(text):
        word = " ".join(match.group().split())
        found.setdefault(word.casefold(), word)
    return list(found.values())


def check(ctx: Context) -> Iterator[Diagnostic]:
    for entry in entries(ctx):
        fields: tuple[str, ...] = ENTRY_TEXT
        if isinstance(entry, CredentialDef):
            if entry.status == "retired":
                continue
            fields = ENTRY_TEXT + CREDENTIAL_TEXT
        for name in fields:
            value = getattr(entry.model, name, None)
            if not isinstance(value, str):
                continue
            found = placeholders(value)
            if found:
                shown = ", ".join(f"'{word}'" for word in found)
                yield finding(
                    entry.origin.source,
                    (*entry.origin.path, name),
                    ID,
                    f"placeholder text {shown} in the {name.replace('_', ' ')} of "
                    f"{kind_of(entry)} '{entry.id}': replace it with the real text",
                )


RULE = Rule(ID, __doc__ or "", check, Severity.WARNING, lint_only=True)
