"""Every warning has a fix that makes the project clean, and no fix raises another.

On random projects without errors (errors come first: their root causes shift as the
project changes), apply the fix each finding suggests, for the rules whose fix is
mechanical (``redundant-requirement``: drop the requirement; ``level-jump``: require the
level below, when the message says so), lint again, and repeat. No fix may bring a
warning or error at a place that had none (findings are compared by rule and entry), and
the rounds end with no redundant requirement and no level-jump that names a fix (what
remains is a missing rung: no credential a learner can earn first grants the level).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, assume, given, settings

from conftest import credpath
from test_pathways import projects

REDUNDANT = re.compile(
    r"'(?P<text>[^']+)' is (already implied by '[^']+' in the same list|listed twice)"
)
LEVEL_JUMP = re.compile(r"; require '(?P<text>[^']+)'$")


def _write(folder: Path, data: dict[str, Any]) -> dict[int, tuple[str, int]]:
    """One entry a line, so a finding's line names its entry: line -> (kind, index)."""
    lines: list[str] = []
    where: dict[int, tuple[str, int]] = {}
    for kind in ("competencies", "credentials", "outcomes"):
        lines.append(f"{kind}:")
        for index, entry in enumerate(data[kind]):
            flow = yaml.safe_dump(entry, default_flow_style=True, width=10_000).strip()
            lines.append(f"  - {flow}")
            where[len(lines)] = (kind, index)
    (folder / "c.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return where


def _findings(folder: Path) -> list[tuple[int, str, str, str]]:
    """(line, severity, rule, message) of every finding lint reports."""
    found = []
    for line in credpath("lint", str(folder)).lines:
        match = re.fullmatch(r"[^:]+:(\d+):\d+: (\w+): (.*) \[([a-z-]+)\]", line)
        assert match, line
        found.append((int(match[1]), match[2], match[4], match[3]))
    return found


def _fix(
    data: dict[str, Any], where: dict[int, tuple[str, int]], line: int, rule: str, message: str
) -> bool:
    kind, index = where[line]
    entry = data[kind][index]
    requires = entry.get("requires")
    if rule == "redundant-requirement":
        match = REDUNDANT.search(message)
        if match is None or not isinstance(requires, list):
            return False
        position = len(requires) - 1 - requires[::-1].index(match["text"])
        del requires[position]
        return True
    match = LEVEL_JUMP.search(message)
    if match is None:
        return False
    if isinstance(requires, list):
        requires.append(match["text"])
    else:
        entry["requires"] = [requires, match["text"]] if requires else [match["text"]]
    return True


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(projects())
def test_suggested_fixes_raise_nothing_new_and_end_clean(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        _write(folder, data)
        assume(not any(severity == "error" for _, severity, _, _ in _findings(folder)))
        for _ in range(12):
            where = _write(folder, data)
            found = _findings(folder)
            fixable = [f for f in found if f[2] in {"redundant-requirement", "level-jump"}]
            applied = next((f for f in fixable if _fix(data, where, f[0], f[2], f[3])), None)
            if applied is None:
                break
            before = {(rule, line) for line, severity, rule, _ in found if severity != "info"}
            _write(folder, data)
            after = {
                (rule, line) for line, severity, rule, _ in _findings(folder) if severity != "info"
            }
            assert after <= before, (applied, after - before)
        else:
            raise AssertionError("the fixes did not converge")
        remaining = _findings(folder)
        assert [f for f in remaining if f[2] == "redundant-requirement"] == []
        for _, _, rule, message in remaining:  # left: a rung that nothing earlier grants
            if rule == "level-jump":
                assert message.endswith("add one for that level, then require it")
