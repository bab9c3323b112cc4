"""``credpath import ctdl``: CTDL documents back into a credpath project, so a published
pathway can be checked with ``validate`` (docs/ctdl.md has the mapping).

The documents are read as JSON-LD (``ctdl_input``), then mapped by class: credentials
(any subclass of ``ceterms:Credential``), organizations, the competency framework and its
``ceasn:Competency`` nodes, and each ``ceterms:Pathway``: its destination becomes an
outcome, its credential, course, assessment and other components become credentials,
competency components competencies, basic components the requirement their conditions
state (written where they are targeted), and every ``ComponentCondition`` the matching
``all`` / ``any`` / ``choose`` requirement. Ids come from the credpath identifier an
export writes, else from the records' names; each record keeps its CTID when it is one.
Whatever credpath has no place for is counted and, with ``--report``, listed at its JSON
path, so the import never drops anything silently.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from credpath.base.errors import UsageError
from credpath.base.text import escape, slug
from credpath.compiler.model import ID_PATTERN, URL_PATTERN
from credpath.exchange.ctdl_input import MAX_DEPTH, Graph, Node, compact, read
from credpath.publish.ctdl import ASSUMED_TYPE, CLASS_OF_TYPE, CREDENTIAL_CLASSES, IDENTIFIER_TYPE

__all__ = ["MAX_DEPTH", "Imported", "project"]

TYPE_OF_CLASS = {cls: kind for kind, cls in CLASS_OF_TYPE.items()}
ORGANIZATIONS = frozenset(
    {"ceterms:CredentialOrganization", "ceterms:QACredentialOrganization", "ceterms:Organization"}
)
ENTRY_COMPONENTS = {
    "ceterms:CredentialComponent": "",
    "ceterms:CourseComponent": "course",
    "ceterms:AssessmentComponent": "assessment",
    "ceterms:WorkExperienceComponent": "ext:work-experience",
    "ceterms:CocurricularComponent": "ext:cocurricular",
    "ceterms:ExtracurricularComponent": "ext:extracurricular",
}
"""Components that become a credential of the project, with its type ('': from
``ceterms:credentialType``)."""
GROUP_COMPONENTS = frozenset(
    {
        "ceterms:BasicComponent",
        "ceterms:SelectionComponent",
        "ceterms:CollectionComponent",
        "ceterms:MultiComponent",
    }
)
"""Components that only group others: their conditions are written where they are targeted."""
LEARNING = {
    "ceterms:AssessmentProfile": "assessment",
    "ceterms:LearningOpportunityProfile": "course",
    "ceterms:Course": "course",
    "ceterms:LearningProgram": "course",
}
"""Published learning opportunities and assessments, imported as credentials of that type
(not with their CTID: it names a record of another class)."""
READ_CLASSES = (
    frozenset(ENTRY_COMPONENTS)
    | GROUP_COMPONENTS
    | ORGANIZATIONS
    | frozenset(LEARNING)
    | frozenset(
        {
            "ceterms:Pathway",
            "ceterms:JobComponent",
            "ceterms:CompetencyComponent",
            "ceasn:Competency",
            "ceasn:CompetencyFramework",
            "ceterms:ComponentCondition",
        }
    )
)
_CTID = re.compile(r"ce-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_ID = re.compile(ID_PATTERN)
_URL = re.compile(URL_PATTERN)
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_DIGITS = re.compile(r"[0-9]{1,9}")
"""A count written as digits: ASCII only (``'²'.isdigit()`` holds, but ``int`` refuses it)."""
_LEVEL = re.compile(r"^(?P<id>[a-z0-9]+(?:[-_.][a-z0-9]+)*)@(?P<level>[0-9]{1,3})$")
"""A competency level as export names it (``sql@2``); levels go up to 8, and a longer
number would make the list of level names endless (or ``int`` refuse it)."""
_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


def _kind(cls: str) -> str:
    """``ceterms:CostProfile`` -> ``cost profile``: a class as a reader names it."""
    words = _WORDS.findall(cls.rsplit(":", 1)[-1].rsplit("/", 1)[-1]) or [cls]
    return " ".join(w if w.isupper() else w.lower() for w in words)


_QUALIFIERS = re.compile(r" (?=(?:not|given|without|with|as|in|that|whose|outside|needing) )")


def _plural(count: int, kind: str) -> str:
    """``3 records given twice``: the head noun of a kind, counted."""
    if count == 1:
        return f"1 {kind}"
    head, *rest = _QUALIFIERS.split(kind, maxsplit=1)
    head = head if head.endswith("s") else head + "s"
    return " ".join([f"{count:,} {head}", *rest])


@dataclass
class Imported:
    """A project's files and what the import says about them."""

    files: dict[str, str]
    counts: dict[str, int]
    """What came in: credentials, outcomes, conditions, competencies."""
    left_out: list[tuple[str, str, str]]
    """(where, kind, reason) for each record left out, in source order."""
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """``left out: 12 cost profiles, 1 credential without a name`` (or '')."""
        kinds = Counter(kind for _, kind, _ in self.left_out)
        return ", ".join(_plural(n, kind) for kind, n in sorted(kinds.items()))

    def report(self) -> str:
        """One line per record left out: its place in the source, its kind, the reason."""
        return "".join(
            f"{escape(where)}: {escape(kind)}: {escape(reason)}\n"
            for where, kind, reason in self.left_out
        )


