"""Cochran-Armitage trend test: hand-worked and published examples, and an identity with r."""

import math
import re

import numpy as np
import pytest
from scipy.stats import norm, pearsonr

from parity.stats import TrendTest, trend_in_proportions
from parity.stats.trend import LENGTH_MISMATCH, TOO_FEW_PERIODS

# Agresti, Categorical Data Analysis (2nd ed., 2002), section 3.4: infant malformation by mother's
# alcohol consumption (0, <1, 1-2, 3-5, >=6 drinks a day). Reported M^2 = 6.57 with scores
# (0, 0.5, 1.5, 4, 7) and 1.83 with scores (1..5); M^2 = (N-1) r^2 and Cochran-Armitage z^2 = N r^2,
# which differ by a factor 1.00003 here.
MALFORMATION_PRESENT = [48, 38, 5, 1, 1]
MALFORMATION_ABSENT = [17066, 14464, 788, 126, 37]


def test_hand_worked_example(assert_json_safe):
    # 1/10, 3/10, 6/10 with scores 0, 1, 2: p-bar = 1/3, t-bar = 1,
    # T = 0*(1 - 10/3) + 1*(3 - 10/3) + 2*(6 - 10/3) = 5, S_tt = 10*(1 + 0 + 1) = 20,
    # var = (1/3)(2/3)(20) = 40/9, z = 5 / sqrt(40/9) = 2.3717082..., slope = 5/20 = 0.25 = 25 pp.
    result = trend_in_proportions([1, 3, 6], [10, 10, 10])
    assert result.z == pytest.approx(2.3717082451, rel=1e-9)
    assert result.p_value == pytest.approx(2 * norm.sf(2.3717082451), rel=1e-8)
    assert result.slope == pytest.approx(25.0)
    assert result.test == "cochran_armitage"
    assert_json_safe(result.to_dict())
    assert TrendTest(**result.to_dict()) == result


@pytest.mark.parametrize(("scores", "z_squared"), [([0, 0.5, 1.5, 4, 7], 6.57), ([1, 2, 3, 4, 5], 1.83)])
def test_agresti_malformation_example(scores, z_squared):
    totals = [x + y for x, y in zip(MALFORMATION_PRESENT, MALFORMATION_ABSENT, strict=True)]
    result = trend_in_proportions(MALFORMATION_PRESENT, totals, scores)
    assert round(result.z**2, 2) == z_squared
    assert result.z > 0


def test_z_squared_equals_n_r_squared_over_individuals():
    counts, totals, scores = [12, 30, 41, 38], [100, 150, 160, 120], [2019, 2020, 2021, 2023]
    outcome = np.concatenate(
        [np.r_[np.ones(x), np.zeros(n - x)] for x, n in zip(counts, totals, strict=True)]
    )
    score = np.repeat(scores, totals)
    r = pearsonr(score, outcome).statistic
    result = trend_in_proportions(counts, totals, scores)
    assert result.z == pytest.approx(math.sqrt(len(outcome)) * r, rel=1e-9)


def test_falling_trend_is_negative_and_scores_rescale():
    counts, totals = [40, 30, 20, 10], [100, 100, 100, 100]
    by_index = trend_in_proportions(counts, totals)
    by_year = trend_in_proportions(counts, totals, [2020, 2021, 2022, 2023])
    by_two_years = trend_in_proportions(counts, totals, [0, 2, 4, 6])
    assert by_index.z < 0 and by_index.slope == pytest.approx(-10.0)
    assert by_year.z == pytest.approx(by_index.z) and by_year.slope == pytest.approx(-10.0)
    assert by_two_years.z == pytest.approx(by_index.z) and by_two_years.slope == pytest.approx(-5.0)


def test_flat_data_has_no_trend():
    result = trend_in_proportions([10, 10, 10], [100, 100, 100])
    assert result.z == pytest.approx(0.0, abs=1e-12) and result.p_value == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("counts", "totals", "expected"),
    [
        ([0, 0, 0], [10, 20, 30], (0.0, None, 1.0)),
        ([10, 20, 30], [10, 20, 30], (0.0, None, 1.0)),
        ([0, 3, 0], [0, 10, 0], (None, None, None)),
        ([0, 0], [0, 0], (None, None, None)),
    ],
)
def test_degenerate_data(counts, totals, expected, assert_json_safe):
    result = trend_in_proportions(counts, totals)
    assert (result.slope, result.z, result.p_value) == expected
    assert_json_safe(result.to_dict())


def test_invalid_input():
    with pytest.raises(ValueError, match=re.escape(LENGTH_MISMATCH.format(lengths=(2, 3, 2)))):
        trend_in_proportions([1, 2], [3, 4, 5])
    with pytest.raises(ValueError, match=re.escape(TOO_FEW_PERIODS.format(n=1))):
        trend_in_proportions([1], [3])
    with pytest.raises(ValueError, match="cannot be larger"):
        trend_in_proportions([1, 5], [3, 4])
