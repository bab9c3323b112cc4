"""CTDL JSON-LD for the Credential Registry: credentials, their providers, the competency
framework and one pathway per job outcome (docs/ctdl.md has the field mapping).

Every record carries the Registry's minimum data from the YAML or from documented
defaults, never invented text; ``readiness`` reports what no default can supply, at the
place where the author adds it. CTIDs are derived from ``base_uri`` and the credpath id,
so a re-export gives the same ids and a Registry update replaces rather than duplicates.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from typing import Any

from credpath.base.diagnostics import Diagnostic
from credpath.checks.rules import ctdl_readiness

# The Registry's minimum data is the ctdl-readiness rule's; the export writes it, and
# exchange reads the class terms from here (``X as X``: re-exported).
from credpath.checks.rules.ctdl_readiness import CLASS_OF_TYPE as CLASS_OF_TYPE
from credpath.checks.rules.ctdl_readiness import CREDENTIAL_CLASSES as CREDENTIAL_CLASSES
from credpath.checks.rules.ctdl_readiness import MIN_DESCRIPTION, Settings, ctdl_class
from credpath.checks.rules.ctdl_readiness import settings as settings
from credpath.compiler.requirements import All, AnyOf, Choose, Ref, Requirement, refs
from credpath.compiler.resolve import Catalog, CredentialDef, OutcomeDef
from credpath.compiler.semantics import Semantics

CONTEXT = "https://credreg.net/ctdl/schema/context/json"
RESOURCES = "https://credentialengineregistry.org/resources/"


def ctid(base: str, kind: str, id_: str) -> str:
    """``ce-`` + a UUID with the v4 version and variant bits, hashed from the project's
    ``base_uri``, the kind of record and its id: the same on every export."""
    digest = bytearray(hashlib.sha256(f"{base}\n{kind}\n{id_}".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x40
    digest[8] = (digest[8] & 0x3F) | 0x80
    return f"ce-{uuid.UUID(bytes=bytes(digest))}"


def entity_ctid(base: str, kind: str, id_: str, given: str | None) -> str:
    """The CTID an entity carries in the YAML (``ctid:``, e.g. from ``import ctdl``), else
    the derived one."""
    return given if given is not None else ctid(base, kind, id_)


IDENTIFIER_TYPE = "credpath id"


def identifier(id_: str) -> list[dict[str, Any]]:
    """The credpath id as a CTDL identifier, so an imported document keeps its ids."""
    return [
        {
            "@type": "ceterms:IdentifierValue",
            "ceterms:identifierTypeName": {"en": IDENTIFIER_TYPE},
            "ceterms:identifierValueCode": id_,
        }
    ]


# -- readiness ------------------------------------------------------------------------------

RA_COMMIT = "d85a12069d99e1d6c783e892ddee9a08a01a3775"
"""The Registry_Assistant commit whose Required properties ``REQUIRED`` lists
(src/RA.Models/Input/PathwayRequest.cs and CredentialRequest.cs; docs/ctdl.md)."""

_COMPONENT = ("ceterms:ctid", "ceterms:name")
_CREDENTIAL = (
    "ceterms:ctid",
    "ceterms:name",
    "ceterms:description",
    "ceterms:ownedBy",
    "ceterms:credentialStatusType",
    "ceterms:subjectWebpage",
    "ceterms:inLanguage",
)
REQUIRED: dict[str, tuple[str, ...]] = {
    "ceterms:Pathway": (
        "ceterms:ctid",
        "ceterms:name",
        "ceterms:description",
        "ceterms:ownedBy|ceterms:offeredBy",
        "ceterms:lifeCycleStatusType",
    ),
    **{
        f"ceterms:{kind}Component": _COMPONENT
        for kind in [
            "Assessment",
            "Basic",
            "Cocurricular",
            "Collection",
            "Competency",
            "Course",
            "Extracurricular",
            "Job",
            "Multi",
            "WorkExperience",
        ]
    },
    "ceterms:CredentialComponent": (*_COMPONENT, "ceterms:credentialType"),
    "ceterms:ComponentCondition": ("ceterms:description",),
    **dict.fromkeys(sorted(CREDENTIAL_CLASSES), _CREDENTIAL),
}
"""What the publishing tool marks Required, per class: a pathway, each kind of pathway
component, a component condition, a credential (``a|b``: at least one of them). The
descriptions of a pathway and a credential need 15 characters or more, and a credential's
class may not be the abstract ``ceterms:Credential`` or ``ceterms:Degree``."""

ABSTRACT_CLASSES = frozenset({"ceterms:Credential", "ceterms:Degree"})


def _present(node: dict[str, Any], prop: str) -> bool:
    value = node.get(prop)
    if isinstance(value, dict):  # a language map: some text in it
        return any(isinstance(v, str) and v.strip() for v in value.values()) or "@type" in value
    return value not in (None, "", [])


def missing_required(document: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(the top-level record's @id, the class, the property) for each Required property
    a record of the document lacks, conditions within components included."""
    missing: list[tuple[str, str, str]] = []
    for top in document.get("@graph", []):
        stack = [top]
        while stack:
            node = stack.pop()
            stack.extend(node.get("ceterms:hasCondition", []))
            cls = str(node.get("@type"))
            if cls in ABSTRACT_CLASSES:
                missing.append((top["@id"], cls, "@type"))
            for prop in REQUIRED.get("ceterms:Credential" if cls in ABSTRACT_CLASSES else cls, ()):
                if not any(_present(node, p) for p in prop.split("|")):
                    missing.append((top["@id"], cls, prop))
                elif prop == "ceterms:description" and cls != "ceterms:ComponentCondition":
                    text = "".join(str(v) for v in node[prop].values())
                    if len(text.strip()) < MIN_DESCRIPTION:
                        missing.append((top["@id"], cls, prop))
    return missing


