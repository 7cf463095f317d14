"""Relative likelihood: values, Katz intervals and p-values against SciPy, zero counts, validation."""

import json
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2_contingency, fisher_exact, norm
from scipy.stats.contingency import relative_risk

from parity.stats import RelativeLikelihood, relative_likelihood
from parity.stats._validation import BAD_CONFIDENCE, EVENTS_EXCEED_TOTAL, NEGATIVE_COUNT, NOT_A_COUNT

# WRES reference notes, worked examples from published trust reports.
# Indicator 2: White appointment rate 46.99%, BME 14.65% -> RL 3.2075...
WRES_INDICATOR_2 = dict(events_a=4699, n_a=10000, events_b=1465, n_b=10000, rl=46.99 / 14.65)
# Indicator 3: BME 1.2% entered formal disciplinary, White 0.7% -> RL 1.714...
WRES_INDICATOR_3 = dict(events_a=12, n_a=1000, events_b=7, n_b=1000, rl=12 / 7)


def _random_tables(seed, low, high, size):
    cells = np.random.default_rng(seed).integers(low, high + 1, size=(size, 4))
    return [(int(a), int(a + c), int(b), int(b + d)) for a, c, b, d in cells]


def _expected_p(a, n_a, b, n_b, small_count=5):
    """The test-choice rule written out independently: Fisher if any cell or expected count < 5."""
    table = np.array([[a, n_a - a], [b, n_b - b]])
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    if table.min() < small_count or expected.min() < small_count:
        return fisher_exact(table).pvalue, "fisher_exact"
    return chi2_contingency(table, correction=False).pvalue, "chi_square"


@pytest.mark.parametrize("confidence", [0.95, 0.9])
def test_1000_random_tables_match_scipy(confidence):
    tests_seen = set()
    # Cells 1..500 (mostly chi-square) plus small tables 1..12 so both tests are exercised.
    tables = _random_tables(20240331, 1, 500, 1000) + _random_tables(7, 1, 12, 200)
    for a, n_a, b, n_b in tables:
        rl = relative_likelihood(a, n_a, b, n_b, confidence=confidence)
        reference = relative_risk(exposed_cases=a, exposed_total=n_a, control_cases=b, control_total=n_b)
        ci = reference.confidence_interval(confidence_level=confidence)
        assert rl.value == pytest.approx((a / n_a) / (b / n_b), rel=1e-12)
        assert rl.ci_low == pytest.approx(ci.low, rel=1e-9)
        assert rl.ci_high == pytest.approx(ci.high, rel=1e-9)
        p_value, test = _expected_p(a, n_a, b, n_b)
        assert rl.test == test
        assert rl.p_value == pytest.approx(p_value, rel=1e-9, abs=1e-300)
        assert rl.undefined_reason is None and rl.continuity_correction is False
        tests_seen.add(rl.test)
    assert tests_seen == {"fisher_exact", "chi_square"}


def test_katz_interval_by_formula():
    # 10/75 vs 12/225 (SciPy's docstring example), written out: var = 1/10 - 1/75 + 1/12 - 1/225.
    rl = relative_likelihood(10, 75, 12, 225)
    se = math.sqrt(1 / 10 - 1 / 75 + 1 / 12 - 1 / 225)
    z = norm.ppf(0.975)
    assert rl.value == pytest.approx(2.5)
    assert rl.ci_low == pytest.approx(2.5 * math.exp(-z * se), rel=1e-12)
    assert rl.ci_high == pytest.approx(2.5 * math.exp(z * se), rel=1e-12)


@pytest.mark.parametrize("case", [WRES_INDICATOR_2, WRES_INDICATOR_3], ids=["indicator_2", "indicator_3"])
def test_worked_examples_from_reference_notes(case):
    rl = relative_likelihood(case["events_a"], case["n_a"], case["events_b"], case["n_b"])
    assert rl.value == pytest.approx(case["rl"], rel=1e-12)
    assert rl.ci_low < rl.value < rl.ci_high


def test_worked_example_values():
    assert relative_likelihood(4699, 10000, 1465, 10000).value == pytest.approx(3.2075085, abs=1e-7)
    assert relative_likelihood(12, 1000, 7, 1000).value == pytest.approx(1.7142857, abs=1e-7)


def test_swapping_groups_inverts_value_and_interval():
    forward, backward = relative_likelihood(30, 400, 12, 350), relative_likelihood(12, 350, 30, 400)
    assert backward.value == pytest.approx(1 / forward.value)
    assert backward.ci_low == pytest.approx(1 / forward.ci_high)
    assert backward.ci_high == pytest.approx(1 / forward.ci_low)
    assert backward.p_value == pytest.approx(forward.p_value)


def _haldane(a, n_a, b, n_b, z=norm.ppf(0.975)):
    """Hand computation: add 0.5 to each of the four cells, so n grows by 1."""
    a, b, n_a, n_b = a + 0.5, b + 0.5, n_a + 1, n_b + 1
    centre = math.log((a / n_a) / (b / n_b))
    se = math.sqrt(1 / a - 1 / n_a + 1 / b - 1 / n_b)
    return math.exp(centre - z * se), math.exp(centre + z * se)


