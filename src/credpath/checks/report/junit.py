"""JUnit XML: one test suite per file, one test case per finding, for CI test reports.

GitLab, Jenkins and Azure Pipelines show JUnit reports natively. A finding that
reaches the fail level is a failed test case; one below it is a passing test case
whose output names it; a file without findings is one passing test case.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from credpath.base.diagnostics import Diagnostic

if TYPE_CHECKING:
    from credpath.checks.report.base import Report


_NOT_XML = {code: f"\\x{code:02x}" for code in (*range(9), 11, 12, *range(14, 32))}
"""Control characters XML 1.0 cannot hold at all, even escaped; shown as ``\\xNN``."""


def _xml(text: str) -> str:
    return text.translate(_NOT_XML)


def render(report: Report) -> str:
    by_file: dict[str, list[Diagnostic]] = {path: [] for path in report.files}
    for d in report.diagnostics:
        by_file.setdefault(d.path, []).append(d)
    root = ET.Element("testsuites", name="credpath")
    total = failed = 0
    for path, found in by_file.items():
        suite = ET.SubElement(root, "testsuite", name=_xml(path))
        suite_failed = 0
        if not found:
            ET.SubElement(
                suite, "testcase", name="no findings", classname=_xml(path), file=_xml(path)
            )
        for d in found:
            case = ET.SubElement(
                suite,
                "testcase",
                name=f"{d.rule} at {d.line}:{d.column}",
                classname=_xml(path),
                file=_xml(path),
                line=str(d.line),
            )
            if d.severity >= report.fail_level:
                suite_failed += 1
                message = _xml(f"{d.severity.label}: {d.message}")
                failure = ET.SubElement(case, "failure", type=d.rule, message=message)
                failure.text = _xml(d.format())
            else:
                ET.SubElement(case, "system-out").text = _xml(d.format())
        tests = max(len(found), 1)
        suite.set("tests", str(tests))
        suite.set("failures", str(suite_failed))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        total += tests
        failed += suite_failed
    root.set("tests", str(total))
    root.set("failures", str(failed))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
