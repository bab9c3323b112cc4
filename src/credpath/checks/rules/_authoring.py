"""Helpers shared by the authoring rules of ``credpath lint`` (docs/format.md section 6)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from credpath.checks.context import Context
from credpath.compiler.facts import Origin
from credpath.compiler.resolve import (
    AnyDef,
    CompetencyDef,
    CredentialDef,
    OutcomeDef,
    PathwayDef,
)

KIND_OF: dict[type, str] = {
    CompetencyDef: "competency",
    CredentialDef: "credential",
    OutcomeDef: "outcome",
    PathwayDef: "pathway",
}


def kind_of(entry: AnyDef) -> str:
    return KIND_OF[type(entry)]


def content_credentials(ctx: Context) -> Iterator[CredentialDef]:
    """Credentials whose own content is checked: retired ones are history, not skipped work."""
    for credential in ctx.catalog.credentials.values():
        if credential.status != "retired":
            yield credential


def entries(ctx: Context) -> Iterator[AnyDef]:
    """Every entry of the project, of all four kinds."""
    catalog = ctx.catalog
    yield from catalog.outcomes.values()
    yield from catalog.competencies.values()
    yield from catalog.credentials.values()
    yield from catalog.pathways.values()


def raw(origin: Origin, field: str) -> Any:
    """The value of ``field`` as written in the file (None when it is not written).

    A field that failed ``schema`` is unset (or a stand-in) in the model; the
    authoring rules look here so as not to report it a second time.
    """
    value: Any = origin.source.documents
    for part in origin.path:
        value = value[part]
    return value.get(field) if isinstance(value, dict) else None


def written(origin: Origin, field: str) -> bool:
    return raw(origin, field) is not None
