"""The government service's validation rules (checks.py) reject broken results."""

from __future__ import annotations

import dataclasses

import pytest

from parity.paygap import PayGapCheckError, check_result, gender_pay_gap


@pytest.fixture
def good(make_frame):
    return gender_pay_gap(make_frame([10, 11, 12, 13, 14, 15, 16, 17], ["male", "female"] * 4, bonus=[5, 5] + [0] * 6))


def _with_quarter(result, k, **changes):
    quarters = [dict(q) for q in result.quarters]
    quarters[k] = {**quarters[k], **changes}
    return dataclasses.replace(result, quarters=quarters)


def test_good_result_passes(good):
    assert check_result(good) is good


def test_quarter_summing_to_100_1_is_rejected(good):
    bad = _with_quarter(good, 0, percent={"male": 50.1, "female": 50.0})
    with pytest.raises(PayGapCheckError, match="add up to 100.1"):
        check_result(bad)


def test_quarter_sizes_breaking_the_remainder_rule_are_rejected(good):
    bad = _with_quarter(good, 0, size=1, counts={"male": 1, "female": 0}, percent={"male": 100.0, "female": 0.0})
    bad = _with_quarter(bad, 1, size=3, counts={"male": 1, "female": 2}, percent={"male": 33.3, "female": 66.7})
    with pytest.raises(PayGapCheckError, match="remainder rule"):
        check_result(bad)


def test_bonus_percent_out_of_range_is_rejected(good):
    with pytest.raises(PayGapCheckError, match="outside 0–100"):
        check_result(dataclasses.replace(good, bonus_percent={"male": 100.2, "female": 0.0}))


def test_bonus_gap_over_100_with_women_paid_bonus_is_rejected(good):
    assert good.counts["female"]["bonus_recipients"] == 1
    with pytest.raises(PayGapCheckError, match="must be <= 100"):
        check_result(dataclasses.replace(good, mean_bonus_gap=100.5))
