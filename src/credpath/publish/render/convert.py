"""DOT text -> SVG, PNG or PDF bytes, through the ``graphviz`` package and the ``dot`` program.

The same DOT gives the same SVG and PNG bytes; a PDF carries its creation time,
which is pinned here so that a re-run writes an identical file.
"""

from __future__ import annotations

import re
import shutil

from credpath.base.errors import UsageError

INSTALL_HINT = (
    "the Graphviz 'dot' program is needed for {fmt} output and was not found: install "
    "Graphviz (apt-get install graphviz, brew install graphviz, choco install graphviz, or "
    "https://graphviz.org/download/), or use --format dot or --format mermaid"
)
PNG_DPI = 144
"""Twice the screen default, so that a PNG in a document or on a slide stays sharp."""

_PDF_DATE = re.compile(rb"(/CreationDate \(D:)(\d{14})")


class GraphvizMissing(UsageError):
    """The ``dot`` program is not installed."""


class LayoutFailed(Exception):
    """``dot`` ran but failed (its message is the exception's)."""


def has_dot() -> bool:
    return shutil.which("dot") is not None


def layout(dot_text: str, fmt: str) -> bytes:
    """Run ``dot -T<fmt>`` on ``dot_text``."""
    import graphviz

    if not has_dot():
        raise GraphvizMissing(INSTALL_HINT.format(fmt=fmt))
    try:
        data: bytes = graphviz.pipe("dot", fmt, dot_text.encode("utf-8"), quiet=True)
    except graphviz.ExecutableNotFound as exc:
        raise GraphvizMissing(INSTALL_HINT.format(fmt=fmt)) from exc
    except graphviz.CalledProcessError as exc:
        stderr = exc.stderr.decode("utf-8", "replace") if isinstance(exc.stderr, bytes) else ""
        raise LayoutFailed(stderr.strip() or str(exc)) from exc
    if fmt == "pdf":
        # Same length, so the PDF's cross-reference offsets stay right.
        data = _PDF_DATE.sub(rb"\g<1>20000101000000", data, count=1)
    return data
