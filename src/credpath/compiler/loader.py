"""Bytes -> plain YAML values, safely and with source positions on demand.

The fast path walks libyaml's event stream (the C parser) once and builds plain
values: every scalar stays the text it was written as (``isco: 2511`` is "2511";
pydantic parses numbers where a field wants one), ``null``/``~``/empty become None.
Building from events, instead of composing nodes, keeps the nesting depth and the
alias expansion under our control: libyaml's own composer recurses in C and
crashes on very deep input.

Positions are only needed when something is reported, so they are recorded by a
second pass over the same text (``positions()``), once per file that needs them.
"""

from __future__ import annotations

import contextlib
import re
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from sys import intern
from typing import Any

import yaml
from yaml import events as ev

MAX_DEPTH = 1000
ALIAS_BUDGET = 100_000
"""Values that aliases may expand to in a whole project: every later stage walks the
expanded values, so a few hundred bytes of nested aliases, in one file or spread over
forty, must not become millions. A file's parse counts its own; the project sums them
(``project.AliasBudget``)."""

try:
    _Parser: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = yaml.SafeLoader

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_CORE = "tag:yaml.org,2002:"
_TEXT_TAGS = frozenset(
    {"!", f"{_CORE}str", f"{_CORE}int", f"{_CORE}float", f"{_CORE}bool", f"{_CORE}timestamp"}
)
_CONTAINER_TAGS = frozenset({f"{_CORE}map", f"{_CORE}seq"})
_SHARED_LENGTH = 64
"""Keys and scalars up to this long (ids, types, level names) are interned: a catalog
writes each id, key and type thousands of times, and one string each (also across the
worker processes' pickles) keeps a 50,000-credential catalog in less memory."""

PACKED_TEXT_BYTES = 2048
"""Texts longer than this (in UTF-8) are kept compressed (``SourceFile.text``)."""
PACK_LEVEL = 1
"""zlib's fastest level: YAML shrinks four to ten times even so."""

ENTRIES_ALONE = 32
"""Past this many entries of one file with findings, and a quarter of its entries,
parsing the whole file once costs less than parsing them one by one
(``SourceFile.locate``). Not before a quarter: the whole file's positions take 300 bytes
a value, and a file of 50,000 credentials with findings in 900 took 330 MiB."""

LINE_BREAK = re.compile("(\r\n|[\r\n\x85\u2028\u2029])")
"""Line breaks as libyaml counts them, so that line numbers agree with its marks (the
group keeps the breaks in ``split``)."""

Path_ = tuple[int | str, ...]
"""A path into a file's values: the document index, then keys and list indexes."""

Span = tuple[int, int, int, int]
"""0-based (line, column, end line, end column) as libyaml reports them."""

Parse = tuple[list[Any], Mapping[Path_, Span]]
"""A file's parse as the parse cache keeps it: its documents and where each entry is."""


@dataclass(frozen=True)
class Unparsable:
    """A file that cannot be read as safe YAML (0-based line and column of the problem)."""

    source: SourceFile
    line: int
    column: int
    reason: str
    yaml: bool = True
    """A complaint of the YAML parser (else: the bytes could not be read or decoded)."""
    context: str = ""
    """What the parser was reading, e.g. "while scanning a quoted scalar"."""
    context_at: tuple[int, int] | None = None
    """Where that began (0-based line and column)."""


@dataclass(frozen=True)
class DuplicateKey:
    source: SourceFile
    key: str
    line: int
    column: int
    end_line: int
    end_column: int


