"""Percentages with Wilson score intervals, and differences with Newcombe's hybrid score interval."""

from __future__ import annotations

import math
from dataclasses import dataclass

from parity.stats._result import Result
from parity.stats._validation import check_confidence, check_events
from parity.stats.relative_likelihood import z_quantile

NEWCOMBE_WILSON = "newcombe_wilson"


@dataclass(frozen=True)
class Proportion(Result):
    """``count`` out of ``n`` as a percentage (0-100) with a Wilson score interval.

    ``percent``, ``ci_low`` and ``ci_high`` are ``None`` when ``n`` is 0.
    """

    count: int
    n: int
    percent: float | None
    ci_low: float | None
    ci_high: float | None
    confidence: float


@dataclass(frozen=True)
class Difference(Result):
    """A difference between two percentages, in percentage points, with its interval."""

    value: float | None
    ci_low: float | None
    ci_high: float | None
    confidence: float
    method: str


def wilson_bounds(count: int, n: int, confidence: float) -> tuple[float, float]:
    """Wilson score interval for ``count / n`` on the 0-1 scale (no continuity correction).

    ``(p + z^2/2n +/- z * sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)``, clipped to [0, 1];
    ``n`` must be > 0.
    """
    z = z_quantile(confidence)
    p = count / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half_width = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    # At p = 0 or 1 the bound is exactly 0 or 1; pin it rather than keep rounding error.
    low = 0.0 if count == 0 else max(centre - half_width, 0.0)
    high = 1.0 if count == n else min(centre + half_width, 1.0)
    return low, high


def newcombe_bounds(
    count_a: int, n_a: int, count_b: int, n_b: int, confidence: float
) -> tuple[float, float, float]:
    """Difference ``p_a - p_b`` (0-1 scale) and Newcombe's hybrid score interval (method 10).

    With Wilson limits ``(l_a, u_a)`` and ``(l_b, u_b)``::

        lower = d - sqrt((p_a - l_a)^2 + (u_b - p_b)^2)
        upper = d + sqrt((u_a - p_a)^2 + (p_b - l_b)^2)

    Both ``n`` must be > 0.
    """
    p_a, p_b = count_a / n_a, count_b / n_b
    low_a, high_a = wilson_bounds(count_a, n_a, confidence)
    low_b, high_b = wilson_bounds(count_b, n_b, confidence)
    d = p_a - p_b
    lower = d - math.sqrt((p_a - low_a) ** 2 + (high_b - p_b) ** 2)
    upper = d + math.sqrt((high_a - p_a) ** 2 + (p_b - low_b) ** 2)
    return d, max(lower, -1.0), min(upper, 1.0)


def wilson(count: int, n: int, *, confidence: float = 0.95) -> Proportion:
    """Percentage ``100 * count / n`` with a Wilson score interval (no continuity correction).

    Parameters
    ----------
    count : int
        People with the characteristic (e.g. survey respondents reporting harassment).
    n : int
        People asked.
    confidence : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    Proportion
        Percent and interval on the 0-100 scale; ``None`` when ``n`` is 0.

    Examples
    --------
    >>> p = wilson(56, 70)
    >>> round(p.percent, 2), round(p.ci_low, 2), round(p.ci_high, 2)
    (80.0, 69.18, 87.7)
    """
    count, n = check_events(count, n, "count", "n")
    confidence = check_confidence(confidence)
    if n == 0:
        return Proportion(count, n, None, None, None, confidence)
    low, high = wilson_bounds(count, n, confidence)
    return Proportion(count, n, 100 * count / n, 100 * low, 100 * high, confidence)


def difference_of_proportions(
    count_a: int, n_a: int, count_b: int, n_b: int, *, confidence: float = 0.95
) -> Difference:
    """Difference of two percentages, a minus b, in percentage points, with Newcombe's interval.

    The interval is Newcombe's hybrid score interval (method 10 of Newcombe, 1998, Statistics in
    Medicine 17:873-890), built from the two Wilson intervals. It stays inside [-100, 100] and
    behaves well for small counts and percentages near 0 or 100, unlike the Wald interval.

    Parameters
    ----------
    count_a, n_a : int
        Count and people in group a.
    count_b, n_b : int
        Count and people in group b.
    confidence : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    Difference
        ``value``, ``ci_low``, ``ci_high`` in percentage points (``None`` if either ``n`` is 0),
        ``method="newcombe_wilson"``.

    Examples
    --------
    >>> d = difference_of_proportions(56, 70, 48, 80)
    >>> round(d.value, 2), round(d.ci_low, 2), round(d.ci_high, 2)
    (20.0, 5.24, 33.39)
    """
    count_a, n_a = check_events(count_a, n_a, "count_a", "n_a")
    count_b, n_b = check_events(count_b, n_b, "count_b", "n_b")
    confidence = check_confidence(confidence)
    if n_a == 0 or n_b == 0:
        return Difference(None, None, None, confidence, NEWCOMBE_WILSON)
    d, low, high = newcombe_bounds(count_a, n_a, count_b, n_b, confidence)
    return Difference(100 * d, 100 * low, 100 * high, confidence, NEWCOMBE_WILSON)
