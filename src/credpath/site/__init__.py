"""``credpath site``: the static learner site, built in memory as {relative path: bytes}.

Pages are jinja2 templates with autoescaping on, so every text from YAML is escaped.
What depends on the learner (next doors, plans, progress) is filled in the browser
by ``assets/credpath.js`` from ``assets/data.js`` (site/data.py); what does not
(descriptions, requirements, what a credential unlocks) is written into the page.
The same catalog gives byte-identical files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

from credpath.output import Written, close_source, write_into
from credpath.requirements import All, AnyOf, Choose, Ref, refs

if TYPE_CHECKING:
    from pathlib import Path

    from jinja2 import Environment
    from markupsafe import Markup

    from credpath.context import Context
    from credpath.requirements import Requirement
    from credpath.resolve import Catalog, CredentialDef
    from credpath.semantics import Semantics

ASSETS = ("credpath.js", "site.css")


def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("credpath.site", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    return env


def site_key(catalog: Catalog) -> str:
    """Names the learner's stored progress, so two sites on one host keep theirs apart."""
    identity = f"{catalog.name}\n{catalog.config.base_uri or ''}"
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Link:
    """A link a page draws: the target relative to the site's root, its text, a note."""

    href: str
    title: str
    note: str = ""


class Views:
    """What the pages show of the catalog, drawn once and shared by every page.

    Lists and requirement trees are joined here from list items the ``parts.html``
    macros draw (and escape); an item that many pages list (a credential unlocked by
    many, an outcome many lead to) is drawn once. A 10,000-credential catalog lists
    about 230,000 items: a template loop over them took 4 s of the build, this 1 s.
    """

    def __init__(self, sem: Semantics, env: Environment) -> None:
        self.sem = sem
        self.catalog = sem.catalog
        parts = env.get_template("parts.html").make_module({})
        self._item = parts.item  # type: ignore[attr-defined]
        self._broken = str(parts.broken())  # type: ignore[attr-defined]
        self._more = parts.more  # type: ignore[attr-defined]
        self._mores: dict[tuple[str, int], str] = {}
        self._links: dict[tuple[str, str, str], str] = {}
        self._credentials: dict[tuple[str, str, str], str] = {}

    def item(self, link: Link, root: str) -> str:
        """The link as a list item, drawn once per link and root."""
        key = (link.href, link.note, root)
        drawn = self._links.get(key)
        if drawn is None:
            drawn = self._links[key] = str(self._item(link, root))
        return drawn

    def credential_item(self, credential_id: str, note: str, root: str) -> str:
        key = (credential_id, note, root)  # the hot path: no Link made when drawn before
        drawn = self._credentials.get(key)
        if drawn is None:
            drawn = self.item(self.credential_link(credential_id, note), root)
            self._credentials[key] = drawn
        return drawn

    def competency_item(self, competency_id: str, level: int, root: str) -> str:
        return self.item(self.competency_link(competency_id, level), root)

    def more(self, section: str, count: int) -> str:
        """The list item "and N more" linking to the section of the page that lists all."""
        key = (section, count)
        drawn = self._mores.get(key)
        if drawn is None:
            drawn = self._mores[key] = str(self._more(section, count))
        return drawn

    def credential_link(self, credential_id: str, note: str = "") -> Link:
        entry = self.catalog.credentials.get(credential_id)
        title = entry.model.title if entry is not None else credential_id
        return Link(f"credentials/{credential_id}.html", title, note)

    def competency_link(self, competency_id: str, level: int) -> Link:
        entry = self.catalog.competencies.get(competency_id)
        title = entry.model.title if entry is not None else competency_id
        note = level_name(self.catalog, competency_id, level)
        return Link(f"competencies.html#{competency_id}", title, note)

    def requirement(self, requirement: Requirement, root: str) -> Markup:
        """The requirement as nested lists a reader can follow ("all of:", "one of:",
        "2 of:" over their parts); empty for a requirement of nothing."""
        from markupsafe import Markup

        if isinstance(requirement, All) and not requirement.items:
            return Markup()
        return Markup(f'<ul class="tree">\n{self._node(requirement, root)}</ul>\n')

    def _node(self, requirement: Requirement, root: str) -> str:
        if isinstance(requirement, Ref):
            if requirement.kind == "credential":
                leaf = self.credential_item(requirement.target, "credential", root)
            else:
                leaf = self.competency_item(requirement.target, requirement.number, root)
            return leaf + "\n"
        if isinstance(requirement, All) and len(requirement.items) == 1:
            return self._node(requirement.items[0], root)
        if isinstance(requirement, All | AnyOf | Choose):
            label = {All: "all of:", AnyOf: "one of:"}.get(type(requirement), "")
            if isinstance(requirement, Choose):
                label = f"{requirement.n} of:"
            parts = "".join(self._node(item, root) for item in requirement.items)
            return f"<li>{label}<ul>{parts}</ul></li>\n"
        return self._broken + "\n"


