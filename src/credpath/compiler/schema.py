"""JSON Schema for editors, generated from the models."""

from __future__ import annotations

import json
from typing import Any

from credpath.compiler.model import REQUIREMENT_DEFS, Config, CurriculumFile

SCHEMA_ID = "https://credpath.dev/schemas/{kind}.schema.json"
_MARK = "x-credpath-def"


def _link(node: Any) -> Any:
    """Turn the models' markers into $refs to the hand-written requirement definitions."""
    if isinstance(node, dict):
        if _MARK in node:
            return {"$ref": f"#/$defs/{node[_MARK]}"}
        return {key: _link(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_link(item) for item in node]
    return node


def json_schema(kind: str) -> str:
    model = CurriculumFile if kind == "curriculum" else Config
    schema = _link(model.model_json_schema())
    schema.setdefault("$defs", {}).update(REQUIREMENT_DEFS)
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID.format(kind=kind),
        **schema,
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"
