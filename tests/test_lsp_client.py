"""``credpath lsp`` as real clients see it (pytest-lsp over stdio): positions in each
encoding a client may agree to, completion of ids with hyphens and in unfinished lines,
files outside any project, invalid requests, a huge line, quick fixes and the outline."""

from __future__ import annotations

import asyncio
import re
import shutil
import sys
from collections.abc import AsyncIterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcInvalidParams
from pytest_lsp import ClientServerConfig, LanguageClient

from lsp_client import change, open_file

ROOT = Path(__file__).parents[1]
SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "credpath", "lsp"])

CODECS = {"utf-8": ("utf-8", 1), "utf-16": ("utf-16-le", 2), "utf-32": ("utf-32-le", 4)}

ACCENTED = '  - {id: sql-more, title: "Café crème 日本語 😀", type: course, requires: [sql-basics], grants: [sql@2]}'  # noqa: E501
TYPO = '  - {id: sql-extra, title: "Crème brûlée 🍮 中文", type: course, requires: [sql-basic], grants: [sql@3]}'  # noqa: E501

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
        f"{ACCENTED}\n"
        f"{TYPO}\n"
    ),
    "outcomes.yaml": "outcomes:\n  - id: analyst\n    title: Analyst\n    requires: [sql@2]\n",
}


def write(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write(tmp_path / "small", PROJECT)


@pytest_lsp.fixture(config=SERVER, params=["utf-8", "utf-16", "utf-32"])
async def encoded(
    lsp_client: LanguageClient, request: pytest.FixtureRequest
) -> AsyncIterator[None]:
    """A Neovim 0.11 client that offers only one position encoding."""
    capabilities = pytest_lsp.client_capabilities("neovim@v0.11.0")
    assert capabilities.general is not None
    capabilities.general.position_encodings = [request.param]
    started = await lsp_client.initialize_session(lsp.InitializeParams(capabilities=capabilities))
    assert started.capabilities.position_encoding == request.param
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    await lsp_client.initialize_session(
        lsp.InitializeParams(capabilities=pytest_lsp.client_capabilities("visual-studio-code"))
    )
    yield
    await lsp_client.shutdown_session()


def units(text: str, encoding: str) -> int:
    """How many code units ``text`` is in the encoding."""
    codec, width = CODECS[encoding]
    return len(text.encode(codec)) // width


def characters(line: str, count: int, encoding: str) -> int:
    codec, width = CODECS[encoding]
    return len(line.encode(codec)[: count * width].decode(codec))


def edited(line: str, edit: lsp.TextEdit, encoding: str) -> str:
    """One line after a one-line edit of it."""
    start, end = edit.range.start, edit.range.end
    assert start.line == end.line
    first = characters(line, start.character, encoding)
    last = characters(line, end.character, encoding)
    return line[:first] + edit.new_text + line[last:]


def apply(text: str, edits: list[lsp.TextEdit], encoding: str) -> str:
    """``text`` after the edits, as a client applies them."""
    lines = text.split("\n")
    ordered = sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))
    for edit in reversed(ordered):
        lines[edit.range.start.line] = edited(lines[edit.range.start.line], edit, encoding)
    return "\n".join(lines)


def items_of(
    offered: lsp.CompletionList | list[lsp.CompletionItem] | None,
) -> list[lsp.CompletionItem]:
    assert offered is not None
    return offered.items if isinstance(offered, lsp.CompletionList) else offered


def shown(line: str, cursor: int, items: list[lsp.CompletionItem]) -> list[str]:
    """The labels a client keeps as the author types: those whose filter text starts
    with what the item would replace up to the cursor (without a text edit, the word
    before the cursor: in a YAML buffer, the text after the last hyphen)."""
    kept = []
    for item in items:
        if isinstance(item.text_edit, lsp.TextEdit):
            typed = line[item.text_edit.range.start.character : cursor]
        else:
            typed = re.search(r"\w*$", line[:cursor]).group()  # type: ignore[union-attr]
        if (item.filter_text or item.label).startswith(typed):
            kept.append(item.label)
    return kept