def readiness(sem: Semantics, drafts: bool = False) -> list[Diagnostic]:
    """What the Registry would refuse: the ctdl-readiness rule's findings (what the author
    must add, where), then what the export itself leaves out of the Required list."""
    found = ctdl_readiness.findings(sem, drafts=drafts)
    told = ctdl_readiness.reported(sem, drafts=drafts)
    return sorted([*found, *unexported(sem, settings(sem.catalog, drafts), told)])


def unexported(sem: Semantics, setting: Settings, told: set[str]) -> list[Diagnostic]:
    """The Required properties the export itself leaves out, at the record they belong to
    (what an author must add is the rule's to say, in the author's words: ``told``)."""
    from credpath.checks.context import at_id

    catalog = sem.catalog
    origin_of: dict[str, tuple[str, CredentialDef | OutcomeDef]] = {}
    for credential in ctdl_readiness.exported(catalog, setting):
        uri = _uri(entity_ctid(setting.base, "credential", credential.id, credential.model.ctid))
        origin_of[uri] = (f"credential '{credential.id}'", credential)
    for outcome in catalog.outcomes.values():
        uri = _uri(entity_ctid(setting.base, "pathway", outcome.id, outcome.model.ctid))
        origin_of[uri] = (f"the pathway to '{outcome.id}'", outcome)
    document = export(sem, drafts=setting.drafts)
    part_of = {n["@id"]: n.get("ceterms:isPartOf", n["@id"]) for n in document["@graph"]}
    found = []
    for uri, cls, prop in missing_required(document):
        owner = origin_of.get(uri) or origin_of.get(part_of[uri])
        if owner is None or owner[1].id in told:
            continue
        label, entity = owner
        found.append(
            at_id(
                entity.origin,
                ctdl_readiness.ID,
                f"{label}: its {cls} in the CTDL export lacks {prop}, which the Credential "
                "Registry requires (credpath writes it: please report this)",
            )
        )
    return found


# -- the document ---------------------------------------------------------------------------


def _lang(setting: Settings, text: str) -> dict[str, str]:
    return {setting.language: text}


def _uri(ctid_: str) -> str:
    return RESOURCES + ctid_


def _status(retired: bool) -> dict[str, Any]:
    status = "Deprecated" if retired else "Active"
    return {
        "@type": "ceterms:CredentialAlignmentObject",
        "ceterms:framework": "https://credreg.net/ctdl/terms/CredentialStatus",
        "ceterms:targetNode": f"credentialStat:{status}",
        "ceterms:frameworkName": {"en": "Credential Status"},
        "ceterms:targetNodeName": {"en": status},
    }


def _life_cycle_active() -> dict[str, Any]:
    """``lifeCycle:Active``: the publishing tool's default for a pathway, and credpath
    publishes no other (a retired outcome is simply not exported)."""
    return {
        "@type": "ceterms:CredentialAlignmentObject",
        "ceterms:framework": "https://credreg.net/ctdl/terms/LifeCycleStatus",
        "ceterms:targetNode": "lifeCycle:Active",
        "ceterms:frameworkName": {"en": "Life Cycle Status"},
        "ceterms:targetNodeName": {"en": "Active"},
    }


