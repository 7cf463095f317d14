"""Relative likelihood (a ratio of two rates) with its Katz log interval and a significance test."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from parity.stats._result import Result
from parity.stats._table_tests import two_by_two_p_value
from parity.stats._validation import check_confidence, check_count, check_events
from parity.stats.special import ndtri

BAD_GROUP_NAMES = "group_names must be a pair of strings, got {value!r}"

NO_PEOPLE = "{group} has no people: the ratio is undefined"
NO_PEOPLE_EITHER = "neither group has any people: the ratio is undefined"
NO_EVENTS_EITHER = "no events in either group: the ratio is undefined"
NO_EVENTS_B = "no events in {group}: the ratio is undefined (it would be infinite)"
NO_EVENTS_A = "no events in {group}: the ratio is undefined on the log scale (it would be 0)"

#: Added to every cell of the 2x2 table when one group has no events (Haldane-Anscombe).
HALDANE_ANSCOMBE = 0.5


@dataclass(frozen=True)
class RelativeLikelihood(Result):
    """How many times more likely an event is in group a than in group b.

    ``value``, ``ci_low``, ``ci_high`` and ``p_value`` are ``None`` when undefined, never inf or nan;
    ``undefined_reason`` then says why. ``continuity_correction`` is True when the interval was
    computed after adding 0.5 to every cell because one group had no events.
    """

    value: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    test: str | None
    confidence: float
    events_a: int
    n_a: int
    events_b: int
    n_b: int
    undefined_reason: str | None
    continuity_correction: bool


def katz_log_variance(events_a: float, n_a: float, events_b: float, n_b: float) -> float:
    """Katz variance of ln RL: ``1/a - 1/n_a + 1/b - 1/n_b`` (all four must be > 0)."""
    return max(1 / events_a - 1 / n_a + 1 / events_b - 1 / n_b, 0.0)


def z_quantile(confidence: float) -> float:
    """Two-sided standard normal quantile for ``confidence``: ``scipy.special.ndtri``, which is what
    ``scipy.stats.norm.ppf`` calls (without importing ``scipy.stats``)."""
    return float(ndtri(1 - (1 - confidence) / 2))


def _katz_interval(a: float, n_a: float, b: float, n_b: float, confidence: float) -> tuple[float, float]:
    log_rl = math.log((a / n_a) / (b / n_b))
    half_width = z_quantile(confidence) * math.sqrt(katz_log_variance(a, n_a, b, n_b))
    return math.exp(log_rl - half_width), math.exp(log_rl + half_width)


def _group_label(letter: str, name: str | None) -> str:
    return f"group {letter}" if name is None else f"group {letter} ({name})"


def relative_likelihood(
    events_a: int,
    n_a: int,
    events_b: int,
    n_b: int,
    *,
    confidence: float = 0.95,
    small_count: int = 5,
    group_names: tuple[str, str] | None = None,
) -> RelativeLikelihood:
    """Relative likelihood of an event in group a compared with group b.

    ``RL = (events_a / n_a) / (events_b / n_b)``, with the Katz log interval
    ``exp(ln RL +/- z * sqrt(1/a - 1/n_a + 1/b - 1/n_b))`` and a two-sided p-value from Fisher's
    exact test (any cell or expected count below ``small_count``) or Pearson's chi-square test
    without Yates' correction.

    Parameters
    ----------
    events_a, n_a : int
        Events (e.g. appointments) and people (e.g. shortlisted) in group a, the numerator group.
    events_b, n_b : int
        The same for group b, the comparison group.
    confidence : float, default 0.95
        Confidence level of the interval.
    small_count : int, default 5
        Threshold below which a cell or expected count sends the table to Fisher's exact test.
    group_names : tuple of (str, str), optional
        Names used in ``undefined_reason``, e.g. ``("White", "BME")``.

    Returns
    -------
    RelativeLikelihood
        If one group has no events, ``value`` is None but the interval is computed with 0.5 added
        to every cell (``continuity_correction=True``). If both have none, value and interval are
        None and the p-value is 1.0 (Fisher). If a group has no people, everything is None.

    Raises
    ------
    ValueError
        If a count is not a whole number >= 0, events exceed people, or confidence is not in (0, 1).

    Examples
    --------
    >>> rl = relative_likelihood(4699, 10000, 1465, 10000)
    >>> round(rl.value, 4), rl.test
    (3.2075, 'chi_square')
    >>> relative_likelihood(3, 50, 0, 40).undefined_reason
    'no events in group b: the ratio is undefined (it would be infinite)'
    """
    events_a, n_a = check_events(events_a, n_a, "events_a", "n_a")
    events_b, n_b = check_events(events_b, n_b, "events_b", "n_b")
    confidence = check_confidence(confidence)
    small_count = check_count(small_count, "small_count")
    if group_names is None:
        name_a = name_b = None
    elif (
        isinstance(group_names, (tuple, list))
        and len(group_names) == 2
        and all(isinstance(name, str) for name in group_names)
    ):
        name_a, name_b = group_names
    else:
        raise ValueError(BAD_GROUP_NAMES.format(value=group_names))
    label_a, label_b = _group_label("a", name_a), _group_label("b", name_b)
    counts = dict(confidence=confidence, events_a=events_a, n_a=n_a, events_b=events_b, n_b=n_b)

    if n_a == 0 or n_b == 0:
        if n_a == 0 and n_b == 0:
            reason = NO_PEOPLE_EITHER
        else:
            reason = NO_PEOPLE.format(group=label_a if n_a == 0 else label_b)
        return RelativeLikelihood(
            None, None, None, None, None, **counts, undefined_reason=reason, continuity_correction=False
        )

    table = np.array([[events_a, n_a - events_a], [events_b, n_b - events_b]])
    p_value, test = two_by_two_p_value(table, small_count=small_count)

    if events_a == 0 and events_b == 0:
        return RelativeLikelihood(
            None,
            None,
            None,
            p_value,
            test,
            **counts,
            undefined_reason=NO_EVENTS_EITHER,
            continuity_correction=False,
        )
    if events_a == 0 or events_b == 0:
        reason = NO_EVENTS_A.format(group=label_a) if events_a == 0 else NO_EVENTS_B.format(group=label_b)
        c = HALDANE_ANSCOMBE
        low, high = _katz_interval(events_a + c, n_a + 2 * c, events_b + c, n_b + 2 * c, confidence)
        return RelativeLikelihood(
            None, low, high, p_value, test, **counts, undefined_reason=reason, continuity_correction=True
        )

    value = (events_a / n_a) / (events_b / n_b)
    low, high = _katz_interval(events_a, n_a, events_b, n_b, confidence)
    return RelativeLikelihood(
        value, low, high, p_value, test, **counts, undefined_reason=None, continuity_correction=False
    )
