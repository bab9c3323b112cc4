"""Entries validated as soon as their file is parsed (``resolve.prevalidate``, while the
worker processes parse the other files) give the findings of entries validated when the
catalog is built: the same lines, at the same places, whatever the file holds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import credpath
from credpath.checks import engine
from credpath.compiler.loader import parse_source
from credpath.compiler.resolve import prevalidate

Project = Callable[..., str]

GOOD = """\
competencies:
  - {id: sql, title: SQL, levels: [Basic, Advanced]}
credentials:
  - {id: sql-101, title: SQL 101, type: course, grants: [sql@1]}
  - {id: sql-201, title: SQL 201, type: course, requires: [sql-101], grants: [sql@2]}
outcomes:
  - {id: analyst, title: Analyst, requires: [sql@2]}
"""

BROKEN = """\
credentials:
  - {id: viz-101, title: Charts, type: course, requires: [sql-101]}
  - {id: viz-201, type: course, workload: {hours: -5}, requires: [viz-101, nope]}
  - just text
outcomes:
  - {id: designer, title: Designer, requires: [viz-201]}
"""


def test_a_file_of_valid_entries_is_validated_whole_and_a_failing_kind_is_left_whole() -> None:
    good = parse_source(Path("good.yaml"), "good.yaml", GOOD.encode())
    prevalidate(good)
    assert sorted(good.validated) == [
        (0, "competencies", 0),
        (0, "credentials", 0),
        (0, "credentials", 1),
        (0, "outcomes", 0),
    ]
    assert good.validated[(0, "credentials", 1)].id == "sql-201"

    broken = parse_source(Path("broken.yaml"), "broken.yaml", BROKEN.encode())
    prevalidate(broken)
    assert sorted(broken.validated) == [(0, "outcomes", 0)]  # the credentials: one by one


def test_findings_are_the_same_with_entries_validated_while_parsing_or_after(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = project({"good.yaml": GOOD, "broken.yaml": BROKEN})
    early = credpath("validate", name, "--no-cache")
    assert early.lines == [
        "project/broken.yaml:3:10: error: missing required field 'title' [schema]",
        "project/broken.yaml:3:51: error: 'hours': input should be greater than 0 [schema]",
        "project/broken.yaml:3:76: error: unknown id 'nope'; this makes 1 outcome unreachable "
        "[unknown-reference]",
        "project/broken.yaml:4:5: error: each credential is a mapping with at least 'id' and "
        "'title' [schema]",
    ]
    monkeypatch.setattr(engine, "prevalidate", lambda source: None)
    late = credpath("validate", name, "--no-cache")
    assert (late.exit_code, late.stdout) == (early.exit_code, early.stdout)
