"""Writing files: atomic, never through a symlink, and nothing lost without ``--force``.

Every file credpath writes goes through here. Each write goes to a temporary file
in the same folder, which is then renamed over the target: a failure or Ctrl-C
never leaves a half-written file, and a symlink at the target is replaced, never
followed (so ``-o link.json`` cannot overwrite whatever the link points at).

A folder credpath writes into gets a ledger, ``.credpath-written.json``: the files
credpath wrote there, with the hash of what it wrote. A file may be replaced (or,
in a folder of outputs, deleted when no longer produced) only when the ledger
says credpath wrote exactly its current content. Anything else (a file the user
wrote, or one of ours that they edited since) stops the command with exit 2,
naming the file, unless ``--force`` is given.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
import tempfile
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from credpath.errors import UsageError

LEDGER = ".credpath-written.json"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_ledger(folder: Path) -> dict[str, str]:
    """The files (relative posix paths) credpath wrote in ``folder``, with their hashes."""
    try:
        stored = json.loads((folder / LEDGER).read_text(encoding="utf-8"))
        files = stored["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if not isinstance(files, dict):
        return {}
    return {k: v for k, v in files.items() if isinstance(k, str) and isinstance(v, str)}


def _ledger_bytes(files: Mapping[str, str]) -> bytes:
    document = {"written_by": "credpath", "files": dict(sorted(files.items()))}
    return (json.dumps(document, indent=2) + "\n").encode()


def _is_ours(path: Path, recorded: str | None) -> bool:
    """Whether ``path`` holds exactly what credpath last wrote there."""
    if recorded is None or path.is_symlink() or not path.is_file():
        return False
    try:
        return _digest(path.read_bytes()) == recorded
    except OSError:
        return False


def _refuse(paths: list[Path]) -> UsageError:
    first = paths[0]
    more = f" (and {len(paths) - 1} more)" if len(paths) > 1 else ""
    return UsageError(
        f"{first}: exists and was not written by credpath{more}; "
        "nothing was written: use --force to overwrite"
    )


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it over ``path``.

    The file keeps the mode of the one it replaces (a new one gets the usual
    mode under the umask, not the private mode of a temporary file).
    """
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode) if path.is_file() else None
    except OSError:
        mode = None
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(handle, mode if mode is not None else 0o666 & ~_umask())
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _io(path: Path, exc: OSError) -> UsageError:
    return UsageError(f"{path}: cannot write: {exc.strerror or exc}")


