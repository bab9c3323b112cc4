"""``credpath lsp``: the checks in the author's editor, over stdio (pygls, lsprotocol).

The server finds the project of each file it is told about (``credpath.yaml`` upward),
checks it with the engine as ``validate`` does, and publishes the findings of every file
of the project (an empty list clears a file's). Editors' unsaved text counts: open
documents are read from the editor, the rest from disk. Parsed files are kept in memory
by content, so after an edit only the edited file is parsed again.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast
from urllib.parse import unquote, urlparse

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from credpath import __version__
from credpath.context import Options
from credpath.diagnostics import Diagnostic, Severity
from credpath.engine import Result
from credpath.loader import SourceFile
from credpath.lsp import navigate
from credpath.model import ID_PATTERN

F = TypeVar("F", bound=Callable[..., Any])


class AtPosition(Protocol):
    """The parameters of a request about a place in a document."""

    @property
    def text_document(self) -> lsp.TextDocumentIdentifier: ...

    @property
    def position(self) -> lsp.Position: ...


log = logging.getLogger("credpath.lsp")

SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}


def path_of(uri: str) -> Path:
    return Path(unquote(urlparse(uri).path))


class Workspace:
    """The projects the editor has files of: their parsed files by content, what was
    published for them, and the latest check of each."""

    def __init__(self, server: LanguageServer) -> None:
        self.server = server
        self.parsed: dict[tuple[Path, str], SourceFile] = {}
        self.published: dict[Path, set[str]] = {}
        self.results: dict[Path, Result] = {}

    def root_of(self, path: Path) -> Path | None:
        from credpath.config import find_root

        try:
            root, _ = find_root(path)
        except Exception:  # not a credpath file: nothing to say about it
            return None
        return root

    def editor_text(self, path: Path) -> str | None:
        document = self.server.workspace.text_documents.get(path.as_uri())
        return None if document is None else document.source

    def check(self, root: Path) -> Result:
        """Check the project at ``root`` with the editor's unsaved text."""
        from credpath.engine import Result
        from credpath.project import RawFile, open_project, parse_raw
        from credpath.rules import RULES

        project = open_project(root, root, frozenset(RULES), require_files=False)
        sources = []
        kept: dict[tuple[Path, str], SourceFile] = {}
        for raw in project.files:
            text = self.editor_text(raw.path)
            data = text.encode("utf-8") if text is not None else raw.data
            digest = hashlib.sha256(data).hexdigest() if data is not None else ""
            key = (raw.path, digest)
            source = self.parsed.get(key)
            if source is None:
                source = parse_raw(RawFile(raw.path, raw.display, data, raw.problem))
            kept[key] = source
            sources.append(source)
        for key in [k for k in self.parsed if self._under(k[0], root)]:
            del self.parsed[key]
        self.parsed.update(kept)
        result = Result(project, Options(), cwd=root, parsed=sources, long_lived=True)
        self.results[root] = result
        return result

    @staticmethod
    def _under(path: Path, root: Path) -> bool:
        return path == root or root in path.parents

    def publish(self, root: Path, result: Result, last: str) -> None:
        """The findings of every file of the project; files that had some and have none now
        get an empty list. The file the editor changed comes last, so a client that waits
        for it has all of them."""
        by_file: dict[str, list[lsp.Diagnostic]] = {}
        for source in result.catalog.files:
            by_file[source.path.as_uri()] = []
        for finding in result.diagnostics:
            uri = (root / finding.path).resolve().as_uri()
            by_file.setdefault(uri, []).append(to_lsp(finding, root))
        for uri in self.published.get(root, set()) - set(by_file):
            by_file[uri] = []
        for uri, found in sorted(by_file.items(), key=lambda item: (item[0] == last, item[0])):
            self.server.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=uri, diagnostics=found)
            )
        self.published[root] = {uri for uri, found in by_file.items() if found}

    def result_for(self, uri: str) -> Result | None:
        path = path_of(uri)
        root = self.root_of(path)
        if root is None:
            return None
        return self.results.get(root) or self.check(root)


def to_lsp(finding: Diagnostic, root: Path) -> lsp.Diagnostic:
    start = lsp.Position(max(finding.line - 1, 0), max(finding.column - 1, 0))
    end_line = finding.end_line if finding.end_line is not None else finding.line
    end_column = finding.end_column if finding.end_column is not None else finding.column + 1
    end = lsp.Position(max(end_line - 1, 0), max(end_column - 1, 0))
    related = [
        lsp.DiagnosticRelatedInformation(
            location=lsp.Location(
                uri=(root / place.path).resolve().as_uri(),
                range=lsp.Range(
                    lsp.Position(place.line - 1, place.column - 1),
                    lsp.Position(place.line - 1, place.column),
                ),
            ),
            message="see here",
        )
        for place in finding.related
    ]
    return lsp.Diagnostic(
        range=lsp.Range(start, end),
        message=finding.message,
        severity=SEVERITY.get(finding.severity, lsp.DiagnosticSeverity.Information),
        code=finding.rule,
        source="credpath",
        related_information=related or None,
    )


