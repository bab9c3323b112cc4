"""What the editor asks about a checked project: where each id is defined and used, what
it means, what may be written at the cursor, the outline of a file and the fix a
did-you-mean finding proposes.

Pure functions over a ``Result`` (the engine's checked project), with 0-based lines and
characters (code points, as YAML counts them); ``server.py`` converts characters to the
client's position encoding and turns them into protocol messages. Every answer is
bounded: a list of a hundred thousand items is summarised ("and 99,980 more"), never sent.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from credpath.base.text import escape, markdown_text
from credpath.checks.engine import Result
from credpath.compiler.loader import SourceFile, Unparsable
from credpath.compiler.requirements import Ref, refs
from credpath.compiler.resolve import AnyDef, CompetencyDef, CredentialDef, OutcomeDef, PathwayDef
from credpath.editor.positions import split_lines

HOVER_ITEMS = 20
"""The most ids a hover lists in one line before "and N more"."""

TITLE_CHARS = 200
"""The most characters of a title a hover shows."""

ANSWER_ITEMS = 1000
"""The most items of one answer (findings of a file, references, completions, symbols)."""


@dataclass(frozen=True)
class Occurrence:
    """An id written in a file: its definition, or a reference to it."""

    id: str
    path: Path
    line: int
    character: int
    definition: bool
    level: int | None = None

    @property
    def end(self) -> int:
        return self.character + len(self.id)


DEFINITIONS = 4
"""The groups of definitions (one per kind of entry), before those of references."""

PHASES = 7
"""The groups of occurrences, in the order ``references`` lists them: the definitions of
credentials, competencies, outcomes and pathways, then the references written in
credentials, outcomes and pathways."""


@dataclass(frozen=True)
class _Entries:
    """The catalog's entries written in one file, by kind, in the catalog's order."""

    credentials: list[CredentialDef]
    competencies: list[CompetencyDef]
    outcomes: list[OutcomeDef]
    pathways: list[PathwayDef]

    def kinds(self) -> tuple[Sequence[AnyDef], ...]:
        return (self.credentials, self.competencies, self.outcomes, self.pathways)


@dataclass(frozen=True)
class _FileIndex:
    """The ids written in one file, and what they were found from: its parse (``source``)
    and what the catalog says of its entries (``signature``). A later check whose file
    and signature are the same finds the same occurrences, so it reuses them."""

    source: SourceFile
    signature: tuple[tuple[object, ...], ...]
    by_id: list[dict[str, list[Occurrence]]]
    """Per group (``PHASES``), the occurrences of each id."""
    by_line: dict[int, list[Occurrence]]


class Index:
    """The ids written in a checked project's files, found once per check (a request
    then costs a look-up, not a pass over the project), and the files' lines.

    Indexed file by file: ``warm`` takes from the previous check's index every file whose
    parse is the same object (the resident engine keeps the parse of an unchanged file)
    and whose entries the catalog resolved the same way, so after an edit only the
    edited files are indexed again, not the project."""

    def __init__(self, result: Result) -> None:
        self.result = result
        self.sources = {source.path: source for source in result.sources}
        self._by_display = {source.display: source.path for source in result.sources}
        self._lines: dict[Path, list[str]] = {}
        self._files: dict[Path, _FileIndex] | None = None

    def warm(
        self, previous: Index | None = None, pause: Callable[[], object] | None = None
    ) -> None:
        """Index the project now (on the server's worker, not at the first request),
        with what ``previous`` (an earlier check of the same project) found in the
        files that did not change. ``pause`` is called before each file indexed: the
        server waits there while a keystroke's check runs, which needs the interpreter
        more (the first index of a large project takes seconds)."""
        if self._files is not None:
            return
        if previous is not None:
            for path, lines in previous._lines.copy().items():  # requests may add lines
                if self.sources.get(path) is previous.sources.get(path):
                    self._lines.setdefault(path, lines)
        kept = previous._files if previous is not None else None
        self._files = self._index(kept or {}, pause)

    def _indexed(self) -> dict[Path, _FileIndex]:
        if self._files is None:
            self._files = self._index({}, None)
        return self._files

    def _index(
        self, kept: dict[Path, _FileIndex], pause: Callable[[], object] | None
    ) -> dict[Path, _FileIndex]:
        """Each file's occurrences: kept when its parse and signature are unchanged."""
        files: dict[Path, _FileIndex] = {}
        for source, entries in self._entries_by_file():
            signature = _signature(entries)
            before = kept.get(source.path)
            if before is not None and before.source is source and before.signature == signature:
                files[source.path] = before
            else:
                if pause is not None:
                    pause()
                files[source.path] = self._index_file(source, entries, signature)
        return files

    def _entries_by_file(self) -> list[tuple[SourceFile, _Entries]]:
        """The catalog's entries grouped by the file they are written in, in the
        catalog's order."""
        catalog = self.result.catalog
        grouped: dict[int, tuple[SourceFile, _Entries]] = {}

        def of(entry: AnyDef) -> _Entries:
            source = entry.origin.source
            found = grouped.get(id(source))
            if found is None:
                found = grouped[id(source)] = (source, _Entries([], [], [], []))
            return found[1]

        for credential in catalog.credentials.values():
            of(credential).credentials.append(credential)
        for competency in catalog.competencies.values():
            of(competency).competencies.append(competency)
        for outcome in catalog.outcomes.values():
            of(outcome).outcomes.append(outcome)
        for pathway in catalog.pathways.values():
            of(pathway).pathways.append(pathway)
        return list(grouped.values())

    def lines_of_display(self, display: str) -> list[str]:
        """The lines of a file named as findings name it."""
        path = self._by_display.get(display)
        return self.lines(path) if path is not None else []

    def lines(self, path: Path) -> list[str]:
        """The lines of a file as it was checked (empty for a file not of the project)."""
        if path not in self._lines:
            source = self.sources.get(path)
            self._lines[path] = split_lines(source.text) if source is not None else []
        return self._lines[path]

    def _start(
        self, source: SourceFile, path: tuple[str | int, ...], target: str
    ) -> tuple[int, int]:
        """Where ``target`` starts in the scalar at ``path`` (after a quote, if any)."""
        line, column, _, _ = source.locate(path)
        lines = self.lines(source.path)
        text = lines[line - 1] if 1 <= line <= len(lines) else ""
        at = text.find(target, column - 1, column - 1 + len(target) + 2)
        return line - 1, (at if at >= 0 else column - 1)

    def _index_file(
        self,
        source: SourceFile,
        entries: _Entries,
        signature: tuple[tuple[object, ...], ...],
    ) -> _FileIndex:
        by_id: list[dict[str, list[Occurrence]]] = [{} for _ in range(PHASES)]
        by_line: dict[int, list[Occurrence]] = {}
        for phase, occurrence in self._occurrences(source, entries):
            by_id[phase].setdefault(occurrence.id, []).append(occurrence)
            by_line.setdefault(occurrence.line, []).append(occurrence)
        return _FileIndex(source, signature, by_id, by_line)

    def _occurrences(
        self, source: SourceFile, entries: _Entries
    ) -> Iterator[tuple[int, Occurrence]]:
        """Every definition and reference of an id in one file, with its group."""

        def referred(phase: int, found: Iterable[Ref]) -> Iterator[tuple[int, Occurrence]]:
            for ref in found:
                if ref.kind:
                    line, character = self._start(source, ref.path, ref.target)
                    level = ref.number if ref.kind == "competency" else None
                    yield phase, Occurrence(ref.target, source.path, line, character, False, level)

        for phase, kind in enumerate(entries.kinds()):
            for entry in kind:
                line, character = self._start(source, (*entry.origin.path, "id"), entry.id)
                yield phase, Occurrence(entry.id, source.path, line, character, True)
        for credential in entries.credentials:
            yield from referred(4, (*refs(credential.requires), *credential.grants))
        for outcome in entries.outcomes:
            yield from referred(5, refs(outcome.requires))
        for pathway in entries.pathways:
            for stage in pathway.stages:
                for item in stage:
                    yield from referred(6, refs(item))
            if pathway.outcome is not None:
                where = (*pathway.origin.path, "outcome")
                line, character = self._start(source, where, pathway.outcome)
                yield 6, Occurrence(pathway.outcome, source.path, line, character, False)

    def at(self, path: Path, line: int, character: int) -> Occurrence | None:
        """The id under the cursor (its end counts: the cursor just after it), if any."""
        file = self._indexed().get(path)
        for occurrence in file.by_line.get(line, []) if file is not None else []:
            if occurrence.character <= character <= occurrence.end:
                return occurrence
        return None

    def definition(self, occurrence: Occurrence) -> Occurrence | None:
        """Where the id is defined; for ``sql@2``, the level's name in ``levels`` when
        written."""
        catalog = self.result.catalog
        entry = catalog.entry(occurrence.id)
        if entry is None:
            return None
        source = entry.origin.source
        competency = catalog.competencies.get(occurrence.id)
        if competency is not None and occurrence.level is not None and competency.model.levels:
            index = occurrence.level - 1
            if 0 <= index < len(competency.model.levels):
                name = competency.model.levels[index]
                line, character = self._start(source, (*entry.origin.path, "levels", index), name)
                return Occurrence(name, source.path, line, character, True)
        line, character = self._start(source, (*entry.origin.path, "id"), entry.id)
        return Occurrence(entry.id, source.path, line, character, True)

    def references(self, id_: str, *, declaration: bool = True) -> list[Occurrence]:
        """Every occurrence of the id: definitions first, then references, each group
        in the catalog's order of entries (a look-up per file, not a pass)."""
        files = list(self._indexed().values())
        found: list[Occurrence] = []
        for phase in range(0 if declaration else DEFINITIONS, PHASES):
            for file in files:
                found.extend(file.by_id[phase].get(id_, ()))
        return found


def _signature(entries: _Entries) -> tuple[tuple[object, ...], ...]:
    """What the occurrences of a file depend on besides its parse: each entry's id and
    place, and its references as resolved (their kind and level). Compared by value,
    which is quick: an unchanged entry keeps the very same resolved objects."""
    return (
        *(tuple((e.id, e.origin.path) for e in kind) for kind in entries.kinds()),
        tuple((c.requires, c.grants) for c in entries.credentials),
        tuple(o.requires for o in entries.outcomes),
        tuple((p.stages, p.outcome, p.origin.path) for p in entries.pathways),
    )


def _code(text: object) -> str:
    """An id as Markdown code; one that could end the code span is shown as text."""
    shown = escape(str(text))
    return markdown_text(shown) if "`" in shown else f"`{shown}`"


def _title(text: str) -> str:
    clipped = text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1] + "…"
    return markdown_text(clipped)


