"""A record the Credential Registry would refuse: minimum data that no default supplies.

Only ``credpath export ctdl --check`` runs this rule; ``validate`` and ``lint`` do not,
as a project need not be published to the Registry. The Registry refuses a credential
without a description of 15 characters or more, an owning organization (``provider``),
a subject web page (``url``, or ``site_url`` / ``base_uri`` in credpath.yaml) or a CTDL
class (``type``, or ``ctdl_type`` for a degree); and the pathway to an outcome without
such a description or an owner (``publisher`` in credpath.yaml, or the providers of its
credentials). Each is reported where the author adds it; docs/ctdl.md has the whole
list. The exported document is then checked against that list too, so that a property
credpath failed to write is reported as well (please report it). Drafts are left out
unless ``--drafts`` publishes them.

Failing::

    credentials:
      - id: sql-foundations
        title: SQL Foundations
        type: course
        provider: Example University
        url: https://example.edu/sql

Gives::

    curriculum.yaml:2:9: error: credential 'sql-foundations' needs a description of at
      least 15 characters for the Credential Registry (add description:) [ctdl-readiness]

Passing::

    credentials:
      - id: sql-foundations
        title: SQL Foundations
        type: course
        provider: Example University
        url: https://example.edu/sql
        description: Writing SELECT queries against one table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from credpath.base.diagnostics import Diagnostic, Severity
from credpath.checks.context import Context, at_id, finding
from credpath.checks.rules.base import Rule
from credpath.compiler.resolve import Catalog, CredentialDef, OutcomeDef
from credpath.compiler.semantics import Semantics

ID = "ctdl-readiness"
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


def ctdl_class(credential: CredentialDef) -> str | None:
    named = credential.model.ctdl_type
    if named is not None:
        name = named if named.startswith("ceterms:") else f"ceterms:{named}"
        return name if name in CREDENTIAL_CLASSES else None
    return CLASS_OF_TYPE.get(credential.model.type)


@dataclass(frozen=True)
class Settings:
    """What credpath.yaml says about publishing, as the export and this rule read it."""

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


def webpage(credential: CredentialDef, setting: Settings) -> str | None:
    if credential.model.url:
        return credential.model.url
    if setting.site_url:
        return f"{setting.site_url.rstrip('/')}/credentials/{credential.id}.html"
    return None


def exported(catalog: Catalog, setting: Settings) -> list[CredentialDef]:
    """The credentials the export publishes, by id: drafts only with ``--drafts``."""
    return [
        c
        for c in sorted(catalog.credentials.values(), key=lambda c: c.id)
        if c.status != "draft" or setting.drafts
    ]


def owners(sem: Semantics, outcome: OutcomeDef, setting: Settings) -> list[str]:
    """The providers of the published credentials that lead to ``outcome``."""
    leading = sem.leading_to_outcome(outcome.id)
    providers = {
        c.model.provider
        for c in sem.catalog.credentials.values()
        if c.id in leading and c.model.provider and (c.status != "draft" or setting.drafts)
    }
    return sorted(p for p in providers if p)


def check(ctx: Context) -> Iterator[Diagnostic]:
    """What the author must add. ``export ctdl`` checks with ``no_drafts`` unless given
    ``--drafts``, so the credentials checked are those it publishes."""
    return iter(findings(ctx.semantics, drafts=not ctx.options.no_drafts))


def findings(sem: Semantics, *, drafts: bool) -> list[Diagnostic]:
    """What the Registry would refuse and no default supplies, where the author adds it."""
    catalog = sem.catalog
    setting = settings(catalog, drafts)
    found: list[Diagnostic] = []
    for credential in exported(catalog, setting):
        found += _credential(credential, setting)
    for outcome in sorted(catalog.outcomes.values(), key=lambda o: o.id):
        found += _outcome(sem, outcome, setting)
    return found


def reported(sem: Semantics, *, drafts: bool) -> set[str]:
    """The credentials and outcomes this rule reports: what their records lack in the
    export is for the author to add, not a fault of the exporter."""
    catalog = sem.catalog
    setting = settings(catalog, drafts)
    told = {c.id for c in exported(catalog, setting) if _credential(c, setting)}
    told |= {o.id for o in catalog.outcomes.values() if _outcome(sem, o, setting)}
    return told


def _credential(credential: CredentialDef, setting: Settings) -> list[Diagnostic]:
    origin = credential.origin
    model = credential.model
    found: list[Diagnostic] = []
    if len((model.description or "").strip()) < MIN_DESCRIPTION:
        where = "description" if model.description is not None else "id"
        found.append(
            finding(
                origin.source,
                (*origin.path, where),
                ID,
                f"credential '{credential.id}' needs a description of at least "
                f"{MIN_DESCRIPTION} characters for the Credential Registry"
                + (" (add description:)" if where == "id" else ""),
            )
        )
    if not model.provider:
        found.append(
            at_id(
                origin,
                ID,
                f"credential '{credential.id}' needs its owning organization for the "
                "Credential Registry: add provider:",
            )
        )
    if webpage(credential, setting) is None:
        found.append(
            at_id(
                origin,
                ID,
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
                ID,
                f"credential '{credential.id}' of type '{model.type}' needs its CTDL class: "
                f"add ctdl_type: with {known} (docs/ctdl.md lists them)",
            )
        )
    return found


def _outcome(sem: Semantics, outcome: OutcomeDef, setting: Settings) -> list[Diagnostic]:
    origin = outcome.origin
    found: list[Diagnostic] = []
    if len((outcome.model.description or "").strip()) < MIN_DESCRIPTION:
        where = "description" if outcome.model.description is not None else "id"
        found.append(
            finding(
                origin.source,
                (*origin.path, where),
                ID,
                f"outcome '{outcome.id}' needs a description of at least {MIN_DESCRIPTION} "
                "characters: its pathway's description in the Credential Registry",
            )
        )
    if setting.publisher is None and not owners(sem, outcome, setting):
        found.append(
            at_id(
                origin,
                ID,
                f"the pathway to '{outcome.id}' needs an owner for the Credential Registry: "
                "add publisher: to credpath.yaml, or provider: to its credentials",
            )
        )
    return found


RULE = Rule(ID, __doc__ or "", check, Severity.ERROR, on_demand="export ctdl --check")
