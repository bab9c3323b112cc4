"""SARIF 2.1.0, for GitHub code scanning and other static-analysis viewers.

The run carries every rule (id, short description, full description, help as
text and Markdown, default level, and whether it is on by default), and each
result points at its rule by id and index. Paths stay relative to where credpath
ran, which in CI is the repository root that code scanning expects.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from credpath.base.diagnostics import Diagnostic, Location, Severity

if TYPE_CHECKING:
    from credpath.checks.report.base import Report
    from credpath.checks.rules import Rule

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _plain(text: str) -> str:
    return text.replace("``", "`")


def descriptor(rule: Rule) -> dict[str, Any]:
    from credpath.checks.rules._docs import to_markdown, to_text

    about = rule.doc.split("Failing::")[0].strip()
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": _plain(rule.summary)},
        "fullDescription": {"text": _plain(about)},
        "help": {"text": to_text(rule.doc), "markdown": to_markdown(rule.doc)},
        "defaultConfiguration": {"enabled": rule.enabled, "level": LEVELS[rule.severity]},
        "properties": {"tags": ["authoring" if rule.lint_only else "validation"]},
    }


def _region(where: Location) -> dict[str, int]:
    region = {"startLine": where.line, "startColumn": where.column}
    end_line, end_column = where.end_line, where.end_column
    if end_line is None or end_column is None:
        return region
    if (end_line, end_column) >= (where.line, where.column):
        region["endLine"] = end_line
        region["endColumn"] = end_column
    return region


def _location(where: Location) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": quote(where.path, safe="/")},
            "region": _region(where),
        }
    }


def result(d: Diagnostic, index: int) -> dict[str, Any]:
    found: dict[str, Any] = {
        "ruleId": d.rule,
        "ruleIndex": index,
        "level": LEVELS[d.severity],
        "message": {"text": d.message},
        "locations": [_location(d.location)],
    }
    if d.related:
        found["relatedLocations"] = [
            {"id": number, **_location(where)} for number, where in enumerate(d.related)
        ]
    return found


def document(report: Report) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict."""
    from credpath import __version__
    from credpath.checks.rules import RULES

    index = {rule_id: number for number, rule_id in enumerate(RULES)}
    driver = {
        "name": "credpath",
        "version": __version__,
        "rules": [descriptor(rule) for rule in RULES.values()],
    }
    run = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "results": [result(d, index[d.rule]) for d in report.diagnostics],
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: Report) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
