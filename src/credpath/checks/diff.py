"""What a change to a project does to learners: findings added and fixed, pathways, entries.

Two checked versions of a project (``engine.Result``) in, one ``Comparison`` out; the
renderers turn it into text, Markdown (a pull-request comment or job summary) or JSON.

Findings are matched by rule, subject and message, with positions taken out of the
message, never by line: moving an entry within a file, or to another file, is not a
change. Entries are matched by id, and compared on what learners feel: requirements,
grants, workload, status (levels for a competency); an entry removed and one added with
the same content apart from the id is one entry renamed.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from credpath.base.diagnostics import Diagnostic, Severity
from credpath.base.text import json_text
from credpath.compiler.resolve import CompetencyDef, CredentialDef

if TYPE_CHECKING:
    from credpath.checks.engine import Result

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
class FieldChange:
    """One field of an entry that changed: requires, grants, workload, status or levels."""

    name: str
    before: Any
    after: Any


@dataclass(frozen=True)
class EntryChange:
    """A credential or competency added, removed, renamed, retired or changed, and its reach."""

    kind: str
    id: str
    change: str
    """added, removed, renamed, retired, restored, changed."""
    changes: tuple[FieldChange, ...] = ()
    leads_before: tuple[str, ...] = ()
    leads_after: tuple[str, ...] = ()
    previous_id: str = ""
    """For "renamed": the id it had (``id`` is the new one)."""

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.changes)


@dataclass
class Comparison:
    added: list[Diagnostic] = field(default_factory=list)
    fixed: list[Diagnostic] = field(default_factory=list)
    outcomes: list[OutcomeChange] = field(default_factory=list)
    entries: list[EntryChange] = field(default_factory=list)

    def failed(self, level: Severity) -> bool:
        """A finding added at the failing level, or an outcome made unreachable."""
        return any(d.severity >= level for d in self.added) or any(o.lost for o in self.outcomes)

    @property
    def renamed(self) -> dict[str, str]:
        """Old id -> new id, for every entry renamed."""
        return {e.previous_id: e.id for e in self.entries if e.change == "renamed"}


def _key(d: Diagnostic) -> tuple[str, object, str]:
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
    from credpath.compiler.pathways import derive

    derived = derive(result.context.semantics, outcome)
    if derived is None:
        return Side(False, None, None, ())
    return Side(True, derived.hours, len(derived.stages), tuple(sorted(derived.credentials)))


def _references(value: Any) -> list[str] | None:
    """A requirement or grants written as references only (one, or a list: all of
    them), else None (an ``any``/``choose`` expression)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _normal(value: Any) -> Any:
    """References in one order (``[a, b]``, ``[b, a]`` and, for one, ``a`` mean the same)."""
    references = _references(value)
    return value if references is None else sorted(references)


def _credential_facts(result: Result, cid: str) -> dict[str, Any]:
    model = result.catalog.credentials[cid].model
    workload = model.workload.model_dump(exclude_none=True) if model.workload else None
    return {
        "requires": _normal(model.requires),
        "grants": _normal(model.grants),
        "workload": workload,
        "status": model.status,
    }


def _leads(result: Result, cid: str) -> tuple[str, ...]:
    return tuple(result.context.semantics.outcomes_of.get(cid, []))


def _content(entry: CredentialDef | CompetencyDef) -> str:
    """An entry's content apart from its id (with a competency's levels as resolved)."""
    content = entry.model.model_dump(exclude={"id"})
    if isinstance(entry, CompetencyDef):
        content["levels"] = entry.levels
    return json.dumps(content, sort_keys=True, default=str)


def _renames(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, str]:
    """Old id -> new id for each entry removed whose content (apart from the id) an entry
    added has; sorted ids pair first, so that twins pair the same way on every run."""
    by_content: dict[str, list[str]] = defaultdict(list)
    for new in sorted(set(after) - set(before)):
        by_content[_content(after[new])].append(new)
    pairs = {}
    for old in sorted(set(before) - set(after)):
        candidates = by_content.get(_content(before[old]))
        if candidates:
            pairs[old] = candidates.pop(0)
    return pairs


