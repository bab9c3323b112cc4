"""Small-cell suppression: no suppressed count can be worked out from what is shown.

The attacker knows the rule (credpath.analytics.privacy) and sees a row; every true row
that the rule would show the same way is possible. A suppressed count is derived when
all of those agree on it.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict

import pytest

from credpath.analytics.drift import Curve, Outcomes, kaplan_meier, wilson
from credpath.analytics.privacy import Went, protect_destinations, protect_row

K = 10


@pytest.mark.parametrize("limit", [45])
def test_no_suppressed_count_can_be_derived(limit: int) -> None:
    """Every row of counts up to ``limit``: each suppressed cell has two possible values."""
    seen: dict[tuple[object, ...], list[tuple[int, int, int, int]]] = defaultdict(list)
    for continued, drifted, censored in itertools.product(range(limit), repeat=3):
        truth = (continued + drifted + censored, continued, drifted, censored)
        row = protect_row(Outcomes(*truth), K)
        shown = (row.earnings, row.continued, row.drifted, row.censored, row.rate)
        seen[shown].append(truth)
    for shown, truths in seen.items():
        if shown[0] is not None and shown[0] >= limit:
            continue  # some rows shown so hold counts beyond the ones enumerated
        for index, cell in enumerate(shown[:4]):
            if cell is None:
                values = {truth[index] for truth in truths}
                assert len(values) > 1, (shown, values)


def test_counts_below_the_minimum_are_suppressed_zero_included() -> None:
    row = protect_row(Outcomes(40, 30, 10, 0), K)
    # censored (0) is below 10; hiding the total with it keeps the rate.
    assert (row.earnings, row.continued, row.drifted, row.censored) == (None, 30, 10, None)
    assert row.rate == wilson(30, 40)
    row = protect_row(Outcomes(60, 45, 5, 10), K)
    # drifted (5) is below 10: the rate needs it, so every part goes with it.
    assert (row.earnings, row.continued, row.drifted, row.censored) == (60, None, None, None)
    assert row.rate is None


def test_destinations_never_leave_a_small_remainder() -> None:
    went = [Went("x", 25, True), Went("y", 12, True), Went("z", 3, False)]
    # 40 continued: listing x and y leaves 3, which would be z's count: y goes too (15 left).
    assert protect_destinations(40, went, K) == (Went("x", 25, True),)
    assert protect_destinations(None, went, K) == ()


def test_kaplan_meier_matches_lifelines() -> None:
    import random

    lifelines = pytest.importorskip("lifelines")
    from lifelines.utils import median_survival_times

    rng = random.Random(4)
    for _ in range(20):
        size = rng.randint(15, 200)
        durations = [rng.randint(0, 120) for _ in range(size)]
        observed = [rng.random() < 0.7 for _ in range(size)]
        table: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for day, seen in zip(durations, observed, strict=True):
            table[day][0 if seen else 1] += 1
        curve: Curve = kaplan_meier([(d, s, c) for d, (s, c) in sorted(table.items())])
        fitter = lifelines.KaplanMeierFitter().fit(durations, observed)
        expected = fitter.survival_function_.iloc[:, 0]
        for day, value in zip(curve.days, curve.survival, strict=True):
            assert math.isclose(expected.loc[day], value, rel_tol=1e-9)
        median = fitter.median_survival_time_
        assert curve.median == (None if math.isinf(median) else median)
        bounds = median_survival_times(fitter.confidence_interval_).iloc[0]
        low, high = (None if math.isinf(b) else b for b in bounds)
        assert (curve.low, curve.high) == (low, high)


def test_wilson_matches_scipy() -> None:
    stats = pytest.importorskip("scipy.stats")
    for successes, trials in [(0, 5), (3, 10), (80, 100), (10, 10), (1234, 5678)]:
        interval = stats.binomtest(successes, trials).proportion_ci(method="wilson")
        _, low, high = wilson(successes, trials)
        assert math.isclose(low, interval.low, abs_tol=1e-12)
        assert math.isclose(high, interval.high, abs_tol=1e-12)
