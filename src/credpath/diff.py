"""What a change to a project does to learners: findings added and fixed, pathways, entries.

Two checked versions of a project (``engine.Result``) in, one ``Comparison`` out; the
renderers turn it into text, Markdown (a pull-request comment or job summary) or JSON.

Findings are matched by rule, subject and message, with positions taken out of the
message, never by line: moving an entry within a file, or to another file, is not a
change. Entries are matched by id, and compared on what learners feel: requirements,
grants, workload, status.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from credpath.diagnostics import Diagnostic, Severity
from credpath.text import json_text

if TYPE_CHECKING:
    from credpath.engine import Result

_POSITION = re.compile(r"(\S+):\d+:\d+\b")


@dataclass(frozen=True)
class Side:
    """One outcome on one side of the change."""

    reachable: bool
    hours: float | None
    stages: int | None
    credentials: tuple[str, ...]


@dataclass(frozen=True)
class OutcomeChange:
    id: str
    title: str
    before: Side | None
    after: Side | None

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def hours_delta(self) -> float | None:
        """The change in hours for a learner starting from nothing (None: not comparable)."""
        if self.before is None or self.after is None:
            return None
        if self.before.hours is None or self.after.hours is None:
            return None
        return self.after.hours - self.before.hours

    @property
    def lost(self) -> bool:
        """Reachable before, not after: learners on their way there are stranded."""
        return bool(self.before and self.before.reachable) and not (
            self.after and self.after.reachable
        )


@dataclass(frozen=True)
class EntryChange:
    """A credential or competency added, removed, retired or changed, and its reach."""

    kind: str
    id: str
    change: str
    """added, removed, retired, restored, changed."""
    fields: tuple[str, ...] = ()
    """For "changed": which of requires, grants, workload, status, levels changed."""
    leads_before: tuple[str, ...] = ()
    leads_after: tuple[str, ...] = ()


@dataclass
class Comparison:
    added: list[Diagnostic] = field(default_factory=list)
    fixed: list[Diagnostic] = field(default_factory=list)
    outcomes: list[OutcomeChange] = field(default_factory=list)
    entries: list[EntryChange] = field(default_factory=list)

    def failed(self, level: Severity) -> bool:
        """A finding added at the failing level, or an outcome made unreachable."""
        return any(d.severity >= level for d in self.added) or any(o.lost for o in self.outcomes)


def _key(d: Diagnostic) -> tuple[str, str, str]:
    """What a finding is about, without where: rule, subject (or file), message."""
    message = _POSITION.sub(r"\1", d.message)
    return (d.rule, d.subject or d.path, message)


def _difference(ours: list[Diagnostic], theirs: list[Diagnostic]) -> list[Diagnostic]:
    """The findings of ``ours`` that ``theirs`` does not have (as a multiset, by key)."""
    left = Counter(_key(d) for d in theirs)
    out = []
    for d in ours:
        key = _key(d)
        if left[key]:
            left[key] -= 1
        else:
            out.append(d)
    return out


def _side(result: Result, outcome: str) -> Side:
    from credpath.pathways import derive

    derived = derive(result.context.semantics, outcome)
    if derived is None:
        return Side(False, None, None, ())
    return Side(True, derived.hours, len(derived.stages), tuple(sorted(derived.credentials)))


def _credential_facts(result: Result, cid: str) -> dict[str, Any]:
    model = result.catalog.credentials[cid].model
    workload = model.workload.model_dump(exclude_none=True) if model.workload else None
    return {
        "requires": model.requires,
        "grants": model.grants,
        "workload": workload,
        "status": model.status,
    }


def _leads(result: Result, cid: str) -> tuple[str, ...]:
    return tuple(result.context.semantics.outcomes_of.get(cid, []))


def compare(base: Result, head: Result) -> Comparison:
    """Everything the change from ``base`` to ``head`` does."""
    result = Comparison(
        added=_difference(head.diagnostics, base.diagnostics),
        fixed=_difference(base.diagnostics, head.diagnostics),
    )
    before, after = base.catalog, head.catalog
    for outcome in sorted(set(before.outcomes) | set(after.outcomes)):
        title = (after.outcomes.get(outcome) or before.outcomes[outcome]).model.title
        result.outcomes.append(
            OutcomeChange(
                outcome,
                title,
                _side(base, outcome) if outcome in before.outcomes else None,
                _side(head, outcome) if outcome in after.outcomes else None,
            )
        )
    for cid in sorted(set(before.credentials) | set(after.credentials)):
        if cid not in before.credentials:
            result.entries.append(
                EntryChange("credential", cid, "added", leads_after=_leads(head, cid))
            )
            continue
        if cid not in after.credentials:
            result.entries.append(
                EntryChange("credential", cid, "removed", leads_before=_leads(base, cid))
            )
            continue
        old, new = _credential_facts(base, cid), _credential_facts(head, cid)
        if old == new:
            continue
        status = (old["status"], new["status"])
        change = (
            "retired"
            if status[1] == "retired" != status[0]
            else "restored"
            if status[0] == "retired" != status[1]
            else "changed"
        )
        fields = tuple(name for name in old if old[name] != new[name])
        result.entries.append(
            EntryChange("credential", cid, change, fields, _leads(base, cid), _leads(head, cid))
        )
    for kid in sorted(set(before.competencies) | set(after.competencies)):
        if kid not in before.competencies:
            result.entries.append(EntryChange("competency", kid, "added"))
        elif kid not in after.competencies:
            result.entries.append(EntryChange("competency", kid, "removed"))
        elif before.competencies[kid].levels != after.competencies[kid].levels:
            result.entries.append(EntryChange("competency", kid, "changed", ("levels",)))
    return result


# -- rendering ---------------------------------------------------------------------------------


def _hours(value: float | None) -> str:
    return "-" if value is None else f"{value:g} h"


def _signed(value: float) -> str:
    return f"{value:+g} h"


def _side_text(side: Side | None) -> str:
    if side is None:
        return "absent"
    if not side.reachable:
        return "unreachable"
    stages, count = side.stages or 0, len(side.credentials)
    return (
        f"{stages} stage{'' if stages == 1 else 's'}, {_hours(side.hours)}, "
        f"{count} credential{'' if count == 1 else 's'}"
    )


def _entry_text(entry: EntryChange) -> str:
    what = f"{entry.kind} '{entry.id}' {entry.change}"
    if entry.fields:
        what += f" ({', '.join(entry.fields)})"
    gained = [o for o in entry.leads_after if o not in entry.leads_before]
    lost = [o for o in entry.leads_before if o not in entry.leads_after]
    if entry.change == "added" and entry.leads_after:
        what += f"; leads to {', '.join(entry.leads_after)}"
    elif entry.change == "added":
        what += "; leads to no outcome"
    if gained and entry.change != "added":
        what += f"; now leads to {', '.join(gained)}"
    if lost:
        what += f"; no longer leads to {', '.join(lost)}"
    return what


def headline(comparison: Comparison) -> str:
    changed = [o for o in comparison.outcomes if o.changed]
    lost = [o for o in comparison.outcomes if o.lost]
    parts = [
        f"{len(comparison.added)} finding{'s' if len(comparison.added) != 1 else ''} added",
        f"{len(comparison.fixed)} fixed",
        f"{len(changed)} outcome{'s' if len(changed) != 1 else ''} changed",
    ]
    if lost:
        parts.append(f"{len(lost)} made unreachable")
    return ", ".join(parts)


def to_text(comparison: Comparison) -> str:
    from credpath.text import escape

    lines = [headline(comparison)]
    for title, found in (("Added", comparison.added), ("Fixed", comparison.fixed)):
        if found:
            lines.append(f"{title} findings:")
            lines.extend(f"  {d.format()}" for d in sorted(found))
    changed = [o for o in comparison.outcomes if o.changed]
    if changed:
        lines.append("Outcomes:")
        for o in changed:
            delta = o.hours_delta
            extra = f" ({_signed(delta)})" if delta else ""
            lines.append(
                f"  {o.id}: {_side_text(o.before)} -> {_side_text(o.after)}{extra}"
                + ("  UNREACHABLE NOW" if o.lost else "")
            )
    if comparison.entries:
        lines.append("Entries:")
        lines.extend(f"  {escape(_entry_text(e))}" for e in comparison.entries)
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Author text inside Markdown (and the HTML GitHub allows in it): shown as text."""
    from html import escape as html_escape

    from credpath.text import escape

    safe = html_escape(escape(text), quote=False)
    return re.sub(r"([\\`*_\[\]|~])", r"\\\1", safe)


