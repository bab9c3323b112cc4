"""A competency that nothing grants and nothing requires.

Assumed competencies are never orphans; a retired credential's grants count.

Failing::

    competencies:
      - {id: cobol, title: COBOL}

Gives::

    curriculum.yaml:2:10: warning: competency 'cobol' is neither granted nor required by anything:
      grant it in a credential, require it, or remove it [orphan-competency]

Passing::

    competencies:
      - {id: cobol, title: COBOL}
    credentials:
      - {id: cobol-101, title: COBOL 101, type: course, grants: [cobol@1]}
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.base.diagnostics import Diagnostic, Severity
from credpath.checks.context import Context, at_id
from credpath.checks.rules.base import Rule
from credpath.compiler.requirements import refs

ID = "orphan-competency"


def check(ctx: Context) -> Iterator[Diagnostic]:
    catalog = ctx.catalog
    used: set[str] = set(catalog.assumed)
    for credential in catalog.credentials.values():
        used.update(g.target for g in credential.grants)
        used.update(r.target for r in refs(credential.requires))
    for outcome in catalog.outcomes.values():
        used.update(r.target for r in refs(outcome.requires))
    for pathway in catalog.pathways.values():
        for stage in pathway.stages:
            for item in stage:
                used.update(r.target for r in refs(item))
    for competency in catalog.competencies.values():
        if competency.id not in used:
            yield at_id(
                competency.origin,
                ID,
                f"competency '{competency.id}' is neither granted nor required by anything: "
                "grant it in a credential, require it, or remove it",
            )


RULE = Rule(ID, __doc__ or "", check, Severity.WARNING)
