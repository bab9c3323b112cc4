"""``credpath lsp``: the checks in the author's editor, over stdio (pygls, lsprotocol).

The server finds the project of each file it is told about (``credpath.yaml`` upward;
a file with none above it, or a buffer that is not a file on disk, gets nothing), checks
it with the engine as ``validate`` does, and publishes the findings of every file of the
project (an empty list clears a file's). Editors' unsaved text counts: open documents are
read from the editor, the rest from disk. Each project is held by the resident engine
(``checks.workspace``, shared with ``validate --watch`` and ``serve``): after an edit only
the edited file is parsed again, and what the edit cannot change is not checked again.

Checks run one at a time on a worker thread: the server goes on answering while one runs,
and edits that arrive meanwhile are checked together once it ends (a burst of keystrokes
costs at most one more check, not one each). Each check published is then indexed for
navigation on a second worker, so the next keystroke's check does not wait for it; the
index of the check before is reused for every file the edit left unchanged, so indexing
after a keystroke is the edited file's work, not the project's, and indexing pauses
between files while a check runs (the first index of a large project takes seconds). A
request about a project being checked waits for the check and its indexing a moment
(``CHECK_WAIT``), then answers from the previous one.
"""

from __future__ import annotations

import asyncio
import functools
import re
import threading
import traceback
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from cattrs import transform_error
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import to_fs_path

from credpath import __version__
from credpath.base.diagnostics import Diagnostic, Severity
from credpath.base.text import escape
from credpath.checks.context import Options
from credpath.checks.workspace import Workspace as Engine
from credpath.compiler.files import has_config
from credpath.compiler.model import ID_PATTERN
from credpath.editor import navigate
from credpath.editor.navigate import ANSWER_ITEMS, Index
from credpath.editor.positions import Columns, split_lines

CHECK_WAIT = 2.0
"""Seconds a request waits for the check of its project under way before it answers
from the previous check."""

MESSAGE_CHARS = 300
"""The most characters of the reason an invalid request is refused with."""

SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}

COMPLETION_KINDS = {
    "credential": lsp.CompletionItemKind.Class,
    "competency": lsp.CompletionItemKind.Property,
    "outcome": lsp.CompletionItemKind.Event,
    "level": lsp.CompletionItemKind.EnumMember,
    "rule": lsp.CompletionItemKind.Keyword,
}

SYMBOL_KINDS = {
    "credential": lsp.SymbolKind.Class,
    "competency": lsp.SymbolKind.Property,
    "outcome": lsp.SymbolKind.Event,
    "pathway": lsp.SymbolKind.Module,
}

F = TypeVar("F", bound=Callable[..., Any])


class AtPosition(Protocol):
    """The parameters of a request about a place in a document."""

    @property
    def text_document(self) -> lsp.TextDocumentIdentifier: ...

    @property
    def position(self) -> lsp.Position: ...


class _Answered:
    """A request already answered while it was decoded: nothing more to do with it."""

    jsonrpc = "answered"


class CredpathProtocol(LanguageServerProtocol):
    """pygls's protocol, but a request whose params do not decode (a negative line, a
    completion context without ``triggerKind``) gets the JSON-RPC error: pygls raises
    while decoding, before the request reaches a handler, and never answers it, so the
    client waits for its timeout."""

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            if "id" not in data or "method" not in data:
                raise  # a notification or a response: there is no one to answer
            reason = error.message
            if error.__cause__ is not None:
                reason = "; ".join(transform_error(error.__cause__, path="params"))
            message = f"invalid params for {data['method']}: {reason}"
            if len(message) > MESSAGE_CHARS:
                message = message[: MESSAGE_CHARS - 1] + "…"
            response = lsp.ResponseError(code=error.code, message=message)
            self._send_response(data["id"], error=response)
            return _Answered()

    def handle_message(self, message: Any) -> None:
        if not isinstance(message, _Answered):
            super().handle_message(message)


def path_of(uri: str) -> Path | None:
    """The local file a ``file:`` URI names; None for any other (``untitled:``, ``http:``)."""
    path = to_fs_path(uri) if uri.startswith("file:") else None
    return Path(path) if path else None


