"""What ``import ctdl`` reads: CTDL documents in every shape the Credential Registry and
its tools hand out, expanded as JSON-LD into one table of nodes by ``@id``.

Accepted: a graph (``{"@context", "@graph"}``), a top-level array of nodes, a single
resource (what ``/resources/<ctid>`` returns), a registry envelope whose
``decoded_resource`` is the document (an object, or JSON text), several files, and
folders of ``*.json`` / ``*.jsonld`` files. Each node keeps where it came from (file and
JSON path), so whatever is left out can be reported at its place in the source.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from credpath.base.errors import UsageError
from credpath.base.json_input import JsonInputError, parse_json, read_json
from credpath.base.text import escape
from credpath.exchange.jsonld import CEASN, CETERMS, ContextRefused, ExpansionError, expand

MAX_DEPTH = 100
"""How deeply a CTDL document may nest: conditions within conditions are read
recursively, and no published document comes near it."""

SUFFIXES = (".json", ".jsonld")
_AT = "urn:credpath:source-index"
"""A property each top-level node carries through expansion: its index in the source,
so a node keeps its JSON path even when the processor drops or reorders others."""


def iri(term: str) -> str:
    """The full IRI of a CTDL term written ``ceterms:name`` or ``ceasn:competencyText``."""
    prefix, _, name = term.partition(":")
    return (CEASN if prefix == "ceasn" else CETERMS) + name


def compact(full: str) -> str:
    """``ceterms:name`` for a full CTDL IRI; other IRIs as they are."""
    for prefix, base in (("ceterms", CETERMS), ("ceasn", CEASN)):
        if full.startswith(base):
            return f"{prefix}:{full.removeprefix(base)}"
    return full


@dataclass(frozen=True)
class Node:
    """One expanded node and where it is in the source (``file $["@graph"][3]``)."""

    data: dict[str, Any]
    where: str

    @property
    def id(self) -> str | None:
        value = self.data.get("@id")
        return value if isinstance(value, str) else None

    @property
    def types(self) -> frozenset[str]:
        """Its classes, compacted (``ceterms:Pathway``)."""
        return frozenset(compact(t) for t in self.data.get("@type", ()))

    def _values(self, term: str) -> list[Any]:
        values = self.data.get(iri(term), [])
        return values if isinstance(values, list) else [values]

    def has(self, term: str) -> bool:
        return bool(self._values(term))

    def refs(self, *terms: str) -> list[str]:
        """The IRIs the terms point at, written as references or as plain strings."""
        found: list[str] = []
        for term in terms:
            for value in self._values(term):
                target = value.get("@id", value.get("@value"))
                if isinstance(target, str) and target not in found:
                    found.append(target)
        return found

    def texts(self, term: str) -> dict[str, str]:
        """A language map's texts by language ('' for text without one), blanks left out."""
        found: dict[str, str] = {}
        for value in self._values(term):
            text = value.get("@value")
            if isinstance(text, str) and text.strip():
                found.setdefault(str(value.get("@language", "")), text.strip())
        return found

    def text(self, term: str, language: str = "en") -> str:
        """The text in ``language`` (or a regional variant of it), else the first."""
        texts = self.texts(term)
        for key, value in texts.items():
            if key.split("-")[0].lower() == language.split("-")[0].lower():
                return value
        return next(iter(texts.values()), "")

    def value(self, term: str) -> object:
        """The first plain value (a string, number or boolean), or None."""
        for value in self._values(term):
            if "@value" in value:
                found: object = value["@value"]
                return found
        return None

    def nodes(self, term: str) -> list[Node]:
        """The objects embedded under ``term`` (profiles, conditions), each at its path."""
        return [
            Node(value, f'{self.where}["{compact(iri(term))}"][{n}]')
            for n, value in enumerate(self._values(term))
            if "@value" not in value and set(value) - {"@id"}
        ]


@dataclass
class Graph:
    """Every node read, by ``@id`` (the first of a repeated one), in source order."""

    sources: list[Path]
    nodes: dict[str, Node] = field(default_factory=dict)
    left_out: list[tuple[str, str, str]] = field(default_factory=list)
    """(where, kind, reason) for what was not read."""

    def leave_out(self, where: str, kind: str, reason: str) -> None:
        self.left_out.append((where, kind, reason))