def accept(line: str, cursor: int, item: lsp.CompletionItem) -> str:
    """The line after the client inserts ``item`` (all ASCII here)."""
    if isinstance(item.text_edit, lsp.TextEdit):
        return edited(line, item.text_edit, "utf-16")
    word = re.search(r"\w*$", line[:cursor]).group()  # type: ignore[union-attr]
    return line[: cursor - len(word)] + (item.insert_text or item.label) + line[cursor:]


@pytest.mark.asyncio(loop_scope="function")
async def test_positions_after_accented_cjk_and_emoji_text_in_each_encoding(
    encoded: LanguageClient, project: Path, request: pytest.FixtureRequest
) -> None:
    client = encoded
    encoding = request.node.callspec.params["encoded"]
    path = project / "credentials.yaml"
    text = PROJECT["credentials.yaml"]
    uri = await open_file(client, path)
    document = lsp.TextDocumentIdentifier(uri=uri)
    accented, typo = 6, 7

    def at(line: str, character: int) -> int:
        return units(line[:character], encoding)

    (finding,) = [d for d in client.diagnostics[uri] if d.code == "unknown-reference"]
    start = TYPO.index("sql-basic]")
    assert (finding.range.start.line, finding.range.start.character) == (typo, at(TYPO, start))
    assert finding.range.end.character == at(TYPO, start + len("sql-basic"))

    end_of_id = lsp.Position(accented, at(ACCENTED, ACCENTED.index("sql-basics]") + 10))
    hovered = await client.text_document_hover_async(lsp.HoverParams(document, end_of_id))
    assert hovered is not None
    assert isinstance(hovered.contents, lsp.MarkupContent)
    assert hovered.contents.value.splitlines()[0] == "**SQL Basics** (course, 40 h)"

    inside = lsp.Position(accented, at(ACCENTED, ACCENTED.index("sql-basics]") + 3))
    target = await client.text_document_definition_async(lsp.DefinitionParams(document, inside))
    assert isinstance(target, lsp.Location)
    assert (target.range.start.line, target.range.start.character) == (1, 8)

    used = await client.text_document_references_async(
        lsp.ReferenceParams(
            context=lsp.ReferenceContext(include_declaration=False),
            text_document=document,
            position=inside,
        )
    )
    column = ACCENTED.index("sql-basics]")
    assert [
        (r.range.start.line, r.range.start.character, r.range.end.character) for r in used or []
    ] == [(accented, at(ACCENTED, column), at(ACCENTED, column + 10))]

    edit = await client.text_document_rename_async(
        lsp.RenameParams(text_document=document, position=inside, new_name="sql-intro")
    )
    assert edit is not None
    assert edit.changes is not None
    renamed = apply(text, edit.changes[uri], encoding).split("\n")
    assert renamed[1] == "  - id: sql-intro"
    assert renamed[accented] == ACCENTED.replace("[sql-basics]", "[sql-intro]")

    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=document,
            range=finding.range,
            context=lsp.CodeActionContext(diagnostics=[finding]),
        )
    )
    assert actions is not None
    (fix,) = actions
    assert isinstance(fix, lsp.CodeAction)
    assert (fix.title, fix.kind) == ("Change to 'sql-basics'", lsp.CodeActionKind.QuickFix)
    assert fix.edit is not None
    assert fix.edit.changes is not None
    fixed = apply(text, fix.edit.changes[uri], encoding).split("\n")
    assert fixed[typo] == TYPO.replace("[sql-basic]", "[sql-basics]")

    typing = text.replace("[sql-basics], grants", "[sql-b], grants")
    await change(client, uri, typing, 2)
    line = typing.split("\n")[accented]
    cursor = line.index("sql-b]") + 5
    offered = await client.text_document_completion_async(
        lsp.CompletionParams(document, lsp.Position(accented, at(line, cursor)))
    )
    (basics,) = [i for i in items_of(offered) if i.label == "sql-basics"]
    assert isinstance(basics.text_edit, lsp.TextEdit)
    assert edited(line, basics.text_edit, encoding) == ACCENTED