def root_of(uri: str) -> Path | None:
    """The project a YAML file belongs to: the nearest folder above it with a
    credpath.yaml. A file with none above it is not a curriculum file, whatever its
    siblings are."""
    path = path_of(uri)
    if path is None or not path.is_absolute() or path.suffix.lower() not in {".yaml", ".yml"}:
        return None
    return next((folder for folder in path.parents if has_config(folder)), None)


class Workspace:
    """The projects the editor has files of: their parsed files by content, what was
    published for them, the latest check of each and the check under way."""

    def __init__(self, server: LanguageServer) -> None:
        self.server = server
        self.engines: dict[Path, Engine] = {}
        """The resident engine of each project, by its root."""
        self.published: dict[Path, dict[str, list[lsp.Diagnostic]]] = {}
        """What the client was last sent, by project and file (files with findings)."""
        self.indexes: dict[Path, Index] = {}
        self.checking: dict[Path, asyncio.Task[None]] = {}
        self.edited_again: set[Path] = set()
        self.last_edited: dict[Path, str] = {}
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="credpath-check")
        self.latest: dict[Path, Index] = {}
        """The latest check published, by project (``indexes`` holds the latest indexed)."""
        self.warming: dict[Path, asyncio.Task[None]] = {}
        self.indexer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="credpath-index")
        self.idle = threading.Event()
        """Set while no check runs: indexing waits for it between files."""
        self.idle.set()
        self.warmed: dict[Path, Index] = {}
        """The latest check indexed, by project, as the indexing worker left it (the next
        one reuses what it found in the files that did not change)."""

    @property
    def columns(self) -> Columns:
        return Columns(self.server.workspace.position_encoding or lsp.PositionEncodingKind.Utf16)

    def editor_text(self, path: Path) -> str | None:
        document = self.server.workspace.text_documents.get(path.as_uri())
        return None if document is None else document.source

    def check(self, root: Path) -> Index:
        """Check the project at ``root`` with the editor's unsaved text (on the worker):
        its resident engine re-reads, parses and checks only what changed."""
        engine = self.engines.get(root)
        if engine is None:
            engine = self.engines[root] = Engine(root, root, Options())
        texts = {}
        for uri, document in list(self.server.workspace.text_documents.items()):
            path = path_of(uri)
            if path is not None and root in path.parents:
                texts[path] = document.source
        self.idle.clear()
        try:
            return Index(engine.update(texts))
        finally:
            self.idle.set()

    def schedule(self, root: Path, uri: str) -> asyncio.Task[None]:
        """Check the project soon: now, or once the check under way ends."""
        self.last_edited[root] = uri
        task = self.checking.get(root)
        if task is not None:
            self.edited_again.add(root)
            return task
        task = asyncio.get_running_loop().create_task(self._keep_checking(root))
        self.checking[root] = task
        return task

    async def _keep_checking(self, root: Path) -> None:
        """Check until no edit arrived during the last check; publish that one, and index
        it on the other worker (a keystroke's check never waits for the index of the
        check before: at 10,000 credentials indexing takes far longer than checking)."""
        loop = asyncio.get_running_loop()
        try:
            while True:
                self.edited_again.discard(root)
                index = await loop.run_in_executor(self.worker, self.check, root)
                if root in self.edited_again:
                    continue
                self.publish(root, index, self.last_edited[root])
                self.latest[root] = index
                self.warming[root] = loop.create_task(self._index(root, index))
                if root not in self.edited_again:
                    return
        except Exception:  # the server must outlive any project
            self.log(traceback.format_exc(limit=3))
        finally:
            del self.checking[root]

    async def _index(self, root: Path, index: Index) -> None:
        """Index a check for the requests, unless a later check came meanwhile; requests
        are answered from it once indexed."""
        loop = asyncio.get_running_loop()
        try:
            if await loop.run_in_executor(self.indexer, self._warm_if_latest, root, index):
                self.indexes[root] = index
        except Exception:  # the server must outlive any project
            self.log(traceback.format_exc(limit=3))
        finally:
            if self.warming.get(root) is asyncio.current_task():
                del self.warming[root]

    def _warm_if_latest(self, root: Path, index: Index) -> bool:
        if self.latest.get(root) is not index:
            return False
        index.warm(self.warmed.get(root), functools.partial(self.idle.wait, CHECK_WAIT))
        self.warmed[root] = index
        return self.latest.get(root) is index

    async def index_for(self, uri: str) -> Index | None:
        """The latest check of the project of ``uri``, after the one under way (and its
        indexing) if they end within ``CHECK_WAIT``."""
        root = root_of(uri)
        if root is None:
            return None
        task = self.checking.get(root)
        if task is None and root not in self.indexes and root not in self.warming:
            task = self.schedule(root, uri)
        deadline = asyncio.get_running_loop().time() + CHECK_WAIT
        if task is not None:
            await asyncio.wait([task], timeout=CHECK_WAIT)
        indexing = self.warming.get(root)
        if indexing is not None:
            left = max(deadline - asyncio.get_running_loop().time(), 0)
            await asyncio.wait([indexing], timeout=left)
        return self.indexes.get(root)

    def log(self, message: str) -> None:
        self.server.window_log_message(
            lsp.LogMessageParams(lsp.MessageType.Error, f"credpath: {message}")
        )

    def publish(self, root: Path, index: Index, last: str) -> None:
        """The findings of every file of the project, at most ``ANSWER_ITEMS`` a file; files
        that had some and have none now get an empty list. After the project's first
        publication, only the files whose findings changed are sent again, and the file
        the editor changed, always and last, so a client that waits for it has all."""
        by_file: dict[str, list[lsp.Diagnostic]] = {}
        left_out: dict[str, int] = {}
        for source in index.result.catalog.files:
            by_file[source.path.as_uri()] = []
        uris = functools.cache(lambda display: (root / display).resolve().as_uri())
        for finding in index.result.diagnostics:
            uri = uris(finding.path)
            found = by_file.setdefault(uri, [])
            if len(found) < ANSWER_ITEMS:
                found.append(to_lsp(finding, root, index, self.columns))
            else:
                left_out[uri] = left_out.get(uri, 0) + 1
        for uri, count in left_out.items():
            by_file[uri][-1] = lsp.Diagnostic(
                range=lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0)),
                message=f"and {count + 1:,} more findings: `credpath validate` lists them all",
                severity=lsp.DiagnosticSeverity.Information,
                source="credpath",
            )
        for uri in self.published.get(root, {}).keys() - by_file.keys():
            by_file[uri] = []
        before = self.published.get(root)
        for uri, found in sorted(by_file.items(), key=lambda item: (item[0] == last, item[0])):
            if before is not None and uri != last and before.get(uri, []) == found:
                continue  # the client has these already: a keystroke sends one file, not all
            self.server.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=uri, diagnostics=found)
            )
        self.published[root] = {uri: found for uri, found in by_file.items() if found}