def _files(sources: list[Path]) -> Iterator[Path]:
    for source in sources:
        if source.is_dir():
            found = sorted(
                path
                for path in source.rglob("*")
                if path.suffix in SUFFIXES
                and path.is_file()
                and not any(part.startswith(".") for part in path.relative_to(source).parts)
            )
            if not found:
                raise UsageError(f"{escape(str(source))}: no .json or .jsonld file in it")
            yield from found
        else:
            yield source


def _unwrapped(path: Path, document: object) -> tuple[object, str]:
    """The CTDL document inside a registry envelope (``decoded_resource``), and its path."""
    if not isinstance(document, dict) or "decoded_resource" not in document:
        return document, "$"
    inner = document["decoded_resource"]
    if isinstance(inner, str):
        try:
            inner = parse_json(inner.encode("utf-8"), max_depth=MAX_DEPTH)
        except JsonInputError as error:
            raise UsageError(
                f"{escape(str(path))}: cannot read its decoded_resource as JSON-LD "
                f"({escape(str(error))})"
            ) from None
    return inner, '$["decoded_resource"]'


def _top_nodes(document: object, at: str) -> tuple[list[tuple[str, object]], dict[str, Any]]:
    """The top-level nodes with their JSON paths, and what is around them (the context)."""
    if isinstance(document, list):
        return [(f"{at}[{n}]", node) for n, node in enumerate(document)], {}
    if isinstance(document, dict) and isinstance(document.get("@graph"), list):
        around = {k: v for k, v in document.items() if k == "@context"}
        graph = document["@graph"]
        return [(f'{at}["@graph"][{n}]', node) for n, node in enumerate(graph)], around
    if isinstance(document, dict):
        around = {k: v for k, v in document.items() if k == "@context"}
        node = {k: v for k, v in document.items() if k != "@context"}
        return [(at, node)], around
    return [], {}


def _expanded(
    path: Path, tops: list[tuple[str, object]], around: dict[str, Any], graph: Graph
) -> Iterator[Node]:
    marked = [{**node, _AT: n} for n, (_, node) in enumerate(tops) if isinstance(node, dict)]
    for where, node in tops:
        if not isinstance(node, dict):
            graph.leave_out(f"{path} {where}", "value that is not a node", "not a JSON object")
    try:
        expanded = expand({**around, "@graph": marked})
    except ContextRefused as refused:
        raise UsageError(
            f"{escape(str(path))}: its @context {escape(refused.url)} is not a CTDL context "
            "(credpath reads JSON-LD under the CTDL and CTDL-ASN contexts it ships, and "
            "fetches none)"
        ) from None
    except ExpansionError:
        expanded = []
        for node in marked:  # one at a time, to leave out only what the processor refuses
            where = tops[node[_AT]][0]
            try:
                expanded.extend(expand({**around, **node}))
            except ExpansionError as error:
                graph.leave_out(f"{path} {where}", "record JSON-LD refuses", str(error))
    for node in _flattened(expanded):
        index = node.pop(_AT, [{}])[0].get("@value")
        if isinstance(index, int) and 0 <= index < len(tops):
            yield Node(node, f"{path} {tops[index][0]}")


def _flattened(expanded: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The nodes, with a named graph's (``{"@id": ..., "@graph": [...]}``) taken out."""
    for node in expanded:
        if "@graph" in node:
            yield from _flattened(node["@graph"])
        elif _AT in node:
            yield node


def read(sources: list[Path]) -> Graph:
    """Every CTDL node in ``sources``; ``UsageError`` for a file that is not JSON-LD."""
    graph = Graph(sources)
    for path in _files(sources):
        try:
            document = read_json(path, max_depth=MAX_DEPTH)
        except JsonInputError as error:
            raise UsageError(
                f"{escape(str(path))}: cannot read it as JSON-LD ({escape(str(error))})"
            ) from None
        document, at = _unwrapped(path, document)
        tops, around = _top_nodes(document, at)
        for node in _expanded(path, tops, around, graph):
            if node.id is None:
                graph.leave_out(node.where, "record without an @id", "nothing can refer to it")
            elif node.id in graph.nodes:  # one node described in two places: JSON-LD merges
                first = graph.nodes[node.id]
                merged = dict(first.data)
                for key, values in node.data.items():
                    if key != "@id":
                        merged[key] = [*merged.get(key, []), *values]
                graph.nodes[node.id] = Node(merged, first.where)
            else:
                graph.nodes[node.id] = node
    return graph
