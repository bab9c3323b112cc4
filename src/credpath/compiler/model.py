"""The curriculum format (docs/format.md sections 1 and 2) as pydantic models.

The models check each entry's fields. Requirement expressions and references are
declared here for the JSON Schema but parsed by ``requirements.py``, so that a
problem deep inside ``requires`` is reported at its own line and column.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)

ID_PATTERN = r"^[a-z0-9]+([-_.][a-z0-9]+)*$"
REFERENCE_PATTERN = r"^[a-z0-9]+([-_.][a-z0-9]+)*(@.+)?$"
URL_PATTERN = r"^https?://[^\s/$.?#][^\s]*$"
CREDENTIAL_TYPES = (
    "micro-credential",
    "course",
    "badge",
    "certificate",
    "certification",
    "license",
    "degree",
    "diploma",
    "apprenticeship",
    "assessment",
)
TYPE_PATTERN = rf"^({'|'.join(CREDENTIAL_TYPES)}|ext:[a-z0-9]+([-_.][a-z0-9]+)*)$"
HOURS_PER_ECTS = 25.0
"""Hours of learner work per ECTS credit: the ECTS Users' Guide (2015) puts one credit at
25 to 30 hours; credpath takes the low end, everywhere (pathways, import, metrics)."""
KINDS = ("outcomes", "competencies", "credentials", "pathways")

Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=80, description="A unique id.")]
TEXT_PATTERN = r"\S"
"""Text holds something printable: a title of spaces is as good as none."""
Text = Annotated[
    str,
    Field(pattern=TEXT_PATTERN),
    WithJsonSchema({"type": ["string", "number", "boolean"], "pattern": TEXT_PATTERN}),
]
"""Free text; any plain scalar is read as the text it is written as (`isco: 2511`)."""
Url = Annotated[str, Field(pattern=URL_PATTERN, description="An http or https URL.")]


def plain_number(value: Any, info: ValidationInfo) -> Any:
    """Numbers are read from text; the text must be the number alone, as YAML writes it.

    ``hours: ' 5'`` is refused like ``choose: ' 1'``: one rule for every number.
    """
    if isinstance(value, str):
        if value != value.strip():
            raise ValueError(
                f"'{info.field_name}' must be a number without spaces around it, got '{value}'"
            )
        if value.lstrip("+-.").lower() in {"nan", "inf", "infinity"}:
            raise ValueError(f"'{info.field_name}' must be a finite number, got '{value}'")
    return value


Hours = Annotated[
    float,
    BeforeValidator(plain_number),
    Field(gt=0, le=100_000, allow_inf_nan=False),
]
"""At most 100,000 hours (about fifty years of full-time study): more is a typo, and a
bound keeps every sum finite."""
Credits = Annotated[
    float, BeforeValidator(plain_number), Field(gt=0, le=1_000, allow_inf_nan=False)
]
Level = Annotated[int, BeforeValidator(plain_number), Field(ge=1, le=8)]
MiB = Annotated[float, BeforeValidator(plain_number), Field(gt=0, le=1024, allow_inf_nan=False)]
Reference = Annotated[
    str,
    WithJsonSchema({"x-credpath-def": "Reference"}),
    Field(description="`ID` or `ID@LEVEL`."),
]
Requirement = Annotated[
    Any,
    WithJsonSchema({"x-credpath-def": "Requirement"}),
    Field(description="A reference, a list (all of them), or an all/any/choose expression."),
]
ReferenceList = Annotated[
    Any,
    WithJsonSchema(
        {
            "anyOf": [
                {"x-credpath-def": "Reference"},
                {"type": "array", "items": {"x-credpath-def": "Reference"}},
            ]
        }
    ),
]

_REQ_MARK = {"x-credpath-def": "Requirement"}
"""Pydantic resolves $refs while it builds a schema; these markers become $refs after."""
_REF_NAME = {"$ref": "#/$defs/Reference"}
_REQ = {"$ref": "#/$defs/Requirement"}
REQUIREMENT_DEFS: dict[str, Any] = {
    "Reference": {
        "type": "string",
        "pattern": REFERENCE_PATTERN,
        "description": "`ID` (a competency at level 1, or a credential) or `ID@LEVEL` "
        "(a competency at a level number from 1 or a level name).",
    },
    "Requirement": {
        "description": "A reference; a list (all of them); or {all: [...]}, {any: [...]}, "
        "{choose: N, from: [...]}, nested freely.",
        "anyOf": [
            _REF_NAME,
            {"type": "array", "items": _REQ},
            {
                "type": "object",
                "properties": {"all": {"type": "array", "minItems": 1, "items": _REQ}},
                "required": ["all"],
                "additionalProperties": False,
            },
            {
                "type": "object",
                "properties": {"any": {"type": "array", "minItems": 1, "items": _REQ}},
                "required": ["any"],
                "additionalProperties": False,
            },
            {
                "type": "object",
                "properties": {
                    "choose": {"type": "integer", "minimum": 1},
                    "from": {"type": "array", "minItems": 1, "items": _REQ},
                },
                "required": ["choose", "from"],
                "additionalProperties": False,
            },
        ],
    },
}


class Strict(BaseModel):
    """Unknown keys are errors everywhere: they are usually typos."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Align(Strict):
    framework: Text
    uri: Url | None = None
    code: Text | None = None
    name: Text | None = None

    @model_validator(mode="after")
    def _uri_or_code(self) -> Align:
        if self.uri is None and self.code is None:
            raise ValueError("an alignment needs a 'uri' or a 'code'")
        return self


class Occupation(Strict):
    esco: Url | None = None
    onet: Text | None = None
    isco: Text | None = None


