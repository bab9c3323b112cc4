"""Requirement expressions and references, parsed with a position for every part.

``requires: [sql@2, {any: [python-for-data, r-for-data]}]`` becomes
``All((Ref('sql', 2), AnyOf((Ref('python-for-data'), Ref('r-for-data')))))``.
A part that cannot be parsed becomes ``Invalid``: never satisfied, and already
reported, so later checks do not report it again.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from sys import intern
from typing import Any, ClassVar, NamedTuple

from credpath.compiler.loader import Path_
from credpath.compiler.model import ID_PATTERN

_ID = re.compile(ID_PATTERN)
_NUMBER = re.compile(r"[+-]?[0-9]+")

SPLITS_KEPT = 4096
"""References split (``_split``) kept for reuse: the competency levels a catalog grants
repeat (a few thousand at most); the resolver keeps its own for requirements. The cache
lives as long as the process: 65,536 were 16 MiB of a 50,000-credential ``validate``."""

MAX_NESTING = 64
"""Deeper requirement expressions are refused (no real curriculum nests past a handful)."""

Report = Callable[[Path_, str, bool], None]
"""Called with (path, message, at_key) for each schema problem found."""


class _RefFields(NamedTuple):
    target: str
    level: int | str | None
    text: str
    entry: Path_
    """The first three parts of its path: the entry it is written in."""
    rest: Path_
    """The rest of its path, inside the entry."""
    kind: str = ""


class Ref(_RefFields):
    """``ID`` or ``ID@LEVEL``. After resolution ``kind`` is set and ``level`` is a number.

    A named tuple rather than a dataclass: a large catalog holds hundreds of
    thousands of references, and tuples are the cheapest immutable records. Its path
    is kept in two parts that other references share (``_PathParts``), rather than a
    tuple of its own: at 50,000 credentials those tuples were 20 MiB.
    """

    __slots__ = ()

    def __new__(
        cls, target: str, level: int | str | None, text: str, path: Path_, kind: str = ""
    ) -> Ref:
        entry, rest = _PATH_PARTS.split(path)
        return tuple.__new__(cls, (target, level, text, entry, rest, kind))

    def __getnewargs__(self) -> tuple[str, int | str | None, str, Path_, str]:
        return (self.target, self.level, self.text, self.path, self.kind)

    @property
    def path(self) -> Path_:
        """Where it is written in its file (as ``SourceFile.locate`` takes it)."""
        return self.entry + self.rest

    @property
    def number(self) -> int:
        return self.level if isinstance(self.level, int) else 1

    def __str__(self) -> str:
        return f"{self.target}@{self.level}" if self.kind == "competency" else self.target

    def __repr__(self) -> str:
        return (
            f"Ref(target={self.target!r}, level={self.level!r}, text={self.text!r}, "
            f"path={self.path!r}, kind={self.kind!r})"
        )


class _PathParts:
    """Splits reference paths into the entry's part and the rest, each shared by the
    references that have the same: the references of one entry are made one after
    another (so the last entry part made is kept), and the rest of a path is one of a
    few (``requires``, 1, ``from``, 0) whatever the catalog's size."""

    def __init__(self) -> None:
        self.entry: Path_ = ()
        self.rests: dict[Path_, Path_] = {}

    def split(self, path: Path_) -> tuple[Path_, Path_]:
        entry = path[:3]
        if entry == self.entry:
            entry = self.entry
        else:
            self.entry = entry
        rest = path[3:]
        shared = self.rests.get(rest)
        if shared is None:
            if len(self.rests) < RESTS_KEPT:
                self.rests[rest] = rest
            shared = rest
        return entry, shared


RESTS_KEPT = 4096
"""The most distinct path rests shared (``_PathParts``): real catalogs write a few dozen,
and a hostile one cannot make this process keep more."""
_PATH_PARTS = _PathParts()


@dataclass(frozen=True, slots=True, init=False, repr=False, match_args=False)
class _Placed:
    """A part of a requirement, with its path kept in two shared parts (as ``Ref``)."""

    entry: Path_
    rest: Path_
    __match_args__: ClassVar[tuple[str, ...]] = ()

    def _place(self, path: Path_) -> None:
        entry, rest = _PATH_PARTS.split(path)
        object.__setattr__(self, "entry", entry)
        object.__setattr__(self, "rest", rest)

    @property
    def path(self) -> Path_:
        """Where it is written in its file."""
        return self.entry + self.rest

    def __repr__(self) -> str:
        shown = [f"{name}={getattr(self, name)!r}" for name in self.__match_args__]
        return f"{type(self).__name__}({', '.join(shown)})"


