"""``credpath import ctdl``: a CTDL graph back into a credpath project, so a published
pathway can be checked with ``validate`` (docs/ctdl.md).

Reads what ``export ctdl`` writes, and the same classes as the Credential Registry
publishes them: credentials (any subclass of ``ceterms:Credential``), organizations,
``ceasn:Competency`` nodes, and ``ceterms:Pathway`` with a ``ceterms:JobComponent``
destination, ``ceterms:CredentialComponent`` parts and their ``ComponentCondition``s.
Ids come from the credpath identifier an export writes, else from the names. Every
record keeps its CTID (``ctid:``), so a re-export gives the same document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from credpath.errors import UsageError
from credpath.interop.ctdl import CLASS_OF_TYPE, CREDENTIAL_CLASSES, IDENTIFIER_TYPE
from credpath.json_input import JsonInputError, read_json
from credpath.text import escape, slug

TYPE_OF_CLASS = {cls: kind for kind, cls in CLASS_OF_TYPE.items()}

MAX_DEPTH = 100
"""How deeply a CTDL graph may nest: conditions within conditions are read recursively,
and no published graph comes near it."""

_DIGITS = re.compile(r"[0-9]{1,9}")
"""A count written as digits: ASCII only (``'²'.isdigit()`` holds, but ``int`` refuses it)."""


def _text(value: Any) -> str:
    """A language map's text (the first language), or a plain string."""
    if isinstance(value, dict):
        return str(next(iter(value.values()), "")) if value else ""
    if isinstance(value, list):
        return _text(value[0]) if value else ""
    return "" if value is None else str(value)


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _records(value: Any) -> list[dict[str, Any]]:
    """The JSON objects among ``value`` (one, or a list): a condition, identifier or
    profile written as anything else says nothing credpath can read, and is passed over."""
    return [item for item in _list(value) if isinstance(item, dict)]


def _count(value: Any) -> int:
    """``ceterms:requiredNumber``: a whole number from 1, written as a number or as its
    digits; 1 (the CTDL default) for anything else."""
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    return 1


def _ctid(node: dict[str, Any]) -> str | None:
    value = node.get("ceterms:ctid")
    return str(value) if isinstance(value, str) else None


def _own_id(node: dict[str, Any]) -> str | None:
    for value in _records(node.get("ceterms:identifier")):
        if _text(value.get("ceterms:identifierTypeName")) == IDENTIFIER_TYPE:
            return str(value.get("ceterms:identifierValueCode") or "") or None
    return None


@dataclass
class Reader:
    """The graph by @id, and the credpath ids given to its records."""

    nodes: dict[str, dict[str, Any]]
    ids: dict[str, str] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)

    def name(self, uri: str, fallback: str) -> str:
        """A unique credpath id for the record at ``uri``."""
        if uri in self.ids:
            return self.ids[uri]
        node = self.nodes.get(uri, {})
        wanted = _own_id(node) or node.get("ceasn:codedNotation") or slug(fallback) or "item"
        candidate, n = str(wanted), 2
        while candidate in self.taken:
            candidate, n = f"{wanted}-{n}", n + 1
        self.taken.add(candidate)
        self.ids[uri] = candidate
        return candidate


def read(path: Path) -> dict[str, dict[str, Any]]:
    try:
        document = read_json(path, max_depth=MAX_DEPTH)
    except JsonInputError as error:
        raise UsageError(f"{path}: cannot read it as JSON-LD ({error})") from None
    graph = document.get("@graph") if isinstance(document, dict) else document
    if not isinstance(graph, list):
        raise UsageError(f"{path}: no @graph of CTDL records in it")
    return {
        node["@id"]: node
        for node in graph
        if isinstance(node, dict) and isinstance(node.get("@id"), str)
    }


