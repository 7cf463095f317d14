"""The rule object, its methods note, and pay gap protection."""

from __future__ import annotations

import numpy as np
import pytest

from parity.disclosure import DisclosureRule, protect_paygap
from parity.disclosure.rules import BAD_K, BAD_MARKER


def test_methods_note_states_k_marker_zero_survey_and_secondary():
    note = DisclosureRule(k=6, marker="[c]", survey_min_responses=20).methods_note()
    for phrase in ("1 to 5", "fewer than 6", '"[c]"', "Zero counts are shown as 0", "fewer than 20 responses",
                   "Secondary (complementary) suppression"):
        assert phrase in note
    assert "Zero counts are also withheld" in DisclosureRule(suppress_zero=True).methods_note()


@pytest.mark.parametrize(("kwargs", "message"), [({"k": 1}, BAD_K), ({"k": 2.5}, BAD_K), ({"marker": "5"}, BAD_MARKER),
                                                 ({"marker": ""}, BAD_MARKER)])
def test_bad_rules_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message.split("{")[0][:30]):
        DisclosureRule(**kwargs)


def test_thresholds():
    rule = DisclosureRule()
    assert [rule.is_small_count(n) for n in (0, 1, 9, 10)] == [False, True, True, False]
    assert [rule.is_small_survey(n) for n in (0, 10, 11)] == [False, True, False]


def paygap(attribute: str, comparison_quarters: list[int]) -> dict:
    ref = [30, 28, 25, 27]
    quarters = []
    for name, a, b in zip(("lower", "lower_middle", "upper_middle", "upper"), ref, comparison_quarters, strict=True):
        quarters.append({"quarter": name, "size": a + b, "counts": {"R": a, "C": b},
                         "percent": {"R": round(100 * a / (a + b), 1), "C": round(100 * b / (a + b), 1)}})
    full = sum(comparison_quarters)
    return {"attribute": attribute, "reference_group": "R", "comparison_group": "C",
            "counts": {"R": {"relevant": 115, "full_pay": 110, "bonus_recipients": 40},
                       "C": {"relevant": full + 2, "full_pay": full, "bonus_recipients": 3}},
            "mean_hourly_gap": 8.1, "median_hourly_gap": 6.0, "mean_bonus_gap": 12.0, "median_bonus_gap": 10.0,
            "bonus_percent": {"R": 34.8, "C": 12.5}, "quarters": quarters, "notes": [], "withheld": False,
            "not_disclosed_percent": 4.0, "excluded": {}, "snapshot_date": "2025-03-31",
            "unrounded": {"mean_hourly_gap": 8.1234}}


def test_ethnicity_quarters_get_primary_and_secondary_suppression(lp):
    out = protect_paygap(paygap("ethnicity", [5, 12, 15, 20]))
    shown = [(q["counts"]["C"], q["percent"]["C"]) for q in out["quarters"]]
    assert shown[0] == (None, None)
    for q in out["quarters"]:
        for n in (*q["counts"].values(), q["size"]):
            assert n is None or not 0 < n < 10
    # independent check: the lower quarter's 5 is not fixed by the shown cells, sizes and group totals
    rows, values = [], []
    for i, q in enumerate(out["quarters"]):
        for j, g in enumerate(("R", "C")):
            if q["counts"][g] is not None:
                rows.append(np.eye(8)[2 * i + j])
                values.append(q["counts"][g])
        if q["size"] is not None:
            rows.append(np.eye(8)[2 * i] + np.eye(8)[2 * i + 1])
            values.append(q["size"])
    for j, g in enumerate(("R", "C")):
        if out["counts"][g]["full_pay"] is not None:
            rows.append(sum(np.eye(8)[2 * i + j] for i in range(4)))
            values.append(out["counts"][g]["full_pay"])
    assert lp(np.array(rows), np.array(values, dtype=float), np.eye(8)[1])
    assert out["counts"]["C"]["bonus_recipients"] is None and out["bonus_percent"]["C"] is None
    assert out["mean_bonus_gap"] is None and out["mean_hourly_gap"] == 8.1
    assert out["unrounded"] == {} and "quarters[0].counts.C" in out["disclosure"]["suppressed"]


def test_small_group_loses_its_hourly_gaps():
    out = protect_paygap(paygap("disability", [1, 2, 3, 2]))
    assert out["mean_hourly_gap"] is None and out["median_hourly_gap"] is None


def test_gender_pay_gap_is_statutory_and_unsuppressed():
    original = paygap("sex", [5, 12, 15, 20])
    out = protect_paygap(original)
    assert out["quarters"] == original["quarters"] and out["mean_bonus_gap"] == 12.0
    assert out["disclosure"]["statutory"] is True and out["unrounded"] == {}
