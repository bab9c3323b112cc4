"""validate, compile, plan and next print, byte for byte, what they printed before the
speed work (issue 16), on the shipped curricula and every test fixture project.

The expected outputs are those of revision 717b4b9, written by
``python bench/same_outputs.py --rev 717b4b9 --save tests/fixtures/outputs``; no test
rewrites them. An intended change of an answer is a new snapshot, made the same way
from the commit that makes it, and reviewed as a diff.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import credpath
from snapshots import ROOT, SNAPSHOTS, fixture_projects

INDEX: dict[str, Any] = json.loads((SNAPSHOTS / "index.json").read_text(encoding="utf-8"))


def test_every_project_and_command_has_a_snapshot() -> None:
    projects = {
        Path(c["command"][2] if c["command"][0] == "plan" else c["command"][1])
        for c in INDEX["commands"]
    }
    expected = {p.relative_to(ROOT) for p in fixture_projects()}
    assert projects == expected
    for project in expected:
        kinds = {c["command"][0] for c in INDEX["commands"] if str(project) in c["command"]}
        assert {"validate", "compile", "next"} <= kinds, project


@pytest.mark.parametrize(
    "entry", INDEX["commands"], ids=[" ".join(c["command"]) for c in INDEX["commands"]]
)
def test_the_output_is_what_it_was(entry: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    run = credpath(*entry["command"])
    expected_out = (SNAPSHOTS / f"{entry['output']}.out").read_text(encoding="utf-8")
    expected_err = (SNAPSHOTS / f"{entry['output']}.err").read_text(encoding="utf-8")
    assert (run.exit_code, run.stdout, run.stderr) == (entry["exit"], expected_out, expected_err)
