"""CLI commands: curriculum analytics (`metrics`) and `import curricular-analytics`."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

from credpath.commands import fail, load


class MetricsFormat(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def metrics(
    path: Annotated[Path, typer.Argument(help="The project folder, or a file inside it.")] = Path(
        "."
    ),
    outcome: Annotated[
        str | None,
        typer.Option("--outcome", help="Only the credentials of this outcome's derived pathway."),
    ] = None,
    format_: Annotated[
        MetricsFormat, typer.Option("--format", "-f", help="Output format.")
    ] = MetricsFormat.table,
) -> None:
    """Curricular Analytics metrics of the credential prerequisite graph.

    Blocking factor, delay factor, centrality and structural complexity per
    credential, with totals; per outcome, its derived pathway's stages, workload
    and complexity.
    """
    from credpath.metrics import (
        CycleError,
        compute_metrics,
        metrics_to_csv,
        metrics_to_json,
        metrics_to_table,
    )
    from credpath.pathways import derive
    from credpath.resolve import suggest

    result = load(path)
    sem = result.context.semantics
    members: set[str] | None = None
    if outcome is not None:
        if outcome not in result.catalog.outcomes:
            fail(f"unknown outcome '{outcome}'{suggest(outcome, result.catalog.outcomes)}")
        pathway = derive(sem, outcome)
        if pathway is None:
            fail(f"outcome '{outcome}' cannot be reached (run credpath validate)", 1)
        members = set(pathway.credentials)
    try:
        whole = result.context.prerequisites
        found = compute_metrics(whole if members is None else whole.subgraph(members))
    except CycleError as exc:
        first = result.catalog.credentials[exc.cycle[0]].origin.locate("id")
        typer.echo(
            f"{first}: error: credentials require each other in a cycle: "
            f"{' -> '.join([*exc.cycle, exc.cycle[0]])}; metrics need an acyclic graph [cycle]"
        )
        raise typer.Exit(1) from None
    if format_ is MetricsFormat.json:
        sys.stdout.write(metrics_to_json(found))
        return
    if format_ is MetricsFormat.csv:
        sys.stdout.write(metrics_to_csv(found))
        return
    sys.stdout.write(metrics_to_table(found))
    lines = ["", "outcome                          stages  hours  credentials  complexity"]
    chosen = [outcome] if outcome is not None else sorted(result.catalog.outcomes)
    for outcome_id in chosen:
        pathway = derive(sem, outcome_id)
        if pathway is None:
            lines.append(f"{outcome_id:<32} unreachable")
            continue
        chosen_graph = result.context.prerequisites.subgraph(pathway.credentials)
        complexity = compute_metrics(chosen_graph).totals.complexity
        lines.append(
            f"{outcome_id:<32} {len(pathway.stages):>6} {pathway.hours:>6g} "
            f"{len(pathway.credentials):>12} {complexity:>11}"
        )
    typer.echo("\n".join(lines))


import_app = typer.Typer(
    help="Bring curricula from other tools into credpath.", no_args_is_help=True
)


@import_app.command("curricular-analytics")
def import_curricular_analytics(
    csv_file: Annotated[
        Path, typer.Argument(help="A Curricular Analytics curriculum or degree-plan CSV.")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="The project folder to write.")],
) -> None:
    """Turn a Curricular Analytics CSV into a credpath project (one credential per course)."""
    from credpath.importers.curricular_analytics import read_curricular_analytics, write_project

    try:
        result = read_curricular_analytics(csv_file)
    except OSError as exc:
        fail(f"{csv_file}: {exc.strerror}")
    if result.findings or result.curriculum is None:
        for finding in result.findings:
            column = f" (column {finding.column})" if finding.column else ""
            typer.echo(f"{csv_file}:{finding.line}:1: error: {finding.message}{column} [import]")
        raise typer.Exit(1)
    for written in write_project(result.curriculum, output):
        typer.echo(f"wrote {written}")


def register(app: typer.Typer) -> None:
    """Add metrics and import to the app."""
    app.command("metrics")(metrics)
    app.add_typer(import_app, name="import")
