"""``diff BASE HEAD``: what a change to a project does to learners.

Each side is a folder, or ``git:REV``: the same project folder as it is at that git
revision, read with ``git archive`` into a temporary folder (the work tree is never
touched). The project folder of a ``git:`` side is the other side's folder when that is
a folder, else the current folder.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from credpath.commands import Document
from credpath.context import Options
from credpath.diagnostics import Diagnostic, Severity
from credpath.errors import UsageError

GIT_PREFIX = "git:"


@dataclass(frozen=True)
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
    from credpath.config import find_root
    from credpath.diff import compare, to_json, to_markdown, to_text
    from credpath.engine import check
    from credpath.files import display_path

    folder = next(
        (Path(s) for s in (options.head, options.base) if not s.startswith(GIT_PREFIX)),
        Path("."),
    )
    if not folder.exists():
        raise UsageError(f"{folder}: no such file or folder")
    project_root, _ = find_root(folder)
    with contextlib.ExitStack() as stack:
        roots = [
            stack.enter_context(_materialise(side, project_root))
            for side in (options.base, options.head)
        ]
        sides = zip((options.base, options.head), roots, strict=True)
        base, head = (
            check(root, root, Options(options.no_drafts), use_cache=not side.startswith(GIT_PREFIX))
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
    return Document(render(comparison), options.output, options.force, code=code)


def _label(side: str, root: Path, here: str) -> str:
    """Where a side's findings are: its project root as the user sees it, or
    ``REV:folder`` (what ``git show`` takes)."""
    from credpath.files import display_path

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
def _materialise(side: str, project_root: Path) -> Iterator[Path]:
    """The project root of ``side``: a folder's own, or a temporary copy at a revision."""
    from credpath.config import find_root

    if not side.startswith(GIT_PREFIX):
        path = Path(side)
        if not path.exists():
            raise UsageError(f"{side}: no such file or folder")
        yield find_root(path)[0]
        return
    revision = side[len(GIT_PREFIX) :]
    if not revision:
        raise UsageError(f"{side}: give a revision after 'git:', e.g. git:origin/main")
    repository = Path(_git(project_root, "rev-parse", "--show-toplevel").decode().strip())
    inside = project_root.resolve().relative_to(repository.resolve()).as_posix()
    archive = _git(repository, "archive", "--format=tar", revision, "--", inside)
    with tempfile.TemporaryDirectory(prefix="credpath-diff-") as folder:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        root = Path(folder) / inside
        if not root.is_dir():
            raise UsageError(f"{side}: '{inside}' does not exist at that revision")
        yield root


def _git(where: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(where), *args], capture_output=True, check=False, timeout=120
        )
    except FileNotFoundError:
        raise UsageError("git is needed for git: sides and was not found") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"git {args[0]}: {said[0] if said else 'failed'}")
    return done.stdout