def _listed(items: Iterable[object], empty: str) -> str:
    """The first ids, as code, and how many more there are."""
    iterator = iter(items)
    shown = [_code(item) for item in itertools.islice(iterator, HOVER_ITEMS)]
    more = sum(1 for _ in iterator)
    if not shown:
        return empty
    return ", ".join(shown) + (f" and {more:,} more" if more else "")


def hover(result: Result, id_: str) -> str | None:
    """Markdown: what the id is and what it does in the project, in a bounded summary."""
    from credpath.compiler.pathways import derive, hours

    catalog = result.catalog
    sem = result.context.semantics
    if id_ in catalog.credentials:
        credential = catalog.credentials[id_]
        model = credential.model
        workload = f", {hours(credential):g} h" if hours(credential) else ""
        lines = [f"**{_title(model.title)}** ({markdown_text(str(model.type))}{workload})"]
        if credential.status != "active":
            lines.append(f"Status: {markdown_text(credential.status)}")
        lines.append("Requires: " + _listed(refs(credential.requires), "nothing"))
        lines.append("Grants: " + _listed(credential.grants, "no competency"))
        lines.append("Unlocks: " + _listed(sorted(sem.unlocks.get(id_, {})), "nothing"))
        lines.append("Leads to: " + _listed(sem.outcomes_of.get(id_, []), "no outcome"))
        return "\n\n".join(lines)
    if id_ in catalog.competencies:
        competency = catalog.competencies[id_]
        lines = [f"**{_title(competency.model.title)}** (competency)"]
        for number, name in enumerate(competency.levels[:HOVER_ITEMS], 1):
            granters = (
                c.id
                for c in sem.active
                if any(g.target == id_ and g.number == number for g in c.grants)
            )
            label = (
                f"level {number} ({markdown_text(name)})"
                if len(competency.levels) > 1
                else "granted"
            )
            lines.append(f"- {label}: " + _listed(granters, "granted by nothing"))
        if len(competency.levels) > HOVER_ITEMS:
            lines.append(f"- and {len(competency.levels) - HOVER_ITEMS:,} more levels")
        return "\n".join(lines)
    if id_ in catalog.outcomes:
        outcome = catalog.outcomes[id_]
        derived = derive(sem, id_)
        lines = [f"**{_title(outcome.model.title)}** (job outcome)"]
        if derived is None:
            lines.append("Not reachable: `credpath validate` says why.")
        else:
            for number, stage in enumerate(derived.stages[:HOVER_ITEMS], 1):
                stage_hours = sum(hours(catalog.credentials[c]) for c in stage)
                lines.append(f"- Stage {number} ({stage_hours:g} h): " + _listed(stage, ""))
            if len(derived.stages) > HOVER_ITEMS:
                lines.append(f"- and {len(derived.stages) - HOVER_ITEMS:,} more stages")
            lines.append(f"Total: {len(derived.credentials)} credentials, {derived.hours:g} h")
        return "\n".join(lines)
    if id_ in catalog.pathways:
        pathway = catalog.pathways[id_]
        leads = _code(pathway.outcome) if pathway.outcome is not None else "an outcome"
        return f"**{_title(pathway.model.title)}** (curated pathway to {leads})"
    return None


