"""What loading and resolving found wrong, as data: the rules phrase these as findings.

The loader and the resolver do not write messages; they record facts: where a
problem is (a source and a path in it), and what is known about it. Each kind of
fact belongs to one rule (``rules/unknown_reference.py`` reads ``UnknownReference``,
...), which decides how to say it and what the author should do. The loader's own
facts (``Unparsable``, ``DuplicateKey``) live with the loader, below this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from credpath.base.diagnostics import Location
from credpath.compiler.loader import Path_, SourceFile

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic_core import ErrorDetails


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an entry was written: its file and its path in that file."""

    source: SourceFile
    path: Path_

    @property
    def key(self) -> tuple[str, Path_]:
        """Hashable: which entry of which file."""
        return (self.source.display, self.path)

    def locate(self, *parts: str | int, key: bool = False) -> Location:
        line, column, end_line, end_column = self.source.locate((*self.path, *parts), key=key)
        return Location(self.source.display, line, column, end_line, end_column)


@dataclass(frozen=True)
class Place:
    """A value (or a mapping key) in a file."""

    source: SourceFile
    path: Path_
    at_key: bool = False


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
