"""Helpers shared by the graph rules: walking requirements with their source, and the
grants that did not resolve (a gap or a dead-end may follow from one)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from credpath.base.diagnostics import Subject, SubjectKind
from credpath.base.text import closest
from credpath.checks.context import Context, part_subject
from credpath.compiler.loader import Path_, SourceFile
from credpath.compiler.requirements import (
    Invalid,
    Ref,
    Requirement,
    level_number,
    parse_reference,
    refs,
)
from credpath.compiler.resolve import CredentialDef

if TYPE_CHECKING:
    from credpath.compiler.facts import DuplicateId


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


@dataclass(frozen=True)
class MeantGrant:
    """A grant (or an assumed competency) that did not resolve, read as the finding that
    reports it suggests: the typo fixed, the level name fixed, the entry given an id of
    its own."""

    competency: str
    level: int
    subject: Subject
    """The subject of the finding that reports it."""
    owner: CredentialDef | None
    """The credential that grants it; None for credpath.yaml's ``assumed`` and for an
    entry left out as a duplicate."""
    earned: bool
    """Whether a learner has it once it is fixed: assumed, granted by a reachable
    credential, or by a left-out credential that requires nothing."""


def meant_grants(ctx: Context) -> list[MeantGrant]:
    """Every grant and assumed competency that did not resolve, as it was meant."""
    memo: list[MeantGrant] | None = ctx.memo.get("meant_grants")
    if memo is None:
        memo = ctx.memo["meant_grants"] = list(_meant_grants(ctx))
    return memo


def _meant_grants(ctx: Context) -> Iterator[MeantGrant]:
    from credpath.checks.rules.unknown_reference import meant
    from credpath.compiler.facts import DuplicateId, UnknownReference, WrongReference

    catalog = ctx.catalog
    sem = ctx.semantics
    for fact in catalog.facts:
        if isinstance(fact, UnknownReference) and fact.expected in _GRANTED:
            likely = meant(ctx, fact)
            written = _written(ctx, fact.place.path, fact.owner)
            if likely is None or written is None:
                continue
            level = _level(written.level, catalog.competencies[likely].levels, fact.owner)
            place = fact.place
        elif isinstance(fact, WrongReference) and fact.code == "no-level-name":
            levels = fact.levels
            name = closest(str(fact.level), levels)
            if name is None or not _granted_or_assumed(fact.place.path, fact.owner):
                continue
            likely, level, place = fact.target, levels.index(name) + 1, fact.place
        elif isinstance(fact, DuplicateId):
            yield from _left_out(ctx, fact)
            continue
        else:
            continue
        owner = catalog.credentials.get(fact.owner) if fact.owner else None
        subject = part_subject(catalog, place.source, place.path, fact.owner)
        earned = owner is None or owner.id in sem.reachable
        if owner is None or sem.usable(owner):
            yield MeantGrant(likely, level, subject, owner, earned)


_GRANTED = {"competency", "assumed competency"}


def _granted_or_assumed(path: Path_, owner: str | None) -> bool:
    return "grants" in path if owner else "assumed" in path


def _written(ctx: Context, path: Path_, owner: str | None) -> Ref | None:
    """The reference as written at ``path`` in a credential's grants or in ``assumed``."""
    if owner:
        credential = ctx.catalog.credentials.get(owner)
        written: object = credential.model.grants if credential is not None else None
    else:
        written = ctx.catalog.config.assumed
    if isinstance(written, list) and path and isinstance(path[-1], int):
        written = written[path[-1]] if path[-1] < len(written) else None
    if not isinstance(written, str):
        return None
    return parse_reference(written, path, lambda *_: None)


def _level(level: int | str | None, levels: tuple[str, ...], owner: str | None) -> int:
    """The level number meant; a bare assumed competency is its top level."""
    if level is None and not owner:
        return len(levels)
    return level_number(level, levels) or 0


def _left_out(ctx: Context, fact: DuplicateId) -> Iterator[MeantGrant]:
    """A credential left out as a duplicate that requires nothing: given an id of its
    own, a learner earns it at once (if it is not retired), with its grants."""
    raw = fact.raw
    status = raw.get("status", "active")
    if (
        fact.kind != "credential"
        or raw.get("requires")
        or status not in _USABLE[ctx.options.no_drafts]
    ):
        return
    grants = raw.get("grants")
    for text in grants if isinstance(grants, list) else [grants]:
        ref = parse_reference(text, (), lambda *_: None) if isinstance(text, str) else None
        competency = ctx.catalog.competencies.get(ref.target) if ref is not None else None
        if ref is None or competency is None:
            continue
        level = level_number(ref.level, competency.levels)
        if level is not None:
            yield MeantGrant(ref.target, level, Subject(SubjectKind.DUPLICATE, fact.id), None, True)


_USABLE = {False: {"active", "draft"}, True: {"active"}}
"""The statuses of a credential a learner can earn, without and with --no-drafts."""


def repaired(ctx: Context) -> Callable[[Invalid, str], bool]:
    """Whether an invalid part of an entry's requirement, fixed as its finding suggests
    (the id or level it most likely meant, the credential without a level), would be
    met by what a learner can earn: only then does fixing it bring the entry in reach.
    An unknown id with no likely meaning asks for any id that exists: written as one a
    learner can have, it is met."""
    from credpath.checks.rules.unknown_reference import meant
    from credpath.compiler.facts import UnknownReference, WrongReference

    catalog = ctx.catalog
    sem = ctx.semantics
    facts = {
        (f.place.source.display, f.place.path): f
        for f in catalog.facts
        if isinstance(f, UnknownReference | WrongReference)
    }

    def met(target: str, level: int | str | None) -> bool:
        credential = catalog.credentials.get(target)
        if credential is not None:
            return level is None and target in sem.reachable
        competency = catalog.competencies.get(target)
        number = level_number(level, competency.levels) if competency is not None else None
        return number is not None and sem.reachable_state.levels.get(target, 0) >= number

    def check(invalid: Invalid, owner: str) -> bool:
        entry = catalog.entry(owner)
        source = entry.origin.source if entry is not None else None
        fact = facts.get((source.display, invalid.path)) if source is not None else None
        if isinstance(fact, UnknownReference) and fact.expected == "id":
            likely = meant(ctx, fact)
            if likely is None:  # "unknown id": any id a learner can have is the fix
                return True
            written = _text_at(fact.place.source, invalid.path)
            return written is not None and met(likely, written.level)
        if isinstance(fact, WrongReference) and fact.code == "credential-level":
            return met(fact.target, None)
        if isinstance(fact, WrongReference) and fact.code == "no-level-name":
            name = closest(str(fact.level), fact.levels)
            return name is not None and met(fact.target, name)
        return False

    return check


def _text_at(source: SourceFile, path: Path_) -> Ref | None:
    """The reference written at ``path`` (a plain or quoted scalar on one line)."""
    line, column, end_line, end_column = source.locate(path)
    if line != end_line:
        return None
    text = source.lines[line - 1][column - 1 : end_column - 1]
    return parse_reference(text.strip("'\""), path, lambda *_: None)
