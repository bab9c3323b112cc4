"""Hostile and broken input: every file is reported, nothing hangs, nothing crashes.

FORMAT.md sections 2 and 7: only safe, bounded, UTF-8 YAML is read; anything else is a
``yaml-syntax`` finding at the line and column where the author can fix it, and the
other files of the project are still checked. No input produces a traceback.
The files are generated here, in tmp_path, rather than kept as blobs.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Files, Run, credpath, write_files
from credpath.context import Options
from credpath.engine import check

Project = Callable[..., str]

CLEAN = """\
competencies:
  - id: sql
    title: SQL querying
credentials:
  - id: sql-foundations
    title: SQL Foundations
    type: micro-credential
    grants: [sql@1]
outcomes:
  - id: junior-analyst
    title: Junior Analyst
    requires: [sql@1]
"""


def validate(project: Project, files: Files) -> Run:
    run = credpath("validate", project(files))
    assert "Traceback" not in run.stdout + run.stderr
    assert "internal error" not in run.stderr
    return run


def assert_reported(run: Run, *lines: str) -> None:
    """Exactly these findings, and exit 1."""
    assert run.lines == list(lines)
    assert run.exit_code == 1


# -- unsafe YAML ---------------------------------------------------------------------------


def billion_laughs(levels: int = 9) -> str:
    text = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    for index in range(1, levels):
        name, previous = chr(ord("a") + index), chr(ord("a") + index - 1)
        text += f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    return text


def test_an_alias_bomb_is_a_yaml_syntax_error_not_a_hang(project: Project) -> None:
    started = time.monotonic()
    run = validate(project, {"lol.yaml": billion_laughs()})
    assert time.monotonic() - started < 10
    assert_reported(
        run,
        "project/lol.yaml:6:8: error: aliases expand to more than 100,000 values "
        "(a 'billion laughs' file?) [yaml-syntax]",
    )


def test_a_modest_alias_expansion_is_fine(project: Project) -> None:
    text = CLEAN.replace(
        "    requires: [sql@1]\n",
        "    requires: &needs [sql@1]\n"
        "  - id: senior-analyst\n    title: Senior Analyst\n    requires: *needs\n",
    )
    run = validate(project, {"sql.yaml": text})
    assert (run.lines, run.exit_code) == ([], 0)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: &a [1, *a]\n", "1:11: error: the alias *a refers to itself"),
        ("a: *nowhere\n", "1:4: error: the alias *nowhere has no anchor &nowhere"),
        (
            "a: &a 1\nb:\n  <<: *a\n",
            "3:7: error: a merge key << takes a mapping or a list of mappings",
        ),
        ("? [a, b]\n: c\n", "1:3: error: a mapping key must be plain text"),
    ],
    ids=["self-alias", "missing-anchor", "scalar-merge", "complex-key"],
)
def test_aliases_and_keys_that_cannot_be_plain_data(project: Project, text: str, line: str) -> None:
    run = validate(project, {"odd.yaml": text})
    assert_reported(run, f"project/odd.yaml:{line} [yaml-syntax]")


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system",
        "!!python/object/new:os.system",
        "!!python/name:os.system",
        "!include",
    ],
)
def test_a_custom_tag_is_a_yaml_syntax_error_and_never_runs(
    project: Project, tmp_path: Path, tag: str
) -> None:
    marker = tmp_path / "pwned"
    run = validate(project, {"evil.yaml": f'outcomes: {tag} ["touch {marker}"]\n'})
    assert len(run.lines) == 1
    assert run.lines[0].startswith("project/evil.yaml:1:11: error: the tag ")
    assert run.lines[0].endswith(" is not allowed: curriculum files are plain YAML [yaml-syntax]")
    assert run.exit_code == 1
    assert not marker.exists()


def test_a_tag_on_a_key_is_refused_too(project: Project) -> None:
    run = validate(project, {"evil.yaml": "!!python/str outcomes: []\n"})
    assert_reported(
        run,
        "project/evil.yaml:1:1: error: the tag tag:yaml.org,2002:python/str is not allowed: "
        "curriculum files are plain YAML [yaml-syntax]",
    )


# -- bytes that are not UTF-8 YAML ------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (
            b"outcomes:\n  - id: a\x00b\n",
            "2:10: error: NUL byte: this looks like a binary file, not YAML",
        ),
        (
            b"outcomes:\n  - id: a\x01\x02\n",
            "2:10: error: character U+0001 is not allowed in YAML",
        ),
        (
            # The first byte that is wrong is reported: here 0x89, before any NUL.
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "1:1: error: not UTF-8 text: byte 0x89 cannot be decoded; save the file as UTF-8",
        ),
        (
            b"competencies:\n  - id: cafe\n    title: Caf\xe9\n",
            "3:15: error: not UTF-8 text: byte 0xe9 cannot be decoded; save the file as UTF-8",
        ),
        (
            # The column counts characters: the UTF-8 'é' before it is one column.
            b"competencies:\n  - id: cafe\n    title: Caf\xc3\xa9 au lait, Caf\xe9\n",
            "3:29: error: not UTF-8 text: byte 0xe9 cannot be decoded; save the file as UTF-8",
        ),
        (
            b"\xef\xbb\xbfoutcomes:\n  - id: a\x00\n",
            "2:10: error: NUL byte: this looks like a binary file, not YAML",
        ),
    ],
    ids=["nul", "control-characters", "png", "latin-1", "latin-1-after-utf-8", "bom-then-nul"],
)
def test_bytes_that_are_not_utf8_yaml_are_reported_where_they_are(
    project: Project, data: bytes, line: str
) -> None:
    run = validate(project, {"sql.yaml": CLEAN, "binary.yaml": data})
    assert_reported(run, f"project/binary.yaml:{line} [yaml-syntax]")


def test_a_utf8_bom_is_fine(project: Project) -> None:
    run = validate(project, {"sql.yaml": b"\xef\xbb\xbf" + CLEAN.encode()})
    assert (run.lines, run.exit_code) == ([], 0)


def test_a_bom_does_not_shift_columns_on_the_first_line(project: Project) -> None:
    run = validate(project, {"sql.yaml": CLEAN, "x.yaml": b"\xef\xbb\xbfcredentails: []\n"})
    assert_reported(
        run,
        "project/x.yaml:1:1: error: unknown top-level key 'credentails' (did you mean "
        "'credentials'?): a curriculum file holds outcomes, competencies, credentials and "
        "pathways [schema]",
    )


# -- size and depth -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "outcomes: " + "[" * 20_000 + "]" * 20_000 + "\n",
        "outcomes: " + "{a: " * 20_000 + "b" + "}" * 20_000 + "\n",
        "outcomes:\n" + "- " * 20_000 + "x\n",
        "outcomes:\n" + "".join(" " * depth + "-\n" for depth in range(1_500)),
    ],
    ids=["flow-lists", "flow-mappings", "block-compact", "block-indented"],
)
def test_20000_deep_nesting_is_a_yaml_syntax_error_not_a_crash(project: Project, text: str) -> None:
    run = validate(project, {"sql.yaml": CLEAN, "deep.yaml": text})
    assert len(run.lines) == 1
    assert run.lines[0].startswith("project/deep.yaml:")
    assert "nesting" in run.lines[0]
    assert run.lines[0].endswith(" [yaml-syntax]")
    assert run.exit_code == 1


def test_a_file_over_max_file_mib_is_a_yaml_syntax_error(project: Project) -> None:
    big = CLEAN + "# padding\n" * 200
    run = validate(
        project, {"credpath.yaml": "max_file_mib: 0.001\n", "small.yaml": "", "big.yaml": big}
    )
    assert len(run.lines) == 1
    assert run.lines[0].startswith("project/big.yaml:1:1: error: file is ")
    size = len(big.encode())
    assert run.lines[0] == (
        f"project/big.yaml:1:1: error: file is {size:,} bytes, over the limit of 1,048 bytes "
        "(0.000999 MiB; raise max_file_mib in credpath.yaml if it is meant to be this big) "
        "[yaml-syntax]"
    )
    assert run.lines[0].endswith("[yaml-syntax]")
    assert run.exit_code == 1


def test_the_size_limit_defaults_to_10_mib(project: Project) -> None:
    big = CLEAN + ("#" + "x" * 1023 + "\n") * (10 * 1024 + 1)
    run = validate(project, {"big.yaml": big})
    assert run.exit_code == 1
    assert run.lines == [
        f"project/big.yaml:1:1: error: file is {len(big.encode()):,} bytes, over the limit of "
        "10,485,760 bytes (10 MiB; raise max_file_mib in credpath.yaml if it is meant to be "
        "this big) [yaml-syntax]"
    ]


# -- the wrong shape ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["- outcomes\n- credentials\n", "just some text\n", "42\n", "---\n- a\n"],
    ids=["list", "scalar", "number", "list-after-marker"],
)
def test_a_top_level_that_is_not_a_mapping_is_a_schema_error(project: Project, text: str) -> None:
    run = validate(project, {"sql.yaml": CLEAN, "odd.yaml": text})
    line = 2 if text.startswith("---") else 1
    assert_reported(
        run,
        f"project/odd.yaml:{line}:1: error: a curriculum file is a mapping with any of the keys "
        "outcomes, competencies, credentials, pathways [schema]",
    )


@pytest.mark.parametrize(
    "text",
    ["", "\n\n", "# only a comment\n   # and another, indented\n", "---\n...\n", "~\n"],
    ids=["empty", "blank-lines", "comments", "empty-document", "null"],
)
def test_an_empty_file_or_one_of_only_comments_is_fine(project: Project, text: str) -> None:
    run = validate(project, {"sql.yaml": CLEAN, "empty.yaml": text})
    assert (run.lines, run.exit_code) == ([], 0)


def test_several_documents_in_one_file_are_read(project: Project) -> None:
    first, second = CLEAN.split("outcomes:\n")
    run = validate(project, {"sql.yaml": f"{first}---\noutcomes:\n{second}---\n"})
    assert (run.lines, run.exit_code) == ([], 0)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("outcomes: []\noutcomes: []\n", "2:1"),
        ("competencies:\n  - id: sql\n    title: SQL\n    title: Structured\n", "4:5"),
        ("competencies:\n  - {id: sql, title: SQL, id: sequel}\n", "2:27"),
    ],
    ids=["top-level", "block", "flow"],
)
def test_a_duplicate_key_is_reported_at_the_second_key(
    project: Project, text: str, where: str
) -> None:
    run = validate(project, {"sql.yaml": CLEAN, "dup.yaml": text})
    dup = [line for line in run.lines if line.endswith("[duplicate-key]")]
    assert len(dup) == 1
    assert dup[0].startswith(f"project/dup.yaml:{where}: error: duplicate key '")
    assert run.exit_code == 1


def test_a_broken_file_does_not_stop_the_others_being_checked(project: Project) -> None:
    run = validate(
        project,
        {
            "a-broken.yaml": b"outcomes: [\xff\n",
            "b-sql.yaml": CLEAN,
            "c-broken.yaml": "outcomes: [\n",
            "d-orphan.yaml": "competencies:\n  - id: cobol\n    title: COBOL\n",
        },
    )
    assert_reported(
        run,
        "project/a-broken.yaml:1:12: error: not UTF-8 text: byte 0xff cannot be decoded; "
        "save the file as UTF-8 [yaml-syntax]",
        "project/c-broken.yaml:1:11: error: the '[' opened here is not closed: end it with "
        "']', and separate its items with ',' [yaml-syntax]",
        "project/d-orphan.yaml:2:9: warning: competency 'cobol' is neither granted nor "
        "required by anything: grant it in a credential, require it, or remove it "
        "[orphan-competency]",
    )


# -- known crashes (bugs in src/, kept visible) --------------------------------------------------


def test_a_requirement_nested_500_deep_does_not_crash(project: Project) -> None:
    deep = CLEAN.replace("requires: [sql@1]", "requires: " + "[" * 500 + "sql@1" + "]" * 500)
    run = validate(project, {"sql.yaml": deep})
    assert run.exit_code in (0, 1)


def prerequisite_chain(length: int, *, newest_first: bool, root_requires: str) -> str:
    """c0 requires ``root_requires``; every c(i) requires c(i-1); the last grants sql."""
    entries = []
    for index in range(length):
        requires = f"[{root_requires}]" if index == 0 else f"[c{index - 1}, sql-basics]"
        grants = ", grants: [sql@2]" if index == length - 1 else ""
        entries.append(
            f"  - {{id: c{index}, title: C{index}, type: course, requires: {requires}{grants}}}\n"
        )
    if newest_first:
        entries.reverse()
    return (
        "competencies:\n  - {id: sql, title: SQL, levels: [Basic, Fluent, Expert]}\n"
        "credentials:\n"
        "  - {id: sql-basics, title: SQL Basics, type: course, grants: [sql@1]}\n"
        + "".join(entries)
        + "outcomes:\n  - {id: analyst, title: Analyst, requires: [sql@2]}\n"
    )


def test_a_long_unearnable_chain_does_not_crash(project: Project) -> None:
    text = prerequisite_chain(600, newest_first=False, root_requires="sql@3")
    run = validate(project, {"chain.yaml": text})
    assert run.exit_code == 1
    assert "gap" in run.rules()


def test_a_long_valid_chain_listed_newest_first_does_not_crash(project: Project) -> None:
    text = prerequisite_chain(1_200, newest_first=True, root_requires="sql-basics")
    run = validate(project, {"chain.yaml": text})
    assert run.exit_code == 0
    assert set(run.rules()) == {"redundant-requirement"}


def test_a_long_valid_chain_in_order_is_fine(project: Project) -> None:
    text = prerequisite_chain(1_200, newest_first=False, root_requires="sql-basics")
    run = validate(project, {"chain.yaml": text})
    assert run.exit_code == 0
    assert set(run.rules()) == {"redundant-requirement"}


def test_a_reference_with_a_newline_is_reported_on_one_line(project: Project) -> None:
    text = CLEAN.replace("requires: [sql@1]", 'requires: ["sql\\n"]')
    run = validate(project, {"sql.yaml": text})
    assert all(line.startswith("project/sql.yaml:") for line in run.lines)
    assert "schema" in run.rules()


# -- random YAML-like text ------------------------------------------------------------------------

KEYS = [
    "outcomes",
    "competencies",
    "credentials",
    "pathways",
    "id",
    "title",
    "type",
    "requires",
    "grants",
    "levels",
    "status",
    "outcome",
    "stages",
    "all",
    "any",
    "choose",
    "from",
    "url",
    "workload",
    "hours",
    "<<",
]
VALUES = [
    "sql",
    "sql@1",
    "sql@2",
    "sql@0",
    "sql@",
    "sql-foundations",
    "junior-analyst",
    "course",
    "retired",
    "draft",
    "2",
    "-1",
    "yes",
    "~",
    "https://example.edu/x",
    "ftp://x",
    "&a",
    "*a",
    "!!python/name:os.system",
]
PUNCTUATION = [*"-:[]{},&*!|>'\"#@", ": ", "- ", " "]

tokens = st.one_of(
    st.sampled_from(KEYS),
    st.sampled_from(VALUES),
    st.sampled_from(PUNCTUATION),
    st.sampled_from(["\n", "\n  ", "\n    ", "\n      ", "\n\t"]),
    st.text(max_size=4),
)
lines = st.builds(
    lambda indent, dash, key, value: f"{'  ' * indent}{dash}{key}: {value}",
    st.integers(0, 4),
    st.sampled_from(["", "- "]),
    st.sampled_from(KEYS),
    st.one_of(
        st.sampled_from(VALUES),
        st.lists(st.sampled_from(VALUES), max_size=3).map(lambda v: f"[{', '.join(v)}]"),
        st.just(""),
        st.text(max_size=6),
    ),
)
yaml_like = st.one_of(
    st.lists(tokens, max_size=60).map("".join),
    st.lists(lines, max_size=25).map("\n".join),
    st.lists(st.one_of(lines, tokens), max_size=30).map("\n".join),
)


@settings(max_examples=200, deadline=None)
@given(text=yaml_like)
def test_random_yaml_like_text_never_crashes(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_files(root, {"base.yaml": CLEAN, "fuzz.yaml": text.encode("utf-8", "replace")})
        result = check(root, root, Options())
        assert all(d.line >= 1 and d.column >= 1 for d in result.diagnostics)
        run = credpath("validate", folder)
        assert run.exit_code in (0, 1)
        assert "Traceback" not in run.stdout + run.stderr
