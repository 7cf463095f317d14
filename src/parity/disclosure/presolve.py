"""Atoms fixed by a row of their own, taken out of the zero-finding programme before HiGHS sees it.

`linear.implicit_zeros` asks one linear programme over the cone ``{(x, s) >= 0 : A x = s b}`` which
atoms every non-negative solution holds at zero. In a national component-year the programme has
84,008 rows over 50,310 atoms and 33,015 of the rows are *singletons* (one atom: ``c x_j = v``, a
figure that is one cell) and 20,774 are exact copies of another row (the same figure in two tables);
HiGHS's own presolve removes them, but that was about half the programme's time. Here, in a few array
operations:

* an atom whose singleton rows all give the same value ``w = v / c >= 0`` is *fixed*: ``x_j = s w`` in
  every point of the cone, so it is zero exactly when ``w = 0`` and positive otherwise (when the real
  data is feasible, ``s > 0``); it leaves every other row, its value moving to the right-hand side
  (``b_i - a_ij w``), and its singleton rows hold by construction and go. An atom with singleton rows
  that disagree, or a negative value, is left in, so the programme still reports the inconsistency;
* a row left with no atoms and a right-hand side of exactly 0 says nothing and goes (one with another
  right-hand side stays: ``0 = s b_i`` forces ``s = 0``, the programme's "inconsistent");
* a row equal to another (the same atoms, coefficients and right-hand side) goes.

The points of the cone over the remaining atoms are exactly the projections of the old ones (the fixed
atoms are functions of ``s``), so the remaining atoms' answers, and the consistency check, are the
same. The passes repeat while they fix atoms (a row left with one atom is a new singleton).
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix

#: passes of singleton fixing at most (each pass is a few array operations over the non-zeros)
PASSES = 8


def reduce(a: csr_matrix, b: np.ndarray) -> tuple[csr_matrix, np.ndarray, np.ndarray, np.ndarray]:
    """(rows, right-hand sides, the atoms they are over, the atoms fixed at zero) of the programme
    without its fixed atoms, their singleton rows, empty rows and copies (see the module docstring).

    The rows are over ``free`` (indices into the original atoms); every atom not in ``free`` is
    fixed, at zero where the returned mask says so and positive otherwise."""
    a = csr_matrix(a, dtype=float, copy=True)
    a.sum_duplicates()
    a.eliminate_zeros()
    b = np.asarray(b, dtype=float).copy()
    n = a.shape[1]
    free = np.arange(n)
    zero = np.zeros(n, dtype=bool)
    for _ in range(PASSES):
        fixed, value = _fixed(a, b)
        if not fixed.any():
            break
        x = np.where(fixed, value, 0.0)
        single = np.diff(a.indptr) == 1
        own = np.zeros(a.shape[0], dtype=bool)  # the fixed atoms' singleton rows
        own[single] = fixed[a.indices[a.indptr[:-1][single]]]
        b = (b - a @ x)[~own]
        a = a[~own][:, np.flatnonzero(~fixed)]
        zero[free[fixed & (value == 0)]] = True
        free = free[~fixed]
        a.eliminate_zeros()
        keep = (np.diff(a.indptr) > 0) | (b != 0)
        if not keep.all():
            a, b = a[keep], b[keep]
    a, b = _distinct(a, b)
    return a, b, free, zero


def _fixed(a: csr_matrix, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Atoms whose singleton rows all give one non-negative value, and that value (per atom)."""
    n = a.shape[1]
    single = np.flatnonzero(np.diff(a.indptr) == 1)
    atoms = a.indices[a.indptr[single]]
    value = b[single] / a.data[a.indptr[single]]
    low = np.full(n, np.inf)
    high = np.full(n, -np.inf)
    np.minimum.at(low, atoms, value)
    np.maximum.at(high, atoms, value)
    fixed = (low == high) & (low >= 0)
    return fixed, np.where(fixed, low, 0.0)


def _distinct(a: csr_matrix, b: np.ndarray) -> tuple[csr_matrix, np.ndarray]:
    """The rows without exact copies (the same atoms, coefficients and right-hand side), in order."""
    a.sort_indices()
    seen: set[bytes] = set()
    keep = np.ones(a.shape[0], dtype=bool)
    indptr, indices, data = a.indptr, a.indices, a.data
    for i in range(a.shape[0]):
        s, e = indptr[i], indptr[i + 1]
        key = indices[s:e].tobytes() + data[s:e].tobytes() + b[i].tobytes()
        if key in seen:
            keep[i] = False
        else:
            seen.add(key)
    return (a, b) if keep.all() else (a[keep], b[keep])
