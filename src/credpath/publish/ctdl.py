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
from dataclasses import dataclass
from typing import Any

from credpath.base.diagnostics import Diagnostic
from credpath.compiler.requirements import All, AnyOf, Choose, Ref, Requirement, refs
from credpath.compiler.resolve import Catalog, CredentialDef, OutcomeDef
from credpath.compiler.semantics import Semantics

CONTEXT = "https://credreg.net/ctdl/schema/context/json"
RESOURCES = "https://credentialengineregistry.org/resources/"
RULE = "ctdl-readiness"
MIN_DESCRIPTION = 15
"""The Registry refuses a description shorter than this (Registry Assistant minimum data)."""

CLASS_OF_TYPE = {
    "micro-credential": "ceterms:MicroCredential",
    "course": "ceterms:CertificateOfCompletion",
    "badge": "ceterms:DigitalBadge",
    "certificate": "ceterms:Certificate",
    "certification": "ceterms:Certification",
    "license": "ceterms:License",
    "diploma": "ceterms:Diploma",
    "apprenticeship": "ceterms:ApprenticeshipCertificate",
    "assessment": "ceterms:ProficiencyCertificate",
}
"""The CTDL class of each credpath type; ``degree`` and ``ext:`` types name theirs with
``ctdl_type`` (a degree has many subclasses, and guessing one would be invented data)."""

DEGREE_CLASSES = frozenset(
    "ceterms:" + name
    for name in [
        "AssociateDegree", "AssociateOfAppliedArtsDegree", "AssociateOfAppliedScienceDegree",
        "AssociateOfArtsDegree", "AssociateOfScienceDegree", "BachelorDegree",
        "BachelorOfArtsDegree", "BachelorOfScienceDegree", "Degree", "DoctoralDegree",
        "MasterDegree", "MasterOfArtsDegree", "MasterOfScienceDegree", "ProfessionalDoctorate",
        "ResearchDoctorate", "SpecialistDegree",
    ]
)  # fmt: skip
CREDENTIAL_CLASSES = DEGREE_CLASSES | frozenset(CLASS_OF_TYPE.values()) | frozenset(
    "ceterms:" + name
    for name in [
        "AcademicCertificate", "Badge", "BasicTechnicalCertificate", "CertificateOfParticipation",
        "GeneralEducationDevelopment", "JourneymanCertificate", "MasterCertificate", "OpenBadge",
        "PostBaccalaureateCertificate", "PostMasterCertificate", "PreApprenticeshipCertificate",
        "ProfessionalCertificate", "QualityAssuranceCredential", "SecondarySchoolDiploma",
        "WorkBasedLearningCertificate",
    ]
)  # fmt: skip
"""The subclasses of ceterms:Credential a ``ctdl_type`` may name."""


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


def ctdl_class(credential: CredentialDef) -> str | None:
    named = credential.model.ctdl_type
    if named is not None:
        name = named if named.startswith("ceterms:") else f"ceterms:{named}"
        return name if name in CREDENTIAL_CLASSES else None
    return CLASS_OF_TYPE.get(credential.model.type)


@dataclass(frozen=True)
class Settings:
    base: str
    language: str
    publisher: str | None
    site_url: str | None
    drafts: bool


def settings(catalog: Catalog, drafts: bool) -> Settings:
    config = catalog.config
    site = config.site_url or (f"{config.base_uri.rstrip('/')}/" if config.base_uri else None)
    return Settings(
        config.base_uri or f"urn:credpath:{catalog.name}",
        config.language,
        config.publisher,
        site,
        drafts,
    )


