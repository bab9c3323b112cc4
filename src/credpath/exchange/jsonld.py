"""JSON-LD expansion for CTDL documents, offline: a maintained processor (pyld) with a
document loader that serves only the CTDL contexts shipped in ``credpath/data/ctdl`` and
refuses every other URL, so reading a file never reaches the network.

Expanding first and reading full IRIs after means prefixed (``ceterms:name``),
unprefixed (``name``), compacted and already expanded documents read the same.
"""

from __future__ import annotations

import copy
import functools
from importlib import resources
from typing import Any

from pyld import jsonld  # type: ignore[import-untyped]

from credpath.base.json_input import parse_json

CETERMS = "https://purl.org/ctdl/terms/"
CEASN = "https://purl.org/ctdlasn/terms/"
CTDL_CONTEXT = "https://credreg.net/ctdl/schema/context/json"

_SHIPPED = {
    "credreg.net/ctdl/schema/context/json": "ctdl-context.json",
    "credreg.net/ctdlasn/schema/context/json": "ctdlasn-context.json",
}
"""Each context credpath knows, by its address without the scheme (http or https)."""


class ContextRefused(Exception):
    """A document names a context credpath does not ship; it is never fetched."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


class ExpansionError(ValueError):
    """The JSON-LD processor refused the document; the message says why, in one line."""


@functools.cache
def _context(name: str) -> object:
    data = resources.files("credpath").joinpath("data", "ctdl", name).read_bytes()
    return parse_json(data)


@functools.cache
def _unprefixed() -> dict[str, Any]:
    """Each CTDL term without its prefix (``name`` for ``ceterms:name``, ``hasChild`` for
    ``ceasn:hasChild``), defined as the prefixed one is: documents written that way exist,
    and the published contexts define only prefixed terms."""
    terms: dict[str, Any] = {"@vocab": CETERMS}
    for wanted in ("ceasn", "ceterms"):  # ceterms: wins a clash (name, description...)
        for name in ("ctdlasn-context.json", "ctdl-context.json"):
            context = _context(name)
            shipped = context.get("@context", {}) if isinstance(context, dict) else {}
            for term, definition in shipped.items():
                prefix, _, local = term.partition(":")
                if prefix == wanted and local:
                    given = definition if isinstance(definition, dict) else {}
                    terms[local] = {**given, "@id": term}
    return terms


def _default_context() -> list[Any]:
    """What a document is read under before its own context: the CTDL context (a top-level
    array of nodes often has none), and each CTDL term unprefixed."""
    return [CTDL_CONTEXT, _unprefixed()]


def load_document(url: str, options: object = None) -> dict[str, Any]:
    """pyld's document loader: a shipped context, else ``ContextRefused``."""
    scheme, _, rest = url.partition("://")
    name = _SHIPPED.get(rest.rstrip("/")) if scheme in {"http", "https"} else None
    if name is None:
        raise ContextRefused(url)
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": copy.deepcopy(_context(name)),
        "contentType": "application/ld+json",
    }


def _refused(error: BaseException) -> ContextRefused | None:
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ContextRefused):
            return cause
        cause = cause.__cause__ or cause.__context__
    return None


def expand(document: object) -> list[dict[str, Any]]:
    """``document`` expanded: a list of node objects keyed by full IRIs.

    Raises ``ContextRefused`` for a context credpath does not ship, ``ExpansionError``
    for anything else the processor refuses.
    """
    options = {"documentLoader": load_document, "expandContext": _default_context()}
    try:
        expanded: list[dict[str, Any]] = jsonld.expand(document, options)
    except jsonld.JsonLdError as error:
        refused = _refused(error)
        if refused is not None:
            raise refused from None
        message = str(error.args[0]) if error.args else type(error).__name__
        raise ExpansionError(message.splitlines()[0].rstrip(".")) from None
    return expanded
