"""ESCO, designing backwards: start a project from an occupation, and check which of its
essential skills a pathway covers (docs/esco.md).

Reads the ESCO CSV download: ``occupations_*.csv`` (conceptUri, preferredLabel,
iscoGroup), ``skills_*.csv`` (conceptUri, skillType, preferredLabel) and
``occupationSkillRelations_*.csv`` (occupationUri, relationType, skillUri).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from credpath.base.errors import UsageError
from credpath.base.text import escape, markdown_link, markdown_text, slug, suggest
from credpath.compiler.semantics import Semantics


@dataclass(frozen=True)
class Skill:
    uri: str
    label: str
    kind: str
    """skill, knowledge or competence: the credpath ``kind``."""


@dataclass(frozen=True)
class Occupation:
    uri: str
    label: str
    isco: str
    essential: tuple[Skill, ...]


def _rows(folder: Path, prefix: str) -> list[dict[str, str]]:
    files = sorted(folder.glob(f"{prefix}*.csv"))
    if not files:
        raise UsageError(f"{folder}: no {prefix}*.csv (the ESCO CSV download) in this folder")
    rows: list[dict[str, str]] = []
    for path in files:
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                rows.extend(csv.DictReader(handle))
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            raise UsageError(f"{path}: cannot read it as an ESCO CSV file ({error})") from None
    return rows


def _need(row: dict[str, str], column: str, where: str) -> str:
    value = row.get(column)
    if value is None:
        raise UsageError(f"{where}: no column '{column}' (is this the ESCO CSV download?)")
    return value.strip()


class Esco:
    """The occupations and skills of an ESCO download, and which skills are essential."""

    def __init__(self, folder: Path) -> None:
        if not folder.is_dir():
            raise UsageError(f"{folder}: not a folder (give the ESCO CSV download's folder)")
        skills: dict[str, Skill] = {}
        for row in _rows(folder, "skills_"):
            uri = _need(row, "conceptUri", "skills CSV")
            kind = _need(row, "skillType", "skills CSV")
            label = _need(row, "preferredLabel", "skills CSV")
            skills[uri] = Skill(uri, label, "knowledge" if kind == "knowledge" else "skill")
        essential: dict[str, list[Skill]] = {}
        for row in _rows(folder, "occupationSkillRelations_"):
            if _need(row, "relationType", "relations CSV") != "essential":
                continue
            uri = _need(row, "skillUri", "relations CSV")
            skill = skills.get(uri) or Skill(uri, uri.rsplit("/", 1)[-1], "skill")
            essential.setdefault(_need(row, "occupationUri", "relations CSV"), []).append(skill)
        self.occupations: dict[str, Occupation] = {}
        for row in _rows(folder, "occupations_"):
            uri = _need(row, "conceptUri", "occupations CSV")
            found = sorted({s.uri: s for s in essential.get(uri, [])}.values(), key=_order)
            self.occupations[uri] = Occupation(
                uri,
                _need(row, "preferredLabel", "occupations CSV"),
                _need(row, "iscoGroup", "occupations CSV"),
                tuple(found),
            )

    def find(self, wanted: str) -> Occupation:
        """An occupation by its URI or its preferred label (any case)."""
        if wanted in self.occupations:
            return self.occupations[wanted]
        by_label = {o.label.casefold(): o for o in self.occupations.values()}
        found = by_label.get(wanted.strip().casefold())
        if found is None:
            labels = sorted(o.label for o in self.occupations.values())
            raise UsageError(
                f"no ESCO occupation '{wanted}' in this download{suggest(wanted, labels)}"
            )
        return found


def _order(skill: Skill) -> tuple[str, str]:
    return (skill.label.casefold(), skill.uri)


def start_project(occupation: Occupation) -> dict[str, str]:
    """The files of a new project for this occupation: the outcome requiring one competency
    per essential skill, each aligned to ESCO; the credentials are the team's to add."""
    ids: dict[str, str] = {}
    for skill in occupation.essential:
        base = slug(skill.label) or "skill"
        candidate, n = base, 2
        while candidate in ids.values():
            candidate, n = f"{base}-{n}", n + 1
        ids[skill.uri] = candidate
    competencies = [
        {
            "id": ids[skill.uri],
            "title": skill.label,
            "kind": skill.kind,
            "aligns": [{"framework": "ESCO", "uri": skill.uri, "name": skill.label}],
        }
        for skill in occupation.essential
    ]
    outcome: dict[str, Any] = {
        "id": slug(occupation.label) or "occupation",
        "title": occupation.label[:1].upper() + occupation.label[1:],
        "description": f"The ESCO occupation '{occupation.label}' (ISCO {occupation.isco}).",
        "occupation": {"esco": occupation.uri, "isco": occupation.isco},
        "requires": [ids[s.uri] for s in occupation.essential],
    }
    header = (
        f"# Started by credpath import esco from the ESCO occupation {escape(occupation.uri)}:\n"
        "# one competency per essential skill. Add the credentials that grant them.\n"
    )
    return {
        "credpath.yaml": _dump({"name": outcome["title"]}),
        "competencies.yaml": header + _dump({"competencies": competencies}),
        "outcomes.yaml": header + _dump({"outcomes": [outcome]}),
    }


