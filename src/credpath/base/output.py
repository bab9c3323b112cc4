"""Writing files: atomic, never through a symlink, and nothing lost without ``--force``.

Every file credpath writes goes through here. Each write goes to a temporary file
in the same folder, which is then renamed over the target: a failure or Ctrl-C
never leaves a half-written file, and a symlink at the target is replaced, never
followed (so ``-o link.json`` cannot overwrite whatever the link points at).

A folder credpath writes into gets a ledger, ``.credpath-written``: the files
credpath wrote there, with the hash of what it wrote. (Its name ends in no ``.json``:
a badge platform loads every ``*.json`` of a folder of achievements. A ledger under the
old name, ``.credpath-written.json``, is read when there is no new one, and removed when
the folder is written again if it holds exactly what credpath writes.) A file may be replaced (or,
in a folder of outputs, deleted when no longer produced) only when the ledger
says credpath wrote exactly its current content. Anything else (a file the user
wrote, or one of ours that they edited since) stops the command with exit 2,
naming the file, unless ``--force`` is given.

The ledger is data, not a list of paths to trust: it may have been committed to a
repository or planted in a pull request. Only a regular file (not a symlink) of at
most 64 MiB is read, through the bounded JSON reader; only entries that are plain
relative paths inside the folder count (no ``..``, ``.`` or empty part, not
absolute, no backslash, drive letter or NUL), and only when every folder on the way
is a real folder and the file itself a regular file whose content has the recorded
hash. The rest is ignored, with a note; a ledger that cannot be read means that
nothing in the folder is credpath's. So credpath deletes only regular files inside
the output folder that hold exactly what it wrote there.

The output folder named with ``-o`` is the user's choice: when it is a symlink to a
folder, credpath writes into the folder it points at (as ``cp`` and static-site
tools do, so ``-o site`` linked to a web server's folder works). A symlink *inside*
it is another matter, since anyone who can commit a file can commit a link: where
credpath writes a folder (``credentials/``) and finds a symlink, or a file, the
command stops with exit 2 naming it, and ``--force`` replaces the link itself by a
real folder, leaving what it pointed at untouched. Writing never follows a link
inside the output folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from credpath.base.errors import UsageError
from credpath.base.json_input import JsonInputError, read_json
from credpath.base.text import escape

LEDGER = ".credpath-written"
LEGACY_LEDGER = ".credpath-written.json"
"""The ledger's name before 0.2: read when there is no ledger, then replaced."""

LEDGER_MAX_BYTES = 64 * 2**20
"""The largest ledger read: one of 100,000 pages takes under 10 MB."""

_UNSAFE = re.compile(r"[\\\x00\ud800-\udfff]|^[A-Za-z]:")
"""What a plain path never holds: a backslash, a NUL, a lone surrogate, a drive letter."""


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _plain(name: str) -> bool:
    """Whether a ledger entry is a normalized relative POSIX path that stays in its folder."""
    return (
        name not in (LEDGER, LEGACY_LEDGER)
        and not _UNSAFE.search(name)
        and all(part not in ("", ".", "..") for part in name.split("/"))
    )


def _read_ledger(folder: Path) -> tuple[dict[str, str], list[str]]:
    """The files (plain relative paths) the ledger in ``folder`` says credpath wrote, with
    their hashes, and notes on what was ignored: a ledger that is not a regular file or
    not one credpath reads counts as empty, never as an error.

    A ledger under the old name is read when there is none under the new one; it is
    then listed among the files credpath wrote (with the hash of what credpath would
    write), so that writing the folder again removes it when it is exactly that.
    """
    path = folder / LEDGER
    if not os.path.lexists(path) and os.path.lexists(folder / LEGACY_LEDGER):
        files, notes = _read_ledger_at(folder / LEGACY_LEDGER)
        if not notes:
            files[LEGACY_LEDGER] = _digest(_ledger_bytes(files))
        return files, notes
    return _read_ledger_at(path)


