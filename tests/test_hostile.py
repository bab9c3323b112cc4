"""Hostile and broken input: every file is reported, nothing hangs, nothing crashes.

FORMAT.md sections 2 and 7: only safe, bounded, UTF-8 YAML is read; anything else is a
``yaml-syntax`` finding at the line and column where the author can fix it, and the
other files of the project are still checked. No input produces a traceback.
The files are generated here, in tmp_path, rather than kept as blobs.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Files, Run, credpath, write_files
from credpath.checks.context import Options
from credpath.checks.engine import check

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


def test_a_requirement_nested_500_deep_is_one_schema_error(project: Project) -> None:
    deep = CLEAN.replace("requires: [sql@1]", "requires: " + "[" * 500 + "sql@1" + "]" * 500)
    run = validate(project, {"sql.yaml": deep})
    assert run.lines == [
        "project/sql.yaml:5:9: warning: 'sql-foundations' leads to no outcome: it grants sql@1, "
        "but no outcome or credential on the way to one requires it; a learner who finishes "
        "this sees no next door [dead-end]",
        "project/sql.yaml:12:76: error: requirements nest deeper than 64 levels: simplify this "
        "one [schema]",
    ]
    assert run.exit_code == 1


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


def test_a_long_unearnable_chain_is_one_gap_naming_what_it_blocks(project: Project) -> None:
    text = prerequisite_chain(600, newest_first=False, root_requires="sql@3")
    run = validate(project, {"chain.yaml": text})
    assert run.exit_code == 1
    assert run.lines[0] == (
        "project/chain.yaml:5:50: error: 'sql@3' is not granted by any credential (highest "
        "granted: sql@2 by 'c599'); this makes 600 credentials and 1 outcome unreachable [gap]"
    )
    assert set(run.rules()[1:]) == {"redundant-requirement"}


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


FINDING = re.compile(r"[^:\n]+:[0-9]+:[0-9]+: (error|warning|info): [^\n]+ \[[a-z-]+\]")
"""One finding: file, line, column, severity, a one-line message, the rule."""


@settings(max_examples=200, deadline=None)
@given(text=yaml_like)
def test_random_yaml_like_text_never_crashes(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_files(root, {"base.yaml": CLEAN, "fuzz.yaml": text.encode("utf-8", "replace")})
        result = check(root, root, Options())
        assert all(d.line >= 1 and d.column >= 1 for d in result.diagnostics)
        run = credpath("validate", folder)
        assert "Traceback" not in run.stdout + run.stderr
        assert all(FINDING.fullmatch(line) for line in run.lines), run.lines
        failed = any(": error: " in line for line in run.lines)
        assert run.exit_code == (1 if failed else 0)


# -- issue 11, items 13-16: each case bounded in time ----------------------------------------


@pytest.mark.timeout(30)
def test_the_cache_hashes_exactly_the_bytes_it_checked(
    project: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A file edited between reading and checking must not poison the cache."""
    monkeypatch.delenv("CREDPATH_NO_CACHE")
    monkeypatch.setenv("CREDPATH_CACHE_DIR", str(tmp_path / "cache"))
    name = project({"sql.yaml": CLEAN})
    target = Path(name) / "sql.yaml"
    broken = CLEAN.replace("requires: [sql@1]", "requires: [sql@1, nope]")
    import credpath.compiler.project as loading

    real = loading.Project.parse

    def edit_then_parse(
        self: loading.Project, known: object = None, then: object = None
    ) -> list[object]:
        target.write_text(broken)  # the user saves while credpath runs
        return real(self, known, then)  # type: ignore[arg-type,return-value]

    monkeypatch.setattr(loading.Project, "parse", edit_then_parse)
    first = credpath("validate", name)
    monkeypatch.setattr(loading.Project, "parse", real)
    assert first.exit_code == 0  # the bytes read were the clean ones
    fresh = credpath("validate", name, "--no-cache")
    assert fresh.rules() == ["unknown-reference"]
    assert credpath("validate", name).lines == fresh.lines  # the edit is a miss
    target.write_text(CLEAN)
    assert credpath("validate", name).lines == first.lines


