"""``credpath lsp`` driven by a real LSP client over stdio (pytest-lsp): what an author sees
in the editor while typing."""

from __future__ import annotations

import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

from lsp_client import change, open_file

ROOT = Path(__file__).parents[1]

PROJECT = {
    "credpath.yaml": "name: Small\n",
    "competencies.yaml": (
        "competencies:\n  - id: sql\n    title: SQL\n    levels: [Basic, Intermediate, Advanced]\n"
    ),
    "credentials.yaml": (
        "credentials:\n"
        "  - id: sql-basics\n"
        "    title: SQL Basics\n"
        "    type: course\n"
        "    workload: {hours: 40}\n"
        "    grants: [sql@1]\n"
        "  - id: sql-more\n"
        "    title: More SQL\n"
        "    type: course\n"
        "    requires: [sql-basics]\n"
        "    grants: [sql@2]\n"
    ),
    "outcomes.yaml": ("outcomes:\n  - id: analyst\n    title: Analyst\n    requires: [sql@2]\n"),
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "small"
    root.mkdir()
    for name, text in PROJECT.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "credpath", "lsp"])
)
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    await lsp_client.initialize_session(
        lsp.InitializeParams(capabilities=pytest_lsp.client_capabilities("visual-studio-code"))
    )
    yield
    await lsp_client.shutdown_session()


def where(d: lsp.Diagnostic) -> tuple[int, int, str]:
    return (d.range.start.line, d.range.start.character, str(d.code))


@pytest.mark.asyncio(loop_scope="function")
async def test_a_gap_shows_at_its_place_and_clears_when_fixed(
    client: LanguageClient, project: Path
) -> None:
    outcomes = project / "outcomes.yaml"
    broken = PROJECT["outcomes.yaml"].replace("sql@2", "sql@3")
    uri = await open_file(client, outcomes, broken)  # unsaved text counts
    found = client.diagnostics[uri]
    assert [where(d) for d in found] == [(3, 15, "gap")]
    assert found[0].severity == lsp.DiagnosticSeverity.Error
    assert found[0].message.startswith("'sql@3' is not granted by any credential")
    await change(client, uri, PROJECT["outcomes.yaml"], 2)
    assert list(client.diagnostics[uri]) == []


@pytest.mark.asyncio(loop_scope="function")
async def test_findings_of_other_files_are_published_for_them(
    client: LanguageClient, project: Path
) -> None:
    credentials = project / "credentials.yaml"
    uri = await open_file(client, credentials)
    renamed = PROJECT["credentials.yaml"].replace("id: sql-basics", "id: sql-basic")
    await change(client, uri, renamed, 2)
    # the reference in this file breaks, and the outcome elsewhere loses its way
    assert "unknown-reference" in {str(d.code) for d in client.diagnostics[uri]}
    await change(client, uri, PROJECT["credentials.yaml"], 3)
    assert list(client.diagnostics[uri]) == []
    assert all(not found for found in client.diagnostics.values())


@pytest.mark.asyncio(loop_scope="function")
async def test_definition_references_hover_completion_and_rename(
    client: LanguageClient, project: Path
) -> None:
    credentials = project / "credentials.yaml"
    uri = await open_file(client, credentials)
    at_reference = lsp.Position(line=9, character=16)  # requires: [sql-basics]
    document = lsp.TextDocumentIdentifier(uri=uri)
    target = await client.text_document_definition_async(
        lsp.DefinitionParams(text_document=document, position=at_reference)
    )
    assert isinstance(target, lsp.Location)
    assert (target.uri, target.range.start.line, target.range.start.character) == (uri, 1, 8)

    level = await client.text_document_definition_async(
        lsp.DefinitionParams(text_document=document, position=lsp.Position(line=10, character=14))
    )
    assert isinstance(level, lsp.Location)  # sql@2 -> "Intermediate" in the levels
    assert level.uri == (project / "competencies.yaml").as_uri()
    assert (level.range.start.line, level.range.start.character) == (3, 20)

    used = await client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=document,
            position=at_reference,
            context=lsp.ReferenceContext(include_declaration=True),
        )
    )
    assert sorted((r.range.start.line, r.range.start.character) for r in used or []) == [
        (1, 8),
        (9, 15),
    ]

    shown = await client.text_document_hover_async(
        lsp.HoverParams(text_document=document, position=at_reference)
    )
    assert shown is not None
    assert isinstance(shown.contents, lsp.MarkupContent)
    assert shown.contents.value.splitlines()[0] == "**SQL Basics** (course, 40 h)"
    assert "Unlocks: `sql-more`" in shown.contents.value
    assert "Leads to: `analyst`" in shown.contents.value

    typing = PROJECT["credentials.yaml"].replace("requires: [sql-basics]", "requires: [sql@")
    await change(client, uri, typing, 2)
    offered = await client.text_document_completion_async(
        lsp.CompletionParams(text_document=document, position=lsp.Position(line=9, character=19))
    )
    assert offered is not None
    labels = [
        item.label
        for item in (offered.items if isinstance(offered, lsp.CompletionList) else offered)
    ]
    assert labels == ["1", "2", "3", "Basic", "Intermediate", "Advanced"]
    await change(client, uri, PROJECT["credentials.yaml"], 3)

    edit = await client.text_document_rename_async(
        lsp.RenameParams(text_document=document, position=at_reference, new_name="sql-intro")
    )
    assert edit is not None
    assert edit.changes is not None
    assert {
        u: sorted((e.range.start.line, e.range.start.character) for e in edits)
        for u, edits in edit.changes.items()
    } == {uri: [(1, 8), (9, 15)]}
    assert all(e.new_text == "sql-intro" for edits in edit.changes.values() for e in edits)


@pytest.mark.asyncio(loop_scope="function")
async def test_a_malformed_file_never_kills_the_server(
    client: LanguageClient, project: Path
) -> None:
    credentials = project / "credentials.yaml"
    uri = await open_file(client, credentials, "credentials: [\n  - {id: x,\n\t\x00")
    assert {str(d.code) for d in client.diagnostics[uri]} == {"yaml-syntax"}
    hovered = await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=lsp.Position(line=1, character=9),
        )
    )
    assert hovered is None
    await change(client, uri, PROJECT["credentials.yaml"], 2)
    assert list(client.diagnostics[uri]) == []


@pytest.mark.asyncio(loop_scope="function")
async def test_the_shipped_curricula_open_clean_and_navigate(
    client: LanguageClient, tmp_path: Path
) -> None:
    root = tmp_path / "data-careers"
    shutil.copytree(ROOT / "curricula" / "data-careers", root)
    outcomes = root / "outcomes.yaml"
    uri = await open_file(client, outcomes)
    assert all(not found for found in client.diagnostics.values())
    text = outcomes.read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(text) if "data-analytics-foundations-certificate" in t)
    character = text[line].index("data-analytics-foundations-certificate") + 3
    target = await client.text_document_definition_async(
        lsp.DefinitionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=lsp.Position(line=line, character=character),
        )
    )
    assert isinstance(target, lsp.Location)
    defined = Path(target.uri.removeprefix("file://")).read_text(encoding="utf-8").splitlines()
    assert "id: data-analytics-foundations-certificate" in defined[target.range.start.line]