def _read_ledger_at(path: Path) -> tuple[dict[str, str], list[str]]:
    try:
        if stat.S_ISLNK(os.lstat(path).st_mode):
            return {}, [_ignored_ledger(path, "it is a symbolic link")]
        stored = read_json(path, max_bytes=LEDGER_MAX_BYTES)
    except (FileNotFoundError, NotADirectoryError):
        return {}, []
    except OSError as exc:
        return {}, [_ignored_ledger(path, f"cannot read it: {exc.strerror or exc}")]
    except JsonInputError as exc:
        return {}, [_ignored_ledger(path, str(exc))]
    files = stored.get("files") if isinstance(stored, dict) else None
    if not isinstance(files, dict):
        return {}, [_ignored_ledger(path, "it has no 'files' mapping")]
    entries = {k: v for k, v in files.items() if isinstance(k, str) and isinstance(v, str)}
    plain = {name: digest for name, digest in entries.items() if _plain(name)}
    odd = sorted(name for name in entries if name not in plain)
    return plain, [_ignored_entries(path, odd, "not plain paths inside the folder")] if odd else []


def _shown(text: str) -> str:
    """``text`` escaped to one line of valid Unicode (a path may hold a lone surrogate)."""
    return escape(text.encode("utf-8", "backslashreplace").decode("utf-8"))


def _ignored_ledger(path: Path, reason: str) -> str:
    return f"{_shown(str(path))}: ignored ({reason}); no file there counts as written by credpath"


def _ignored_entries(path: Path, names: list[str], reason: str) -> str:
    count = f"{len(names):,} entries" if len(names) > 1 else "1 entry"
    return f"{_shown(str(path))}: ignored {count} {reason} (such as '{_shown(names[0])}')"


def _ledger_bytes(files: Mapping[str, str]) -> bytes:
    document = {"written_by": "credpath", "files": dict(sorted(files.items()))}
    return (json.dumps(document, indent=2) + "\n").encode()


