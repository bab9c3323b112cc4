"""The project, watched: after each save, the engine checks it again and a new snapshot
of it replaces the last.

One thread (``watch``) waits for changes under the project's folder (``watchfiles``:
the operating system's file events, saves within 50 ms of each other taken as one) and
asks the resident engine for the project as it is now. What the project holds decides
what the site shows: the engine's ``Workspace`` re-reads only the files whose bytes
changed. No input stops it: an error in credpath.yaml, or a bug, becomes a finding in
the overlay, and the pages drawn before it stay.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from typing import TYPE_CHECKING

from credpath.base.errors import UsageError
from credpath.checks.workspace import Workspace
from credpath.compiler.config import find_root
from credpath.preview.site import DATA, Finding, Layouts, Snapshot

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from credpath.checks.context import Options

WATCHED_SUFFIXES = frozenset({".yaml", ".yml", ""})
"""What a change must be to check again: a curriculum file or credpath.yaml, or a folder
(renamed, removed); not the site ``credpath site`` may have written into the project."""


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
        self._watcher: threading.Thread | None = None

    def refresh(self) -> Snapshot:
        """Check the project as it is on disk now and make it the latest snapshot."""
        last = self.snapshot
        generation = last.generation + 1
        try:
            result = self.workspace.update()
            findings = [Finding.of(d) for d in result.diagnostics]
            snapshot = Snapshot(generation, findings, result.context, self.layouts)
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
        """Watch the project's folder on a thread of its own, from now until ``stop``."""
        self._watcher = threading.Thread(target=self._watch, name="credpath-watch", daemon=True)
        self._watcher.start()

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
            for _ in watch(
                self.root,
                watch_filter=ProjectFilter(),
                stop_event=self._stop,
                raise_interrupt=False,
                rust_timeout=500,
            ):
                self.refresh()
        except Exception as exc:  # the folder went away, the watcher failed: the pages stay
            self.say(f"credpath: stopped watching {self.root}: {type(exc).__name__}: {exc}")

    def stop(self) -> None:
        """Stop watching; wake every reader, so that the streams end."""
        self._stop.set()
        with self.changed:
            self.closing = True
            self.changed.notify_all()
        if self._watcher is not None:
            self._watcher.join(timeout=5)


def _drawn_ahead(snapshot: Snapshot, page: str) -> None:
    """Draw a page before it is asked for; a page that fails is reported when it is."""
    with contextlib.suppress(Exception):  # the request for it answers 500 and says why
        snapshot.digest(page)
