"""CLI commands for authors: lint, rules, explain, new; and the output options of validate.

Registered on the app by credpath.cli; each imports the core lazily, inside the
function, so that ``credpath --help`` stays fast. The option types are defined
here, at module level, because typer reads the (postponed) annotations from the
module's globals; credpath.cli imports them for ``validate``.
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer


class OutputFormat(enum.StrEnum):
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


# The output options of validate and lint, shared by both (credpath.cli imports them).
FormatOpt = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format: text, json, github (workflow annotations), sarif (SARIF 2.1.0), "
        "junit (JUnit XML) or gitlab (GitLab Code Quality). Default: github when "
        "GITHUB_ACTIONS=true, else text.",
        show_default=False,
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write the report to FILE instead of standard output."),
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


class NewKind(enum.StrEnum):
    credential = "credential"
    competency = "competency"
    outcome = "outcome"


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""

    @app.command()
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
        format_: FormatOpt = None,
        output: OutputOpt = None,
        strict: StrictOpt = False,
        fail_level_: FailLevelOpt = None,
        no_drafts: NoDraftsOpt = False,
        quiet: QuietOpt = False,
    ) -> None:
        """Check a project like validate, plus the authoring rules (see `credpath rules`)."""
        from credpath.cli import emit, fail_level
        from credpath.commands import fail
        from credpath.config import ConfigError
        from credpath.context import Options
        from credpath.engine import lint as run_lint

        try:
            result = run_lint(paths or [Path(".")], Path.cwd(), Options(no_drafts=no_drafts))
        except ConfigError as exc:
            fail(str(exc))
        for skipped in result.skipped:
            typer.echo(
                f"credpath: {skipped}: not a curriculum file of its project "
                "(hidden, excluded, or not .yaml/.yml); nothing to report",
                err=True,
            )
        level = fail_level(fail_level_, strict)
        code = emit(
            result.diagnostics,
            result.files,
            format_=format_,
            output=output,
            level=level,
            quiet=quiet,
        )
        raise typer.Exit(code)

    @app.command("rules")
    def rules_() -> None:
        """List every rule: its id, default severity, which commands run it, what it finds."""
        from credpath.rules import RULES
        from credpath.rules._docs import default_text, runs_in

        width = max(len(rule_id) for rule_id in RULES)
        for rule in RULES.values():
            summary = rule.summary.replace("``", "`")
            typer.echo(
                f"{rule.id:<{width}}  {default_text(rule):<14}  {runs_in(rule):<14}  {summary}"
            )

    @app.command()
    def explain(
        rule: Annotated[str, typer.Argument(help="A rule id, as shown in [brackets].")],
    ) -> None:
        """Print a rule's documentation, with a failing and a passing example."""
        from credpath.commands import fail
        from credpath.resolve import suggest
        from credpath.rules import RULES
        from credpath.rules._docs import default_text, runs_in, to_text

        found = RULES.get(rule.strip().strip("[]"))
        if found is None:
            fail(f"unknown rule '{rule}'{suggest(rule, RULES)}; `credpath rules` lists them")
        typer.echo(f"{found.id}: {default_text(found)}, runs in {runs_in(found)}\n")
        sys.stdout.write(to_text(found.doc))

    @app.command()
    def new(
        kind: Annotated[NewKind, typer.Argument(help="What to add.")],
        entry_id: Annotated[str, typer.Argument(metavar="ID", help="The new entry's id.")],
        file: Annotated[
            Path | None,
            typer.Option(
                "--file",
                help="The file to append to (created if needed). "
                "Default: credentials.yaml, competencies.yaml or outcomes.yaml here.",
                show_default=False,
            ),
        ] = None,
    ) -> None:
        """Append a template entry to a curriculum file; `credpath lint` flags its TODOs."""
        from credpath.commands import fail
        from credpath.config import ConfigError
        from credpath.new import KEYS, NewError, add_to_file

        target = file or Path(f"{KEYS[kind.value]}.yaml")
        try:
            line = add_to_file(target, kind.value, entry_id, Path.cwd())
        except (NewError, ConfigError) as exc:
            fail(str(exc))
        sys.stdout.write(
            f"{target}:{line}: added {kind.value} '{entry_id}'; fill in its TODOs, "
            f"then run `credpath lint {target}`\n"
        )
