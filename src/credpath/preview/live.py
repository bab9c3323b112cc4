"""The project, watched: after each save, the engine checks it again and a new snapshot
of it replaces the last.

One thread (``watch``) waits for changes under the project's folder (``watchfiles``:
the operating system's file events, saves within 50 ms of each other taken as one) and
asks the resident engine for the project as it is now, unless no changed path can
change what it finds (``concerns``: a YAML file that ``exclude`` or a ``.gitignore``
leaves out, a new folder without curriculum files). What the project holds decides what
the site shows: the engine's ``Workspace`` re-reads only the files whose bytes changed;
when it patched the catalog (titles, descriptions and comments edited: the graph is the
one before), the new snapshot takes over what the last one worked out. No input stops
it: an error in credpath.yaml, or a bug, becomes a finding in the overlay, and the pages
drawn before it stay.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from credpath.base.errors import UsageError
from credpath.checks.workspace import Workspace
from credpath.compiler.config import find_root
from credpath.preview.site import DATA, Finding, Layouts, Snapshot

if TYPE_CHECKING:
    from collections.abc import Callable

    from credpath.checks.context import Options
    from credpath.checks.engine import Result

YAML_SUFFIXES = frozenset({".yaml", ".yml"})
WATCHED_SUFFIXES = YAML_SUFFIXES | {""}
WATCH_TICK_MS = 100
"""How often the watcher wakes when nothing changed (to see ``stop``, and to say it watches)."""
WATCH_START = 10.0
"""The longest ``start`` waits for the folder to be watched."""
"""What a change must be to check again: a curriculum file or credpath.yaml, or a folder
(renamed, removed); not the site ``credpath site`` may have written into the project."""
MOVED_IN = 10_000
"""YAML files of a folder moved into the project looked at, at most: the engine says
whether any is one of the project's."""