@dataclass(frozen=True, slots=True, init=False, repr=False, match_args=False)
class _Group(_Placed):
    """Parts that are all needed (``All``) or one of which is (``AnyOf``)."""

    items: tuple[Requirement, ...]
    __match_args__ = ("items", "path")

    def __init__(self, items: tuple[Requirement, ...], path: Path_) -> None:
        object.__setattr__(self, "items", items)
        self._place(path)


@dataclass(frozen=True, slots=True, init=False, repr=False, match_args=False)
class All(_Group):
    pass


@dataclass(frozen=True, slots=True, init=False, repr=False, match_args=False)
class AnyOf(_Group):
    pass


@dataclass(frozen=True, slots=True, init=False, repr=False, match_args=False)
class Choose(_Placed):
    n: int
    items: tuple[Requirement, ...]
    __match_args__ = ("n", "items", "path")

    def __init__(self, n: int, items: tuple[Requirement, ...], path: Path_) -> None:
        object.__setattr__(self, "n", n)
        object.__setattr__(self, "items", items)
        self._place(path)


@dataclass(frozen=True, slots=True, init=False, repr=False, match_args=False)
class Invalid(_Placed):
    """A part that is broken (and reported): it is never satisfied."""

    __match_args__ = ("path",)

    def __init__(self, path: Path_) -> None:
        self._place(path)


Requirement = Ref | All | AnyOf | Choose | Invalid

NOTHING = All((), ())


def parse_reference(value: Any, path: Path_, report: Report) -> Ref | None:
    """``ID`` or ``ID@LEVEL``; None (after reporting) when it is not one."""
    if not isinstance(value, str) or not value:
        report(path, "a reference must be text: an id, or id@level", False)
        return None
    split = _split(value)
    if isinstance(split, str):
        report(path, split, False)
        return None
    return Ref(split[0], split[1], value, path)


@functools.lru_cache(maxsize=SPLITS_KEPT)
def _split(value: str) -> tuple[str, int | str | None] | str:
    """(target, level) of a reference, or the problem with it; cached, as ids repeat a lot."""
    target, at, level_text = value.partition("@")
    if not _ID.fullmatch(target) or len(target) > 80:
        return (
            f"'{value}' is not a valid reference: an id is lowercase letters, digits and "
            "single '-', '_' or '.' between them, optionally followed by @level"
        )
    if not at:
        return (target, None)
    target = intern(target)  # a competency's references share one string for its id
    level_text = level_text.strip()
    if _NUMBER.fullmatch(level_text):
        level = int(level_text)
        if level < 1:
            return f"'{value}': a level is a whole number from 1, or a level name"
        return (target, level)
    if not level_text:
        return f"'{value}': a level is a whole number from 1, or a level name"
    return (target, level_text)


def level_number(level: int | str | None, names: tuple[str, ...]) -> int | None:
    """The number of ``level`` among a competency's level ``names`` (a bare reference is
    level 1; a name matches case-insensitively), or None when it has no such level."""
    if level is None:
        return 1
    if isinstance(level, int):
        return level if level <= len(names) else None
    folded = [name.casefold() for name in names]
    return folded.index(level.casefold()) + 1 if level.casefold() in folded else None


def levels_text(names: tuple[str, ...]) -> str:
    """How many levels a competency has, for a message: "3 levels (A, B, C)"."""
    return "a single level" if names == ("1",) else f"{len(names)} levels ({', '.join(names)})"


Resolve = Callable[[str, Path_, "Report"], "Requirement"]
"""Turns a reference string at a path into a requirement (a resolved Ref, or Invalid)."""


def _parse_only(text: str, path: Path_, report: Report) -> Requirement:
    return parse_reference(text, path, report) or Invalid(path)