def project(path: Path) -> dict[str, str]:
    """The files of a credpath project holding what the graph says."""
    nodes = read(path)
    reader = Reader(nodes)

    def of_type(*kinds: str) -> list[dict[str, Any]]:
        return [n for n in nodes.values() if _types(n) & set(kinds)]

    credentials_nodes = [n for n in nodes.values() if _types(n) & CREDENTIAL_CLASSES]
    if not credentials_nodes and not of_type("ceterms:Pathway"):
        raise UsageError(f"{path}: no CTDL credential or pathway in it")
    organizations = {
        n["@id"]: _text(n.get("ceterms:name"))
        for n in of_type("ceterms:CredentialOrganization", "ceterms:Organization")
    }
    language = "en"
    for node in credentials_nodes:
        languages = _list(node.get("ceterms:inLanguage"))
        if languages:
            language = str(languages[0])
            break
    frameworks = of_type("ceasn:CompetencyFramework")
    competencies_nodes = sorted(of_type("ceasn:Competency"), key=lambda n: n["@id"])
    competency_ids = {
        n["@id"]: reader.name(n["@id"], _text(n.get("ceasn:competencyText")))
        for n in competencies_nodes
    }
    credential_ids = {
        n["@id"]: reader.name(n["@id"], _text(n.get("ceterms:name")))
        for n in sorted(credentials_nodes, key=lambda n: n["@id"])
    }
    pathways = sorted(of_type("ceterms:Pathway"), key=lambda n: n["@id"])
    site_url = _site_url(pathways, nodes)

    # what each credential certifies (export writes it as requires -> targetCompetency);
    # without it, the levels the pathways' conditions ask of it
    certified = _certified(credentials_nodes, credential_ids, competency_ids)
    inferred: dict[str, dict[str, int]] = {}
    assumed = _assumed_of(nodes, competency_ids)
    requires: dict[str, Any] = {}
    outcomes = []
    publishers: set[str] = set()
    for pathway in pathways:
        destinations = _list(pathway.get("ceterms:hasDestinationComponent"))
        job = nodes.get(str(destinations[0])) if destinations else None
        if job is None:
            continue
        outcome_id = reader.name(job["@id"], _text(pathway.get("ceterms:name")))
        component_of = {
            uri: credential_ids.get(str(nodes[uri].get("ceterms:proxyFor")))
            for uri in _list(pathway.get("ceterms:hasPart"))
            if isinstance(uri, str) and uri in nodes
        }

        def requirement(
            condition: dict[str, Any], parts: dict[str, str | None] = component_of
        ) -> Any:
            return _requirement(condition, parts, competency_ids, inferred)

        for uri, credential_id in component_of.items():
            node = nodes[uri]
            if credential_id is None or "ceterms:CredentialComponent" not in _types(node):
                continue
            conditions = [requirement(c) for c in _records(node.get("ceterms:hasCondition"))]
            requires.setdefault(credential_id, _joined(conditions))
        conditions = [requirement(c) for c in _records(job.get("ceterms:hasCondition"))]
        outcome: dict[str, Any] = {"id": outcome_id, "title": _text(pathway.get("ceterms:name"))}
        description = _text(pathway.get("ceterms:description"))
        if description:
            outcome["description"] = description
        occupation = _occupation(job)
        if occupation:
            outcome["occupation"] = occupation
        outcome["ctid"] = _ctid(pathway)
        outcome["requires"] = _joined(conditions) or []
        outcomes.append(outcome)
        owners = sorted(
            organizations.get(str(o), "") for o in _list(pathway.get("ceterms:ownedBy"))
        )
        providers = sorted(
            {
                organizations.get(str(o), "")
                for uri, cid in component_of.items()
                if cid is not None
                for n in [nodes.get(str(nodes[uri].get("ceterms:proxyFor")), {})]
                for o in _list(n.get("ceterms:ownedBy"))
            }
        )
        if owners and owners != providers:
            publishers.update(owners)

    credentials = []
    for node in sorted(credentials_nodes, key=lambda n: credential_ids[n["@id"]]):
        credential_id = credential_ids[node["@id"]]
        kind = _types(node) & CREDENTIAL_CLASSES
        cls = sorted(kind)[0]
        entry: dict[str, Any] = {
            "id": credential_id,
            "title": _text(node.get("ceterms:name")),
            "type": TYPE_OF_CLASS.get(
                cls, "degree" if "Degree" in cls or "Doctor" in cls else "certificate"
            ),
        }
        if cls not in TYPE_OF_CLASS:
            entry["ctdl_type"] = cls.removeprefix("ceterms:")
        named = [organizations.get(str(o), "") for o in _list(node.get("ceterms:ownedBy"))]
        if named and named[0]:
            entry["provider"] = named[0]
        description = _text(node.get("ceterms:description"))
        if description:
            entry["description"] = description
        webpage = node.get("ceterms:subjectWebpage")
        default = f"{site_url.rstrip('/')}/credentials/{credential_id}.html" if site_url else None
        if isinstance(webpage, str) and webpage != default:
            entry["url"] = webpage
        status = node.get("ceterms:credentialStatusType")
        if isinstance(status, dict) and str(status.get("ceterms:targetNode", "")).endswith(
            "Deprecated"
        ):
            entry["status"] = "retired"
        entry["ctid"] = _ctid(node)
        if requires.get(credential_id):
            entry["requires"] = requires[credential_id]
        given = certified.get(credential_id) if certified else inferred.get(credential_id)
        if given:
            entry["grants"] = [f"{c}@{n}" for c, n in given.items()]
        credentials.append(entry)

    top = dict.fromkeys(competency_ids.values(), 1)
    for given in [*(certified or inferred).values(), assumed]:
        for competency, level in given.items():
            top[competency] = max(top.get(competency, 1), level)
    competencies = []
    for node in competencies_nodes:
        competency_id = competency_ids[node["@id"]]
        entry = {"id": competency_id, "title": _text(node.get("ceasn:competencyText"))}
        comment = _text(node.get("ceasn:comment"))
        if comment:
            entry["description"] = comment
        if top.get(competency_id, 1) > 1:
            entry["levels"] = [f"Level {n}" for n in range(1, top[competency_id] + 1)]
        aligned = [str(u) for u in _list(node.get("ceasn:exactAlignment"))]
        if aligned:
            entry["aligns"] = [
                {"framework": "ESCO" if "data.europa.eu/esco" in u else "external", "uri": u}
                for u in aligned
            ]
        entry["ctid"] = _ctid(node)
        competencies.append(entry)

    config: dict[str, Any] = {}
    if frameworks:
        name = _text(frameworks[0].get("ceasn:name")).removesuffix(": competencies")
        if name:
            config["name"] = name
        config["framework_ctid"] = _ctid(frameworks[0])
    if language != "en":
        config["language"] = language
    if assumed:
        config["assumed"] = [f"{c}@{n}" for c, n in sorted(assumed.items())]
    if len(publishers) == 1:
        config["publisher"] = next(iter(publishers))
    if site_url:
        config["site_url"] = site_url
    header = f"# Imported by credpath import ctdl from {escape(path.name)}.\n"
    files = {"credpath.yaml": header + _dump(config)}
    if competencies:
        files["competencies.yaml"] = header + _dump({"competencies": competencies})
    files["credentials.yaml"] = header + _dump({"credentials": credentials})
    if outcomes:
        files["outcomes.yaml"] = header + _dump({"outcomes": outcomes})
    return files