def _webpage(credential: CredentialDef, setting: Settings) -> str | None:
    if credential.model.url:
        return credential.model.url
    if setting.site_url:
        return f"{setting.site_url.rstrip('/')}/credentials/{credential.id}.html"
    return None


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
    """What the Registry would refuse and no default supplies, where the author adds it."""
    from credpath.checks.context import at_id, finding

    catalog = sem.catalog
    setting = settings(catalog, drafts)
    found: list[Diagnostic] = []
    told: set[str] = set()
    # the records already reported: what they lack is for the author to add
    for credential in _exported(catalog, setting):
        if _author_gaps(credential, setting):
            told.add(credential.id)
        origin = credential.origin
        model = credential.model
        description = (model.description or "").strip()
        if len(description) < MIN_DESCRIPTION:
            where = "description" if model.description is not None else "id"
            found.append(
                finding(
                    origin.source,
                    (*origin.path, where),
                    RULE,
                    f"credential '{credential.id}' needs a description of at least "
                    f"{MIN_DESCRIPTION} characters for the Credential Registry"
                    + (" (add description:)" if where == "id" else ""),
                )
            )
        if not model.provider:
            found.append(
                at_id(
                    origin,
                    RULE,
                    f"credential '{credential.id}' needs its owning organization for the "
                    "Credential Registry: add provider:",
                )
            )
        if _webpage(credential, setting) is None:
            found.append(
                at_id(
                    origin,
                    RULE,
                    f"credential '{credential.id}' needs a subject web page for the Credential "
                    "Registry: add url:, or base_uri: or site_url: to credpath.yaml",
                )
            )
        if ctdl_class(credential) is None:
            known = "a subclass such as BachelorDegree" if model.type == "degree" else "its class"
            place = "ctdl_type" if model.ctdl_type is not None else "type"
            found.append(
                finding(
                    origin.source,
                    (*origin.path, place),
                    RULE,
                    f"credential '{credential.id}' of type '{model.type}' needs its CTDL class: "
                    f"add ctdl_type: with {known} (docs/ctdl.md lists them)",
                )
            )
    for outcome in sorted(catalog.outcomes.values(), key=lambda o: o.id):
        description = (outcome.model.description or "").strip()
        if len(description) < MIN_DESCRIPTION:
            where = "description" if outcome.model.description is not None else "id"
            found.append(
                finding(
                    outcome.origin.source,
                    (*outcome.origin.path, where),
                    RULE,
                    f"outcome '{outcome.id}' needs a description of at least {MIN_DESCRIPTION} "
                    "characters: its pathway's description in the Credential Registry",
                )
            )
            told.add(outcome.id)
        if setting.publisher is None and not _owners(sem, outcome, setting):
            found.append(
                at_id(
                    outcome.origin,
                    RULE,
                    f"the pathway to '{outcome.id}' needs an owner for the Credential Registry: "
                    "add publisher: to credpath.yaml, or provider: to its credentials",
                )
            )
            told.add(outcome.id)
    found.extend(_unexported(sem, setting, told))
    return sorted(found)


def _unexported(sem: Semantics, setting: Settings, told: set[str]) -> list[Diagnostic]:
    """The Required properties the export itself leaves out, at the record they belong to
    (what an author must add is reported above, in the author's words)."""
    from credpath.checks.context import at_id

    catalog = sem.catalog
    origin_of: dict[str, tuple[str, CredentialDef | OutcomeDef]] = {}
    for credential in _exported(catalog, setting):
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
                RULE,
                f"{label}: its {cls} in the CTDL export lacks {prop}, which the Credential "
                "Registry requires (credpath writes it: please report this)",
            )
        )
    return found


def _author_gaps(credential: CredentialDef, setting: Settings) -> bool:
    """Whether the credential misses minimum data only its author can add."""
    model = credential.model
    return (
        len((model.description or "").strip()) < MIN_DESCRIPTION
        or not model.provider
        or _webpage(credential, setting) is None
        or ctdl_class(credential) is None
    )


# -- the document ---------------------------------------------------------------------------


def _exported(catalog: Catalog, setting: Settings) -> list[CredentialDef]:
    return [
        c
        for c in sorted(catalog.credentials.values(), key=lambda c: c.id)
        if c.status != "draft" or setting.drafts
    ]


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


def _owners(sem: Semantics, outcome: OutcomeDef, setting: Settings) -> list[str]:
    leading = sem.leading_to_outcome(outcome.id)
    providers = {
        c.model.provider
        for c in sem.catalog.credentials.values()
        if c.id in leading and c.model.provider and (c.status != "draft" or setting.drafts)
    }
    return sorted(p for p in providers if p)


def export(sem: Semantics, *, drafts: bool = False) -> dict[str, Any]:
    """The whole project as one JSON-LD document ``{"@context", "@graph"}``."""
    catalog = sem.catalog
    setting = settings(catalog, drafts)
    base = setting.base
    graph: list[dict[str, Any]] = []
    credentials = _exported(catalog, setting)
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
        webpage = _webpage(credential, setting)
        if webpage:
            node["ceterms:subjectWebpage"] = webpage
        if credential.grants:
            node["ceterms:requires"] = [_certifies(catalog, credential, setting)]
        graph.append(node)
    graph.extend(_framework(catalog, setting))
    owners = {o.id: _owners(sem, o, setting) for o in catalog.outcomes.values()}
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


def _occupations(occupation: Any) -> list[dict[str, Any]]:
    codes: list[dict[str, Any]] = []
    if occupation.esco:
        codes.append(
            {
                "@type": "ceterms:CredentialAlignmentObject",
                "ceterms:framework": "http://data.europa.eu/esco/occupation",
                "ceterms:frameworkName": {"en": "ESCO occupations"},
                "ceterms:targetNode": occupation.esco,
            }
        )
    if occupation.onet:
        codes.append(
            {
                "@type": "ceterms:CredentialAlignmentObject",
                "ceterms:framework": "https://www.onetcenter.org/taxonomy.html",
                "ceterms:frameworkName": {"en": "O*NET-SOC"},
                "ceterms:codedNotation": occupation.onet,
            }
        )
    if occupation.isco:
        codes.append(
            {
                "@type": "ceterms:CredentialAlignmentObject",
                "ceterms:framework": "https://isco.ilo.org/en/isco-08/",
                "ceterms:frameworkName": {"en": "ISCO-08"},
                "ceterms:codedNotation": occupation.isco,
            }
        )
    return codes


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
