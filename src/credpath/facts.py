"""What loading and resolving found wrong, as data: the rules phrase these as findings.

The loader and the resolver do not write messages; they record facts: where a
problem is (a source and a path in it), and what is known about it. Each kind of
fact belongs to one rule (``rules/yaml_syntax.py`` reads ``Unparsable``,
``rules/unknown_reference.py`` reads ``UnknownReference``, ...), which decides
how to say it and what the author should do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic_core import ErrorDetails

    from credpath.loader import Path_, SourceFile
    from credpath.resolve import Origin


@dataclass(frozen=True)
class Place:
    """A value (or a mapping key) in a file."""

    source: SourceFile
    path: Path_
    at_key: bool = False


@dataclass(frozen=True)
class Unparsable:
    """A file that cannot be read as safe YAML (0-based line and column of the problem)."""

    source: SourceFile
    line: int
    column: int
    reason: str
    yaml: bool = True
    """A complaint of the YAML parser (else: the bytes could not be read or decoded)."""
    context: str = ""
    """What the parser was reading, e.g. "while scanning a quoted scalar"."""
    context_at: tuple[int, int] | None = None
    """Where that began (0-based line and column)."""


@dataclass(frozen=True)
class DuplicateKey:
    source: SourceFile
    key: str
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class FieldError:
    """A field of an entry (or of credpath.yaml) that its model refuses."""

    place: Place
    error: ErrorDetails
    model: type[BaseModel]
    owner: str | None = None
    """The id of the entry it belongs to, when the entry has one."""


@dataclass(frozen=True)
class Malformed:
    """Something in the wrong shape: ``code`` names which, ``detail`` fills in the words."""

    place: Place
    code: str
    detail: dict[str, Any]
    owner: str | None = None


@dataclass(frozen=True)
class DuplicateId:
    id: str
    kind: str
    """What the later definition is: credential, competency, outcome, pathway."""
    here: Origin
    first: Origin
    raw: dict[str, Any]
    """The later entry as written (it is dropped; its grants may explain a gap)."""


@dataclass(frozen=True)
class UnknownReference:
    place: Place
    target: str
    expected: str
    """What was expected there: "id", "competency", "outcome" or "assumed competency"."""
    owner: str | None = None


@dataclass(frozen=True)
class WrongReference:
    """A reference to something that exists but does not fit where it is written.

    ``code``: "grant-not-competency", "requirement-names" (an outcome or pathway),
    "credential-level", "no-level", "no-level-name", "pathway-outcome",
    "assumed-not-competency".
    """

    place: Place
    code: str
    text: str
    target: str
    what: str = ""
    """What the target is: "an outcome", "a pathway", "a credential"."""
    levels: tuple[str, ...] = ()
    level: int | str | None = None
    owner: str | None = None


ResolveFact = FieldError | Malformed | DuplicateId | UnknownReference | WrongReference
"""What the resolver records on the catalog (the loader's facts stay on each file)."""
