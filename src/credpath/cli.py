"""The command line: declares the commands and their options, nothing else.

Each command hands a typed options object to its function in ``credpath.commands``
through ``run``, which presents the result and maps every error to an exit code.
Commands are imported inside the functions, so ``credpath --version`` and
``--help`` stay fast. The option types live at module level because typer reads
the (postponed) annotations from this module's globals.
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperArgument, TyperCommand

from credpath import __version__
from credpath.commands import ExitStatus, ReportOptions, internal_error, run


class _Command(TyperCommand):
    """Help that names values by what they are (PATH, ID, N), never by their Python type.

    typer shows an argument's type after its name (``PATH <path>``, ``PATHS
    <list[Path]>``); the metavar says it better, and a choice keeps its choices.
    """

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        for param in params:
            if isinstance(param, TyperArgument) and not param.type_descriptor.is_choice:
                param.display_type_rich = lambda ctx: None  # type: ignore[method-assign]
        return params


app = typer.Typer(
    name="credpath",
    help="A pathway compiler for stackable (micro)credentials: validate curricula, "
    "find gaps and dead-ends, derive and draw pathways to job outcomes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class ReportFormat(enum.StrEnum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"
    junit = "junit"
    gitlab = "gitlab"


class FailLevel(enum.StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


class TextOrJson(enum.StrEnum):
    text = "text"
    json = "json"


class MetricsFormat(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class DiagramFormat(enum.StrEnum):
    svg = "svg"
    png = "png"
    pdf = "pdf"
    dot = "dot"
    mermaid = "mermaid"


class DiffFormat(enum.StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


class SchemaKind(enum.StrEnum):
    curriculum = "curriculum"
    config = "config"


class NewKind(enum.StrEnum):
    credential = "credential"
    competency = "competency"
    outcome = "outcome"


# -- options shared by several commands, defined once -------------------------------------
PathArg = Annotated[
    Path,
    typer.Argument(help="The project folder, or a curriculum file inside it.", metavar="PATH"),
]
ReportFormatOpt = Annotated[
    ReportFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format: text, json, github (workflow annotations), sarif (SARIF 2.1.0), "
        "junit (JUnit XML) or gitlab (GitLab Code Quality). Default: from the suffix of "
        "--output (.json, .sarif, .xml), else github when GITHUB_ACTIONS=true, else text.",
        show_default=False,
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write to FILE instead of standard output.",
        show_default=False,
    ),
]
ForceOpt = Annotated[
    bool,
    typer.Option("--force", help="Overwrite files that credpath did not write (or that changed)."),
]
FailLevelOpt = Annotated[
    FailLevel | None,
    typer.Option(
        "--fail-level",
        help="Exit 1 when a finding reaches this severity. Default: error.",
        show_default=False,
    ),
]
StrictOpt = Annotated[
    bool, typer.Option("--strict", help="Warnings fail too: the same as --fail-level warning.")
]
NoDraftsOpt = Annotated[
    bool, typer.Option("--no-drafts", help="Treat draft credentials as not yet published.")
]
QuietOpt = Annotated[
    bool, typer.Option("--quiet", "-q", help="Only print findings that fail; no summary.")
]
NoCacheOpt = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Check everything even when no file changed since the last run "
        "(also: CREDPATH_NO_CACHE=1).",
    ),
]
NoFoldOpt = Annotated[
    bool,
    typer.Option(
        "--no-fold",
        help="Print every finding on its own: none folded into the root cause it follows "
        "from (for debugging, and for tools that want raw findings).",
    ),
]
HaveOpt = Annotated[
    str,
    typer.Option(
        "--have",
        metavar="IDS",
        help="What the learner holds: credential ids and competency references, "
        "comma-separated (sql-foundations,python@2).",
    ),
]
TextOrJsonOpt = Annotated[TextOrJson, typer.Option("--format", "-f", help="Output format.")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"credpath {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """credpath: design pathways backwards from job outcomes, and check them."""


def _report(
    format_: ReportFormat | None,
    output: Path | None,
    strict: bool,
    fail_level: FailLevel | None,
    quiet: bool,
    force: bool,
) -> ReportOptions:
    from credpath.base.diagnostics import Severity

    level = Severity.parse(fail_level.value) if fail_level is not None else Severity.ERROR
    return ReportOptions(
        format=format_.value if format_ is not None else None,
        output=output,
        fail_level=min(level, Severity.WARNING) if strict else level,
        quiet=quiet,
        force=force,
    )


# -- checking -----------------------------------------------------------------------------
@app.command(cls=_Command)
def validate(
    path: PathArg = Path("."),
    format_: ReportFormatOpt = None,
    output: OutputOpt = None,
    strict: StrictOpt = False,
    fail_level: FailLevelOpt = None,
    no_drafts: NoDraftsOpt = False,
    quiet: QuietOpt = False,
    no_cache: NoCacheOpt = False,
    force: ForceOpt = False,
    no_fold: NoFoldOpt = False,
    watch: Annotated[
        bool,
        typer.Option(
            "--watch",
            help="Keep checking: print the findings again after each save (Ctrl-C stops, "
            "with the last run's exit code).",
        ),
    ] = False,
) -> None:
    """Check a curriculum project: format, references, gaps, dead-ends, cycles."""
    from credpath.commands.check import CheckOptions, validate, validate_watch

    report = _report(format_, output, strict, fail_level, quiet, force)
    options = CheckOptions(
        paths=[path], report=report, no_drafts=no_drafts, use_cache=not no_cache, folded=not no_fold
    )
    run(validate_watch if watch else validate, options)


@app.command(cls=_Command)
def lint(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATHS",
            help="Project folders (the whole project), or files and folders inside a "
            "project: only the findings located in them are reported, and counted. "
            "Default: the current folder.",
            show_default=False,
        ),
    ] = None,
    format_: ReportFormatOpt = None,
    output: OutputOpt = None,
    strict: StrictOpt = False,
    fail_level: FailLevelOpt = None,
    no_drafts: NoDraftsOpt = False,
    quiet: QuietOpt = False,
    no_cache: NoCacheOpt = False,
    force: ForceOpt = False,
    no_fold: NoFoldOpt = False,
) -> None:
    """Check a project like validate, plus the authoring rules (see `credpath rules`)."""
    from credpath.commands.check import CheckOptions, lint

    report = _report(format_, output, strict, fail_level, quiet, force)
    run(
        lint,
        CheckOptions(
            paths=paths or [Path(".")],
            report=report,
            no_drafts=no_drafts,
            use_cache=not no_cache,
            folded=not no_fold,
        ),
    )


@app.command("rules", cls=_Command)
def rules_() -> None:
    """List every rule: its id, default severity, which commands run it, what it finds."""
    from credpath.commands.authoring import rules

    run(rules, None)


@app.command(cls=_Command)
def explain(
    rule: Annotated[str, typer.Argument(metavar="RULE", help="A rule id, as shown in [brackets].")],
) -> None:
    """Print a rule's documentation, with a failing and a passing example."""
    from credpath.commands.authoring import explain

    run(explain, rule)


