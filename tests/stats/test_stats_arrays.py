"""`parity.stats.arrays` gives, table by table and to the last bit, what the scalar functions give
(issue 19: results must not depend on whether they were computed one by one or all at once)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parity.stats import arrays, difference_of_proportions, relative_likelihood, wilson
from parity.stats._table_tests import two_by_two_p_value


@st.composite
def tables(draw, most: int = 3000):
    n_a = draw(st.integers(0, most))
    n_b = draw(st.integers(0, most))
    return draw(st.integers(0, n_a)), n_a, draw(st.integers(0, n_b)), n_b


def _bits(scalar, vector) -> bool:
    """The same float to the last bit, or None where the array holds NaN."""
    if scalar is None:
        return math.isnan(vector)
    return scalar == vector and math.copysign(1, scalar) == math.copysign(1, vector)


CONFIDENCES = st.sampled_from([0.8, 0.9, 0.95, 0.99])


@settings(max_examples=150, deadline=None)
@given(st.lists(tables(), min_size=1, max_size=40), CONFIDENCES)
def test_wilson_and_newcombe_bit_for_bit(rows, confidence):
    a, na, b, nb = np.array(rows).T
    percent, low, high = arrays.wilson(a, na, confidence=confidence)
    diff, dlow, dhigh = arrays.newcombe(a, na, b, nb, confidence=confidence)
    for i, (x, nx, y, ny) in enumerate(rows):
        p = wilson(x, nx, confidence=confidence)
        assert _bits(p.percent, percent[i]) and _bits(p.ci_low, low[i]) and _bits(p.ci_high, high[i]), (x, nx)
        d = difference_of_proportions(x, nx, y, ny, confidence=confidence)
        assert _bits(d.value, diff[i]) and _bits(d.ci_low, dlow[i]) and _bits(d.ci_high, dhigh[i]), (x, nx, y, ny)


@settings(max_examples=150, deadline=None)
@given(st.lists(tables(), min_size=1, max_size=40), CONFIDENCES, st.sampled_from([1, 5, 10]))
def test_relative_likelihood_and_test_bit_for_bit(rows, confidence, small_count):
    a, na, b, nb = np.array(rows).T
    value, low, high, corrected = arrays.katz(a, na, b, nb, confidence=confidence)
    people = [i for i, r in enumerate(rows) if r[1] and r[3]]
    p, test = arrays.two_by_two_p_values(*(np.array(rows)[people].T if people else [[]] * 4),
                                         small_count=small_count)
    for i, (x, nx, y, ny) in enumerate(rows):
        want = relative_likelihood(x, nx, y, ny, confidence=confidence, small_count=small_count)
        assert _bits(want.value, value[i]), ("value", x, nx, y, ny)
        assert _bits(want.ci_low, low[i]) and _bits(want.ci_high, high[i]), ("interval", x, nx, y, ny)
        assert bool(corrected[i]) == want.continuity_correction
        if i in people:
            j = people.index(i)
            assert (want.p_value, want.test) == (p[j], test[j]), (x, nx, y, ny)


def test_large_tables_and_the_worked_example():
    # WRES 2 worked example (shared/domain/wres.md): 46.99% White vs 14.65% BME appointed -> 3.2075
    value, low, high, _ = arrays.katz([4699], [10000], [1465], [10000])
    assert round(float(value[0]), 4) == 3.2075 and low[0] < value[0] < high[0]
    rng = np.random.default_rng(19)
    na, nb = rng.integers(1, 200_000, 500), rng.integers(1, 200_000, 500)
    a, b = rng.integers(0, na + 1), rng.integers(0, nb + 1)
    p, test = arrays.two_by_two_p_values(a, na, b, nb, small_count=5)
    for i in range(500):
        table = np.array([[a[i], na[i] - a[i]], [b[i], nb[i] - b[i]]])
        assert (p[i], test[i]) == two_by_two_p_value(table, small_count=5)


def test_many_random_tables_bit_for_bit():
    """20,000 tables: NumPy's own log, exp or square would differ in the last bit somewhere here."""
    rng = np.random.default_rng(7)
    na, nb = rng.integers(1, 5000, 20_000), rng.integers(1, 5000, 20_000)
    a, b = rng.integers(0, na + 1), rng.integers(0, nb + 1)
    diff, low, high = arrays.newcombe(a, na, b, nb)
    value, rl_low, rl_high, _ = arrays.katz(a, na, b, nb)
    for i in range(20_000):
        d = difference_of_proportions(int(a[i]), int(na[i]), int(b[i]), int(nb[i]))
        assert (d.value, d.ci_low, d.ci_high) == (diff[i], low[i], high[i]), i
        r = relative_likelihood(int(a[i]), int(na[i]), int(b[i]), int(nb[i]))
        assert _bits(r.value, value[i]) and _bits(r.ci_low, rl_low[i]) and _bits(r.ci_high, rl_high[i]), i


def test_unequal_lengths_refused():
    with pytest.raises(ValueError, match="same length"):
        arrays.wilson([1, 2], [3])