def listing(items: Iterable[str]) -> Markup:
    """List items (each drawn by a ``parts.html`` macro) as one list; empty for none."""
    from markupsafe import Markup

    drawn = "\n".join(items)
    return Markup(f"<ul>\n{drawn}\n</ul>\n") if drawn else Markup()


DrawDiagrams = Callable[[list[str]], Callable[[], dict[str, bytes]]]
"""Given the outcome ids, starts laying out their diagrams (SVG, keyed by the site's path
``diagrams/outcome-<id>.svg``) and returns what waits for them: the pages are drawn
meanwhile."""

AROUND = 5
"""Credentials or outcomes a step of the "where it sits" figure names before "and N more"."""

CHUNK = 250
"""Credential pages drawn per job: enough to make handing out the job worth it. A catalog
of at most this many credentials is drawn in this process: starting workers would cost
more than they save."""


@dataclass(frozen=True)
class Around:
    """A credential page's small diagram: what it asks for first, itself, the credentials it
    opens, the outcomes it leads toward. At most ``AROUND`` of each, whatever the
    catalog's size; the page's lists below give them all."""

    before: Markup
    after: Markup
    toward: Markup


@dataclass(frozen=True)
class SiteFiles:
    """The site's files as they are drawn: (path relative to the site, bytes, or the
    digest of a file a worker wrote into the staging folder)."""

    pages: int
    count: int
    files: Iterator[tuple[str, bytes | Written]]