@pytest.fixture
def careers(tmp_path: Path) -> Path:
    root = tmp_path / "data-careers"
    shutil.copytree(ROOT / "curricula" / "data-careers", root)
    return root


@pytest.mark.asyncio(loop_scope="function")
async def test_completion_of_an_id_with_hyphens_replaces_the_whole_id(
    client: LanguageClient, careers: Path
) -> None:
    path = careers / "credentials" / "advanced.yaml"
    text = path.read_text(encoding="utf-8")
    uri = await open_file(client, path)
    line_number = text.split("\n").index("    requires: [sql-intermediate]")
    for version, (typed, expected) in enumerate(
        [
            ("data-vi", ["data-visualisation", "data-visualisation-fundamentals"]),
            ("sql-f", ["sql-foundations"]),
        ],
        2,
    ):
        await change(client, uri, text.replace("[sql-intermediate]", f"[{typed}]", 1), version)
        line = f"    requires: [{typed}]"
        cursor = len(line) - 1
        offered = await client.text_document_completion_async(
            lsp.CompletionParams(lsp.TextDocumentIdentifier(uri), lsp.Position(line_number, cursor))
        )
        items = items_of(offered)
        assert shown(line, cursor, items) == expected
        assert all(item.filter_text == item.label for item in items)

    await change(client, uri, text.replace("[sql-intermediate]", "[data-]", 1), 9)
    line = "    requires: [data-]"
    offered = await client.text_document_completion_async(
        lsp.CompletionParams(lsp.TextDocumentIdentifier(uri), lsp.Position(line_number, 20))
    )
    (badge,) = [i for i in items_of(offered) if i.label == "data-cleaning-badge"]
    assert accept(line, 20, badge) == "    requires: [data-cleaning-badge]"


@pytest.mark.asyncio(loop_scope="function")
async def test_an_unclosed_list_still_completes_the_ids_of_every_file(
    client: LanguageClient, careers: Path
) -> None:
    path = careers / "credentials" / "advanced.yaml"
    text = path.read_text(encoding="utf-8")
    uri = await open_file(client, path)
    typing = text.replace("    requires: [sql-intermediate]\n", "    requires: [\n", 1)
    await change(client, uri, typing, 2)
    assert {str(d.code) for d in client.diagnostics[uri]} == {"yaml-syntax"}
    line_number = typing.split("\n").index("    requires: [")
    offered = await client.text_document_completion_async(
        lsp.CompletionParams(lsp.TextDocumentIdentifier(uri), lsp.Position(line_number, 15))
    )
    labels = {item.label for item in items_of(offered)}
    same_file = {"advanced-sql-performance", "cloud-data-warehousing", "bi-analyst-certification"}
    other_files = {"sql-foundations", "data-cleaning-badge", "sql", "statistics"}
    assert same_file | other_files <= labels


@pytest.mark.asyncio(loop_scope="function")
async def test_yaml_outside_a_project_and_non_file_buffers_get_nothing(
    client: LanguageClient, project: Path, tmp_path: Path
) -> None:
    loose = write(
        tmp_path / "k8s", {"pod.yaml": "apiVersion: v1\nkind: Pod\n", "ci.yaml": "on: push\n"}
    )
    broken = PROJECT["credentials.yaml"].replace("grants: [sql@1]", "grants: [sql@9]")
    for uri in [
        (loose / "pod.yaml").as_uri(),
        "untitled:" + str(project / "credentials.yaml"),
        "http://example.com" + str(project / "credentials.yaml"),
    ]:
        client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "yaml", 1, broken))
        )
        hovered = await client.text_document_hover_async(
            lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(1, 9))
        )
        assert hovered is None
    other = write(tmp_path / "other", PROJECT)
    await open_file(client, other / "outcomes.yaml")  # after the others: all were handled
    assert all(uri.startswith(other.as_uri()) for uri in client.diagnostics)


