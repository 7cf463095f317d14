"""Stratified percentile bootstrap: determinism, stratification, coverage sanity."""

import re

import numpy as np
import pytest
from scipy.stats import bootstrap, norm

from parity.stats import bootstrap as bootstrap_module
from parity.stats import bootstrap_ci
from parity.stats.bootstrap import BAD_RESAMPLES, EMPTY_INPUT, NON_FINITE_STATISTIC, SHAPE_MISMATCH


def mean_gap(values, groups):
    return values[groups == "b"].mean() - values[groups == "a"].mean()


def median_gap(values, groups):
    return np.median(values[groups == "b"]) - np.median(values[groups == "a"])


def _two_groups(rng, n_a, n_b, shift, sd=1.0):
    values = np.r_[rng.normal(10, sd, n_a), rng.normal(10 + shift, sd, n_b)]
    return values, np.array(["a"] * n_a + ["b"] * n_b)


def test_same_seed_same_interval_and_seed_matters():
    values, groups = _two_groups(np.random.default_rng(3), 60, 40, 1.0)
    first = bootstrap_ci(median_gap, values, groups, n_resamples=300, seed=11)
    assert first == bootstrap_ci(median_gap, values, groups, n_resamples=300, seed=11)
    assert first != bootstrap_ci(median_gap, values, groups, n_resamples=300, seed=12)
    assert all(isinstance(bound, float) for bound in first)


def test_group_sizes_are_fixed_in_every_resample():
    values, groups = _two_groups(np.random.default_rng(4), 7, 93, 0.0)
    seen = []

    def size_of_a(v, g):
        seen.append((np.count_nonzero(g == "a"), set(v[g == "a"]) <= set(values[:7])))
        return float(np.count_nonzero(g == "a"))

    assert bootstrap_ci(size_of_a, values, groups, n_resamples=50) == (7.0, 7.0)
    assert seen == [(7, True)] * 50


def test_unsorted_and_numeric_group_labels():
    rng = np.random.default_rng(5)
    groups = rng.permutation(np.r_[np.zeros(30, int), np.ones(20, int)])
    values = rng.normal(size=50) + groups

    def gap(v, g):
        return v[g == 1].mean() - v[g == 0].mean()

    low, high = bootstrap_ci(gap, values, groups, n_resamples=400)
    assert low < gap(values, groups) < high


def test_large_sample_interval_contains_truth_and_has_normal_width():
    values, groups = _two_groups(np.random.default_rng(6), 2000, 2000, 1.0)
    low, high = bootstrap_ci(mean_gap, values, groups, n_resamples=1000)
    assert low < 1.0 < high
    expected_width = 2 * norm.ppf(0.975) * np.sqrt(2 / 2000)
    assert high - low == pytest.approx(expected_width, rel=0.15)


def test_coverage_is_near_nominal():
    rng = np.random.default_rng(7)
    hits = 0
    for _ in range(100):
        values, groups = _two_groups(rng, 80, 60, 0.5)
        low, high = bootstrap_ci(mean_gap, values, groups, n_resamples=300, seed=int(rng.integers(1 << 30)))
        hits += low < 0.5 < high
    assert 85 <= hits <= 100


def test_one_group_agrees_with_scipy_percentile_bootstrap():
    values = np.random.default_rng(8).exponential(2.0, 300)
    ours = bootstrap_ci(lambda v, g: v.mean(), values, np.zeros(300), n_resamples=4000)
    theirs = bootstrap(
        (values,), np.mean, n_resamples=4000, method="percentile", random_state=np.random.default_rng(9)
    ).confidence_interval
    assert ours == pytest.approx((theirs.low, theirs.high), rel=0.05)


def test_blocks_of_resamples_give_the_same_distribution(monkeypatch):
    values, groups = _two_groups(np.random.default_rng(10), 50, 50, 1.0)
    whole = bootstrap_ci(mean_gap, values, groups, n_resamples=2000)
    monkeypatch.setattr(bootstrap_module, "_BLOCK_ENTRIES", 700)
    blocked = bootstrap_ci(mean_gap, values, groups, n_resamples=2000)
    assert blocked == pytest.approx(whole, rel=0.1)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((np.ones(3), np.ones(2)), {}, SHAPE_MISMATCH.format(values=(3,), groups=(2,))),
        ((np.ones(0), np.ones(0)), {}, EMPTY_INPUT),
        ((np.ones(3), np.ones(3)), {"n_resamples": 0}, BAD_RESAMPLES.format(value=0)),
    ],
)
def test_invalid_input(args, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        bootstrap_ci(mean_gap, *args, **kwargs)


def test_non_finite_statistic_is_an_error():
    message = NON_FINITE_STATISTIC.format(count=10, total=10)
    with pytest.raises(ValueError, match=re.escape(message)):
        bootstrap_ci(lambda v, g: np.inf, np.ones(4), np.ones(4), n_resamples=10)
