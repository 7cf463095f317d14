"""Relative likelihoods for many 2x2 tables at once, as array operations.

The same statistics as `relative_likelihood` (Katz log interval, Haldane-Anscombe correction when
one group has no events, Fisher's exact test for small counts, otherwise Pearson's chi-square
without Yates' correction), computed over whole columns: the explorer compares thousands of cells,
and a Python call per cell cost more than counting them. Fisher's exact test is `parity.stats.fisher`
(arrays too, the function the scalar `relative_likelihood` calls); the chi-square tail is
`scipy.special.chdtrc`, what `scipy.stats.chi2.sf` calls, so `scipy.stats` is not imported (issue 19).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from parity.stats._table_tests import CHI_SQUARE, FISHER_EXACT
from parity.stats.fisher import fisher_p_values
from parity.stats.relative_likelihood import (
    HALDANE_ANSCOMBE,
    NO_EVENTS_A,
    NO_EVENTS_B,
    NO_EVENTS_EITHER,
    NO_PEOPLE,
    NO_PEOPLE_EITHER,
    z_quantile,
)
from parity.stats.special import chdtrc

BAD_COUNTS = "relative_likelihoods: counts must be whole numbers >= 0 with events <= people"
COLUMNS = ("value", "ci_low", "ci_high", "p_value", "test", "undefined_reason", "continuity_correction")


def relative_likelihoods(events_a, n_a, events_b, n_b, *, confidence: float = 0.95,
                         small_count: int = 5) -> pd.DataFrame:
    """`relative_likelihood` for each position of four equal-length count arrays.

    Returns a DataFrame with columns ``value, ci_low, ci_high, p_value`` (float, NaN where
    undefined), ``test``, ``undefined_reason`` (None where not applicable) and
    ``continuity_correction`` — the fields of `RelativeLikelihood`, row by row.

    >>> relative_likelihoods([4699], [10000], [1465], [10000])["value"].round(4).tolist()
    [3.2075]
    """
    a, na, b, nb = (np.asarray(x, dtype=np.int64).ravel() for x in (events_a, n_a, events_b, n_b))
    if not (a.shape == na.shape == b.shape == nb.shape) or (a < 0).any() or (b < 0).any() \
            or (a > na).any() or (b > nb).any():
        raise ValueError(BAD_COUNTS)
    z = z_quantile(confidence)
    nobody = (na == 0) | (nb == 0)
    none_a, none_b = (a == 0) & ~nobody, (b == 0) & ~nobody
    neither = none_a & none_b
    corrected = (none_a | none_b) & ~neither
    c = np.where(corrected, HALDANE_ANSCOMBE, 0.0)
    fa, fna, fb, fnb = a + c, na + 2 * c, b + c, nb + 2 * c
    with np.errstate(divide="ignore", invalid="ignore"):
        log_rl = np.log((fa / fna) / (fb / fnb))
        half = z * np.sqrt(np.maximum(1 / fa - 1 / fna + 1 / fb - 1 / fnb, 0.0))
        defined_ci = ~nobody & ~neither
        low = np.where(defined_ci, np.exp(log_rl - half), np.nan)
        high = np.where(defined_ci, np.exp(log_rl + half), np.nan)
        value = np.where(~nobody & ~none_a & ~none_b, (a / na) / (b / nb), np.nan)
    p, test = _p_values(a, na, b, nb, small_count, valid=~nobody)
    reason = np.full(a.shape, None, dtype=object)
    reason[none_a] = NO_EVENTS_A.format(group="group a")
    reason[none_b] = NO_EVENTS_B.format(group="group b")
    reason[neither] = NO_EVENTS_EITHER
    reason[(na == 0) ^ (nb == 0)] = [NO_PEOPLE.format(group="group a" if x == 0 else "group b")
                                     for x in na[(na == 0) ^ (nb == 0)]]
    reason[(na == 0) & (nb == 0)] = NO_PEOPLE_EITHER
    # object columns stated explicitly: pandas would otherwise infer a string dtype and turn None into NaN
    return pd.DataFrame({"value": value, "ci_low": low, "ci_high": high, "p_value": p,
                         "test": pd.Series(test, dtype=object), "undefined_reason": pd.Series(reason, dtype=object),
                         "continuity_correction": corrected})


def _p_values(a, na, b, nb, small_count: int, *, valid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two-sided p-values and test names, chosen per table exactly as `two_by_two_p_value` does."""
    cells = np.stack([a, na - a, b, nb - b], axis=1).astype(float)
    n = na + nb
    rows = np.stack([na, na, nb, nb], axis=1)
    cols = np.stack([a + b, n - a - b, a + b, n - a - b], axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = rows * cols / n[:, None]
        stat = ((cells - expected) ** 2 / expected).sum(axis=1)
    small = valid & ((cells.min(axis=1) < small_count) | (expected.min(axis=1) < small_count)
                     | (expected.min(axis=1) == 0))
    big = valid & ~small
    p = np.full(a.shape, np.nan)
    p[big] = chdtrc(1, stat[big])  # = scipy.stats.chi2.sf(stat, 1), bit for bit, without importing scipy.stats
    p[small] = fisher_p_values(a[small], na[small], b[small], nb[small])  # as the scalar path (_table_tests)
    p = np.where(valid, np.clip(p, 0.0, 1.0), np.nan)
    test = np.where(small, FISHER_EXACT, np.where(big, CHI_SQUARE, None)).astype(object)
    test[~valid] = None
    return p, test