@app.command(cls=_Command)
def schema(
    kind: Annotated[
        SchemaKind, typer.Option("--kind", help="Which file the schema describes.")
    ] = SchemaKind.curriculum,
) -> None:
    """Print the JSON Schema of curriculum files or of credpath.yaml, for editors."""
    from credpath.commands.authoring import schema

    run(schema, kind.value)


@app.command(cls=_Command)
def new(
    kind: Annotated[NewKind, typer.Argument(help="What to add.")],
    entry_id: Annotated[str, typer.Argument(metavar="ID", help="The new entry's id.")],
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            metavar="FILE",
            help="The file to append to (created if needed). "
            "Default: credentials.yaml, competencies.yaml or outcomes.yaml here.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Append a template entry to a curriculum file; `credpath lint` flags its TODOs."""
    from credpath.commands.authoring import NewOptions, new

    run(new, NewOptions(kind=kind.value, entry_id=entry_id, file=file))


# -- pathways -----------------------------------------------------------------------------
@app.command(cls=_Command)
def plan(
    outcome: Annotated[str, typer.Argument(metavar="OUTCOME", help="The outcome id to plan for.")],
    path: PathArg = Path("."),
    have: HaveOpt = "",
    format_: TextOrJsonOpt = TextOrJson.text,
    no_drafts: NoDraftsOpt = False,
) -> None:
    """The stages still to go from what a learner holds to an outcome."""
    from credpath.commands.pathways import PlanOptions, plan

    run(
        plan,
        PlanOptions(
            path=path, have=have, format=format_.value, no_drafts=no_drafts, outcome=outcome
        ),
    )


@app.command("next", cls=_Command)
def next_(
    path: PathArg = Path("."),
    have: HaveOpt = "",
    format_: TextOrJsonOpt = TextOrJson.text,
    no_drafts: NoDraftsOpt = False,
) -> None:
    """The credentials a learner can start now, and the outcomes each moves them toward."""
    from credpath.commands.pathways import PlanOptions, next_doors

    run(next_doors, PlanOptions(path=path, have=have, format=format_.value, no_drafts=no_drafts))


@app.command("compile", cls=_Command)
def compile_(
    path: PathArg = Path("."),
    output: OutputOpt = None,
    no_drafts: NoDraftsOpt = False,
    force: ForceOpt = False,
) -> None:
    """The resolved project as a JSON manifest: entities, requirement trees, graph, pathways."""
    from credpath.commands.pathways import CompileOptions, compile_manifest

    run(
        compile_manifest, CompileOptions(path=path, output=output, no_drafts=no_drafts, force=force)
    )


@app.command(cls=_Command)
def diff(
    base: Annotated[
        str,
        typer.Argument(
            metavar="BASE",
            help="The project before the change: a folder, or git:REV (e.g. git:origin/main).",
        ),
    ],
    head: Annotated[
        str,
        typer.Argument(metavar="HEAD", help="The project after the change: a folder, or git:REV."),
    ] = ".",
    format_: Annotated[
        DiffFormat,
        typer.Option(
            "--format",
            "-f",
            help="text, markdown (a pull-request comment or job summary) or json.",
        ),
    ] = DiffFormat.text,
    output: OutputOpt = None,
    strict: StrictOpt = False,
    fail_level: FailLevelOpt = None,
    no_drafts: NoDraftsOpt = False,
    force: ForceOpt = False,
) -> None:
    """What a change does to learners: findings added and fixed, pathways, entries.

    A git:REV side is the same project folder at that revision, read with git without
    touching the work tree. Exit 1 when the change adds a finding at the failing
    severity or makes an outcome unreachable.
    """
    from credpath.commands.diff import DiffOptions
    from credpath.commands.diff import diff as run_diff

    level = _report(None, None, strict, fail_level, False, False).fail_level
    assert level is not None
    options = DiffOptions(
        base=base,
        head=head,
        format=format_.value,
        output=output,
        force=force,
        fail_level=level,
        no_drafts=no_drafts,
    )
    run(run_diff, options)


# -- diagrams and analytics ---------------------------------------------------------------
@app.command(cls=_Command)
def render(
    path: PathArg = Path("."),
    outcome: Annotated[
        str | None,
        typer.Option(
            "--outcome",
            metavar="ID",
            help="Draw the derived pathway to this outcome.",
            show_default=False,
        ),
    ] = None,
    pathway: Annotated[
        str | None,
        typer.Option(
            "--pathway", metavar="ID", help="Draw this curated pathway.", show_default=False
        ),
    ] = None,
    credential: Annotated[
        str | None,
        typer.Option(
            "--credential",
            metavar="ID",
            help="Draw what this credential needs and what it unlocks.",
            show_default=False,
        ),
    ] = None,
    depth: Annotated[
        int | None,
        typer.Option(
            "--depth",
            min=1,
            metavar="N",
            help="With --credential: how many credentials to follow each way. Default: 1.",
            show_default=False,
        ),
    ] = None,
    show_competencies: Annotated[
        bool,
        typer.Option(
            "--show-competencies",
            help="Draw competencies as nodes between credentials (else they label the edges).",
        ),
    ] = False,
    format_: Annotated[
        DiagramFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="svg, png, pdf (these need Graphviz), dot or mermaid. "
            "Default: from the suffix of --output, else svg.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE|DIR",
            help="Write to FILE (with --all: into the folder DIR) instead of standard output.",
            show_default=False,
        ),
    ] = None,
    all_: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Write the map and one diagram per outcome and curated pathway into the "
            "folder given with -o (credpath site makes the web pages that show them).",
        ),
    ] = False,
    no_drafts: NoDraftsOpt = False,
    force: ForceOpt = False,
) -> None:
    """Draw pathway diagrams: the project map, a pathway, or one credential's neighbourhood.

    Problems show in the diagram (a gap as a dashed red "missing" node, dead ends and
    credentials that cannot be earned outlined in red), so it doubles as a review.
    """
    from credpath.commands.render import RenderOptions, render

    fmt = format_.value if format_ is not None else None
    options = RenderOptions(
        path=path,
        outcome=outcome,
        pathway=pathway,
        credential=credential,
        depth=depth,
        show_competencies=show_competencies,
        format=fmt,
        output=output,
        all=all_,
        no_drafts=no_drafts,
        force=force,
    )
    run(render, options)


