"""``site``: the static learner site (credpath/publish/site), written whole into one folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from credpath.checks.context import Options
from credpath.commands import Tree

if TYPE_CHECKING:
    from credpath.publish.site.drift import WentNext


@dataclass(frozen=True, kw_only=True)
class SiteOptions:
    path: Path = Path(".")
    output: Path = Path("site")
    no_drafts: bool = False
    diagrams: bool = True
    force: bool = False
    drift: Path | None = None


def site(options: SiteOptions) -> Tree:
    """Every page, the scripts, their data and the outcome diagrams, written as they are drawn."""
    from credpath.base.output import Staging
    from credpath.checks.engine import check
    from credpath.publish.render import has_dot
    from credpath.publish.site import build

    result = check(options.path, Path.cwd(), Options(no_drafts=options.no_drafts))
    context = result.context
    notes: list[str] = []
    diagrams = options.diagrams and has_dot()
    if options.diagrams and not diagrams:
        notes.append("Graphviz 'dot' is missing: the outcome pages have no diagram")
    went_next = _went_next(options.drift) if options.drift is not None else None
    staging = Staging(options.output)  # the workers write the pages into it
    drawn = build(context, diagrams, staging.folder, went_next)
    notes.insert(0, f"wrote the site ({drawn.pages} pages) to {options.output}; open index.html")
    return Tree(
        options.output,
        drawn.files,
        options.force,
        notes=tuple(notes),
        count=drawn.count,
        staging=staging,
    )


def _went_next(report: Path) -> dict[str, WentNext]:
    """Where learners went after each credential, from a ``credpath drift --format json``
    report: a file from elsewhere, read bounded; anything else is a usage error naming it."""
    from credpath.base.errors import UsageError
    from credpath.base.json_input import JsonInputError, read_json
    from credpath.publish.site.drift import MAX_BYTES, NotAReport, went_next

    try:
        return went_next(read_json(report, max_bytes=MAX_BYTES))
    except (JsonInputError, NotAReport) as error:
        message = f"{report}: not a drift report (credpath drift --format json): {error}"
        raise UsageError(message) from None