def export(sem: Semantics, *, drafts: bool = False) -> dict[str, Any]:
    """The whole project as one JSON-LD document ``{"@context", "@graph"}``."""
    catalog = sem.catalog
    setting = settings(catalog, drafts)
    base = setting.base
    graph: list[dict[str, Any]] = []
    credentials = ctdl_readiness.exported(catalog, setting)
    organizations: dict[str, str] = {}

    def organization(name: str) -> str:
        if name not in organizations:
            organizations[name] = _uri(ctid("", "organization", name))
        return organizations[name]

    for credential in credentials:
        model = credential.model
        node_ctid = entity_ctid(base, "credential", credential.id, model.ctid)
        node: dict[str, Any] = {
            "@id": _uri(node_ctid),
            "@type": ctdl_class(credential) or "ceterms:Credential",
            "ceterms:ctid": node_ctid,
            "ceterms:identifier": identifier(credential.id),
            "ceterms:name": _lang(setting, model.title),
            "ceterms:inLanguage": [setting.language],
            "ceterms:credentialStatusType": _status(credential.status == "retired"),
        }
        if model.description:
            node["ceterms:description"] = _lang(setting, model.description)
        if model.provider:
            node["ceterms:ownedBy"] = [organization(model.provider)]
        webpage = ctdl_readiness.webpage(credential, setting)
        if webpage:
            node["ceterms:subjectWebpage"] = webpage
        if credential.grants:
            node["ceterms:requires"] = [_certifies(catalog, credential, setting)]
        graph.append(node)
    graph.extend(_framework(catalog, setting))
    owners = {o.id: ctdl_readiness.owners(sem, o, setting) for o in catalog.outcomes.values()}
    for outcome_id in sorted(catalog.outcomes):
        outcome = catalog.outcomes[outcome_id]
        named = [setting.publisher] if setting.publisher else owners[outcome_id]
        graph.extend(
            _pathway(sem, outcome, setting, [organization(name) for name in named], credentials)
        )
    for name, uri in sorted(organizations.items()):
        org_ctid = uri.removeprefix(RESOURCES)
        graph.append(
            {
                "@id": uri,
                "@type": "ceterms:CredentialOrganization",
                "ceterms:ctid": org_ctid,
                "ceterms:name": _lang(setting, name),
            }
        )
    graph.sort(key=lambda n: (str(n["@type"]), n["@id"]))
    return {"@context": CONTEXT, "@graph": graph}


def competency_uri(catalog: Catalog, base: str, competency_id: str) -> str:
    entry = catalog.competencies.get(competency_id)
    return _uri(entity_ctid(base, "competency", competency_id, entry.model.ctid if entry else None))


def _certifies(catalog: Catalog, credential: CredentialDef, setting: Settings) -> dict[str, Any]:
    """What holding the credential demonstrates (its ``grants``), as CTDL says it: a
    condition profile whose target competencies carry the level (``sql@2``)."""
    return {
        "@type": "ceterms:ConditionProfile",
        "ceterms:description": _lang(setting, "The competencies this credential certifies."),
        "ceterms:targetCompetency": [
            {
                "@type": "ceterms:CredentialAlignmentObject",
                "ceterms:targetNode": competency_uri(catalog, setting.base, grant.target),
                "ceterms:codedNotation": str(grant),
            }
            for grant in credential.grants
            if grant.target in catalog.competencies
        ],
    }


ASSUMED_TYPE = "credpath assumed"


def _assumed(catalog: Catalog, setting: Settings, pathway_ctid: str) -> list[dict[str, Any]]:
    """What every learner brings (``assumed``), as competency components of the pathway."""
    found = []
    for competency_id, level in sorted(catalog.assumed.items()):
        if competency_id not in catalog.competencies:
            continue
        text = f"{competency_id}@{level}"
        node_ctid = ctid(pathway_ctid, "assumed", text)
        title = catalog.competencies[competency_id].model.title
        found.append(
            {
                "@id": _uri(node_ctid),
                "@type": "ceterms:CompetencyComponent",
                "ceterms:ctid": node_ctid,
                "ceterms:name": _lang(setting, f"Brought by every learner: {title}"),
                "ceterms:identifier": [
                    {
                        "@type": "ceterms:IdentifierValue",
                        "ceterms:identifierTypeName": {"en": ASSUMED_TYPE},
                        "ceterms:identifierValueCode": text,
                    }
                ],
                "ceterms:proxyFor": competency_uri(catalog, setting.base, competency_id),
            }
        )
    return found


