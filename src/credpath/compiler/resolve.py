"""Ids and references -> a Catalog: every entry validated, every reference resolved.

What does not fit is recorded as a fact (``credpath.compiler.facts``) on the catalog, at
its place in the file; the rules schema, duplicate-id, unknown-reference and
wrong-reference phrase them. A broken entry keeps its id where it can, so that
references to it do not turn into second, false findings.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from credpath.compiler.facts import (
    DuplicateId,
    FieldError,
    Malformed,
    Origin,
    Place,
    ResolveFact,
    UnknownReference,
    WrongReference,
)
from credpath.compiler.loader import Path_, SourceFile
from credpath.compiler.model import (
    ENTRY_MODELS,
    KINDS,
    Competency,
    Config,
    Credential,
    Entry,
    Outcome,
    Pathway,
)
from credpath.compiler.requirements import (
    NOTHING,
    All,
    Invalid,
    Ref,
    Requirement,
    has_invalid,
    level_number,
    parse_reference,
    parse_requirement,
)

KIND_NAMES = {
    "outcomes": "outcome",
    "competencies": "competency",
    "credentials": "credential",
    "pathways": "pathway",
}


@dataclass(slots=True)
class CompetencyDef:
    id: str
    model: Competency
    levels: tuple[str, ...]
    origin: Origin


@dataclass(slots=True)
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


@dataclass(slots=True)
class OutcomeDef:
    id: str
    model: Outcome
    requires: Requirement
    origin: Origin
    invalid: bool = False


@dataclass(slots=True)
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
    facts: list[ResolveFact] = field(default_factory=list)
    """What did not fit, for the rules to report."""

    @property
    def ids(self) -> dict[str, object]:
        """Every id defined, of any kind."""
        return {**self.pathways, **self.outcomes, **self.competencies, **self.credentials}

    @property
    def name(self) -> str:
        return self.config.name or UNNAMED

    def entry(self, id_: str) -> AnyDef | None:
        return (
            self.credentials.get(id_)
            or self.competencies.get(id_)
            or self.outcomes.get(id_)
            or self.pathways.get(id_)
        )


UNNAMED = "credpath project"
"""The name of a project whose credpath.yaml gives none."""

BATCH = 1000
"""Entries validated per pydantic call: one call for many is fast, and batches let the
sets ``share_fields_set`` drops be reused by the next batch instead of piling up."""


def share_fields_set(model: BaseModel, shared: dict[frozenset[str], set[str]]) -> None:
    """Give ``model`` (and the models in its fields) the one set of its given field names
    that every model with the same names shares.

    Pydantic keeps on each model the names of the fields its input gave (a set of 728
    bytes on a credential); a catalog's entries give the same few sets over and over.
    The models are frozen, so no set is added to once made: 50,000 credentials take
    about 45 MiB less.
    """
    names = model.__pydantic_fields_set__
    object.__setattr__(model, "__pydantic_fields_set__", shared.setdefault(frozenset(names), names))
    for value in model.__dict__.values():
        if isinstance(value, BaseModel):
            share_fields_set(value, shared)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, BaseModel):
                    share_fields_set(item, shared)


_ADAPTERS: dict[str, TypeAdapter[list[Any]]] = {
    kind: TypeAdapter(list[model])  # type: ignore[valid-type]
    for kind, model in ENTRY_MODELS.items()
}
"""One validator per kind for whole lists: much less overhead than one call per entry."""

_FIELDS_SETS: dict[frozenset[str], set[str]] = {}
"""The field-name sets validated models share (``share_fields_set``): a few, whatever
the catalog's size, and never added to (the models are frozen)."""


@dataclass(frozen=True)
class _Misshapen:
    """A place where a file's documents are not shaped as a catalog: not a mapping of
    kinds to lists of entry mappings (a ``schema`` finding, ``rules/schema.py``)."""

    path: Path_
    code: str
    key: bool = False
    kind: str | None = None


def _walk(source: SourceFile) -> Iterator[tuple[str, Path_, dict[str, Any]] | _Misshapen]:
    """Each entry of a file (its kind, its path, its mapping), in order, and each place
    where the documents are misshapen."""
    for doc, document in enumerate(source.documents):
        if document is None:
            continue
        if not isinstance(document, dict):
            yield _Misshapen((doc,), "file-not-mapping")
            continue
        for kind, entries in document.items():
            if kind not in KINDS:
                yield _Misshapen((doc, kind), "unknown-kind", key=True, kind=kind)
            elif entries is None:
                continue
            elif not isinstance(entries, list):
                yield _Misshapen((doc, kind), "kind-not-list", kind=kind)
            else:
                for index, raw in enumerate(entries):
                    path = (doc, kind, index)
                    if isinstance(raw, dict):
                        yield kind, path, raw
                    else:
                        yield _Misshapen(path, "entry-not-mapping", kind=KIND_NAMES[kind])