def _count(value: object) -> int | None:
    """``ceterms:requiredNumber``: a whole number from 1, written as a number or as its
    digits; None for anything else."""
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    return None


def _own_id(node: Node | None) -> str | None:
    if node is None:
        return None
    for value in node.nodes("ceterms:identifier"):
        if value.text("ceterms:identifierTypeName") == IDENTIFIER_TYPE:
            code = value.value("ceterms:identifierValueCode")
            return code if isinstance(code, str) and _ID.fullmatch(code) else None
    return None


@dataclass
class _Ids:
    """The credpath id given to each record (by a key: its URI), unique across kinds."""

    ids: dict[str, str] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)

    def name(self, key: str, node: Node | None, fallback: str, *others: str) -> str:
        if key in self.ids:
            return self.ids[key]
        notation = node.value("ceasn:codedNotation") if node is not None else None
        wanted = (
            _own_id(node)
            or (slug(notation) if isinstance(notation, str) else "")
            or next((slug(text) for text in (fallback, *others) if slug(text)), "item")
        )
        candidate, n = wanted, 2
        while candidate in self.taken:
            suffix = f"-{n}"
            candidate, n = wanted[: 80 - len(suffix)] + suffix, n + 1
        self.taken.add(candidate)
        self.ids[key] = candidate
        return candidate