def _framework(catalog: Catalog, setting: Settings) -> Iterator[dict[str, Any]]:
    """The competencies as one ceasn:CompetencyFramework, aligned to ESCO/O*NET."""
    if not catalog.competencies:
        return
    base = setting.base
    framework_ctid = catalog.config.framework_ctid or ctid(base, "framework", catalog.name)
    framework = _uri(framework_ctid)
    members = [
        _uri(entity_ctid(base, "competency", c, catalog.competencies[c].model.ctid))
        for c in sorted(catalog.competencies)
    ]
    yield {
        "@id": framework,
        "@type": "ceasn:CompetencyFramework",
        "ceterms:ctid": framework_ctid,
        "ceasn:name": _lang(setting, f"{catalog.name}: competencies"),
        "ceasn:inLanguage": [setting.language],
        "ceasn:hasTopChild": members,
    }
    for competency_id, uri in zip(sorted(catalog.competencies), members, strict=True):
        model = catalog.competencies[competency_id].model
        node: dict[str, Any] = {
            "@id": uri,
            "@type": "ceasn:Competency",
            "ceterms:ctid": uri.removeprefix(RESOURCES),
            "ceasn:codedNotation": competency_id,
            "ceasn:competencyText": _lang(setting, model.title),
            "ceasn:isPartOf": framework,
            "ceasn:isTopChildOf": framework,
        }
        if model.description:
            node["ceasn:comment"] = _lang(setting, model.description)
        aligned = sorted({a.uri for a in model.aligns or () if a.uri})
        if aligned:
            node["ceasn:exactAlignment"] = aligned
        yield node


def _pathway(
    sem: Semantics,
    outcome: OutcomeDef,
    setting: Settings,
    owners: list[str],
    exported: list[CredentialDef],
) -> list[dict[str, Any]]:
    """One ceterms:Pathway: the job as destination, a component per credential that can
    lead there, the requirements as conditions, the order as precedes/precededBy."""
    base = setting.base
    pathway_ctid = entity_ctid(base, "pathway", outcome.id, outcome.model.ctid)
    pathway = _uri(pathway_ctid)
    job_ctid = ctid(pathway_ctid, "job-component", "")
    job = _uri(job_ctid)
    usable = {c.id: c for c in exported}
    leading = sorted(c for c in sem.leading_to_outcome(outcome.id) if c in usable)
    credential_uri = {
        c: _uri(entity_ctid(base, "credential", c, usable[c].model.ctid)) for c in leading
    }
    component = {c: _uri(ctid(pathway_ctid, "component", credential_uri[c])) for c in leading}
    before: dict[str, set[str]] = {uri: set() for uri in [job, *component.values()]}
    nodes: list[dict[str, Any]] = []

    def conditions(requirement: Requirement, owner: str, label: str) -> list[dict[str, Any]]:
        condition = _condition(sem, requirement, component, label)
        for ref in refs(requirement):
            for server in sem.servers(ref):
                if server.id in component and component[server.id] != owner:
                    before[owner].add(component[server.id])
        return [condition] if condition is not None else []

    job_node: dict[str, Any] = {
        "@id": job,
        "@type": "ceterms:JobComponent",
        "ceterms:ctid": job_ctid,
        "ceterms:identifier": identifier(outcome.id),
        "ceterms:name": _lang(setting, outcome.model.title),
        "ceterms:isDestinationComponentOf": pathway,
        "ceterms:isPartOf": pathway,
    }
    occupation = outcome.model.occupation
    if occupation is not None:
        codes = _occupations(occupation)
        if codes:
            job_node["ceterms:occupationType"] = codes
    job_node["ceterms:hasCondition"] = conditions(outcome.requires, job, outcome.model.title)
    nodes.append(job_node)
    for credential_id in leading:
        credential = sem.catalog.credentials[credential_id]
        uri = component[credential_id]
        node: dict[str, Any] = {
            "@id": uri,
            "@type": "ceterms:CredentialComponent",
            "ceterms:ctid": uri.removeprefix(RESOURCES),
            "ceterms:name": _lang(setting, credential.model.title),
            "ceterms:credentialType": ctdl_class(credential) or "ceterms:Credential",
            "ceterms:proxyFor": credential_uri[credential_id],
            "ceterms:isPartOf": pathway,
        }
        node["ceterms:hasCondition"] = conditions(credential.requires, uri, credential.model.title)
        nodes.append(node)
    after: dict[str, set[str]] = {uri: set() for uri in before}
    for uri, earlier in before.items():
        for previous in earlier:
            after[previous].add(uri)
    for node in nodes:
        if not node["ceterms:hasCondition"]:
            del node["ceterms:hasCondition"]
        if before[node["@id"]]:
            node["ceterms:precededBy"] = sorted(before[node["@id"]])
        if after[node["@id"]]:
            node["ceterms:precedes"] = sorted(after[node["@id"]])
    brought = _assumed(sem.catalog, setting, pathway_ctid)
    for node in brought:
        node["ceterms:isPartOf"] = pathway
    nodes.extend(brought)
    description = outcome.model.description
    pathway_node: dict[str, Any] = {
        "@id": pathway,
        "@type": "ceterms:Pathway",
        "ceterms:ctid": pathway_ctid,
        "ceterms:name": _lang(setting, outcome.model.title),
        "ceterms:hasDestinationComponent": [job],
        "ceterms:hasPart": sorted([job, *component.values(), *(n["@id"] for n in brought)]),
    }
    if description:
        pathway_node["ceterms:description"] = _lang(setting, description)
    if owners:
        pathway_node["ceterms:ownedBy"] = owners
    pathway_node["ceterms:lifeCycleStatusType"] = _life_cycle_active()
    if setting.site_url:
        pathway_node["ceterms:subjectWebpage"] = (
            f"{setting.site_url.rstrip('/')}/outcomes/{outcome.id}.html"
        )
    return [pathway_node, *nodes]