@pytest.mark.timeout(30)
def test_a_cache_file_credpath_did_not_write_is_ignored(
    project: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CREDPATH_NO_CACHE")
    cache = tmp_path / "cache"
    monkeypatch.setenv("CREDPATH_CACHE_DIR", str(cache))
    name = project({"sql.yaml": CLEAN, "bad.yaml": "outcomes: [\n"})
    first = credpath("validate", name)
    assert first.exit_code == 1
    (findings,) = [e for e in cache.glob("*.json") if not e.name.startswith(("parses-", "graph-"))]
    stored = json.loads(findings.read_text())
    findings.write_text(json.dumps({"digest": stored["digest"], "diagnostics": []}))
    assert credpath("validate", name).lines == first.lines
    stored["diagnostics"][0]["line"] = "1"
    findings.write_text(json.dumps(stored))
    assert credpath("validate", name).lines == first.lines


@pytest.mark.timeout(20)
def test_a_fifo_named_yaml_is_reported_not_waited_on(project: Project) -> None:
    name = project({"sql.yaml": CLEAN})
    os.mkfifo(Path(name) / "pipe.yaml")
    run = validate(project, {})
    assert run.lines == [
        "project/pipe.yaml:1:1: error: not a regular file (a FIFO, device or socket): it is "
        "not read [yaml-syntax]"
    ]


@pytest.mark.timeout(20)
def test_a_link_to_dev_zero_is_never_read(project: Project) -> None:
    name = project({"sql.yaml": CLEAN})
    (Path(name) / "zero.yaml").symlink_to("/dev/zero")
    run = validate(project, {})
    assert run.lines == [
        "project/zero.yaml:1:1: error: not a regular file (a FIFO, device or socket): it is "
        "not read [yaml-syntax]"
    ]


@pytest.mark.timeout(20)
def test_a_file_growing_past_the_limit_is_read_no_further(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from credpath.compiler import files

    name = project({"credpath.yaml": "max_file_mib: 0.001\n", "sql.yaml": CLEAN})
    sizes: list[int] = []
    real_open = open

    class Reader:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> Reader:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def read(self, size: int) -> bytes:
            sizes.append(size)
            return b"#" * size  # more than stat() said: the file grew

    def opener(path: Path, mode: str) -> Any:
        handle = real_open(path, mode)
        return Reader(handle) if Path(path).name == "sql.yaml" else handle

    monkeypatch.setattr(files, "open", opener, raising=False)
    run = validate(project, {})
    assert sizes == [1049]  # the limit plus one byte, never more
    assert run.rules() == ["yaml-syntax"]
    assert name


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("max_file_mib: inf\n", "'max_file_mib' must be a finite number, got 'inf'"),
        ("max_file_mib: .nan\n", "'max_file_mib' must be a finite number, got '.nan'"),
        ("max_file_mib: 1e400\n", "'max_file_mib': input should be less than or equal to 1024"),
    ],
)
def test_an_infinite_size_limit_is_a_configuration_error(
    project: Project, config: str, message: str
) -> None:
    run = credpath("validate", project({"credpath.yaml": config, "sql.yaml": CLEAN}))
    assert (run.exit_code, run.stderr) == (2, f"credpath: project/credpath.yaml:1:15: {message}\n")


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("1e400", "'hours': input should be less than or equal to 100000"),
        ("inf", "'hours' must be a finite number, got 'inf'"),
        ("-.inf", "'hours' must be a finite number, got '-.inf'"),
    ],
)
def test_an_infinite_workload_is_a_finding_at_the_value(
    project: Project, hours: str, message: str
) -> None:
    text = CLEAN.replace(
        "    grants: [sql@1]\n", f"    workload: {{hours: {hours}}}\n    grants: [sql@1]\n"
    )
    run = validate(project, {"sql.yaml": text})
    assert run.lines == [f"project/sql.yaml:8:23: error: {message} [schema]"]


