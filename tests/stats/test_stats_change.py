"""Change between years: ratio of relative likelihoods and change in a percentage."""

import math

import pytest
from scipy.stats import chi2_contingency, norm

from parity.stats import (
    Change,
    change_in_proportion,
    change_in_relative_likelihood,
    difference_of_proportions,
    relative_likelihood,
    wilson,
)


def test_ratio_of_relative_likelihoods_by_hand(assert_json_safe):
    current, previous = relative_likelihood(60, 1000, 40, 2000), relative_likelihood(30, 1000, 40, 2000)
    change = change_in_relative_likelihood(current, previous)
    variance = (1 / 60 - 1 / 1000 + 1 / 40 - 1 / 2000) + (1 / 30 - 1 / 1000 + 1 / 40 - 1 / 2000)
    z = math.log(2.0) / math.sqrt(variance)
    assert (change.previous, change.current) == (pytest.approx(1.5), pytest.approx(3.0))
    assert change.ratio == pytest.approx(2.0)
    assert change.p_value == pytest.approx(2 * (1 - norm.cdf(z)), rel=1e-9)
    half = 1.959963984540054 * math.sqrt(variance)
    assert change.ci_low == pytest.approx(2.0 * math.exp(-half)) and change.ci_high == pytest.approx(
        2.0 * math.exp(half)
    )
    assert change.beyond_chance is True
    assert change.test == "ratio_of_relative_likelihoods_z"
    assert change.difference is None
    assert_json_safe(change.to_dict())
    assert Change(**change.to_dict()) == change


def test_swapping_years_inverts_ratio_with_same_p():
    one, other = relative_likelihood(25, 400, 30, 900), relative_likelihood(18, 380, 35, 950)
    forward, backward = change_in_relative_likelihood(one, other), change_in_relative_likelihood(other, one)
    assert backward.ratio == pytest.approx(1 / forward.ratio)
    assert backward.ci_low == pytest.approx(1 / forward.ci_high)
    assert backward.ci_high == pytest.approx(1 / forward.ci_low)
    assert backward.p_value == pytest.approx(forward.p_value, rel=1e-12)
    assert backward.beyond_chance == forward.beyond_chance


def test_no_real_change_is_not_beyond_chance():
    change = change_in_relative_likelihood(
        relative_likelihood(30, 1000, 20, 1000), relative_likelihood(31, 1000, 20, 1000)
    )
    assert change.beyond_chance is False
    assert change.ci_low < 1 < change.ci_high


@pytest.mark.parametrize("counts", [(0, 100, 5, 100), (0, 0, 5, 100), (0, 100, 0, 100)])
def test_undefined_year_gives_none(counts, assert_json_safe):
    defined = relative_likelihood(10, 100, 5, 100)
    for current, previous in [
        (relative_likelihood(*counts), defined),
        (defined, relative_likelihood(*counts)),
    ]:
        change = change_in_relative_likelihood(current, previous)
        assert (change.ratio, change.ci_low, change.ci_high, change.p_value, change.beyond_chance) == (
            None,
        ) * 5
        assert_json_safe(change.to_dict())


def test_change_in_proportion():
    current, previous = wilson(56, 70), wilson(48, 80)
    change = change_in_proportion(current, previous)
    reference = difference_of_proportions(56, 70, 48, 80)
    assert change.difference == pytest.approx(20.0)
    assert (change.ci_low, change.ci_high) == (
        pytest.approx(reference.ci_low),
        pytest.approx(reference.ci_high),
    )
    # The pooled two-proportion z-test equals Pearson's chi-square without Yates' correction.
    expected_p = chi2_contingency([[56, 14], [48, 32]], correction=False).pvalue
    assert change.p_value == pytest.approx(expected_p, rel=1e-9)
    assert change.ratio is None
    assert (change.previous, change.current) == (pytest.approx(60.0), pytest.approx(80.0))
    assert change.test == "two_proportion_z_pooled"
    assert change.beyond_chance is True


def test_change_in_proportion_is_antisymmetric():
    a, b = wilson(120, 400), wilson(100, 410)
    forward, backward = change_in_proportion(a, b), change_in_proportion(b, a)
    assert backward.difference == pytest.approx(-forward.difference)
    assert backward.p_value == pytest.approx(forward.p_value)


@pytest.mark.parametrize(
    ("current", "previous", "p_value"),
    [((0, 0), (3, 10), None), ((0, 20), (0, 30), 1.0), ((20, 20), (30, 30), 1.0)],
)
def test_change_in_proportion_edge_cases(current, previous, p_value, assert_json_safe):
    change = change_in_proportion(wilson(*current), wilson(*previous))
    assert change.p_value == p_value
    assert_json_safe(change.to_dict())
