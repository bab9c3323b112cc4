"""Ids and references -> a Catalog: every entry validated, every reference resolved.

Rules reported here: schema, duplicate-id, unknown-reference, wrong-reference
(yaml-syntax and duplicate-key come from the loader).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from credpath.diagnostics import Diagnostic, Location, Severity
from credpath.loader import Path_, SourceFile
from credpath.model import (
    CREDENTIAL_TYPES,
    ENTRY_MODELS,
    KINDS,
    Competency,
    Config,
    Credential,
    Entry,
    Outcome,
    Pathway,
)
from credpath.requirements import (
    NOTHING,
    All,
    Invalid,
    Ref,
    Requirement,
    has_invalid,
    parse_reference,
    parse_requirement,
)
from credpath.text import suggest

KIND_NAMES = {
    "outcomes": "outcome",
    "competencies": "competency",
    "credentials": "credential",
    "pathways": "pathway",
}


@dataclass(frozen=True)
class Origin:
    """Where an entry was written: its file and its path in that file."""

    source: SourceFile
    path: Path_

    def locate(self, *parts: str | int, key: bool = False) -> Location:
        line, column, end_line, end_column = self.source.locate((*self.path, *parts), key=key)
        return Location(self.source.display, line, column, end_line, end_column)


@dataclass
class CompetencyDef:
    id: str
    model: Competency
    levels: tuple[str, ...]
    origin: Origin


@dataclass
class CredentialDef:
    id: str
    model: Credential
    requires: Requirement
    grants: tuple[Ref, ...]
    origin: Origin
    invalid: bool = False
    """Its own references or fields are broken (and reported already)."""

    @property
    def status(self) -> str:
        return self.model.status


@dataclass
class OutcomeDef:
    id: str
    model: Outcome
    requires: Requirement
    origin: Origin
    invalid: bool = False


@dataclass
class PathwayDef:
    id: str
    model: Pathway
    outcome: str | None
    stages: tuple[tuple[Requirement, ...], ...]
    origin: Origin
    invalid: bool = False


AnyDef = CompetencyDef | CredentialDef | OutcomeDef | PathwayDef


@dataclass
class Catalog:
    """The resolved project that every check and output works from."""

    config: Config
    config_source: SourceFile | None
    files: list[SourceFile]
    competencies: dict[str, CompetencyDef] = field(default_factory=dict)
    credentials: dict[str, CredentialDef] = field(default_factory=dict)
    outcomes: dict[str, OutcomeDef] = field(default_factory=dict)
    pathways: dict[str, PathwayDef] = field(default_factory=dict)
    assumed: dict[str, int] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.config.name or "credpath project"

    def entry(self, id_: str) -> AnyDef | None:
        return (
            self.credentials.get(id_)
            or self.competencies.get(id_)
            or self.outcomes.get(id_)
            or self.pathways.get(id_)
        )


def report(
    location: Location,
    rule: str,
    message: str,
    severity: Severity = Severity.ERROR,
    related: Iterable[Location] = (),
) -> Diagnostic:
    return Diagnostic(
        location.path,
        location.line,
        location.column,
        rule,
        message,
        severity,
        location.end_line,
        location.end_column,
        tuple(related),
    )


class _Suggestions:
    """Remembers suggestions: an alias can repeat one unknown name many thousand times."""

    def __init__(self) -> None:
        self.memo: dict[tuple[str, int], str] = {}

    def __call__(self, name: str, candidates: Mapping[str, object]) -> str:
        key = (name, id(candidates))
        if key not in self.memo:
            self.memo[key] = suggest(name, candidates)
        return self.memo[key]


def describe_error(error: ErrorDetails, model: type[BaseModel]) -> str:
    """A pydantic error in words an author understands."""
    loc = error["loc"]
    name = str(loc[-1]) if loc else "entry"
    kind = error["type"]
    value = error.get("input")
    if kind == "missing":
        return f"missing required field '{name}'"
    if kind == "extra_forbidden":
        fields = _fields_at(model, loc[:-1])
        return f"unknown key '{name}'{suggest(name, fields)}"
    if kind in {"string_pattern_mismatch", "string_too_long"} and name in {"id", "outcome"}:
        return (
            f"'{value}' is not a valid id: use lowercase letters, digits and single '-', '_' "
            "or '.' between them, at most 80 characters"
        )
    if kind == "string_pattern_mismatch" and name == "type":
        return (
            f"unknown credential type '{value}': use one of {', '.join(CREDENTIAL_TYPES)}, "
            "or ext:<name> for your own"
        )
    if kind == "string_pattern_mismatch":
        return f"'{name}' must be an http or https URL, got '{value}'"
    if kind == "string_type":
        return f"'{name}' is empty" if value is None else f"'{name}' must be text"
    if kind in {"list_type", "too_short"} and isinstance(value, list | type(None)):
        return f"'{name}' must be a non-empty list"
    if kind == "list_type":
        return f"'{name}' must be a list"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return f"'{name}' must be a mapping" if value is not None else f"'{name}' is empty"
    if kind in {"int_parsing", "float_parsing", "int_type", "float_type", "int_from_float"}:
        return f"'{name}' must be a number, got '{value}'"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    msg = str(error["msg"])
    if kind == "literal_error":
        return f"'{name}': {msg[0].lower()}{msg[1:]}, got '{value}'"
    return f"'{name}': {msg[0].lower()}{msg[1:]}"


def _fields_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """Field names of the (nested) model at ``loc``, for "did you mean"."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        current = _model_of(info.annotation)
    return list(getattr(current, "model_fields", {}))


