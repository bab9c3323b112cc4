"""`credpath compile`: the resolved project as one JSON manifest (schemas/manifest.schema.json)."""

from __future__ import annotations

import json
from typing import Any

from credpath import __version__
from credpath.base.diagnostics import Diagnostic
from credpath.checks.context import Context
from credpath.compiler.facts import Origin
from credpath.compiler.pathways import derive_all, hours
from credpath.compiler.requirements import All, AnyOf, Choose, Ref, Requirement

MANIFEST_VERSION = 1


def requirement_json(requirement: Requirement) -> Any:
    if isinstance(requirement, Ref):
        found: dict[str, Any] = {"ref": requirement.target, "kind": requirement.kind}
        if requirement.kind == "competency":
            found["level"] = requirement.number
        return found
    if isinstance(requirement, All):
        return {"all": [requirement_json(i) for i in requirement.items]}
    if isinstance(requirement, AnyOf):
        return {"any": [requirement_json(i) for i in requirement.items]}
    if isinstance(requirement, Choose):
        return {"choose": requirement.n, "from": [requirement_json(i) for i in requirement.items]}
    return {"invalid": True}


def _source(origin: Origin) -> dict[str, Any]:
    where = origin.locate("id")
    return {"path": where.path, "line": where.line, "column": where.column}


def build(context: Context, diagnostics: list[Diagnostic]) -> dict[str, Any]:
    from credpath.checks.report import as_dict

    catalog, semantics = context.catalog, context.semantics

    derived = derive_all(semantics)
    outcomes_of = semantics.outcomes_of
    credentials: dict[str, Any] = {}
    for cid in sorted(catalog.credentials):
        c = catalog.credentials[cid]
        m = c.model
        credentials[cid] = {
            "title": m.title,
            "type": m.type,
            "status": m.status,
            "provider": m.provider,
            "description": m.description,
            "url": m.url,
            "workload": m.workload.model_dump(exclude_none=True) if m.workload else None,
            "hours": hours(c),
            "eqf": m.eqf,
            "requires": requirement_json(c.requires),
            "grants": [{"competency": g.target, "level": g.number} for g in c.grants],
            "reachable": cid in semantics.reachable,
            "outcomes": outcomes_of.get(cid, []),
            "source": _source(c.origin),
        }
    outcomes: dict[str, Any] = {}
    for oid in sorted(catalog.outcomes):
        o = catalog.outcomes[oid]
        pathway = derived[oid]
        outcomes[oid] = {
            "title": o.model.title,
            "description": o.model.description,
            "occupation": o.model.occupation.model_dump(exclude_none=True)
            if o.model.occupation
            else None,
            "requires": requirement_json(o.requires),
            "reachable": pathway is not None,
            "pathway": None
            if pathway is None
            else {
                "stages": [list(s) for s in pathway.stages],
                "hours": pathway.hours,
                "credentials": len(pathway.credentials),
                "optimal": pathway.optimal,
            },
            "source": _source(o.origin),
        }
    graph = context.graph
    edges: dict[str, list[list[Any]]] = {"requires": [], "grants": []}
    for source, target, data in graph.edges(data=True):
        edges[data["kind"]].append([source, target, data["level"]])
    return {
        "manifest_version": MANIFEST_VERSION,
        "generator": f"credpath {__version__}",
        "project": {
            "name": catalog.name,
            "base_uri": catalog.config.base_uri,
            "levels": list(catalog.config.levels or []),
            "assumed": dict(sorted(catalog.assumed.items())),
            "files": [f.display for f in catalog.files],
        },
        "competencies": {
            cid: {
                "title": c.model.title,
                "kind": c.model.kind,
                "levels": list(c.levels),
                "source": _source(c.origin),
            }
            for cid, c in sorted(catalog.competencies.items())
        },
        "credentials": credentials,
        "outcomes": outcomes,
        "pathways": {
            pid: {
                "title": p.model.title,
                "outcome": p.outcome,
                "stages": [[requirement_json(i) for i in stage] for stage in p.stages],
                "source": _source(p.origin),
            }
            for pid, p in sorted(catalog.pathways.items())
        },
        "graph": {
            "requires": sorted(edges["requires"]),
            "grants": sorted(edges["grants"]),
            "prerequisites": sorted([a, b] for a, b in context.prerequisites.edges),
        },
        "reachable": sorted(semantics.reachable),
        "findings": [as_dict(d) for d in diagnostics],
    }


def dumps(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
