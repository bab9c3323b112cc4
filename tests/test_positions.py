"""Where a finding points: one entry's own parse gives the same places as the whole file's.

A finding needs the line and column of a value; credpath finds them by parsing only the
entry that holds it (``SourceFile.positions_within``), not the file, which may hold
hundreds. These tests hold that shortcut to the whole-file parse, for every path of every
entry: block and flow entries, quoted text with line breaks, CRLF and NEL line ends,
comments, anchors inside an entry; and an entry that uses an anchor from outside falls
back to the whole file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import credpath
from credpath.compiler.loader import SourceFile, parse_source

ROOT = Path(__file__).parents[1]

Project = Callable[..., str]


def assert_entries_agree(source: SourceFile) -> int:
    """Every path inside every entry has the same span both ways; returns how many."""
    whole = source.positions
    checked = 0
    for entry in source.entries:
        alone = source.positions_within(entry)
        assert alone is not None, entry
        assert set(alone.values) == {p for p in whole.values if p[:3] == entry}
        assert set(alone.keys) == {p for p in whole.keys if p[:3] == entry}
        for path, span in alone.values.items():
            assert whole.values[path] == span, path
        for path, span in alone.keys.items():
            assert whole.keys[path] == span, path
        checked += len(alone.values)
    return checked


def test_the_shipped_curricula_and_fixtures_agree_entry_by_entry() -> None:
    checked = 0
    for folder in (ROOT / "curricula", ROOT / "tests" / "data"):
        for path in sorted(folder.rglob("*.yaml")):
            source = parse_source(path, path.name, path.read_bytes())
            checked += assert_entries_agree(source)
    assert checked > 1000


ENTRY = st.sampled_from(
    [
        "  - {{id: {i}, title: T{i}, type: course}}\n",
        "  - id: {i}\n    title: 'T {i}'\n    type: course\n    requires: [a, b@2]\n",
        "  - id: {i}\n    requires:\n      - any: [a, b]\n      - c   # why\n    type: course\n",
        '  - {{id: {i},\n     title: "two\\nlines", requires: [x]}}\n',
        "  - id: {i}\n    description: >\n      folded\n      text\n    grants: [s@1]\n",
        "  - &e{i} {{id: {i}, title: T}}\n",
        '  - {{id: {i}, title: "x\x85y", type: course}}\n',
        "  -\n    id: {i}\n    title: T\n",
    ]
)


@settings(max_examples=200, deadline=None)
@given(
    entries=st.lists(ENTRY, min_size=1, max_size=6),
    crlf=st.booleans(),
    comment=st.booleans(),
)
def test_any_mix_of_entry_styles_agrees_with_the_whole_file(
    entries: list[str], crlf: bool, comment: bool
) -> None:
    text = "# a catalog\n" if comment else ""
    text += "credentials:\n" + "".join(e.format(i=f"c{n}") for n, e in enumerate(entries))
    text += "outcomes:\n  - {id: job, requires: [c0]}\n"
    if crlf:
        text = text.replace("\n", "\r\n")
    source = parse_source(Path("c.yaml"), "c.yaml", text.encode("utf-8"))
    assert not source.problems
    assert len(source.entries) == len(entries) + 1
    assert_entries_agree(source)


def test_an_entry_using_an_anchor_from_outside_reads_the_whole_file(project: Project) -> None:
    text = """\
competencies:
  - {id: sql, title: SQL}
credentials:
  - &base {id: one, title: One, type: course, grants: [sql]}
  - {<<: *base, id: two, requires: [nope]}
outcomes:
  - {id: job, title: Job, requires: [one, two]}
"""
    source = parse_source(Path("c.yaml"), "c.yaml", text.encode("utf-8"))
    assert source.positions_within((0, "credentials", 1)) is None
    assert source.locate((0, "credentials", 1, "requires", 0)) == (5, 37, 5, 41)
    run = credpath("validate", project({"c.yaml": text}))
    assert run.stdout == (
        "project/c.yaml:5:37: error: unknown id 'nope'; this makes 1 outcome unreachable "
        "[unknown-reference]\n"
    )