_SUPPRESSION = re.compile(r"#\s*credpath:\s*disable(-file)?\s*=\s*(?P<names>[\w,-]*)$")
_LEVEL = re.compile(r"(?P<id>[a-z0-9]+(?:[-_.][a-z0-9]+)*)@(?P<typed>[\w ]*)$")
_REFERENCE_KEYS = re.compile(
    r"^\s*(?:-\s*)?(requires|grants|assumed|from|any|all|stages|outcome)\s*:"
)
_REFERENCE_KEY_NAMES = {"requires", "grants", "assumed", "from", "any", "all", "stages", "outcome"}
_KEY = re.compile(r"([A-Za-z_][\w-]*)\s*:(?=\s|$)")
_TYPED_ID = re.compile(r"[\w.-]*$")
_ID_GOES_ON = re.compile(r"[\w.-]*")
_TYPED_RULE = re.compile(r"[\w-]*$")


@dataclass(frozen=True)
class Choice:
    label: str
    detail: str
    kind: str
    """credential, competency, outcome, level or rule."""


@dataclass(frozen=True)
class Completions:
    """What may be written at the cursor, and the part of the line it replaces: the whole
    id being typed (``data-vi`` in ``[data-vi``), so that a client filters on it and
    inserts ``data-visualisation``, not ``data-data-visualisation``."""

    choices: list[Choice]
    start: int
    end: int
    complete: bool = True
    """False when the choices were cut to ``ANSWER_ITEMS``: the client asks again as the
    author types on."""


