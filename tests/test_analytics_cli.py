"""`credpath metrics` and `credpath import curricular-analytics` through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from credpath.analytics.metrics import compute_metrics
from credpath.cli import app
from credpath.exchange.curricular_analytics import build_graph, read_curricular_analytics

ROOT = Path(__file__).parents[1]
FIXTURES = ROOT / "tests/fixtures/curricular_analytics"
runner = CliRunner()


@pytest.mark.parametrize("name", ["culinary_curriculum.csv", "bakery_plan.csv"])
def test_import_then_metrics_equals_the_csv_graph(tmp_path: Path, name: str) -> None:
    project = tmp_path / "project"
    result = runner.invoke(
        app, ["import", "curricular-analytics", str(FIXTURES / name), "-o", str(project)]
    )
    assert result.exit_code == 0, result.output
    validated = runner.invoke(app, ["validate", str(project)])
    assert validated.exit_code == 0, validated.output
    assert "error:" not in validated.output
    assert "warning:" not in validated.output
    shown = json.loads(runner.invoke(app, ["metrics", str(project), "--format", "json"]).output)
    imported = read_curricular_analytics(FIXTURES / name).curriculum
    assert imported is not None
    expected = compute_metrics(build_graph(imported)).totals
    assert shown["totals"] == {
        "blocking": expected.blocking,
        "delay": expected.delay,
        "centrality": expected.centrality,
        "complexity": expected.complexity,
    }


def test_import_reports_malformed_csv_with_line_numbers(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Curriculum,Broken\nInstitution,Nowhere\nnot a courses header\n")
    result = runner.invoke(
        app, ["import", "curricular-analytics", str(bad), "-o", str(tmp_path / "o")]
    )
    assert result.exit_code == 1
    assert result.output.startswith(f"{bad}:")
    assert "[import]" in result.output
    assert not (tmp_path / "o").exists()


def test_metrics_on_the_examples_has_no_cycle_and_lists_outcomes() -> None:
    for project in sorted((ROOT / "curricula").iterdir()):
        result = runner.invoke(app, ["metrics", str(project)])
        assert result.exit_code == 0, result.output
        for outcome in ("junior-data-analyst",) if project.name == "data-careers" else ():
            assert any(line.startswith(outcome) for line in result.output.splitlines())
        csv_out = runner.invoke(app, ["metrics", str(project), "--format", "csv"]).output
        assert csv_out.splitlines()[0] == "id,blocking,delay,centrality,complexity"


def test_metrics_unknown_outcome_is_a_usage_error() -> None:
    result = runner.invoke(
        app, ["metrics", str(ROOT / "curricula/data-careers"), "--outcome", "nope"]
    )
    assert result.exit_code == 2


CYCLE = """\
competencies:
  - {id: c, title: C}
credentials:
  - {id: b, title: B, type: course, requires: [a], grants: [c]}
  - {id: a, title: A, type: course, requires: [b]}
outcomes:
  - {id: job, title: Job, requires: [c]}
"""


@pytest.mark.parametrize("output", [[], ["-o", "metrics.json"]], ids=["stdout", "file"])
@pytest.mark.parametrize("format_", ["table", "json", "csv"])
def test_a_cycle_prints_no_numbers_and_is_a_finding_on_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, format_: str, output: list[str]
) -> None:
    """A pipe into jq gets nothing rather than a line that is not JSON."""
    monkeypatch.chdir(tmp_path)
    Path("p").mkdir()
    Path("p/c.yaml").write_text(CYCLE)
    result = runner.invoke(app, ["metrics", "p", "-f", format_, *output])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "p/c.yaml:5:10: error: credentials require each other in a cycle: a -> b -> a; "
        "metrics need an acyclic graph [cycle]\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p"]