@app.command(cls=_Command)
def site(
    path: PathArg = Path("."),
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="DIR", help="The folder to write the site into."),
    ] = Path("site"),
    no_diagrams: Annotated[
        bool,
        typer.Option("--no-diagrams", help="Leave out the outcome diagrams (no Graphviz needed)."),
    ] = False,
    no_drafts: NoDraftsOpt = False,
    force: ForceOpt = False,
    drift: Annotated[
        Path | None,
        typer.Option(
            "--drift",
            metavar="REPORT.json",
            help="Show on each credential page where most learners went next, from a "
            "report of credpath drift --format json (aggregates only).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write the learner site: where a learner stands, what to take next, the plan to each outcome.

    A static folder (HTML, CSS, one script, the diagrams) to publish on any static host or
    open from disk. A learner marks what they hold; the pages answer as credpath next and
    credpath plan do. Progress stays in the browser; nothing is sent anywhere.
    """
    from credpath.commands.site import SiteOptions
    from credpath.commands.site import site as build_site

    run(
        build_site,
        SiteOptions(
            path=path,
            output=output,
            no_drafts=no_drafts,
            diagrams=not no_diagrams,
            force=force,
            drift=drift,
        ),
    )


@app.command(cls=_Command)
def serve(
    path: PathArg = Path("."),
    port: Annotated[
        int, typer.Option("--port", "-p", min=0, max=65535, help="The port (0: any free one).")
    ] = 8000,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="The address to listen on. Default: this machine only; another address "
            "lets others reach the preview (with a warning).",
        ),
    ] = "127.0.0.1",
    open_: Annotated[bool, typer.Option("--open", help="Open the site in the browser.")] = False,
    no_drafts: NoDraftsOpt = False,
) -> None:
    """Preview the learner site while you edit: each save re-checks the project, open pages
    reload when what they show changes, and every finding shows over the page (docs/serve.md).

    Serves from memory (nothing is written) to this machine only, until Ctrl-C.
    """
    from credpath.commands.serve import ServeOptions
    from credpath.commands.serve import serve as command

    run(
        command,
        ServeOptions(path=path, port=port, host=host, open_browser=open_, no_drafts=no_drafts),
    )


@app.command(cls=_Command)
def metrics(
    path: PathArg = Path("."),
    outcome: Annotated[
        str | None,
        typer.Option(
            "--outcome",
            metavar="ID",
            help="Only the credentials of this outcome's derived pathway.",
            show_default=False,
        ),
    ] = None,
    format_: Annotated[
        MetricsFormat, typer.Option("--format", "-f", help="Output format.")
    ] = MetricsFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Curricular Analytics metrics of the credential prerequisite graph.

    Blocking factor, delay factor, centrality and structural complexity per
    credential, with totals; per outcome, its derived pathway's stages, workload
    and complexity.
    """
    from credpath.commands.analytics import MetricsOptions, metrics

    run(
        metrics,
        MetricsOptions(
            path=path, outcome=outcome, format=format_.value, output=output, force=force
        ),
    )


class DriftFormat(enum.StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"
    csv = "csv"
    html = "html"


@app.command(cls=_Command)
def drift(
    records: Annotated[
        list[Path],
        typer.Argument(
            metavar="RECORDS",
            help="Learner records: CSV or Parquet files (one row per event), Open Badges 3.0 "
            "credentials or xAPI statements (JSON or JSON lines), or folders of them.",
        ),
    ],
    path: Annotated[
        Path, typer.Option("--project", metavar="PATH", help="The project folder.")
    ] = Path("."),
    format_: Annotated[
        DriftFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="text, markdown, json, csv or html (one offline page with the map, curves "
            "and funnels). Default: from the suffix of --output (.md, .json, .csv, .html), "
            "else text.",
            show_default=False,
        ),
    ] = None,
    output: OutputOpt = None,
    columns: Annotated[
        str,
        typer.Option(
            "--columns",
            metavar="MAP",
            help="Which column holds each field: learner=student_id,credential=course_code,"
            "date=completed_on,event=result.",
        ),
    ] = "",
    events: Annotated[
        str,
        typer.Option(
            "--events",
            metavar="MAP",
            help="What the event words mean: Pass=earned,Withdrawn=withdrawn,Fail=failed.",
        ),
    ] = "",
    encoding: Annotated[
        str, typer.Option("--encoding", help="The CSV files' encoding: utf-8, utf-16, latin-1.")
    ] = "utf-8",
    window: Annotated[
        int,
        typer.Option(
            "--window",
            min=1,
            metavar="DAYS",
            help="Days within which a learner who goes on counts as continued.",
        ),
    ] = 180,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="The day the records end (YYYY-MM-DD). Default: the latest date in them.",
            show_default=False,
        ),
    ] = None,
    min_group: Annotated[
        int,
        typer.Option(
            "--min-group",
            min=0,
            metavar="N",
            help="Suppress counts below N (0: none, for the analyst's own eyes only).",
        ),
    ] = 10,
    top: Annotated[
        int, typer.Option("--top", min=0, metavar="N", help="How many drift points to show.")
    ] = 5,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when a row was skipped.")
    ] = False,
    no_drafts: NoDraftsOpt = False,
    force: ForceOpt = False,
) -> None:
    """Where learners stop after each credential, and whether the pathway's structure is why.

    Reads learner records, and reports per credential how many went on, drifted away or
    are too recent to tell, where they went, and the structure test: continuation after
    earnings that had a next door against those that had none (docs/drift.md). No learner
    identifier is ever shown; counts below --min-group are suppressed.
    """
    from credpath.commands.drift import DriftOptions
    from credpath.commands.drift import drift as command

    fmt = format_.value if format_ is not None else None
    options = DriftOptions(
        records=tuple(records),
        path=path,
        format=fmt,
        output=output,
        force=force,
        columns=columns,
        events=events,
        encoding=encoding,
        window=window,
        as_of=as_of,
        min_group=min_group,
        top=top,
        strict=strict,
        no_drafts=no_drafts,
    )
    run(command, options)


