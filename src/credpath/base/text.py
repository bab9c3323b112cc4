"""How an author's text is shown: escaped to one safe line, and "did you mean" suggestions.

Every piece of text from data (YAML, CSV cells, file names) that reaches a terminal, a
CI log or a report line goes through ``escape``: a title holding ``ESC[2J``, a newline
followed by ``::warning::`` or a U+2028 must neither move the cursor nor start a new line
that a CI runner would execute as a command. Markdown output takes ``markdown_text`` and
``markdown_link`` on top.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
import urllib.parse
from collections.abc import Iterable

SUGGEST_CUTOFF = 0.6
"""difflib's similarity ratio from which a name counts as a likely typo of another."""

_ESCAPES = {ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}
for _code in (*range(0x20), 0x7F, *range(0x80, 0xA0)):
    _ESCAPES.setdefault(_code, f"\\x{_code:02x}")
for _code in (0x2028, 0x2029, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)):
    # Line and paragraph separators, and the bidirectional controls that reorder text.
    _ESCAPES[_code] = f"\\u{_code:04x}"
del _code


_WORKFLOW_COMMAND = re.compile(r"^(\s*):(?=:)|#(?=#\[)")
"""What a GitHub runner reads as a command: ``::`` opening a line (after blanks), and
``##[`` anywhere in it (the runner's older syntax)."""


def _defuse(match: re.Match[str]) -> str:
    return f"{match[1]}\\x3a" if match[1] is not None else "\\x23"


def escape(text: str) -> str:
    """``text`` with every control character written as an escape, so it stays one line,
    and no workflow command in it: a leading ``::`` shows as ``\\x3a:``, ``##[`` as
    ``\\x23#[``."""
    return _WORKFLOW_COMMAND.sub(_defuse, text.translate(_ESCAPES))


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")
_URL_KEEPS = "/:?#[]@!$&'*+,;=%~"
"""What a URL may hold as it is in a Markdown link; the rest (space, ``()<>|\\`` and
control characters) is percent-encoded, so nothing ends the link or the table cell."""


def markdown_text(text: str) -> str:
    """Data as text in Markdown: escaped, then every character Markdown gives a meaning
    (emphasis, links, raw HTML, table cells) backslashed, so it shows as written."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", escape(text))


def markdown_link(label: str, url: str) -> str:
    """A Markdown link to ``url`` when it is a web address; anything else (``javascript:``,
    ``data:``) is shown as text beside the label, never linked."""
    if not url.startswith(("http://", "https://")):
        return f"{markdown_text(label)} ({markdown_text(url)})"
    return f"[{markdown_text(label)}]({urllib.parse.quote(url, safe=_URL_KEEPS)})"


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``name`` is most likely a typo of, if any is close enough."""
    match = difflib.get_close_matches(name, list(candidates), n=1, cutoff=SUGGEST_CUTOFF)
    return match[0] if match else None


def suggest(name: str, candidates: Iterable[str]) -> str:
    """A " (did you mean 'x'?)" suffix naming the closest candidate, or nothing.

    The one did-you-mean of credpath: ids, types, fields, options and rule names.
    """
    match = closest(name, candidates)
    return f" (did you mean '{match}'?)" if match else ""


def json_text(document: object) -> str:
    """credpath's one JSON layout for documents it prints or writes: indented, UTF-8
    as it is, no NaN, a final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


ID_MAX = 80
"""The longest id (model.Id)."""


def slug(text: str) -> str:
    """Lower-case ASCII words joined by '-' (``Café Über-Stats`` -> ``cafe-uber-stats``):
    always an id the format accepts, or '' when the text has no letter or digit."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))[:ID_MAX].strip("-")
