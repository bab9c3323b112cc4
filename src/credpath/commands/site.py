"""``site``: the static learner site (credpath/site), written whole into one folder."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from credpath.commands import Tree
from credpath.context import Options

if TYPE_CHECKING:
    from credpath.context import Context


@dataclass(frozen=True)
class SiteOptions:
    path: Path = Path(".")
    output: Path = Path("site")
    no_drafts: bool = False
    diagrams: bool = True
    force: bool = False


def site(options: SiteOptions) -> Tree:
    """Every page, the script, its data and the outcome diagrams, written as they are drawn."""
    from credpath.engine import check
    from credpath.output import Staging
    from credpath.render import has_dot
    from credpath.site import build

    result = check(options.path, Path.cwd(), Options(options.no_drafts))
    context = result.context
    notes: list[str] = []
    drawer = None
    if options.diagrams and has_dot():

        def drawer(outcomes: list[str]) -> Callable[[], dict[str, bytes]]:
            return _outcome_diagrams(context, outcomes)

    elif options.diagrams:
        notes.append("Graphviz 'dot' is missing: the outcome pages have no diagram")
    staging = Staging(options.output)  # the workers write the pages into it
    drawn = build(context, drawer, staging.folder)
    notes.insert(0, f"wrote the site ({drawn.pages} pages) to {options.output}; open index.html")
    return Tree(
        options.output,
        drawn.files,
        options.force,
        notes=tuple(notes),
        count=drawn.count,
        staging=staging,
    )


def _outcome_diagrams(context: Context, outcomes: list[str]) -> Callable[[], dict[str, bytes]]:
    """Start laying out the outcome diagrams; return what waits for them. Graphviz runs in
    its own processes while Python draws the pages."""
    from concurrent.futures import ThreadPoolExecutor

    from credpath.commands.render import collect, submit_exports
    from credpath.render import derived_pathway

    diagrams = [derived_pathway(context.semantics, o) for o in outcomes]
    pool = ThreadPoolExecutor(os.cpu_count() or 1)
    exports = submit_exports(pool, diagrams, "svg")
    pool.shutdown(wait=False)  # its threads finish what was submitted; collect waits for it

    def drawn() -> dict[str, bytes]:
        svgs = collect(exports, show_progress=False)  # the site's writing shows one
        return {f"diagrams/outcome-{o}.svg": svg for o, svg in zip(outcomes, svgs, strict=True)}

    return drawn