@app.command(cls=_Command)
def simulate(
    path: PathArg = Path("."),
    learners: Annotated[
        int, typer.Option("--learners", min=1, metavar="N", help="How many learners.")
    ] = 1000,
    seed: Annotated[int, typer.Option("--seed", metavar="S", help="The random seed.")] = 1,
    continue_: Annotated[
        float,
        typer.Option(
            "--continue",
            metavar="P",
            help="Chance to go on when a next door leads toward an outcome.",
        ),
    ] = 0.8,
    continue_dead_end: Annotated[
        float,
        typer.Option("--continue-dead-end", metavar="P", help="Chance to go on at a dead end."),
    ] = 0.3,
    continue_after_outcome: Annotated[
        float,
        typer.Option(
            "--continue-after-outcome", metavar="P", help="Chance to go on once an outcome is met."
        ),
    ] = 0.2,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Synthetic learner records (CSV) walking the project's pathways, for trying drift."""
    from credpath.commands.drift import SimulateOptions
    from credpath.commands.drift import simulate as command

    chances = (continue_, continue_dead_end, continue_after_outcome)
    run(
        command,
        SimulateOptions(
            path=path, learners=learners, seed=seed, output=output, force=force, chances=chances
        ),
    )


import_app = typer.Typer(
    help="Bring curricula from other tools into credpath.", no_args_is_help=True
)
app.add_typer(import_app, name="import")


@import_app.command("curricular-analytics", cls=_Command)
def import_curricular_analytics(
    csv_file: Annotated[
        Path,
        typer.Argument(help="A Curricular Analytics curriculum or degree-plan CSV.", metavar="CSV"),
    ],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="DIR", help="The project folder to write."),
    ],
    force: ForceOpt = False,
) -> None:
    """Turn a Curricular Analytics CSV into a credpath project (one credential per course)."""
    from credpath.commands.analytics import ImportOptions, import_curricular_analytics

    run(import_curricular_analytics, ImportOptions(source=csv_file, output=output, force=force))


