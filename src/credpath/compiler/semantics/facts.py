"""Facts read straight from the catalog: which credentials take part, who grants what,
who serves a reference, what each credential's requirements name."""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from credpath.compiler.requirements import Ref, refs
from credpath.compiler.resolve import Catalog, CredentialDef
from credpath.compiler.semantics.state import State, all_chain


class CatalogFacts:
    """The catalog as the semantics reads it; the base every other part builds on."""

    def __init__(self, catalog: Catalog, *, no_drafts: bool = False) -> None:
        self.catalog = catalog
        self.no_drafts = no_drafts
        self._servers: dict[tuple[str, int, str], list[CredentialDef]] = {}

    def usable(self, credential: CredentialDef) -> bool:
        """Retired credentials are never earned; with --no-drafts, drafts neither."""
        status = credential.status
        return status == "active" or (status == "draft" and not self.no_drafts)

    @cached_property
    def active(self) -> list[CredentialDef]:
        return [c for c in self.catalog.credentials.values() if self.usable(c)]

    def start(self) -> State:
        return State(set(), dict(self.catalog.assumed))

    # -- who serves what ----------------------------------------------------------------

    @cached_property
    def _granters(self) -> dict[str, list[tuple[int, CredentialDef]]]:
        """Per competency, the usable credentials granting it, highest level first."""
        table: dict[str, list[tuple[int, CredentialDef]]] = defaultdict(list)
        for credential in self.active:
            for grant in credential.grants:
                table[grant.target].append((grant.number, credential))
        for entries in table.values():
            entries.sort(key=lambda e: (-e[0], e[1].id))
        return table

    def servers(self, ref: Ref) -> list[CredentialDef]:
        """The usable credentials that serve ``ref``: grant it at that level or more, or are it.

        Mirrored in credpath.js by ``Semantics.servers``: change both together.
        """
        key = (ref.target, ref.number, ref.kind)
        found = self._servers.get(key)
        if found is None:
            if ref.kind == "credential":
                credential = self.catalog.credentials.get(ref.target)
                usable = credential is not None and self.usable(credential)
                found = [credential] if credential is not None and usable else []
            else:
                granters = self._granters.get(ref.target, ())
                found = [c for level, c in granters if level >= ref.number]
            self._servers[key] = found
        return found

    def granted_by(self, competency: str) -> list[tuple[int, CredentialDef]]:
        """(level, credential) of the usable credentials granting it, highest level first."""
        return self._granters.get(competency, [])

    def highest_grant(self, competency: str) -> tuple[int, CredentialDef] | None:
        entries = self._granters.get(competency)
        return entries[0] if entries else None

    @cached_property
    def _refs_of(self) -> dict[str, tuple[Ref, ...]]:
        """Every reference in each credential's requires, flattened once."""
        return {c.id: tuple(refs(c.requires)) for c in self.catalog.credentials.values()}

    def needs_first(self, credential: CredentialDef, competency: str, level: int) -> bool:
        """Whether every way to earn ``credential`` asks for ``competency`` at ``level`` first:
        its requirements name that level (or more) outside any/choose, or name a
        credential that grants it. The rung below on a ladder, not a loop of
        different competencies (that is a cycle)."""
        for ref in all_chain(credential.requires):
            if ref.kind == "competency":
                if ref.target == competency and ref.number >= level:
                    return True
            else:
                named = self.catalog.credentials[ref.target]
                if any(g.target == competency and g.number >= level for g in named.grants):
                    return True
        return False