def _model_of(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


_ADAPTERS: dict[str, TypeAdapter[list[Any]]] = {
    kind: TypeAdapter(list[model])  # type: ignore[valid-type]
    for kind, model in ENTRY_MODELS.items()
}
"""One validator per kind for whole lists: much less overhead than one call per entry."""

PLACEHOLDERS: dict[str, Any] = {
    "title": "untitled",
    "type": "ext:unknown",
    "outcome": "unknown",
    "stages": [],
    "requires": None,
}
"""Stand-ins for missing required fields, so a broken entry still holds its id."""


class _Builder:
    def __init__(
        self, config: Config, config_source: SourceFile | None, files: list[SourceFile]
    ) -> None:
        self.catalog = Catalog(config, config_source, files)
        self.defined: dict[str, tuple[str, Origin]] = {}
        self.raw_entries: list[tuple[str, dict[str, Any], Origin]] = []
        self.suggest = _Suggestions()
        self.resolved: dict[str, tuple[str, int | str | None, str]] = {}
        """Requirement texts already resolved (target, level, kind): ids repeat a lot."""

    def error(
        self, source: SourceFile, path: Path_, rule: str, message: str, key: bool = False
    ) -> None:
        line, column, end_line, end_column = source.locate(path, key=key)
        self.catalog.diagnostics.append(
            Diagnostic(
                source.display, line, column, rule, message, Severity.ERROR, end_line, end_column
            )
        )

    # -- pass 1: entries and ids -------------------------------------------------------
    def collect(self) -> None:
        for source in self.catalog.files:
            self.catalog.diagnostics.extend(source.diagnostics)
            for doc_index, document in enumerate(source.documents):
                self._collect_document(source, doc_index, document)

    def _collect_document(self, source: SourceFile, doc: int, document: Any) -> None:
        if document is None:
            return
        if not isinstance(document, dict):
            self.error(
                source,
                (doc,),
                "schema",
                "a curriculum file is a mapping with any of the keys "
                "outcomes, competencies, credentials, pathways",
            )
            return
        for kind, entries in document.items():
            if kind not in KINDS:
                self.error(
                    source,
                    (doc, kind),
                    "schema",
                    f"unknown top-level key '{kind}'{suggest(kind, KINDS)}: a curriculum file "
                    "holds outcomes, competencies, credentials and pathways",
                    key=True,
                )
                continue
            if entries is None:
                continue
            if not isinstance(entries, list):
                self.error(source, (doc, kind), "schema", f"'{kind}' must be a list of entries")
                continue
            for index, raw in enumerate(entries):
                origin = Origin(source, (doc, kind, index))
                if not isinstance(raw, dict):
                    self.error(
                        source,
                        origin.path,
                        "schema",
                        f"each {KIND_NAMES[kind]} is a mapping with at least 'id' and 'title'",
                    )
                    continue
                self.raw_entries.append((kind, raw, origin))

    # -- pass 2: validate each entry --------------------------------------------------
    def validate(self) -> None:
        valid = self._validate_batches()
        for index, (kind, raw, origin) in enumerate(self.raw_entries):
            model_cls = ENTRY_MODELS[kind]
            found = valid.get(index)
            model, broken = (
                (found, False)
                if found is not None
                else self._validate_entry(model_cls, raw, origin)
            )
            if model is None:
                continue
            earlier = self.defined.get(model.id)
            if earlier is not None:
                _, first = earlier
                here = origin.locate("id")
                there = first.locate("id")
                self.catalog.diagnostics.append(
                    report(
                        here,
                        "duplicate-id",
                        f"duplicate id '{model.id}': already defined at {there}",
                        related=[there],
                    )
                )
                self.catalog.diagnostics.append(
                    report(
                        there,
                        "duplicate-id",
                        f"id '{model.id}' is defined again at {here}",
                        related=[here],
                    )
                )
                continue
            self.defined[model.id] = (kind, origin)
            self._register(kind, model, origin, broken)

    def _validate_batches(self) -> dict[int, Entry]:
        """Validate each kind's entries in one pydantic call; the entries of a kind
        with any error are validated again one by one, for their exact messages."""
        groups: dict[str, list[int]] = {}
        for index, (kind, _, _) in enumerate(self.raw_entries):
            groups.setdefault(kind, []).append(index)
        valid: dict[int, Entry] = {}
        for kind, indexes in groups.items():
            try:
                models = _ADAPTERS[kind].validate_python([self.raw_entries[i][1] for i in indexes])
            except ValidationError:
                continue
            valid.update(zip(indexes, models, strict=True))
        return valid

    def _validate_entry(
        self, model_cls: type[Entry], raw: dict[str, Any], origin: Origin
    ) -> tuple[Entry | None, bool]:
        try:
            return model_cls.model_validate(raw), False
        except ValidationError as exc:
            errors = exc.errors()
        for error in errors:
            loc = error["loc"]
            at_key = error["type"] == "extra_forbidden"
            path = (*origin.path, *loc)
            if error["type"] == "missing":
                path = (*origin.path, "id") if "id" in raw else origin.path
            self.error(origin.source, path, "schema", describe_error(error, model_cls), key=at_key)
        # Keep what is valid, so that one bad field does not hide the entry's id and
        # turn every reference to it into a second, false finding.
        bad = {str(e["loc"][0]) for e in errors if e["loc"]}
        if "id" in bad or "id" not in raw:
            return None, True
        cleaned = {k: v for k, v in raw.items() if k not in bad}
        for name, placeholder in PLACEHOLDERS.items():
            if (
                name in model_cls.model_fields
                and name not in cleaned
                and model_cls.model_fields[name].is_required()
            ):
                cleaned[name] = placeholder
        try:
            return model_cls.model_validate(cleaned), True
        except ValidationError:  # pragma: no cover - the cleaned entry keeps valid fields only
            return None, True

    def _register(self, kind: str, model: Entry, origin: Origin, broken: bool) -> None:
        catalog = self.catalog
        if isinstance(model, Competency):
            levels = tuple(model.levels or catalog.config.levels or ("1",))
            catalog.competencies[model.id] = CompetencyDef(model.id, model, levels, origin)
        elif isinstance(model, Credential):
            catalog.credentials[model.id] = CredentialDef(
                model.id, model, NOTHING, (), origin, broken
            )
        elif isinstance(model, Outcome):
            catalog.outcomes[model.id] = OutcomeDef(model.id, model, NOTHING, origin, broken)
        elif isinstance(model, Pathway):
            catalog.pathways[model.id] = PathwayDef(model.id, model, None, (), origin, broken)

    # -- pass 3: references --------------------------------------------------------------
    def resolve(self) -> None:
        catalog = self.catalog
        for credential in catalog.credentials.values():
            raw = credential.model.requires
            credential.requires = (
                NOTHING if raw is None else self._requirement(raw, credential.origin, "requires")
            )
            credential.grants = self._grants(credential)
            # Only a broken requirement keeps it from being earned; a bad url does not.
            credential.invalid = has_invalid(credential.requires)
        for outcome in catalog.outcomes.values():
            raw = outcome.model.requires
            if raw is None and outcome.invalid:
                outcome.requires = Invalid(outcome.origin.path)
            elif raw is None:
                self.error(
                    outcome.origin.source,
                    (*outcome.origin.path, "requires"),
                    "schema",
                    "'requires' is empty: an outcome needs at least one requirement",
                )
                outcome.requires = Invalid(outcome.origin.path)
            else:
                outcome.requires = self._requirement(raw, outcome.origin, "requires")
            outcome.invalid = outcome.invalid or has_invalid(outcome.requires)
        for pathway in catalog.pathways.values():
            self._pathway(pathway)
        self._assumed()

    def _reporter(self, source: SourceFile) -> Any:
        def report_(path: Path_, message: str, at_key: bool) -> None:
            self.error(source, path, "schema", message, key=at_key)

        return report_

    def _requirement(
        self, raw: Any, origin: Origin, field_: str | int, *more: str | int
    ) -> Requirement:
        path = (*origin.path, field_, *more)
        source = origin.source
        known = self.resolved

        def resolve(text: str, ref_path: Path_, report: Any) -> Requirement:
            hit = known.get(text)
            if hit is not None:  # the common case: this reference text was seen before
                return Ref(hit[0], hit[1], text, ref_path, hit[2])
            ref = parse_reference(text, ref_path, report)
            return Invalid(ref_path) if ref is None else self._resolve_ref(ref, source)

        return parse_requirement(raw, path, self._reporter(source), resolve)

    def _resolve_ref(self, ref: Ref, source: SourceFile, *, grant: bool = False) -> Requirement:
        """A reference in a requirement (or a grant) with its kind and level number."""
        found = self._resolve_new(ref, source, grant=grant)
        if isinstance(found, Ref) and not grant:
            self.resolved[ref.text] = (found.target, found.level, found.kind)
        return found

    def _resolve_new(self, ref: Ref, source: SourceFile, *, grant: bool) -> Requirement:
        catalog = self.catalog
        target = catalog.entry(ref.target)
        if target is None:
            self.error(
                source,
                ref.path,
                "unknown-reference",
                f"unknown {'competency' if grant else 'id'} '{ref.target}'"
                f"{self.suggest(ref.target, catalog.competencies if grant else self.defined)}",
            )
            return Invalid(ref.path)
        if isinstance(target, CompetencyDef):
            level = self._level(ref, target, source)
            if level is None:
                return Invalid(ref.path)
            return Ref(ref.target, level, ref.text, ref.path, "competency")
        what = (
            "an outcome"
            if isinstance(target, OutcomeDef)
            else "a pathway"
            if isinstance(target, PathwayDef)
            else "a credential"
        )
        if grant:
            self.error(
                source,
                ref.path,
                "wrong-reference",
                f"'{ref.target}' is {what}: grants lists competencies only",
            )
            return Invalid(ref.path)
        if not isinstance(target, CredentialDef):
            self.error(
                source,
                ref.path,
                "wrong-reference",
                f"'{ref.target}' is {what}; requirements name competencies and credentials",
            )
            return Invalid(ref.path)
        if ref.level is not None:
            self.error(
                source,
                ref.path,
                "wrong-reference",
                f"'{ref.text}': '{ref.target}' is a credential and has no levels; "
                f"write '{ref.target}'",
            )
            return Invalid(ref.path)
        return Ref(ref.target, None, ref.text, ref.path, "credential")

    def _level(self, ref: Ref, competency: CompetencyDef, source: SourceFile) -> int | None:
        levels = competency.levels
        if ref.level is None:
            return 1
        if isinstance(ref.level, int) and ref.level <= len(levels):
            return ref.level
        single = levels == ("1",)
        shown = "a single level" if single else f"{len(levels)} levels ({', '.join(levels)})"
        if isinstance(ref.level, int):
            self.error(
                source,
                ref.path,
                "wrong-reference",
                f"'{ref.text}': '{ref.target}' has {shown}; there is no level {ref.level}",
            )
            return None
        names = [name.casefold() for name in levels]
        if ref.level.casefold() in names:
            return names.index(ref.level.casefold()) + 1
        self.error(
            source,
            ref.path,
            "wrong-reference",
            f"'{ref.text}': '{ref.target}' has no level named '{ref.level}' ({shown})"
            f"{suggest(ref.level, levels)}",
        )
        return None

    def _grants(self, credential: CredentialDef) -> tuple[Ref, ...]:
        raw = credential.model.grants
        if raw is None:
            return ()
        path = (*credential.origin.path, "grants")
        items = (
            [(raw, path)]
            if isinstance(raw, str)
            else [(v, (*path, i)) for i, v in enumerate(raw)]
            if isinstance(raw, list)
            else None
        )
        source = credential.origin.source
        if items is None:
            self.error(source, path, "schema", "'grants' must be a list of competency references")
            return ()
        grants = []
        for value, item_path in items:
            ref = parse_reference(value, item_path, self._reporter(source))
            if ref is None:
                continue
            resolved = self._resolve_ref(ref, source, grant=True)
            if isinstance(resolved, Ref):
                grants.append(resolved)
        return tuple(grants)

    def _pathway(self, pathway: PathwayDef) -> None:
        origin = pathway.origin
        source = origin.source
        target = pathway.model.outcome
        if target != PLACEHOLDERS["outcome"] or not pathway.invalid:
            entry = self.catalog.entry(target)
            if entry is None:
                self.error(
                    source,
                    (*origin.path, "outcome"),
                    "unknown-reference",
                    f"unknown outcome '{target}'{suggest(target, self.catalog.outcomes)}",
                )
                pathway.invalid = True
            elif not isinstance(entry, OutcomeDef):
                self.error(
                    source,
                    (*origin.path, "outcome"),
                    "wrong-reference",
                    f"'{target}' is not an outcome: a pathway leads to an outcome",
                )
                pathway.invalid = True
            else:
                pathway.outcome = target
        raw = pathway.model.stages
        if not isinstance(raw, list) or not raw:
            self.error(
                source,
                (*origin.path, "stages"),
                "schema",
                "'stages' must be a non-empty list of stages, each a list of requirements",
            )
            pathway.invalid = True
            return
        stages = []
        for index, stage in enumerate(raw):
            items = stage if isinstance(stage, list) else [stage]
            if isinstance(stage, list) and not stage:
                self.error(
                    source,
                    (*origin.path, "stages", index),
                    "schema",
                    "an empty stage: give each stage at least one requirement",
                )
            parsed = []
            for item_index, item in enumerate(items):
                more = (index, item_index) if isinstance(stage, list) else (index,)
                parsed.append(self._requirement(item, origin, "stages", *more))
            stages.append(tuple(parsed))
        pathway.stages = tuple(stages)
        if any(has_invalid(item) for stage_items in pathway.stages for item in stage_items):
            pathway.invalid = True

    def _assumed(self) -> None:
        catalog = self.catalog
        source = catalog.config_source
        for index, text in enumerate(catalog.config.assumed):
            path = (0, "assumed", index)
            if source is None:  # pragma: no cover - a config with assumed has a file
                continue
            ref = parse_reference(text, path, self._reporter(source))
            if ref is None:
                continue
            competency = catalog.competencies.get(ref.target)
            if competency is None:
                entry = catalog.entry(ref.target)
                if entry is None:
                    self.error(
                        source,
                        path,
                        "unknown-reference",
                        f"unknown competency '{ref.target}' in assumed"
                        f"{suggest(ref.target, catalog.competencies)}",
                    )
                else:
                    self.error(
                        source,
                        path,
                        "wrong-reference",
                        f"'{ref.target}' is not a competency: "
                        "assumed lists the competencies every learner brings",
                    )
                continue
            level = (
                len(competency.levels)
                if ref.level is None
                else self._level(ref, competency, source)
            )
            if level is not None:
                catalog.assumed[ref.target] = max(level, catalog.assumed.get(ref.target, 0))


def build_catalog(
    config: Config, config_source: SourceFile | None, files: list[SourceFile]
) -> Catalog:
    """Validate every entry and resolve every reference of a loaded project."""
    builder = _Builder(config, config_source, files)
    builder.collect()
    builder.validate()
    builder.resolve()
    return builder.catalog


__all__ = ["All", "Catalog", "build_catalog"]