def _dump(data: object) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


@dataclass(frozen=True)
class Coverage:
    outcome: str
    title: str
    occupation: str
    covered: tuple[Skill, ...]
    missing: tuple[Skill, ...]
    reachable: bool


def coverage(sem: Semantics, esco: Esco) -> list[Coverage]:
    """Per outcome with an ESCO occupation: which essential skills its derived pathway (for
    a new learner, with what is assumed) covers through competencies aligned to them."""
    from credpath.compiler.pathways import derive

    catalog = sem.catalog
    found = []
    for outcome_id in sorted(catalog.outcomes):
        outcome = catalog.outcomes[outcome_id]
        occupation = outcome.model.occupation
        if occupation is None or occupation.esco is None:
            continue
        known = esco.occupations.get(occupation.esco)
        essential = known.essential if known is not None else ()
        derived = derive(sem, outcome_id)
        competencies = set(catalog.assumed)
        for credential_id in derived.credentials if derived is not None else ():
            competencies |= {g.target for g in catalog.credentials[credential_id].grants}
        aligned = {
            align.uri
            for cid in competencies
            if cid in catalog.competencies
            for align in catalog.competencies[cid].model.aligns or ()
            if align.uri
        }
        found.append(
            Coverage(
                outcome_id,
                outcome.model.title,
                occupation.esco,
                tuple(s for s in essential if s.uri in aligned),
                tuple(s for s in essential if s.uri not in aligned),
                derived is not None,
            )
        )
    return found


def coverage_text(rows: list[Coverage]) -> str:
    if not rows:
        return "No outcome names an ESCO occupation (occupation: {esco: URI}).\n"
    lines = []
    for row in rows:
        total = len(row.covered) + len(row.missing)
        note = "" if row.reachable else " (not reachable: credpath validate says why)"
        lines.append(
            f"{row.outcome}: {len(row.covered)} of {total} essential ESCO skills covered{note}"
        )
        lines.extend(f"  missing: {escape(s.label)} <{escape(s.uri)}>" for s in row.missing)
    return "\n".join(lines) + "\n"


def coverage_markdown(rows: list[Coverage]) -> str:
    lines = ["| outcome | essential skills covered | missing |", "|---|---|---|"]
    for row in rows:
        total = len(row.covered) + len(row.missing)
        missing = ", ".join(markdown_link(s.label, s.uri) for s in row.missing) or "none"
        name = f"{markdown_text(row.title)} (`{row.outcome}`)"
        lines.append(f"| {name} | {len(row.covered)} of {total} | {missing} |")
    return "\n".join(lines) + "\n"


def coverage_json(rows: list[Coverage]) -> list[dict[str, Any]]:
    return [
        {
            "outcome": row.outcome,
            "occupation": row.occupation,
            "reachable": row.reachable,
            "covered": [{"uri": s.uri, "label": s.label} for s in row.covered],
            "missing": [{"uri": s.uri, "label": s.label} for s in row.missing],
        }
        for row in rows
    ]
