"""Pay gaps computed from canonical tables: attributes joined from the workforce snapshot."""

from datetime import date

import pytest

from parity.paygap.api import paygap, relevant_employees


def _pay(trust, person, monthly, *, bonus=0.0, full=True, hours=37.5, sex=None):
    trust.add("pay", person_id=person, ordinary_pay=monthly, pay_period_days=30.44, weekly_hours=hours,
              bonus_12m=bonus, full_pay=full, sex=sex)


def test_gender_gap_from_pay_and_workforce(trust):
    men = trust.staff(4, sex="male", pay_band="7")
    women = trust.staff(4, sex="female", pay_band="5")
    for p, pay in zip(men, (3000, 3200, 3400, 3600), strict=True):
        _pay(trust, p, pay, bonus=1000.0)
    for p, pay in zip(women, (2500, 2600, 2700, 2800), strict=True):
        _pay(trust, p, pay)
    # on maternity leave at reduced pay: out of the hourly measures, in the bonus proportions
    on_leave = trust.staff(1, sex="female", pay_band="5")[0]
    _pay(trust, on_leave, 900, full=False)
    con = trust.connect()
    df = relevant_employees(con, year=2025)
    assert len(df) == 9 and set(df.sex) == {"male", "female"}
    report = paygap(con, year=2025, by="sex", n_resamples=200)
    result = report.results[0]
    hourly = lambda m: m * 7 / 30.44 / 37.5  # noqa: E731
    men_mean = sum(hourly(x) for x in (3000, 3200, 3400, 3600)) / 4
    women_mean = sum(hourly(x) for x in (2500, 2600, 2700, 2800)) / 4
    assert result.mean_hourly_gap == pytest.approx(round(100 * (men_mean - women_mean) / men_mean, 1))
    assert result.bonus_percent["male"] == 100.0 and result.bonus_percent["female"] == 0.0
    row = report.gov_uk_row()
    assert row["DiffMedianBonusPercent"] == 100.0
    assert row["MaleLowerQuartile"] + row["FemaleLowerQuartile"] == pytest.approx(100.0)
    # the gap is entirely between bands here: men are all in band 7, women in band 5
    assert report.decomposition.band_mix == pytest.approx(report.decomposition.total_gap)


def test_snapshot_date_is_31_march_of_the_year(trust):
    trust.staff(2)
    _pay(trust, "P1", 2000)
    trust.add("pay", person_id="P2", ordinary_pay=2000.0, pay_period_days=30.44, weekly_hours=37.5,
              bonus_12m=0.0, full_pay=True, snapshot_date=date(2024, 3, 31))
    assert len(relevant_employees(trust.connect(), year=2025)) == 1
    with pytest.raises(ValueError, match="No pay rows"):
        paygap(trust.connect(), year=2023)
