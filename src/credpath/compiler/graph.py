"""The project as a networkx graph, built once per run and shared by the commands.

Nodes are ids with a ``kind`` (outcome, competency, credential). Edges:
``requires`` (entry -> competency or credential it names, in any branch),
``grants`` (credential -> competency), and the derived credential prerequisite
edges ``prerequisite`` (a -> b when b requires credential a, or requires a
competency level that a grants).
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from credpath.compiler.requirements import refs
from credpath.compiler.resolve import CredentialDef, OutcomeDef
from credpath.compiler.semantics import Semantics


def build(semantics: Semantics) -> Any:
    """The full graph: every entry and every requires/grants edge."""
    catalog = semantics.catalog
    graph = nx.MultiDiGraph()
    for kind, ids in (
        ("competency", catalog.competencies),
        ("credential", catalog.credentials),
        ("outcome", catalog.outcomes),
    ):
        graph.add_nodes_from(sorted(ids), kind=kind)
    entries: list[CredentialDef | OutcomeDef] = [
        *catalog.credentials.values(),
        *catalog.outcomes.values(),
    ]
    for entry in sorted(entries, key=lambda e: e.id):
        for ref in refs(entry.requires):
            graph.add_edge(
                entry.id, ref.target, key=f"requires:{ref}", kind="requires", level=ref.number
            )
    for credential in sorted(catalog.credentials.values(), key=lambda c: c.id):
        for grant in credential.grants:
            graph.add_edge(
                credential.id,
                grant.target,
                key=f"grants:{grant}",
                kind="grants",
                level=grant.number,
            )
    return graph


def prerequisites(semantics: Semantics, credential_ids: set[str] | None = None) -> Any:
    """Credential prerequisite DiGraph: a -> b when b needs a (b names a, or a grant of a serves b).

    Where both are reachable, a must become earnable in an earlier fixpoint round
    than b: an advanced course that grants sql@3 serves a beginner's ``sql@1`` too,
    but it is not a prerequisite of it.
    """
    catalog = semantics.catalog
    order = semantics.rounds
    graph = nx.DiGraph()
    members = sorted(credential_ids if credential_ids is not None else catalog.credentials)
    allowed = set(members)
    graph.add_nodes_from(members)
    for credential_id in members:
        credential = catalog.credentials[credential_id]
        for ref in refs(credential.requires):
            for server in semantics.servers(ref):
                if server.id not in allowed or server.id == credential_id:
                    continue
                before, after = order.get(server.id), order.get(credential_id)
                if before is not None and after is not None and before >= after:
                    continue
                graph.add_edge(server.id, credential_id)
    return graph
