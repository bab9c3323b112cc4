"""``credpath lsp`` after edits answers as a server started on the edited text would.

The server indexes each check for navigation reusing the index of the check before for
the files an edit left unchanged (``navigate.Index.warm``). Here one server follows a
series of edits (a title, a reference, an id renamed, an id that other files refer to
renamed, a duplicate id, edits undone) while, after each, a fresh server opens the same
text; go-to-definition, references, hover and rename must answer the same at every word
written in the project.
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

pytestmark = pytest.mark.slow

PROJECT = {
    "credpath.yaml": "name: Incremental\n",
    "competencies.yaml": (
        "competencies:\n"
        "  - id: sql\n"
        "    title: SQL\n"
        "    levels: [Basic, Intermediate, Advanced]\n"
        "  - id: stats\n"
        "    title: Statistics\n"
    ),
    "credentials.yaml": (
        "credentials:\n"
        "  - id: sql-basics\n"
        "    title: SQL Basics\n"
        "    type: course\n"
        "    grants: [sql@1]\n"
        "  - id: sql-more\n"
        "    title: More SQL\n"
        "    type: course\n"
        "    requires: [sql-basics]\n"
        "    grants: [sql@2]\n"
    ),
    "more.yaml": (
        "credentials:\n"
        "  - id: stats-intro\n"
        "    title: Statistics intro\n"
        "    type: course\n"
        "    requires: {any: [sql-basics, sql@1]}\n"
        "    grants: [stats]\n"
    ),
    "outcomes.yaml": (
        "outcomes:\n  - id: analyst\n    title: Analyst\n    requires: [sql@2, stats]\n"
    ),
    "pathways.yaml": (
        "pathways:\n"
        "  - id: fast-track\n"
        "    title: Fast track\n"
        "    outcome: analyst\n"
        "    stages:\n"
        "      - [sql-basics]\n"
        "      - [sql-more, stats-intro]\n"
    ),
}

EDITS = [
    ("credentials.yaml", "title: More SQL", "title: Much more SQL"),
    ("credentials.yaml", "requires: [sql-basics]", "requires: [sql-basics, stats]"),
    ("more.yaml", "id: stats-intro", "id: statistics-intro"),
    ("more.yaml", "grants: [stats]", "grants: [stats]\n  - id: sql-basics\n    title: Again"),
    ("credentials.yaml", "requires: [sql-basics, stats]", "requires: [sql-basics]"),
    ("more.yaml", "id: statistics-intro", "id: stats-intro"),
    ("competencies.yaml", "id: stats\n", "id: statistics\n"),
    ("competencies.yaml", "id: statistics\n", "id: stats\n"),
]
"""Each edit: the file, what it replaces and with what (the edits follow one another)."""

TOKEN = re.compile(r"[a-z0-9][\w.-]*")


@asynccontextmanager
async def server() -> AsyncIterator[tuple[LanguageClient, dict[str, asyncio.Event]]]:
    """A credpath language server, and an event per file set when its findings arrive."""
    client = LanguageClient("test", "1")
    published: dict[str, asyncio.Event] = {}

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
        published.setdefault(params.uri, asyncio.Event()).set()

    await client.start_io(sys.executable, "-m", "credpath", "lsp")
    await client.initialize_async(lsp.InitializeParams(capabilities=lsp.ClientCapabilities()))
    client.initialized(lsp.InitializedParams())
    try:
        yield client, published
    finally:
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()


async def opened(
    client: LanguageClient, published: dict[str, asyncio.Event], path: Path, text: str
) -> None:
    uri = path.as_uri()
    published[uri] = asyncio.Event()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "yaml", 1, text))
    )
    await asyncio.wait_for(published[uri].wait(), 30)


async def answers(client: LanguageClient, texts: dict[Path, str]) -> list[object]:
    """What the server answers at the start and at the end of every word."""
    found: list[object] = []
    for path, text in sorted(texts.items()):
        document = lsp.TextDocumentIdentifier(path.as_uri())
        for number, line in enumerate(text.split("\n")):
            for word in TOKEN.finditer(line):
                for character in (word.start(), word.end()):
                    at = lsp.Position(number, character)
                    found.append((path.name, number, character))
                    found.append(
                        await client.text_document_definition_async(
                            lsp.DefinitionParams(text_document=document, position=at)
                        )
                    )
                    found.append(
                        await client.text_document_references_async(
                            lsp.ReferenceParams(
                                context=lsp.ReferenceContext(include_declaration=True),
                                text_document=document,
                                position=at,
                            )
                        )
                    )
                    found.append(
                        await client.text_document_hover_async(
                            lsp.HoverParams(text_document=document, position=at)
                        )
                    )
                    found.append(
                        await client.text_document_rename_async(
                            lsp.RenameParams(
                                text_document=document, position=at, new_name="renamed"
                            )
                        )
                    )
    return found


@pytest.mark.asyncio(loop_scope="function")
async def test_answers_after_each_edit_are_those_of_a_fresh_server(tmp_path: Path) -> None:
    root = tmp_path / "incremental"
    root.mkdir()
    texts = {}
    for name, text in PROJECT.items():
        (root / name).write_text(text, encoding="utf-8")
        if name != "credpath.yaml":
            texts[root / name] = text
    async with server() as (client, published):
        for path, text in texts.items():
            await opened(client, published, path, text)
        for version, (name, old, new) in enumerate(EDITS, 2):
            path = root / name
            assert old in texts[path]
            texts[path] = texts[path].replace(old, new)
            uri = path.as_uri()
            published[uri] = asyncio.Event()
            client.text_document_did_change(
                lsp.DidChangeTextDocumentParams(
                    lsp.VersionedTextDocumentIdentifier(version=version, uri=uri),
                    [lsp.TextDocumentContentChangeWholeDocument(texts[path])],
                )
            )
            await asyncio.wait_for(published[uri].wait(), 30)
            edited = await answers(client, texts)
            async with server() as (fresh, fresh_published):
                for other, text in texts.items():
                    await opened(fresh, fresh_published, other, text)
                assert edited == await answers(fresh, texts), f"after {name}: {new!r}"
