"""``index.html`` for ``credpath render --all``: every diagram of a project on one page.

A static page with no script and nothing fetched from elsewhere, so that it can be
published as it is next to the diagrams; every piece of text is HTML-escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

IMAGE_FORMATS = frozenset({"svg", "png"})

_STYLE = """\
body { font-family: Helvetica, Arial, sans-serif; color: #1A202C; margin: 2rem auto;
       max-width: 80rem; padding: 0 1.5rem; line-height: 1.45; }
h1 { margin-bottom: .25rem; }
h2 { border-bottom: 1px solid #D5DCE6; padding-bottom: .25rem; margin-top: 2.5rem; }
figure { margin: 1.25rem 0 2rem; }
figure img { max-width: 100%; height: auto; border: 1px solid #E2E8F0; border-radius: 6px; }
figcaption { color: #4A5568; margin-bottom: .5rem; }
.note { color: #4A5568; }
nav ul { columns: 2; }
"""


@dataclass(frozen=True)
class Page:
    """One diagram file and what the index says about it."""

    section: str
    file: str
    heading: str
    caption: str
    view: tuple[str, str] = ("map", "")
    """Which diagram: ("map", ""), ("pathway", id) or ("outcome", id)."""


def index_html(title: str, pages: list[Page], fmt: str) -> str:
    """The index page; diagrams shown inline when browsers can (SVG, PNG), else linked."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}: pathway diagrams</title>",
        f"<style>\n{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(title)}</h1>",
        '<p class="note">Pathway diagrams made by credpath from the curriculum files. '
        "Open a diagram on its own for the links and tooltips on each credential.</p>",
        "<nav><ul>",
    ]
    out += [f'<li><a href="#{_anchor(p.file)}">{escape(p.heading)}</a></li>' for p in pages]
    out.append("</ul></nav>")
    section = None
    for page in pages:
        if page.section != section:
            section = page.section
            out.append(f"<h2>{escape(section)}</h2>")
        href = escape(page.file)
        out.append(f'<figure id="{_anchor(page.file)}">')
        out.append(
            f"<figcaption><strong>{escape(page.heading)}</strong>: {escape(page.caption)} "
            f'(<a href="{href}">{escape(page.file)}</a>)</figcaption>'
        )
        if fmt in IMAGE_FORMATS:
            out.append(f'<a href="{href}"><img src="{href}" alt="{escape(page.heading)}"></a>')
        out.append("</figure>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _anchor(file: str) -> str:
    return escape(file.rsplit(".", 1)[0])
