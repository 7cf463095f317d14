"""Read a relative likelihood against the non-adverse range 0.80-1.25."""

from __future__ import annotations

from dataclasses import dataclass

from parity.stats._result import Result
from parity.stats._validation import check_count
from parity.stats.relative_likelihood import RelativeLikelihood

INCONCLUSIVE = "inconclusive"
WITHIN_RANGE = "within_range"
ADVERSE = "adverse"
FAVOURABLE = "favourable"

#: Lower and upper ends of the non-adverse range (NHS England, "A fair experience for all", 2019,
#: from the four-fifths rule: 0.80 = 4/5 and 1.25 = 5/4).
NON_ADVERSE_LOW = 0.80
NON_ADVERSE_HIGH = 1.25
#: Fewer events than this across both groups: too few to conclude anything.
MIN_EVENTS = 5
#: Fewer events than this in either group: too few to conclude anything. At k events, one case
#: more or less moves that group's rate by a factor of k/(k-1); for k < 3 that is wider than the whole
#: non-adverse range (1.25 / 0.80 = 1.5625), so a single case could carry the result across it.
MIN_EVENTS_PER_GROUP = 3

BAD_RANGE = "the range needs 0 < low < high, got low={low!r}, high={high!r}"
BAD_DIRECTION = "adverse_when must be 'above' or 'below', got {value!r}"


@dataclass(frozen=True)
class Assessment(Result):
    """The reading of a relative likelihood: ``assessment``, whether it is in range, and why."""

    assessment: str
    within_non_adverse_range: bool | None
    reason: str


def assess(
    rl: RelativeLikelihood,
    *,
    low: float = NON_ADVERSE_LOW,
    high: float = NON_ADVERSE_HIGH,
    min_events: int = MIN_EVENTS,
    min_events_per_group: int = MIN_EVENTS_PER_GROUP,
    adverse_when: str = "above",
) -> Assessment:
    """Classify a relative likelihood as within range, adverse, favourable or inconclusive.

    The rules, in order:

    1. ``inconclusive`` if the ratio is undefined, if fewer than ``min_events`` events in total,
       if either group has fewer than ``min_events_per_group`` events, or if the confidence interval
       spans the whole range (``ci_low < low`` and ``ci_high > high``).
    2. ``within_range`` if ``low <= value <= high``.
    3. ``adverse`` if the value is beyond the range on the ``adverse_when`` side, else ``favourable``.

    ``within_non_adverse_range`` is ``low <= value <= high`` whatever the assessment, and ``None``
    when the ratio is undefined.

    Parameters
    ----------
    rl : RelativeLikelihood
        The ratio to read.
    low, high : float, default 0.80 and 1.25
        The non-adverse range.
    min_events : int, default 5
        Minimum events across both groups.
    min_events_per_group : int, default 3
        Minimum events in each group (see ``MIN_EVENTS_PER_GROUP`` for the reasoning).
    adverse_when : {"above", "below"}, default "above"
        Which side of the range is adverse. WRES 2-4 and WDES 2-3 are oriented so that "above"
        is adverse.

    Returns
    -------
    Assessment

    Examples
    --------
    >>> from parity.stats.relative_likelihood import relative_likelihood
    >>> assess(relative_likelihood(4699, 10000, 1465, 10000)).assessment
    'adverse'
    """
    if not (isinstance(low, (int, float)) and isinstance(high, (int, float)) and 0 < low < high):
        raise ValueError(BAD_RANGE.format(low=low, high=high))
    if adverse_when not in ("above", "below"):
        raise ValueError(BAD_DIRECTION.format(value=adverse_when))
    min_events = check_count(min_events, "min_events")
    min_events_per_group = check_count(min_events_per_group, "min_events_per_group")

    if rl.value is None:
        reason = (
            f"the ratio is undefined ({rl.undefined_reason})"
            if rl.undefined_reason
            else ("the ratio is undefined")
        )
        return Assessment(INCONCLUSIVE, None, reason)
    within = low <= rl.value <= high
    total = rl.events_a + rl.events_b
    if total < min_events:
        return Assessment(
            INCONCLUSIVE, within, f"too few events to conclude: {total} in all, fewer than {min_events}"
        )
    fewest = min(rl.events_a, rl.events_b)
    if fewest < min_events_per_group:
        return Assessment(
            INCONCLUSIVE,
            within,
            f"too few events to conclude: one group has {fewest}, fewer than {min_events_per_group}",
        )
    if rl.ci_low is not None and rl.ci_high is not None and rl.ci_low < low and rl.ci_high > high:
        return Assessment(
            INCONCLUSIVE,
            within,
            f"the confidence interval ({rl.ci_low:.2f} to {rl.ci_high:.2f}) spans the whole range "
            f"{low:.2f}-{high:.2f}",
        )
    if within:
        return Assessment(WITHIN_RANGE, True, f"{rl.value:.2f} is within the range {low:.2f}-{high:.2f}")
    above = rl.value > high
    side = "above" if above else "below"
    adverse = above == (adverse_when == "above")
    return Assessment(
        ADVERSE if adverse else FAVOURABLE,
        False,
        f"{rl.value:.2f} is {side} the range {low:.2f}-{high:.2f}, which is "
        f"{'adverse' if adverse else 'favourable'}",
    )