def to_lsp(finding: Diagnostic, root: Path, index: Index, columns: Columns) -> lsp.Diagnostic:
    lines = index.lines_of_display(finding.path)
    line = max(finding.line - 1, 0)
    start = max(finding.column - 1, 0)
    end_line = finding.end_line - 1 if finding.end_line is not None else line
    end = finding.end_column - 1 if finding.end_column is not None else start + 1
    related = [
        lsp.DiagnosticRelatedInformation(
            location=lsp.Location(
                uri=(root / place.path).resolve().as_uri(),
                range=columns.range(
                    index.lines_of_display(place.path),
                    place.line - 1,
                    place.column - 1,
                    place.column,
                ),
            ),
            message="see here",
        )
        for place in finding.related
    ]
    return lsp.Diagnostic(
        range=columns.range(lines, line, start, max(end, 0), max(end_line, 0)),
        message=finding.message,
        severity=SEVERITY.get(finding.severity, lsp.DiagnosticSeverity.Information),
        code=finding.rule,
        source="credpath",
        related_information=related or None,
    )


def make_server() -> LanguageServer:
    server = LanguageServer("credpath", __version__, protocol_cls=CredpathProtocol)
    workspace = Workspace(server)

    def guarded(default: Any) -> Callable[[F], F]:
        """A handler that fails answers ``default`` and logs why: no input kills the server."""

        def wrap(handler: F) -> F:
            @functools.wraps(handler)
            async def run(ls: LanguageServer, params: Any) -> Any:
                try:
                    return await cast(Callable[..., Awaitable[Any]], handler)(ls, params)
                except Exception:  # the server must outlive any file
                    workspace.log(traceback.format_exc(limit=3))
                    return default

            return cast(F, run)

        return wrap

    def refresh(uri: str) -> None:
        root = root_of(uri)
        if root is not None:
            workspace.schedule(root, uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: LanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
        refresh(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: LanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
        refresh(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: LanguageServer, params: lsp.DidSaveTextDocumentParams) -> None:
        refresh(params.text_document.uri)

    def current_lines(uri: str, index: Index, path: Path) -> list[str]:
        """The document's lines as the editor has them now (the request's positions count
        in them), else as checked."""
        text = workspace.editor_text(path)
        return split_lines(text) if text is not None else index.lines(path)

    def location(index: Index, occurrence: navigate.Occurrence) -> lsp.Location:
        lines = index.lines(occurrence.path)
        return lsp.Location(
            uri=occurrence.path.as_uri(),
            range=workspace.columns.range(
                lines, occurrence.line, occurrence.character, occurrence.end
            ),
        )

    async def occurrence_at(params: AtPosition) -> tuple[Index, navigate.Occurrence] | None:
        uri = params.text_document.uri
        index = await workspace.index_for(uri)
        path = path_of(uri)
        if index is None or path is None:
            return None
        line = params.position.line
        lines = current_lines(uri, index, path)
        text = lines[line] if line < len(lines) else ""
        character = workspace.columns.from_client(text, params.position.character)
        found = index.at(path, line, character)
        return None if found is None else (index, found)

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    @guarded(None)
    async def definition(ls: LanguageServer, params: lsp.DefinitionParams) -> lsp.Location | None:
        found = await occurrence_at(params)
        if found is None:
            return None
        index, occurrence = found
        target = index.definition(occurrence)
        return None if target is None else location(index, target)

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    @guarded([])
    async def references(ls: LanguageServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
        found = await occurrence_at(params)
        if found is None:
            return []
        index, occurrence = found
        declaration = params.context.include_declaration
        used = index.references(occurrence.id, declaration=declaration)
        return [location(index, o) for o in used[:ANSWER_ITEMS]]

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    @guarded(None)
    async def hover(ls: LanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
        found = await occurrence_at(params)
        if found is None:
            return None
        index, occurrence = found
        text = navigate.hover(index.result, occurrence.id)
        if text is None:
            return None
        return lsp.Hover(
            contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text),
            range=location(index, occurrence).range,
        )

    @server.feature(
        lsp.TEXT_DOCUMENT_COMPLETION,
        lsp.CompletionOptions(trigger_characters=["@", "[", ",", " ", "=", "-"]),
    )
    @guarded(None)
    async def completion(
        ls: LanguageServer, params: lsp.CompletionParams
    ) -> lsp.CompletionList | None:
        uri = params.text_document.uri
        index = await workspace.index_for(uri)
        path = path_of(uri)
        if index is None or path is None:
            return None
        lines = current_lines(uri, index, path)
        line = params.position.line
        text = lines[line] if line < len(lines) else ""
        columns = workspace.columns
        character = columns.from_client(text, params.position.character)
        offered = navigate.completions(index.result, path, "\n".join(lines), line, character)
        replaced = columns.range(lines, line, offered.start, offered.end)
        items = [
            lsp.CompletionItem(
                label=choice.label,
                detail=escape(choice.detail)[: navigate.TITLE_CHARS] or None,
                kind=COMPLETION_KINDS[choice.kind],
                filter_text=choice.label,
                text_edit=lsp.TextEdit(range=replaced, new_text=choice.label),
            )
            for choice in offered.choices
        ]
        return lsp.CompletionList(is_incomplete=not offered.complete, items=items)

    @server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
    @guarded(None)
    async def prepare_rename(
        ls: LanguageServer, params: lsp.PrepareRenameParams
    ) -> lsp.Range | None:
        found = await occurrence_at(params)
        if found is None or found[0].result.catalog.entry(found[1].id) is None:
            return None
        return location(*found).range

    @server.feature(lsp.TEXT_DOCUMENT_RENAME)
    @guarded(None)
    async def rename(ls: LanguageServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
        found = await occurrence_at(params)
        if found is None:
            return None
        index, occurrence = found
        problem = None
        shown = escape(params.new_name)[:100]
        if not re.fullmatch(ID_PATTERN, params.new_name):
            problem = f"'{shown}' is not an id: lower case letters, digits, -, _ or ."
        elif index.result.catalog.entry(params.new_name) is not None:
            problem = f"'{shown}' is already an id in this project"
        if problem is not None:
            ls.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Error, problem))
            return None
        changes: dict[str, list[lsp.TextEdit]] = {}
        for used in index.references(occurrence.id):  # all of them: half a rename breaks
            place = location(index, used)
            edit = lsp.TextEdit(range=place.range, new_text=params.new_name)
            changes.setdefault(place.uri, []).append(edit)
        return lsp.WorkspaceEdit(changes=changes)

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]),
    )
    @guarded([])
    async def code_action(ls: LanguageServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        """A quick fix for each did-you-mean finding in the range: the suggestion in place
        of what was written."""
        uri = params.text_document.uri
        index = await workspace.index_for(uri)
        path = path_of(uri)
        root = root_of(uri)
        if index is None or path is None or root is None:
            return []
        columns = workspace.columns
        actions = []
        for finding in index.result.diagnostics:
            if (root / finding.path).resolve() != path.resolve():
                continue
            shown = to_lsp(finding, root, index, columns)
            if not _overlaps(shown.range, params.range):
                continue
            lines = index.lines(path)
            line = finding.line - 1
            end = finding.end_column if finding.end_line in {None, finding.line} else None
            text = lines[line] if 0 <= line < len(lines) else ""
            fix = navigate.fix_of(
                finding.message, text, finding.column - 1, (end or finding.column + 1) - 1
            )
            if fix is None:
                continue
            start, stop, meant = fix
            edit = lsp.TextEdit(range=columns.range(lines, line, start, stop), new_text=meant)
            actions.append(
                lsp.CodeAction(
                    title=f"Change to '{escape(meant)}'",
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[shown],
                    is_preferred=True,
                    edit=lsp.WorkspaceEdit(changes={uri: [edit]}),
                )
            )
            if len(actions) == ANSWER_ITEMS:
                break
        return actions

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @guarded([])
    async def document_symbol(
        ls: LanguageServer, params: lsp.DocumentSymbolParams
    ) -> list[lsp.DocumentSymbol]:
        """The file's entries, for the outline: id, title and place."""
        uri = params.text_document.uri
        index = await workspace.index_for(uri)
        path = path_of(uri)
        source = None if index is None or path is None else index.sources.get(path)
        if index is None or source is None:
            return []
        lines = index.lines(source.path)
        columns = workspace.columns
        return [
            lsp.DocumentSymbol(
                name=symbol.name,
                detail=symbol.detail or None,
                kind=SYMBOL_KINDS[symbol.kind],
                range=columns.range(
                    lines, symbol.line, symbol.character, symbol.end_character, symbol.end_line
                ),
                selection_range=columns.range(
                    lines,
                    symbol.id_line,
                    symbol.id_character,
                    symbol.id_character + len(symbol.name),
                ),
            )
            for symbol in navigate.symbols(source)
        ]

    return server


def _overlaps(a: lsp.Range, b: lsp.Range) -> bool:
    def key(p: lsp.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def serve() -> None:
    """Answer the editor over stdio until it shuts the server down."""
    make_server().start_io()
