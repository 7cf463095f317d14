"""Two-sided Fisher's exact test for many 2x2 tables at once, with NumPy alone (issue 19).

For the table ``[[a, na - a], [b, nb - b]]`` with both margins fixed, the top-left cell follows the
hypergeometric distribution (Fisher 1935; Agresti, *Categorical Data Analysis*, 3rd ed., §3.5.1).
The two-sided p-value is the total probability of the tables no more likely than the one observed,
the definition `scipy.stats.fisher_exact` and R's ``fisher.test`` use. Probabilities are needed
only relative to one another, so each table's are built from the ratio of neighbouring terms,
``P(x + 1) / P(x) = (na - x)(n - x) / ((x + 1)(nb - n + x + 1))`` with ``n = a + b``, summed as
logarithms along the table's support (no factorials of large numbers, no underflow in the tails);
the p-value is then ``sum(kept) / sum(all)``. "No more likely" allows a relative 1e-7 for rounding,
as R does, so tables that tie exactly (e.g. mirror images) are counted.

Tables are grouped by the width of their support (rounded up to a power of two) and each group is
one 2-D array, so a table's p-value does not depend on which others share the call: the scalar
`parity.stats._table_tests.fisher_p_value` calls this with one table and gets the same bits.
Agrees with `scipy.stats.fisher_exact` to a relative 1e-9 (tests compare thousands of tables);
and it does not import `scipy.stats` (about a second of start-up).
"""

from __future__ import annotations

import numpy as np

#: relative tolerance for "no more likely than the observed table" (R's fisher.test uses 1 + 1e-7)
RELATIVE_TOLERANCE = 1e-7
#: cells of one padded block (tables x support width), to bound memory
_BLOCK_CELLS = 2_000_000


def fisher_p_values(a, na, b, nb) -> np.ndarray:
    """Two-sided Fisher exact p-value of each table ``[[a, na - a], [b, nb - b]]``.

    Counts are whole numbers with ``0 <= a <= na`` and ``0 <= b <= nb``; a table whose rows or
    columns include an empty one has p = 1 (as SciPy).
    """
    a, na, b, nb = (np.asarray(x, dtype=np.int64).ravel() for x in (a, na, b, nb))
    if not a.shape == na.shape == b.shape == nb.shape:
        raise ValueError("count arrays must have the same length")
    if ((a < 0) | (b < 0) | (a > na) | (b > nb)).any():
        raise ValueError("Fisher's exact test needs counts with 0 <= events <= people")
    n = a + b
    low = np.maximum(0, n - nb)
    width = np.minimum(n, na) - low + 1
    p = np.ones(a.size)
    # one padded block per power-of-two width: a table's arithmetic depends only on its own width
    bucket = np.ceil(np.log2(np.maximum(width, 1))).astype(np.int64)
    for k in np.unique(bucket[width > 1]):
        w = 1 << int(k)
        rows_all = np.flatnonzero(bucket == k)
        step = max(1, _BLOCK_CELLS // w)
        for start in range(0, rows_all.size, step):
            rows = rows_all[start:start + step]
            p[rows] = _block(a[rows], na[rows], nb[rows], n[rows], low[rows], width[rows], w)
    return np.minimum(p, 1.0)


def _block(a, na, nb, n, low, width, w: int) -> np.ndarray:
    """p-values of tables whose supports fit in `w` points (padded with -inf)."""
    x = low[:, None] + np.arange(w - 1)[None, :]  # each step x -> x + 1
    with np.errstate(divide="ignore", invalid="ignore"):
        up = np.log(((na[:, None] - x) * (n[:, None] - x)).astype(np.float64))
        down = np.log(((x + 1) * (nb[:, None] - n[:, None] + x + 1)).astype(np.float64))
    inside = np.arange(1, w)[None, :] < width[:, None]
    steps = np.where(inside, up - down, 0.0)
    log_p = np.concatenate([np.zeros((a.size, 1)), np.cumsum(steps, axis=1)], axis=1)
    valid = np.arange(w)[None, :] < width[:, None]
    log_p = np.where(valid, log_p, -np.inf)
    observed = log_p[np.arange(a.size), a - low]
    top = log_p.max(axis=1, keepdims=True)
    weight = np.exp(log_p - top)  # the most likely table weighs 1; padding 0
    kept = np.where(log_p <= observed[:, None] + np.log1p(RELATIVE_TOLERANCE), weight, 0.0)
    return kept.sum(axis=1) / weight.sum(axis=1)