class _Builder:
    """The project being built from one graph."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.nodes = graph.nodes
        self.ids = _Ids()
        self.language = "en"
        self.credentials: dict[str, dict[str, Any]] = {}
        self.competencies: dict[str, dict[str, Any]] = {}
        self.entry_of: dict[str, str] = {}
        """Node URI -> the id of the entry it stands for (credential or competency)."""
        self.requires: dict[str, Any] = {}
        self.inferred: dict[str, dict[str, int]] = {}
        self.read_conditions: set[int] = set()
        self.used: set[str] = set()
        """The group components and conditions read (the rest is reported)."""
        self.organizations = {
            uri: node.text("ceterms:name")
            for uri, node in self.nodes.items()
            if node.types & ORGANIZATIONS and node.text("ceterms:name")
        }

    def leave_out(self, where: str, kind: str, reason: str) -> None:
        self.graph.leave_out(where, kind, reason)

    def text(self, node: Node, *terms: str) -> str:
        for term in terms:
            found = node.text(term, self.language)
            if found:
                return found
        return ""

    def ctid(self, node: Node) -> str | None:
        """Its CTID, when it is one (``ce-`` and a UUID); a malformed one is reported."""
        value = node.value("ceterms:ctid")
        if value is None:
            return None
        if isinstance(value, str) and _CTID.fullmatch(value):
            return value
        self.leave_out(
            f'{node.where}["ceterms:ctid"]', "malformed CTID", f"{value!r} is not ce- and a UUID"
        )
        return None

    def url(self, node: Node, term: str = "ceterms:subjectWebpage") -> str | None:
        for value in node.refs(term):
            if _URL.fullmatch(value):
                return value
            self.leave_out(f'{node.where}["{term}"]', "web page that is not a URL", value)
        return None

    # -- entries ----------------------------------------------------------------------------

    def entry(self, uri: str) -> str | None:
        """The id of the entry the node at ``uri`` stands for, made on first use; None
        for a node that is no entry (or is not in the document)."""
        if uri in self.entry_of:
            return self.entry_of[uri]
        node = self.nodes.get(uri)
        if node is None:
            return None
        types = node.types
        made: str | None = None
        if types & CREDENTIAL_CLASSES:
            made = self._credential(uri, node)
        elif "ceterms:CredentialComponent" in types:
            proxied = next(iter(node.refs("ceterms:proxyFor")), None)
            target = self.nodes.get(proxied) if proxied is not None else None
            if proxied is not None and target is not None and target.types & CREDENTIAL_CLASSES:
                made = self.entry(proxied)
            else:
                made = self._component(uri, node, proxied)
        elif types & set(ENTRY_COMPONENTS):
            made = self._component(uri, node, None)
        elif "ceterms:CompetencyComponent" in types:
            made = self._competency_component(uri, node)
        elif "ceasn:Competency" in types:
            made = self._competency(uri, node)
        elif types & set(LEARNING) and not uri.startswith("_:"):
            made = self._learning(uri, node)
        if made is not None:
            self.entry_of[uri] = made
        return made

    def _credential(self, uri: str, node: Node) -> str | None:
        title = self.text(node, "ceterms:name")
        if not title:
            self.leave_out(node.where, "credential without a name", "a credential needs a title")
            return None
        credential_id = self.ids.name(uri, node, title, *node.texts("ceterms:name").values())
        cls = sorted(node.types & CREDENTIAL_CLASSES)[0]
        entry: dict[str, Any] = {"id": credential_id, "title": title, **_type_of(cls)}
        for term in ("ceterms:ownedBy", "ceterms:offeredBy"):
            owners = node.refs(term)
            named = [self.organizations[o] for o in owners if o in self.organizations]
            if named:
                entry["provider"] = named[0]
                break
            if owners:
                self.leave_out(
                    f'{node.where}["{term}"]',
                    "owner not in the document",
                    f"{owners[0]}: no provider: line (add it to publish)",
                )
                break
        description = self.text(node, "ceterms:description")
        if description:
            entry["description"] = description
        webpage = self.url(node)
        if webpage is not None:
            entry["url"] = webpage
        status = [
            *node.refs("ceterms:credentialStatusType"),
            *(
                target
                for profile in node.nodes("ceterms:credentialStatusType")
                for target in profile.refs("ceterms:targetNode")
            ),
        ]
        if any(s.endswith("Deprecated") for s in status):
            entry["status"] = "retired"
        ctid = self.ctid(node)
        if ctid is not None and not uri.startswith("_:"):
            entry["ctid"] = ctid
        self.credentials[credential_id] = entry
        return credential_id

    def _component(self, uri: str, node: Node, proxied: str | None) -> str | None:
        """A credential from a component: its name, type and web page; for a credential
        component, the CTID of the credential it stands for when the URI ends in one."""
        title = self.text(node, "ceterms:name")
        kind = _kind(sorted(node.types & set(ENTRY_COMPONENTS))[0])
        if not title:
            self.leave_out(node.where, f"{kind} without a name", "an entry needs a title")
            return None
        key = proxied or uri
        if key in self.entry_of:
            return self.entry_of[key]
        credential_id = self.ids.name(key, node, title)
        given = next(v for t, v in ENTRY_COMPONENTS.items() if t in node.types)
        if given:
            typed: dict[str, str] = {"type": given}
        else:
            classes = [compact(c) for c in node.refs("ceterms:credentialType")]
            typed = _type_of(classes[0]) if classes else {"type": "ext:credential"}
        entry: dict[str, Any] = {"id": credential_id, "title": title, **typed}
        description = self.text(node, "ceterms:description")
        if description:
            entry["description"] = description
        webpage = self.url(node)
        if webpage is not None:
            entry["url"] = webpage
        tail = (proxied or "").rsplit("/", 1)[-1]
        if _CTID.fullmatch(tail):
            entry["ctid"] = tail
        self.credentials[credential_id] = entry
        if proxied is not None:
            self.entry_of[proxied] = credential_id
        return credential_id

    def _learning(self, uri: str, node: Node) -> str | None:
        title = self.text(node, "ceterms:name")
        cls = sorted(node.types & set(LEARNING))[0]
        if not title:
            self.leave_out(node.where, f"{_kind(cls)} without a name", "an entry needs a title")
            return None
        credential_id = self.ids.name(uri, node, title)
        entry: dict[str, Any] = {"id": credential_id, "title": title, "type": LEARNING[cls]}
        description = self.text(node, "ceterms:description")
        if description:
            entry["description"] = description
        webpage = self.url(node)
        if webpage is not None:
            entry["url"] = webpage
        self.credentials[credential_id] = entry
        return credential_id

    def _competency(self, uri: str, node: Node) -> str | None:
        title = self.text(node, "ceasn:competencyText", "ceasn:competencyLabel", "ceterms:name")
        if not title:
            self.leave_out(node.where, "competency without a text", "a competency needs a title")
            return None
        competency_id = self.ids.name(uri, node, title)
        entry: dict[str, Any] = {"id": competency_id, "title": title}
        comment = self.text(node, "ceasn:comment", "ceasn:description")
        if comment:
            entry["description"] = comment
        aligned = [u for u in node.refs("ceasn:exactAlignment") if _URL.fullmatch(u)]
        if aligned:
            entry["aligns"] = [
                {"framework": "ESCO" if "data.europa.eu/esco" in u else "external", "uri": u}
                for u in aligned
            ]
        ctid = self.ctid(node)
        if ctid is not None:
            entry["ctid"] = ctid
        self.competencies[competency_id] = entry
        return competency_id

    def _competency_component(self, uri: str, node: Node) -> str | None:
        for target in node.refs("ceterms:proxyFor"):
            if target in self.nodes and "ceasn:Competency" in self.nodes[target].types:
                return self.entry(target)
        title = self.text(node, "ceterms:name")
        if not title:
            self.leave_out(node.where, "competency component without a name", "no title")
            return None
        competency_id = self.ids.name(uri, node, title)
        entry: dict[str, Any] = {"id": competency_id, "title": title}
        description = self.text(node, "ceterms:description")
        if description:
            entry["description"] = description
        self.competencies[competency_id] = entry
        return competency_id

    def aligned_competency(self, alignment: Node) -> str | None:
        """The competency a ``targetCompetency`` alignment names: one of the document, or
        one made from its ``targetNodeName`` when its framework is elsewhere."""
        targets = alignment.refs("ceterms:targetNode")
        if targets and targets[0] in self.nodes:
            return self.entry(targets[0])
        title = self.text(alignment, "ceterms:targetNodeName")
        if not title:
            self.leave_out(
                alignment.where,
                "competency alignment without a name",
                "its competency is not in the document and it has no targetNodeName",
            )
            return None
        key = targets[0] if targets else f"name:{title}"
        if key in self.entry_of:
            return self.entry_of[key]
        competency_id = self.ids.name(key, None, title)
        entry: dict[str, Any] = {"id": competency_id, "title": title}
        if targets and _URL.fullmatch(targets[0]):
            framework = self.text(alignment, "ceterms:frameworkName") or "external"
            entry["aligns"] = [{"framework": framework, "uri": targets[0]}]
        self.competencies[competency_id] = entry
        self.entry_of[key] = competency_id
        return competency_id

    # -- requirements -------------------------------------------------------------------------

    def target(self, uri: str, where: str, groups: tuple[str, ...]) -> Any:
        """What a condition's target component asks for: an entry's id, or a group
        component's own requirement (written in place); None, reported, for nothing."""
        found = self.entry(uri)
        if found is not None:
            return found
        node = self.nodes.get(uri)
        if node is None:
            self.leave_out(where, "condition target not in the document", uri)
            return None
        if not node.types & GROUP_COMPONENTS:
            kind = _kind(sorted(node.types)[0]) if node.types else "record"
            self.leave_out(where, f"{kind} as a condition target", f"{uri}: no entry stands for it")
            return None
        if uri in groups:
            self.leave_out(where, "condition target in a loop", f"{uri} requires itself")
            return None
        if len(groups) >= MAX_DEPTH:
            self.leave_out(where, "basic component nested too deeply",
                           f"{uri}: more than {MAX_DEPTH} within one another")  # fmt: skip
            return None
        self.used.add(uri)
        joined = self.conditions_of(node, (*groups, uri))
        if isinstance(joined, list):  # as one part of a condition: the item, or all of them
            return joined[0] if len(joined) == 1 else {"all": joined}
        return joined

    def condition_nodes(self, node: Node) -> list[Node]:
        """The conditions of a node: embedded, or records of the document it names."""
        named = [self.nodes[uri] for uri in node.refs("ceterms:hasCondition") if uri in self.nodes]
        return node.nodes("ceterms:hasCondition") + named

    def conditions_of(self, node: Node, groups: tuple[str, ...] = ()) -> Any:
        """Everything the node's conditions ask, joined (a list: all of them), or None."""
        found = [self.condition(c, groups) for c in self.condition_nodes(node)]
        if not node.has("ceterms:hasCondition") and node.types & GROUP_COMPONENTS:
            self.leave_out(node.where, f"{_kind(sorted(node.types)[0])} without a condition",
                           "it asks nothing credpath can read")  # fmt: skip
        return _joined(found)

    def condition(self, condition: Node, groups: tuple[str, ...]) -> Any:
        """A ComponentCondition as a requirement; a competency level's condition (named
        "...: requires id@N" by export) also tells which credentials grant it."""
        self.read_conditions.add(id(condition.data))  # once, however often it is reached
        if condition.id is not None:
            self.used.add(condition.id)
        name = self.text(condition, "ceterms:name")
        written = condition.value("ceterms:requiredNumber")
        number = _count(written)
        if written is not None and number is None:
            self.leave_out(
                f'{condition.where}["ceterms:requiredNumber"]',
                "count that is not a whole number",
                f"{str(written)[:40]!r}: read as 1",
            )
            number = 1
        inner = [self.condition(c, groups) for c in self.condition_nodes(condition)]
        inner = [c for c in inner if c is not None]
        targets = [
            self.target(t, f'{condition.where}["ceterms:targetComponent"]', groups)
            for t in condition.refs("ceterms:targetComponent")
        ]
        found = [t for t in targets if t is not None]
        said = name.rsplit(": requires ", 1)[1] if ": requires " in name else ""
        level = _LEVEL.match(said)
        if level is not None and level.group("id") in self.competencies and not inner:
            wanted = int(level.group("level"))
            for credential_id in found:
                if isinstance(credential_id, str) and credential_id in self.credentials:
                    current = self.inferred.setdefault(credential_id, {})
                    current[level.group("id")] = max(current.get(level.group("id"), 0), wanted)
            return said
        parts = inner + found
        if not parts:
            return None
        if len(parts) == 1 and number in (1, None):
            return parts[0]
        word = name.rsplit(": ", 1)[1] if ": " in name else ""
        if word == "all of" or (not word and (number is None or number >= len(parts))):
            return {"all": parts}
        if word == "one of" or (not word and number == 1):
            return {"any": parts}
        count = word.removesuffix(" of")
        chosen = int(count) if _DIGITS.fullmatch(count) else number or len(parts)
        if chosen > len(parts):
            self.leave_out(condition.where, "count over its parts", f"needs {chosen} of "
                           f"{len(parts)} that credpath reads: all of them")  # fmt: skip
            return {"all": parts}
        return {"choose": chosen, "from": parts}


