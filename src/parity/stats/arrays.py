"""Wilson, Newcombe, Katz and the 2x2 test over whole arrays of tables: the scalar functions'
arithmetic, bit for bit (issue 19).

Every organisation-year's statistics are computed at once rather than by a Python call per table.
Bit-identical to `wilson`, `difference_of_proportions`, `relative_likelihood` and
`two_by_two_p_value` (tests compare them on random tables), so results do not depend on which route
computed them: the four arithmetic operations and square roots are IEEE-exact in NumPy as in
Python, but NumPy's vectorised ``log``, ``exp`` and ``x ** 2`` are not the C library's (they differ
in the last bit for about 1 value in 1,000 to 40), so those few operations run element by element
through Python's own. Fisher's exact test (`parity.stats.fisher`, one array pass) is run only for
the small tables that need it (any cell or expected count below ``small_count``).
"""

from __future__ import annotations

import math

import numpy as np

from parity.stats._table_tests import CHI_SQUARE, FISHER_EXACT
from parity.stats.fisher import fisher_p_values
from parity.stats.relative_likelihood import HALDANE_ANSCOMBE, z_quantile
from parity.stats.special import chdtrc


def _each(fn, values: np.ndarray) -> np.ndarray:
    """`fn` of each value through Python's float functions (the scalar code's, to the last bit)."""
    return np.fromiter((fn(v) for v in values.tolist()), dtype=np.float64, count=values.size)


def _square(v: float) -> float:
    return v ** 2


def counts(*columns) -> tuple[np.ndarray, ...]:
    """Whole-number count columns as int64 arrays of one length."""
    out = tuple(np.asarray(c, dtype=np.int64).ravel() for c in columns)
    if len({c.shape for c in out}) > 1:
        raise ValueError("count arrays must have the same length")
    return out


def wilson_bounds(count: np.ndarray, n: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """`parity.stats.proportions.wilson_bounds` (0-1 scale) for each table; NaN where ``n`` is 0."""
    z = z_quantile(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = count / n
        denominator = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denominator
        half_width = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
        low = np.where(count == 0, 0.0, np.maximum(centre - half_width, 0.0))
        high = np.where(count == n, 1.0, np.minimum(centre + half_width, 1.0))
    empty = n == 0
    return np.where(empty, np.nan, low), np.where(empty, np.nan, high)


def wilson(count, n, *, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Percent, Wilson ``ci_low`` and ``ci_high`` (0-100) for each ``count / n``; NaN where n is 0."""
    count, n = counts(count, n)
    low, high = wilson_bounds(count, n, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        percent = np.where(n == 0, np.nan, 100 * count / n)
    return percent, 100 * low, 100 * high


def newcombe(count_a, n_a, count_b, n_b, *, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`difference_of_proportions` for each pair: ``p_a - p_b`` and Newcombe's hybrid score
    interval, in percentage points; NaN where either group has no people."""
    a, na, b, nb = counts(count_a, n_a, count_b, n_b)
    valid = (na > 0) & (nb > 0)
    a, na, b, nb = (np.where(valid, x, 1) for x in (a, na, b, nb))  # placeholders, masked below
    p_a, p_b = a / na, b / nb
    low_a, high_a = wilson_bounds(a, na, confidence)
    low_b, high_b = wilson_bounds(b, nb, confidence)
    d = p_a - p_b
    lower = d - np.sqrt(_each(_square, p_a - low_a) + _each(_square, high_b - p_b))
    upper = d + np.sqrt(_each(_square, high_a - p_a) + _each(_square, p_b - low_b))
    lower, upper = np.maximum(lower, -1.0), np.minimum(upper, 1.0)
    return tuple(np.where(valid, 100 * x, np.nan) for x in (d, lower, upper))


def two_by_two_p_values(a, na, b, nb, *, small_count: int, exact: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """`two_by_two_p_value` of each table ``[[a, na - a], [b, nb - b]]`` (both rows with people):
    p-values and test names (Fisher's exact test for small tables, else Pearson's chi-square).
    With ``exact=False`` the small tables' p-values are left NaN (for the caller to compute only
    those it needs)."""
    a, na, b, nb = counts(a, na, b, nb)
    cells = [a, na - a, b, nb - b]
    observed = [c.astype(np.float64) for c in cells]
    rows = (observed[0] + observed[1], observed[2] + observed[3])
    cols = (observed[0] + observed[2], observed[1] + observed[3])
    total = ((observed[0] + observed[1]) + observed[2]) + observed[3]
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = [rows[0] * cols[0] / total, rows[0] * cols[1] / total,
                    rows[1] * cols[0] / total, rows[1] * cols[1] / total]
        terms = [np.square(o - e) / e for o, e in zip(observed, expected, strict=True)]  # numpy ** 2 in the scalar
        statistic = ((terms[0] + terms[1]) + terms[2]) + terms[3]
    fewest_cell = np.minimum.reduce(cells)
    fewest_expected = np.minimum.reduce(expected)
    small = (fewest_cell < small_count) | (fewest_expected < small_count) | (fewest_expected == 0)
    with np.errstate(invalid="ignore"):
        p = np.where(small, np.nan, chdtrc(1, statistic))
    if exact and small.any():
        p[small] = fisher_p_values(a[small], na[small], b[small], nb[small])
    p = np.where(np.isnan(p), np.nan, np.minimum(np.maximum(p, 0.0), 1.0))
    return p, np.where(small, FISHER_EXACT, CHI_SQUARE).astype(object)


def katz(a, na, b, nb, *, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Relative likelihood ``(a/na) / (b/nb)`` and its Katz log interval, as `relative_likelihood`:
    NaN value where a group has no events or no people; where exactly one group has no events the
    interval is computed after adding 0.5 to every cell (the fourth array says where)."""
    a, na, b, nb = counts(a, na, b, nb)
    people = (na > 0) & (nb > 0)
    none_a, none_b = a == 0, b == 0
    corrected = people & (none_a ^ none_b)
    interval = people & ~(none_a & none_b)
    c = np.where(corrected, HALDANE_ANSCOMBE, 0.0)
    fa, fna, fb, fnb = (np.where(interval, x, 1) + k for x, k in ((a, c), (na, 2 * c), (b, c), (nb, 2 * c)))
    log_rl = _each(math.log, (fa / fna) / (fb / fnb))
    half = z_quantile(confidence) * np.sqrt(np.maximum(1 / fa - 1 / fna + 1 / fb - 1 / fnb, 0.0))
    low = np.where(interval, _each(math.exp, log_rl - half), np.nan)
    high = np.where(interval, _each(math.exp, log_rl + half), np.nan)
    defined = people & ~none_a & ~none_b
    safe_na, safe_b, safe_nb = (np.where(defined, x, 1) for x in (na, b, nb))
    value = np.where(defined, (a / safe_na) / (safe_b / safe_nb), np.nan)
    return value, low, high, corrected
