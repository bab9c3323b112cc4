"""Walking a curated pathway stage by stage (docs/format.md sections 3 and 7)."""

from __future__ import annotations

from dataclasses import dataclass, field

from credpath.checks.context import Context
from credpath.compiler.requirements import All, AnyOf, Choose, Invalid, Ref, Requirement, refs
from credpath.compiler.resolve import PathwayDef
from credpath.compiler.semantics import State, satisfied, unmet


@dataclass
class Walk:
    out_of_order: list[tuple[int, Requirement, str]] = field(default_factory=list)
    state: State = field(default_factory=State)


def walk(ctx: Context, pathway: PathwayDef) -> Walk:
    sem = ctx.semantics
    result = Walk(state=sem.start())
    state = result.state
    for index, stage in enumerate(pathway.stages):
        gained: list[str] = []
        for item in stage:
            ok, got = _resolve(ctx, item, state)
            if not ok and not isinstance(item, Invalid):
                result.out_of_order.append((index, item, _why(ctx, pathway, index, item, state)))
            gained.extend(got)
        for credential_id in gained:
            state.earn(ctx.catalog.credentials[credential_id])
    return result


def _resolve(ctx: Context, item: Requirement, state: State) -> tuple[bool, list[str]]:
    """Is the item in order from ``state``, and which credentials does it give?"""
    sem = ctx.semantics
    if isinstance(item, Ref):
        if item.kind == "competency":
            return state.has(item), []
        credential = ctx.catalog.credentials[item.target]
        if not sem.usable(credential):
            return False, []
        return satisfied(credential.requires, state), [credential.id]
    if isinstance(item, All):
        gained: list[str] = []
        ok = True
        for inner in item.items:
            inner_ok, got = _resolve(ctx, inner, state)
            ok = ok and inner_ok
            gained.extend(got)
        return ok, gained
    if isinstance(item, AnyOf | Choose):
        need = item.n if isinstance(item, Choose) else 1
        picked: list[str] = []
        count = 0
        for option in item.items:
            option_ok, got = _resolve(ctx, option, state)
            if option_ok:
                picked.extend(got)
                count += 1
                if count == need:
                    return True, picked
        return False, []
    return False, []


def _why(ctx: Context, pathway: PathwayDef, index: int, item: Requirement, state: State) -> str:
    after = f"after stages 1-{index}" if index > 1 else "after stage 1" if index else "at the start"
    if isinstance(item, Ref) and item.kind == "credential":
        credential = ctx.catalog.credentials[item.target]
        if not ctx.semantics.usable(credential):
            return f"'{item.text}' is {credential.status} and cannot be earned; remove it"
        leaf = next(unmet(credential.requires, state))
        if isinstance(leaf, Invalid):
            return f"'{item.text}' has an invalid requirement"
        where = _provider(ctx, pathway, index, leaf)
        return f"'{item.text}' is not earnable {after}: it requires '{leaf.text}', which " + (
            f"only {where} provides (move it to an earlier stage)" if where else _NOWHERE
        )
    if isinstance(item, Ref):
        where = _provider(ctx, pathway, index, item)
        return f"'{item.text}' is not held {after}: " + (
            f"only {where} provides it (move it to an earlier stage)"
            if where
            else "nothing in the pathway provides it (add a stage that does)"
        )
    return f"no option of this stage item is earnable {after}"


_NOWHERE = "nothing in the pathway provides (add a stage that does)"


def _provider(ctx: Context, pathway: PathwayDef, index: int, leaf: Ref) -> str | None:
    """'this stage' or 'stage N' when a stage from ``index`` on provides ``leaf``."""
    servers = {s.id for s in ctx.semantics.servers(leaf)}
    for later in range(index, len(pathway.stages)):
        for item in pathway.stages[later]:
            if any(r.kind == "credential" and r.target in servers for r in refs(item)):
                return "this stage" if later == index else f"stage {later + 1}"
    return None
