"""CLI commands about pathways: compile, plan, next."""

from __future__ import annotations

import enum
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from credpath.commands import fail, load

if TYPE_CHECKING:
    from credpath.engine import Result
    from credpath.semantics import State


class Format(enum.StrEnum):
    text = "text"
    json = "json"


PathArg = Annotated[Path, typer.Argument(help="The project folder, or a file inside it.")]
HaveOpt = Annotated[
    str,
    typer.Option(
        "--have",
        help="What the learner holds: credential ids and competency references, comma-separated "
        "(sql-foundations,python@2).",
    ),
]


def learner_state(result: Result, have: str) -> State:
    """The state of a learner holding ``have`` (plus the assumed competencies)."""
    from credpath.requirements import parse_reference
    from credpath.resolve import suggest

    sem = result.context.semantics
    catalog = result.catalog
    state = sem.start()
    problems: list[str] = []
    for text in [t.strip() for t in have.split(",") if t.strip()]:
        ref = parse_reference(text, (), lambda _p, message, _k: problems.append(message))
        if ref is None:
            continue
        if ref.target in catalog.credentials and ref.level is None:
            state.earn(catalog.credentials[ref.target])
        elif ref.target in catalog.competencies:
            levels = catalog.competencies[ref.target].levels
            level = ref.level if ref.level is not None else 1
            if isinstance(level, str):
                names = [n.casefold() for n in levels]
                if level.casefold() not in names:
                    problems.append(f"'{text}': '{ref.target}' has no level named '{level}'")
                    continue
                level = names.index(level.casefold()) + 1
            state.levels[ref.target] = max(state.levels.get(ref.target, 0), level)
        else:
            known = [*catalog.credentials, *catalog.competencies]
            problems.append(
                f"--have: unknown credential or competency '{text}'{suggest(text, known)}"
            )
    if problems:
        fail(problems[0])
    return state


def _outcome(result: Result, outcome: str) -> None:
    from credpath.resolve import suggest

    if outcome not in result.catalog.outcomes:
        fail(f"unknown outcome '{outcome}'{suggest(outcome, result.catalog.outcomes)}")


def _credential_line(result: Result, cid: str) -> str:
    from credpath.pathways import hours

    credential = result.catalog.credentials[cid]
    h = hours(credential)
    workload = f", {h:g} h" if h else ""
    return f"{cid}  {credential.model.title} ({credential.model.type}{workload})"


def plan(
    outcome: Annotated[str, typer.Argument(help="The outcome id to plan for.")],
    path: PathArg = Path("."),
    have: HaveOpt = "",
    format_: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
) -> None:
    """The stages still to go from what a learner holds to an outcome."""
    from credpath.pathways import derive, hours
    from credpath.semantics import Explainer

    result = load(path)
    _outcome(result, outcome)
    state = learner_state(result, have)
    sem = result.context.semantics
    derived = derive(sem, outcome, state)
    catalog = result.catalog
    title = catalog.outcomes[outcome].model.title
    reason = None
    if derived is None:
        reach = state.copy()
        sem.closure(reach)
        reason = _why_not(sem, outcome, reach, Explainer)
    if format_ is Format.json:
        document: dict[str, Any] = {
            "outcome": outcome,
            "title": title,
            "have": sorted(state.held),
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
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        raise typer.Exit(0 if derived is not None else 1)
    if derived is None:
        typer.echo(f"{title} ({outcome}) cannot be reached from here: it {reason}")
        raise typer.Exit(1)
    if not derived.stages:
        typer.echo(f"{title} ({outcome}) is already met: nothing left to earn.")
        raise typer.Exit(0)
    lines = [f"Plan to {title} ({outcome}):"]
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
    typer.echo("\n".join(lines))


def _why_not(sem: Any, outcome: str, reach: State, explainer: Any) -> str:
    """The root cause, from the learner's state rather than from the empty one."""
    from credpath.requirements import Ref
    from credpath.semantics import unmet

    leaf = next(unmet(sem.catalog.outcomes[outcome].requires, reach))
    if isinstance(leaf, Ref) and leaf.kind == "credential":
        return f"requires '{leaf.text}', which {explainer(sem).credential(leaf.target)}"
    if isinstance(leaf, Ref):
        if sem.is_gap(leaf):
            return f"requires '{leaf.text}', which no credential grants"
        return f"requires '{leaf.text}', and no credential that grants it can be earned"
    return "has an invalid requirement (run credpath validate)"


def next_(
    path: PathArg = Path("."),
    have: HaveOpt = "",
    format_: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
) -> None:
    """The credentials a learner can earn now, and the outcomes each moves them toward."""
    from credpath.semantics import satisfied

    result = load(path)
    state = learner_state(result, have)
    sem = result.context.semantics
    outcomes_of = sem.outcomes_of
    doors = [
        c.id
        for c in sorted(sem.active, key=lambda c: c.id)
        if c.id not in state.held and satisfied(c.requires, state)
    ]
    doors.sort(key=lambda cid: (-len(outcomes_of.get(cid, [])), cid))
    if format_ is Format.json:
        document = [
            {
                "id": cid,
                "title": result.catalog.credentials[cid].model.title,
                "outcomes": outcomes_of.get(cid, []),
            }
            for cid in doors
        ]
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return
    if not doors:
        typer.echo("Nothing new is earnable from here.")
        return
    lines = [f"Earnable now ({len(doors)}):"]
    for cid in doors:
        toward = ", ".join(outcomes_of.get(cid, [])) or "no outcome (a dead end)"
        lines.append(f"  - {_credential_line(result, cid)} -> {toward}")
    typer.echo("\n".join(lines))


def compile_(
    path: PathArg = Path("."),
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the manifest here (default: stdout)."),
    ] = None,
) -> None:
    """The resolved project as a JSON manifest: entities, requirement trees, graph, pathways."""
    from credpath.manifest import build, dumps

    result = load(path)
    text = dumps(build(result.context, result.diagnostics))
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
    failed = any(d.severity.label == "error" for d in result.diagnostics)
    raise typer.Exit(1 if failed else 0)


def register(app: typer.Typer) -> None:
    """Add compile, plan and next to the app."""
    app.command("compile")(compile_)
    app.command("plan")(plan)
    app.command("next")(next_)
