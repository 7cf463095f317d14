"""Assessment against the non-adverse range: one case per branch of the truth table."""

import re

import pytest

from parity.stats import Assessment, RelativeLikelihood, assess
from parity.stats.assessment import BAD_DIRECTION, BAD_RANGE


def _rl(value, ci_low, ci_high, events_a=50, events_b=50, reason=None):
    """A result built directly, so the truth table does not depend on relative_likelihood()."""
    return RelativeLikelihood(
        value, ci_low, ci_high, 0.5, "chi_square", 0.95, events_a, 1000, events_b, 1000, reason, False
    )


@pytest.mark.parametrize(
    ("rl", "kwargs", "assessment", "within"),
    [
        pytest.param(
            _rl(None, 0.5, 9.0, 3, 0, "no events in group b"), {}, "inconclusive", None, id="undefined"
        ),
        pytest.param(_rl(2.0, 1.5, 2.5, 2, 2), {}, "inconclusive", False, id="too-few-events-in-total"),
        pytest.param(_rl(3.0, 1.5, 4.0, 20, 2), {}, "inconclusive", False, id="too-few-in-one-group"),
        pytest.param(_rl(1.0, 0.7, 1.4), {}, "inconclusive", True, id="interval-spans-range"),
        pytest.param(_rl(1.6, 0.7, 3.0), {}, "inconclusive", False, id="spans-range-outside-value"),
        pytest.param(_rl(1.1, 0.9, 1.3), {}, "within_range", True, id="within"),
        pytest.param(_rl(1.25, 1.0, 1.5), {}, "within_range", True, id="on-upper-edge"),
        pytest.param(_rl(0.80, 0.7, 0.9), {}, "within_range", True, id="on-lower-edge"),
        pytest.param(_rl(1.6, 1.3, 2.0), {}, "adverse", False, id="above-is-adverse"),
        pytest.param(_rl(1.6, 1.1, 2.0), {}, "adverse", False, id="above-interval-reaches-range"),
        pytest.param(_rl(0.5, 0.4, 0.6), {}, "favourable", False, id="below-is-favourable"),
        pytest.param(_rl(0.5, 0.4, 0.6), {"adverse_when": "below"}, "adverse", False, id="below-mirrored"),
        pytest.param(_rl(1.6, 1.3, 2.0), {"adverse_when": "below"}, "favourable", False, id="above-mirrored"),
        pytest.param(
            _rl(1.6, 1.3, 2.0, 4, 4), {"min_events": 10}, "inconclusive", False, id="min-events-option"
        ),
        pytest.param(
            _rl(1.6, 1.3, 2.0, 1, 9), {"min_events_per_group": 1}, "adverse", False, id="per-group-option"
        ),
        pytest.param(_rl(1.35, 1.2, 1.5), {"low": 0.7, "high": 1.4}, "within_range", True, id="custom-range"),
    ],
)
def test_truth_table(rl, kwargs, assessment, within):
    result = assess(rl, **kwargs)
    assert result.assessment == assessment
    assert result.within_non_adverse_range is within
    assert isinstance(result.reason, str) and result.reason
    assert Assessment(**result.to_dict()) == result


def test_minimum_counts_are_inclusive():
    # Exactly 5 events in all and 3 in the smaller group is enough.
    assert assess(_rl(1.6, 1.3, 2.0, 2, 3)).assessment == "inconclusive"
    assert assess(_rl(1.6, 1.3, 2.0, 3, 3)).assessment == "adverse"


def test_reason_mentions_the_cause():
    assert "no events in group b" in assess(_rl(None, None, None, 3, 0, "no events in group b")).reason
    assert "spans" in assess(_rl(1.0, 0.7, 1.4)).reason


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"low": 1.25, "high": 0.8}, BAD_RANGE.format(low=1.25, high=0.8)),
        ({"low": 0, "high": 1.25}, BAD_RANGE.format(low=0, high=1.25)),
        ({"adverse_when": "up"}, BAD_DIRECTION.format(value="up")),
    ],
)
def test_invalid_options(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        assess(_rl(1.0, 0.9, 1.1), **kwargs)
