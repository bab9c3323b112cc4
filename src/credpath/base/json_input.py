"""The one reader for every JSON document credpath takes in: bounded, strict, never a crash.

JSON reaches credpath from files someone else may have written (a CTDL graph, learner
records, a ledger or cache planted in the work tree), so each is read with a size cap
and a nesting limit checked *before* parsing (Python's parser recurses, and a few KB of
``[[[[...`` end in ``RecursionError``), a UTF-8 BOM is accepted (the registry's
publishing tool writes one), and NaN, infinities and numbers Python refuses to convert
are errors at the file, not values that reach an output.
"""

from __future__ import annotations

import array
import itertools
import json
import math
import os
import stat
import sys
from pathlib import Path

MAX_DEPTH = 1000
"""How deeply arrays and objects may nest; no real document comes near it."""

MAX_BYTES = 256 * 2**20
"""The largest JSON file read unless the caller says otherwise."""

_BRACKETS_AND_QUOTES = b'[]{}"'
_NOT_STRUCTURE = bytes(c for c in range(256) if c not in _BRACKETS_AND_QUOTES)
_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
"""Openers to +1 and closers to -1, read as signed bytes."""
_BOM = b"\xef\xbb\xbf"


class JsonInputError(ValueError):
    """The document is not JSON credpath reads; the message says why, in one line."""


def _depth(data: bytes) -> int:
    """The deepest nesting of arrays and objects, with strings (and their brackets) set aside.

    Each step is one pass in C (a Python loop over the brackets took 0.4 s for a 3 MiB
    cache file): escaped backslashes and quotes go first, so that every quote left opens
    or closes a string; then all but brackets and quotes; then what lies between quotes.
    """
    unescaped = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    structure = unescaped.translate(None, _NOT_STRUCTURE)
    outside_strings = b"".join(structure.split(b'"')[::2])
    steps = array.array("b", outside_strings.translate(_STEPS))
    return max(itertools.accumulate(steps, initial=0))


def _constant(name: str) -> float:
    raise JsonInputError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonInputError(f"the number {text[:40]} is too large")
    return value


def parse_json(data: bytes, *, max_depth: int = MAX_DEPTH) -> object:
    """The document in ``data``, or ``JsonInputError`` saying in one line what is wrong."""
    data = data.removeprefix(_BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise JsonInputError(f"not UTF-8 text (byte {error.start:,})") from None
    if _depth(data) > max_depth:
        raise JsonInputError(f"nested deeper than {max_depth:,} levels")
    limit = sys.getrecursionlimit()
    # The decoder recurses once per level: make room for the depth allowed, whatever
    # the caller's own depth (the depth was checked above, so this is bounded).
    sys.setrecursionlimit(limit + max_depth + 100)
    try:
        return json.loads(text, parse_constant=_constant, parse_float=_finite)
    except JsonInputError:
        raise
    except json.JSONDecodeError as error:
        raise JsonInputError(
            f"not JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    except RecursionError:  # nesting the check above did not see: not JSON anyway
        raise JsonInputError(f"nested deeper than {max_depth:,} levels") from None
    except ValueError as error:  # an integer of over 4,300 digits
        raise JsonInputError(f"not JSON credpath reads: {str(error).splitlines()[0]}") from None
    finally:
        sys.setrecursionlimit(limit)


def read_json(path: Path, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> object:
    """The JSON document in the regular file ``path``, read with a size cap.

    Raises ``JsonInputError`` for anything else: a folder, FIFO or device (``/dev/zero``
    would never end), a file over ``max_bytes``, an OS error, or bad JSON.
    """
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise JsonInputError("not a regular file")
        if info.st_size > max_bytes:
            raise JsonInputError(f"{info.st_size:,} bytes, over the limit of {max_bytes:,}")
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise JsonInputError(f"cannot read it: {error.strerror or error}") from None
    if len(data) > max_bytes:
        raise JsonInputError(f"over the limit of {max_bytes:,} bytes")
    return parse_json(data, max_depth=max_depth)
