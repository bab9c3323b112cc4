"""A missing field, a wrong type, an unknown key, a bad id, a bad URL or a bad level.

Unknown keys are errors everywhere: they are usually typos. Always an error.

Failing::

    credentials:
      - id: SQL Foundations
        titel: SQL Foundations
        type: course
        url: ftp://example.edu/sql

Gives::

    curriculum.yaml:2:9: error: 'SQL Foundations' is not a valid id: use lowercase letters, digits
      and single '-', '_' or '.' between them, at most 80 characters [schema]
    curriculum.yaml:2:9: error: missing required field 'title' [schema]
    curriculum.yaml:3:5: error: unknown key 'titel' (did you mean 'title'?) [schema]
    curriculum.yaml:5:10: error: 'url' must be an http or https URL, got 'ftp://example.edu/sql'
      [schema]

Passing::

    credentials:
      - id: sql-foundations
        title: SQL Foundations
        type: course
        url: https://example.edu/sql
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.base.diagnostics import Diagnostic, Severity
from credpath.base.text import suggest
from credpath.checks.context import Context, at_place, part_subject
from credpath.checks.rules.base import Rule
from credpath.compiler.facts import FieldError, Malformed
from credpath.compiler.model import KINDS
from credpath.compiler.model_errors import describe_error

ID = "schema"

SHAPES = {
    "file-not-mapping": "a curriculum file is a mapping with any of the keys "
    "outcomes, competencies, credentials, pathways",
    "unknown-kind": "unknown top-level key '{kind}'{hint}: a curriculum file holds outcomes, "
    "competencies, credentials and pathways",
    "kind-not-list": "'{kind}' must be a list of entries",
    "entry-not-mapping": "each {kind} is a mapping with at least 'id' and 'title'",
    "empty-requires": "'requires' is empty: an outcome needs at least one requirement",
    "requirement": "{message}",
    "grants-not-list": "'grants' must be a list of competency references",
    "stages-not-list": "'stages' must be a non-empty list of stages, each a list of requirements",
    "empty-stage": "an empty stage: give each stage at least one requirement",
}
"""What each ``Malformed`` code says; ``{...}`` are filled from the fact's detail."""


def check(ctx: Context) -> Iterator[Diagnostic]:
    catalog = ctx.catalog
    for fact in catalog.facts:
        if isinstance(fact, FieldError):
            message = describe_error(fact.error, fact.model)
        elif isinstance(fact, Malformed):
            detail = dict(fact.detail)
            if fact.code == "unknown-kind":
                detail["hint"] = suggest(detail["kind"], KINDS)
            message = SHAPES[fact.code].format(**detail)
        else:
            continue
        place = fact.place
        subject = part_subject(catalog, place.source, place.path, fact.owner)
        yield at_place(place, ID, message, subject=subject)


RULE = Rule(ID, __doc__ or "", check, Severity.ERROR, fixed=True)
