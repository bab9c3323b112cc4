"""What a catalog keeps in compact form still answers exactly as before (issue 28's memory goal).

A file's text is kept compressed, each entry's span packed in arrays (``EntrySpans``),
requirement paths in shared parts, workloads and field dicts shared: findings must still
point at the same line and column and quote the same text, in files of any size,
encoding and line ending.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

from conftest import credpath
from credpath.compiler.loader import PACKED_TEXT_BYTES, EntrySpans, parse_source
from credpath.compiler.model import Credential
from credpath.compiler.requirements import Choose, Ref, parse_requirement

Project = Callable[..., str]


def _big_catalog(line_break: str) -> bytes:
    """Credentials with non-ASCII descriptions, well past the size kept compressed, and a
    typo in the last one's requirements."""
    entries = [
        f"  - id: c{n}\n    title: Kurs {n}\n    type: course\n"
        f"    description: Ünïcödé — description {n} {'é' * 40}\n"
        f"    requires: [{f'c{n - 1}' if n else ''}]\n"
        for n in range(60)
    ]
    entries.append("  - id: last\n    title: Last\n    type: course\n    requires: [c0, sequal]\n")
    text = "credentials:\n" + "".join(entries)
    return ("\ufeff" + text).replace("\n", line_break).encode("utf-8")


def test_findings_in_a_long_file_point_where_they_did(project: Project) -> None:
    for line_break in ("\n", "\r\n"):
        data = _big_catalog(line_break)
        assert len(data) > PACKED_TEXT_BYTES
        name = project({"catalog.yaml": data}, name=f"p{len(line_break)}")
        run = credpath("validate", name)
        unknown = [x for x in run.lines if x.endswith("[unknown-reference]")]
        assert unknown == [
            f"{name}/catalog.yaml:305:20: error: unknown id 'sequal' [unknown-reference]"
        ]


def test_a_long_files_text_reads_back_exactly() -> None:
    data = _big_catalog("\r\n")
    source = parse_source(Path("c.yaml"), "c.yaml", data)
    assert source.text == data.decode("utf-8").removeprefix("\ufeff")
    assert source.lines[4] == "    description: Ünïcödé — description 0 " + "é" * 40
    assert source.locate((0, "credentials", 60, "requires", 1)) == (305, 20, 305, 26)
    assert source.locate((0, "credentials", 59, "description")) == (300, 18, 300, 83)


def test_entry_spans_answer_as_a_dict_does() -> None:
    spans = {
        (0, "credentials", 0): (1, 4, 3, 0),
        (0, "credentials", 2): (5, 4, 7, 0),
        (1, "outcomes", 0): (9, 4, 10, 0),
    }
    packed = EntrySpans(spans.items())
    assert dict(packed) == spans
    assert list(packed) == list(spans)
    assert packed.keys() == spans.keys()
    assert (0, "credentials", 1) not in packed
    assert packed.get((0, "credentials", 1)) is None
    assert packed.get((0,)) is None
    assert pickle.loads(pickle.dumps(packed)).items() == packed.items()


def test_entry_spans_ignore_what_no_file_can_hold() -> None:
    """A parse cache is data anyone could have planted: an index that is not a number or a
    span past any machine integer is no entry (the file's own parse then locates it)."""
    packed = EntrySpans(
        [
            ((0, "credentials", "x"), (1, 1, 1, 1)),
            ((0, "credentials", 3), (2**70, 0, 0, 0)),
            ((0, "credentials", 1), (4, 4, 5, 0)),
            ((0, "credentials", 0), (1, 4, 3, 0)),
        ]
    )
    assert dict(packed) == {
        (0, "credentials", 0): (1, 4, 3, 0),
        (0, "credentials", 1): (4, 4, 5, 0),
    }


def test_references_keep_their_whole_path() -> None:
    path = (0, "credentials", 7, "requires")
    parsed = parse_requirement({"choose": "1", "from": ["a", "b@2"]}, path, lambda *_: None)
    assert isinstance(parsed, Choose)
    assert parsed.path == path
    first, second = parsed.items
    assert isinstance(first, Ref)
    assert isinstance(second, Ref)
    assert first.path == (*path, "from", 0)
    assert second.path == (*path, "from", 1)
    assert second == Ref("b", 2, "b@2", (*path, "from", 1))
    assert pickle.loads(pickle.dumps(second)) == second
    assert second != Ref("b", 2, "b@2", (*path, "from", 2))


def test_shared_workloads_and_fields_read_as_their_own() -> None:
    raw = {"id": "a", "title": "A", "type": "course", "workload": {"hours": "50"}}
    first = Credential.model_validate(raw)
    second = Credential.model_validate({**raw, "id": "b", "workload": {"hours": "50.0"}})
    assert first.workload == second.workload
    assert second.id == "b"
    assert first.id == "a"
    assert first.model_dump(exclude_unset=True) == {
        "id": "a",
        "title": "A",
        "type": "course",
        "workload": {"hours": 50.0},
    }
    assert first.model_copy(update={"title": "B"}).title == "B"
    assert first.title == "A"
