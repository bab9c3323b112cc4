"""Columns as the editor counts them: in the position encoding agreed at start-up.

credpath counts characters (code points, as YAML marks do); an LSP client counts UTF-16
code units unless it offered UTF-8 or UTF-32 and the server took it (pygls chooses, from
the client's ``general.positionEncodings``). Every position that crosses the protocol is
converted here, with the text of the line it is on. pygls's ``PositionCodec`` does the
same one character at a time in Python; on a line of a megabyte that costs a second per
position, so the conversion here encodes the line's prefix in C instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lsprotocol import types as lsp

LINE_BREAK = re.compile(r"\r\n|\r|\n")
"""The line breaks of the protocol (the only ones a client counts lines by)."""

_CODECS: dict[str, tuple[str, int]] = {
    lsp.PositionEncodingKind.Utf8.value: ("utf-8", 1),
    lsp.PositionEncodingKind.Utf16.value: ("utf-16-le", 2),
    lsp.PositionEncodingKind.Utf32.value: ("utf-32-le", 4),
}
"""Python's codec for each encoding, and the bytes of one code unit."""


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` as the client numbers them, without their breaks."""
    return LINE_BREAK.split(text)


@dataclass(frozen=True)
class Columns:
    """Converts a column between characters and the client's code units."""

    encoding: str = lsp.PositionEncodingKind.Utf16.value
    """The name agreed (``utf-8``, ``utf-16`` or ``utf-32``); any other counts as UTF-16,
    the protocol's default."""

    @property
    def _codec(self) -> tuple[str, int]:
        name = self.encoding
        if isinstance(name, lsp.PositionEncodingKind):  # an enum hashes by its member name
            name = name.value
        return _CODECS.get(name, _CODECS[lsp.PositionEncodingKind.Utf16.value])

    def to_client(self, line: str, character: int) -> int:
        prefix = line[:character]
        codec, width = self._codec
        if prefix.isascii() or width == 4:
            return len(prefix)
        return len(prefix.encode(codec, "surrogatepass")) // width

    def from_client(self, line: str, units: int) -> int:
        """The character at ``units`` code units; inside a character, that character."""
        codec, width = self._codec
        if line.isascii() or width == 4:
            return min(units, len(line))
        encoded = line.encode(codec, "surrogatepass")[: units * width]
        return len(encoded.decode(codec, "ignore"))

    def position(self, lines: list[str], line: int, character: int) -> lsp.Position:
        text = lines[line] if 0 <= line < len(lines) else ""
        return lsp.Position(line, self.to_client(text, character))

    def range(
        self, lines: list[str], line: int, start: int, end: int, end_line: int | None = None
    ) -> lsp.Range:
        last = line if end_line is None else end_line
        return lsp.Range(self.position(lines, line, start), self.position(lines, last, end))
