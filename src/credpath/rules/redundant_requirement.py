"""A requirement already implied by another requirement of the same list.

Holding a credential guarantees what it grants, what it requires, and what the
credentials it requires (transitively) grant and require. A competency level
also implies the lower levels of the same competency.

Failing::

    credentials:
      - {id: sql-basics, title: SQL Basics, type: course, grants: [sql@1]}
      - {id: bi-report, title: BI Reporting, type: course, requires: [sql-basics, sql@1]}

Passing::

    credentials:
      - {id: sql-basics, title: SQL Basics, type: course, grants: [sql@1]}
      - {id: bi-report, title: BI Reporting, type: course, requires: [sql-basics]}
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from credpath.context import Context, finding
from credpath.diagnostics import Diagnostic, Severity
from credpath.loader import SourceFile
from credpath.requirements import All, AnyOf, Choose, Ref, Requirement
from credpath.rules.base import Rule
from credpath.semantics import Semantics, all_chain

ID = "redundant-requirement"


@dataclass
class _Guarantee:
    credentials: set[str] = field(default_factory=set)
    levels: dict[str, int] = field(default_factory=dict)


class _Guarantees:
    def __init__(self, sem: Semantics) -> None:
        self.sem = sem
        self.memo: dict[str, _Guarantee] = {}
        self.pending: set[str] = set()

    def of(self, credential_id: str) -> _Guarantee:
        """What holding the credential guarantees; iterative, as chains can be long."""
        stack = [credential_id]
        while stack:
            current = stack[-1]
            if current in self.memo:
                stack.pop()
                continue
            credential = self.sem.catalog.credentials.get(current)
            needed = (
                []
                if credential is None
                else [
                    ref.target
                    for ref in all_chain(credential.requires)
                    if ref.kind == "credential"
                    and ref.target not in self.memo
                    and ref.target not in self.pending
                ]
            )
            if needed:
                self.pending.add(current)
                stack.extend(needed)
                continue
            stack.pop()
            self.pending.discard(current)
            self.memo[current] = self._combine(current)
        return self.memo[credential_id]

    def _combine(self, credential_id: str) -> _Guarantee:
        result = _Guarantee({credential_id})
        credential = self.sem.catalog.credentials.get(credential_id)
        if credential is None:
            return result
        for grant in credential.grants:
            _raise(result.levels, grant.target, grant.number)
        for ref in all_chain(credential.requires):
            if ref.kind == "competency":
                _raise(result.levels, ref.target, ref.number)
                continue
            inner = self.memo.get(ref.target)
            if inner is None:  # part of a loop (reported as a cycle)
                continue
            result.credentials |= inner.credentials
            for target, level in inner.levels.items():
                _raise(result.levels, target, level)
        return result

    def implies(self, q: Ref, r: Ref) -> bool:
        if q.kind == "competency":
            return r.kind == "competency" and r.target == q.target and r.number < q.number
        held = self.of(q.target)
        if r.kind == "credential":
            return r.target != q.target and r.target in held.credentials
        return held.levels.get(r.target, 0) >= r.number


def _raise(levels: dict[str, int], target: str, level: int) -> None:
    if levels.get(target, 0) < level:
        levels[target] = level


def _lists(requirement: Requirement) -> Iterator[All | AnyOf | Choose]:
    if isinstance(requirement, All | AnyOf | Choose):
        yield requirement
        for item in requirement.items:
            yield from _lists(item)


def _implied(r: Ref, q: Ref) -> str:
    if q.kind == "competency":
        why = "a higher level of the same competency"
    elif r.kind == "credential":
        why = f"'{q.target}' requires it"
    else:
        why = f"holding '{q.target}' guarantees {r.target} at level {r.number} or higher"
    return f"'{r.text}' is already implied by '{q.text}' in the same list ({why}); drop it"


def check(ctx: Context) -> Iterator[Diagnostic]:
    sem = ctx.semantics
    guarantees = _Guarantees(sem)
    entries: list[tuple[SourceFile, Requirement]] = [
        (o.origin.source, o.requires) for o in ctx.catalog.outcomes.values()
    ]
    entries += [(c.origin.source, c.requires) for c in sem.active]
    for source, requirement in entries:
        for group in _lists(requirement):
            items = [item for item in group.items if isinstance(item, Ref)]
            every = isinstance(group, All)
            for index, r in enumerate(items):
                if sem.is_gap(r):
                    continue  # reported as a gap: one root cause, one finding
                for other_index, q in enumerate(items):
                    if other_index == index:
                        continue
                    same = q.kind == r.kind and q.target == r.target and q.number == r.number
                    if same and other_index > index:
                        continue  # the later duplicate is the one reported
                    if same:
                        yield finding(source, r.path, ID, f"'{r.text}' is listed twice; drop one")
                        break
                    if every and guarantees.implies(q, r):
                        yield finding(source, r.path, ID, _implied(r, q))
                        break


RULE = Rule(ID, __doc__ or "", check, Severity.INFO)
