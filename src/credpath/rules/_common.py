"""Helpers shared by the graph rules: walking requirements with their source."""

from __future__ import annotations

from collections.abc import Iterator

from credpath.context import Context
from credpath.loader import SourceFile
from credpath.requirements import Ref, Requirement, refs


def checked_requirements(ctx: Context) -> Iterator[tuple[SourceFile, Requirement]]:
    """Requirements the graph checks look at: outcomes, usable credentials, pathway stages."""
    catalog = ctx.catalog
    sem = ctx.semantics
    for outcome in catalog.outcomes.values():
        yield outcome.origin.source, outcome.requires
    for credential in catalog.credentials.values():
        if sem.usable(credential):
            yield credential.origin.source, credential.requires
    for pathway in catalog.pathways.values():
        for stage in pathway.stages:
            for item in stage:
                yield pathway.origin.source, item


def checked_refs(ctx: Context) -> Iterator[tuple[SourceFile, Ref]]:
    for source, requirement in checked_requirements(ctx):
        for ref in refs(requirement):
            yield source, ref