def _type_of(cls: str) -> dict[str, str]:
    """credpath's type for a CTDL credential class, and ``ctdl_type`` when it has none."""
    if cls in TYPE_OF_CLASS:
        return {"type": TYPE_OF_CLASS[cls]}
    kind = "degree" if "Degree" in cls or "Doctor" in cls else "certificate"
    return {"type": kind, "ctdl_type": cls.removeprefix("ceterms:").rsplit("/", 1)[-1]}


def _joined(conditions: list[Any]) -> Any:
    present = [c for c in conditions if c is not None]
    if not present:
        return None
    if len(present) == 1:
        only = present[0]
        return only["all"] if isinstance(only, dict) and "all" in only else [only]
    return present


def project(sources: list[Path]) -> Imported:
    """The files of a credpath project holding what the documents say."""
    graph = read(sources)
    build = _Builder(graph)
    nodes = graph.nodes
    by_class: dict[str, list[Node]] = {}
    for uri in sorted(nodes):
        for cls in nodes[uri].types:
            by_class.setdefault(cls, []).append(nodes[uri])

    def of(*classes: str) -> list[Node]:
        return sorted({n.id: n for c in classes for n in by_class.get(c, [])}.values(),
                      key=lambda n: str(n.id))  # fmt: skip

    credential_nodes = [n for n in nodes.values() if n.types & CREDENTIAL_CLASSES]
    for node in credential_nodes:
        languages = [str(v) for v in [node.value("ceterms:inLanguage")] if isinstance(v, str)]
        if languages and _LANGUAGE.fullmatch(languages[0]):
            build.language = languages[0]
            break
    pathways = of("ceterms:Pathway")
    frameworks = of("ceasn:CompetencyFramework")
    # ids in a stable order: competencies, credentials, components, then outcomes
    for node in of("ceasn:Competency"):
        build.entry(str(node.id))
    assumed = _assumed(nodes, build)
    for node in sorted(credential_nodes, key=lambda n: str(n.id)):
        if not str(node.id).startswith("_:"):
            build.entry(str(node.id))
    for node in of(*ENTRY_COMPONENTS, "ceterms:CompetencyComponent", *LEARNING):
        if node.id is not None and not _is_assumed(node):
            build.entry(node.id)

    outcomes = [o for o in (_outcome(build, p) for p in pathways) if o is not None]
    for node in of(*ENTRY_COMPONENTS, *sorted(CREDENTIAL_CLASSES)):
        owner = build.entry_of.get(str(node.id))
        if owner is not None and node.has("ceterms:hasCondition"):
            requirement = build.conditions_of(node)
            if requirement is not None:
                build.requires.setdefault(owner, requirement)
    for node in [*credential_nodes, *of(*LEARNING)]:
        if str(node.id).startswith("_:") and str(node.id) not in build.entry_of:
            kind = _kind(sorted(node.types & (CREDENTIAL_CLASSES | set(LEARNING)))[0])
            build.leave_out(node.where, f"{kind} given only as a blank node",
                            "no pathway needs it; it is published elsewhere")  # fmt: skip
    for node in of(*GROUP_COMPONENTS, "ceterms:ComponentCondition", "ceterms:JobComponent"):
        if str(node.id) not in build.used:
            build.leave_out(node.where, _kind(sorted(node.types)[0]) + " outside every condition",
                            "nothing the import reads requires it")  # fmt: skip
    certified = _certified(build, credential_nodes)
    _leave_out_the_rest(build)

    if not build.credentials and not build.competencies and not outcomes:
        names = ", ".join(escape(str(s)) for s in sources)
        raise UsageError(f"{names}: no CTDL credential, pathway or competency framework in it")
    files = _files(build, certified, assumed, frameworks, pathways, outcomes, sources)
    counts = {
        "credentials": len(build.credentials),
        "outcomes": len(outcomes),
        "conditions": len(build.read_conditions),
        "competencies": len(build.competencies),
    }
    notes = []
    blank = [c for c, e in build.credentials.items() if "ctid" not in e]
    if blank and (pathways or credential_nodes):
        notes.append(
            f"{_plural(len(blank), 'credential')} without a CTID of their own: export ctdl "
            "gives them new ones; add ctid: for those already in the Credential Registry"
        )
    left_out = sorted(graph.left_out, key=lambda record: _natural(record[0]))
    return Imported(files, counts, left_out, notes)


