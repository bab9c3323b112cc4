"""Pydantic's validation errors in words an author understands.

The model's own knowledge (its fields, its patterns, the credential types): the schema
rule phrases a curriculum entry's errors with it, and credpath.yaml's loader its own.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from credpath.base.text import closest, suggest
from credpath.compiler.model import CREDENTIAL_TYPES, TEXT_PATTERN


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
    if kind == "string_pattern_mismatch" and error.get("ctx", {}).get("pattern") == TEXT_PATTERN:
        if isinstance(loc[-1], int) and len(loc) > 1:
            return f"item {loc[-1] + 1} of '{loc[-2]}' is blank: write its text"
        return f"'{name}' is blank: write its text{_or_leave_out(model, loc)}"
    if kind in {"string_pattern_mismatch", "string_too_long"} and name in {"id", "outcome"}:
        return (
            f"'{value}' is not a valid id: use lowercase letters, digits and single '-', '_' "
            "or '.' between them, at most 80 characters"
        )
    if kind == "string_pattern_mismatch" and name == "type":
        likely = closest(str(value), CREDENTIAL_TYPES)
        if likely is not None:
            return f"unknown credential type '{value}' (did you mean '{likely}'?)"
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
    if kind == "finite_number":
        return f"'{name}' must be a finite number, got '{value}'"
    if kind in {"int_parsing", "float_parsing", "int_type", "float_type", "int_from_float"}:
        return f"'{name}' must be a number, got '{value}'"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    msg = str(error["msg"])
    if kind == "literal_error":
        return f"'{name}': {msg[0].lower()}{msg[1:]}, got '{value}'"
    return f"'{name}': {msg[0].lower()}{msg[1:]}"


def _or_leave_out(model: type[BaseModel], loc: tuple[int | str, ...]) -> str:
    """ ", or leave it out" when the field at ``loc`` is optional."""
    field = _field_infos(model, loc[:-1]).get(str(loc[-1])) if loc else None
    return ", or leave it out" if field is not None and not field.is_required() else ""


def _fields_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """Field names of the (nested) model at ``loc``, for "did you mean"."""
    return list(_field_infos(model, loc))


def _field_infos(model: type[BaseModel], loc: tuple[int | str, ...]) -> dict[str, Any]:
    """The fields of the (nested) model at ``loc``; none when ``loc`` leads to no model."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return {}
        current = _model_of(info.annotation)
    return dict(getattr(current, "model_fields", {}))


def _model_of(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_of(arg)
        if found is not None:
            return found
    return None
