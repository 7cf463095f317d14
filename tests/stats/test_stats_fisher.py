"""Fisher's exact test over arrays of 2x2 tables (`parity.stats.fisher`), against SciPy and by hand."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from scipy.stats import fisher_exact

from parity.stats._table_tests import fisher_p_value
from parity.stats.fisher import fisher_p_values


def _tables(seed: int, high: int, size: int) -> tuple[np.ndarray, ...]:
    cells = np.random.default_rng(seed).integers(0, high + 1, size=(size, 4))
    a, c, b, d = cells.T
    keep = (a + c > 0) & (b + d > 0)
    return a[keep], (a + c)[keep], b[keep], (b + d)[keep]


def _exact_by_hand(a: int, na: int, b: int, nb: int) -> float:
    """The definition with whole numbers: the probability of every table with the same margins that
    is no more likely than the observed one."""
    n, total = a + b, na + nb
    prob = {x: Fraction(math.comb(na, x) * math.comb(nb, n - x), math.comb(total, n))
            for x in range(max(0, n - nb), min(n, na) + 1)}
    return float(sum(p for p in prob.values() if p <= prob[a]))


def test_hand_worked_tea_tasting():
    # SciPy's documented example: [[8, 2], [1, 5]] -> 0.0349650...; by hand 0.034965034965...
    assert fisher_p_values([8], [10], [1], [6])[0] == pytest.approx(_exact_by_hand(8, 10, 1, 6), rel=1e-12)
    assert fisher_p_values([8], [10], [1], [6])[0] == pytest.approx(0.034965034965034975, rel=1e-12)


@pytest.mark.parametrize("high", [3, 12, 60, 400, 3000])
def test_thousands_of_tables_match_scipy(high):
    a, na, b, nb = _tables(high, high, 1500)
    got = fisher_p_values(a, na, b, nb)
    expected = np.array([fisher_exact([[x, m - x], [y, k - y]]).pvalue for x, m, y, k in zip(a, na, b, nb, strict=True)])
    assert np.allclose(got, expected, rtol=1e-9, atol=1e-300)


def test_small_tables_match_whole_number_arithmetic():
    a, na, b, nb = _tables(5, 9, 400)
    got = fisher_p_values(a, na, b, nb)
    for i in range(a.size):
        assert got[i] == pytest.approx(_exact_by_hand(int(a[i]), int(na[i]), int(b[i]), int(nb[i])), rel=1e-12)


def test_ties_and_degenerate_tables():
    # mirror images tie exactly: both tails count; an empty column or a single possible table gives 1
    assert fisher_p_values([2], [5], [3], [5])[0] == pytest.approx(1.0)
    assert fisher_p_values([0], [5], [5], [5])[0] == pytest.approx(_exact_by_hand(0, 5, 5, 5), rel=1e-12)
    assert fisher_p_values([0, 3, 0], [4, 3, 7], [0, 2, 0], [9, 2, 1]).tolist() == [1.0, 1.0, 1.0]


def test_one_table_alone_gives_the_same_bits_as_in_a_batch():
    a, na, b, nb = _tables(11, 200, 300)
    batch = fisher_p_values(a, na, b, nb)
    alone = [fisher_p_value(np.array([[x, m - x], [y, k - y]])) for x, m, y, k in zip(a, na, b, nb, strict=True)]
    assert batch.tolist() == alone


def test_bad_counts_are_refused():
    with pytest.raises(ValueError, match="events <= people"):
        fisher_p_values([6], [5], [1], [5])
