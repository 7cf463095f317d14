"""Choose and run the significance test for a 2x2 table of counts.

The chi-square branch is SciPy's own arithmetic (`scipy.stats.chi2_contingency` without Yates'
correction: expected counts from the margins, Pearson's statistic, `scipy.special.chdtrc` for the
upper tail) written out with NumPy, so the common case does not import `scipy.stats` (about a
second of start-up, issue 19); tests check the two agree to the last bit. Fisher's exact test is
`parity.stats.fisher` (NumPy over the hypergeometric probabilities, the same function for one table
or thousands; agrees with `scipy.stats.fisher_exact` to a relative 1e-9).
"""

from __future__ import annotations

import numpy as np

from parity.stats.special import chdtrc

FISHER_EXACT = "fisher_exact"
CHI_SQUARE = "chi_square"


def expected_counts(table: np.ndarray) -> np.ndarray:
    """Expected cell counts under independence: row total × column total ÷ grand total
    (as `scipy.stats.contingency.expected_freq`, same operations in the same order)."""
    observed = np.asarray(table, dtype=np.float64)
    return (observed.sum(axis=1, keepdims=True) * observed.sum(axis=0, keepdims=True)) / observed.sum()


def chi_square_p_value(table: np.ndarray) -> float:
    """Pearson's chi-square test of a 2x2 table without Yates' correction (1 degree of freedom);
    the expected counts must all be positive."""
    observed = np.asarray(table, dtype=np.float64)
    expected = expected_counts(observed)
    statistic = (((observed - expected) ** 2) / expected).sum()
    return float(chdtrc(1, statistic))


def fisher_p_value(table: np.ndarray) -> float:
    """Two-sided Fisher's exact test of one 2x2 table (`parity.stats.fisher.fisher_p_values`)."""
    from parity.stats.fisher import fisher_p_values

    (a, c), (b, d) = np.asarray(table, dtype=np.int64).tolist()
    return float(fisher_p_values([a], [a + c], [b], [b + d])[0])


def two_by_two_p_value(table: np.ndarray, *, small_count: int) -> tuple[float, str]:
    """Two-sided p-value for a 2x2 table, and the name of the test that gave it.

    Fisher's exact test is used when any observed cell or any expected count is below
    ``small_count`` (or an expected count is 0, where the chi-square statistic is undefined);
    otherwise Pearson's chi-square test without Yates' correction.

    Parameters
    ----------
    table : numpy.ndarray
        ``[[events_a, non_events_a], [events_b, non_events_b]]``; both rows must have people.
    small_count : int
        Cells or expected counts below this send the table to Fisher's exact test.

    Returns
    -------
    tuple of (float, str)
        The p-value (clipped to [0, 1]) and ``"fisher_exact"`` or ``"chi_square"``.
    """
    table = np.asarray(table, dtype=np.int64)
    expected = expected_counts(table)
    if table.min() < small_count or expected.min() < small_count or expected.min() == 0:
        p_value, test = fisher_p_value(table), FISHER_EXACT
    else:
        p_value, test = chi_square_p_value(table), CHI_SQUARE
    return min(max(p_value, 0.0), 1.0), test