export_app = typer.Typer(
    help="Publish the catalog in the credential ecosystem's formats (CTDL, Open Badges 3.0).",
    no_args_is_help=True,
)
app.add_typer(export_app, name="export")
DraftsOpt = Annotated[
    bool, typer.Option("--drafts", help="Include draft credentials (left out by default).")
]


@export_app.command("ctdl", cls=_Command)
def export_ctdl(
    path: PathArg = Path("."),
    output: OutputOpt = None,
    drafts: DraftsOpt = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Report what the Credential Registry would refuse (missing minimum data), "
            "as findings with file:line:col, instead of exporting.",
        ),
    ] = False,
    format_: ReportFormatOpt = None,
    force: ForceOpt = False,
) -> None:
    """Export credentials, competencies and one pathway per outcome as CTDL JSON-LD
    for the Credential Registry (docs/ctdl.md)."""
    from credpath.commands import ReportOptions
    from credpath.commands.interop import ExportOptions
    from credpath.commands.interop import export_ctdl as command

    fmt = format_.value if format_ is not None else None
    report = ReportOptions(format=fmt, output=output if check else None, force=force)
    run(
        command,
        ExportOptions(
            path=path, output=output, drafts=drafts, check=check, force=force, report=report
        ),
    )


@export_app.command("ob3", cls=_Command)
def export_ob3(
    path: PathArg = Path("."),
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="DIR", help="The folder to write the achievements into."
        ),
    ] = None,
    drafts: DraftsOpt = False,
    force: ForceOpt = False,
) -> None:
    """Export one Open Badges 3.0 Achievement (JSON) per credential (docs/ob3.md)."""
    from credpath.commands.interop import ExportOptions
    from credpath.commands.interop import export_ob3 as command

    run(command, ExportOptions(path=path, output=output, drafts=drafts, force=force))