@pytest.mark.parametrize("counts", [(3, 50, 0, 40), (0, 50, 3, 40), (120, 300, 0, 2), (0, 1, 1, 1)])
def test_one_group_without_events_gives_continuity_corrected_interval(counts, assert_json_safe):
    rl = relative_likelihood(*counts)
    assert rl.value is None and rl.undefined_reason
    assert rl.continuity_correction is True
    low, high = _haldane(*counts)
    assert rl.ci_low == pytest.approx(low, rel=1e-12) and rl.ci_high == pytest.approx(high, rel=1e-12)
    a, n_a, b, n_b = counts
    assert rl.p_value == pytest.approx(fisher_exact([[a, n_a - a], [b, n_b - b]]).pvalue)
    assert rl.test == "fisher_exact"
    assert_json_safe(rl.to_dict())


def test_haldane_hand_numbers():
    # 3/50 vs 0/40 -> 3.5/51 vs 0.5/41; se^2 = 1/3.5 - 1/51 + 1/0.5 - 1/41 = 2.2417163
    rl = relative_likelihood(3, 50, 0, 40)
    centre, se = math.log((3.5 / 51) / (0.5 / 41)), math.sqrt(2.2417163)
    assert rl.ci_low == pytest.approx(math.exp(centre - 1.959964 * se), rel=1e-5)
    assert rl.ci_high == pytest.approx(math.exp(centre + 1.959964 * se), rel=1e-5)


def test_reasons_name_the_group():
    rl = relative_likelihood(3, 50, 0, 40, group_names=("White", "BME"))
    assert rl.undefined_reason == "no events in group b (BME): the ratio is undefined (it would be infinite)"
    assert (
        "group a (White)" in relative_likelihood(0, 50, 3, 40, group_names=("White", "BME")).undefined_reason
    )


def test_no_events_in_either_group(assert_json_safe):
    rl = relative_likelihood(0, 50, 0, 40)
    assert (rl.value, rl.ci_low, rl.ci_high) == (None, None, None)
    assert rl.p_value == 1.0 and rl.test == "fisher_exact"
    assert rl.undefined_reason == "no events in either group: the ratio is undefined"
    assert rl.continuity_correction is False
    assert_json_safe(rl.to_dict())


@pytest.mark.parametrize("counts", [(0, 0, 3, 40), (3, 40, 0, 0), (0, 0, 0, 0)])
def test_group_without_people_gives_nothing(counts, assert_json_safe):
    rl = relative_likelihood(*counts)
    assert (rl.value, rl.ci_low, rl.ci_high, rl.p_value, rl.test) == (None, None, None, None, None)
    assert "no people" in rl.undefined_reason or "any people" in rl.undefined_reason
    assert_json_safe(rl.to_dict())


def test_everyone_has_the_event(assert_json_safe):
    rl = relative_likelihood(20, 20, 30, 30)
    assert (rl.value, rl.ci_low, rl.ci_high, rl.p_value) == (1.0, 1.0, 1.0, 1.0)
    assert_json_safe(rl.to_dict())


def test_small_count_threshold_is_configurable():
    assert relative_likelihood(30, 400, 12, 350, small_count=5).test == "chi_square"
    assert relative_likelihood(30, 400, 12, 350, small_count=13).test == "fisher_exact"


def test_to_dict_round_trip_and_frozen(assert_json_safe):
    rl = relative_likelihood(np.int64(30), 400, 12, np.int32(350))
    as_dict = rl.to_dict()
    assert_json_safe(as_dict)
    assert RelativeLikelihood(**as_dict) == rl
    with pytest.raises(AttributeError):
        rl.value = 2.0


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((1.0, 10, 1, 10), {}, NOT_A_COUNT.format(name="events_a", value=1.0)),
        ((True, 10, 1, 10), {}, NOT_A_COUNT.format(name="events_a", value=True)),
        ((1, 10, 1, "10"), {}, NOT_A_COUNT.format(name="n_b", value="10")),
        ((-1, 10, 1, 10), {}, NEGATIVE_COUNT.format(name="events_a", value=-1)),
        (
            (1, 10, 11, 10),
            {},
            EVENTS_EXCEED_TOTAL.format(events_name="events_b", events=11, total_name="n_b", total=10),
        ),
        ((1, 10, 1, 10), {"confidence": 95}, BAD_CONFIDENCE.format(value=95)),
        ((1, 10, 1, 10), {"confidence": 1.0}, BAD_CONFIDENCE.format(value=1.0)),
    ],
)
def test_invalid_input_is_rejected_with_a_clear_message(args, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        relative_likelihood(*args, **kwargs)


counts = st.integers(min_value=0, max_value=300)


@settings(max_examples=300, deadline=None)
@given(counts, counts, counts, counts)
def test_any_valid_counts_give_json_safe_results(events_a, extra_a, events_b, extra_b):
    rl = relative_likelihood(events_a, events_a + extra_a, events_b, events_b + extra_b)
    json.dumps(rl.to_dict(), allow_nan=False)  # raises on inf or nan
    if rl.value is not None:
        assert rl.ci_low <= rl.value <= rl.ci_high
    if rl.ci_low is not None:
        assert 0 < rl.ci_low <= rl.ci_high
    if rl.p_value is not None:
        assert 0 <= rl.p_value <= 1
