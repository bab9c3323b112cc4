"""The projects whose outputs must not change by accident: the shipped curricula and the
test fixtures' projects. ``bench/same_outputs.py --save`` writes what an earlier revision
printed for them into ``fixtures/outputs``; test_outputs_unchanged.py compares."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).parents[1]
SNAPSHOTS = ROOT / "tests" / "fixtures" / "outputs"
FIXTURE_PROJECTS = ("lint/golden/project", "render/*", "rules/*/*")


def fixture_projects() -> list[Path]:
    """The shipped curricula and the test fixtures' projects, by path."""
    fixtures = ROOT / "tests" / "fixtures"
    projects = [p.parent for p in sorted((ROOT / "curricula").glob("*/credpath.yaml"))]
    for pattern in FIXTURE_PROJECTS:
        projects += sorted(p for p in fixtures.glob(pattern) if p.is_dir())
    return projects
