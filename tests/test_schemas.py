"""The checked-in JSON Schemas are what the models generate, and they accept the examples."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from credpath.compiler.schema import json_schema

ROOT = Path(__file__).parents[1]


@pytest.mark.parametrize("kind", ["curriculum", "config"])
def test_checked_in_schema_is_current(kind: str) -> None:
    checked_in = (ROOT / f"schemas/{kind}.schema.json").read_text(encoding="utf-8")
    assert checked_in == json_schema(kind), (
        f"run `make schemas` to refresh schemas/{kind}.schema.json"
    )


def test_example_curricula_match_the_schemas() -> None:
    curriculum = json.loads(json_schema("curriculum"))
    config = json.loads(json_schema("config"))
    files = sorted((ROOT / "curricula").rglob("*.yaml"))
    assert files
    for path in files:
        schema = config if path.name == "credpath.yaml" else curriculum
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            jsonschema.validate(document or {}, schema)


def test_schema_rejects_a_typo_and_accepts_a_requirement_tree() -> None:
    schema = json.loads(json_schema("curriculum"))
    good = {
        "credentials": [
            {
                "id": "cert",
                "title": "Certificate",
                "type": "certificate",
                "requires": {"all": ["sql@2", {"choose": 2, "from": ["a", "b", "c"]}]},
            }
        ]
    }
    jsonschema.validate(good, schema)
    bad = {"credentials": [{"id": "cert", "titel": "Certificate", "type": "certificate"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
