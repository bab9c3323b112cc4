"""``plan``, ``next`` and ``compile``: the pathways of a project, for a learner or a program."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from credpath.base.text import json_text
from credpath.checks.context import Options
from credpath.commands import Document, pick_unknown

if TYPE_CHECKING:
    from credpath.checks.engine import Result
    from credpath.compiler.semantics import State


@dataclass(frozen=True, kw_only=True)
class PlanOptions:
    path: Path = Path(".")
    have: str = ""
    format: str = "text"
    no_drafts: bool = False
    outcome: str = ""


def _learner(result: Result, have: str) -> State:
    from credpath.compiler.pathways import parse_have

    holding = parse_have(result.catalog, have)
    return result.context.semantics.learner(holding.credentials, holding.levels)


def _state_json(state: State) -> dict[str, Any]:
    """The learner's state exactly as understood: what --have named, what it implies, assumed."""
    return {"credentials": sorted(state.held), "competencies": dict(sorted(state.levels.items()))}


def _credential_line(result: Result, cid: str) -> str:
    from credpath.base.text import escape
    from credpath.compiler.pathways import hours

    model = result.catalog.credentials[cid].model
    h = hours(result.catalog.credentials[cid])
    workload = f", {h:g} h" if h else ""
    return f"{cid}  {escape(model.title)} ({model.type}{workload})"


def plan(options: PlanOptions) -> Document:
    """The stages still to go from what a learner holds to an outcome.

    Mirrored in credpath.js by ``planAnswer``: change both together.
    """
    from credpath.base.text import escape
    from credpath.checks.engine import check
    from credpath.compiler.pathways import derive, hours

    result = check(options.path, Path.cwd(), Options(no_drafts=options.no_drafts))
    catalog = result.catalog
    outcome = options.outcome
    if outcome not in catalog.outcomes:
        pick_unknown("outcome", outcome, catalog.outcomes)
    state = _learner(result, options.have)
    sem = result.context.semantics
    derived = derive(sem, outcome, state)
    title = catalog.outcomes[outcome].model.title
    reason = None if derived is not None else _why_not(result, outcome, state)
    code = 0 if derived is not None else 1
    if options.format == "json":
        document: dict[str, Any] = {
            "outcome": outcome,
            "title": title,
            "have": _state_json(state),
            "reachable": derived is not None,
            "met": derived is not None and not derived.stages,
            "reason": reason,
            "stages": [],
            "total_hours": None,
            "credentials": None,
            "optimal": None,
        }
        if derived is not None:
            document["stages"] = [
                {
                    "stage": index,
                    "hours": sum(hours(catalog.credentials[c]) for c in stage),
                    "credentials": [
                        {
                            "id": c,
                            "title": catalog.credentials[c].model.title,
                            "type": catalog.credentials[c].model.type,
                            "hours": hours(catalog.credentials[c]),
                        }
                        for c in stage
                    ],
                }
                for index, stage in enumerate(derived.stages, 1)
            ]
            document["total_hours"] = derived.hours
            document["credentials"] = len(derived.credentials)
            document["optimal"] = derived.optimal
        return Document(json_text(document), code=code)
    name = f"{escape(title)} ({outcome})"
    if derived is None:
        return Document(f"{name} cannot be reached from here: it {escape(reason or '')}\n", code=1)
    if not derived.stages:
        return Document(f"{name} is already met: nothing left to earn.\n")
    lines = [f"Plan to {name}:"]
    for index, stage in enumerate(derived.stages, 1):
        stage_hours = sum(hours(catalog.credentials[c]) for c in stage)
        lines.append(f"Stage {index} ({stage_hours:g} h)")
        lines.extend(f"  - {_credential_line(result, c)}" for c in stage)
    count = len(derived.credentials)
    note = "" if derived.optimal else " (heuristic: many options, not proven optimal)"
    lines.append(
        f"Total: {count} credential{'s' if count != 1 else ''}, {derived.hours:g} h in "
        f"{len(derived.stages)} stage{'s' if len(derived.stages) != 1 else ''}{note}"
    )
    return Document("\n".join(lines) + "\n")


def _why_not(result: Result, outcome: str, state: State) -> str:
    """The root cause, from the learner's state rather than from the empty one.

    Mirrored in credpath.js by ``Semantics.whyNot``: change both together.
    """
    from credpath.compiler.requirements import Ref
    from credpath.compiler.semantics import Explainer, unmet

    sem = result.context.semantics
    reach = state.copy()
    sem.closure(reach)
    leaf = next(unmet(sem.catalog.outcomes[outcome].requires, reach))
    if isinstance(leaf, Ref) and leaf.kind == "credential":
        return f"requires '{leaf.text}', which {Explainer(sem).credential(leaf.target).text}"
    if isinstance(leaf, Ref):
        if sem.is_gap(leaf):
            return f"requires '{leaf.text}', which no credential grants"
        return f"requires '{leaf.text}', and no credential that grants it can be earned"
    return "has an invalid requirement (run credpath validate)"


def next_doors(options: PlanOptions) -> Document:
    """The credentials a learner can start now that add something, and where each leads.

    Mirrored in credpath.js by ``nextAnswer``: change both together.
    """
    from credpath.checks.engine import check

    result = check(options.path, Path.cwd(), Options(no_drafts=options.no_drafts))
    state = _learner(result, options.have)
    sem = result.context.semantics
    doors = sem.next_doors(state)
    outcomes_of = sem.outcomes_of
    if options.format == "json":
        document = {
            "have": _state_json(state),
            "next": [
                {
                    "id": cid,
                    "title": result.catalog.credentials[cid].model.title,
                    "outcomes": outcomes_of.get(cid, []),
                }
                for cid in doors
            ],
        }
        return Document(json_text(document))
    if not doors:
        return Document("Nothing new is earnable from here.\n")
    lines = [f"Earnable now ({len(doors)}):"]
    for cid in doors:
        toward = ", ".join(outcomes_of.get(cid, [])) or "no outcome (a dead end)"
        lines.append(f"  - {_credential_line(result, cid)} -> {toward}")
    return Document("\n".join(lines) + "\n")


@dataclass(frozen=True, kw_only=True)
class CompileOptions:
    path: Path = Path(".")
    output: Path | None = None
    no_drafts: bool = False
    force: bool = False


def compile_manifest(options: CompileOptions) -> Document:
    """The resolved project as a JSON manifest; exit 1 when the project has an error."""
    from credpath.checks.engine import check
    from credpath.publish.manifest import build, dumps

    result = check(options.path, Path.cwd(), Options(no_drafts=options.no_drafts), use_cache=True)
    text = dumps(build(result.context, result.diagnostics))
    failed = any(d.severity.label == "error" for d in result.diagnostics)
    return Document(text, options.output, options.force, code=1 if failed else 0)
