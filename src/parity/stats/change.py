"""Has an indicator changed between two years by more than chance would explain?"""

from __future__ import annotations

import math
from dataclasses import dataclass

from parity.stats._result import Result
from parity.stats._validation import check_confidence
from parity.stats.proportions import Proportion, newcombe_bounds
from parity.stats.relative_likelihood import RelativeLikelihood, katz_log_variance, z_quantile
from parity.stats.special import ndtr

RATIO_OF_RELATIVE_LIKELIHOODS_Z = "ratio_of_relative_likelihoods_z"
TWO_PROPORTION_Z = "two_proportion_z_pooled"


@dataclass(frozen=True)
class Change(Result):
    """Change in an indicator from ``previous`` to ``current``.

    For relative likelihoods ``ratio`` is ``current / previous`` and the interval is on that ratio;
    ``difference`` is None. For percentages ``difference`` is ``current - previous`` in percentage
    points and the interval is on that difference; ``ratio`` is None. ``test`` names the test.
    """

    previous: float | None
    current: float | None
    ratio: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    beyond_chance: bool | None
    test: str
    difference: float | None = None
    confidence: float = 0.95


def _two_sided_p(z: float) -> float:
    return float(2 * ndtr(-abs(z)))  # = 2 * scipy.stats.norm.sf(|z|), without importing scipy.stats


def change_in_relative_likelihood(
    current: RelativeLikelihood, previous: RelativeLikelihood, *, confidence: float = 0.95
) -> Change:
    """Ratio of two years' relative likelihoods, with a z-test on the log scale.

    ``ln(RL_current / RL_previous)`` has variance ``var_current + var_previous``, each the Katz
    variance ``1/a - 1/n_a + 1/b - 1/n_b`` from that year's counts (the years are treated as
    independent samples). ``z = ln ratio / se``; the p-value is two-sided from the standard normal;
    the interval is ``exp(ln ratio +/- z_(1-alpha/2) * se)``.

    Parameters
    ----------
    current, previous : RelativeLikelihood
        This year's and last year's results.
    confidence : float, default 0.95
        Confidence level; ``beyond_chance`` is ``p_value < 1 - confidence``.

    Returns
    -------
    Change
        All numeric fields None if either ratio is undefined. If both years have zero Katz variance
        (every person had the event), the interval is the ratio itself and the p-value is None.

    Examples
    --------
    >>> from parity.stats.relative_likelihood import relative_likelihood
    >>> this_year = relative_likelihood(60, 1000, 40, 2000)
    >>> last_year = relative_likelihood(30, 1000, 40, 2000)
    >>> change = change_in_relative_likelihood(this_year, last_year)
    >>> round(change.ratio, 2), change.beyond_chance
    (2.0, True)
    """
    confidence = check_confidence(confidence)
    if current.value is None or previous.value is None:
        return Change(
            previous.value,
            current.value,
            None,
            None,
            None,
            None,
            None,
            RATIO_OF_RELATIVE_LIKELIHOODS_Z,
            confidence=confidence,
        )
    ratio = current.value / previous.value
    variance = katz_log_variance(current.events_a, current.n_a, current.events_b, current.n_b) + (
        katz_log_variance(previous.events_a, previous.n_a, previous.events_b, previous.n_b)
    )
    if variance == 0:
        return Change(
            previous.value,
            current.value,
            ratio,
            ratio,
            ratio,
            None,
            None,
            RATIO_OF_RELATIVE_LIKELIHOODS_Z,
            confidence=confidence,
        )
    se = math.sqrt(variance)
    log_ratio = math.log(ratio)
    p_value = _two_sided_p(log_ratio / se)
    half_width = z_quantile(confidence) * se
    return Change(
        previous.value,
        current.value,
        ratio,
        math.exp(log_ratio - half_width),
        math.exp(log_ratio + half_width),
        p_value,
        p_value < 1 - confidence,
        RATIO_OF_RELATIVE_LIKELIHOODS_Z,
        confidence=confidence,
    )


def change_in_proportion(current: Proportion, previous: Proportion, *, confidence: float = 0.95) -> Change:
    """Change in a percentage between two years, in percentage points.

    ``difference = current - previous`` with Newcombe's hybrid score interval; the p-value is the
    two-sided pooled two-proportion z-test ``z = (p1 - p2) / sqrt(p(1-p)(1/n1 + 1/n2))`` with
    ``p = (x1 + x2) / (n1 + n2)``, which equals Pearson's chi-square test without Yates' correction.

    Parameters
    ----------
    current, previous : Proportion
        This year's and last year's percentages (from :func:`wilson`).
    confidence : float, default 0.95
        Confidence level; ``beyond_chance`` is ``p_value < 1 - confidence``.

    Returns
    -------
    Change
        ``difference``, ``ci_low``, ``ci_high`` in percentage points; ``ratio`` is None. None fields
        if either year has no people. If the pooled percentage is 0 or 100 (nothing varies) the
        p-value is 1.0, as an exact test would give.

    Examples
    --------
    >>> from parity.stats.proportions import wilson
    >>> change = change_in_proportion(wilson(56, 70), wilson(48, 80))
    >>> round(change.difference, 2), round(change.ci_low, 2), round(change.ci_high, 2)
    (20.0, 5.24, 33.39)
    """
    confidence = check_confidence(confidence)
    if current.n == 0 or previous.n == 0:
        return Change(
            previous.percent,
            current.percent,
            None,
            None,
            None,
            None,
            None,
            TWO_PROPORTION_Z,
            difference=None,
            confidence=confidence,
        )
    d, low, high = newcombe_bounds(current.count, current.n, previous.count, previous.n, confidence)
    pooled = (current.count + previous.count) / (current.n + previous.n)
    se = math.sqrt(pooled * (1 - pooled) * (1 / current.n + 1 / previous.n))
    p_value = 1.0 if se == 0 else _two_sided_p(d / se)
    return Change(
        previous.percent,
        current.percent,
        None,
        100 * low,
        100 * high,
        p_value,
        p_value < 1 - confidence,
        TWO_PROPORTION_Z,
        difference=100 * d,
        confidence=confidence,
    )