def _certified(
    credentials: list[dict[str, Any]], ids: dict[str, str], competencies: dict[str, str]
) -> dict[str, dict[str, int]]:
    """Per credential, the competency levels its condition profiles target (``sql@2``)."""
    found: dict[str, dict[str, int]] = {}
    for node in credentials:
        for profile in _records(node.get("ceterms:requires")):
            for target in _records(profile.get("ceterms:targetCompetency")):
                competency = competencies.get(str(target.get("ceterms:targetNode")))
                level = _LEVEL.match(str(target.get("ceterms:codedNotation") or ""))
                if competency is None:
                    continue
                number = int(level.group("level")) if level is not None else 1
                mine = found.setdefault(ids[node["@id"]], {})
                mine[competency] = max(mine.get(competency, 0), number)
    return found


def _assumed_of(nodes: dict[str, dict[str, Any]], competencies: dict[str, str]) -> dict[str, int]:
    """What every learner brings: the competency components export marks as assumed."""
    from credpath.interop.ctdl import ASSUMED_TYPE

    found: dict[str, int] = {}
    for node in nodes.values():
        if "ceterms:CompetencyComponent" not in _types(node):
            continue
        for value in _records(node.get("ceterms:identifier")):
            if _text(value.get("ceterms:identifierTypeName")) != ASSUMED_TYPE:
                continue
            level = _LEVEL.match(str(value.get("ceterms:identifierValueCode") or ""))
            if level is not None and level.group("id") in competencies.values():
                found[level.group("id")] = max(
                    found.get(level.group("id"), 0), int(level.group("level"))
                )
    return found


