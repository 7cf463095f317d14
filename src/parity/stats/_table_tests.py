"""Choose and run the significance test for a 2x2 table of counts."""

from __future__ import annotations

import numpy as np
from scipy.stats import chi2_contingency, fisher_exact
from scipy.stats.contingency import expected_freq

FISHER_EXACT = "fisher_exact"
CHI_SQUARE = "chi_square"


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
    expected = expected_freq(table)
    if table.min() < small_count or expected.min() < small_count or expected.min() == 0:
        p_value, test = float(fisher_exact(table, alternative="two-sided").pvalue), FISHER_EXACT
    else:
        p_value, test = float(chi2_contingency(table, correction=False).pvalue), CHI_SQUARE
    return min(max(p_value, 0.0), 1.0), test
