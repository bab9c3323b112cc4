"""The one layer between the counts and every output: small cells suppressed.

Any count below ``min_group`` (zero included) is suppressed, and no rate, interval or
median is computed from a suppressed count. Suppression is complementary within a row
(earnings = continued + drifted + censored): when one part is suppressed and the total
is shown, more is suppressed: when the only small part is ``censored``, the total (so the
rate, from the other two, can still be given); else the other parts (the rate needs the
small one anyway). So no suppressed value can be worked out from what is shown, even by
someone who knows this rule (tests/test_drift_privacy.py checks that by brute force). A
funnel stage of one credential counts that credential's earners: it is shown only when
the credential's row shows them. A curve is kept only when its row shows every count. A
credential's list of destinations is cut the same way: none below ``min_group``, and
never a remainder (continued minus those listed) from 1 to ``min_group`` - 1.

Formats only ever see a ``Published`` report: no format can forget the rule.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass

from credpath.analytics.drift import Analysis, Outcomes, newcombe, wilson
from credpath.analytics.records import ReadSummary

Cell = int | None
"""A count as published: None when suppressed."""

Interval = tuple[float, float, float]
"""A value and its 95% interval."""

MAJORITY = 0.5


@dataclass(frozen=True)
class Row:
    earnings: Cell
    continued: Cell
    drifted: Cell
    censored: Cell
    rate: Interval | None


@dataclass(frozen=True)
class Went:
    credential: str
    learners: int
    offered: bool


@dataclass(frozen=True)
class PublishedCredential:
    credential: str
    title: str
    row: Row
    median: tuple[int | None, int | None, int | None] | None
    """Median days to the next step, with its interval (None inside: not reached); None
    when the earners are suppressed."""
    went: tuple[Went, ...]
    notes: tuple[str, ...]
    curve: tuple[tuple[int, ...], tuple[float, ...]] | None


@dataclass(frozen=True)
class PublishedFunnel:
    outcome: str
    title: str
    stages: tuple[tuple[tuple[str, ...], Cell], ...]
    met: Cell
    reachable: bool


@dataclass(frozen=True)
class Published:
    read: ReadSummary
    window: int
    min_group: int
    learners: Cell
    credentials: tuple[PublishedCredential, ...]
    door: Row
    no_door: Row
    difference: Interval | None
    drift_points: tuple[str, ...]
    funnels: tuple[PublishedFunnel, ...]


def protect_row(counts: Outcomes, min_group: int) -> Row:
    """The row with small cells suppressed, complementarily (see the module docstring)."""
    parts = {"continued": counts.continued, "drifted": counts.drifted}
    parts["censored"] = counts.censored
    hidden = {name for name, value in parts.items() if value < min_group}
    total_shown = counts.earnings >= min_group
    if hidden == {"censored"}:
        total_shown = False  # hiding the total keeps the rate, which needs the other two
    elif hidden or not total_shown:
        hidden = set(parts)
    cells = {name: None if name in hidden else value for name, value in parts.items()}
    rate = None
    if cells["continued"] is not None and cells["drifted"] is not None:
        decided = counts.continued + counts.drifted
        rate = wilson(counts.continued, decided) if decided else None
    return Row(
        counts.earnings if total_shown else None,
        cells["continued"],
        cells["drifted"],
        cells["censored"],
        rate,
    )


def protect_destinations(continued: Cell, went: list[Went], min_group: int) -> tuple[Went, ...]:
    """The destinations of at least ``min_group`` learners, cut until the remainder is 0 or
    at least ``min_group``; none when the continued count is suppressed."""
    if continued is None:
        return ()
    listed = [w for w in went if w.learners >= min_group]
    while listed and 0 < continued - sum(w.learners for w in listed) < min_group:
        listed.remove(min(listed, key=lambda w: (w.learners, w.credential)))
    return tuple(listed)


def publish(analysis: Analysis, titles: dict[str, str], min_group: int, top: int) -> Published:
    """What may be shown: every count through ``protect_row``, rates from shown counts only."""
    credentials = []
    for found in analysis.credentials:
        row = protect_row(found.counts, min_group)
        notes = list(found.structure)
        moments = found.moments
        if moments["no-door"] > MAJORITY * found.counts.earnings:
            notes.append("no next door toward an outcome for most of its earners")
        curve = found.curve
        went = [Went(w.credential, w.learners, w.offered) for w in found.destinations]
        credentials.append(
            PublishedCredential(
                found.credential,
                titles.get(found.credential, found.credential),
                row,
                (curve.median, curve.low, curve.high)
                if found.counts.earnings >= min_group
                else None,
                protect_destinations(row.continued, went, min_group),
                tuple(notes),
                (curve.days, curve.survival) if None not in astuple(row)[:4] else None,
            )
        )
    door = protect_row(analysis.structure["door"], min_group)
    no_door = protect_row(analysis.structure["no-door"], min_group)
    difference = None
    if door.rate is not None and no_door.rate is not None:
        a, b = analysis.structure["door"], analysis.structure["no-door"]
        difference = newcombe(
            (a.continued, a.continued + a.drifted), (b.continued, b.continued + b.drifted)
        )
    ranked = sorted(
        (c for c in credentials if c.row.rate is not None),
        key=lambda c: (c.row.rate[0] if c.row.rate else 0.0, c.credential),
    )
    earners = {c.credential: c.row.earnings for c in credentials}

    def stage_cell(stage: tuple[str, ...], count: int) -> Cell:
        """A one-credential stage counts its earners: shown only as the credential's row is."""
        return earners.get(stage[0]) if len(stage) == 1 else _cell(count, min_group)

    funnels = tuple(
        PublishedFunnel(
            f.outcome,
            titles.get(f.outcome, f.outcome),
            tuple((stage, stage_cell(stage, count)) for stage, count in f.stages),
            _cell(f.met, min_group),
            f.reachable,
        )
        for f in analysis.funnels
    )
    return Published(
        analysis.read,
        analysis.window,
        min_group,
        _cell(analysis.learners, min_group),
        tuple(credentials),
        door,
        no_door,
        difference,
        tuple(c.credential for c in ranked[:top]),
        funnels,
    )


def _cell(count: int, min_group: int) -> Cell:
    return count if count >= min_group else None
