"""One state of the project as the preview shows it: its findings and its site, drawn on
demand.

``credpath site`` draws every page of a catalog (10,000 credentials: about a minute of
CPU); a preview needs only the pages a browser asks for. A ``Snapshot`` draws each page
the first time it is asked for, with the site's own ``Pages``, and keeps it; after an
edit the next snapshot starts empty, so an edit costs the pages that are open, not the
whole site. Nothing is written to disk.

An edit of titles, descriptions and comments only (the engine patched the catalog: the
graph is the one before) makes a snapshot that takes over the last one's semantics, the
catalog-wide work a page needs (what each credential leads to and unlocks), instead of
working it out again; and the data every page reads (``assets/data.js``), when no text
the data shows changed.

Diagrams: an outcome page's pathway map is laid out by Graphviz when that page is asked
for, and the SVG is kept by the DOT text it was laid out from (``Layouts``), so an edit
that leaves an outcome's pathway as it was reuses its drawing instead of running ``dot``.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from credpath.publish.site import ASSETS, Diagram, Job, Pages

if TYPE_CHECKING:
    from collections.abc import Sequence

    from credpath.base.diagnostics import Diagnostic
    from credpath.checks.context import Context
    from credpath.compiler.resolve import AnyDef, Catalog
    from credpath.publish.render.model import Diagram as Drawing

DATA = "assets/data.js"
MISSING = "missing"
"""The digest of a page the site does not have."""
NOT_IN_DATA = frozenset({"description"})
"""The fields of an entry that the data (``publish.site.data.catalog_data``) never shows:
an edit of these alone leaves ``assets/data.js`` as it was."""


@dataclass(frozen=True)
class Finding:
    """One line of the overlay: where, how bad, what, which rule."""

    where: str
    severity: str
    message: str
    rule: str

    @classmethod
    def of(cls, diagnostic: Diagnostic) -> Finding:
        d = diagnostic
        return cls(f"{d.path}:{d.line}:{d.column}", d.severity.label, d.message, d.rule)


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=12).hexdigest()


@cache
def asset(name: str) -> bytes:
    """One of the site's static files (``ASSETS``), as shipped."""
    folder = resources.files("credpath.publish.site").joinpath("assets")
    return folder.joinpath(name).read_bytes()


class Layouts:
    """SVG drawings by the digest of the DOT text laid out, shared by every snapshot: an
    edit that changes no outcome's pathway runs no ``dot``. Past ``budget`` bytes, the
    least recently used go first."""

    def __init__(self, budget: int = 64 * 2**20) -> None:
        self.budget = budget
        self._svgs: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def svg(self, drawing: Drawing) -> bytes:
        """``drawing`` laid out as SVG; empty when Graphviz fails on it."""
        from credpath.publish.render.convert import LayoutFailed, layout
        from credpath.publish.render.dot import to_dot

        text = to_dot(drawing)
        key = digest(text.encode("utf-8"))
        with self._lock:
            known = self._svgs.get(key)
            if known is not None:
                self._svgs.move_to_end(key)
                return known
        try:
            svg = layout(text, "svg")
        except LayoutFailed:
            svg = b""
        with self._lock:
            if key not in self._svgs:
                self._svgs[key] = svg
                self._size += len(svg)
            while self._size > self.budget and len(self._svgs) > 1:
                self._size -= len(self._svgs.popitem(last=False)[1])
        return svg


class PreviewPages(Pages):
    """The site's pages, their diagrams laid out through ``Layouts``."""

    def __init__(self, context: Context, layouts: Layouts | None) -> None:
        super().__init__(context, with_diagrams=layouts is not None)
        self.layouts = layouts

    def diagrams(self, outcomes: tuple[str, ...]) -> dict[str, Diagram]:
        """As ``Pages.diagrams`` (one ``dot`` run per outcome), through the layouts kept."""
        from markupsafe import Markup

        from credpath.publish.render.views import site_pathway

        assert self.layouts is not None, "drawn only with diagrams"
        drawn = {}
        for outcome_id in outcomes:
            one = site_pathway(self.sem, outcome_id)
            text = self.layouts.svg(one.diagram).decode("utf-8")
            start = text.find("<svg")  # the element, without the XML prologue
            svg = Markup(text[start:]) if start >= 0 else None
            drawn[outcome_id] = Diagram(svg, one.left_out, one.total)
        return drawn


