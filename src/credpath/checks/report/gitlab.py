"""GitLab Code Quality: a JSON list of issues shown in merge requests.

https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format
The fingerprint leaves out the line, so that a finding keeps its identity when
lines above it move.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from credpath.base.diagnostics import Severity

if TYPE_CHECKING:
    from credpath.checks.report.base import Report

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(report: Report) -> str:
    issues: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for d in report.diagnostics:
        key = f"{d.path}\0{d.rule}\0{d.message}"
        seen[key] = seen.get(key, 0) + 1
        fingerprint = hashlib.sha256(f"{key}\0{seen[key]}".encode()).hexdigest()[:32]
        issues.append(
            {
                "type": "issue",
                "check_name": d.rule,
                "description": f"{d.message} [{d.rule}]",
                "categories": ["Bug Risk" if d.severity is Severity.ERROR else "Style"],
                "severity": SEVERITIES[d.severity],
                "fingerprint": fingerprint,
                "location": {
                    "path": d.path,
                    "positions": {
                        "begin": {"line": d.line, "column": d.column},
                        "end": {
                            "line": d.end_line or d.line,
                            "column": d.end_column or d.column,
                        },
                    },
                },
            }
        )
    return json.dumps(issues, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