OCCUPATION_FRAMEWORKS = (
    ("esco", "http://data.europa.eu/esco/occupation", "ESCO occupations", "ceterms:targetNode"),
    ("onet", "https://www.onetcenter.org/taxonomy.html", "O*NET-SOC", "ceterms:codedNotation"),
    ("isco", "https://isco.ilo.org/en/isco-08/", "ISCO-08", "ceterms:codedNotation"),
)
"""Per occupation code an outcome may carry: its framework, the framework's name, and
whether the code is a URI (ESCO's target node) or a coded notation."""


def _occupations(occupation: Any) -> list[dict[str, Any]]:
    return [
        {
            "@type": "ceterms:CredentialAlignmentObject",
            "ceterms:framework": framework,
            "ceterms:frameworkName": {"en": name},
            key: getattr(occupation, field),
        }
        for field, framework, name, key in OCCUPATION_FRAMEWORKS
        if getattr(occupation, field)
    ]


def _condition(
    sem: Semantics, requirement: Requirement, component: dict[str, str], label: str
) -> dict[str, Any] | None:
    """A requirement as a ceterms:ComponentCondition: ``all`` needs every part, ``any`` one,
    ``choose`` its number; a competency level is met by any credential that grants it."""
    if isinstance(requirement, Ref):
        targets = sorted({component[s.id] for s in sem.servers(requirement) if s.id in component})
        if not targets:
            return None
        what = str(requirement)  # sql@2, whatever level name was written
        which = (
            "the target component gives"
            if len(targets) == 1
            else f"any one of the {len(targets)} target components gives"
        )
        return {
            "@type": "ceterms:ComponentCondition",
            "ceterms:name": {"en": f"{label}: requires {what}"},
            "ceterms:description": {"en": f"Requires {what}, which {which}."},
            "ceterms:requiredNumber": 1,
            "ceterms:targetComponent": targets,
        }
    if isinstance(requirement, All | AnyOf | Choose):
        parts = [_condition(sem, item, component, label) for item in requirement.items]
        present = [p for p in parts if p is not None]
        if not present:
            return None
        if isinstance(requirement, All):
            needed, word = len(present), "all of"
        elif isinstance(requirement, AnyOf):
            needed, word = 1, "one of"
        else:
            needed, word = min(requirement.n, len(present)), f"{requirement.n} of"
        if len(present) == 1 and needed == 1:
            return present[0]
        how = f"all {needed}" if needed == len(present) else "one" if needed == 1 else f"{needed}"
        return {
            "@type": "ceterms:ComponentCondition",
            "ceterms:name": {"en": f"{label}: {word}"},
            "ceterms:description": {
                "en": f"Requires {how} of the {len(present)} conditions below."
            },
            "ceterms:requiredNumber": needed,
            "ceterms:hasCondition": present,
        }
    return None
