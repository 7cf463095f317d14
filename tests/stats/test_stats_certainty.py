"""`certainty`: clear when the interval excludes no difference (RL 1, or 0 points), else uncertain."""

from __future__ import annotations

import pytest
from scipy.stats.contingency import relative_risk

from parity.stats import certainty, relative_likelihood, with_certainty


@pytest.mark.parametrize(("low", "high", "none", "expected"), [
    (1.31, 1.68, 1.0, "clear"),        # WRES 2 in the demo
    (0.90, 1.87, 1.0, "uncertain"),    # WRES 3 in the demo
    (0.40, 0.95, 1.0, "clear"),        # wholly below 1
    (1.0, 1.5, 1.0, "uncertain"),      # touching 1 does not rule it out
    (-2.8, 4.8, 0.0, "uncertain"),
    (0.1, 4.8, 0.0, "clear"),
    (-7.0, -0.01, 0.0, "clear"),
    (None, 4.8, 0.0, None),
    (0.1, None, 0.0, None),
])
def test_certainty_rules(low, high, none, expected):
    assert certainty(low, high, no_difference=none) == expected


def test_certainty_of_a_ratio_follows_scipys_interval():
    """44 of 3,597 vs 83 of 8,820 (the demo's WRES 3): SciPy's Katz interval includes 1."""
    ci = relative_risk(44, 3597, 83, 8820).confidence_interval(0.95)
    rl = relative_likelihood(44, 3597, 83, 8820)
    assert ci.low < 1 < ci.high
    assert certainty(rl.ci_low, rl.ci_high, no_difference=1.0) == "uncertain"
    ci = relative_risk(584, 2313, 293, 1724).confidence_interval(0.95)
    rl = relative_likelihood(584, 2313, 293, 1724)
    assert ci.low > 1 and certainty(rl.ci_low, rl.ci_high, no_difference=1.0) == "clear"


def test_labels():
    assert with_certainty("Adverse", "clear") == "Adverse — clear"
    assert with_certainty("Adverse", "uncertain") == "Adverse — uncertain: could be chance"
    assert with_certainty("Adverse", None) == "Adverse"