class YamlError(Exception):
    """The file cannot be read as safe YAML; line and column are 0-based.

    ``context`` is what the parser was reading (``while scanning a quoted
    scalar``), with where that began: an unclosed quote is found at the end of the
    file, but the author fixes it where it was opened.
    """

    def __init__(
        self,
        message: str,
        line: int = 0,
        column: int = 0,
        context: str = "",
        context_at: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.context = context
        self.context_at = context_at


@dataclass
class Positions:
    """Where each value (and each mapping key) of a file was written."""

    values: dict[Path_, Span] = field(default_factory=dict)
    keys: dict[Path_, Span] = field(default_factory=dict)


class EntrySpans(Mapping[Path_, Span]):
    """Where each entry of a file was written: ``(document, kind, index)`` -> its span.

    A dict of tuples took 250 bytes an entry (the key, the span, its line numbers as
    objects); this keeps, per list of entries, their indexes and spans in two arrays of
    machine integers, 40 bytes an entry. Entries come in the order of their indexes (a
    list item that is not a mapping is no entry, so indexes may skip); one that does not
    (only a parse cache's file could say so) is put in its place."""

    __slots__ = ("_lists",)

    def __init__(self, spans: Iterable[tuple[Path_, Span]] = ()) -> None:
        self._lists: dict[tuple[int | str, int | str], tuple[array[int], array[int]]] = {}
        for path, span in spans:
            self.add(path, span)

    def add(self, path: Path_, span: Span) -> None:
        """Record where the entry at ``path`` (three parts, the last an index) was written;
        anything else is no entry and is not recorded."""
        if len(path) != 3 or not isinstance(index := path[2], int):
            return
        try:
            packed = array("q", span)
            array("q", [index])
        except OverflowError:  # no file is that long: the whole file's positions will do
            return
        indexes, spans = self._lists.setdefault(path[:2], (array("q"), array("q")))
        at = len(indexes)
        if at and indexes[-1] >= index:
            at = bisect_left(indexes, index)
            if indexes[at] == index:
                spans[4 * at : 4 * at + 4] = packed
                return
        indexes.insert(at, index)
        spans[4 * at : 4 * at] = packed

    def _find(self, path: object) -> tuple[array[int], int] | None:
        """The spans of the list holding ``path``, and its row there."""
        if not isinstance(path, tuple) or len(path) != 3 or not isinstance(path[2], int):
            return None
        found = self._lists.get(path[:2])
        if found is None:
            return None
        indexes, spans = found
        index = path[2]
        at = index if 0 <= index < len(indexes) and indexes[index] == index else None
        if at is None:
            at = bisect_left(indexes, index)
            if at == len(indexes) or indexes[at] != index:
                return None
        return spans, at

    def __getitem__(self, path: Path_) -> Span:
        found = self._find(path)
        if found is None:
            raise KeyError(path)
        spans, at = found
        line, column, end_line, end_column = spans[4 * at : 4 * at + 4]
        return (line, column, end_line, end_column)

    def __contains__(self, path: object) -> bool:
        return self._find(path) is not None

    def __iter__(self) -> Iterator[Path_]:
        for (document, kind), (indexes, _) in self._lists.items():
            for index in indexes:
                yield (document, kind, index)

    def __len__(self) -> int:
        return sum(len(indexes) for indexes, _ in self._lists.values())


@dataclass
class Parsed:
    documents: list[Any]
    duplicate_keys: list[tuple[str, Span]]
    entries: EntrySpans = field(default_factory=EntrySpans)
    """Where each entry (a mapping in a list under a document's key) was written."""
    alias_values: int = 0
    """How many values the aliases expanded to."""


class _Frame:
    __slots__ = (
        "anchor",
        "container",
        "key",
        "key_end",
        "key_is_merge",
        "key_start",
        "merges",
        "path",
        "start",
        "start_count",
    )

    def __init__(
        self, container: dict[str, Any] | list[Any], anchor: str | None, start: Any, count: int
    ) -> None:
        self.container = container
        self.anchor = anchor
        self.start = start
        self.start_count = count
        self.key: str | None = None
        self.key_start: Any = None
        self.key_end: Any = None
        self.key_is_merge = False
        self.merges: list[Any] = []
        self.path: Path_ = ()


def _span(start: Any, end: Any) -> Span:
    return (start.line, start.column, end.line, end.column)


def parse(text: str, positions: Positions | None = None, aliases_before: int = 0) -> Parsed:
    """Build the documents of ``text``; record spans into ``positions`` when given.

    Raises YamlError for anything that is not safe, bounded, plain YAML; that includes
    aliases that expand to more values than ``ALIAS_BUDGET`` leaves after
    ``aliases_before`` (what the files read before this one expanded to).
    """
    try:
        return _build(text, positions, aliases_before)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line, column = (mark.line, mark.column) if mark is not None else (0, 0)
        begun = exc.context_mark
        context_at = (begun.line, begun.column) if begun is not None else None
        raise YamlError(problem, line, column, exc.context or "", context_at) from None
    except yaml.reader.ReaderError as exc:
        line, column = _line_col(text, exc.position)
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise YamlError(f"character U+{char:04X} is not allowed in YAML", line, column) from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml reports marks for all it raises
        raise YamlError(str(exc).splitlines()[0]) from None


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index)
    start = text.rfind("\n", 0, index) + 1
    return line, index - start


