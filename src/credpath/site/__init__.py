"""``credpath site``: the static learner site, built in memory as {relative path: bytes}.

Pages are jinja2 templates with autoescaping on, so every text from YAML is escaped.
What depends on the learner (next doors, plans, progress) is filled in the browser
by ``assets/credpath.js`` from ``assets/data.js`` (site/data.py); what does not
(descriptions, requirements, what a credential unlocks) is written into the page.
The same catalog gives byte-identical files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment

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


@dataclass(frozen=True)
class Tree:
    """A requirement as a reader follows it: a label ("all of:", "one of:", "2 of:") over
    parts, or one link; ``broken`` for a part credpath could not read."""

    label: str = ""
    items: tuple[Tree, ...] = ()
    link: Link | None = None
    broken: bool = False


class Views:
    """What the pages show of the catalog, computed once and shared by every page."""

    def __init__(self, sem: Semantics, env: Environment) -> None:
        self.sem = sem
        self.catalog = sem.catalog
        self._refs: dict[tuple[str, str, int], Tree] = {}
        self._item = env.get_template("item.html").make_module({}).item  # type: ignore[attr-defined]
        self._items: dict[tuple[Link, str], str] = {}
        self._links: dict[tuple[str, str], Link] = {}

    def items(self, links: Iterable[Link], root: str) -> list[str]:
        """Each link as list-item HTML (escaped by the template); a link that many pages
        list (an outcome, a credential unlocked by many) is drawn once."""
        found = []
        for link in links:
            key = (link, root)
            if key not in self._items:
                self._items[key] = self._item(link, root)
            found.append(self._items[key])
        return found

    def credential_link(self, credential_id: str, note: str = "") -> Link:
        key = (credential_id, note)
        if key not in self._links:  # a credential unlocked by many is linked as often
            entry = self.catalog.credentials.get(credential_id)
            title = entry.model.title if entry is not None else credential_id
            self._links[key] = Link(f"credentials/{credential_id}.html", title, note)
        return self._links[key]

    def competency_link(self, competency_id: str, level: int) -> Link:
        entry = self.catalog.competencies.get(competency_id)
        title = entry.model.title if entry is not None else competency_id
        note = level_name(self.catalog, competency_id, level)
        return Link(f"competencies.html#{competency_id}", title, note)

    def requirement(self, requirement: Requirement) -> Tree:
        from credpath.requirements import All, AnyOf, Choose, Ref

        if isinstance(requirement, Ref):
            key = (requirement.kind, requirement.target, requirement.number)
            if key not in self._refs:
                link = (
                    self.credential_link(requirement.target, "credential")
                    if requirement.kind == "credential"
                    else self.competency_link(requirement.target, requirement.number)
                )
                self._refs[key] = Tree(link=link)
            return self._refs[key]
        if isinstance(requirement, All) and len(requirement.items) == 1:
            return self.requirement(requirement.items[0])
        if isinstance(requirement, All | AnyOf | Choose):
            label = {All: "all of:", AnyOf: "one of:"}.get(type(requirement), "")
            if isinstance(requirement, Choose):
                label = f"{requirement.n} of:"
            return Tree(label, tuple(self.requirement(item) for item in requirement.items))
        return Tree(broken=True)

    def grants(self, credential: CredentialDef) -> list[Link]:
        return [self.competency_link(g.target, g.number) for g in credential.grants]


def build(
    context: Context,
    draw_diagrams: Callable[[list[str]], dict[str, bytes]] | None,
    track: Callable[[list[str], str], Iterable[str]] = lambda items, _label: items,
) -> dict[str, bytes]:
    """Every file of the site. ``draw_diagrams`` lays out the outcome diagrams (SVG) given
    the outcome ids, or is None when Graphviz is missing (the pages then say so);
    ``track`` shows the progress of the credential pages."""
    from markupsafe import Markup

    from credpath.render.model import workload_text
    from credpath.site.data import catalog_data, to_json

    sem = context.semantics
    catalog = context.catalog
    env = _environment()
    views = Views(sem, env)
    outcomes = sorted(catalog.outcomes)
    credentials = sorted(catalog.credentials)
    diagrams = draw_diagrams(outcomes) if draw_diagrams is not None else {}
    common = {"site_name": catalog.name, "site_key": site_key(catalog)}
    files: dict[str, bytes] = {}

    def page(path: str, template: str, **values: Any) -> None:
        root = "../" * path.count("/")
        html = env.get_template(template).render(**common, root=root, **values)
        files[path] = html.encode("utf-8")

    page("index.html", "index.html", outcomes=[catalog.outcomes[o] for o in outcomes])
    for outcome_id in outcomes:
        outcome = catalog.outcomes[outcome_id]
        diagram = f"diagrams/outcome-{outcome_id}.svg"
        page(
            f"outcomes/{outcome_id}.html",
            "outcome.html",
            outcome=outcome,
            requires=views.requirement(outcome.requires),
            diagram=diagram if diagram in diagrams else None,
            curated=[
                p.model.title
                for _, p in sorted(catalog.pathways.items())
                if p.outcome == outcome_id
            ],
        )
    unlocks = _unlocks(views)
    outcome_links = {
        o: Link(f"outcomes/{o}.html", catalog.outcomes[o].model.title) for o in outcomes
    }
    links = env.get_template("links.html")
    leads: dict[tuple[str, ...], Markup] = {}
    for credential_id in track(credentials, "Writing credential pages"):
        credential = catalog.credentials[credential_id]
        toward = tuple(sem.outcomes_of.get(credential_id, ()))
        if toward not in leads:  # many credentials lead to the same outcomes: drawn once
            drawn = views.items((outcome_links[o] for o in toward), "../")
            leads[toward] = Markup(links.render(links=drawn)) if toward else Markup()
        page(
            f"credentials/{credential_id}.html",
            "credential.html",
            credential=credential,
            model=credential.model,
            workload=workload_text(credential),
            grants=views.items(views.grants(credential), "../"),
            requires=views.requirement(credential.requires),
            unlocks=views.items(unlocks.get(credential_id, ()), "../"),
            leads=leads[toward],
        )
    listing = [views.credential_link(c, _status_note(catalog.credentials[c])) for c in credentials]
    page("credentials.html", "credentials.html", credentials=views.items(listing, ""))
    competencies = _competencies(views)
    page("competencies.html", "competencies.html", competencies=competencies)
    files.update(diagrams)
    assets = resources.files("credpath.site").joinpath("assets")
    for name in ASSETS:
        files[f"assets/{name}"] = assets.joinpath(name).read_bytes()
    data = to_json(catalog_data(sem))
    files["assets/data.js"] = f"window.credpathData = {data};\n".encode("ascii")
    return dict(sorted(files.items()))


def _status_note(credential: CredentialDef) -> str:
    status = f" · {credential.status}" if credential.status != "active" else ""
    return f"{credential.model.type}{status}"


def _unlocks(views: Views) -> dict[str, list[Link]]:
    """Per credential, the credentials it unlocks (Semantics.unlocks), sorted by id, with how."""
    return {
        server: [
            views.credential_link(
                cid, "requires it" if ref.kind == "credential" else f"asks for {ref.text}"
            )
            for cid, ref in sorted(entries.items())
        ]
        for server, entries in views.sem.unlocks.items()
    }


@dataclass(frozen=True)
class CompetencyView:
    id: str
    title: str
    description: str
    granted_by: list[str]


def _competencies(views: Views) -> list[CompetencyView]:
    """Each competency, and the usable credentials that certify it, by level."""
    catalog = views.catalog
    return [
        CompetencyView(
            cid,
            competency.model.title,
            competency.model.description or "",
            views.items(
                (
                    views.credential_link(credential_id, level_name(catalog, cid, level))
                    for level, credential_id in sorted(
                        (level, c.id) for level, c in views.sem.granted_by(cid)
                    )
                ),
                "",
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