async def send_raw(client: LanguageClient, method: str, params: dict[str, Any]) -> Any:
    """Send a request as written, its params unchecked (pygls's client checks them)."""
    msg_id = f"raw-{method}"
    answer: Future[Any] = Future()
    client.protocol._request_futures[msg_id] = answer
    client.protocol._send_data({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
    return await asyncio.wait_for(asyncio.wrap_future(answer), 10)


@pytest.mark.asyncio(loop_scope="function")
async def test_invalid_params_get_a_json_rpc_error(client: LanguageClient, project: Path) -> None:
    uri = await open_file(client, project / "credentials.yaml")
    document = {"uri": uri}
    for method, params in [
        (
            "textDocument/hover",
            {"textDocument": document, "position": {"line": -1, "character": 0}},
        ),
        (
            "textDocument/completion",
            {"textDocument": document, "position": {"line": 1, "character": 9}, "context": {}},
        ),
    ]:
        with pytest.raises(JsonRpcInvalidParams, match=f"invalid params for {method}"):
            await send_raw(client, method, params)
    hovered = await client.text_document_hover_async(
        lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(1, 9))
    )
    assert hovered is not None  # and the server goes on answering


@pytest.mark.asyncio(loop_scope="function")
async def test_a_huge_line_gets_bounded_answers_and_blocks_nothing(
    client: LanguageClient, project: Path, tmp_path: Path
) -> None:
    small = await open_file(client, project / "outcomes.yaml")
    items = ", ".join(["sql-basics"] * 20_000)
    typos = "".join(f"  - {{id: c{n}, title: C, type: corse}}\n" for n in range(1100))
    huge = write(
        tmp_path / "huge",
        {
            "credpath.yaml": "name: Huge\n",
            "credentials.yaml": (
                "credentials:\n"
                "  - id: sql-basics\n    title: SQL Basics\n    type: course\n"
                "  - id: big\n    title: Big\n    type: course\n"
                f"    requires: [{items}]\n"
            ),
            "more.yaml": f"credentials:\n{typos}",
        },
    )
    path = huge / "credentials.yaml"
    uri = await open_file(client, path)
    found = client.diagnostics[(huge / "more.yaml").as_uri()]
    assert len(found) == 1000  # of 2,200: a schema error and a dead end for each entry
    assert re.fullmatch(
        r"and [\d,]+ more findings: `credpath validate` lists them all", found[-1].message
    )
    hovered = await client.text_document_hover_async(
        lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(4, 9))
    )
    assert hovered is not None
    assert isinstance(hovered.contents, lsp.MarkupContent)
    listed = ", ".join(["`sql-basics`"] * 20)
    assert f"Requires: {listed} and 19,980 more\n" in hovered.contents.value
    assert len(hovered.contents.value) < 2000

    client.diagnostics.pop(uri)
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            [lsp.TextDocumentContentChangeWholeDocument(path.read_text().replace("Big", "Bigger"))],
        )
    )
    answered = await client.text_document_hover_async(
        lsp.HoverParams(lsp.TextDocumentIdentifier(small), lsp.Position(3, 16))
    )
    assert answered is not None
    assert uri not in client.diagnostics  # answered while the huge file is being checked


@pytest.mark.asyncio(loop_scope="function")
async def test_the_outline_lists_each_entry_with_its_id(
    client: LanguageClient, project: Path
) -> None:
    uri = await open_file(client, project / "credentials.yaml")
    symbols = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(lsp.TextDocumentIdentifier(uri))
    )
    assert symbols is not None
    outline = [
        (
            s.name,
            s.detail,
            s.kind,
            s.range.start.line,
            (s.selection_range.start.line, s.selection_range.start.character),
        )
        for s in symbols
        if isinstance(s, lsp.DocumentSymbol)
    ]
    assert outline == [
        ("sql-basics", "SQL Basics", lsp.SymbolKind.Class, 1, (1, 8)),
        ("sql-more", "Café crème 日本語 😀", lsp.SymbolKind.Class, 6, (6, 9)),
        ("sql-extra", "Crème brûlée 🍮 中文", lsp.SymbolKind.Class, 7, (7, 9)),
    ]
