"""The drift report as text, Markdown, JSON and CSV, from a ``Published`` report only.

Every value from data is escaped (``escape``; ``markdown_text`` in Markdown); a CSV cell
that a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``, a tab or a
carriage return first) gets a leading apostrophe. Floats have a fixed number of
decimals and every list is sorted, so the same records give the same bytes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from credpath.analytics.privacy import Cell, Interval, Published, PublishedCredential, Row
from credpath.base.text import escape, json_text, markdown_text

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def hidden_text(min_group: int) -> str:
    """What a suppressed count reads, in every format but JSON (there: ``null``). Every
    suppressed count reads the same, also one hidden only to protect another: telling
    them apart would let a reader work out the small one (docs/drift.md)."""
    return f"fewer than {min_group}"


def count_text(cell: Cell, min_group: int) -> str:
    return hidden_text(min_group) if cell is None else f"{cell:,}"


def percent_text(interval: Interval | None) -> str:
    if interval is None:
        return "-"
    rate, low, high = interval
    return f"{rate:.1%} ({low:.1%}-{high:.1%})"


def days_text(median: tuple[int | None, int | None, int | None] | None) -> str:
    if median is None:
        return "-"
    value, low, high = (("not reached" if v is None else str(v)) for v in median)
    return f"{value} ({low}-{high})"


def legend(report: Published) -> str:
    return (
        f"'{hidden_text(report.min_group)}': a count below {report.min_group}, or one hidden "
        "so that such a count cannot be worked out from the others; both read the same, and "
        "no rate is computed from either."
    )


def heading(report: Published) -> str:
    read = report.read
    learners = count_text(report.learners, report.min_group)
    return (
        f"Drift of {learners} learners in {len(read.files)} record file"
        f"{'s' if len(read.files) != 1 else ''}, as of {read.as_of.isoformat()}, "
        f"window {report.window} days"
    )


def structure_lines(report: Published) -> list[str]:
    lines = [
        f"  had a next door:  {_row_text(report.door, report.min_group)}",
        f"  had no next door: {_row_text(report.no_door, report.min_group)}",
    ]
    if report.difference is not None:
        diff, low, high = report.difference
        lines.append(
            f"  difference: {diff * 100:+.1f} points (95% interval {low * 100:+.1f} to "
            f"{high * 100:+.1f})"
        )
    else:
        lines.append("  difference: - (a count is suppressed)")
    return lines


def _row_text(row: Row, min_group: int) -> str:
    def count(cell: Cell) -> str:
        return count_text(cell, min_group)

    return (
        f"{count(row.earnings)} earnings, {count(row.continued)} continued, "
        f"{count(row.drifted)} drifted, {count(row.censored)} censored; "
        f"continuation {percent_text(row.rate)}"
    )


def went_text(credential: PublishedCredential) -> str:
    return ", ".join(
        f"{w.credential} ({w.learners:,}, {'offered' if w.offered else 'not offered'})"
        for w in credential.went[:3]
    )


def read_lines(report: Published) -> list[str]:
    read = report.read
    lines = [
        f"Read {read.rows:,} rows: {read.events:,} events kept, {read.duplicates:,} "
        f"duplicates counted once, {read.after_as_of:,} after the as-of date left out."
    ]
    for skipped in read.skipped:
        where = ", ".join(skipped.positions)
        lines.append(f"Skipped {skipped.count:,} {skipped.reason}: {where}")
    lines.extend(read.hints)
    return lines


def text(report: Published) -> str:
    width = max(10, len(hidden_text(report.min_group)))

    def count(cell: Cell) -> str:
        return f"{count_text(cell, report.min_group):>{width}}"

    header = (
        f"{'credential':<32} {'earners':>{width}} {'continued':>{width}} {'drifted':>{width}} "
        f"{'censored':>{width}}  {'continuation (95% CI)':<24} median days (95% CI)"
    )
    lines = [heading(report), "", header]
    for c in report.credentials:
        row = c.row
        lines.append(
            f"{c.credential:<32} {count(row.earnings)} {count(row.continued)} "
            f"{count(row.drifted)} {count(row.censored)}  "
            f"{percent_text(row.rate):<24} {days_text(c.median)}"
        )
    lines += ["", "Structure test (continuation of earnings by what credpath next offered):"]
    lines += structure_lines(report)
    lines += ["", "Drift points (lowest continuation):"]
    by_id = {c.credential: c for c in report.credentials}
    for rank, credential_id in enumerate(report.drift_points, 1):
        c = by_id[credential_id]
        lines.append(f"  {rank}. {credential_id} {escape(c.title)}: {percent_text(c.row.rate)}")
        lines.extend(f"     - {escape(note)}" for note in c.notes)
        if c.went:
            lines.append(f"     went next: {went_text(c)}")
    if not report.drift_points:
        lines.append("  none with enough earners")
    lines += ["", "Funnels (learners holding a credential of each stage; met the outcome):"]
    for f in report.funnels:
        if not f.reachable:
            lines.append(f"  {f.outcome}: cannot be reached")
            continue
        steps = [f"stage {i} {count(n).strip()}" for i, (_, n) in enumerate(f.stages, 1)]
        lines.append(f"  {f.outcome}: {' -> '.join([*steps, f'met {count(f.met).strip()}'])}")
    lines += ["", legend(report), *read_lines(report)]
    return "\n".join(lines) + "\n"


def markdown(report: Published) -> str:
    def count(cell: Cell) -> str:
        return count_text(cell, report.min_group)

    lines = [f"# {heading(report)}", ""]
    lines.append(
        "| credential | earners | continued | drifted | censored | continuation (95% CI) "
        "| median days (95% CI) | went next |"
    )
    lines.append("| --- | ---: | ---: | ---: | ---: | --- | --- | --- |")
    for c in report.credentials:
        row = c.row
        lines.append(
            f"| {markdown_text(c.title)} (`{c.credential}`) | {count(row.earnings)} | "
            f"{count(row.continued)} | {count(row.drifted)} | {count(row.censored)} | "
            f"{percent_text(row.rate)} | {days_text(c.median)} | {markdown_text(went_text(c))} |"
        )
    lines += ["", "## Structure test", ""]
    lines += [f"-{line[1:]}" for line in structure_lines(report)]
    lines += ["", "## Drift points", ""]
    by_id = {c.credential: c for c in report.credentials}
    for rank, credential_id in enumerate(report.drift_points, 1):
        c = by_id[credential_id]
        lines.append(
            f"{rank}. `{credential_id}` {markdown_text(c.title)}: {percent_text(c.row.rate)}"
        )
        lines.extend(f"   - {markdown_text(note)}" for note in c.notes)
    lines += ["", "## Funnels", ""]
    for f in report.funnels:
        steps = [f"stage {i}: {count(n)}" for i, (_, n) in enumerate(f.stages, 1)]
        shown = " → ".join([*steps, f"met: {count(f.met)}"]) if f.reachable else "unreachable"
        lines.append(f"- `{f.outcome}` {markdown_text(f.title)}: {shown}")
    lines += ["", markdown_text(legend(report)), ""]
    lines += [f"- {markdown_text(line)}" for line in read_lines(report)]
    return "\n".join(lines) + "\n"


def _interval_json(interval: Interval | None) -> dict[str, float] | None:
    if interval is None:
        return None
    value, low, high = interval
    return {"value": round(value, 4), "low": round(low, 4), "high": round(high, 4)}


def _row_json(row: Row) -> dict[str, Any]:
    counts = {
        "earnings": row.earnings,
        "continued": row.continued,
        "drifted": row.drifted,
        "censored": row.censored,
    }
    return {
        **counts,
        "suppressed": [name for name, value in counts.items() if value is None],
        "continuation": _interval_json(row.rate),
    }


def json_document(report: Published) -> dict[str, Any]:
    read = report.read
    return {
        "as_of": read.as_of.isoformat(),
        "window_days": report.window,
        "min_group": report.min_group,
        "learners": report.learners,
        "credentials": [
            {
                "id": c.credential,
                "title": c.title,
                **_row_json(c.row),
                "median_days": (
                    None
                    if c.median is None
                    else dict(zip(("value", "low", "high"), c.median, strict=True))
                ),
                "went_next": [
                    {"id": w.credential, "learners": w.learners, "offered": w.offered}
                    for w in c.went
                ],
                "structure": list(c.notes),
            }
            for c in report.credentials
        ],
        "structure_test": {
            "next_door": _row_json(report.door),
            "no_next_door": _row_json(report.no_door),
            "difference": _interval_json(report.difference),
        },
        "drift_points": list(report.drift_points),
        "funnels": [
            {
                "outcome": f.outcome,
                "reachable": f.reachable,
                "stages": [{"credentials": list(s), "learners": n} for s, n in f.stages],
                "met": f.met,
            }
            for f in report.funnels
        ],
        "records": {
            "rows": read.rows,
            "events": read.events,
            "duplicates": read.duplicates,
            "after_as_of": read.after_as_of,
            "skipped": [
                {"reason": s.reason, "count": s.count, "first": list(s.positions)}
                for s in read.skipped
            ],
        },
    }


def json_report(report: Published) -> str:
    return json_text(json_document(report))


def _cell(value: object, min_group: int) -> str:
    text = (
        hidden_text(min_group) if value is None else value if isinstance(value, str) else str(value)
    )
    return f"'{text}" if text.startswith(FORMULA_START) else text


def csv_report(report: Published) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "credential", "title", "earnings", "continued", "drifted", "censored",
            "continuation", "continuation_low", "continuation_high",
            "median_days", "median_low", "median_high", "went_next", "structure",
        ]
    )  # fmt: skip
    for c in report.credentials:
        row = c.row
        rate = [f"{v:.4f}" for v in row.rate] if row.rate else ["", "", ""]
        median = ["" if v is None else str(v) for v in c.median] if c.median else ["", "", ""]
        cells: list[object] = [c.credential, c.title, row.earnings, row.continued, row.drifted]
        cells += [row.censored, *rate, *median, went_text(c), "; ".join(c.notes)]
        writer.writerow([_cell(v, report.min_group) for v in cells])
    return out.getvalue()


FORMATS: dict[str, Callable[[Published], str]] = {
    "text": text,
    "markdown": markdown,
    "json": json_report,
    "csv": csv_report,
}
SUFFIXES = {".json": "json", ".csv": "csv", ".md": "markdown", ".txt": "text", ".html": "html"}
"""The format -o's suffix names (html: ``credpath.analytics.html``, which also draws the map)."""