def _change(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    return tuple(FieldChange(name, old[name], new[name]) for name in old if old[name] != new[name])


def _credential_changes(base: Result, head: Result) -> Iterator[EntryChange]:
    before, after = base.catalog.credentials, head.catalog.credentials
    renamed = _renames(before, after)
    previous = {new: old for old, new in renamed.items()}
    for cid in sorted((set(before) | set(after)) - set(renamed)):
        if cid in previous:
            old_id = previous[cid]
            leads = _leads(base, old_id), _leads(head, cid)
            yield EntryChange("credential", cid, "renamed", (), *leads, previous_id=old_id)
        elif cid not in before:
            yield EntryChange("credential", cid, "added", leads_after=_leads(head, cid))
        elif cid not in after:
            yield EntryChange("credential", cid, "removed", leads_before=_leads(base, cid))
        elif (old := _credential_facts(base, cid)) != (new := _credential_facts(head, cid)):
            status = (old["status"], new["status"])
            change = (
                "retired"
                if status[1] == "retired" != status[0]
                else "restored"
                if status[0] == "retired" != status[1]
                else "changed"
            )
            leads = _leads(base, cid), _leads(head, cid)
            yield EntryChange("credential", cid, change, _change(old, new), *leads)


def _competency_changes(base: Result, head: Result) -> Iterator[EntryChange]:
    before, after = base.catalog.competencies, head.catalog.competencies
    renamed = _renames(before, after)
    previous = {new: old for old, new in renamed.items()}
    for kid in sorted((set(before) | set(after)) - set(renamed)):
        if kid in previous:
            yield EntryChange("competency", kid, "renamed", previous_id=previous[kid])
        elif kid not in before:
            yield EntryChange("competency", kid, "added")
        elif kid not in after:
            yield EntryChange("competency", kid, "removed")
        elif before[kid].levels != after[kid].levels:
            levels = FieldChange("levels", before[kid].levels, after[kid].levels)
            yield EntryChange("competency", kid, "changed", (levels,))


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
    result.entries.extend(_credential_changes(base, head))
    result.entries.extend(_competency_changes(base, head))
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


def _flow(value: Any) -> str:
    """A field's value on one line, as YAML's flow style writes it."""
    if value is None:
        return "none"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    return str(value)


def _workload(value: dict[str, float] | None) -> str:
    if value is None:
        return "none"
    parts = [f"{value['hours']:g} h"] if "hours" in value else []
    return ", ".join(parts + ([f"{value['ects']:g} ECTS"] if "ects" in value else []))


def _reference_moves(before: list[str], after: list[str], renamed: Mapping[str, str]) -> str:
    """``+added, -removed, old -> new`` (a reference to a renamed entry, renamed)."""
    came = [r for r in after if r not in before]
    moves = []
    for reference in (r for r in before if r not in after):
        name, at, level = reference.partition("@")
        successor = renamed.get(name, name) + at + level
        if successor in came:
            came.remove(successor)
            moves.append(f"{reference} -> {successor}")
        else:
            moves.append(f"-{reference}")
    return ", ".join([f"+{r}" for r in came] + moves)


def _field_text(change: FieldChange, renamed: Mapping[str, str]) -> str:
    """What changed in one field: references added and removed, or before -> after."""
    before, after = change.before, change.after
    if change.name == "workload":
        return f"workload: {_workload(before)} -> {_workload(after)}"
    old, new = _references(before), _references(after)
    if change.name in {"requires", "grants"} and old is not None and new is not None:
        return f"{change.name}: {_reference_moves(old, new, renamed)}"
    return f"{change.name}: {_flow(before)} -> {_flow(after)}"


def _entry_text(entry: EntryChange, renamed: Mapping[str, str]) -> str:
    if entry.change == "renamed":
        what = f"{entry.kind} '{entry.previous_id}' renamed to '{entry.id}'"
    else:
        what = f"{entry.kind} '{entry.id}' {entry.change}"
    if entry.changes:
        what += f" ({'; '.join(_field_text(c, renamed) for c in entry.changes)})"
    gained = [o for o in entry.leads_after if o not in entry.leads_before]
    lost = [o for o in entry.leads_before if o not in entry.leads_after]
    if entry.change == "added" and entry.leads_after:
        what += f"; leads to {', '.join(entry.leads_after)}"
    elif entry.change == "added" and entry.kind == "credential":
        what += "; leads to no outcome"
    if gained and entry.change != "added":
        what += f"; now leads to {', '.join(gained)}"
    if lost:
        what += f"; no longer leads to {', '.join(lost)}"
    return what


def _pathway_moves(
    outcome: OutcomeChange, renamed: Mapping[str, str]
) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """The credentials an outcome's pathway gains, loses, and has under a new id."""
    before = outcome.before.credentials if outcome.before else ()
    after = outcome.after.credentials if outcome.after else ()
    kept = [(c, renamed[c]) for c in before if c not in after and renamed.get(c) in after]
    old_ids, new_ids = {c for c, _ in kept}, {c for _, c in kept}
    plus = [c for c in after if c not in before and c not in new_ids]
    minus = [c for c in before if c not in after and c not in old_ids]
    return plus, minus, kept


def _outcome_text(outcome: OutcomeChange, renamed: Mapping[str, str]) -> str:
    """``id: before -> after (+N h); +added, -removed, old renamed to new``."""
    delta = outcome.hours_delta
    line = f"{outcome.id}: {_side_text(outcome.before)} -> {_side_text(outcome.after)}"
    line += f" ({_signed(delta)})" if delta else ""
    if outcome.before and outcome.before.reachable and outcome.after and outcome.after.reachable:
        plus, minus, kept = _pathway_moves(outcome, renamed)
        moves = [f"+{c}" for c in plus] + [f"-{c}" for c in minus]
        moves += [f"{old} renamed to {new}" for old, new in kept]
        line += f"; {', '.join(moves)}" if moves else ""
    return line + ("  UNREACHABLE NOW" if outcome.lost else "")


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
    from credpath.base.text import escape

    lines = [headline(comparison)]
    for title, found in (("Added", comparison.added), ("Fixed", comparison.fixed)):
        if found:
            lines.append(f"{title} findings:")
            lines.extend(f"  {d.format()}" for d in sorted(found))
    renamed = comparison.renamed
    changed = [o for o in comparison.outcomes if o.changed]
    if changed:
        lines.append("Outcomes:")
        lines.extend(f"  {escape(_outcome_text(o, renamed))}" for o in changed)
    if comparison.entries:
        lines.append("Entries:")
        lines.extend(f"  {escape(_entry_text(e, renamed))}" for e in comparison.entries)
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Author text inside Markdown (and the HTML GitHub allows in it): shown as text."""
    from html import escape as html_escape

    from credpath.base.text import escape

    safe = html_escape(escape(text), quote=False)
    return re.sub(r"([\\`*_\[\]|~])", r"\\\1", safe)


def _code(text: str) -> str:
    """Text for a Markdown code span: no backtick can close it, no control character."""
    from credpath.base.text import escape

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
    renamed = comparison.renamed
    if comparison.entries:
        out += [f"<details><summary>Entries changed ({len(comparison.entries)})</summary>", ""]
        out += [f"- {_md(_entry_text(e, renamed))}" for e in comparison.entries]
        out += ["", "</details>", ""]
    if changed:
        out += ["<details><summary>Pathways, credential by credential</summary>", ""]
        for o in changed:
            plus, minus, kept = _pathway_moves(o, renamed)
            moves = [f"+`{c}`" for c in plus] + [f"-`{c}`" for c in minus]
            moves += [f"`{old}` renamed to `{new}`" for old, new in kept]
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


def _plain(value: Any) -> Any:
    """A field's value as JSON has it (anything else YAML gave as text)."""
    return json.loads(json.dumps(value, default=str))


def _entries_json(entries: Iterable[EntryChange], kind: str) -> dict[str, Any]:
    chosen = [e for e in entries if e.kind == kind]
    names = ("added", "removed", "renamed", "retired", "changed")
    grouped: dict[str, Any] = {name: [] for name in names}
    for e in chosen:
        if e.change == "changed" or e.change == "restored":
            grouped["changed"].append(
                {
                    "id": e.id,
                    "fields": list(e.fields),
                    "before": {c.name: _plain(c.before) for c in e.changes},
                    "after": {c.name: _plain(c.after) for c in e.changes},
                    "leads_before": list(e.leads_before),
                    "leads_after": list(e.leads_after),
                }
            )
        elif e.change == "renamed":
            grouped["renamed"].append(
                {
                    "from": e.previous_id,
                    "to": e.id,
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
