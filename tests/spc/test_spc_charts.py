"""XmR and Laney charts against hand-worked series: limits, each Making Data Count rule, the verdict.

Expected values are worked out in plain arithmetic in each test (mean, moving ranges, 2.66), not by
the code under test; the series are built so that exactly one rule fires where the test says.
"""

from __future__ import annotations

import math
from itertools import pairwise

import pytest

from parity.spc import SpcRules, laney, xmr


def hand_limits(values):
    mean = sum(values) / len(values)
    ranges = [abs(b - a) for a, b in pairwise(values)]
    amr = sum(ranges) / len(ranges)
    return mean, mean + 2.66 * amr, mean - 2.66 * amr


def flagged(chart, rule):
    return [i for i, r in enumerate(chart.rules) if rule in r]


def test_limits_are_mean_plus_minus_2_66_mean_moving_ranges():
    values = [2, 4] * 8  # mean 3, every moving range 2: limits 3 ± 5.32
    chart = xmr(values)
    assert chart.mean == pytest.approx(3.0)
    assert chart.upper[0] == pytest.approx(8.32)
    assert chart.lower[0] == pytest.approx(-2.32)
    assert chart.rules == [[]] * 16 and chart.variation == "common_cause"


def test_floor_clips_the_shown_lower_limit_only():
    chart = xmr([2, 4] * 8, floor=0.0)
    assert chart.lower[0] == 0.0 and chart.upper[0] == pytest.approx(8.32)


def test_a_point_outside_the_limits():
    values = [2, 4] * 8 + [20]
    mean, upper, _ = hand_limits(values)
    assert 20 > upper  # mean 4, mean moving range 46/16: upper limit 4 + 2.66 x 2.875 = 11.65
    chart = xmr(values, better="lower")
    assert flagged(chart, "outside_limits") == [16]
    assert chart.variation == "special_cause_concern"
    assert xmr(values, better="higher").variation == "special_cause_improvement"
    assert xmr(values).variation == "special_cause_neutral"


def test_shift_of_seven_or_more_on_one_side_and_configurable_length():
    values = [0, 2] * 5 + [1.9, 1.8, 1.9, 1.8, 1.9, 1.8, 1.9]
    mean, upper, lower = hand_limits(values)
    assert mean == pytest.approx(23 / 17)  # indices 9..16 (2, then 1.9/1.8) all lie above 1.353
    assert all(v > mean for v in values[9:]) and values[8] < mean
    chart = xmr(values)
    assert flagged(chart, "shift") == list(range(9, 17))
    assert flagged(chart, "outside_limits") == flagged(chart, "trend") == flagged(chart, "two_of_three") == []
    assert flagged(xmr(values, rules=SpcRules(shift=8)), "shift") == list(range(9, 17))
    assert flagged(xmr(values, rules=SpcRules(shift=9)), "shift") == []


def test_a_point_on_the_mean_breaks_a_shift():
    values = [0, 2] * 5 + [1.9, 1.8, 1.9]
    mean = sum(values) / len(values)
    values += [mean] + [1.9, 1.8, 1.9]  # 4 above (with index 9), the mean, 3 above: no run of 7
    assert flagged(xmr(values), "shift") == []


def test_trend_of_seven_rising_points_and_configurable_length():
    values = [3, 7] * 4 + [1, 2, 3, 4, 5, 6, 7] + [3, 7]
    chart = xmr(values)  # mean 78/17 = 4.59, moving ranges average 48/16 = 3: nothing else fires
    assert flagged(chart, "trend") == list(range(8, 15))
    assert flagged(chart, "shift") == flagged(chart, "outside_limits") == flagged(chart, "two_of_three") == []
    assert flagged(xmr(values, rules=SpcRules(trend=8)), "trend") == []
    falling = [7, 3] * 4 + [7, 6, 5, 4, 3, 2, 1] + [7, 3]
    assert flagged(xmr(falling), "trend") == list(range(8, 15))


def test_repeated_values_break_a_trend():
    values = [3, 7] * 4 + [1, 2, 3, 3, 4, 5, 6] + [3, 7]
    assert flagged(xmr(values), "trend") == []


def test_two_of_three_close_to_a_limit_on_one_side():
    values = [10, 12] * 7 + [16.5, 12, 16.8]
    mean, upper, _ = hand_limits(values)
    near = mean + 2 / 3 * (upper - mean)
    # mean 11.72, moving ranges 2.4875 on average: near-limit band 16.13-18.34 holds 16.5 and 16.8
    assert near < 16.5 < upper and near < 16.8 < upper and 12 > mean
    chart = xmr(values, better="lower")
    assert chart.rules[14] == ["two_of_three"] and chart.rules[16] == ["two_of_three"]
    assert sum(bool(r) for r in chart.rules) == 2
    assert chart.variation == "special_cause_concern"
    assert flagged(xmr(values, rules=SpcRules(two_of_three=False)), "two_of_three") == []


def test_two_of_three_needs_all_three_on_one_side():
    values = [10, 12] * 7 + [16.5, 8, 16.8]  # the middle point is below the mean
    assert flagged(xmr(values), "two_of_three") == []


def test_screening_large_moving_ranges():
    values = [2, 4] * 8 + [40, 3]
    plain, screened = xmr(values), xmr(values, rules=SpcRules(screen_outliers=True))
    # screened: the two ranges next to 40 (36, 37) exceed 3.267 x mean range and are left out
    ranges = [abs(b - a) for a, b in pairwise(values)]
    amr = sum(ranges) / len(ranges)
    kept = [r for r in ranges if r < 3.267 * amr]
    mean = sum(values) / len(values)
    assert screened.upper[0] == pytest.approx(mean + 2.66 * sum(kept) / len(kept))
    assert plain.upper[0] == pytest.approx(mean + 2.66 * amr)


def test_laney_p_prime_by_hand():
    x, n = [10, 20, 15], [100, 200, 100]
    p_bar = 45 / 400
    sigma = [math.sqrt(p_bar * (1 - p_bar) / k) for k in n]
    z = [(a / k - p_bar) / s for a, k, s in zip(x, n, sigma, strict=True)]
    sigma_z = (abs(z[1] - z[0]) + abs(z[2] - z[1])) / 2 / 1.128
    chart = laney(x, n, kind="p", rules=SpcRules(min_points=2), scale=100)
    assert chart.kind == "p_prime"
    assert chart.mean == pytest.approx(100 * p_bar)
    for i in range(3):
        assert chart.upper[i] == pytest.approx(100 * (p_bar + 3 * sigma[i] * sigma_z))
        assert chart.lower[i] == pytest.approx(100 * max(0.0, p_bar - 3 * sigma[i] * sigma_z))
    assert list(chart.values) == pytest.approx([10.0, 10.0, 15.0])


def test_laney_u_prime_uses_poisson_sigma():
    x, n = [4, 9, 5, 7], [1000, 1000, 1200, 1100]
    u_bar = sum(x) / sum(n)
    sigma = [math.sqrt(u_bar / k) for k in n]
    z = [(a / k - u_bar) / s for a, k, s in zip(x, n, sigma, strict=True)]
    sigma_z = sum(abs(b - a) for a, b in pairwise(z)) / 3 / 1.128
    chart = laney(x, n, kind="u", rules=SpcRules(min_points=2))
    assert chart.upper[2] == pytest.approx(u_bar + 3 * sigma[2] * sigma_z)


def test_rules_refuse_nonsense():
    with pytest.raises(ValueError, match="at least 2"):
        SpcRules(shift=1)
    with pytest.raises(ValueError, match="positive denominator"):
        laney([1, 2], [10, 0])