def parse_requirement(
    value: Any, path: Path_, report: Report, resolve: Resolve = _parse_only
) -> Requirement:
    """Parse one requirement expression (docs/format.md section 2), resolving each reference."""
    if len(path) > MAX_NESTING:
        report(
            path, f"requirements nest deeper than {MAX_NESTING} levels: simplify this one", False
        )
        return Invalid(path)
    if isinstance(value, str):
        return resolve(value, path, report)
    if isinstance(value, list):
        return All(
            tuple([parse_requirement(v, (*path, i), report, resolve) for i, v in enumerate(value)]),
            path,
        )
    if isinstance(value, dict):
        return _parse_operator(value, path, report, resolve)
    if value is None:
        report(
            path, "an empty requirement: write a reference or an all/any/choose expression", False
        )
    else:
        report(path, "a requirement is a reference, a list, or an all/any/choose mapping", False)
    return Invalid(path)


def _parse_operator(
    value: dict[str, Any], path: Path_, report: Report, resolve: Resolve
) -> Requirement:
    keys = set(value)
    valid = [{"all"}, {"any"}, {"choose", "from"}]
    if keys not in valid:
        for key in sorted(keys - {"all", "any", "choose", "from"}):
            report(
                (*path, key),
                f"unknown key '{key}' in a requirement: use all, any, or choose with from",
                True,
            )
        if keys <= {"all", "any", "choose", "from"}:
            report(
                path,
                "a requirement mapping holds exactly one of: all: [...], any: [...], "
                "or choose: N with from: [...]",
                False,
            )
        return Invalid(path)
    if "choose" in keys:
        options = _parse_options(value["from"], (*path, "from"), "from", report, resolve)
        raw_n = value["choose"]
        n_path = (*path, "choose")
        if not isinstance(raw_n, str) or not _NUMBER.fullmatch(raw_n) or int(raw_n) < 1:
            report(n_path, f"choose takes a whole number from 1, got {_show(raw_n)}", False)
            return Invalid(path)
        n = int(raw_n)
        if options is None:
            return Invalid(path)
        if n > len(options):
            report(
                n_path,
                f"choose: {n} but only {len(options)} option{'s' if len(options) != 1 else ''} "
                "in 'from'",
                False,
            )
            return Invalid(path)
        return Choose(n, options, path)
    (key,) = keys
    items = _parse_options(value[key], (*path, key), key, report, resolve)
    if items is None:
        return Invalid(path)
    return All(items, path) if key == "all" else AnyOf(items, path)


def _parse_options(
    value: Any, path: Path_, key: str, report: Report, resolve: Resolve
) -> tuple[Requirement, ...] | None:
    if not isinstance(value, list):
        report(path, f"'{key}' takes a list of requirements", False)
        return None
    if not value:
        report(path, f"'{key}: []' is empty: give at least one requirement", False)
        return None
    return tuple(parse_requirement(v, (*path, i), report, resolve) for i, v in enumerate(value))


def _show(value: Any) -> str:
    return (
        f"'{value}'"
        if isinstance(value, str)
        else "a list"
        if isinstance(value, list)
        else "nothing"
        if value is None
        else "a mapping"
    )


def refs(requirement: Requirement) -> list[Ref]:
    """Every reference in an expression, in written order, in any branch.

    A loop over a stack rather than nested generators: checks call it for every
    credential many times, and a 10,000-credential catalog made it a hot spot.

    Mirrored in credpath.js by ``refs``: change both together.
    """
    found: list[Ref] = []
    stack = [requirement]
    while stack:
        node = stack.pop()
        if isinstance(node, Ref):
            found.append(node)
        elif isinstance(node, All | AnyOf | Choose):
            stack.extend(reversed(node.items))
    return found


def size(requirement: Requirement) -> int:
    """How many parts an expression has, every operator and reference counted, aliases
    expanded: what checking it may cost, so work is counted by the input's size.

    Mirrored in credpath.js by ``size``: change both together.
    """
    count = 0
    stack = [requirement]
    while stack:
        node = stack.pop()
        count += 1
        if isinstance(node, All | AnyOf | Choose):
            stack.extend(node.items)
    return count


def has_invalid(requirement: Requirement) -> bool:
    if isinstance(requirement, Invalid):
        return True
    if isinstance(requirement, All | AnyOf | Choose):
        return any(has_invalid(item) for item in requirement.items)
    return False