class Pages:
    """Draws the site's pages. Made before the credential pages are shared out to forked
    workers (credpath.forked), which inherit it with the catalog; nothing it caches
    changes a page."""

    def __init__(self, context: Context, *, with_diagrams: bool) -> None:
        self.with_diagrams = with_diagrams
        self.sem = context.semantics
        self.catalog = context.catalog
        self.env = _environment()
        self.views = Views(self.sem, self.env)
        self.outcomes = sorted(self.catalog.outcomes)
        self.credentials = sorted(self.catalog.credentials)
        self.common = {"site_name": self.catalog.name, "site_key": site_key(self.catalog)}
        self.outcome_links = {
            o: Link(f"outcomes/{o}.html", self.catalog.outcomes[o].model.title)
            for o in self.outcomes
        }
        self._leads: dict[tuple[str, ...], tuple[Markup, Markup]] = {}
        """Per set of outcomes, the page's list of them and the figure's step."""

    def page(self, path: str, template: str, **values: Any) -> tuple[str, bytes]:
        root = "../" * path.count("/")
        html = self.env.get_template(template).render(**self.common, root=root, **values)
        return path, html.encode("utf-8")

    def write(self, folder: Path, job: Job) -> list[tuple[str, Written]]:
        """Draw the files of one job and write them into the staging ``folder`` (in the
        worker that drew them: only their names and digests go back)."""
        return [(name, write_into(folder, name, data)) for name, data in self.draw(job)]

    def draw(self, job: Job) -> list[tuple[str, bytes]]:
        """The files of one job, (path, bytes) each."""
        if job.kind == "credentials":
            return [self.credential(c) for c in job.ids]
        if job.kind == "outcomes":
            return [self.outcome(o) for o in job.ids]
        if job.kind == "data":
            from credpath.site.data import catalog_data, to_json

            data = to_json(catalog_data(self.sem))
            return [("assets/data.js", f"window.credpathData = {data};\n".encode("ascii"))]
        views = self.views  # the lists: home, credentials and competencies
        home = [self.catalog.outcomes[o] for o in self.outcomes]
        return [
            self.page("index.html", "index.html", outcomes=home),
            self.page(
                "credentials.html",
                "credentials.html",
                groups=_stages(views, self.credentials),
                outcomes=len(self.outcomes),
            ),
            self.page("competencies.html", "competencies.html", competencies=_competencies(views)),
        ]

    def outcome(self, outcome_id: str) -> tuple[str, bytes]:
        catalog = self.catalog
        outcome = catalog.outcomes[outcome_id]
        return self.page(
            f"outcomes/{outcome_id}.html",
            "outcome.html",
            outcome=outcome,
            requires=self.views.requirement(outcome.requires, "../"),
            diagram=f"diagrams/outcome-{outcome_id}.svg" if self.with_diagrams else None,
            curated=[
                p.model.title
                for _, p in sorted(catalog.pathways.items())
                if p.outcome == outcome_id
            ],
        )

    def credential(self, credential_id: str) -> tuple[str, bytes]:
        from credpath.render.model import workload_text

        views = self.views
        credential = self.catalog.credentials[credential_id]
        toward = tuple(self.sem.outcomes_of.get(credential_id, ()))
        leads = self._leads.get(toward)
        if leads is None:  # many credentials lead to the same outcomes: drawn once
            links = self.outcome_links
            items = [views.item(links[o], "../") for o in toward]
            leads = self._leads[toward] = (listing(items), _first(views, items, "#leads"))
        opened = sorted(self.sem.unlocks.get(credential_id, {}).items())
        return self.page(
            f"credentials/{credential_id}.html",
            "credential.html",
            credential=credential,
            model=credential.model,
            workload=workload_text(credential),
            grants=listing(
                views.competency_item(g.target, g.number, "../") for g in credential.grants
            ),
            requires=views.requirement(credential.requires, "../"),
            unlocks=listing(_unlocks(views, opened)),
            leads=leads[0],
            around=self.around(credential, [c for c, _ in opened], leads[1]),
        )

    def around(self, credential: CredentialDef, opened: list[str], toward: Markup) -> Around:
        """The "where it sits" figure; ``opened``: the credentials it unlocks, by id;
        ``toward``: its step of outcomes, drawn."""
        views = self.views
        before: dict[tuple[str, str, int], str] = {}
        for ref in refs(credential.requires):
            if ref.kind == "credential":
                key = ("credential", ref.target, 0)
                if key not in before:
                    before[key] = views.credential_item(ref.target, "", "../")
            elif ref.kind == "competency":
                key = ("competency", ref.target, ref.number)
                if key not in before:
                    before[key] = views.competency_item(ref.target, ref.number, "../")
        return Around(
            _first(views, list(before.values()), "#requires-heading"),
            _first(
                views,
                [views.credential_item(c, "", "../") for c in opened[:AROUND]],
                "#unlocks-heading",
                len(opened),
            ),
            toward,
        )


@dataclass(frozen=True)
class Job:
    """Some of the site's files for one worker to draw: ``kind`` names them (the home
    page and the catalog's lists, the data, outcome or credential pages), ``ids`` the
    outcomes or credentials."""

    kind: Literal["lists", "data", "outcomes", "credentials"]
    ids: tuple[str, ...] = ()


def build(context: Context, draw_diagrams: DrawDiagrams | None, folder: Path) -> SiteFiles:
    """Every file of the site, written into the staging ``folder`` as they are drawn.
    ``draw_diagrams`` is None when Graphviz is missing (the outcome pages then say so).

    The pages are shared out to forked workers first (before any thread starts), then
    Graphviz lays out the outcome diagrams. Each worker writes the pages it draws, so
    that this process, which writes the assets and the diagrams, only hands on their
    names and digests.
    """
    from functools import partial

    from credpath.forked import forked_map

    context.semantics.outcomes_of  # noqa: B018 - computed once, before the workers fork
    context.semantics.unlocks  # noqa: B018
    pages = Pages(context, with_diagrams=draw_diagrams is not None)
    outcomes, ids = pages.outcomes, pages.credentials
    jobs = [Job("lists"), Job("data"), Job("outcomes", tuple(outcomes))]
    jobs += [Job("credentials", tuple(ids[i : i + CHUNK])) for i in range(0, len(ids), CHUNK)]
    write = partial(pages.write, folder)
    drawn = forked_map(write, jobs) if len(ids) > CHUNK else map(write, jobs)
    diagrams = draw_diagrams(outcomes) if draw_diagrams is not None else dict
    count = 1 + len(outcomes) + len(ids) + 2  # home, outcomes, credentials, the lists
    pictures = len(outcomes) if draw_diagrams is not None else 0
    return SiteFiles(count, count + len(ASSETS) + 1 + pictures, _files(drawn, diagrams))


