"""``credpath site``: the static learner site, built in memory as {relative path: bytes}.

Pages are jinja2 templates with autoescaping on, so every text from YAML is escaped.
What depends on the learner (next doors, plans, progress, the colours of the pathway
map) is filled in the browser by ``assets/credpath.js`` and ``assets/learner.js`` from
``assets/data.js`` (site/data.py); what does not (descriptions, requirements, what a
credential unlocks) is written into the page. A page stays small at any catalog size: a
long list shows its first ``SHOWN`` entries, the most relevant first, then "and N more",
which the browser lists in full (filtered, a page at a time) from the data it already
has. The same catalog gives byte-identical files.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

from credpath.base.output import Written, close_source, write_into
from credpath.compiler.requirements import All, AnyOf, Choose, Ref, refs
from credpath.publish.site.data import PER_PAGE

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from jinja2 import Environment
    from markupsafe import Markup

    from credpath.checks.context import Context
    from credpath.compiler.requirements import Requirement
    from credpath.compiler.resolve import Catalog, CredentialDef
    from credpath.compiler.semantics import Semantics
    from credpath.publish.site.drift import WentNext

ASSETS = ("credpath.js", "learner.js", "site.css")

SHOWN = 20
"""Entries of a long list (what a credential unlocks, the outcomes it leads to, a stage of
the catalog) written into a page; the browser lists the rest."""
GRANTERS = 5
"""Credentials certifying a competency written into the competencies page."""
STAGES_SHOWN = 400
"""Credentials the catalog page writes at most, shared out among its stages."""
OUTCOMES_PER_JOB = 20
"""Outcome pages (and their diagrams) drawn per job."""


def _environment() -> Environment:
    from credpath.base.templates import environment

    return environment("credpath.publish.site")


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


_SUBJECT = "\x00subject\x00"
"""Stands for the subject of an "and N more" button while it is drawn once per count."""


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
        self._rest = parts.rest  # type: ignore[attr-defined]
        self._mores: dict[tuple[str, int], str] = {}
        self._rests: dict[tuple[str, int, int], tuple[str, str]] = {}
        self._groupings: dict[tuple[tuple[int, int], ...], list[Grouping]] = {}
        competencies = sorted(self.catalog.competencies)
        self.competency_page = {
            c: competency_page_name(i // PER_PAGE + 1) for i, c in enumerate(competencies)
        }
        """Per competency, the page of the competencies list that describes it."""
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

    def rest(self, kind: str, subject: str, shown: int, total: int) -> str:
        """The list item ending a long list: "and N more", a button the browser answers
        with the whole list (``kind`` and ``subject`` say which, for learner.js)."""
        from markupsafe import escape

        key = (kind, shown, total)
        halves = self._rests.get(key)
        if halves is None:  # drawn once per count, the subject escaped into its place
            before, _, after = str(self._rest(kind, _SUBJECT, total - shown, total)).partition(
                _SUBJECT
            )
            halves = self._rests[key] = (before, after)
        return f"{halves[0]}{escape(subject)}{halves[1]}"

    @cached_property
    def outcome_sets(self) -> tuple[dict[str, int], list[frozenset[str]]]:
        """Per credential, the number of the set of outcomes it leads to (0: none), and
        those sets. Many credentials lead to the same outcomes, so a page counts what it
        unlocks per set, not per (credential, outcome)."""
        numbers: dict[tuple[str, ...], int] = {(): 0}
        known: dict[int, int] = {}  # outcomes_of shares one list among equal sets
        of: dict[str, int] = {}
        for credential_id, outcomes in self.sem.outcomes_of.items():
            number = known.get(id(outcomes))
            if number is None:
                number = known[id(outcomes)] = numbers.setdefault(tuple(outcomes), len(numbers))
            of[credential_id] = number
        return of, [frozenset(outcomes) for outcomes in numbers]

    def groupings(self, counted: tuple[tuple[int, int], ...]) -> list[Grouping]:
        """The groups of "What it unlocks" for what a page unlocks, counted per set of
        outcomes (``outcome_sets``: (number, how many)): the ``UNLOCK_GROUPS`` outcomes
        most lead to first (then by id), none ("") last, those whose credentials are the
        same as one group (where the first of them stands); worked out once per count."""
        found = self._groupings.get(counted)
        if found is None:
            sets = self.outcome_sets[1]
            counts: dict[str, int] = {}
            for number, how_many in counted:
                for outcome in sets[number] or ("",):
                    counts[outcome] = counts.get(outcome, 0) + how_many
            order = sorted(counts, key=lambda o: (o == "", -counts[o], o))[:UNLOCK_GROUPS]
            merged: dict[frozenset[int], list[str]] = {}  # the same credentials: one group
            for outcome in order:
                members = frozenset(
                    n for n, _ in counted if (outcome in sets[n] if outcome else not sets[n])
                )
                merged.setdefault(members, []).append(outcome)
            found = self._groupings[counted] = [
                Grouping(tuple(named), counts[named[0]], members)
                for members, named in merged.items()
            ]
        return found

    def credential_link(self, credential_id: str, note: str = "") -> Link:
        entry = self.catalog.credentials.get(credential_id)
        title = entry.model.title if entry is not None else credential_id
        return Link(f"credentials/{credential_id}.html", title, note)

    def competency_link(self, competency_id: str, level: int) -> Link:
        entry = self.catalog.competencies.get(competency_id)
        title = entry.model.title if entry is not None else competency_id
        note = level_name(self.catalog, competency_id, level)
        page = self.competency_page.get(competency_id, "competencies.html")
        return Link(f"{page}#{competency_id}", title, note)

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
            if isinstance(requirement, Choose):
                label = f"{requirement.n} of:"
            else:
                label = "all of:" if isinstance(requirement, All) else "one of:"
            parts = "".join(self._node(item, root) for item in requirement.items)
            return f"<li>{label}<ul>{parts}</ul></li>\n"
        return self._broken + "\n"


def listing(items: Iterable[str]) -> Markup:
    """List items (each drawn by a ``parts.html`` macro) as one list; empty for none."""
    from markupsafe import Markup

    drawn = "\n".join(items)
    return Markup(f"<ul>\n{drawn}\n</ul>\n") if drawn else Markup()


def capped(
    views: Views,
    items: list[str],
    kind: str,
    subject: str,
    total: int | None = None,
    limit: int = SHOWN,
) -> Markup:
    """The first ``limit`` of ``items`` (of ``total``, all by default) as a list, then the
    "and N more" item with which the browser lists them all."""
    total = len(items) if total is None else total
    shown = items[:limit]
    if total > len(shown):
        shown.append(views.rest(kind, subject, len(shown), total))
    return listing(shown)


def competency_page_name(number: int) -> str:
    return "competencies.html" if number == 1 else f"competencies-{number}.html"


AROUND = 5
"""Credentials or outcomes a step of the "where it sits" figure names before "and N more"."""

CHUNK = 250
"""Credential pages drawn per job: enough to make handing out the job worth it. A catalog
of at most this many credentials is drawn in this process: starting workers would cost
more than they save."""


_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)
"""Where each SVG document starts in what one ``dot`` run over several graphs writes."""


def _inline(svg: bytes) -> Markup | None:
    """An SVG document as an element of an HTML page: from ``<svg``, without comments;
    None for no drawing."""
    from markupsafe import Markup

    text = svg.decode("utf-8")
    start = text.find("<svg")
    return Markup(_COMMENT.sub("", text[start:])) if start >= 0 else None


@dataclass(frozen=True)
class Diagram:
    """An outcome page's pathway map: the SVG (None when Graphviz failed on it), and the
    pathway credentials it leaves out of how many (``render.views.site_pathway``)."""

    svg: Markup | None
    left_out: int
    total: int


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
    workers (credpath.base.forked), which inherit it with the catalog; nothing it caches
    changes a page."""

    def __init__(
        self,
        context: Context,
        *,
        with_diagrams: bool,
        went_next: Mapping[str, WentNext] | None = None,
    ) -> None:
        self.with_diagrams = with_diagrams
        self.went_next = went_next or {}
        """Per credential, where its earners went next (``--drift``); empty without it."""
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
        self._leads: dict[tuple[str, ...], tuple[list[str], Markup]] = {}
        """Per set of outcomes, the page's items of them and the figure's step."""

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
            maps = self.diagrams(job.ids) if self.with_diagrams else {}
            return [self.outcome(o, maps.get(o)) for o in job.ids]
        if job.kind == "data":
            from credpath.publish.site.data import catalog_data, to_json

            data = to_json(catalog_data(self.sem))
            return [("assets/data.js", f"window.credpathData = {data};\n".encode("ascii"))]
        views = self.views  # the lists: home, credentials and competencies
        home = [self.catalog.outcomes[o] for o in self.outcomes]
        competencies = _competencies(views)
        pages = [competencies[i : i + PER_PAGE] for i in range(0, len(competencies), PER_PAGE)]
        return [
            self.page("index.html", "index.html", outcomes=home),
            self.your_pathway(),
            self.page(
                "credentials.html",
                "credentials.html",
                groups=_stages(views, self.credentials),
                outcomes=len(self.outcomes),
            ),
            *(
                self.page(
                    competency_page_name(number),
                    "competencies.html",
                    competencies=members,
                    number=number,
                    pages=[competency_page_name(k) for k in range(1, len(pages) + 1)],
                    total=len(competencies),
                    first=(number - 1) * PER_PAGE + 1,
                )
                for number, members in enumerate(pages or [[]], 1)
            ),
        ]

    def outcome(self, outcome_id: str, diagram: Diagram | None = None) -> tuple[str, bytes]:
        catalog = self.catalog
        outcome = catalog.outcomes[outcome_id]
        return self.page(
            f"outcomes/{outcome_id}.html",
            "outcome.html",
            outcome=outcome,
            requires=self.views.requirement(outcome.requires, "../"),
            diagram=diagram,
            curated=[
                p.model.title
                for _, p in sorted(catalog.pathways.items())
                if p.outcome == outcome_id
            ],
        )

    def diagrams(self, outcomes: tuple[str, ...]) -> dict[str, Diagram]:
        """The outcomes' pathway maps, laid out by Graphviz here (in the worker that draws
        their pages: the diagrams are drawn on every core) and written into the pages,
        where the learner's script colours them. Each is laid out by its own ``dot`` run:
        one run over several graphs is faster (a run spends more starting than laying out
        one of these), but Graphviz then lays out the same graphs differently from run to
        run, and the site must be the same bytes every time. One that fails leaves the
        others drawn."""
        from credpath.publish.render import LayoutFailed, export
        from credpath.publish.render.views import site_pathway

        drawn = [site_pathway(self.sem, o) for o in outcomes]
        svgs = []
        for one in drawn:
            try:
                svgs.append(export(one.diagram, "svg"))
            except LayoutFailed:
                svgs.append(b"")
        return {
            outcome_id: Diagram(_inline(svg), one.left_out, one.total)
            for outcome_id, one, svg in zip(outcomes, drawn, svgs, strict=True)
        }

    def credential(self, credential_id: str) -> tuple[str, bytes]:
        from credpath.publish.render.model import workload_text

        views = self.views
        credential = self.catalog.credentials[credential_id]
        toward = tuple(self.sem.outcomes_of.get(credential_id, ()))
        leads = self._leads.get(toward)
        if leads is None:  # many credentials lead to the same outcomes: drawn once
            links = self.outcome_links
            items = [views.item(links[o], "../") for o in toward]
            leads = self._leads[toward] = (items, _first(views, items, "#leads"))
        opened = unlocks_in_order(self.sem, credential_id)
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
            unlocks=unlock_groups(views, credential_id, opened, self.outcome_links),
            leads=capped(views, leads[0], "leads", credential_id),
            around=self.around(credential, [c for c, _ in opened], leads[1]),
            went=self.went(credential_id),
        )

    def your_pathway(self) -> tuple[str, bytes]:
        """The "Your pathway" page: the learner's plan toward each outcome they started,
        drawn in the browser from the data (learner.js); the page is its frame."""
        return self.page("your-pathway.html", "your-pathway.html")

    def went(self, credential_id: str) -> tuple[int, list[tuple[Link, int]]]:
        """Where most learners who earned the credential went next (``--drift``): how many
        went on, and the credentials of this catalog they went to, each with the percent
        of those who went on; nothing without a report or nothing to show."""
        found = self.went_next.get(credential_id)
        if found is None:
            return 0, []
        shares = found.shares(self.catalog.credentials)
        return found.went_on, [(self.views.credential_link(c), share) for c, share in shares]

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