class Live:
    """The latest ``Snapshot`` of one project, and the pages open on it.

    Readers take ``snapshot`` (replaced whole, never changed) or wait for the next one
    with ``wait``; the watcher makes each new one with ``refresh``.
    """

    def __init__(
        self,
        target: Path,
        cwd: Path,
        options: Options,
        *,
        diagrams: bool,
        say: Callable[[str], None] = lambda line: None,
    ) -> None:
        self.root, _ = find_root(target)  # a path that is not there stops the command here
        self.workspace = Workspace(target, cwd, options)
        self.layouts = Layouts() if diagrams else None
        self.say = say
        self.snapshot = Snapshot(0, (), None)
        self.changed = threading.Condition()
        self.open_pages: Counter[str] = Counter()
        """Pages a browser shows and listens on (by name): drawn first after an edit."""
        self.closing = False
        self._stop = threading.Event()
        self.watching = threading.Event()
        """Set once the operating system watches the folder: a save from then on is seen."""
        self._watcher: threading.Thread | None = None

    def refresh(self) -> Snapshot:
        """Check the project as it is on disk now and make it the latest snapshot."""
        last = self.snapshot
        generation = last.generation + 1
        checked = self.workspace.last
        try:
            result = self.workspace.update()
            findings = [Finding.of(d) for d in result.diagnostics]
            same = self.workspace.patched and _shows(last, checked)
            snapshot = Snapshot(
                generation,
                findings,
                result.context,
                self.layouts,
                same_graph=last if same else None,
            )
        except UsageError as exc:  # credpath.yaml: its line says where
            snapshot = last.keeping_site(generation, [Finding("", "error", str(exc), "config")])
        except Exception as exc:  # a bug in credpath: said, and the server goes on
            message = f"internal error: {type(exc).__name__}: {exc} (please report this)"
            self.say(f"credpath: {message}")
            snapshot = last.keeping_site(generation, [Finding("", "error", message, "internal")])
        with self.changed:
            open_now = list(self.open_pages)
        for page in open_now:  # drawn before the browsers showing them are told
            _drawn_ahead(snapshot, page)
        with self.changed:
            self.snapshot = snapshot
            self.changed.notify_all()
        _drawn_ahead(snapshot, DATA)  # what every page reads, next: pages that changed reload first
        return snapshot

    def wait(self, after: int | None, timeout: float) -> Snapshot | None:
        """The latest snapshot once it is newer than generation ``after`` (at once when it
        already is); None after ``timeout`` seconds without one, or when closing."""
        with self.changed:
            newer = self.changed.wait_for(
                lambda: self.closing or self.snapshot.generation != after, timeout
            )
            return self.snapshot if newer and not self.closing else None

    def opened(self, page: str) -> None:
        with self.changed:
            self.open_pages[page] += 1

    def closed(self, page: str) -> None:
        with self.changed:
            self.open_pages[page] -= 1
            if self.open_pages[page] <= 0:
                del self.open_pages[page]

    def start(self) -> None:
        """Watch the project's folder on a thread of its own, from now until ``stop``;
        return once it is watched (a save made before that would go unseen), or after
        ``WATCH_START`` seconds."""
        self._watcher = threading.Thread(target=self._watch, name="credpath-watch", daemon=True)
        self._watcher.start()
        self.watching.wait(WATCH_START)

    def _watch(self) -> None:
        from pathlib import PurePath

        from watchfiles import Change, DefaultFilter, watch

        class ProjectFilter(DefaultFilter):
            """What the default ignores (version control, caches, editors' swap files),
            and what is no curriculum file: a .gitignore still counts."""

            def __call__(self, change: Change, path: str) -> bool:
                name = PurePath(path).name
                wanted = name == ".gitignore" or PurePath(name).suffix.lower() in WATCHED_SUFFIXES
                return wanted and super().__call__(change, path)

        try:
            for changes in watch(
                self.root,
                watch_filter=ProjectFilter(),
                stop_event=self._stop,
                raise_interrupt=False,
                rust_timeout=WATCH_TICK_MS,
                yield_on_timeout=True,
            ):
                self.watching.set()  # the first batch, empty, comes once the folder is watched
                if changes and self.concerns([Path(path) for _, path in changes]):
                    self.refresh()
        except Exception as exc:  # the folder went away, the watcher failed: the pages stay
            self.say(f"credpath: stopped watching {self.root}: {type(exc).__name__}: {exc}")

    def concerns(self, changed: list[Path]) -> bool:
        """Whether checking again after changes to these paths can show anything new: the
        engine's answer (``Workspace.concerns``) for them, and for the YAML files in a
        folder among them (moved in); yes for a folder that held files of the project
        (renamed, removed). When in doubt, yes."""
        files = [path.absolute() for path in self.workspace.known]
        paths = [path.absolute() for path in changed]
        try:
            for path in list(paths):
                if path.suffix.lower() in YAML_SUFFIXES or path.name == ".gitignore":
                    continue  # a file: the engine answers for it
                if any(path in file.parents for file in files):
                    return True
                if path.is_dir():
                    found = (p for p in path.rglob("*") if p.suffix.lower() in YAML_SUFFIXES)
                    paths += itertools.islice(found, MOVED_IN)
            return self.workspace.concerns(paths)
        except Exception:  # unreadable, or a bad credpath.yaml: the check says what
            return True

    def stop(self) -> None:
        """Stop watching; wake every reader, so that the streams end."""
        self._stop.set()
        with self.changed:
            self.closing = True
            self.changed.notify_all()
        if self._watcher is not None:
            self._watcher.join(timeout=5)


def _shows(snapshot: Snapshot, result: Result | None) -> bool:
    """Whether ``snapshot`` shows the catalog the engine's ``result`` checked (not an older
    one, kept when the newer could not be shown)."""
    if snapshot.pages is None or result is None or "catalog" not in vars(result):
        return False
    return snapshot.pages.catalog is result.catalog


def _drawn_ahead(snapshot: Snapshot, page: str) -> None:
    """Draw a page before it is asked for; a page that fails is reported when it is."""
    with contextlib.suppress(Exception):  # the request for it answers 500 and says why
        snapshot.digest(page)
