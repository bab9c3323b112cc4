"""A content-hash cache of the findings of `validate`: a re-run on unchanged input is instant.

The key covers everything the findings depend on: credpath's own code, the
command and its options, the folder it runs from (paths are shown relative to
it), credpath.yaml, and the path and content hash of every curriculum file. Any
change to any of these is a miss, and the project is checked as usual. Touching
a file (a new mtime, the same bytes) is a hit.

Checking the key reads and hashes every file, but parses nothing and does not
import pydantic or the rules. The cache lives in ``$CREDPATH_CACHE_DIR``, else
``$XDG_CACHE_HOME/credpath``, else ``~/.cache/credpath``; ``CREDPATH_NO_CACHE=1`` or
``--no-cache`` turns it off. It is JSON, never pickle: a cache file is data, not code.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import credpath
from credpath.config import find_root
from credpath.diagnostics import Diagnostic, Location, Severity
from credpath.loader import CONFIG_NAME, YamlError, discover, parse

FORMAT = 1


@dataclass(frozen=True)
class Key:
    slot: Path
    """The cache file for this project, folder and command."""
    digest: str
    """The hash of everything the findings depend on."""


@dataclass(frozen=True)
class Hit:
    diagnostics: list[Diagnostic]
    files: list[str]


def directory() -> Path | None:
    if os.environ.get("CREDPATH_NO_CACHE"):
        return None
    chosen = os.environ.get("CREDPATH_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "credpath"


def _code_fingerprint() -> str:
    """credpath's own sources (an editable install changes without a new version)."""
    package = Path(credpath.__file__).parent
    stats = []
    for path in sorted(package.rglob("*.py")):
        info = path.stat()
        stats.append(f"{path.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(stats).encode()).hexdigest()


def _libraries() -> str:
    """The versions of the libraries whose behaviour shapes the findings."""
    found = []
    for name in ("pydantic", "pydantic-core", "pyyaml", "networkx"):
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=?")
    return ",".join(found)


def key(target: Path, cwd: Path, mode: str) -> Key | None:
    """The key of a run, or None when the cache is off or the input is unusual."""
    folder = directory()
    if folder is None:
        return None
    root, _ = find_root(target)
    config_path = root / CONFIG_NAME
    config_bytes = config_path.read_bytes() if config_path.is_file() else b""
    exclude = _exclude(config_bytes)
    if exclude is None:
        return None  # a config that needs reading properly: no cache
    digest = hashlib.sha256()
    for part in (str(FORMAT), credpath.__version__, _code_fingerprint(), _libraries(), mode):
        digest.update(part.encode() + b"\0")
    digest.update(str(cwd).encode() + b"\0")
    digest.update(str(target.absolute()).encode() + b"\0")
    digest.update(hashlib.sha256(config_bytes).digest())
    for path in discover(root, exclude):
        try:
            content = path.read_bytes()
        except OSError:
            return None
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.blake2b(content, digest_size=16).digest())
    slot_name = hashlib.sha256(f"{root.resolve()}\0{cwd}\0{mode}".encode()).hexdigest()[:32]
    return Key(folder / f"{slot_name}.json", digest.hexdigest())


def _exclude(config_bytes: bytes) -> list[str] | None:
    if not config_bytes:
        return []
    try:
        documents = parse(config_bytes.decode("utf-8-sig")).documents
    except (UnicodeDecodeError, YamlError):
        return None
    if len(documents) != 1 or not isinstance(documents[0], dict):
        return None if documents else []
    exclude = documents[0].get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(e, str) for e in exclude):
        return None
    return exclude


def load(key_: Key) -> Hit | None:
    try:
        stored = json.loads(key_.slot.read_text(encoding="utf-8"))
        if stored.get("digest") != key_.digest:
            return None
        return Hit([_diagnostic(d) for d in stored["diagnostics"]], list(stored["files"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(key_: Key, diagnostics: list[Diagnostic], files: list[str]) -> None:
    """Write the entry atomically; a cache that cannot be written is simply not used."""
    document = {
        "digest": key_.digest,
        "files": files,
        "diagnostics": [_as_json(d) for d in diagnostics],
    }
    with contextlib.suppress(OSError):
        key_.slot.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=key_.slot.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(document, out)
        os.replace(temporary, key_.slot)


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
    }


def _diagnostic(data: dict[str, Any]) -> Diagnostic:
    return Diagnostic(
        data["path"],
        data["line"],
        data["column"],
        data["rule"],
        data["message"],
        Severity.parse(data["severity"]),
        data["end_line"],
        data["end_column"],
        tuple(Location(*r) for r in data["related"]),
    )