def _natural(where: str) -> list[str | int]:
    """``$["@graph"][10]`` after ``$["@graph"][9]``: JSON paths in source order."""
    return [int(p) if n % 2 else p for n, p in enumerate(re.split(r"([0-9]+)", where))]


def _is_assumed(node: Node) -> bool:
    return any(
        v.text("ceterms:identifierTypeName") == ASSUMED_TYPE
        for v in node.nodes("ceterms:identifier")
    )


def _assumed(nodes: dict[str, Node], build: _Builder) -> dict[str, int]:
    """What every learner brings: the competency components export marks as assumed."""
    found: dict[str, int] = {}
    for node in nodes.values():
        if "ceterms:CompetencyComponent" not in node.types:
            continue
        for value in node.nodes("ceterms:identifier"):
            if value.text("ceterms:identifierTypeName") != ASSUMED_TYPE:
                continue
            level = _LEVEL.match(str(value.value("ceterms:identifierValueCode") or ""))
            if level is not None and level.group("id") in build.competencies:
                competency = level.group("id")
                found[competency] = max(found.get(competency, 0), int(level.group("level")))
    return found


def _outcome(build: _Builder, pathway: Node) -> dict[str, Any] | None:
    """The pathway's destination as an outcome: the destination's conditions, or the
    destination itself when it is an entry (a credential component)."""
    title = build.text(pathway, "ceterms:name")
    destinations = pathway.refs("ceterms:hasDestinationComponent")
    destination = build.nodes.get(destinations[0]) if destinations else None
    if not title or destination is None:
        reason = "no name" if not title else "its destination is not in the document"
        build.leave_out(pathway.where, "pathway without a destination", reason)
        return None
    uri = str(destination.id)
    own = build.entry(uri)
    key = str(pathway.id) if own is not None else uri
    outcome_id = build.ids.name(key, destination if own is None else pathway, title)
    build.used.add(uri)
    requires = [own] if own is not None else build.conditions_of(destination)
    if not requires:
        build.leave_out(pathway.where, "pathway whose destination asks nothing",
                        "its destination has no condition credpath reads")  # fmt: skip
        return None
    outcome: dict[str, Any] = {"id": outcome_id, "title": title}
    description = build.text(pathway, "ceterms:description")
    if description:
        outcome["description"] = description
    occupation = _occupation(destination)
    if occupation:
        outcome["occupation"] = occupation
    ctid = build.ctid(pathway)
    if ctid is not None:
        outcome["ctid"] = ctid
    outcome["requires"] = requires
    outcome["_pathway"] = pathway
    return outcome


