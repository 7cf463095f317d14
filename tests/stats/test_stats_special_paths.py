"""The standard path's `scipy.special` calls give SciPy's `scipy.stats` answers to the last bit (issue 19).

`parity.stats` avoids importing `scipy.stats` (about a second of start-up) by calling the special
functions `scipy.stats` itself calls: `ndtri` (norm.ppf), `ndtr` (norm.sf by symmetry), `stdtrit`
(t.ppf), `chdtrc` (chi2.sf), with the chi-square statistic and expected counts written out. Each is
checked for exact equality against `scipy.stats` over many random inputs, so no published figure moves.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from scipy.special import ndtr, ndtri, stdtrit

from parity.stats._table_tests import CHI_SQUARE, chi_square_p_value, expected_counts, two_by_two_p_value

RNG = np.random.default_rng(19)


def test_normal_and_t_quantiles_equal_scipy_stats():
    for q in [0.9, 0.95, 0.975, 0.995, *RNG.uniform(0.5, 1, 500)]:
        assert ndtri(q) == stats.norm.ppf(q)
        for df in (1, 2, 7, 30, 499, *RNG.uniform(1, 4000, 3)):
            assert stdtrit(df, q) == stats.t.ppf(q, df)
    for z in RNG.normal(0, 4, 2000):
        assert 2 * ndtr(-abs(z)) == 2 * stats.norm.sf(abs(z))


@pytest.mark.parametrize("scale", [10, 1_000, 1_000_000])
def test_chi_square_equals_chi2_contingency(scale):
    for _ in range(400):
        table = RNG.integers(1, scale, size=(2, 2))
        assert np.array_equal(expected_counts(table), stats.contingency.expected_freq(table))
        assert chi_square_p_value(table) == stats.chi2_contingency(table, correction=False).pvalue


def test_two_by_two_hand_worked():
    # 30/100 vs 20/100: expected 25 and 75 per row; chi2 = 4 * 25/25 ... = 2*(25/25 + 25/75) = 2.6667
    p, test = two_by_two_p_value(np.array([[30, 70], [20, 80]]), small_count=5)
    assert test == CHI_SQUARE
    chi2 = 2 * (5**2 / 25 + 5**2 / 75)
    assert chi2 == pytest.approx(8 / 3)
    assert p == pytest.approx(0.10247043485974947, rel=1e-12)  # erfc(sqrt(chi2 / 2)), df = 1
