"""``metrics`` (Curricular Analytics metrics) and ``import curricular-analytics``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from credpath.base.diagnostics import Diagnostic
from credpath.base.errors import UsageError
from credpath.base.text import escape
from credpath.checks.context import Options
from credpath.commands import Document, Tree, pick_unknown


@dataclass(frozen=True, kw_only=True)
class MetricsOptions:
    path: Path = Path(".")
    outcome: str | None = None
    format: str = "table"
    output: Path | None = None
    force: bool = False


def metrics(options: MetricsOptions) -> Document:
    """Blocking, delay, centrality and complexity of the credential prerequisite graph."""
    from credpath.analytics.metrics import (
        CycleError,
        compute_metrics,
        metrics_to_csv,
        metrics_to_json,
        metrics_to_table,
    )
    from credpath.checks.engine import check
    from credpath.compiler.pathways import derive

    result = check(options.path, Path.cwd(), Options())
    sem = result.context.semantics
    outcome = options.outcome
    members: set[str] | None = None
    if outcome is not None:
        if outcome not in result.catalog.outcomes:
            pick_unknown("outcome", outcome, result.catalog.outcomes)
        pathway = derive(sem, outcome)
        if pathway is None:
            raise UsageError(f"outcome '{outcome}' cannot be reached (run credpath validate)")
        members = set(pathway.credentials)
    whole = result.context.prerequisites
    try:
        found = compute_metrics(whole if members is None else whole.subgraph(members))
    except CycleError as exc:
        first = result.catalog.credentials[exc.cycle[0]].origin.locate("id")
        loop = " -> ".join([*exc.cycle, exc.cycle[0]])
        finding = Diagnostic(
            path=first.path,
            line=first.line,
            column=first.column,
            rule="cycle",
            message=(
                f"credentials require each other in a cycle: {loop}; metrics need an acyclic graph"
            ),
        )
        # no numbers: stdout stays empty
        return Document("", code=1, notes=(finding.format(),))
    if options.format == "json":
        text = metrics_to_json(found)
    elif options.format == "csv":
        text = metrics_to_csv(found)
    else:
        lines = ["", "outcome                          stages  hours  credentials  complexity"]
        for outcome_id in [outcome] if outcome is not None else sorted(result.catalog.outcomes):
            pathway = derive(sem, outcome_id)
            if pathway is None:
                lines.append(f"{outcome_id:<32} unreachable")
                continue
            complexity = compute_metrics(whole.subgraph(pathway.credentials)).totals.complexity
            lines.append(
                f"{outcome_id:<32} {len(pathway.stages):>6} {pathway.hours:>6g} "
                f"{len(pathway.credentials):>12} {complexity:>11}"
            )
        text = metrics_to_table(found) + "\n".join(lines) + "\n"
    return Document(text, options.output, options.force)


@dataclass(frozen=True, kw_only=True)
class ImportOptions:
    source: Path
    output: Path
    force: bool = False


def import_curricular_analytics(options: ImportOptions) -> Document | Tree:
    """A credpath project from a Curricular Analytics CSV (one credential per course)."""
    from credpath.exchange.curricular_analytics import read_curricular_analytics, render_project

    result = read_curricular_analytics(options.source)
    if result.findings or result.curriculum is None:
        lines = [
            Diagnostic(
                path=str(options.source),
                line=f.line,
                column=1,
                rule="import",
                message=f.message + (f" (column {f.column})" if f.column else ""),
            ).format()
            + "\n"
            for f in result.findings
        ]
        return Document("".join(lines), code=1)
    files = render_project(result.curriculum)
    written = [f"wrote {escape(str(options.output / name))}" for name in files]
    return Tree(
        options.output,
        {name: text.encode("utf-8") for name, text in files.items()},
        options.force,
        notes=tuple(written),
    )
