"""Where learners stop after each credential, and whether the pathway's structure is why.

The definitions, exactly as docs/drift.md states them (``events`` is the table
``records`` reads; every count is SQL over it):

- A learner's **earning** of credential X is their first ``earned`` event for X, on day d.
- **Continued**: the learner has a ``started`` or ``earned`` event for another credential
  dated from d to d + window inclusive, or an enrolment in another credential still open
  on day d (its latest start before d, with no ``earned``, ``withdrawn`` or ``failed``
  event for it from that start to d inclusive).
- **Censored**: not continued, and d + window is after the as-of date. **Drifted**: neither.
- **Time to the next step**: 0 for an open enrolment, else the days from d to the first
  ``started`` or ``earned`` event of another credential on or after d; a learner with none
  is censored at as-of - d. Kaplan-Meier over all earners of X (``kaplan_meier``).
- **Where they went**: for an earning that continued, the credential of that first step
  (an open enrolment's; several on the same day: a next door first, then by id).
- **Next doors at that moment**: ``Semantics.next_doors`` for a learner holding exactly
  the credentials they had earned by day d (X included). The earning *had a next door*
  when a door leads toward an outcome they have not met; else it *had reached an
  outcome* when they meet one; else it was a *dead-end moment*. Each distinct held set
  is looked at once.
- **Funnel** of an outcome: along its derived pathway, the learners holding a credential
  of each stage, and the learners whose credentials meet the outcome (on the as-of date).
"""

from __future__ import annotations

import math
import shutil
import tempfile
import weakref
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from credpath.analytics.records import (
    ReadOptions,
    ReadSummary,
    RecordsError,
    Step,
    no_step,
    read_records,
)

if TYPE_CHECKING:
    import duckdb

    from credpath.compiler.pathways import DerivedPathway
    from credpath.compiler.semantics import Semantics

CLASSES = ("door", "no-door", "outcome")
"""An earning's moment: had a next door toward an outcome, had none (a dead end), or had
reached an outcome."""

Z95 = 1.959963984540054
"""The standard normal quantile of 0.975: 95% intervals."""


def wilson(successes: int, trials: int) -> tuple[float, float, float]:
    """The rate and its 95% Wilson score interval (no continuity correction)."""
    p = successes / trials
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = Z95 / (1 + z2 / trials) * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    return p, max(0.0, centre - half), min(1.0, centre + half)


def newcombe(first: tuple[int, int], second: tuple[int, int]) -> tuple[float, float, float]:
    """The difference of two rates (first - second) and its 95% interval by Newcombe's
    hybrid score method (his method 10), from each rate's Wilson interval."""
    p1, l1, u1 = wilson(*first)
    p2, l2, u2 = wilson(*second)
    low = p1 - p2 - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = p1 - p2 + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return p1 - p2, low, high


@dataclass(frozen=True)
class Curve:
    """A Kaplan-Meier estimate of the time to the next step: the survival (still no next
    step) after each day on which someone took one, and the median with its interval
    (None: not reached)."""

    days: tuple[int, ...]
    survival: tuple[float, ...]
    median: int | None
    low: int | None
    high: int | None


def kaplan_meier(table: Sequence[tuple[int, int, int]]) -> Curve:
    """The product-limit estimate from (day, steps taken, censored) rows sorted by day.

    The interval is the exponential Greenwood (log-log) band, and a median is the first
    day the curve (or band) is at or below one half: as lifelines computes them.
    """
    at_risk = sum(steps + censored for _, steps, censored in table)
    survival, greenwood = 1.0, 0.0
    days: list[int] = []
    curve: list[float] = []
    median = low = high = None
    for day, steps, censored in table:
        if steps:
            survival *= 1 - steps / at_risk
            if at_risk > steps:
                greenwood += steps / (at_risk * (at_risk - steps))
            days.append(day)
            curve.append(survival)
            lower, upper = _band(survival, greenwood)
            if median is None and survival <= 0.5:
                median = day
            if low is None and lower <= 0.5:
                low = day
            if high is None and upper <= 0.5:
                high = day
        at_risk -= steps + censored
    return Curve(tuple(days), tuple(curve), median, low, high)


def _band(survival: float, greenwood: float) -> tuple[float, float]:
    if survival <= 0.0:
        return 0.0, 0.0
    if survival >= 1.0:
        return 1.0, 1.0
    log = math.log(survival)
    spread = Z95 * math.sqrt(greenwood) / log
    return math.exp(-math.exp(math.log(-log) - spread)), math.exp(
        -math.exp(math.log(-log) + spread)
    )


@dataclass(frozen=True)
class Outcomes:
    """The counts of a set of earnings."""

    earnings: int
    continued: int
    drifted: int
    censored: int


