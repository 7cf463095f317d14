"""How sure a result is: does its confidence interval exclude "no difference"?

``certainty`` sits beside ``assessment`` (issue 13): the assessment reads the point estimate
against the guidance's range (0.80-1.25 for a relative likelihood); the certainty says whether the
gap could be chance. A ratio of 1.30 with interval 0.90-1.87 is "adverse" by the range rule and
"uncertain": the data are consistent with no difference at all.
"""

from __future__ import annotations

CLEAR = "clear"
UNCERTAIN = "uncertain"

#: "no difference" for each kind of comparison: a ratio of 1, a difference of 0 points
NO_DIFFERENCE = {"ratio": 1.0, "difference": 0.0}

#: how each certainty reads after an assessment label ("Adverse — clear")
LABELS = {CLEAR: "clear", UNCERTAIN: "uncertain: could be chance"}


def certainty(ci_low: float | None, ci_high: float | None, *, no_difference: float) -> str | None:
    """``"clear"`` when the interval lies wholly on one side of ``no_difference``, ``"uncertain"``
    when it includes it, ``None`` when there is no interval.

    An interval that only touches ``no_difference`` (a bound equal to it) is uncertain: the data
    do not rule the value out.

    Examples
    --------
    >>> certainty(1.31, 1.68, no_difference=1.0), certainty(0.90, 1.87, no_difference=1.0)
    ('clear', 'uncertain')
    >>> certainty(-2.8, 4.8, no_difference=0.0), certainty(None, 4.8, no_difference=0.0) is None
    ('uncertain', True)
    """
    if ci_low is None or ci_high is None:
        return None
    return CLEAR if ci_low > no_difference or ci_high < no_difference else UNCERTAIN


def with_certainty(label: str, value: str | None) -> str:
    """``"Adverse — clear"``, ``"Adverse — uncertain: could be chance"``; the label alone without one."""
    return f"{label} — {LABELS[value]}" if value in LABELS else label
