"""Open Badges 3.0 ``Achievement`` definitions, one per credential (docs/ob3.md).

What a badge platform loads to issue a credential: its id (under ``base_uri``), name,
description, criteria (a narrative built from the requirements), the achievement type
that fits the credential type, the ESCO/O*NET alignments of the competencies it
certifies, and the ECTS credits it carries.
"""

from __future__ import annotations

from typing import Any

from credpath.base.text import slug
from credpath.compiler.requirements import All, AnyOf, Choose, Ref, Requirement
from credpath.compiler.resolve import Catalog, CredentialDef

ACHIEVEMENT_TYPE = {
    "micro-credential": "MicroCredential",
    "course": "Course",
    "badge": "Badge",
    "certificate": "Certificate",
    "certification": "Certification",
    "license": "License",
    "degree": "Degree",
    "diploma": "Diploma",
    "apprenticeship": "ApprenticeshipCertificate",
    "assessment": "Assessment",
}
"""OB3's achievementType per credpath type; an ``ext:x`` type becomes ``ext:x``, which
the vocabulary allows."""


def base(catalog: Catalog) -> tuple[str, str]:
    """Where the ids live, and what joins their parts: ``base_uri`` and ``/``, else
    ``urn:credpath:<the project's name as a slug>`` and ``:`` (a name may hold spaces,
    which an IRI may not)."""
    uri = catalog.config.base_uri
    if uri is not None and uri.startswith("http"):
        return uri.rstrip("/"), "/"
    return uri or f"urn:credpath:{slug(catalog.name) or 'project'}", ":"


def achievement_id(catalog: Catalog, credential_id: str) -> str:
    root, sep = base(catalog)
    return f"{root}{sep}achievements{sep}{credential_id}"


def achievement(catalog: Catalog, credential: CredentialDef) -> dict[str, Any]:
    model = credential.model
    kind = model.type
    document: dict[str, Any] = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": achievement_id(catalog, credential.id),
        "type": ["Achievement"],
        "name": model.title,
        "description": model.description or model.title,
        "criteria": {"narrative": criteria(catalog, credential)},
        "achievementType": ACHIEVEMENT_TYPE.get(kind, kind),
        "inLanguage": catalog.config.language,
        "humanCode": credential.id,
    }
    if model.url:
        document["criteria"]["id"] = model.url
    if model.provider:
        root, sep = base(catalog)
        document["creator"] = {
            "id": f"{root}{sep}organizations/{slug(model.provider) or 'organization'}",
            "type": ["Profile"],
            "name": model.provider,
        }
    workload = model.workload
    if workload is not None and workload.ects is not None:
        document["creditsAvailable"] = workload.ects
    alignments = _alignments(catalog, credential)
    if alignments:
        document["alignment"] = alignments
    return document


def criteria(catalog: Catalog, credential: CredentialDef) -> str:
    """A readable narrative: what earning it takes, and what it certifies."""
    lines = []
    needed = _text(catalog, credential.requires)
    lines.append(f"Requires {needed}." if needed else "Open to every learner: nothing required.")
    granted = [_reference(catalog, g) for g in credential.grants]
    if granted:
        lines.append(f"Certifies {', '.join(granted)}.")
    if credential.model.assessment:
        lines.append(f"Assessment: {credential.model.assessment}")
    return " ".join(lines)


def _text(catalog: Catalog, requirement: Requirement) -> str:
    if isinstance(requirement, Ref):
        return _reference(catalog, requirement)
    if isinstance(requirement, All | AnyOf | Choose):
        parts = [_text(catalog, item) for item in requirement.items]
        if not parts:
            return ""
        if len(parts) == 1:
            return parts[0]
        if isinstance(requirement, All):
            return "all of: " + "; ".join(parts)
        n = 1 if isinstance(requirement, AnyOf) else requirement.n
        return f"{'one' if n == 1 else n} of: " + "; ".join(parts)
    return "a requirement that is not valid"


def _reference(catalog: Catalog, ref: Ref) -> str:
    if ref.kind == "credential":
        entry = catalog.credentials.get(ref.target)
        return f"the credential '{entry.model.title if entry else ref.target}'"
    competency = catalog.competencies.get(ref.target)
    if competency is None:
        return ref.text
    title = competency.model.title
    if len(competency.levels) > 1 and 1 <= ref.number <= len(competency.levels):
        return f"{title} at level {ref.number} ({competency.levels[ref.number - 1]})"
    return title


def _alignments(catalog: Catalog, credential: CredentialDef) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for grant in credential.grants:
        competency = catalog.competencies.get(grant.target)
        if competency is None:
            continue
        for align in competency.model.aligns or ():
            if not align.uri:
                continue
            entry: dict[str, Any] = {
                "type": ["Alignment"],
                "targetName": align.name or competency.model.title,
                "targetUrl": align.uri,
                "targetFramework": align.framework,
                "targetType": "ceasn:Competency",
            }
            if align.code:
                entry["targetCode"] = align.code
            found.setdefault(align.uri, entry)
    return [found[k] for k in sorted(found)]


def export(catalog: Catalog, *, drafts: bool = False) -> dict[str, dict[str, Any]]:
    """{file name: Achievement} for every credential (drafts with ``drafts``)."""
    return {
        f"{c.id}.json": achievement(catalog, c)
        for c in sorted(catalog.credentials.values(), key=lambda c: c.id)
        if c.status != "draft" or drafts
    }