def _certified(build: _Builder, credential_nodes: list[Node]) -> dict[str, dict[str, int]]:
    """Per credential, the competency levels its condition profiles target (``sql@2``)."""
    found: dict[str, dict[str, int]] = {}
    for node in credential_nodes:
        credential_id = build.entry_of.get(str(node.id))
        if credential_id is None:
            continue
        for profile in node.nodes("ceterms:requires"):
            for target in profile.nodes("ceterms:targetCompetency"):
                competency = build.aligned_competency(target)
                if competency is None:
                    continue
                level = _LEVEL.match(str(target.value("ceterms:codedNotation") or ""))
                number = int(level.group("level")) if level is not None else 1
                mine = found.setdefault(credential_id, {})
                mine[competency] = max(mine.get(competency, 0), number)
    return found


_READ_TERMS = frozenset(
    {
        "ceterms:identifier",
        "ceterms:credentialStatusType",
        "ceterms:hasCondition",
        "ceterms:requires",
        "ceterms:occupationType",
        "ceterms:lifeCycleStatusType",
    }
)
"""Properties whose embedded records the import reads (a pathway's life cycle status:
export writes Active, and an outcome has no other); those under any other are counted as
left out, by class."""


def _leave_out_the_rest(build: _Builder) -> None:
    """Count what credpath has no place for: records of other classes, and the profiles
    embedded in the records it reads (cost, duration, outcome data...)."""
    for node in build.graph.nodes.values():
        if not node.types & (READ_CLASSES | CREDENTIAL_CLASSES):
            kind = _kind(sorted(node.types)[0]) if node.types else "untyped record"
            build.leave_out(node.where, kind, "credpath has no place for it")
            continue
        for term, values in node.data.items():
            if term.startswith("@") or compact(term) in _READ_TERMS:
                continue
            for n, value in enumerate(values if isinstance(values, list) else [values]):
                types = value.get("@type") if isinstance(value, dict) else None
                if types and "@value" not in value:
                    build.leave_out(
                        f'{node.where}["{compact(term)}"][{n}]',
                        _kind(compact(sorted(types)[0])),
                        "credpath has no place for it",
                    )