class Workload(Strict):
    hours: Hours | None = None
    ects: Credits | None = None

    @model_validator(mode="after")
    def _hours_or_ects(self) -> Workload:
        if self.hours is None and self.ects is None:
            raise ValueError("a workload needs 'hours' or 'ects'")
        return self

    @model_validator(mode="wrap")
    @classmethod
    def _shared(cls, data: Any, handler: ModelWrapValidatorHandler[Workload]) -> Workload:
        """One model for every workload written alike: a catalog's credentials take a few
        dozen workloads between them, and a model each (300 bytes with its floats) was
        15 MiB of 50,000 credentials. The models are frozen, so sharing cannot leak."""
        model = handler(data)
        key = (model.hours, model.ects, frozenset(model.model_fields_set))
        shared = _WORKLOADS.get(key)
        if shared is not None:
            return shared
        if len(_WORKLOADS) < SHARED_WORKLOADS:
            _WORKLOADS[key] = model
        return model


SHARED_WORKLOADS = 4096
"""The most distinct workloads shared (``Workload._shared``): far more than a catalog
writes, and a bound on what a hostile one can make this process keep."""
_WORKLOADS: dict[tuple[float | None, float | None, frozenset[str]], Workload] = {}


class Entry(Strict):
    id: Id
    title: Text
    description: Text | None = None

    @model_validator(mode="wrap")
    @classmethod
    def _compact(cls, data: Any, handler: ModelWrapValidatorHandler[Entry]) -> Entry:
        """The entry with its fields in a dict that shares its key table with every other
        entry of its kind (``_shared_keys_dict``)."""
        model = handler(data)
        object.__setattr__(model, "__dict__", _shared_keys_dict(model.__dict__, type(model)))
        return model


def _shared_keys_dict(fields: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    """``fields`` copied into a dict whose keys live in one table shared by all the dicts
    made for ``model`` (CPython's key-sharing instance dictionaries, PEP 412).

    Pydantic gives each model a dict of its own: 470 bytes for a credential's 16 fields,
    24 MiB at 50,000 credentials, and in the same allocator pools as the documents'
    dicts, which are freed once the entries are validated, so their memory stayed
    reserved too. A plain object's attribute dict keeps only the values (230 bytes).
    Anything that adds a key turns such a dict into an ordinary one: the sharing is
    only ever a saving."""
    holder = _HOLDERS.get(model)
    if holder is None:
        holder = _HOLDERS[model] = type(f"{model.__name__}Fields", (), {})
    values = holder()
    for name, value in fields.items():
        setattr(values, name, value)
    shared: dict[str, Any] = values.__dict__
    return shared


_HOLDERS: dict[type[BaseModel], type] = {}
"""Per model class, the plain class whose instances' dicts share their key table."""


CTID = Annotated[
    str,
    Field(
        pattern=r"^ce-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        description="Its CTID in the Credential Registry, when it has one already "
        "(else export ctdl derives one from base_uri and the id).",
    ),
]


class Competency(Entry):
    kind: Literal["skill", "knowledge", "competence"] | None = None
    levels: Annotated[list[Text], Field(min_length=1)] | None = Field(
        default=None, description="Level names, lowest first; default: the project's levels."
    )
    aligns: list[Align] | None = None
    ctid: CTID | None = None


class Outcome(Entry):
    occupation: Occupation | None = None
    ctid: CTID | None = None
    requires: Requirement


class Credential(Entry):
    type: Annotated[str, Field(pattern=TYPE_PATTERN)]
    provider: Text | None = None
    url: Url | None = None
    status: Literal["draft", "active", "retired"] = "active"
    workload: Workload | None = None
    eqf: Level | None = None
    assessment: Text | None = None
    participation: Literal["online", "in-person", "blended"] | None = None
    quality_assurance: Text | None = None
    ctid: CTID | None = None
    ctdl_type: Text | None = Field(
        None,
        description="The CTDL class to publish it as (BachelorDegree, ...): needed for a "
        "degree and for ext: types.",
    )
    requires: Requirement = None
    grants: ReferenceList = None


class Pathway(Entry):
    outcome: Id
    stages: Annotated[
        Any,
        WithJsonSchema(
            {"type": "array", "minItems": 1, "items": {"type": "array", "items": _REQ_MARK}}
        ),
        Field(description="Ordered stages; each stage is a requirement list."),
    ]


ENTRY_MODELS: dict[str, type[Entry]] = {
    "outcomes": Outcome,
    "competencies": Competency,
    "credentials": Credential,
    "pathways": Pathway,
}


class CurriculumFile(Strict):
    """A curriculum file: any of four lists."""

    model_config = ConfigDict(
        extra="forbid",
        title="credpath curriculum file",
    )

    outcomes: list[Outcome] | None = None
    competencies: list[Competency] | None = None
    credentials: list[Credential] | None = None
    pathways: list[Pathway] | None = None


RuleLevel = Literal["error", "warning", "info", "off"]


class Config(Strict):
    """credpath.yaml: all keys optional."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="credpath project configuration",
    )

    name: Text | None = None
    base_uri: Url | None = None
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = Field(
        "en", description="The language of the catalog's text (BCP 47), for exports."
    )
    publisher: Text | None = Field(
        None, description="The organization that publishes the pathways (CTDL owner)."
    )
    site_url: Url | None = Field(
        None, description="Where the learner site is published (default: base_uri)."
    )
    framework_ctid: CTID | None = None
    levels: Annotated[list[Text], Field(min_length=1)] | None = None
    assumed: list[Reference] = []
    exclude: list[str] = []
    rules: dict[str, RuleLevel] = {}
    max_file_mib: MiB = 10.0