def build(
    context: Context,
    diagrams: bool,
    folder: Path,
    went_next: Mapping[str, WentNext] | None = None,
) -> SiteFiles:
    """Every file of the site, written into the staging ``folder`` as they are drawn.
    ``diagrams`` is False without them (or when Graphviz is missing: the outcome pages
    then say so).

    The pages are shared out to forked workers; each worker lays out the diagrams of the
    outcome pages it draws (Graphviz on every core) and writes its pages, so that this
    process, which writes the assets, only hands on their names and digests.
    ``went_next``: where learners went after each credential (``--drift``), for its page.
    """
    from functools import partial

    from credpath.base.forked import forked_map

    sem = context.semantics
    sem.outcomes_of  # noqa: B018 - computed once, before the workers fork
    sem.unlocks  # noqa: B018
    sem.rounds  # noqa: B018
    pages = Pages(context, with_diagrams=diagrams, went_next=went_next)
    outcomes, ids = pages.outcomes, pages.credentials
    jobs = [Job("lists"), Job("data")]
    jobs += [
        Job("outcomes", tuple(outcomes[i : i + OUTCOMES_PER_JOB]))
        for i in range(0, len(outcomes), OUTCOMES_PER_JOB)
    ]
    jobs += [Job("credentials", tuple(ids[i : i + CHUNK])) for i in range(0, len(ids), CHUNK)]
    write = partial(pages.write, folder)
    shared = len(ids) > CHUNK or (diagrams and len(outcomes) > 2)
    drawn = forked_map(write, jobs) if shared else map(write, jobs)
    lists = 1 + max(1, -(-len(sem.catalog.competencies) // PER_PAGE))
    count = 2 + len(outcomes) + len(ids) + lists  # home, your pathway, outcomes, ...
    return SiteFiles(count, count + len(ASSETS) + 1, _files(drawn))


def _files(drawn: Iterator[list[tuple[str, Written]]]) -> Iterator[tuple[str, bytes | Written]]:
    try:
        assets = resources.files("credpath.publish.site").joinpath("assets")
        for name in ASSETS:
            yield f"assets/{name}", assets.joinpath(name).read_bytes()
        for files in drawn:
            yield from files
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


def unlocks_in_order(sem: Semantics, credential_id: str) -> list[tuple[str, Ref]]:
    """What a credential unlocks (``Semantics.unlocks``), nearest and most relevant first:
    those that name it before those that ask for a level it grants, then those leading to
    more outcomes, then by id.

    Mirrored in learner.js by ``unlocksInOrder``: change both together.
    """
    outcomes_of = sem.outcomes_of
    return sorted(
        sem.unlocks.get(credential_id, {}).items(),
        key=lambda entry: (
            entry[1].kind != "credential",
            -len(outcomes_of.get(entry[0], ())),
            entry[0],
        ),
    )


def _unlocks(views: Views, opened: list[tuple[str, Ref]]) -> list[str]:
    """The credentials a credential unlocks (Semantics.unlocks, by id), with how, as list
    items."""
    item = views.credential_item
    return [
        item(cid, "requires it" if ref.kind == "credential" else f"asks for {ref.text}", "../")
        for cid, ref in opened
    ]


UNLOCK_GROUPS = 4
"""Outcomes the "What it unlocks" list of a credential page is grouped by, at most."""
PER_GROUP = 5
"""Credentials a group of "What it unlocks" shows before "and N more"."""


@dataclass(frozen=True)
class Grouping:
    """A group of "What it unlocks" before it is drawn: its outcomes (("",): none), how
    many it holds, and the sets of outcomes (``Views.outcome_sets``) whose credentials are
    in it."""

    outcomes: tuple[str, ...]
    count: int
    sets: frozenset[int]


@dataclass(frozen=True)
class UnlockGroup:
    """The credentials a credential unlocks that lead to some outcomes (``outcomes``
    empty: to none), the nearest first, the first ``PER_GROUP`` drawn."""

    outcomes: list[Link]
    count: int
    items: Markup


def unlock_groups(
    views: Views, credential_id: str, opened: list[tuple[str, Ref]], outcomes: Mapping[str, Link]
) -> tuple[list[UnlockGroup], Markup]:
    """What a credential unlocks (``unlocks_in_order``), grouped by the outcome each leads
    to: the outcomes most of them lead to first (then by id), those leading to none last;
    in each group the nearest first (those requiring it before those asking for a level it
    grants). An entry leading to several outcomes is in each of their groups; outcomes
    whose groups hold the same credentials share one (on a large catalog most credentials
    lead to the same outcomes: four copies of one list made its pages a third larger).
    The browser lists a group whole ("and N more", learner.js ``unlocks-toward``, by the
    group's first outcome); past ``UNLOCK_GROUPS`` outcomes, or when a group leaves some
    out, a last button lists all."""
    set_of = views.outcome_sets[0]
    numbered = [(set_of.get(entry[0], 0), entry) for entry in opened]
    order = views.groupings(tuple(sorted(Counter(n for n, _ in numbered).items())))
    firsts: list[list[tuple[str, Ref]]] = [[] for _ in order]
    missing = sum(min(group.count, PER_GROUP) for group in order)
    for number, entry in numbered:  # only the first PER_GROUP of each group are drawn
        if not missing:
            break
        for group, first in zip(order, firsts, strict=True):
            if number in group.sets and len(first) < PER_GROUP:
                first.append(entry)
                missing -= 1
    groups = [
        UnlockGroup(
            [outcomes[o] for o in group.outcomes if o in outcomes],
            group.count,
            capped(
                views,
                _unlocks(views, first),
                "unlocks-toward",
                f"{credential_id} {group.outcomes[0]}".rstrip(),
                group.count,
                PER_GROUP,
            ),
        )
        for group, first in zip(order, firsts, strict=True)
    ]
    shown = {c for first in firsts for c, _ in first}
    rest = views.rest("unlocks", credential_id, len(shown), len(opened))
    return groups, listing([rest] if len(shown) < len(opened) else [])


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
    each = max(AROUND, STAGES_SHOWN // max(len(grouped), 1))
    return [
        Group(
            anchor,
            title,
            len(members),
            capped(
                views,
                [
                    views.credential_item(c, _status_note(catalog.credentials[c]), "")
                    for c in members[:each]
                ],
                "stage",
                anchor,
                len(members),
                each,
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
    """Each competency, and the usable credentials that certify it, by level (the first
    ``GRANTERS``, then "and N more")."""
    catalog = views.catalog
    views_of = []
    for cid, competency in sorted(catalog.competencies.items()):
        granters = sorted((level, c.id) for level, c in views.sem.granted_by(cid))
        items = [
            views.credential_item(credential_id, level_name(catalog, cid, level), "")
            for level, credential_id in granters[:GRANTERS]
        ]
        views_of.append(
            CompetencyView(
                cid,
                competency.model.title,
                competency.model.description or "",
                capped(views, items, "granters", cid, len(granters), GRANTERS),
            )
        )
    return views_of


def level_name(catalog: Catalog, competency: str, level: int) -> str:
    """``level 2 (Intermediate)``; nothing for a competency with a single level.

    Mirrored in learner.js by ``levelName``: change both together.
    """
    definition = catalog.competencies.get(competency)
    names = definition.levels if definition is not None else ()
    if len(names) < 2:
        return ""
    return f"level {level} ({names[level - 1]})" if 1 <= level <= len(names) else f"level {level}"
