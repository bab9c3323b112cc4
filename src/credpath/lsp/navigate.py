"""What the editor asks about a checked project: where each id is defined and used, what
it means, what may be written at the cursor, and the edits of a rename.

Pure functions over a ``Result`` (the engine's checked project), with 0-based lines and
characters as LSP counts them; ``server.py`` turns them into protocol messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from credpath.engine import Result
from credpath.loader import SourceFile
from credpath.requirements import Ref, refs
from credpath.resolve import AnyDef


@dataclass(frozen=True)
class Occurrence:
    """An id written in a file: its definition, or a reference to it."""

    id: str
    path: Path
    line: int
    character: int
    definition: bool
    level: int | None = None

    @property
    def end(self) -> int:
        return self.character + len(self.id)


def _start(source: SourceFile, path: tuple[str | int, ...], target: str) -> tuple[int, int]:
    """Where ``target`` starts in the scalar at ``path`` (after a quote, if any), 0-based."""
    line, column, _, _ = source.locate(path)
    text = source.text.splitlines()[line - 1] if line >= 1 else ""
    at = text.find(target, column - 1)
    return line - 1, (at if at >= 0 else column - 1)


def occurrences(result: Result) -> list[Occurrence]:
    """Every definition and reference of an id in the project's files."""
    catalog = result.catalog
    found: list[Occurrence] = []

    def add_ref(source: SourceFile, ref: Ref) -> None:
        if not ref.kind:
            return
        line, character = _start(source, ref.path, ref.target)
        level = ref.number if ref.kind == "competency" else None
        found.append(Occurrence(ref.target, source.path, line, character, False, level))

    entries: list[AnyDef] = [
        *catalog.credentials.values(),
        *catalog.competencies.values(),
        *catalog.outcomes.values(),
        *catalog.pathways.values(),
    ]
    for entry in entries:
        source = entry.origin.source
        line, character = _start(source, (*entry.origin.path, "id"), entry.id)
        found.append(Occurrence(entry.id, source.path, line, character, True))
    for credential in catalog.credentials.values():
        source = credential.origin.source
        for ref in (*refs(credential.requires), *credential.grants):
            add_ref(source, ref)
    for outcome in catalog.outcomes.values():
        for ref in refs(outcome.requires):
            add_ref(outcome.origin.source, ref)
    for pathway in catalog.pathways.values():
        source = pathway.origin.source
        for stage in pathway.stages:
            for item in stage:
                for ref in refs(item):
                    add_ref(source, ref)
        if pathway.outcome is not None:
            line, character = _start(source, (*pathway.origin.path, "outcome"), pathway.outcome)
            found.append(Occurrence(pathway.outcome, source.path, line, character, False))
    return found


def at(result: Result, path: Path, line: int, character: int) -> Occurrence | None:
    """The id under the cursor, if any."""
    for occurrence in occurrences(result):
        if (
            occurrence.path == path
            and occurrence.line == line
            and occurrence.character <= character <= occurrence.end
        ):
            return occurrence
    return None


def definition(result: Result, occurrence: Occurrence) -> Occurrence | None:
    """Where the id is defined; for ``sql@2``, the level's name in ``levels`` when written."""
    entry = result.catalog.entry(occurrence.id)
    if entry is None:
        return None
    source = entry.origin.source
    competency = result.catalog.competencies.get(occurrence.id)
    if competency is not None and occurrence.level is not None and competency.model.levels:
        index = occurrence.level - 1
        if 0 <= index < len(competency.model.levels):
            name = competency.model.levels[index]
            line, character = _start(source, (*entry.origin.path, "levels", index), name)
            return Occurrence(name, source.path, line, character, True)
    line, character = _start(source, (*entry.origin.path, "id"), entry.id)
    return Occurrence(entry.id, source.path, line, character, True)


def references(result: Result, id_: str, *, declaration: bool = True) -> list[Occurrence]:
    return [o for o in occurrences(result) if o.id == id_ and (declaration or not o.definition)]


