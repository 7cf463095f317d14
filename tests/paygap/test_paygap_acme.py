"""The government's Acme Ltd worked example, reproduced from employee-level rows.

One set of rows cannot satisfy every Acme figure: women's median needs the 1,550th woman at £13
and the 1,551st at £15, both in the lower-middle quarter (women 926–1,926), while men's median
needs the 673rd man (in the top quarter: men 596–1,345) at £15. Ranks are by rate, so everyone
from that woman to that man — the whole upper-middle quarter — would be on £15, and the tie rule
would then give the lower-middle quarter's 376 tied women about 138 tied men, more than its 110.
So construction A covers quarters, the tie, mean hourly pay and bonuses, and construction B
covers mean and median hourly pay.
"""

from __future__ import annotations

from parity.paygap import gender_pay_gap


def test_quarter_sizes_and_men_per_quarter(acme):
    result = gender_pay_gap(acme)
    assert [q["size"] for q in result.quarters] == [1112, 1111, 1111, 1111]
    assert [q["counts"]["male"] for q in result.quarters] == [187, 110, 298, 750]
    assert [q["counts"]["female"] for q in result.quarters] == [925, 1001, 813, 361]
    assert [q["percent"]["male"] for q in result.quarters] == [16.8, 9.9, 26.8, 67.5]
    assert [q["percent"]["female"] for q in result.quarters] == [83.2, 90.1, 73.2, 32.5]


def test_the_forty_person_tie_is_split_one_man_nine_women(acme):
    # outside the tie the lower quarter has 186 men and 916 women (conftest.ACME_STRETCHES), so
    # 187 / 925 means the tie gave it 1 man + 9 women, and the lower-middle 3 men + 27 women
    lower, lower_middle = gender_pay_gap(acme).quarters[:2]
    assert (lower["counts"]["male"] - 186, lower["counts"]["female"] - 916) == (1, 9)
    assert (lower_middle["counts"]["male"] - 107, lower_middle["counts"]["female"] - 974) == (3, 27)


def test_mean_hourly_gap_and_population(acme):
    result = gender_pay_gap(acme)
    assert result.counts["male"]["full_pay"] == 1345
    assert result.counts["female"]["full_pay"] == 3100
    assert abs(result.unrounded["reference_mean_hourly"] - 23_550 / 1345) < 1e-9
    assert abs(result.unrounded["comparison_mean_hourly"] - 46_900 / 3100) < 1e-9
    assert result.mean_hourly_gap == 13.6


def test_bonus_measures(acme):
    result = gender_pay_gap(acme)
    assert result.counts["male"]["relevant"] == 1375
    assert result.counts["female"]["relevant"] == 3125
    assert result.counts["male"]["bonus_recipients"] == 1300
    assert result.counts["female"]["bonus_recipients"] == 2000
    assert result.bonus_percent == {"male": 94.5, "female": 64.0}
    assert result.unrounded["reference_mean_bonus"] == 1650
    assert result.unrounded["comparison_mean_bonus"] == 1490
    assert result.unrounded["reference_median_bonus"] == 2300
    assert result.unrounded["comparison_median_bonus"] == 2225
    assert (result.mean_bonus_gap, result.median_bonus_gap) == (9.7, 3.3)


def test_median_hourly_gap(acme_medians):
    result = gender_pay_gap(acme_medians)
    assert result.unrounded["reference_median_hourly"] == 15
    assert result.unrounded["comparison_median_hourly"] == 14
    assert result.median_hourly_gap == 6.7
    assert result.mean_hourly_gap == 13.6


def test_gov_uk_row(acme):
    row = gender_pay_gap(acme).gov_uk_row()
    assert list(row) == [
        "DiffMeanHourlyPercent", "DiffMedianHourlyPercent", "DiffMeanBonusPercent",
        "DiffMedianBonusPercent", "MaleBonusPercent", "FemaleBonusPercent", "MaleLowerQuartile",
        "FemaleLowerQuartile", "MaleLowerMiddleQuartile", "FemaleLowerMiddleQuartile",
        "MaleUpperMiddleQuartile", "FemaleUpperMiddleQuartile", "MaleTopQuartile", "FemaleTopQuartile",
    ]
    expected = {
        "DiffMeanHourlyPercent": 13.6, "DiffMeanBonusPercent": 9.7, "DiffMedianBonusPercent": 3.3,
        "MaleBonusPercent": 94.5, "FemaleBonusPercent": 64.0,
        "MaleLowerQuartile": 16.8, "FemaleLowerQuartile": 83.2,
        "MaleLowerMiddleQuartile": 9.9, "FemaleLowerMiddleQuartile": 90.1,
        "MaleUpperMiddleQuartile": 26.8, "FemaleUpperMiddleQuartile": 73.2,
        "MaleTopQuartile": 67.5, "FemaleTopQuartile": 32.5,
    }
    assert {k: row[k] for k in expected} == expected
