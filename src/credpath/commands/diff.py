"""``diff BASE HEAD``: what a change to a project does to learners.

Each side is a folder, or ``git:REV``: the same project folder as it is at that git
revision, read from git's objects into a temporary folder (``credpath.compiler.git_revision``:
the work tree is never touched, and nothing in it runs). The project folder of a
``git:`` side is the other side's folder when that is a folder, else the current folder.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from credpath.base.diagnostics import Diagnostic, Severity
from credpath.base.errors import UsageError
from credpath.checks.context import Options
from credpath.commands import Document

GIT_PREFIX = "git:"


@dataclass(frozen=True, kw_only=True)
class DiffOptions:
    base: str
    head: str
    format: str = "text"
    output: Path | None = None
    force: bool = False
    fail_level: Severity = Severity.ERROR
    no_drafts: bool = False


def diff(options: DiffOptions) -> Document:
    """Compare the two sides; exit 1 when the change adds a failing finding or strands an
    outcome."""
    from credpath.checks.diff import compare, to_json, to_markdown, to_text
    from credpath.checks.engine import check
    from credpath.compiler.config import find_root
    from credpath.compiler.files import display_path

    folder = next(
        (Path(s) for s in (options.head, options.base) if not s.startswith(GIT_PREFIX)),
        Path("."),
    )
    if not folder.exists():
        raise UsageError(f"{folder}: no such file or folder")
    project_root, _ = find_root(folder)
    notes: list[str] = []
    with contextlib.ExitStack() as stack:
        roots = [
            stack.enter_context(_materialise(side, project_root, notes))
            for side in (options.base, options.head)
        ]
        sides = zip((options.base, options.head), roots, strict=True)
        base, head = (
            check(
                root,
                root,
                Options(no_drafts=options.no_drafts),
                use_cache=not side.startswith(GIT_PREFIX),
            )
            for side, root in sides
        )
        comparison = compare(base, head)
    here = display_path(project_root, Path.cwd())
    sides = zip((options.base, options.head), roots, strict=True)
    labels = [_label(side, root, here) for side, root in sides]
    comparison.fixed = [_under(labels[0], d) for d in comparison.fixed]
    comparison.added = [_under(labels[1], d) for d in comparison.added]
    render = {"text": to_text, "markdown": to_markdown, "json": to_json}[options.format]
    code = 1 if comparison.failed(options.fail_level) else 0
    return Document(
        render(comparison), options.output, options.force, code=code, notes=tuple(notes)
    )


def _label(side: str, root: Path, here: str) -> str:
    """Where a side's findings are: its project root as the user sees it, or
    ``REV:folder`` (what ``git show`` takes)."""
    from credpath.compiler.files import display_path

    if side.startswith(GIT_PREFIX):
        return f"{side[len(GIT_PREFIX) :]}:{'' if here == '.' else here}"
    return display_path(root, Path.cwd())


def _under(label: str, d: Diagnostic) -> Diagnostic:
    """A finding located as the user sees its side (paths were relative to the root)."""
    if label == ".":
        return d
    joiner = "" if label.endswith((":", "/")) else "/"
    return replace(d, path=f"{label}{joiner}{d.path}")


@contextlib.contextmanager
def _materialise(side: str, project_root: Path, notes: list[str]) -> Iterator[Path]:
    """The project root of ``side``: a folder's own, or a temporary copy at a revision
    (adding to ``notes`` what that copy leaves out)."""
    from credpath.compiler.config import find_root
    from credpath.compiler.git_revision import snapshot

    if not side.startswith(GIT_PREFIX):
        path = Path(side)
        if not path.exists():
            raise UsageError(f"{side}: no such file or folder")
        yield find_root(path)[0]
        return
    revision = side[len(GIT_PREFIX) :]
    if not revision:
        raise UsageError(f"{side}: give a revision after 'git:', e.g. git:origin/main")
    with snapshot(project_root, revision, side) as copy:
        note = copy.note(side)
        if note:
            notes.append(note)
        yield copy.root