@dataclass(frozen=True)
class Destination:
    credential: str
    learners: int
    offered: bool
    """Whether it was a next door for most of those learners."""


@dataclass(frozen=True)
class CredentialDrift:
    credential: str
    counts: Outcomes
    moments: dict[str, int]
    """Earnings per class of moment (``CLASSES``)."""
    destinations: tuple[Destination, ...]
    curve: Curve
    structure: tuple[str, ...]
    """The structural findings that touch it (a dead end, a next door that cannot be earned)."""


@dataclass(frozen=True)
class Funnel:
    outcome: str
    stages: tuple[tuple[tuple[str, ...], int], ...]
    """Each stage's credentials and the learners holding one of them."""
    met: int
    reachable: bool


@dataclass(frozen=True)
class Analysis:
    read: ReadSummary
    window: int
    learners: int
    credentials: tuple[CredentialDrift, ...]
    structure: dict[str, Outcomes]
    """The earnings of each class of moment (``CLASSES``)."""
    funnels: tuple[Funnel, ...]


@contextmanager
def database(memory_limit: str = "1GB") -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB that spills to a private temporary folder (never next to the
    records), loads no extension and is gone, folder included, once done."""
    import duckdb

    folder = tempfile.mkdtemp(prefix="credpath-drift-")
    con = duckdb.connect(
        ":memory:",
        config={
            "temp_directory": folder,
            "memory_limit": memory_limit,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        },
    )
    con.execute("SET enable_progress_bar = false")  # DuckDB's own goes to standard output
    try:
        yield con
    except duckdb.OutOfMemoryException:
        # DuckDB's message is safe, but a traceback is no answer (exit 2, like any record
        # that cannot be read).
        raise RecordsError(
            f"out of memory: these records needed more than the {memory_limit} DuckDB may "
            "use, and more than it could spill to a temporary folder"
        ) from None
    finally:
        con.close()
        shutil.rmtree(folder, ignore_errors=True)


def analyse_records(
    paths: Sequence[Path], sem: Semantics, options: ReadOptions, window: int
) -> Analysis:
    """Read the records and analyse them: the whole of ``credpath drift`` before privacy."""
    with database() as con:
        read = read_records(con, paths, sem.catalog, options)
        return analyse(con, sem, read, window)


def analyse(
    con: duckdb.DuckDBPyConnection,
    sem: Semantics,
    read: ReadSummary,
    window: int,
    step: Step = no_step,
) -> Analysis:
    """Every count of the report, from the table ``events`` (see the module docstring).

    ``events`` may hold the same event twice: the window that finds when each enrolment
    closed (``follows``) also drops the repeats, and counts what is left for ``read``.
    Each learner's earnings are joined with their events once (``stepped``), keeping only
    the rows that can matter (later events, and starts still open), so the aggregate
    sees fewer rows than the k x n of a learner with k earnings and n events. The held
    set at an earning is a running window over the learner's earnings, named by two sums
    of hashes of its members (a 128-bit name: two different sets share one with a chance
    near 2^-128); only one learner's set per name is listed.
    """
    step("Finding each earning and what the learner held")
    con.execute(
        """
        CREATE TABLE earnings AS
        SELECT learner, credential, day,
            sum(CAST(hash(credential) AS HUGEINT)) OVER held AS held_sum,
            bit_xor(hash(credential, 'held')) OVER held AS held_xor,
            day = max(day) OVER (PARTITION BY learner) AS last
        FROM (SELECT learner, credential, min(day) AS day FROM events
            WHERE kind = 'earned' GROUP BY ALL)
        WINDOW held AS (PARTITION BY learner ORDER BY day RANGE UNBOUNDED PRECEDING)
        """
    )
    con.execute(
        """
        CREATE TABLE held_sets AS
        SELECT row_number() OVER (ORDER BY held_sum, held_xor) AS held, held_sum, held_xor,
            min(struct_pack(learner, day)) AS one
        FROM earnings GROUP BY held_sum, held_xor
        """
    )
    members = con.execute(
        """
        SELECT h.held, list(e.credential ORDER BY e.credential)
        FROM held_sets h JOIN earnings e ON e.learner = h.one.learner AND e.day <= h.one.day
        GROUP BY h.held ORDER BY h.held
        """
    ).fetchall()
    _moments(con, sem, members)
    step("Following each earning to the learner's next step")
    con.execute(
        """
        CREATE TABLE follows AS
        SELECT learner, credential, day, kind,
            CASE WHEN kind = 'started' THEN min(day) FILTER (kind <> 'started') OVER later END
                AS closed
        FROM events
        WINDOW own AS (PARTITION BY learner, credential ORDER BY day, kind <> 'started', kind),
            later AS (own RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)
        QUALIFY NOT coalesce(lag(day) OVER own = day AND lag(kind) OVER own = kind, false)
        """
    )
    distinct = con.execute("SELECT count(*) FROM follows").fetchone()
    assert distinct is not None
    read = replace(read, events=distinct[0], duplicates=read.events - distinct[0])
    con.execute("DELETE FROM follows WHERE kind NOT IN ('started', 'earned')")
    con.execute(
        """
        CREATE TABLE stepped AS
        SELECT e.learner, e.credential, e.day, h.held, e.first_day, e.open
        FROM (
            SELECT e.learner, e.credential, e.day, e.held_sum, e.held_xor,
                min(o.day) FILTER (o.day >= e.day) AS first_day,
                coalesce(bool_or(o.day < e.day), false) AS open
            FROM earnings e LEFT JOIN follows o ON o.learner = e.learner
                AND o.credential <> e.credential
                AND (o.day >= e.day OR o.kind = 'started' AND coalesce(o.closed > e.day, true))
            GROUP BY ALL
        ) e
        JOIN held_sets h USING (held_sum, held_xor)
        """
    )
    con.execute(
        """
        CREATE TABLE went AS
        WITH candidates AS (
            SELECT DISTINCT c.learner, c.credential, c.day, c.held, o.credential AS other
            FROM stepped c JOIN follows o ON o.learner = c.learner
                AND o.credential <> c.credential AND o.kind = 'started' AND o.day < c.day
                AND coalesce(o.closed > c.day, true)
            WHERE c.open
            UNION
            SELECT c.learner, c.credential, c.day, c.held, o.credential AS other
            FROM stepped c JOIN follows o ON o.learner = c.learner AND o.day = c.first_day
                AND o.credential <> c.credential
            WHERE NOT c.open AND c.first_day - c.day <= $window
        )
        SELECT c.learner, c.credential, c.day,
            arg_min(c.other, (NOT list_contains(m.doors, c.other), c.other)) AS next,
            bool_or(list_contains(m.doors, c.other)) AS offered
        FROM candidates c JOIN moments m USING (held)
        GROUP BY ALL
        """,
        {"window": window},
    )
    con.execute(
        """
        CREATE TABLE earning AS
        SELECT s.credential, m.class, continued,
            NOT continued AND late AS censored, NOT continued AND NOT late AS drifted,
            CASE WHEN s.open THEN 0 WHEN s.first_day IS NOT NULL THEN s.first_day - s.day
                ELSE $as_of - s.day END AS days,
            s.open OR s.first_day IS NOT NULL AS stepped,
            w.next, w.offered
        FROM (SELECT *, open OR coalesce(first_day - day <= $window, false) AS continued,
                day + $window > $as_of AS late FROM stepped) s
        JOIN moments m USING (held)
        LEFT JOIN went w USING (learner, credential, day)
        """,
        {"window": window, "as_of": read.as_of},
    )
    step("Counting")
    counts = {
        row[0]: (Outcomes(*row[1:5]), row[5:])
        for row in con.execute(
            """
            SELECT credential, count(*), count(*) FILTER (continued),
                count(*) FILTER (drifted), count(*) FILTER (censored),
                count(*) FILTER (class = 'door'), count(*) FILTER (class = 'no-door'),
                count(*) FILTER (class = 'outcome')
            FROM earning GROUP BY credential
            """
        ).fetchall()
    }
    structure = {
        row[0]: Outcomes(*row[1:])
        for row in con.execute(
            """
            SELECT class, count(*), count(*) FILTER (continued), count(*) FILTER (drifted),
                count(*) FILTER (censored)
            FROM earning GROUP BY class
            """
        ).fetchall()
    }
    went: dict[str, list[Destination]] = {}
    for credential, target, learners, offered in con.execute(
        """
        SELECT credential, next, count(*) AS n, count(*) FILTER (offered)
        FROM earning WHERE continued GROUP BY ALL ORDER BY credential, n DESC, next
        """
    ).fetchall():
        went.setdefault(credential, []).append(
            Destination(target, learners, 2 * offered >= learners)
        )
    curves: dict[str, list[tuple[int, int, int]]] = {}
    for credential, days, steps, censored in con.execute(
        """
        SELECT credential, days, count(*) FILTER (stepped), count(*) FILTER (NOT stepped)
        FROM earning GROUP BY ALL ORDER BY credential, days
        """
    ).fetchall():
        curves.setdefault(credential, []).append((days, steps, censored))
    learners_row = con.execute("SELECT count(DISTINCT learner) FROM events").fetchone()
    assert learners_row is not None
    nobody = (Outcomes(0, 0, 0, 0), (0, 0, 0))
    shown = sorted({c.id for c in sem.active} | set(counts))
    credentials = tuple(
        CredentialDrift(
            credential,
            counts.get(credential, nobody)[0],
            dict(zip(CLASSES, counts.get(credential, nobody)[1], strict=True)),
            tuple(went.get(credential, ())),
            kaplan_meier(curves.get(credential, [])),
            structural_notes(sem, credential),
        )
        for credential in shown
    )
    return Analysis(
        read,
        window,
        learners_row[0],
        credentials,
        {c: structure.get(c, Outcomes(0, 0, 0, 0)) for c in CLASSES},
        _funnels(con, sem, members),
    )


def _moments(
    con: duckdb.DuckDBPyConnection, sem: Semantics, members: list[tuple[int, list[str]]]
) -> None:
    """The table ``moments(held, class, doors)``: each distinct held set looked at once."""
    from credpath.compiler.semantics import satisfied

    outcomes = sem.catalog.outcomes
    outcomes_of = sem.outcomes_of
    classes, doors_of = [], []
    for _, held in members:
        state = sem.learner(held, {})
        doors = sem.next_doors(state)
        met = {o for o, outcome in outcomes.items() if satisfied(outcome.requires, state)}
        if any(set(outcomes_of.get(door, ())) - met for door in doors):
            classes.append("door")
        else:
            classes.append("outcome" if met else "no-door")
        doors_of.append(doors)
    con.execute(
        "CREATE TABLE moments AS SELECT CAST(unnest($1) AS BIGINT) AS held, "
        "CAST(unnest($2) AS VARCHAR) AS class, "
        "CAST(unnest($3) AS credential[]) AS doors",
        [[held for held, _ in members], classes, doors_of],
    )


def structural_notes(sem: Semantics, credential_id: str) -> tuple[str, ...]:
    """The structural findings that touch a credential: it leads to no outcome, or a
    credential it opens cannot be earned (a gap, a cycle, ...)."""
    from credpath.compiler.semantics import Explainer

    notes = []
    if credential_id in sem.reachable and credential_id not in sem.leads_to:
        notes.append("dead-end: it leads to no outcome")
    for opened in sorted(sem.unlocks.get(credential_id, {})):
        if opened not in sem.reachable:
            why = Explainer(sem).credential(opened)
            kinds = sorted({root.kind.value for root in why.roots})
            label = "/".join(kinds) if kinds else "blocked"
            notes.append(f"{label}: the next door '{opened}' cannot be earned: it {why.text}")
    return tuple(notes)


def _funnels(
    con: duckdb.DuckDBPyConnection, sem: Semantics, members: list[tuple[int, list[str]]]
) -> tuple[Funnel, ...]:
    """Each learner's credentials in the end are the held set of their last earning."""
    from credpath.compiler.semantics import satisfied

    outcomes = sem.catalog.outcomes
    finals = dict(
        con.execute(
            """
            SELECT h.held, count(DISTINCT e.learner)
            FROM earnings e JOIN held_sets h USING (held_sum, held_xor)
            WHERE e.last GROUP BY h.held
            """
        ).fetchall()
    )
    met: Counter[str] = Counter()
    holding: Counter[tuple[str, int]] = Counter()
    pathways = _derived(sem)
    stages = [
        (outcome_id, index, set(stage))
        for outcome_id, pathway in pathways.items()
        if pathway is not None
        for index, stage in enumerate(pathway.stages)
    ]
    for held, credentials in members:
        learners = finals.get(held, 0)
        if not learners:
            continue
        state = sem.learner(credentials, {})
        for outcome_id, outcome in outcomes.items():
            if satisfied(outcome.requires, state):
                met[outcome_id] += learners
        have = set(credentials)
        for outcome_id, index, stage in stages:
            if have & stage:
                holding[outcome_id, index] += learners
    funnels = [
        Funnel(
            outcome_id,
            tuple(
                (tuple(stage), holding[outcome_id, index])
                for index, stage in enumerate(pathway.stages if pathway is not None else ())
            ),
            met[outcome_id],
            pathway is not None,
        )
        for outcome_id, pathway in pathways.items()
    ]
    return tuple(funnels)


_DERIVED: weakref.WeakKeyDictionary[Semantics, dict[str, DerivedPathway | None]] = (
    weakref.WeakKeyDictionary()
)


def _derived(sem: Semantics) -> dict[str, DerivedPathway | None]:
    """Each outcome's derived pathway, searched once per project (records analysed again
    and again, as the tests and the demo do, reuse them)."""
    from credpath.compiler.pathways import derive_all

    if sem not in _DERIVED:
        _DERIVED[sem] = derive_all(sem)
    return _DERIVED[sem]