def _build(text: str, positions: Positions | None, aliases_before: int) -> Parsed:
    track = positions is not None
    documents: list[Any] = []
    duplicates: list[tuple[str, Span]] = []
    entries = EntrySpans()
    anchors: dict[str, tuple[Any, int]] = {}
    open_anchors: set[str] = set()
    stack: list[_Frame] = []
    count = 0  # nodes, with aliases expanded
    alias_nodes = 0

    def add(value: Any, start: Any, end: Any) -> None:
        if not stack:
            documents.append(value)
            if track:
                assert positions is not None
                positions.values[(len(documents) - 1,)] = _span(start, end)
            return
        top = stack[-1]
        container = top.container
        if isinstance(container, list):
            if track:
                assert positions is not None
                positions.values[(*top.path, len(container))] = _span(start, end)
            container.append(value)
            return
        key = top.key
        assert key is not None
        top.key = None
        if top.key_is_merge:
            top.merges.append((value, start))
            return
        if key in container:
            duplicates.append((key, _span(top.key_start, top.key_end)))
            return
        container[key] = value
        if track:
            assert positions is not None
            path = (*top.path, key)
            positions.values[path] = _span(start, end)
            positions.keys[path] = _span(top.key_start, top.key_end)

    def take_key(value: Any, start: Any, end: Any, plain_merge: bool) -> bool:
        """Store a scalar as the pending key of the open mapping, if one waits for a key."""
        if not stack:
            return False
        top = stack[-1]
        if not isinstance(top.container, dict) or top.key is not None:
            return False
        if not isinstance(value, str):
            raise YamlError("a mapping key must be plain text", start.line, start.column)
        top.key = intern(value)
        top.key_start = start
        top.key_end = end
        top.key_is_merge = plain_merge and value == "<<"
        return True

    def open_container(container: Any, event: Any) -> None:
        nonlocal count
        if stack and isinstance(stack[-1].container, dict) and stack[-1].key is None:
            raise YamlError(
                "a mapping key must be plain text", event.start_mark.line, event.start_mark.column
            )
        if len(stack) >= MAX_DEPTH:
            raise YamlError(
                f"nesting deeper than {MAX_DEPTH} levels",
                event.start_mark.line,
                event.start_mark.column,
            )
        tag = event.tag
        if tag is not None and tag != "!" and tag not in _CONTAINER_TAGS:
            raise YamlError(
                f"the tag {tag} is not allowed: curriculum files are plain YAML",
                event.start_mark.line,
                event.start_mark.column,
            )
        count += 1
        frame = _Frame(container, event.anchor, event.start_mark, count)
        if track and stack:
            parent = stack[-1]
            if isinstance(parent.container, list):
                frame.path = (*parent.path, len(parent.container))
            else:
                assert parent.key is not None
                frame.path = (*parent.path, parent.key)
        elif track:
            frame.path = (len(documents),)
        if event.anchor is not None:
            open_anchors.add(event.anchor)
        stack.append(frame)

    def close_container(event: Any) -> None:
        frame = stack.pop()
        value = frame.container
        if frame.merges:
            value = _merge(frame, value)
        if frame.anchor is not None:
            open_anchors.discard(frame.anchor)
            anchors[frame.anchor] = (value, count - frame.start_count + 1)
        if len(stack) == 2 and isinstance(value, dict):
            document, listing = stack
            if isinstance(listing.container, list) and isinstance(document.key, str):
                entry = (len(documents), document.key, len(listing.container))
                entries.add(entry, _span(frame.start, event.end_mark))
        add(value, frame.start, event.end_mark)

    event: Any
    for event in yaml.parse(text, Loader=_Parser):
        kind = event.__class__
        if kind is ev.ScalarEvent:
            tag = event.tag
            raw = event.value
            plain = event.implicit[0]
            if tag is None or tag in _TEXT_TAGS:
                value: Any = None if plain and tag is None and raw in _NULLS else raw
                if value is not None and len(raw) <= _SHARED_LENGTH:
                    value = intern(raw)  # ids, types, levels: one string each, however often
            elif tag == f"{_CORE}null":
                value = None
            else:
                raise YamlError(
                    f"the tag {tag} is not allowed: curriculum files are plain YAML",
                    event.start_mark.line,
                    event.start_mark.column,
                )
            start, end = event.start_mark, event.end_mark
            if take_key(raw if value is None else value, start, end, plain and tag is None):
                continue
            count += 1
            if event.anchor is not None:
                anchors[event.anchor] = (value, 1)
            add(value, start, end)
        elif kind is ev.MappingStartEvent:
            open_container({}, event)
        elif kind is ev.SequenceStartEvent:
            open_container([], event)
        elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
            close_container(event)
        elif kind is ev.AliasEvent:
            name = event.anchor
            start, end = event.start_mark, event.end_mark
            span = _span(start, end)
            if name in open_anchors:
                raise YamlError(f"the alias *{name} refers to itself", span[0], span[1])
            if name not in anchors:
                raise YamlError(f"the alias *{name} has no anchor &{name}", span[0], span[1])
            value, size = anchors[name]
            count += size
            alias_nodes += size
            if aliases_before + alias_nodes > ALIAS_BUDGET:
                raise YamlError(_over_alias_budget(aliases_before), span[0], span[1])
            if take_key(value, start, end, False):
                continue
            add(value, start, end)
        elif kind is ev.DocumentStartEvent:
            anchors.clear()
    return Parsed(documents, duplicates, entries, alias_nodes)