def completions(result: Result, path: Path, text: str, line: int, character: int) -> Completions:
    """What may be written at the cursor: ids where a reference goes, levels after ``id@``,
    rule ids in a suppression comment. ``text`` is the editor's, which need not parse:
    the ids of a file that does not are read from its lines."""
    from credpath.checks.rules import RULES

    lines = split_lines(text)
    whole = lines[line] if 0 <= line < len(lines) else ""
    current = whole[:character]
    after = _ID_GOES_ON.match(whole, character)
    end = after.end() if after is not None else character
    catalog = result.catalog
    suppression = _SUPPRESSION.search(current)
    if suppression is not None:
        start = character - len(_typed(_TYPED_RULE, current))
        rules = [Choice(rule, RULES[rule].doc.split(".")[0], "rule") for rule in sorted(RULES)]
        return Completions(rules, start, end)
    level = _LEVEL.search(current)
    if level is not None:
        start = level.start("typed")
        competency = catalog.competencies.get(level.group("id"))
        if competency is None:
            return Completions([], start, end)
        choices = [Choice(str(n), name, "level") for n, name in enumerate(competency.levels, 1)]
        if competency.model.levels:
            choices += [
                Choice(name, f"level {n}", "level") for n, name in enumerate(competency.levels, 1)
            ]
        return _bounded(choices, "", start, end)
    typed = _typed(_TYPED_ID, current)
    start = character - len(typed)
    key = _key_of(lines, line, current)
    if key is None:
        return Completions([], start, end)
    known = _known_ids(result, path, text)
    if key == "outcome":
        return _bounded(_choices(known, "outcome"), typed, start, end)
    choices = _choices(known, "competency")
    if key != "grants":
        choices += _choices(known, "credential")
    return _bounded(choices, typed, start, end)


def _typed(pattern: re.Pattern[str], before: str) -> str:
    """What was typed of a name just before the cursor."""
    match = pattern.search(before)
    return match.group() if match is not None else ""


def _bounded(choices: list[Choice], typed: str, start: int, end: int) -> Completions:
    if len(choices) <= ANSWER_ITEMS:
        return Completions(choices, start, end)
    matching = [c for c in choices if c.label.startswith(typed)]
    return Completions(matching[:ANSWER_ITEMS], start, end, complete=False)


def _choices(known: dict[str, dict[str, str]], kind: str) -> list[Choice]:
    return [Choice(id_, title, kind) for id_, title in sorted(known[kind].items())]


_SECTION = re.compile(r"^(credentials|competencies|outcomes|pathways)\s*:")
_TOP_KEY = re.compile(r"^[^\s#-][^:]*:")
_ID_LINE = re.compile(r"(?:^\s*-?\s*|[{,]\s*)id\s*:\s*[\"']?(?P<id>[a-z0-9]+(?:[-_.][a-z0-9]+)*)")
_KINDS = {"credentials": "credential", "competencies": "competency", "outcomes": "outcome"}