@pytest.mark.timeout(20)
def test_json_output_stays_strict_with_huge_workloads(project: Project) -> None:
    text = CLEAN.replace(
        "    grants: [sql@1]\n", "    workload: {hours: 100000}\n    grants: [sql@1]\n"
    ) + "".join(
        f"  - {{id: c{i}, title: C{i}, type: course, workload: {{hours: 100000}}, "
        "grants: [sql@1]}\n"
        for i in range(3)
    ).replace("  - {id: c", "credentials:\n  - {id: c", 1)
    name = project({"sql.yaml": text})
    for command in (["compile", name], ["plan", "junior-analyst", name, "-f", "json"]):
        run = credpath(*command)
        json.loads(run.stdout, parse_constant=lambda c: pytest.fail(f"not JSON: {c}"))


def _any_pairs() -> str:
    """20 courses, an outcome needing one of each neighbouring pair: 2.4 KB, many optima."""
    comps = "".join(f"  - {{id: k{i}, title: K{i}}}\n" for i in range(21))
    creds = "".join(
        f"  - {{id: c{i}, title: C{i}, type: course, workload: {{hours: 10}}, grants: [k{i}]}}\n"
        for i in range(20)
    )
    need = ", ".join(f"{{any: [k{i}, k{(i + 1) % 20}]}}" for i in range(20))
    return (
        f"competencies:\n{comps}credentials:\n{creds}"
        f"outcomes:\n  - {{id: job, title: Job, requires: [{need}]}}\n"
    )


@pytest.mark.timeout(20)
def test_many_equally_good_options_do_not_explode(project: Project) -> None:
    name = project({"pairs.yaml": _any_pairs()})
    run = credpath("plan", "job", name, "-f", "json")
    plan = json.loads(run.stdout)
    assert (plan["total_hours"], plan["credentials"], plan["optimal"]) == (100.0, 10, False)
    assert credpath("compile", name).exit_code == 0
    assert credpath("metrics", name).exit_code == 0


@pytest.mark.timeout(20)
def test_a_credential_requiring_a_thousand_others_plans_in_one_pass(project: Project) -> None:
    creds = "".join(
        f"  - {{id: c{i}, title: C{i}, type: course, grants: [k]}}\n" for i in range(1000)
    )
    needs = ", ".join(f"c{i}" for i in range(1000))
    text = (
        "competencies:\n  - {id: k, title: K}\n  - {id: top, title: Top}\ncredentials:\n"
        f"{creds}  - {{id: big, title: Big, type: course, requires: [{needs}], grants: [top]}}\n"
        "outcomes:\n  - {id: job, title: Job, requires: [top]}\n"
    )
    run = credpath("plan", "job", project({"wide.yaml": text}), "-f", "json")
    plan = json.loads(run.stdout)
    assert [len(stage["credentials"]) for stage in plan["stages"]] == [1000, 1]


@pytest.mark.timeout(60)
def test_a_10000_long_chain_compiles(project: Project) -> None:
    n = 10_000
    comps = "".join(f"  - {{id: k{i}, title: K{i}}}\n" for i in range(n))
    creds = "".join(
        f"  - {{id: c{i}, title: C{i}, type: course, workload: {{hours: 1}}, "
        f"{f'requires: [k{i - 1}], ' if i else ''}grants: [k{i}]}}\n"
        for i in range(n)
    )
    text = (
        f"competencies:\n{comps}credentials:\n{creds}"
        f"outcomes:\n  - {{id: job, title: Job, requires: [k{n - 1}]}}\n"
    )
    name = project({"chain.yaml": text})
    run = credpath("compile", name)
    assert run.exit_code == 0
    pathway = json.loads(run.stdout)["outcomes"]["job"]["pathway"]
    assert (len(pathway["stages"]), pathway["hours"]) == (n, n)


@pytest.mark.timeout(20)
def test_a_small_file_of_nested_aliases_is_stopped_at_the_budget(project: Project) -> None:
    text = "outcomes:\n  - id: o\n    title: O\n    requires:\n"
    text += "      - &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    for level in range(1, 6):
        text += f"      - &a{level} [{', '.join([f'*a{level - 1}'] * 10)}]\n"
    run = validate(project, {"a.yaml": text})
    assert run.lines == [
        "project/a.yaml:9:49: error: aliases expand to more than 100,000 values "
        "(a 'billion laughs' file?) [yaml-syntax]"
    ]