class Snapshot:
    """The findings and the site of one state of the project, its pages drawn when first
    asked for (by any thread: one draws at a time, since the site's caches and the
    catalog's semantics, computed as a page first needs them, are not shared safely; a
    page drawn already is served at once, even while another is drawing).

    ``context`` is None when the project could not be read at all (an error in
    credpath.yaml): the findings say why, and the site has no page.
    """

    def __init__(
        self,
        generation: int,
        findings: Sequence[Finding],
        context: Context | None,
        layouts: Layouts | None = None,
        *,
        same_graph: Snapshot | None = None,
    ) -> None:
        """``same_graph``: the snapshot before, when this one's catalog has its graph (the
        engine patched its catalog): what it worked out is taken over (``carried``)."""
        self.generation = generation
        self.findings = tuple(findings)
        self.pages = PreviewPages(context, layouts) if context is not None else None
        self._drawn: dict[str, bytes] = {}
        self._digests: dict[str, str] = {}
        self._jobs: set[str] = set()
        """The jobs of several pages drawn (``lists``): what they did not draw is not there."""
        self._lock = threading.RLock()
        self.findings_digest = digest(repr(self.findings).encode("utf-8"))
        self.carried = False
        """Whether it took over the semantics of the snapshot before (for tests and benches)."""
        if same_graph is not None:
            self._take_over(same_graph)

    def _take_over(self, before: Snapshot) -> None:
        """What ``before``, of the same graph, worked out: the catalog's semantics, and the
        data when no text it shows changed."""
        pages, previous = self.pages, before.pages
        if pages is None or previous is None:
            return
        with before._lock:  # none of its pages is drawing, filling in what is taken over
            self.carried = pages.sem.carry_over(previous.sem)
            data = before._drawn.get(DATA)
            if self.carried and data is not None and _same_data(previous.catalog, pages.catalog):
                self._drawn[DATA] = data
                self._digests[DATA] = before.digest(DATA)

    def keeping_site(self, generation: int, findings: Sequence[Finding]) -> Snapshot:
        """A snapshot with other findings and this one's site (pages drawn and to draw):
        what stays shown when the project cannot be read."""
        kept = Snapshot(generation, findings, None)
        kept.pages, kept._drawn, kept._digests, kept._jobs, kept._lock = (
            self.pages,
            self._drawn,
            self._digests,
            self._jobs,
            self._lock,
        )
        return kept

    def file(self, name: str) -> bytes | None:
        """The site's file ``name`` (relative to the site, as a link names it); None when
        the site has no such file."""
        if name.startswith("assets/") and name.removeprefix("assets/") in ASSETS:
            return asset(name.removeprefix("assets/"))
        pages = self.pages
        if pages is None:
            return None
        drawn = self._drawn.get(name)
        if drawn is not None:  # no wait while another page (the data) is drawing
            return drawn
        with self._lock:
            if name not in self._drawn:
                for path, data in self._draw(pages, name):
                    self._drawn[path] = data
            return self._drawn.get(name)

    def _draw(self, pages: PreviewPages, name: str) -> list[tuple[str, bytes]]:
        catalog = pages.catalog
        if name == DATA:
            return pages.draw(Job("data"))
        folder, nested, page = name.partition("/")
        if not nested:  # a page at the site's root: home and the lists, drawn together
            if "lists" in self._jobs:
                return []
            self._jobs.add("lists")
            return pages.draw(Job("lists"))
        entry = page.removesuffix(".html")
        if not page.endswith(".html") or "/" in entry:
            return []
        if folder == "credentials" and entry in catalog.credentials:
            return [pages.credential(entry)]
        if folder == "outcomes" and entry in catalog.outcomes:
            diagram = pages.diagrams((entry,))[entry] if pages.with_diagrams else None
            return [pages.outcome(entry, diagram)]
        return []

    def digest(self, name: str) -> str:
        """What the page shows, as a digest: ``MISSING`` when there is no such page."""
        known = self._digests.get(name)
        if known is not None:  # no wait while another page (the data) is drawing
            return known
        with self._lock:
            known = self._digests.get(name)
            if known is None:
                data = self.file(name)
                if data is None:
                    return MISSING
                known = self._digests[name] = digest(data)
            return known


def _same_data(before: Catalog, now: Catalog) -> bool:
    """Whether the data of ``now`` is that of ``before``, a catalog of the same graph: every
    entry that changed changed only in what the data never shows (``NOT_IN_DATA``)."""
    if before.config is not now.config and before.config != now.config:
        return False
    for kind in ("competencies", "credentials", "outcomes", "pathways"):
        was: dict[str, AnyDef] = getattr(before, kind)
        for entry_id, entry in getattr(now, kind).items():
            old = was.get(entry_id)
            if old is not entry and (old is None or _shown(old.model) != _shown(entry.model)):
                return False
    return True


def _shown(model: object) -> dict[str, object]:
    return {k: v for k, v in vars(model).items() if k not in NOT_IN_DATA}
