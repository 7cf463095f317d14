"""Wilson intervals against SciPy; Newcombe's interval against the published table."""

import math
import re

import numpy as np
import pytest
from scipy.stats import binomtest

from parity.stats import Difference, Proportion, difference_of_proportions, wilson
from parity.stats._validation import EVENTS_EXCEED_TOTAL

# Newcombe (1998), Statistics in Medicine 17:873-890, Table II, method 10 (hybrid score),
# 95% limits for p1 - p2 on the 0-1 scale: (x1, n1, x2, n2, lower, upper).
NEWCOMBE_METHOD_10 = [
    (56, 70, 48, 80, 0.0524, 0.3339),
    (9, 10, 3, 10, 0.1705, 0.8090),
    (5, 56, 0, 29, -0.0381, 0.1926),
    (0, 10, 0, 20, -0.1611, 0.2775),
    (0, 10, 0, 10, -0.2775, 0.2775),
]


@pytest.mark.parametrize("confidence", [0.8, 0.95, 0.99])
def test_wilson_matches_scipy_binomtest(confidence):
    rng = np.random.default_rng(1)
    cases = [(0, 1), (1, 1), (0, 7), (7, 7), (3, 7)] + [
        (int(k), int(n)) for n in rng.integers(1, 2000, size=300) for k in [rng.integers(0, n + 1)]
    ]
    for k, n in cases:
        reference = binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
        result = wilson(k, n, confidence=confidence)
        assert result.percent == pytest.approx(100 * k / n, rel=1e-12)
        assert result.ci_low == pytest.approx(100 * reference.low, rel=1e-9, abs=1e-9)
        assert result.ci_high == pytest.approx(100 * reference.high, rel=1e-9, abs=1e-9)


def test_wilson_hand_worked():
    # 0/10: limits 0 and z^2 / (n + z^2) = 3.8415 / 13.8415 = 27.75%.
    z2 = 1.959963984540054**2
    result = wilson(0, 10)
    assert result.ci_low == 0.0
    assert result.ci_high == pytest.approx(100 * z2 / (10 + z2), rel=1e-12)


def test_wilson_with_nobody(assert_json_safe):
    result = wilson(0, 0)
    assert (result.percent, result.ci_low, result.ci_high) == (None, None, None)
    assert_json_safe(result.to_dict())
    assert Proportion(**result.to_dict()) == result


@pytest.mark.parametrize(("x1", "n1", "x2", "n2", "lower", "upper"), NEWCOMBE_METHOD_10)
def test_newcombe_matches_published_table(x1, n1, x2, n2, lower, upper):
    result = difference_of_proportions(x1, n1, x2, n2)
    assert result.method == "newcombe_wilson"
    assert result.value == pytest.approx(100 * (x1 / n1 - x2 / n2))
    assert round(result.ci_low / 100, 4) == lower
    assert round(result.ci_high / 100, 4) == upper


def test_newcombe_by_hand_for_two_empty_groups():
    # 0/10 vs 0/10: d = 0, each Wilson upper limit is z^2 / (10 + z^2), so the interval is +/- that.
    z2 = 1.959963984540054**2
    result = difference_of_proportions(0, 10, 0, 10)
    assert result.ci_low == pytest.approx(-100 * z2 / (10 + z2))
    assert result.ci_high == pytest.approx(100 * z2 / (10 + z2))


def test_difference_swaps_sign_with_groups():
    forward, backward = difference_of_proportions(30, 80, 12, 90), difference_of_proportions(12, 90, 30, 80)
    assert backward.value == pytest.approx(-forward.value)
    assert backward.ci_low == pytest.approx(-forward.ci_high)
    assert backward.ci_high == pytest.approx(-forward.ci_low)


def test_difference_stays_in_range():
    for case in [(10, 10, 0, 10), (0, 10, 10, 10), (1, 1, 0, 1)]:
        result = difference_of_proportions(*case)
        assert -100 <= result.ci_low <= result.value <= result.ci_high <= 100


@pytest.mark.parametrize("case", [(0, 0, 3, 10), (3, 10, 0, 0)])
def test_difference_with_an_empty_group(case, assert_json_safe):
    result = difference_of_proportions(*case)
    assert (result.value, result.ci_low, result.ci_high) == (None, None, None)
    assert_json_safe(result.to_dict())
    assert Difference(**result.to_dict()) == result


def test_difference_validates():
    message = EVENTS_EXCEED_TOTAL.format(events_name="count_a", events=5, total_name="n_a", total=4)
    with pytest.raises(ValueError, match=re.escape(message)):
        difference_of_proportions(5, 4, 1, 2)
    assert math.isclose(difference_of_proportions(1, 2, 1, 2).value, 0.0)
