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
    from credpath.resolve import Catalog
    from credpath.semantics import Semantics

ASSETS = ("credpath.js", "site.css")


@dataclass(frozen=True)
class Unlock:
    """A credential that a credential opens or helps open, and how."""

    id: str
    title: str
    how: str


def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("credpath.site", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["hours"] = hours_text
    env.filters["requirement_kind"] = requirement_kind
    return env


def requirement_kind(requirement: Requirement) -> str:
    """ref, all, any, choose or invalid: which part of a requirement a template draws."""
    from credpath.requirements import All, AnyOf, Choose, Ref

    kinds = ((Ref, "ref"), (All, "all"), (AnyOf, "any"), (Choose, "choose"))
    return next((name for cls, name in kinds if isinstance(requirement, cls)), "invalid")


def hours_text(value: float) -> str:
    return f"{value:g} h"


def site_key(catalog: Catalog) -> str:
    """Names the learner's stored progress, so two sites on one host keep theirs apart."""
    identity = f"{catalog.name}\n{catalog.config.base_uri or ''}"
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:12]


def build(
    context: Context,
    draw_diagrams: Callable[[list[str]], dict[str, bytes]] | None,
) -> dict[str, bytes]:
    """Every file of the site. ``draw_diagrams`` lays out the outcome diagrams (SVG) given
    the outcome ids, or is None when Graphviz is missing (the pages then say so)."""
    from credpath.render.model import workload_text
    from credpath.site.data import catalog_data, to_json

    sem = context.semantics
    catalog = context.catalog
    env = _environment()
    outcomes = sorted(catalog.outcomes)
    credentials = sorted(catalog.credentials)
    diagrams = draw_diagrams(outcomes) if draw_diagrams is not None else {}
    search = _search_index(catalog)
    common = {
        "site_name": catalog.name,
        "site_key": site_key(catalog),
        "catalog": catalog,
        "sem": sem,
        "level_name": lambda competency, level: level_name(catalog, competency, level),
    }
    files: dict[str, bytes] = {}

    def page(path: str, template: str, **values: Any) -> None:
        root = "../" * path.count("/")
        html = env.get_template(template).render(**common, root=root, **values)
        files[path] = html.encode("utf-8")

    page("index.html", "index.html", outcomes=[catalog.outcomes[o] for o in outcomes])
    unlocks = _unlocks(sem)
    for outcome_id in outcomes:
        diagram = f"diagrams/outcome-{outcome_id}.svg"
        page(
            f"outcomes/{outcome_id}.html",
            "outcome.html",
            outcome=catalog.outcomes[outcome_id],
            diagram=diagram if diagram in diagrams else None,
            curated=[
                p for p in sorted(catalog.pathways) if catalog.pathways[p].outcome == outcome_id
            ],
        )
    for credential_id in credentials:
        page(
            f"credentials/{credential_id}.html",
            "credential.html",
            credential=catalog.credentials[credential_id],
            workload=workload_text(catalog.credentials[credential_id]),
            unlocks=unlocks.get(credential_id, []),
            outcomes_of=sem.outcomes_of.get(credential_id, []),
        )
    page("credentials.html", "credentials.html", credentials=credentials)
    page("competencies.html", "competencies.html", granters=_granters(sem))
    files.update(diagrams)
    for name in ASSETS:
        files[f"assets/{name}"] = (
            resources.files("credpath.site").joinpath("assets", name).read_bytes()
        )
    data = to_json(catalog_data(sem, search))
    files["assets/data.js"] = f"window.credpathData = {data};\n".encode("ascii")
    return dict(sorted(files.items()))


def _search_index(catalog: Catalog) -> list[list[str]]:
    """[kind, id, title, page] for the home page's search box."""
    found = [
        ["outcome", o.id, o.model.title, f"outcomes/{o.id}.html"]
        for o in sorted(catalog.outcomes.values(), key=lambda o: o.id)
    ]
    found += [
        ["credential", c.id, c.model.title, f"credentials/{c.id}.html"]
        for c in sorted(catalog.credentials.values(), key=lambda c: c.id)
    ]
    found += [
        ["competency", c.id, c.model.title, f"competencies.html#{c.id}"]
        for c in sorted(catalog.competencies.values(), key=lambda c: c.id)
    ]
    return found


def _unlocks(sem: Semantics) -> dict[str, list[Unlock]]:
    """Per credential, the usable credentials whose requirements it serves (names it, or
    asks for a level it grants), sorted by id."""
    from credpath.requirements import refs

    found: dict[str, dict[str, Unlock]] = {}
    for credential in sorted(sem.active, key=lambda c: c.id):
        for ref in refs(credential.requires):
            how = "requires it" if ref.kind == "credential" else f"asks for {ref.text}"
            for server in sem.servers(ref):
                if server.id == credential.id:
                    continue
                entries = found.setdefault(server.id, {})
                if credential.id not in entries:
                    entries[credential.id] = Unlock(credential.id, credential.model.title, how)
    return {cid: sorted(entries.values(), key=lambda u: u.id) for cid, entries in found.items()}


def _granters(sem: Semantics) -> dict[str, list[tuple[int, str]]]:
    """Per competency, (level, credential id) of the usable credentials granting it."""
    table: dict[str, list[tuple[int, str]]] = {}
    for credential in sem.active:
        for grant in credential.grants:
            table.setdefault(grant.target, []).append((grant.number, credential.id))
    return {k: sorted(v) for k, v in table.items()}


def level_name(catalog: Catalog, competency: str, level: int) -> str:
    """``level 2 (Intermediate)``, or ``level 2`` when the levels have no names."""
    definition = catalog.competencies.get(competency)
    names: Iterable[str] = definition.levels if definition is not None else ()
    named = list(names)
    if len(named) >= level >= 1 and len(named) > 1:
        return f"level {level} ({named[level - 1]})"
    return f"level {level}" if len(named) > 1 else ""
