"""Benjamini-Hochberg control of the false discovery rate across many indicators."""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Real

import numpy as np

BAD_P_VALUE = "p-values must be numbers between 0 and 1 (or None/NaN for missing), got {value!r}"
BAD_ALPHA = "alpha must be a number strictly between 0 and 1, got {value!r}"


def _as_float(value: object) -> float:
    if value is None:
        return math.nan
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(BAD_P_VALUE.format(value=value))
    number = float(value)
    if not (math.isnan(number) or 0 <= number <= 1):
        raise ValueError(BAD_P_VALUE.format(value=value))
    return number


def benjamini_hochberg(
    p_values: Sequence[float | None], *, alpha: float = 0.05
) -> tuple[np.ndarray, np.ndarray]:
    """Benjamini-Hochberg adjusted p-values and which hypotheses are rejected at ``alpha``.

    With the m present p-values sorted, ``p_(1) <= ... <= p_(m)``, the adjusted value of the i-th
    is ``min over j >= i of min(1, p_(j) * m / j)``; hypothesis i is rejected when its adjusted value
    is ``<= alpha``, which controls the expected share of false discoveries at ``alpha`` for
    independent (or positively dependent) tests (Benjamini and Hochberg, 1995, JRSS B 57:289-300).
    Equals ``scipy.stats.false_discovery_control(p, method="bh")`` on the present values.

    Missing p-values (``None`` or NaN, e.g. from an undefined ratio) are passed through as NaN,
    are never rejected, and are **not counted in m**: a test that could not be run does not
    make the others harder to pass.

    Parameters
    ----------
    p_values : sequence of float or None
        One p-value per test, in any order; the output keeps that order.
    alpha : float, default 0.05
        The false discovery rate to control.

    Returns
    -------
    adjusted : numpy.ndarray of float
        Adjusted p-values (NaN where the input was missing).
    rejected : numpy.ndarray of bool
        True where the adjusted p-value is ``<= alpha``.

    Examples
    --------
    >>> adjusted, rejected = benjamini_hochberg([0.01, 0.04, None, 0.03])
    >>> adjusted.round(3).tolist(), rejected.tolist()
    ([0.03, 0.04, nan, 0.04], [True, True, False, True])
    """
    if isinstance(alpha, bool) or not isinstance(alpha, Real) or not 0 < alpha < 1:
        raise ValueError(BAD_ALPHA.format(value=alpha))
    p = np.array([_as_float(value) for value in p_values], dtype=float)
    adjusted = np.full(p.shape, np.nan)
    present = np.flatnonzero(~np.isnan(p))
    m = present.size
    if m:
        order = present[np.argsort(p[present], kind="stable")]
        scaled = p[order] * m / np.arange(1, m + 1)
        adjusted[order] = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    rejected = np.zeros(p.shape, dtype=bool)
    rejected[present] = adjusted[present] <= alpha
    return adjusted, rejected
