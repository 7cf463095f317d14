"""Benjamini-Hochberg against SciPy and against the step-up rule written out."""

import math
import re

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.stats import false_discovery_control

from parity.stats import benjamini_hochberg
from parity.stats.multiple_testing import BAD_ALPHA, BAD_P_VALUE

p_values = st.lists(st.floats(min_value=0, max_value=1, allow_nan=False), min_size=1, max_size=60)


@settings(max_examples=300, deadline=None)
@given(p_values, st.sampled_from([0.01, 0.05, 0.1]))
def test_matches_scipy(p, alpha):
    adjusted, rejected = benjamini_hochberg(p, alpha=alpha)
    np.testing.assert_allclose(adjusted, false_discovery_control(p, method="bh"), rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(rejected, adjusted <= alpha)


@settings(max_examples=200, deadline=None)
@given(p_values, st.sampled_from([0.05, 0.2]))
def test_rejections_follow_the_step_up_rule(p, alpha):
    # Reject the k smallest, where k is the largest i with p_(i) <= i * alpha / m.
    m = len(p)
    ranked = sorted(p)
    # a p-value on its threshold to the last bit (0.05 against 3 x 0.05 / 3) is decided by rounding,
    # in scipy as here: such ties are left out, every other case must follow the rule exactly
    assume(all(abs(r - i * alpha / m) > 1e-12 for i, r in enumerate(ranked, 1)))
    k = max([i for i in range(1, m + 1) if ranked[i - 1] <= i * alpha / m], default=0)
    expected = [value <= ranked[k - 1] if k else False for value in p]
    _, rejected = benjamini_hochberg(p, alpha=alpha)
    assert rejected.tolist() == expected


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.just(math.nan), st.floats(0, 1, allow_nan=False)), min_size=1, max_size=40
    )
)
def test_missing_values_pass_through_and_are_not_counted(p):
    adjusted, rejected = benjamini_hochberg(p)
    missing = np.array([value is None or math.isnan(value) for value in p])
    assert np.isnan(adjusted[missing]).all()
    assert not rejected[missing].any()
    present = [value for value in p if value is not None and not math.isnan(value)]
    if present:
        np.testing.assert_allclose(
            adjusted[~missing], false_discovery_control(present, method="bh"), rtol=1e-12
        )


def test_small_example_by_hand():
    # m = 3 present: 0.01 * 3/1 = 0.03; 0.03 * 3/2 = 0.045; 0.04 * 3/3 = 0.04 -> step-down min 0.04.
    adjusted, rejected = benjamini_hochberg([0.01, 0.04, None, 0.03])
    np.testing.assert_allclose(adjusted, [0.03, 0.04, np.nan, 0.04])
    assert rejected.tolist() == [True, True, False, True]
    assert adjusted.dtype == float and rejected.dtype == bool


def test_empty_input():
    adjusted, rejected = benjamini_hochberg([])
    assert adjusted.shape == rejected.shape == (0,)


@pytest.mark.parametrize(
    ("p", "alpha", "message"),
    [
        ([0.1, 1.5], 0.05, BAD_P_VALUE.format(value=1.5)),
        ([-0.1], 0.05, BAD_P_VALUE.format(value=-0.1)),
        (["0.1"], 0.05, BAD_P_VALUE.format(value="0.1")),
        ([0.1], 0.0, BAD_ALPHA.format(value=0.0)),
    ],
)
def test_invalid_input(p, alpha, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        benjamini_hochberg(p, alpha=alpha)
