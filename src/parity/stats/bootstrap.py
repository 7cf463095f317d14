"""Stratified percentile bootstrap for statistics that compare groups (e.g. pay gaps)."""

from __future__ import annotations

from collections.abc import Callable
from numbers import Integral

import numpy as np

from parity.stats._validation import check_confidence

SHAPE_MISMATCH = "values and groups must be 1-D arrays of the same length, got shapes {values} and {groups}"
EMPTY_INPUT = "values is empty: there is nothing to resample"
BAD_RESAMPLES = "n_resamples must be a whole number >= 1, got {value!r}"
NON_FINITE_STATISTIC = (
    "the statistic was not a finite number in {count} of {total} resamples (e.g. a division by 0); "
    "make it defined for every resample rather than have the interval drop them silently"
)

#: Resampled rows are drawn in blocks of about this many index entries, to bound memory.
_BLOCK_ENTRIES = 2_000_000


def _resample_indices(rng: np.random.Generator, strata: list[np.ndarray], n_resamples: int) -> np.ndarray:
    """An ``(n_resamples, N)`` array of row indices, each stratum resampled within itself."""
    return np.concatenate(
        [members[rng.integers(0, members.size, size=(n_resamples, members.size))] for members in strata],
        axis=1,
    )


def bootstrap_ci(
    statistic: Callable[[np.ndarray, np.ndarray], float],
    values: np.ndarray,
    groups: np.ndarray,
    *,
    n_resamples: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[float, float]:
    """Percentile bootstrap interval for ``statistic(values, groups)``, resampling within groups.

    Each resample draws, with replacement, exactly as many rows from each group as the group has,
    so group sizes are fixed (a stratified bootstrap: the groups are the design, not the random
    part). ``statistic`` is evaluated on each resample's ``(values, groups)``, and the interval is
    the ``(1 - confidence) / 2`` and ``(1 + confidence) / 2`` quantiles of those values
    (``numpy.quantile``, linear interpolation). Random draws come from
    ``numpy.random.default_rng(seed)``, so the same inputs and seed always give the same interval.
    Index draws are vectorised per block of resamples; ``statistic`` is called once per resample.

    Parameters
    ----------
    statistic : callable
        ``statistic(values, groups) -> float``, e.g. the difference between two groups' medians.
    values : numpy.ndarray
        One value per person (e.g. hourly pay).
    groups : numpy.ndarray
        One group label per person, same length as ``values``.
    n_resamples : int, default 2000
        Number of bootstrap resamples.
    confidence : float, default 0.95
        Confidence level of the interval.
    seed : int, default 0
        Seed for the random generator.

    Returns
    -------
    tuple of (float, float)
        Lower and upper ends of the interval.

    Raises
    ------
    ValueError
        If the inputs are mismatched or empty, or the statistic is not finite on some resample.

    Examples
    --------
    >>> values = np.array([10.0, 12.0, 11.0, 15.0, 16.0, 14.0])
    >>> groups = np.array(["a", "a", "a", "b", "b", "b"])
    >>> def gap(v, g):
    ...     return v[g == "b"].mean() - v[g == "a"].mean()
    >>> low, high = bootstrap_ci(gap, values, groups, n_resamples=500)
    >>> bool(low < 4.0 < high)
    True
    """
    values, groups = np.asarray(values), np.asarray(groups)
    if values.ndim != 1 or groups.shape != values.shape:
        raise ValueError(SHAPE_MISMATCH.format(values=values.shape, groups=groups.shape))
    if values.size == 0:
        raise ValueError(EMPTY_INPUT)
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, Integral) or n_resamples < 1:
        raise ValueError(BAD_RESAMPLES.format(value=n_resamples))
    confidence = check_confidence(confidence)

    _, codes = np.unique(groups, return_inverse=True)
    order = np.argsort(codes, kind="stable")
    strata = np.split(order, np.flatnonzero(np.diff(codes[order])) + 1)
    rng = np.random.default_rng(seed)
    block = max(1, _BLOCK_ENTRIES // values.size)
    estimates = np.empty(int(n_resamples))
    for start in range(0, int(n_resamples), block):
        stop = min(start + block, int(n_resamples))
        for row, indices in enumerate(_resample_indices(rng, strata, stop - start), start=start):
            estimates[row] = statistic(values[indices], groups[indices])
    bad = int(np.count_nonzero(~np.isfinite(estimates)))
    if bad:
        raise ValueError(NON_FINITE_STATISTIC.format(count=bad, total=estimates.size))
    alpha = 1 - confidence
    low, high = np.quantile(estimates, [alpha / 2, 1 - alpha / 2])
    return float(low), float(high)
