"""JSON Schema for editors, generated from the models."""

from __future__ import annotations

import json

from credpath.model import Config, CurriculumFile

SCHEMA_ID = "https://credpath.dev/schemas/{kind}.schema.json"


def json_schema(kind: str) -> str:
    model = CurriculumFile if kind == "curriculum" else Config
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID.format(kind=kind),
        **model.model_json_schema(),
    }
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