@app.command(cls=_Command)
def lsp() -> None:
    """Start the language server (LSP over stdio): findings as you type, go to definition,
    references, hover, completion and rename of ids (docs/editors.md)."""
    from credpath.commands import Document

    def serve(_: None) -> Document:
        from credpath.editor.server import serve as start

        start()
        return Document("")

    run(serve, None)


@import_app.command("ctdl", cls=_Command)
def import_ctdl(
    sources: Annotated[
        list[Path],
        typer.Argument(
            help="CTDL JSON-LD documents (a graph, an array of nodes, one resource, a "
            "registry envelope), or folders of them.",
            metavar="FILE.json|DIR...",
        ),
    ],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="DIR", help="The project folder to write."),
    ],
    report: Annotated[
        Path | None,
        typer.Option(
            "--report", metavar="FILE", help="Write each record left out: its JSON path, why."
        ),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Turn CTDL documents (from export ctdl, or what the Credential Registry publishes)
    into a credpath project, to check it with validate (docs/ctdl.md)."""
    from credpath.commands.interop import CtdlImportOptions
    from credpath.commands.interop import import_ctdl as command

    run(
        command,
        CtdlImportOptions(sources=tuple(sources), output=output, force=force, report=report),
    )


EscoDataOpt = Annotated[
    Path,
    typer.Option("--data", metavar="ESCO_DIR", help="The folder of the ESCO CSV download."),
]


@import_app.command("esco", cls=_Command)
def import_esco(
    data: EscoDataOpt,
    occupation: Annotated[
        str,
        typer.Option(
            "--occupation", metavar="URI|LABEL", help="The ESCO occupation, by URI or label."
        ),
    ],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="DIR", help="The project folder to write."),
    ],
    force: ForceOpt = False,
) -> None:
    """Start a project from an ESCO occupation: the outcome, and a competency per essential
    skill aligned to ESCO, ready for the team to add credentials (docs/esco.md)."""
    from credpath.commands.interop import EscoImportOptions
    from credpath.commands.interop import import_esco as command

    run(command, EscoImportOptions(data=data, occupation=occupation, output=output, force=force))


class CoverageFormat(enum.StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


@app.command(cls=_Command)
def coverage(
    path: PathArg = Path("."),
    esco: Annotated[
        Path,
        typer.Option("--esco", metavar="ESCO_DIR", help="The folder of the ESCO CSV download."),
    ] = Path("esco"),
    format_: Annotated[
        CoverageFormat, typer.Option("--format", "-f", help="Output format.")
    ] = CoverageFormat.text,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Which essential ESCO skills of each outcome's occupation its pathway covers."""
    from credpath.commands.interop import CoverageOptions
    from credpath.commands.interop import coverage as command

    run(
        command,
        CoverageOptions(path=path, data=esco, format=format_.value, output=output, force=force),
    )


def main() -> None:
    """Entry point: usage errors exit 2, findings 1, an internal failure 3 (never a traceback).

    Commands map their own errors (``credpath.commands.run``); this catches what
    escapes typer itself.
    """
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("credpath: interrupted", err=True)
        sys.exit(ExitStatus.INTERRUPTED)
    except Exception as exc:
        try:
            internal_error(exc)
        except typer.Exit as done:  # outside typer's app, its exit is ours to make
            sys.exit(done.exit_code)
