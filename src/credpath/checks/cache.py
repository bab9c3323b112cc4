"""A content-hash cache of a project's findings: a re-run on unchanged input is instant.

The key covers everything the findings depend on: credpath's own code and the
library versions, the command mode and its options, the folder it runs from
(paths are shown relative to it), credpath.yaml, and the path and hash of every
curriculum file. The hash is taken of exactly the bytes that are then checked
(``project.open_project`` reads them once), so a file edited mid-run cannot
store one content's findings under another's hash. Any change is a miss, and
the project is checked as usual; touching a file (a new mtime, the same bytes)
is a hit. A cache file that is not exactly what credpath writes is ignored.

A cache file is untrusted data, like every file of a work tree the cache folder may
sit in or be restored into: it is read only when it is a regular file (never through
a link leading out of the cache folder, never a FIFO or ``/dev/zero``), with the size
cap and nesting limit of ``credpath.base.json_input``, and anything else is a miss, never an
error. A cache folder that is itself a link is not used at all, so that a planted link
cannot send the entries elsewhere; an entry is written to a new file and renamed over
the old name, which replaces a link planted there rather than writing through it.

A second cache keeps each file's parse by the hash of its bytes (``load_parses``,
``store_parses``), one entry per project: after an edit, only the edited files are
parsed again, and the findings are checked again over the whole catalog.

A third keeps the graph rules' findings (``load_graph``, ``store_graph``), one entry
per project, folder and mode, under a key of what those rules see (``graph_key``: each
file's ``engine.graph_view``, blind to titles, descriptions and comments): after such an
edit only the cheap rules run again.

The cache lives in ``$CREDPATH_CACHE_DIR``, else ``$XDG_CACHE_HOME/credpath``,
else ``~/.cache/credpath``; ``CREDPATH_NO_CACHE=1`` or ``--no-cache`` turns it
off. It is JSON, never pickle: a cache file is data, not code.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache as once
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import credpath
from credpath.base.diagnostics import Diagnostic, Location, Severity, Subject, SubjectKind
from credpath.base.json_input import MAX_BYTES, JsonInputError, parse_json
from credpath.compiler.files import Unreadable, read_bytes

if TYPE_CHECKING:
    from credpath.compiler.loader import Parse, SourceFile
    from credpath.compiler.project import Project

FORMAT = 3


@dataclass(frozen=True)
class Key:
    slot: Path
    """The cache file for this project, folder and command."""
    digest: str
    """The hash of everything the findings depend on."""


def directory() -> Path | None:
    """The cache folder, or None when the cache is off or the folder is a link."""
    if os.environ.get("CREDPATH_NO_CACHE"):
        return None
    chosen = os.environ.get("CREDPATH_CACHE_DIR")
    if chosen:
        folder = Path(chosen)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        folder = Path(base) / "credpath"
    return None if folder.is_symlink() else folder


@once
def _code_fingerprint() -> str:
    """credpath's own sources (an editable install changes without a new version)."""
    package = Path(credpath.__file__).parent
    stats = []
    for path in sorted(package.rglob("*.py")):
        info = path.stat()
        stats.append(f"{path.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(stats).encode()).hexdigest()


def _depends() -> tuple[str, ...]:
    """What every cache entry depends on besides its input: the cache's format,
    credpath's version and code, the libraries' versions."""
    return (str(FORMAT), credpath.__version__, _code_fingerprint(), _libraries())


@once
def _libraries() -> str:
    """The versions of the libraries whose behaviour shapes the findings."""
    found = []
    for name in ("pydantic", "pydantic-core", "pyyaml", "networkx"):
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=?")
    return ",".join(found)


def key(project: Project, cwd: Path, mode: str) -> Key | None:
    """The key of a run over the bytes ``project`` holds, or None when the cache is off."""
    folder = directory()
    if folder is None:
        return None
    digest = hashlib.sha256()
    for part in (*_depends(), mode):
        digest.update(part.encode() + b"\0")
    digest.update(str(cwd).encode() + b"\0")
    digest.update(b"\0".join(str(p).encode() for p in project.named) + b"\0")
    config = project.config_source
    digest.update(hashlib.sha256(config.text.encode() if config is not None else b"").digest())
    for raw in project.files:
        digest.update(raw.path.relative_to(project.root).as_posix().encode() + b"\0")
        digest.update(raw.digest)
    root = project.root.resolve()
    slot_name = hashlib.sha256(f"{root}\0{cwd}\0{mode}".encode()).hexdigest()[:32]
    return Key(folder / f"{slot_name}.json", digest.hexdigest())


def load(key_: Key) -> list[Diagnostic] | None:
    """The findings stored under ``key_``, or None: a miss, or a file credpath did not write."""
    try:
        stored = parse_json(_read(key_.slot))
    except (Unreadable, JsonInputError):
        return None
    if not isinstance(stored, dict) or set(stored) != {"digest", "diagnostics", "seal"}:
        return None
    found = stored["diagnostics"]
    if stored["digest"] != key_.digest or stored["seal"] != _seal(key_.digest, found):
        return None
    if not isinstance(found, list) or not all(_well_formed(d) for d in found):
        return None
    return [_diagnostic(d) for d in found]


def _read(slot: Path) -> bytes:
    """A cache file's bytes, read as the project's files are: a regular file inside the
    cache folder, at most ``json_input.MAX_BYTES``."""
    return read_bytes(slot, MAX_BYTES, inside=slot.parent, over="not a cache file")


def _seal(digest: str, diagnostics: object) -> str:
    """Binds the findings to the key: an entry edited by hand, or cut short, is a miss."""
    text = json.dumps([digest, diagnostics], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def store(key_: Key, diagnostics: list[Diagnostic]) -> None:
    """Write the entry atomically; a cache that cannot be written is simply not used."""
    found = [_as_json(d) for d in diagnostics]
    document = {"digest": key_.digest, "diagnostics": found, "seal": _seal(key_.digest, found)}
    _write_atomically(key_.slot, json.dumps(document).encode())


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` in one rename (a reader sees the old or the new entry,
    never half of one); a cache that cannot be written is simply not used."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)


_FIELDS: dict[str, tuple[type, ...]] = {
    "path": (str,),
    "line": (int,),
    "column": (int,),
    "rule": (str,),
    "message": (str,),
    "severity": (str,),
    "end_line": (int, type(None)),
    "end_column": (int, type(None)),
    "related": (list,),
    "subject": (list, type(None)),
    "cause": (list,),
    "blocked_by": (list,),
}


def _well_formed(data: object) -> bool:
    """Whether ``data`` is a finding exactly as ``_as_json`` writes it."""
    if not isinstance(data, dict) or set(data) != set(_FIELDS):
        return False
    if not all(isinstance(data[name], kinds) for name, kinds in _FIELDS.items()):
        return False
    if any(isinstance(data[n], bool) for n in ("line", "column", "end_line", "end_column")):
        return False
    if data["severity"] not in {"error", "warning", "info"}:
        return False
    subjects = [data["subject"], *data["cause"], *data["blocked_by"]]
    if not all(s is None or _well_formed_subject(s) for s in subjects):
        return False
    return all(
        isinstance(r, list)
        and len(r) == 5
        and isinstance(r[0], str)
        and all(isinstance(n, int) and not isinstance(n, bool) for n in r[1:3])
        and all(n is None or isinstance(n, int) for n in r[3:])
        for r in data["related"]
    )


def _well_formed_subject(data: object) -> bool:
    return (
        isinstance(data, list)
        and len(data) == 3
        and data[0] in _SUBJECT_KINDS
        and isinstance(data[1], str)
        and isinstance(data[2], list)
        and all(isinstance(p, str | int) and not isinstance(p, bool) for p in data[2])
    )


_SUBJECT_KINDS = {kind.value for kind in SubjectKind}


def _subject_json(subject: Subject | None) -> list[Any] | None:
    return None if subject is None else [subject.kind.value, subject.name, list(subject.part)]


def _subject(data: list[Any] | None) -> Subject | None:
    return None if data is None else Subject(SubjectKind(data[0]), data[1], tuple(data[2]))


def _as_json(d: Diagnostic) -> dict[str, Any]:
    return {
        "path": d.path,
        "line": d.line,
        "column": d.column,
        "rule": d.rule,
        "message": d.message,
        "severity": d.severity.label,
        "end_line": d.end_line,
        "end_column": d.end_column,
        "related": [[r.path, r.line, r.column, r.end_line, r.end_column] for r in d.related],
        "subject": _subject_json(d.subject),
        "cause": [_subject_json(c) for c in d.cause],
        "blocked_by": [_subject_json(b) for b in d.blocked_by],
    }


def _diagnostic(data: dict[str, Any]) -> Diagnostic:
    return Diagnostic(
        path=data["path"],
        line=data["line"],
        column=data["column"],
        rule=data["rule"],
        message=data["message"],
        severity=Severity.parse(data["severity"]),
        end_line=data["end_line"],
        end_column=data["end_column"],
        related=tuple(Location(*r) for r in data["related"]),
        subject=_subject(data["subject"]),
        cause=tuple(filter(None, map(_subject, data["cause"]))),
        blocked_by=tuple(filter(None, map(_subject, data["blocked_by"]))),
    )


def _parses_slot(project: Project) -> tuple[Path, str] | None:
    """The project's parse cache file, and what its entries depend on besides the bytes."""
    folder = directory()
    if folder is None:
        return None
    depends = hashlib.sha256("\0".join(("parses", *_depends())).encode()).hexdigest()
    root = hashlib.sha256(str(project.root.resolve()).encode()).hexdigest()[:32]
    return folder / f"parses-{root}.json", depends


def load_parses(project: Project) -> dict[bytes, Parse]:
    """The parses stored for the project, by the hash of the bytes parsed; empty on a
    miss, or for a file credpath did not write exactly so."""
    slot = _parses_slot(project)
    if slot is None:
        return {}
    try:
        header, _, body = _read(slot[0]).partition(b"\n")
        stored = parse_json(header)
        if stored != {"depends": slot[1], "seal": hashlib.sha256(body).hexdigest()}:
            return {}
        files = parse_json(body)
    except (Unreadable, JsonInputError):
        return {}
    found: dict[bytes, Parse] = {}
    if not isinstance(files, dict):
        return found
    for digest, parse in files.items():
        with contextlib.suppress(ValueError, TypeError):
            documents, entries = parse
            if isinstance(documents, list) and all(_well_formed_entry(*e) for e in entries):
                found[bytes.fromhex(digest)] = (documents, {tuple(p): tuple(s) for p, s in entries})
    return found


def _well_formed_entry(path: object, span: object) -> bool:
    """Whether a stored entry is a place in a file and its span, as ``store_parses`` writes
    them: anything else would end in an error where the span is used."""
    return (
        isinstance(path, list)
        and all(isinstance(part, str | int) and not isinstance(part, bool) for part in path)
        and isinstance(span, list)
        and len(span) == 4
        and all(isinstance(n, int) and not isinstance(n, bool) for n in span)
    )


def store_parses(
    project: Project, sources: Sequence[SourceFile], known: Mapping[bytes, Parse]
) -> None:
    """Keep the parse of each of the project's files that parsed without a problem (the
    others are read again each time: their findings come from reading them), unless
    ``known`` (what was stored) holds exactly those."""
    slot = _parses_slot(project)
    clean = [
        (raw.digest, source)
        for raw, source in zip(project.files, sources, strict=True)
        if source.text and not source.problems
    ]
    if slot is None or {digest for digest, _ in clean} == set(known):
        return
    files = {
        digest.hex(): [source.documents, [[p, s] for p, s in source.entries.items()]]
        for digest, source in clean
    }
    body = json.dumps(files, ensure_ascii=False, separators=(",", ":")).encode()
    header = json.dumps({"depends": slot[1], "seal": hashlib.sha256(body).hexdigest()})
    _write_atomically(slot[0], header.encode() + b"\n" + body)


@dataclass(frozen=True)
class GraphEntry:
    """What the graph rules found in an earlier run, and what they saw then."""

    key: str
    """The digest of everything they saw (``graph_key``)."""
    views: dict[bytes, bytes]
    """Each file's graph view (``engine.graph_view``) by the hash of its bytes: a file
    parsed from the parse cache needs no view taken again."""
    findings: dict[str, list[Diagnostic]]
    """Each graph rule's findings, raw (before suppressions and settling)."""


def _graph_slot(project: Project, cwd: Path, mode: str) -> Path | None:
    folder = directory()
    if folder is None:
        return None
    name = hashlib.sha256(f"graph\0{project.root.resolve()}\0{cwd}\0{mode}".encode()).hexdigest()
    return folder / f"graph-{name[:32]}.json"


def graph_key(project: Project, cwd: Path, mode: str, views: Sequence[bytes], facts: bytes) -> str:
    """The digest of what the graph rules see of a run: credpath's code and libraries, the
    mode, the folder, credpath.yaml, each file's path and graph view, the facts' places."""
    digest = hashlib.sha256()
    for part in (*_depends(), mode, str(cwd)):
        digest.update(part.encode() + b"\0")
    digest.update(b"\0".join(str(p).encode() for p in project.named) + b"\0")
    config = project.config_source
    digest.update(hashlib.sha256(config.text.encode() if config is not None else b"").digest())
    for raw, view in zip(project.files, views, strict=True):
        digest.update(raw.path.relative_to(project.root).as_posix().encode() + b"\0" + view)
    digest.update(facts)
    return digest.hexdigest()


def load_graph(project: Project, cwd: Path, mode: str) -> GraphEntry | None:
    """The graph rules' entry of this project, folder and mode; None on a miss or for a
    file credpath did not write exactly so."""
    slot = _graph_slot(project, cwd, mode)
    if slot is None:
        return None
    try:
        stored = parse_json(_read(slot))
    except (Unreadable, JsonInputError):
        return None
    if not isinstance(stored, dict) or set(stored) != {"key", "views", "findings", "seal"}:
        return None
    key, views, findings = stored["key"], stored["views"], stored["findings"]
    if stored["seal"] != _seal(str(key), [views, findings]):
        return None
    if not (
        isinstance(key, str)
        and isinstance(views, dict)
        and all(isinstance(v, str) for v in views.values())
        and isinstance(findings, dict)
        and all(isinstance(f, list) and all(_well_formed(d) for d in f) for f in findings.values())
    ):
        return None
    try:
        seen = {bytes.fromhex(d): bytes.fromhex(v) for d, v in views.items()}
    except ValueError:
        return None
    found = {rule: [_diagnostic(d) for d in f] for rule, f in findings.items()}
    return GraphEntry(key, seen, found)


def store_graph(project: Project, cwd: Path, mode: str, entry: GraphEntry) -> None:
    """Keep the graph rules' findings of this run (atomically; or not at all)."""
    slot = _graph_slot(project, cwd, mode)
    if slot is None:
        return
    views = {d.hex(): v.hex() for d, v in entry.views.items()}
    findings = {rule: [_as_json(d) for d in f] for rule, f in entry.findings.items()}
    document = {
        "key": entry.key,
        "views": views,
        "findings": findings,
        "seal": _seal(entry.key, [views, findings]),
    }
    _write_atomically(slot, json.dumps(document).encode())