def _site_url(pathways: list[Node]) -> str | None:
    for pathway in pathways:
        for page in pathway.refs("ceterms:subjectWebpage"):
            if "/outcomes/" in page and _URL.fullmatch(page):
                return page.rsplit("/outcomes/", 1)[0] + "/"
    return None


def _occupation(job: Node) -> dict[str, str]:
    found: dict[str, str] = {}
    for code in job.nodes("ceterms:occupationType"):
        framework = code.text("ceterms:frameworkName")
        targets = [t for t in code.refs("ceterms:targetNode") if _URL.fullmatch(t)]
        notation = code.value("ceterms:codedNotation")
        if "ESCO" in framework and targets:
            found["esco"] = targets[0]
        elif "O*NET" in framework and isinstance(notation, str) and notation.strip():
            found["onet"] = notation
        elif "ISCO" in framework and isinstance(notation, str) and notation.strip():
            found["isco"] = notation
    return found


def _files(
    build: _Builder,
    certified: dict[str, dict[str, int]],
    assumed: dict[str, int],
    frameworks: list[Node],
    pathways: list[Node],
    outcomes: list[dict[str, Any]],
    sources: list[Path],
) -> dict[str, str]:
    """The YAML files: credpath.yaml, competencies, credentials and outcomes."""
    site_url = _site_url(pathways)
    publishers: set[str] = set()
    for outcome in outcomes:
        pathway: Node = outcome.pop("_pathway")
        owners = pathway.refs("ceterms:ownedBy") or pathway.refs("ceterms:offeredBy")
        unknown = [o for o in owners if o not in build.organizations]
        if unknown:
            build.leave_out(f'{pathway.where}["ceterms:ownedBy"]', "owner not in the document",
                            f"{unknown[0]}: no publisher: line (add it to publish)")  # fmt: skip
        named = sorted(build.organizations[o] for o in owners if o in build.organizations)
        parts = {build.entry_of.get(p) for p in pathway.refs("ceterms:hasPart", "ceasn:hasPart")}
        providers = sorted(
            {
                str(build.credentials[c]["provider"])
                for c in parts
                if c in build.credentials and build.credentials[c].get("provider")
            }
        )
        if named and named != providers:
            publishers.update(named)
    grants = certified or build.inferred
    credentials = []
    for credential_id in sorted(build.credentials):
        entry = dict(build.credentials[credential_id])
        webpage = entry.get("url")
        if site_url and webpage == f"{site_url.rstrip('/')}/credentials/{credential_id}.html":
            del entry["url"]
        ctid = entry.pop("ctid", None)
        if ctid is not None:
            entry["ctid"] = ctid
        if build.requires.get(credential_id):
            entry["requires"] = build.requires[credential_id]
        given = grants.get(credential_id)
        if given:
            entry["grants"] = [f"{c}@{n}" for c, n in given.items()]
        credentials.append(entry)

    top = dict.fromkeys(build.competencies, 1)
    for given in [*grants.values(), assumed]:
        for competency, level in given.items():
            top[competency] = max(top.get(competency, 1), level)
    competencies = []
    for competency_id in sorted(build.competencies, key=_competency_order(build)):
        entry = dict(build.competencies[competency_id])
        ctid = entry.pop("ctid", None)
        if top.get(competency_id, 1) > 1:
            entry["levels"] = [f"Level {n}" for n in range(1, top[competency_id] + 1)]
        if "aligns" in entry:
            entry["aligns"] = entry.pop("aligns")
        if ctid is not None:
            entry["ctid"] = ctid
        competencies.append(entry)

    config: dict[str, Any] = {}
    if frameworks:
        name = build.text(frameworks[0], "ceasn:name").removesuffix(": competencies")
        if name:
            config["name"] = name
        ctid = build.ctid(frameworks[0])
        if ctid is not None:
            config["framework_ctid"] = ctid
    if build.language != "en":
        config["language"] = build.language
    if assumed:
        config["assumed"] = [f"{c}@{n}" for c, n in sorted(assumed.items())]
    if len(publishers) == 1:
        config["publisher"] = next(iter(publishers))
    if site_url:
        config["site_url"] = site_url
    names = ", ".join(escape(s.name) for s in sources)
    header = f"# Imported by credpath import ctdl from {names}.\n"
    files = {"credpath.yaml": header + (_dump(config) if config else "")}
    if competencies:
        files["competencies.yaml"] = header + _dump({"competencies": competencies})
    if credentials or not competencies:
        files["credentials.yaml"] = header + _dump({"credentials": credentials})
    if outcomes:
        files["outcomes.yaml"] = header + _dump({"outcomes": outcomes})
    return files


def _competency_order(build: _Builder) -> Any:
    """Competencies in the order of their nodes' URIs, as the export lists them."""
    uri_of = {v: k for k, v in build.entry_of.items() if v in build.competencies}
    return lambda competency_id: (uri_of.get(competency_id, "~"), competency_id)


def _dump(data: object) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