def _is_ours(path: Path, recorded: str | None) -> bool:
    """Whether ``path`` is a regular file (not a symlink) holding exactly what credpath last
    wrote there; read in chunks, as it may be someone else's file of any size."""
    if recorded is None:
        return False
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(handle, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                return False
            return hashlib.file_digest(file, "sha256").hexdigest() == recorded
    except OSError:
        return False


def _in_the_way(directory: Path, name: str) -> Path | None:
    """The first thing on the way to ``name`` in ``directory`` that is not a real folder (a
    symlink, a file), or None: then every folder on the way is real or not there yet."""
    folder = directory
    for part in name.split("/")[:-1]:
        folder = folder / part
        try:
            if not stat.S_ISDIR(os.lstat(folder).st_mode):
                return folder
        except FileNotFoundError:
            return None
    return None


def _refuse(paths: list[Path]) -> UsageError:
    first = paths[0]
    more = f" (and {len(paths) - 1} more)" if len(paths) > 1 else ""
    return UsageError(
        f"{first}: exists and was not written by credpath{more}; "
        "nothing was written: use --force to overwrite"
    )


def _refuse_folders(paths: list[Path]) -> UsageError:
    first = paths[0]
    what = "a symbolic link" if first.is_symlink() else "a file"
    more = f" (and {len(paths) - 1} more)" if len(paths) > 1 else ""
    return UsageError(
        f"{first}: is {what} where credpath writes a folder{more}; nothing was written: "
        "use --force to replace it (a link's target is left alone)"
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
        ledger, _ = _read_ledger(folder)
        ledger.pop(LEGACY_LEDGER, None)
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
    """Write one file of a tree into its staging folder (from any process); its folder is
    made when missing (a site writes 10,000 files into a few folders)."""
    target = folder / name
    try:
        target.write_bytes(data)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return Written(_digest(data))


def write_tree(
    directory: Path,
    files: Mapping[str, bytes] | Iterable[tuple[str, bytes | Written]],
    *,
    force: bool = False,
    staging: Staging | None = None,
) -> list[str]:
    """Make ``directory`` hold ``files`` (relative posix paths), all or nothing; return
    notes for standard error (what of the old ledger was ignored).

    Files credpath wrote there before and no longer produces are removed (when
    unchanged). Everything is written into a staging folder first, each file as it
    comes (an iterator is drawn while written; a ``Written`` file is already there);
    the result then replaces the folder in one rename when it holds only credpath's
    files, else file by file, each one atomic. Files of someone else's in the way, and
    symlinks or files where a folder goes, are refused once all is drawn, before any
    is touched.
    """
    items = files.items() if isinstance(files, Mapping) else files
    try:
        staged = staging if staging is not None else Staging(directory)
        try:
            old, notes = _read_ledger(directory)
            ledger = _write_all(staged.folder, items)
            ours, through = _unchanged(directory, old)
            if through:
                notes.append(
                    _ignored_entries(directory / LEDGER, through, "through a symbolic link")
                )
            in_the_way = {name: _in_the_way(directory, name) for name in ledger}
            folders = sorted({way for way in in_the_way.values() if way is not None})
            if folders and not force:
                raise _refuse_folders(folders)
            blocked = [
                directory / name
                for name in sorted(ledger)
                if in_the_way[name] is None
                and name not in ours
                and os.path.lexists(directory / name)
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
    return notes


def _write_all(staging: Path, items: Iterable[tuple[str, bytes | Written]]) -> dict[str, str]:
    """Write each file under ``staging``; return the ledger (path: digest)."""
    ledger: dict[str, str] = {}
    for name, data in items:
        written = data if isinstance(data, Written) else write_into(staging, name, data)
        ledger[name] = written.digest
    return ledger


def _unchanged(directory: Path, ledger: Mapping[str, str]) -> tuple[set[str], list[str]]:
    """The files of ``ledger`` that still hold what credpath wrote (each one read once, as
    a site of 10,000 pages takes a third of a second to hash), and the entries that lead
    through a symlink or a file, which are never ours."""
    ours: set[str] = set()
    through: list[str] = []
    for name, digest in sorted(ledger.items()):
        try:
            way = _in_the_way(directory, name)
        except OSError:  # a name too long, a folder that cannot be listed: not ours
            continue
        if way is not None:
            through.append(name)
        elif _is_ours(directory / name, digest):
            ours.add(name)
    return ours, through


def _raise(error: OSError) -> NoReturn:
    raise error


def _only_ours(directory: Path, ours: set[str]) -> bool:
    """Whether every file in ``directory`` is the ledger or one of ``ours``: no symlink and
    no folder that cannot be listed, which replacing the folder would lose."""
    try:
        for folder, subfolders, names in os.walk(directory, onerror=_raise):
            if any(os.path.islink(os.path.join(folder, sub)) for sub in subfolders):
                return False
            inside = Path(folder).relative_to(directory).as_posix()
            prefix = "" if inside == "." else f"{inside}/"
            if any(prefix + name not in ours for name in names if prefix + name != LEDGER):
                return False
    except OSError:
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
    """Move each new file over its target (each rename atomic), then drop stale ones
    (regular files that ``_unchanged`` found to hold what credpath wrote)."""
    for name in names:
        target = directory / name
        _make_folders(directory, name)
        if target.is_dir() and not target.is_symlink():
            raise UsageError(f"{target}: is a folder where credpath writes a file")
        os.replace(staging / name, target)
    for name in stale:
        with contextlib.suppress(OSError):
            (directory / name).unlink()


def _make_folders(directory: Path, name: str) -> None:
    """Make the folders on the way to ``name``, each a real one: a symlink or file in the
    way (which ``--force`` allowed) is removed first, never followed."""
    folder = directory
    for part in name.split("/")[:-1]:
        folder = folder / part
        with contextlib.suppress(FileNotFoundError):
            if stat.S_ISDIR(os.lstat(folder).st_mode):
                continue
            folder.unlink()
        folder.mkdir()
