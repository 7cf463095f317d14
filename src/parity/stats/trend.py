"""Cochran-Armitage test for a linear trend in a percentage across years."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real

import numpy as np

from parity.stats._result import Result
from parity.stats._validation import check_events
from parity.stats.special import ndtr

COCHRAN_ARMITAGE = "cochran_armitage"
LENGTH_MISMATCH = "counts, totals and scores must have the same length, got {lengths}"
TOO_FEW_PERIODS = "a trend needs at least two periods, got {n}"
BAD_SCORE = "scores must be finite numbers, got {value!r}"


@dataclass(frozen=True)
class TrendTest(Result):
    """Result of a test for trend.

    ``slope`` is the change in the percentage per unit of score, in percentage points (per year
    with the default scores); ``z`` is signed like the slope.
    """

    slope: float | None
    z: float | None
    p_value: float | None
    test: str = COCHRAN_ARMITAGE


def trend_in_proportions(
    counts: Sequence[int], totals: Sequence[int], scores: Sequence[float] | None = None
) -> TrendTest:
    r"""Cochran-Armitage test for a linear trend in proportions ``counts[i] / totals[i]``.

    With scores :math:`t_i` (default ``0, 1, 2, ...``: equally spaced periods), :math:`N = \sum n_i`,
    :math:`\bar p = \sum x_i / N` and :math:`\bar t = \sum n_i t_i / N`:

    .. math::

        T = \sum_i t_i (x_i - n_i \bar p), \qquad
        S_{tt} = \sum_i n_i (t_i - \bar t)^2, \qquad
        z = \frac{T}{\sqrt{\bar p (1 - \bar p) S_{tt}}}

    and the two-sided p-value is :math:`2\,\Phi(-|z|)` (Cochran, 1954, Biometrics 10:417-451;
    Armitage, 1955, Biometrics 11:375-386). :math:`z^2 = N r^2`, where r is the correlation between
    score and outcome over individuals. ``slope = 100 T / S_tt`` is the size-weighted least-squares
    slope of the percentage on the score.

    Parameters
    ----------
    counts : sequence of int
        People with the characteristic in each period.
    totals : sequence of int
        People in each period (a period with 0 people contributes nothing).
    scores : sequence of float, optional
        Position of each period, e.g. the years; default equally spaced ``0, 1, 2, ...``.

    Returns
    -------
    TrendTest
        ``slope``, ``z`` and ``p_value`` are None if fewer than two periods with people have
        different scores. If the pooled percentage is 0 or 100 (nothing varies), slope is 0,
        z is None and the p-value is 1.0, as an exact test would give.

    Examples
    --------
    >>> result = trend_in_proportions([1, 3, 6], [10, 10, 10])
    >>> round(result.slope, 2), round(result.z, 4), round(result.p_value, 4)
    (25.0, 2.3717, 0.0177)
    """
    counts, totals = list(counts), list(totals)
    scores = list(range(len(counts))) if scores is None else list(scores)
    if not len(counts) == len(totals) == len(scores):
        raise ValueError(LENGTH_MISMATCH.format(lengths=(len(counts), len(totals), len(scores))))
    if len(counts) < 2:
        raise ValueError(TOO_FEW_PERIODS.format(n=len(counts)))
    for score in scores:
        if isinstance(score, bool) or not isinstance(score, Real) or not math.isfinite(score):
            raise ValueError(BAD_SCORE.format(value=score))
    pairs = [
        check_events(x, n, f"counts[{i}]", f"totals[{i}]")
        for i, (x, n) in enumerate(zip(counts, totals, strict=True))
    ]
    x = np.array([pair[0] for pair in pairs], dtype=float)
    n = np.array([pair[1] for pair in pairs], dtype=float)
    t = np.array(scores, dtype=float)

    big_n = n.sum()
    if big_n == 0:
        return TrendTest(None, None, None)
    if np.ptp(t[n > 0]) == 0:
        return TrendTest(None, None, None)
    t_bar = (n * t).sum() / big_n
    s_tt = (n * (t - t_bar) ** 2).sum()
    p_bar = x.sum() / big_n
    statistic = (t * (x - n * p_bar)).sum()
    slope = 100 * statistic / s_tt
    variance = p_bar * (1 - p_bar) * s_tt
    if variance <= 0:
        return TrendTest(0.0, None, 1.0)
    z = statistic / math.sqrt(variance)
    return TrendTest(float(slope), float(z), float(2 * ndtr(-abs(z))))  # = 2 * scipy.stats.norm.sf(|z|)