def write_file(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write one file (``-o FILE``), refusing to replace a file credpath did not write."""
    folder = path.parent
    try:
        if path.is_dir() and not path.is_symlink():
            raise UsageError(f"{path}: is a folder; give a file name")
        ledger = _read_ledger(folder)
        if os.path.lexists(path) and not force and not _is_ours(path, ledger.get(path.name)):
            raise _refuse([path])
        folder.mkdir(parents=True, exist_ok=True)
        _atomic(path, data)
        ledger[path.name] = _digest(data)
        _atomic(folder / LEDGER, _ledger_bytes(ledger))
    except OSError as exc:
        raise _io(path, exc) from None


def rewrite(path: Path, data: bytes) -> None:
    """Replace the content of a file the user asked credpath to edit (``new``), atomically."""
    try:
        _atomic(path, data)
    except OSError as exc:
        raise _io(path, exc) from None


@dataclass(frozen=True)
class Written:
    """A file some process already wrote into the staging folder (``write_into``)."""

    digest: str


class Staging:
    """The folder a tree is written into before it takes ``directory``'s place: beside it,
    so that one rename moves it in. Made before the files are drawn when worker
    processes write their own files into it; removed once the tree is written, or when
    the process that made it lets go of it or exits, whatever happened in between.
    """

    def __init__(self, directory: Path) -> None:
        try:
            if os.path.lexists(directory) and not directory.is_dir():
                raise UsageError(f"{directory}: exists and is not a folder; give a folder with -o")
            directory.parent.mkdir(parents=True, exist_ok=True)
            self.folder = Path(tempfile.mkdtemp(dir=directory.parent, prefix=f".{directory.name}."))
            self._remove = weakref.finalize(self, _remove_folder, self.folder, os.getpid())
            self.folder.chmod(0o777 & ~_umask())
        except OSError as exc:
            raise _io(directory, exc) from None

    def discard(self) -> None:
        self._remove()


def _remove_folder(folder: Path, owner: int) -> None:
    if os.getpid() == owner:  # never from a forked worker that inherited the Staging
        shutil.rmtree(folder, ignore_errors=True)


def close_source(items: object) -> None:
    """Close ``items`` when it can be closed (a generator, ``forked_map``'s results): what
    draws the files stops (worker processes that write into a staging folder finish
    their job and exit)."""
    close = getattr(items, "close", None)
    if callable(close):
        close()


def write_into(folder: Path, name: str, data: bytes) -> Written:
    """Write one file of a tree into its staging folder (from any process)."""
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return Written(_digest(data))


def write_tree(
    directory: Path,
    files: Mapping[str, bytes] | Iterable[tuple[str, bytes | Written]],
    *,
    force: bool = False,
    staging: Staging | None = None,
) -> None:
    """Make ``directory`` hold ``files`` (relative posix paths), all or nothing.

    Files credpath wrote there before and no longer produces are removed (when
    unchanged). Everything is written into a staging folder first, each file as it
    comes (an iterator is drawn while written; a ``Written`` file is already there);
    the result then replaces the folder in one rename when it holds only credpath's
    files, else file by file, each one atomic. Files of someone else's in the way are
    refused once all is drawn, before any is touched.
    """
    items = files.items() if isinstance(files, Mapping) else files
    try:
        staged = staging if staging is not None else Staging(directory)
        try:
            old = _read_ledger(directory) if directory.is_dir() else {}
            ledger = _write_all(staged.folder, items)
            ours = _unchanged(directory, old)
            blocked = [
                directory / name
                for name in sorted(ledger)
                if name not in ours and os.path.lexists(directory / name)
            ]
            if blocked and not force:
                raise _refuse(blocked)
            stale = [name for name in sorted(ours) if name not in ledger]
            (staged.folder / LEDGER).write_bytes(_ledger_bytes(ledger))
            if not directory.exists():
                os.rename(staged.folder, directory)
            elif not directory.is_symlink() and _only_ours(directory, ours):
                _swap(staged.folder, directory)
            else:
                _merge(staged.folder, directory, [*ledger, LEDGER], stale)
        finally:
            close_source(items)  # before the folder goes: nothing writes into it after
            staged.discard()
    except OSError as exc:
        raise _io(directory, exc) from None


def _write_all(staging: Path, items: Iterable[tuple[str, bytes | Written]]) -> dict[str, str]:
    """Write each file under ``staging``; return the ledger (path: digest)."""
    ledger: dict[str, str] = {}
    for name, data in items:
        written = data if isinstance(data, Written) else write_into(staging, name, data)
        ledger[name] = written.digest
    return ledger


def _unchanged(directory: Path, ledger: Mapping[str, str]) -> set[str]:
    """The files of ``ledger`` that still hold what credpath wrote: each one read once,
    as a site of 10,000 pages takes a third of a second to hash."""
    return {name for name, digest in ledger.items() if _is_ours(directory / name, digest)}


def _only_ours(directory: Path, ours: set[str]) -> bool:
    """Whether every file in ``directory`` is the ledger or one of ``ours``."""
    for folder, _, names in os.walk(directory):
        inside = Path(folder).relative_to(directory).as_posix()
        prefix = "" if inside == "." else f"{inside}/"
        if any(prefix + name not in ours for name in names if prefix + name != LEDGER):
            return False
    return True


def _swap(staging: Path, directory: Path) -> None:
    """Replace ``directory`` by ``staging`` with two renames; the old one is removed last."""
    retired = Path(tempfile.mkdtemp(dir=directory.parent, prefix=f".{directory.name}.old."))
    os.rename(directory, retired / "old")
    try:
        os.rename(staging, directory)
    except BaseException:
        os.rename(retired / "old", directory)
        raise
    finally:
        shutil.rmtree(retired, ignore_errors=True)


def _merge(staging: Path, directory: Path, names: list[str], stale: list[str]) -> None:
    """Move each new file over its target (each rename atomic), then drop stale ones."""
    for name in names:
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_dir() and not target.is_symlink():
            raise UsageError(f"{target}: is a folder where credpath writes a file")
        os.replace(staging / name, target)
    for name in stale:
        with contextlib.suppress(OSError):
            (directory / name).unlink()
