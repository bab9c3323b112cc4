"""The compiled catalog as the site's script reads it: what ``next`` and ``plan`` need.

The script (``assets/credpath.js``) answers in the browser what ``credpath next`` and
``credpath plan`` answer in a terminal, so it gets exactly the facts those commands
compute from: every credential in catalog order (the fixpoint's order, which the
pathway estimates depend on), its usable status, workload hours, requirements and
grants; the outcomes, each with the credentials that lead to it (a bit set over the
catalog order, in base64); the assumed levels; the requirements that name credentials
(pathway stages included); what only a whole-catalog analysis can tell (why an
unreachable credential can never be earned, which levels are gaps); and the
competencies' titles for the search box. For the long lists the browser completes
(``assets/learner.js``): each credential's stage on the catalog page (``rounds``, 0 when
no learner can earn it) and status when not active, the competencies' level names, the
competencies per page of their list; the prefix of the achievement ids ``credpath
export ob3`` writes, to match the Open Badges a learner loads; and the limits the plan's
search works within (``pathways.EXACT_LIMIT``, ``pathways.SEARCH_BUDGET``), so the script
never carries a copy that could drift from them. Requirements are tagged arrays::

    ["credential", id, text]            ["competency", id, level, text]
    ["all", [...]]  ["any", [...]]  ["choose", n, [...]]  ["invalid"]

where a reference's text is left out when it is its default (``id``, ``id@level``), and
a credential's ``usable`` when it is true: the home page reads the whole file before it
is usable, and at 10,000 credentials these were a sixth of it.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from typing import Any

from credpath.compiler.pathways import EXACT_LIMIT, SEARCH_BUDGET, hours
from credpath.compiler.requirements import All, AnyOf, Choose, Ref, Requirement, refs
from credpath.compiler.semantics import Explainer, Semantics

FORMAT = 2
"""Bumped when the shape of the data changes, so a stale script refuses it."""

PER_PAGE = 100
"""Competencies per page of the competencies list (``competencies.html``, then
``competencies-2.html``, ...): the pages are written by the site, and the browser finds a
competency's page from this number in the data."""


def requirement_data(requirement: Requirement) -> list[Any]:
    if isinstance(requirement, Ref):
        if requirement.kind == "credential":
            said = [] if requirement.text == requirement.target else [requirement.text]
            return ["credential", requirement.target, *said]
        default = f"{requirement.target}@{requirement.number}"
        said = [] if requirement.text == default else [requirement.text]
        return ["competency", requirement.target, requirement.number, *said]
    if isinstance(requirement, All):
        return ["all", [requirement_data(item) for item in requirement.items]]
    if isinstance(requirement, AnyOf):
        return ["any", [requirement_data(item) for item in requirement.items]]
    if isinstance(requirement, Choose):
        return ["choose", requirement.n, [requirement_data(item) for item in requirement.items]]
    return ["invalid"]


def catalog_data(sem: Semantics) -> dict[str, Any]:
    """Everything the script needs, in a deterministic order."""
    from credpath.publish.ob3 import achievement_id

    catalog = sem.catalog
    outcomes_of = sem.outcomes_of
    credentials = [
        {
            "id": c.id,
            "title": c.model.title,
            "type": c.model.type,
            "hours": hours(c),
            **({} if sem.usable(c) else {"usable": False}),
            "requires": requirement_data(c.requires),
            "grants": [[g.target, g.number] for g in c.grants],
            **({"status": c.status} if c.status != "active" else {}),
        }
        for c in catalog.credentials.values()
    ]
    rounds = sem.rounds
    leading: dict[str, list[int]] = {o: [] for o in catalog.outcomes}
    for i, credential_id in enumerate(catalog.credentials):
        for outcome_id in outcomes_of.get(credential_id, ()):
            leading[outcome_id].append(i)
    outcomes = [
        {
            "id": o.id,
            "title": o.model.title,
            "requires": requirement_data(o.requires),
            "leads": _bitmap(leading[o.id]),
        }
        for o in catalog.outcomes.values()
    ]
    naming = [
        requirement_data(item)
        for pathway in catalog.pathways.values()
        for stage in pathway.stages
        for item in stage
    ]
    explain = Explainer(sem)
    unearnable: dict[str, str] = {}
    gaps: list[str] = []
    for outcome in catalog.outcomes.values():
        for ref in refs(outcome.requires):
            if ref.kind == "credential":
                known = ref.target in catalog.credentials
                if known and ref.target not in sem.reachable and ref.target not in unearnable:
                    unearnable[ref.target] = explain.credential(ref.target).text
            elif sem.is_gap(ref):
                gaps.append(f"{ref.target}@{ref.number}")
    return {
        "format": FORMAT,
        "limits": {"exact": EXACT_LIMIT, "searchBudget": SEARCH_BUDGET},
        "assumed": dict(sorted(catalog.assumed.items())),
        "credentials": credentials,
        "outcomes": outcomes,
        "stageItems": naming,
        "unearnable": dict(sorted(unearnable.items())),
        "gaps": sorted(set(gaps)),
        "competencies": [
            [c.id, c.model.title, list(c.levels)] for _, c in sorted(catalog.competencies.items())
        ],
        "competencyPages": PER_PAGE,
        "rounds": [rounds.get(c, 0) for c in catalog.credentials],
        "achievementPrefix": achievement_id(catalog, ""),
    }


def _bitmap(members: Iterable[int]) -> str:
    """A set of credential indices (catalog order) as base64: bit i&7 of byte i>>3."""
    found = list(members)
    bits = bytearray((max(found) >> 3) + 1 if found else 0)
    for i in found:
        bits[i >> 3] |= 1 << (i & 7)
    return base64.b64encode(bytes(bits)).decode("ascii")


def to_json(data: dict[str, Any]) -> str:
    """ASCII JSON with ``<``, ``>`` and ``&`` escaped too: safe in a script file, and even
    inside an HTML ``<script>`` element, whatever the titles hold."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