def _types(node: dict[str, Any]) -> set[str]:
    return {str(t) for t in _list(node.get("@type"))}


def _site_url(pathways: list[dict[str, Any]], nodes: dict[str, dict[str, Any]]) -> str | None:
    for pathway in pathways:
        page = pathway.get("ceterms:subjectWebpage")
        if isinstance(page, str) and "/outcomes/" in page:
            return page.rsplit("/outcomes/", 1)[0] + "/"
    return None


_LEVEL = re.compile(r"^(?P<id>[a-z0-9]+(?:[-_.][a-z0-9]+)*)@(?P<level>[0-9]{1,3})$")
"""A competency level as export names it (``sql@2``); levels go up to 8, and a longer
number would make the list of level names endless (or ``int`` refuse it)."""


def _requirement(
    condition: dict[str, Any],
    component_of: dict[str, str | None],
    competency_ids: dict[str, str],
    grants: dict[str, dict[str, int]],
) -> Any:
    """A ComponentCondition as a requirement; a competency level's condition (named
    "...: requires id@N" by export) also tells which credentials grant it."""
    name = _text(condition.get("ceterms:name"))
    number = _count(condition.get("ceterms:requiredNumber"))
    inner = [
        _requirement(c, component_of, competency_ids, grants)
        for c in _records(condition.get("ceterms:hasCondition"))
    ]
    targets = [component_of.get(str(t)) for t in _list(condition.get("ceterms:targetComponent"))]
    found = [t for t in targets if t is not None]
    said = name.rsplit(": requires ", 1)[1] if ": requires " in name else ""
    level = _LEVEL.match(said)
    if level is not None and level.group("id") in competency_ids.values() and not inner:
        for credential_id in found:
            current = grants.setdefault(credential_id, {})
            wanted = int(level.group("level"))
            current[level.group("id")] = max(current.get(level.group("id"), 0), wanted)
        return said
    if not inner and len(found) == 1 and number == 1:
        return found[0]
    parts = inner + found
    word = name.rsplit(": ", 1)[1] if ": " in name else ""
    if word == "all of" or (not word and number == len(parts)):
        return {"all": parts}
    if word == "one of" or (not word and number == 1):
        return {"any": parts}
    written = word.removesuffix(" of")
    return {"choose": int(written) if _DIGITS.fullmatch(written) else number, "from": parts}


def _joined(conditions: list[Any]) -> Any:
    present = [c for c in conditions if c is not None]
    if not present:
        return None
    if len(present) == 1:
        only = present[0]
        return only["all"] if isinstance(only, dict) and "all" in only else [only]
    return present


def _occupation(job: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for code in _records(job.get("ceterms:occupationType")):
        framework = _text(code.get("ceterms:frameworkName"))
        if "ESCO" in framework and code.get("ceterms:targetNode"):
            found["esco"] = str(code["ceterms:targetNode"])
        elif "O*NET" in framework and code.get("ceterms:codedNotation"):
            found["onet"] = str(code["ceterms:codedNotation"])
        elif "ISCO" in framework and code.get("ceterms:codedNotation"):
            found["isco"] = str(code["ceterms:codedNotation"])
    return found


def _dump(data: object) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