def prevalidate(source: SourceFile) -> None:
    """Validate a file's entries as soon as it is parsed, one pydantic call per kind, into
    ``source.validated``: while the other files are still being parsed, this process has
    time to spare. An entry of a call that fails is left for ``build_catalog``, which
    validates it on its own for its exact messages."""
    groups: dict[str, list[tuple[Path_, dict[str, Any]]]] = {}
    for item in _walk(source):
        if not isinstance(item, _Misshapen):
            kind, path, raw = item
            groups.setdefault(kind, []).append((path, raw))
    for kind, entries in groups.items():
        try:
            models = _ADAPTERS[kind].validate_python([raw for _, raw in entries])
        except ValidationError:
            continue
        for (path, _), model in zip(entries, models, strict=True):
            share_fields_set(model, _FIELDS_SETS)
            source.validated[path] = model


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
        self,
        config: Config,
        config_source: SourceFile | None,
        files: list[SourceFile],
        remember: bool,
    ) -> None:
        self.catalog = Catalog(config, config_source, files)
        self.remember = remember
        self.defined: dict[str, tuple[str, Origin]] = {}
        self.raw_entries: list[tuple[str, dict[str, Any], Origin]] = []
        self.resolved: dict[str, tuple[str, int | str | None, str]] = {}
        """Requirement texts already resolved (target, level, kind): ids repeat a lot."""
        self.filled: dict[tuple[str, Path_], set[str]] = {}
        """Per entry (``Origin.key``), the required fields it lacked and was given stand-ins."""
        self.owner: str | None = None
        """The id of the entry being resolved, for the facts found in it."""

    def fact(self, fact: ResolveFact) -> None:
        self.catalog.facts.append(fact)

    def malformed(
        self, source: SourceFile, path: Path_, code: str, key: bool = False, **detail: Any
    ) -> None:
        self.fact(Malformed(Place(source, path, key), code, detail, self.owner))

    # -- pass 1: entries and ids -------------------------------------------------------
    def collect(self) -> None:
        for source in self.catalog.files:
            for item in _walk(source):
                if isinstance(item, _Misshapen):
                    detail = {"kind": item.kind} if item.kind is not None else {}
                    self.malformed(source, item.path, item.code, key=item.key, **detail)
                else:
                    kind, path, raw = item
                    self.raw_entries.append((kind, raw, Origin(source, path)))

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
                self.fact(DuplicateId(model.id, KIND_NAMES[kind], origin, earlier[1], raw))
                continue
            self.defined[model.id] = (kind, origin)
            self._register(kind, model, origin, broken)

    def _validate_batches(self) -> dict[int, Entry]:
        """Validate each kind's entries ``BATCH`` at a time, one pydantic call each; the
        entries of a batch with any error are validated again one by one, for their
        exact messages."""
        groups: dict[str, list[int]] = {}
        for index, (kind, _, _) in enumerate(self.raw_entries):
            groups.setdefault(kind, []).append(index)
        valid: dict[int, Entry] = {}
        for kind, indexes in groups.items():
            todo = []
            for index in indexes:
                origin = self.raw_entries[index][2]
                known = origin.source.validated.get(origin.path)
                if known is not None:
                    valid[index] = known
                else:
                    todo.append(index)
            for start in range(0, len(todo), BATCH):
                batch = todo[start : start + BATCH]
                try:
                    models = _ADAPTERS[kind].validate_python(
                        [self.raw_entries[i][1] for i in batch]
                    )
                except ValidationError:
                    continue  # these entries are validated one by one
                for index, model in zip(batch, models, strict=True):
                    share_fields_set(model, _FIELDS_SETS)
                    valid[index] = model
                    if self.remember:
                        origin = self.raw_entries[index][2]
                        origin.source.validated[origin.path] = model
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
            owner = raw.get("id") if isinstance(raw.get("id"), str) else None
            self.fact(FieldError(Place(origin.source, path, at_key), error, model_cls, owner))
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
                self.filled.setdefault(origin.key, set()).add(name)
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
        names = self._names() if self.remember else None
        for credential in catalog.credentials.values():
            self.owner = credential.id
            cache = credential.origin.source.resolved
            known = cache.get(credential.origin.path) if names is not None else None
            if known is not None and known[0] == names and known[1] is credential.model:
                _, _, credential.requires, credential.grants, facts = known
                catalog.facts.extend(facts)
            else:
                before = len(catalog.facts)
                raw = credential.model.requires
                credential.requires = (
                    NOTHING
                    if raw is None
                    else self._requirement(raw, credential.origin, "requires")
                )
                credential.grants = self._grants(credential)
                if self.remember:
                    cache[credential.origin.path] = (
                        names,
                        credential.model,
                        credential.requires,
                        credential.grants,
                        tuple(catalog.facts[before:]),
                    )
            # Only a broken requirement keeps it from being earned; a bad url does not.
            credential.invalid = has_invalid(credential.requires)
        for outcome in catalog.outcomes.values():
            self.owner = outcome.id
            raw = outcome.model.requires
            if raw is None and outcome.invalid:
                outcome.requires = Invalid(outcome.origin.path)
            elif raw is None:
                self.malformed(
                    outcome.origin.source, (*outcome.origin.path, "requires"), "empty-requires"
                )
                outcome.requires = Invalid(outcome.origin.path)
            else:
                outcome.requires = self._requirement(raw, outcome.origin, "requires")
            outcome.invalid = outcome.invalid or has_invalid(outcome.requires)
        for pathway in catalog.pathways.values():
            self.owner = pathway.id
            self._pathway(pathway)
        self.owner = None
        self._assumed()

    def _names(self) -> int:
        """A fingerprint of what references resolve against: every id, its kind, and each
        competency's levels. A file kept in memory (the language server) reuses its
        credentials' resolved references while this is unchanged."""
        catalog = self.catalog
        return hash(
            (
                tuple(catalog.credentials),
                tuple(catalog.outcomes),
                tuple(catalog.pathways),
                tuple((c.id, c.levels) for c in catalog.competencies.values()),
            )
        )

    def _reporter(self, source: SourceFile) -> Any:
        def report_(path: Path_, message: str, at_key: bool) -> None:
            self.malformed(source, path, "requirement", key=at_key, message=message)

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
            expected = "competency" if grant else "id"
            self.fact(UnknownReference(Place(source, ref.path), ref.target, expected, self.owner))
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
        code = (
            "grant-not-competency"
            if grant
            else "requirement-names"
            if not isinstance(target, CredentialDef)
            else "credential-level"
            if ref.level is not None
            else None
        )
        if code is not None:
            self.wrong(source, ref, code, what=what)
            return Invalid(ref.path)
        return Ref(ref.target, None, ref.text, ref.path, "credential")

    def wrong(self, source: SourceFile, ref: Ref, code: str, **more: Any) -> None:
        self.fact(
            WrongReference(
                Place(source, ref.path), code, ref.text, ref.target, owner=self.owner, **more
            )
        )

    def _level(self, ref: Ref, competency: CompetencyDef, source: SourceFile) -> int | None:
        levels = competency.levels
        number = level_number(ref.level, levels)
        if number is not None:
            return number
        code = "no-level" if isinstance(ref.level, int) else "no-level-name"
        self.wrong(source, ref, code, levels=levels, level=ref.level)
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
            self.malformed(source, path, "grants-not-list")
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
            place = Place(source, (*origin.path, "outcome"))
            if entry is None:
                self.fact(UnknownReference(place, target, "outcome", pathway.id))
                pathway.invalid = True
            elif not isinstance(entry, OutcomeDef):
                self.fact(
                    WrongReference(place, "pathway-outcome", target, target, owner=pathway.id)
                )
                pathway.invalid = True
            else:
                pathway.outcome = target
        raw = pathway.model.stages
        if not isinstance(raw, list) or not raw:
            if "stages" not in self.filled.get(origin.key, ()):  # else reported as missing
                self.malformed(source, (*origin.path, "stages"), "stages-not-list")
            pathway.invalid = True
            return
        stages = []
        for index, stage in enumerate(raw):
            items = stage if isinstance(stage, list) else [stage]
            if isinstance(stage, list) and not stage:
                self.malformed(source, (*origin.path, "stages", index), "empty-stage")
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
                    expected = "assumed competency"
                    self.fact(UnknownReference(Place(source, path), ref.target, expected))
                else:
                    self.wrong(source, ref, "assumed-not-competency")
                continue
            level = (
                len(competency.levels)
                if ref.level is None
                else self._level(ref, competency, source)
            )
            if level is not None:
                catalog.assumed[ref.target] = max(level, catalog.assumed.get(ref.target, 0))


def build_catalog(
    config: Config,
    config_source: SourceFile | None,
    files: list[SourceFile],
    *,
    remember: bool = False,
) -> Catalog:
    """Validate every entry and resolve every reference of a loaded project.

    Entries already validated (``SourceFile.validated``: by ``prevalidate``, or by an
    earlier build) are taken as they are. ``remember``: keep each file's validated
    entries and resolved references on it (``.validated``, ``.resolved``), and reuse
    those kept by an earlier build, for a process that checks the same files again
    after an edit (the language server); a single command keeps neither, nor
    fingerprints the ids.
    """
    builder = _Builder(config, config_source, files, remember)
    builder.collect()
    builder.validate()
    if not remember:
        for source in files:
            source.validated = {}  # the catalog holds the models
    builder.resolve()
    return builder.catalog


__all__ = ["All", "Catalog", "build_catalog", "prevalidate"]