def _code(text: str) -> str:
    """Text for a Markdown code span: no backtick can close it, no control character."""
    from credpath.text import escape

    return escape(text).replace("`", "'")


def to_markdown(comparison: Comparison) -> str:
    """A pull-request comment: the headline first, a table of outcomes, details folded."""
    lost = [o for o in comparison.outcomes if o.lost]
    out = [f"### credpath: {headline(comparison)}", ""]
    if lost:
        names = ", ".join(f"**{_md(o.title)}**" for o in lost)
        out += [f"> [!WARNING]\n> Learners can no longer reach {names}.", ""]
    changed = [o for o in comparison.outcomes if o.changed]
    if changed:
        out += [
            "| outcome | before | after | hours for a new learner |",
            "|---|---|---|---|",
        ]
        for o in changed:
            delta = o.hours_delta
            effect = _signed(delta) if delta else ("lost" if o.lost else "-")
            out.append(
                f"| {_md(o.title)} (`{o.id}`) | {_side_text(o.before)} | "
                f"{_side_text(o.after)} | {effect} |"
            )
        out.append("")
    else:
        out += ["No outcome's pathway changed.", ""]
    for title, found in (
        ("Findings added", comparison.added),
        ("Findings fixed", comparison.fixed),
    ):
        if found:
            out += [f"<details><summary>{title} ({len(found)})</summary>", ""]
            out += [
                f"- `{_code(d.path)}:{d.line}:{d.column}` **{d.severity.label}** "
                f"{_md(d.message)} `[{d.rule}]`"
                for d in sorted(found)
            ]
            out += ["", "</details>", ""]
    if comparison.entries:
        out += [f"<details><summary>Entries changed ({len(comparison.entries)})</summary>", ""]
        out += [f"- {_md(_entry_text(e))}" for e in comparison.entries]
        out += ["", "</details>", ""]
    if changed:
        out += ["<details><summary>Pathways, credential by credential</summary>", ""]
        for o in changed:
            before = o.before.credentials if o.before else ()
            after = o.after.credentials if o.after else ()
            plus = [c for c in after if c not in before]
            minus = [c for c in before if c not in after]
            moves = [f"+`{c}`" for c in plus] + [f"-`{c}`" for c in minus]
            if o.after is None or not o.after.reachable:
                moves = moves or [_side_text(o.after)]
            out.append(f"- `{o.id}`: {' '.join(moves) or 'same credentials, in new stages'}")
        out += ["", "</details>", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _finding(d: Diagnostic) -> dict[str, Any]:
    return {
        "rule": d.rule,
        "severity": d.severity.label,
        "message": d.message,
        "file": d.path,
        "line": d.line,
        "column": d.column,
    }


def _side_json(side: Side | None) -> dict[str, Any] | None:
    if side is None:
        return None
    return {
        "reachable": side.reachable,
        "hours": side.hours,
        "stages": side.stages,
        "credentials": list(side.credentials),
    }


def _entries_json(entries: Iterable[EntryChange], kind: str) -> dict[str, Any]:
    chosen = [e for e in entries if e.kind == kind]
    grouped: dict[str, Any] = {name: [] for name in ("added", "removed", "retired", "changed")}
    for e in chosen:
        if e.change == "changed" or e.change == "restored":
            grouped["changed"].append(
                {
                    "id": e.id,
                    "fields": list(e.fields),
                    "leads_before": list(e.leads_before),
                    "leads_after": list(e.leads_after),
                }
            )
        else:
            grouped[e.change].append(e.id)
    return grouped


def to_json(comparison: Comparison) -> str:
    document = {
        "version": 1,
        "summary": headline(comparison),
        "findings": {
            "added": [_finding(d) for d in sorted(comparison.added)],
            "fixed": [_finding(d) for d in sorted(comparison.fixed)],
        },
        "outcomes": [
            {
                "id": o.id,
                "before": _side_json(o.before),
                "after": _side_json(o.after),
                "hours_delta": o.hours_delta,
            }
            for o in comparison.outcomes
        ],
        "credentials": _entries_json(comparison.entries, "credential"),
        "competencies": _entries_json(comparison.entries, "competency"),
    }
    return json_text(document)
