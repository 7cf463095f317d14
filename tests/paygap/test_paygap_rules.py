"""Populations and measure rules of regs 8–13 on small hand-checked cases."""

from __future__ import annotations

import pytest

from parity.paygap import gender_pay_gap


def test_reduced_pay_leave_is_out_of_hourly_measures_but_in_bonus_proportions(make_frame):
    # two men at £20; women at £10 and £30 (full pay) plus one on reduced pay at £1 with a bonus
    df = make_frame([20, 20, 10, 30, 1], ["male", "male", "female", "female", "female"],
               full_pay=[True, True, True, True, False], bonus=[100, 0, 0, 0, 100])
    result = gender_pay_gap(df)
    assert result.counts["female"] == {"relevant": 3, "full_pay": 2, "bonus_recipients": 1}
    assert result.mean_hourly_gap == 0.0  # women's mean is (10 + 30) / 2 = 20
    assert sum(q["size"] for q in result.quarters) == 4
    assert result.bonus_percent == {"male": 50.0, "female": 33.3}  # 1 of 3 women, leave included


def test_part_time_bonus_is_not_scaled_up(make_frame):
    # a man full time and a woman half time, both paid £1,000 bonus: bonus gap 0, not negative
    df = make_frame([15, 15], ["male", "female"], bonus=[1000, 1000], hours=[37.5, 18.75])
    result = gender_pay_gap(df)
    assert result.mean_bonus_gap == 0.0
    assert result.median_bonus_gap == 0.0


def test_bonus_mean_and_median_among_recipients_only(make_frame):
    df = make_frame([10] * 5, ["male", "male", "female", "female", "female"], bonus=[100, 0, 50, 0, 0])
    result = gender_pay_gap(df)
    assert result.unrounded["reference_mean_bonus"] == 100
    assert result.unrounded["comparison_mean_bonus"] == 50
    assert result.mean_bonus_gap == 50.0


def test_odd_and_even_medians(make_frame):
    # men 10, 20, 30 → median 20; women 10, 20, 30, 40 → median (20 + 30) / 2 = 25; gap −25.0
    df = make_frame([30, 10, 20, 40, 10, 30, 20], ["male"] * 3 + ["female"] * 4)
    result = gender_pay_gap(df)
    assert result.unrounded["reference_median_hourly"] == 20
    assert result.unrounded["comparison_median_hourly"] == 25
    assert result.median_hourly_gap == -25.0
    assert result.mean_hourly_gap == -25.0


def test_no_man_paid_bonus_gives_blank_bonus_gaps(make_frame):
    df = make_frame([10, 12, 11, 13], ["male", "male", "female", "female"], bonus=[0, 0, 500, 0])
    result = gender_pay_gap(df)
    assert result.mean_bonus_gap is None and result.median_bonus_gap is None
    row = result.gov_uk_row()
    assert row["DiffMeanBonusPercent"] == "" and row["DiffMedianBonusPercent"] == ""
    assert row["MaleBonusPercent"] == 0.0 and row["FemaleBonusPercent"] == 50.0
    assert result.to_dict()["mean_bonus_gap"] is None


def test_no_woman_paid_bonus_gives_100(make_frame):
    df = make_frame([10, 12, 11, 13], ["male", "male", "female", "female"], bonus=[500, 0, 0, 0])
    result = gender_pay_gap(df)
    assert (result.mean_bonus_gap, result.median_bonus_gap) == (100.0, 100.0)


def test_other_and_unknown_sex_are_excluded_and_counted(make_frame):
    df = make_frame([10, 20, 30, 40, 50, 60], ["male", "female", "other", "unknown", "unknown", "male"])
    result = gender_pay_gap(df, snapshot_date="2024-03-31")
    assert result.excluded == {"other": 1, "unknown": 2}
    assert sum(q["size"] for q in result.quarters) == 3
    assert result.notes and "other sex" in result.notes[0]
    assert result.snapshot_date == "2024-03-31"


@pytest.mark.parametrize(
    "men, women, expected",
    [
        # men mean 20, women 17.49 → 12.55 exactly: half away from zero gives 12.6 (round() gives 12.5)
        ([20, 20], [17.49, 17.49], 12.6),
        ([20, 20], [22.51, 22.51], -12.6),
        ([20, 20], [17.51, 17.51], 12.5),  # 12.45 → 12.5 (round(12.45, 1) gives 12.4)
        ([20, 20], [17.52, 17.52], 12.4),
    ],
)
def test_gaps_round_half_away_from_zero(men, women, expected, make_frame):
    result = gender_pay_gap(make_frame(men + women, ["male"] * len(men) + ["female"] * len(women)))
    assert result.mean_hourly_gap == expected


def test_quarter_share_rounds_half_up_and_complements(make_frame):
    # 64 people, lower quarter of 16 holds 1 man: 6.25 % → 6.3 (not banker's 6.2), women 93.7
    sexes = ["male"] + ["female"] * 15 + ["male", "female"] * 24
    result = gender_pay_gap(make_frame(list(range(1, 65)), sexes))
    assert result.quarters[0]["percent"] == {"male": 6.3, "female": 93.7}


def test_missing_column_and_duplicates_raise(make_frame):
    df = make_frame([10, 11], ["male", "female"])
    with pytest.raises(ValueError, match="lacks column"):
        gender_pay_gap(df.drop(columns="bonus_12m"))
    with pytest.raises(ValueError, match="duplicated person_id"):
        gender_pay_gap(df.assign(person_id=["x", "x"]))
    with pytest.raises(ValueError, match="full_pay"):
        gender_pay_gap(df.assign(full_pay=["yes", "no"]))
    with pytest.raises(ValueError, match="Unrecognised sex"):
        gender_pay_gap(df.assign(sex=["M", "female"]))