def hover(result: Result, id_: str) -> str | None:
    """Markdown: what the id is and what it does in the project."""
    from credpath.pathways import derive, hours

    catalog = result.catalog
    sem = result.context.semantics
    if id_ in catalog.credentials:
        credential = catalog.credentials[id_]
        model = credential.model
        workload = f", {hours(credential):g} h" if hours(credential) else ""
        lines = [f"**{model.title}** ({model.type}{workload})"]
        if credential.status != "active":
            lines.append(f"Status: {credential.status}")
        needed = ", ".join(f"`{r}`" for r in refs(credential.requires)) or "nothing"
        lines.append(f"Requires: {needed}")
        granted = ", ".join(f"`{g}`" for g in credential.grants) or "no competency"
        lines.append(f"Grants: {granted}")
        unlocks = sorted(sem.unlocks.get(id_, {}))
        lines.append("Unlocks: " + (", ".join(f"`{u}`" for u in unlocks) or "nothing"))
        outcomes = sem.outcomes_of.get(id_, [])
        lines.append("Leads to: " + (", ".join(f"`{o}`" for o in outcomes) or "no outcome"))
        return "\n\n".join(lines)
    if id_ in catalog.competencies:
        competency = catalog.competencies[id_]
        lines = [f"**{competency.model.title}** (competency)"]
        for number, name in enumerate(competency.levels, 1):
            granters = [
                c.id
                for c in sem.active
                if any(g.target == id_ and g.number == number for g in c.grants)
            ]
            label = f"level {number} ({name})" if len(competency.levels) > 1 else "granted"
            lines.append(
                f"- {label}: " + (", ".join(f"`{g}`" for g in granters) or "granted by nothing")
            )
        return "\n".join(lines)
    if id_ in catalog.outcomes:
        outcome = catalog.outcomes[id_]
        derived = derive(sem, id_)
        lines = [f"**{outcome.model.title}** (job outcome)"]
        if derived is None:
            lines.append("Not reachable: `credpath validate` says why.")
        else:
            for number, stage in enumerate(derived.stages, 1):
                stage_hours = sum(hours(catalog.credentials[c]) for c in stage)
                lines.append(
                    f"- Stage {number} ({stage_hours:g} h): " + ", ".join(f"`{c}`" for c in stage)
                )
            lines.append(f"Total: {len(derived.credentials)} credentials, {derived.hours:g} h")
        return "\n".join(lines)
    if id_ in catalog.pathways:
        pathway = catalog.pathways[id_]
        return f"**{pathway.model.title}** (curated pathway to `{pathway.outcome}`)"
    return None


_SUPPRESSION = re.compile(r"#\s*credpath:\s*disable(-file)?\s*=\s*(?P<names>[\w,-]*)$")
_LEVEL = re.compile(r"(?P<id>[a-z0-9]+(?:[-_.][a-z0-9]+)*)@[\w ]*$")
_REFERENCE_KEYS = re.compile(
    r"^\s*(?:-\s*)?(requires|grants|assumed|from|any|all|stages|outcome)\s*:"
)


@dataclass(frozen=True)
class Choice:
    label: str
    detail: str
    kind: str
    """credential, competency, outcome, level or rule."""


def completions(result: Result, text: str, line: int, character: int) -> list[Choice]:
    """What may be written at the cursor: ids where a reference goes, levels after ``id@``,
    rule ids in a suppression comment."""
    from credpath.rules import RULES

    lines = text.splitlines()
    current = lines[line][:character] if line < len(lines) else ""
    catalog = result.catalog
    if _SUPPRESSION.search(current):
        return [Choice(rule, RULES[rule].doc.split(".")[0], "rule") for rule in sorted(RULES)]
    level = _LEVEL.search(current)
    if level is not None:
        competency = catalog.competencies.get(level.group("id"))
        if competency is None:
            return []
        choices = [Choice(str(n), name, "level") for n, name in enumerate(competency.levels, 1)]
        if competency.model.levels:
            choices += [
                Choice(name, f"level {n}", "level") for n, name in enumerate(competency.levels, 1)
            ]
        return choices
    if _key_of(lines, line, current) is None:
        return []
    if re.search(r"^\s*(?:-\s*)?outcome\s*:", current):
        return [
            Choice(o, catalog.outcomes[o].model.title, "outcome") for o in sorted(catalog.outcomes)
        ]
    grants_only = _key_of(lines, line, current) == "grants"
    choices = [
        Choice(c, catalog.competencies[c].model.title, "competency")
        for c in sorted(catalog.competencies)
    ]
    if not grants_only:
        choices += [
            Choice(c, catalog.credentials[c].model.title, "credential")
            for c in sorted(catalog.credentials)
        ]
    return choices


def _key_of(lines: list[str], line: int, current: str) -> str | None:
    """The nearest key above (or on) the cursor's line that takes references."""
    match = _REFERENCE_KEYS.search(current)
    if match:
        return match.group(1)
    indent = len(current) - len(current.lstrip())
    for above in range(line - 1, -1, -1):
        text = lines[above]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        found = _REFERENCE_KEYS.search(text)
        if found:
            return found.group(1)
        if (
            len(text) - len(text.lstrip()) < indent
            and ":" in text
            and not text.lstrip().startswith("-")
        ):
            return None
    return None
