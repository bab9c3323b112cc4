"""``site``: the static learner site (credpath/publish/site), written whole into one folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from credpath.checks.context import Options
from credpath.commands import Tree


@dataclass(frozen=True)
class SiteOptions:
    path: Path = Path(".")
    output: Path = Path("site")
    no_drafts: bool = False
    diagrams: bool = True
    force: bool = False


def site(options: SiteOptions) -> Tree:
    """Every page, the scripts, their data and the outcome diagrams, written as they are drawn."""
    from credpath.base.output import Staging
    from credpath.checks.engine import check
    from credpath.publish.render import has_dot
    from credpath.publish.site import build

    result = check(options.path, Path.cwd(), Options(options.no_drafts))
    context = result.context
    notes: list[str] = []
    diagrams = options.diagrams and has_dot()
    if options.diagrams and not diagrams:
        notes.append("Graphviz 'dot' is missing: the outcome pages have no diagram")
    staging = Staging(options.output)  # the workers write the pages into it
    drawn = build(context, diagrams, staging.folder)
    notes.insert(0, f"wrote the site ({drawn.pages} pages) to {options.output}; open index.html")
    return Tree(
        options.output,
        drawn.files,
        options.force,
        notes=tuple(notes),
        count=drawn.count,
        staging=staging,
    )
