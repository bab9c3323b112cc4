"""The one JSON reader: every hostile document is a one-line error, never a crash."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from credpath.base.json_input import MAX_DEPTH, JsonInputError, parse_json, read_json


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def test_the_deepest_nesting_allowed_is_read() -> None:
    document = parse_json(nested(MAX_DEPTH))
    for _ in range(MAX_DEPTH - 1):
        assert isinstance(document, list)
        document = document[0]
    assert document == []


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 200_000])
def test_deeper_nesting_is_refused_before_parsing(depth: int) -> None:
    with pytest.raises(JsonInputError, match=r"^nested deeper than 1,000 levels$"):
        parse_json(nested(depth))


def test_brackets_inside_strings_are_not_nesting() -> None:
    text = b'{"a": "' + b"[" * 5000 + b'\\"]"}'
    assert parse_json(text) == {"a": "[" * 5000 + '"]'}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"NaN", "NaN is not a JSON number"),
        (b"[-Infinity]", "-Infinity is not a JSON number"),
        (b"1e999", "the number 1e999 is too large"),
        (b"9" * 5000, "not JSON credpath reads: Exceeds the limit (4300 digits)"),
        (b'{"a": "\xff"}', "not UTF-8 text (byte 7)"),
        (b'{"a" 1}', "not JSON: Expecting ':' delimiter at line 1, column 6"),
        (b"", "not JSON: Expecting value at line 1, column 1"),
    ],
)
def test_what_is_not_json_credpath_reads_says_why(data: bytes, message: str) -> None:
    with pytest.raises(JsonInputError) as raised:
        parse_json(data)
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


def test_a_byte_order_mark_is_read() -> None:
    assert parse_json(b'\xef\xbb\xbf{"a": 1}') == {"a": 1}


def test_only_a_regular_file_under_the_cap_is_read(tmp_path: Path) -> None:
    small = tmp_path / "small.json"
    small.write_text('{"a": [1, 2]}')
    assert read_json(small) == {"a": [1, 2]}
    small.write_text(" " * 17 + '{"a": [1, 2]}')
    with pytest.raises(JsonInputError, match=r"^30 bytes, over the limit of 10$"):
        read_json(small, max_bytes=10)
    with pytest.raises(JsonInputError, match=r"^not a regular file$"):
        read_json(tmp_path)
    if os.path.exists("/dev/zero"):
        with pytest.raises(JsonInputError, match=r"^not a regular file$"):
            read_json(Path("/dev/zero"))
    with pytest.raises(JsonInputError, match=r"^cannot read it: No such file or directory$"):
        read_json(tmp_path / "missing.json")