def _location(occurrence: navigate.Occurrence) -> lsp.Location:
    return lsp.Location(
        uri=occurrence.path.as_uri(),
        range=lsp.Range(
            lsp.Position(occurrence.line, occurrence.character),
            lsp.Position(occurrence.line, occurrence.end),
        ),
    )


def make_server() -> LanguageServer:
    server = LanguageServer("credpath", __version__)
    workspace = Workspace(server)

    def guarded(default: Any) -> Callable[[F], F]:
        """A handler that fails answers ``default`` and logs why: no input kills the server."""

        def wrap(handler: F) -> F:
            @functools.wraps(handler)
            def run(ls: LanguageServer, params: Any) -> Any:
                try:
                    return handler(ls, params)
                except Exception:  # the server must outlive any file
                    message = traceback.format_exc(limit=3)
                    ls.window_log_message(
                        lsp.LogMessageParams(lsp.MessageType.Error, f"credpath: {message}")
                    )
                    return default

            return cast(F, run)

        return wrap

    def refresh(uri: str) -> None:
        root = workspace.root_of(path_of(uri))
        if root is not None:
            workspace.publish(root, workspace.check(root), uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    @guarded(None)
    def did_open(ls: LanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
        refresh(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    @guarded(None)
    def did_change(ls: LanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
        refresh(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    @guarded(None)
    def did_save(ls: LanguageServer, params: lsp.DidSaveTextDocumentParams) -> None:
        refresh(params.text_document.uri)

    def occurrence_at(params: AtPosition) -> tuple[Result, navigate.Occurrence] | None:
        result = workspace.result_for(params.text_document.uri)
        if result is None:
            return None
        path = path_of(params.text_document.uri)
        found = navigate.at(result, path, params.position.line, params.position.character)
        return None if found is None else (result, found)

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    @guarded(None)
    def definition(ls: LanguageServer, params: lsp.DefinitionParams) -> lsp.Location | None:
        found = occurrence_at(params)
        if found is None:
            return None
        target = navigate.definition(*found)
        return None if target is None else _location(target)

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    @guarded([])
    def references(ls: LanguageServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
        found = occurrence_at(params)
        if found is None:
            return []
        result, occurrence = found
        declaration = params.context.include_declaration
        used = navigate.references(result, occurrence.id, declaration=declaration)
        return [_location(o) for o in used]

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    @guarded(None)
    def hover(ls: LanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
        found = occurrence_at(params)
        if found is None:
            return None
        result, occurrence = found
        text = navigate.hover(result, occurrence.id)
        if text is None:
            return None
        return lsp.Hover(
            contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text),
            range=_location(occurrence).range,
        )

    @server.feature(
        lsp.TEXT_DOCUMENT_COMPLETION,
        lsp.CompletionOptions(trigger_characters=["@", "[", ",", " ", "="]),
    )
    @guarded(None)
    def completion(ls: LanguageServer, params: lsp.CompletionParams) -> lsp.CompletionList | None:
        result = workspace.result_for(params.text_document.uri)
        if result is None:
            return None
        text = ls.workspace.get_text_document(params.text_document.uri).source
        choices = navigate.completions(
            result, text, params.position.line, params.position.character
        )
        kinds = {
            "credential": lsp.CompletionItemKind.Class,
            "competency": lsp.CompletionItemKind.Property,
            "outcome": lsp.CompletionItemKind.Event,
            "level": lsp.CompletionItemKind.EnumMember,
            "rule": lsp.CompletionItemKind.Keyword,
        }
        items = [
            lsp.CompletionItem(label=c.label, detail=c.detail, kind=kinds[c.kind]) for c in choices
        ]
        return lsp.CompletionList(is_incomplete=False, items=items)

    @server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
    @guarded(None)
    def prepare_rename(ls: LanguageServer, params: lsp.PrepareRenameParams) -> lsp.Range | None:
        found = occurrence_at(params)
        if found is None or found[0].catalog.entry(found[1].id) is None:
            return None
        return _location(found[1]).range

    @server.feature(lsp.TEXT_DOCUMENT_RENAME)
    @guarded(None)
    def rename(ls: LanguageServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
        import re

        found = occurrence_at(params)
        if found is None:
            return None
        result, occurrence = found
        problem = None
        if not re.fullmatch(ID_PATTERN, params.new_name):
            problem = f"'{params.new_name}' is not an id: lower case letters, digits, -, _ or ."
        elif result.catalog.entry(params.new_name) is not None:
            problem = f"'{params.new_name}' is already an id in this project"
        if problem is not None:
            ls.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Error, problem))
            return None
        changes: dict[str, list[lsp.TextEdit]] = {}
        for used in navigate.references(result, occurrence.id):
            location = _location(used)
            edit = lsp.TextEdit(range=location.range, new_text=params.new_name)
            changes.setdefault(location.uri, []).append(edit)
        return lsp.WorkspaceEdit(changes=changes)

    return server


def serve() -> None:
    """Answer the editor over stdio until it shuts the server down."""
    make_server().start_io()