def _files(
    drawn: Iterator[list[tuple[str, Written]]], diagrams: Callable[[], dict[str, bytes]]
) -> Iterator[tuple[str, bytes | Written]]:
    try:
        assets = resources.files("credpath.site").joinpath("assets")
        for name in ASSETS:
            yield f"assets/{name}", assets.joinpath(name).read_bytes()
        for files in drawn:
            yield from files
        yield from diagrams().items()
    finally:
        close_source(drawn)  # closed early: the workers stop before their folder goes


def _status_note(credential: CredentialDef) -> str:
    status = f" · {credential.status}" if credential.status != "active" else ""
    return f"{credential.model.type}{status}"


def _first(views: Views, items: list[str], section: str, total: int | None = None) -> Markup:
    """The first ``AROUND`` items as a list, then "and N more" linking to the page's
    section that lists them all."""
    total = len(items) if total is None else total
    shown = items[:AROUND]
    if total > len(shown):
        shown.append(views.more(section, total - len(shown)))
    return listing(shown)


def _unlocks(views: Views, opened: list[tuple[str, Ref]]) -> list[str]:
    """The credentials a credential unlocks (Semantics.unlocks, by id), with how, as list
    items."""
    item = views.credential_item
    return [
        item(cid, "requires it" if ref.kind == "credential" else f"asks for {ref.text}", "../")
        for cid, ref in opened
    ]


@dataclass(frozen=True)
class Group:
    """Credentials of the catalog page that sit together: a stage, or those no learner
    can earn, or the retired ones."""

    anchor: str
    title: str
    count: int
    items: Markup


def _stages(views: Views, credentials: list[str]) -> list[Group]:
    """The catalog by stage, as the map draws it (``Semantics.rounds``: stage 1 needs
    nothing earned first, stage 2 something from stage 1, ...), then the credentials no
    learner can earn, then the retired ones; each by id."""
    sem = views.sem
    catalog = views.catalog
    rounds = sem.rounds
    grouped: dict[tuple[int, str, str], list[str]] = {}
    last = max(rounds.values(), default=0)
    for credential_id in credentials:
        credential = catalog.credentials[credential_id]
        if credential_id in rounds:
            stage = rounds[credential_id]
            key = (stage, f"stage-{stage}", f"Stage {stage}")
        elif sem.usable(credential):
            key = (last + 1, "not-reachable", "No learner can earn these yet")
        else:
            key = (last + 2, "retired", "Retired or not offered")
        grouped.setdefault(key, []).append(credential_id)
    return [
        Group(
            anchor,
            title,
            len(members),
            listing(
                views.credential_item(c, _status_note(catalog.credentials[c]), "") for c in members
            ),
        )
        for (_, anchor, title), members in sorted(grouped.items())
    ]


@dataclass(frozen=True)
class CompetencyView:
    id: str
    title: str
    description: str
    granted_by: Markup


def _competencies(views: Views) -> list[CompetencyView]:
    """Each competency, and the usable credentials that certify it, by level."""
    catalog = views.catalog
    return [
        CompetencyView(
            cid,
            competency.model.title,
            competency.model.description or "",
            listing(
                views.credential_item(credential_id, level_name(catalog, cid, level), "")
                for level, credential_id in sorted(
                    (level, c.id) for level, c in views.sem.granted_by(cid)
                )
            ),
        )
        for cid, competency in sorted(catalog.competencies.items())
    ]


def level_name(catalog: Catalog, competency: str, level: int) -> str:
    """``level 2 (Intermediate)``; nothing for a competency with a single level."""
    definition = catalog.competencies.get(competency)
    names = definition.levels if definition is not None else ()
    if len(names) < 2:
        return ""
    return f"level {level} ({names[level - 1]})" if 1 <= level <= len(names) else f"level {level}"