def _known_ids(result: Result, path: Path, text: str) -> dict[str, dict[str, str]]:
    """Ids with their titles by kind: the catalog's, and those of every file that does not
    parse (the one being typed in, with ``requires: [`` still open), read from its lines."""
    catalog = result.catalog
    known: dict[str, dict[str, str]] = {
        "credential": {i: c.model.title for i, c in catalog.credentials.items()},
        "competency": {i: c.model.title for i, c in catalog.competencies.items()},
        "outcome": {i: o.model.title for i, o in catalog.outcomes.items()},
    }
    broken = {s.path: s.text for s in catalog.files if _unparsable(s)}
    if path in broken or path not in {s.path for s in catalog.files}:
        broken[path] = text
    for unparsed in broken.values():
        for kind, id_ in _ids_written(unparsed):
            known[kind].setdefault(id_, "")
    return known


def _unparsable(source: SourceFile) -> bool:
    return any(isinstance(p, Unparsable) and p.yaml for p in source.problems)


def _ids_written(text: str) -> Iterator[tuple[str, str]]:
    """The ids an entry line declares (``- id: x``, ``- {id: x, ...}``), by the section
    they are under, from the text alone."""
    kind = None
    for line in split_lines(text):
        section = _SECTION.match(line)
        if section is not None:
            kind = _KINDS.get(section.group(1))
        elif _TOP_KEY.match(line):
            kind = None
        elif kind is not None:
            written = _ID_LINE.search(line)
            if written is not None:
                yield kind, written.group("id")


def _key_of(lines: list[str], line: int, current: str) -> str | None:
    """The key that takes references the cursor writes under: the last key before it on
    its line (``requires`` in ``- {id: x, requires: [sql-``), else the nearest above."""
    keys = _KEY.findall(current)
    if keys:
        return keys[-1] if keys[-1] in _REFERENCE_KEY_NAMES else None
    indent = len(current) - len(current.lstrip())
    for above in range(min(line, len(lines)) - 1, -1, -1):
        text = lines[above]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        found = _REFERENCE_KEYS.search(text)
        if found:
            return found.group(1)
        if (
            len(text) - len(text.lstrip()) < indent
            and ":" in text
            and not text.lstrip().startswith("-")
        ):
            return None
    return None


@dataclass(frozen=True)
class Symbol:
    """An entry of a file, for the editor's outline: its id, title and place."""

    name: str
    detail: str
    kind: str
    """credential, competency, outcome or pathway."""
    line: int
    character: int
    end_line: int
    end_character: int
    id_line: int
    id_character: int


_ENTRY_KINDS = {**_KINDS, "pathways": "pathway"}


def symbols(source: SourceFile) -> list[Symbol]:
    """The entries of a parsed file, in written order: each with an id written as text."""
    found = []
    for where, span in source.entries.items():
        document, key, index = where[0], where[1], where[2]
        kind = _ENTRY_KINDS.get(str(key))
        try:
            entry = source.documents[int(document)][key][index]
        except (IndexError, KeyError, TypeError):
            continue
        if kind is None or not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            continue
        id_ = entry["id"]
        title = entry.get("title")
        id_line, id_column, _, _ = source.locate((*where, "id"))
        found.append(
            Symbol(
                escape(id_),
                escape(title)[:TITLE_CHARS] if isinstance(title, str) else "",
                kind,
                *span,
                id_line - 1,
                id_column - 1,
            )
        )
        if len(found) == ANSWER_ITEMS:
            break
    return found


_DID_YOU_MEAN = re.compile(r" \(did you mean '(?P<meant>[^']*)'\?\)")
_QUOTED = re.compile(r"'([^']*)'")


def fix_of(message: str, line: str, start: int, end: int) -> tuple[int, int, str] | None:
    """The edit a did-you-mean finding proposes: (start, end, new text) on the finding's
    line, replacing what was written (the quoted name of the message found at the
    finding's place) with the suggestion; None when the finding proposes none."""
    meant = _DID_YOU_MEAN.search(message)
    if meant is None:
        return None
    written = [w for w in _QUOTED.findall(message[: meant.start()]) if w]
    for name in reversed(written):  # the most precise name (a level after its id) first
        at = line.find(name, start, max(end, start + 1) + len(name) + 1)
        if at >= 0:
            return at, at + len(name), meant.group("meant")
    return None
