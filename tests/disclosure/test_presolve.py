"""Issue 18: the zero-finding programme without its fixed atoms, singleton rows and copied rows
(`parity.disclosure.presolve`) finds the zeros one linear programme per atom finds, and still
reports inconsistent figures."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_checks import forced_zero_by_lp
from scipy.sparse import csr_matrix

from parity.disclosure.linear import implicit_zeros
from parity.disclosure.presolve import reduce


@st.composite
def with_singletons(draw):
    """A non-negative table (some zeros), rows over it, cells published alone (some twice, some
    negated or scaled) and copies of rows: the shapes the presolve takes out."""
    n = draw(st.integers(1, 7))
    x = np.array(draw(st.lists(st.one_of(st.just(0), st.integers(0, 9)), min_size=n, max_size=n)), dtype=float)
    rows = draw(st.lists(st.lists(st.sampled_from([0, 0, 1, 1, -1]), min_size=n, max_size=n), min_size=0, max_size=6))
    for j, c in draw(st.lists(st.tuples(st.integers(0, n - 1), st.sampled_from([1.0, -1.0, 2.0])), max_size=2 * n)):
        row = [0.0] * n
        row[j] = c
        rows.append(row)
    rows += [rows[i] for i in draw(st.lists(st.integers(0, max(len(rows) - 1, 0)), max_size=4))] if rows else []
    if not rows:
        rows = [[1.0] * n]
    order = draw(st.permutations(range(len(rows))))
    a = np.array([rows[i] for i in order], dtype=float).reshape(len(rows), n)
    return a, x


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_singletons())
def test_presolved_programme_finds_the_zeros_of_one_lp_per_atom(system):
    a, x = system
    b = a @ x
    expected = forced_zero_by_lp(a, b)
    assert (implicit_zeros(csr_matrix(a), b) == expected).all()
    assert (implicit_zeros(a, b) == expected).all()  # the dense programme, which keeps every row


def test_reduce_worked_example():
    # x0 = 4 (twice), x1 = 0, x0 + x1 + x2 = 9, x2 + x3 = 5 (twice), x3 - x4 = 0
    a = np.array([[1, 0, 0, 0, 0], [1, 0, 0, 0, 0], [0, 1, 0, 0, 0], [1, 1, 1, 0, 0], [0, 0, 1, 1, 0],
                  [0, 0, 1, 1, 0], [0, 0, 0, 1, -1]], dtype=float)
    b = np.array([4, 4, 0, 9, 5, 5, 0], dtype=float)
    rows, rhs, free, zero = reduce(csr_matrix(a), b)
    # x0, x1 fixed; then x2 = 5 (a new singleton) fixed, then x3 = 0 (x2 + x3 = 5), then x4 = 0
    assert free.tolist() == [] and rows.shape[0] == 0
    assert zero.tolist() == [False, True, False, True, True]
    assert implicit_zeros(csr_matrix(a), b).tolist() == [False, True, False, True, True]
    # without the singletons nothing is fixed, and the copy of a row goes
    rows, rhs, free, zero = reduce(csr_matrix(a[3:]), b[3:])
    assert free.tolist() == [0, 1, 2, 3, 4] and rows.shape[0] == 3 and rhs.tolist() == [9, 5, 0]


def test_inconsistent_singletons_are_still_reported():
    # x0 = 3 and x0 = 2: left in, so the programme reports them
    with pytest.raises(ValueError, match="inconsistent"):
        implicit_zeros(csr_matrix(np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 1.0]])), np.array([3.0, 2.0, 5.0]))
    # x0 = -1: a negative count
    with pytest.raises(ValueError, match="inconsistent"):
        implicit_zeros(csr_matrix(np.array([[1.0, 0.0], [0.0, 1.0]])), np.array([-1.0, 2.0]))
    # x0 = 3 fixed, then x0 + x1 = 2 leaves x1 = -1, and x0 = 3 with x0 = 3: a row 0 = 1 after substitution
    with pytest.raises(ValueError, match="inconsistent"):
        implicit_zeros(csr_matrix(np.array([[1.0, 0.0], [1.0, 1.0]])), np.array([3.0, 2.0]))
    with pytest.raises(ValueError, match="inconsistent"):
        implicit_zeros(csr_matrix(np.array([[1.0, 0.0], [2.0, 0.0], [1.0, 1.0], [1.0, 1.0]])),
                       np.array([3.0, 6.0, 3.0, 4.0]))
    # x0 = 2 and x1 = 3 fixed leave x0 + x1 = 6 as a row without atoms: 0 = 1
    with pytest.raises(ValueError, match="inconsistent"):
        implicit_zeros(csr_matrix(np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])), np.array([2.0, 3.0, 6.0]))