def _over_alias_budget(before: int) -> str:
    if not before:
        return f"aliases expand to more than {ALIAS_BUDGET:,} values (a 'billion laughs' file?)"
    return (
        f"aliases expand to more than {ALIAS_BUDGET:,} values in this project, counting "
        f"{before:,} in the files before this one (a 'billion laughs' file?)"
    )


def may_alias(data: bytes) -> bool:
    """Whether the bytes can hold an alias at all: one needs an anchor (``&``) and a
    use (``*``). Files that cannot are known to expand none without being parsed."""
    return b"&" in data and b"*" in data


def _merge(frame: _Frame, explicit: dict[str, Any] | list[Any]) -> dict[str, Any]:
    """Apply ``<<`` merge keys: explicit keys win, earlier merged mappings win."""
    assert isinstance(explicit, dict)
    merged: dict[str, Any] = {}
    for value, mark in frame.merges:
        sources = value if isinstance(value, list) else [value]
        for source in sources:
            if not isinstance(source, dict):
                raise YamlError(
                    "a merge key << takes a mapping or a list of mappings", mark.line, mark.column
                )
            for key, item in source.items():
                merged.setdefault(key, item)
    merged.update(explicit)
    return merged


@dataclass
class SourceFile:
    """One YAML file of a project, read and parsed (or with the reason it was not)."""

    path: Path
    display: str
    documents: list[Any] = field(default_factory=list)
    problems: list[Unparsable | DuplicateKey] = field(default_factory=list)
    """Why it could not be read or parsed, and the duplicate keys in it."""
    validated: dict[Path_, Any] = field(default_factory=dict, compare=False, repr=False)
    """The entries of this content already validated, by their path: a file kept in
    memory (the language server) is not validated again when another file changes."""
    resolved: dict[Path_, Any] = field(default_factory=dict, compare=False, repr=False)
    """Its credentials' resolved references, with the fingerprint of the ids they were
    resolved against (resolve.py)."""
    entries: EntrySpans = field(default_factory=EntrySpans, compare=False, repr=False)
    """Where each entry was written (found by the first parse, at no extra cost)."""
    alias_values: int = field(default=0, compare=False, repr=False)
    """How many values its aliases expanded to (counted against the project's budget)."""
    _entry_positions: dict[Path_, Positions | None] = field(
        default_factory=dict, compare=False, repr=False
    )
    _utf8: bytes = field(default=b"", init=False, repr=False)
    """The text in UTF-8, compressed when ``_packed``."""
    _packed: bool = field(default=False, init=False, repr=False)
    _mentions: dict[str, bool] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def text(self) -> str:
        """The file's text, as decoded when it was read.

        Kept compressed: a catalog holds every file's text for the few places its
        findings are located and quoted, and at 50,000 credentials with descriptions
        that is 50 MB, read again only for files with findings (or suppressions).
        Each read decompresses; what is derived from it is cached (``positions``,
        ``lines``)."""
        data = zlib.decompress(self._utf8) if self._packed else self._utf8
        return data.decode("utf-8", "surrogatepass")

    def keep_utf8(self, data: bytes, *, pack: bool = True) -> None:
        """Keep ``data``, UTF-8 text already checked (``decode``), as the text;
        compressed when long, unless not to ``pack``."""
        self._packed = pack and len(data) > PACKED_TEXT_BYTES
        self._utf8 = zlib.compress(data, PACK_LEVEL) if self._packed else data
        self._mentions.clear()

    def mentions(self, needle: str) -> bool:
        """Whether the text holds ``needle``, remembered: the text is kept compressed, and
        a resident process asks of the same file after every edit of another."""
        found = self._mentions.get(needle)
        if found is None:
            found = self._mentions[needle] = needle in self.text
        return found

    @cached_property
    def positions(self) -> Positions:
        found = Positions()
        with contextlib.suppress(YamlError):
            parse(self.text, found)
        return found

    @cached_property
    def lines(self) -> list[str]:
        """The text's lines without their breaks, split once (a rule that quotes what is
        written at many places of a long line must not split the file each time)."""
        return LINE_BREAK.split(self.text)[::2]

    @cached_property
    def _lines(self) -> list[str]:
        """The text's lines, each with its line break."""
        parts = LINE_BREAK.split(self.text)  # lines and the breaks between them
        return [a + b for a, b in zip(parts[::2], [*parts[1::2], ""], strict=True)]

    def positions_within(self, entry: Path_) -> Positions | None:
        """The positions inside one entry, from parsing its text alone (its lines, the
        text before it blanked so columns stay): a finding in a file of 400 credentials
        then costs one entry's parse, not the file's. None when the entry cannot be
        parsed alone (an alias to an anchor outside it): the caller reads the file."""
        if entry in self._entry_positions:
            return self._entry_positions[entry]
        found: Positions | None = None
        span = self.entries.get(entry)
        if span is not None:
            first, column, last, end_column = span
            every = self._lines
            lines = every[first:last]
            if last < len(every):  # the end is where the next entry starts, or the file's
                lines.append(every[last][:end_column])
            if lines:
                lines[0] = " " * column + lines[0][column:]
                alone = Positions()
                try:
                    parse("".join(lines), alone)
                    found = Positions(
                        {(*entry, *p[1:]): _shift(v, first) for p, v in alone.values.items()},
                        {(*entry, *p[1:]): _shift(v, first) for p, v in alone.keys.items()},
                    )
                except YamlError:
                    found = None
        self._entry_positions[entry] = found
        return found

    def unparsable(self, line0: int, column0: int, reason: str, *, yaml: bool = False) -> None:
        self.problems.append(Unparsable(self, line0, column0, reason, yaml))

    def locate(self, path: Path_, *, key: bool = False) -> tuple[int, int, int, int]:
        """The 1-based span of the value (or the key) at ``path``, or of its nearest parent."""
        positions = None
        entry = path[:3]
        parsed_alone = self._entry_positions
        if (
            "positions" not in self.__dict__
            and entry in self.entries
            and (
                entry in parsed_alone
                or len(parsed_alone) < max(ENTRIES_ALONE, len(self.entries) // 4)
            )
        ):
            positions = self.positions_within(entry)
        if positions is None:
            positions = self.positions
        table = positions.keys if key else positions.values
        probe = path
        while probe:
            span = table.get(probe)
            if span is not None:
                return (span[0] + 1, span[1] + 1, span[2] + 1, span[3] + 1)
            if key:
                table = positions.values
                key = False
                continue
            probe = probe[:-1]
        return (1, 1, 1, 1)


def _shift(span: Span, lines: int) -> Span:
    return (span[0] + lines, span[1], span[2] + lines, span[3])


def parse_source(path: Path, display: str, data: bytes, aliases_before: int = 0) -> SourceFile:
    """Decode and parse the bytes of one file (``aliases_before``: as ``parse``)."""
    source = SourceFile(path, display)
    text = decode(data, source)
    if text is None:
        return source
    source.keep_utf8(data.removeprefix(BOM))
    try:
        parsed = parse(text, aliases_before=aliases_before)
    except YamlError as exc:
        source.problems.append(
            Unparsable(source, exc.line, exc.column, exc.message, True, exc.context, exc.context_at)
        )
        return source
    source.documents = parsed.documents
    source.entries = parsed.entries
    source.alias_values = parsed.alias_values
    for key, span in parsed.duplicate_keys:
        source.problems.append(DuplicateKey(source, key, *span))
    return source


def parsed_before(
    path: Path, display: str, data: bytes, documents: list[Any], entries: Mapping[Path_, Span]
) -> SourceFile:
    """One file as ``parse_source`` made it, from what it parsed out of the same bytes
    before (the parse cache), without parsing them again."""
    source = SourceFile(path, display)
    if decode(data, source) is not None:  # kept as read: the parse cache is for speed
        source.keep_utf8(data.removeprefix(BOM), pack=False)
    source.documents = documents
    source.entries = entries if isinstance(entries, EntrySpans) else EntrySpans(entries.items())
    return source


BOM = b"\xef\xbb\xbf"


def decode(data: bytes, source: SourceFile) -> str | None:
    """UTF-8 (with or without BOM) text, or None with a finding at the first bad byte."""
    data = data.removeprefix(BOM)
    nul = data.find(b"\x00")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if 0 <= nul < exc.start:
            _nul(data, nul, source)
            return None
        line, column = _byte_line_col(data, exc.start)
        source.unparsable(
            line,
            column,
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded; "
            "save the file as UTF-8",
        )
        return None
    if nul >= 0:
        _nul(data, nul, source)
        return None
    return text


def _nul(data: bytes, offset: int, source: SourceFile) -> None:
    line, column = _byte_line_col(data, offset)
    source.unparsable(line, column, "NUL byte: this looks like a binary file, not YAML")


def _byte_line_col(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset)
    start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[start:offset].decode("utf-8", errors="replace"))
    return line, column
