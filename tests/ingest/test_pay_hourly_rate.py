"""Pay files as ESR gives them: an hourly rate per row, or ordinary pay + period + hours (issue 13).

The six measures of the hourly-rate file are worked by hand below, from the regulations' rules
(docs/pay-gaps.md): gaps (men − women) / men × 100, bonus measures over all relevant employees.
"""

from __future__ import annotations

import pandas as pd
import pytest

from parity.ingest import import_file, validate_file
from parity.paygap.api import paygap

# Employee Number, Gender, Hourly Rate, Bonus, Full Pay — the ESR gender pay gap extract layout.
ROWS = [
    ("M1", "Male", "10.00", "100", "Y"), ("M2", "Male", "12.00", "0", "Y"), ("M3", "Male", "14.00", "300", "Y"),
    ("M4", "Male", "20.00", "500", "Y"),
    ("W1", "Female", "9.00", "200", "Y"), ("W2", "Female", "9.50", "20", "Y"), ("W3", "Female", "12.50", "0", "Y"),
    ("W4", "Female", "15.00", "0", "Y"),
    ("W5", "Female", "", "50", "N"),  # on reduced pay because of leave: no rate needed, bonus counts
]
# By hand:
# hourly, full-pay only: men 10, 12, 14, 20 → mean 14, median 13; women 9, 9.5, 12.5, 15 → mean 11.5,
#   median 11. Mean gap (14 − 11.5) / 14 = 17.857 → 17.9; median gap (13 − 11) / 13 = 15.385 → 15.4.
# bonus, recipients among all relevant: men 100, 300, 500 → mean 300, median 300; women 200, 20, 50 →
#   mean 90, median 50. Mean gap 210 / 300 = 70.0; median gap 250 / 300 = 83.333 → 83.3.
# bonus proportions: men 3 of 4 = 75.0; women 3 of 5 (W5 included) = 60.0.
# quarters of the 8 full-pay people ranked by rate (2 each): 9 W, 9.5 W | 10 M, 12 M | 12.5 W, 14 M |
#   15 W, 20 M → men 0, 100, 50, 50 %.
EXPECTED = {
    "DiffMeanHourlyPercent": 17.9, "DiffMedianHourlyPercent": 15.4, "DiffMeanBonusPercent": 70.0,
    "DiffMedianBonusPercent": 83.3, "MaleBonusPercent": 75.0, "FemaleBonusPercent": 60.0,
    "MaleLowerQuartile": 0.0, "FemaleLowerQuartile": 100.0, "MaleLowerMiddleQuartile": 100.0,
    "FemaleLowerMiddleQuartile": 0.0, "MaleUpperMiddleQuartile": 50.0, "FemaleUpperMiddleQuartile": 50.0,
    "MaleTopQuartile": 50.0, "FemaleTopQuartile": 50.0,
}


def _gpg_frame(with_full_pay: bool = True) -> pd.DataFrame:
    df = pd.DataFrame(ROWS, columns=["Employee Number", "Gender", "Hourly Rate", "Bonus", "Full Pay Relevant Employee"])
    return df if with_full_pay else df.drop(columns="Full Pay Relevant Employee")


def test_hourly_rate_file_reproduces_the_six_measures(ws, write_csv):
    result = import_file(ws, write_csv(_gpg_frame()), "pay", preset="esr-gender-pay-gap", snapshot_date="31/03/2024")
    assert result.imported, result.problems
    assert result.rows_accepted == 9 and result.errors == []
    report = paygap(ws.path, year=2024, n_resamples=20)
    [gender] = report.results
    assert gender.gov_uk_row() == EXPECTED
    assert gender.counts["female"]["relevant"] == 5 and gender.counts["female"]["full_pay"] == 4


def test_the_same_people_given_as_pay_and_hours_give_the_same_measures(ws, write_csv):
    # the rates above from weekly pay: ordinary pay = rate × 37.5 hours, a 7-day period
    df = _gpg_frame().rename(columns={"Employee Number": "person_id", "Gender": "sex", "Bonus": "bonus_12m",
                                      "Full Pay Relevant Employee": "full_pay"})
    rate = pd.to_numeric(df.pop("Hourly Rate"), errors="coerce")
    df["ordinary_pay"] = (rate * 37.5).map(lambda v: "" if pd.isna(v) else f"{v:.2f}")
    df["pay_period_days"] = "7"
    df["weekly_hours"] = ["37.5"] * 8 + [""]  # reduced pay, hours blank: allowed (docs/pay-gaps.md)
    df["snapshot_date"] = "2024-03-31"
    result = import_file(ws, write_csv(df), "pay")
    assert result.imported, result.problems
    [gender] = paygap(ws.path, year=2024, n_resamples=20).results
    assert gender.gov_uk_row() == EXPECTED


def test_a_full_pay_row_without_a_rate_or_hours_is_an_error_naming_row_and_column(write_csv):
    df = _gpg_frame()
    df.loc[1, "Hourly Rate"] = ""
    report = validate_file(write_csv(df), "pay", preset="esr-gender-pay-gap", snapshot_date="2024-03-31")
    assert [(p.row, p.column, p.code) for p in report.errors] == [(3, "hourly_rate", "no_hourly_basis")]
    assert "hourly_rate or ordinary_pay + pay_period_days + weekly_hours" in report.errors[0].message


def test_mixed_rows_each_need_one_basis(write_csv):
    df = pd.DataFrame({
        "person_id": ["A", "B", "C", "D"], "snapshot_date": "2024-03-31", "sex": ["male", "female", "male", "female"],
        "hourly_rate": ["15", "", "", ""], "ordinary_pay": ["", "2500", "2500", ""],
        "pay_period_days": ["", "30.44", "30.44", ""], "weekly_hours": ["", "37.5", "", ""],
        "bonus_12m": "0", "full_pay": ["Y", "Y", "Y", "N"]})
    report = validate_file(write_csv(df), "pay")
    # C has pay and period but no hours; D is on reduced pay and needs nothing
    assert [(p.row, p.code) for p in report.errors] == [(4, "no_hourly_basis")]
    assert report.rows_accepted == 3


def test_a_file_with_neither_an_hourly_rate_nor_pay_columns_is_refused(write_csv):
    df = pd.DataFrame({"person_id": ["A"], "snapshot_date": "2024-03-31", "bonus_12m": "0", "full_pay": "Y",
                       "weekly_hours": "37.5"})
    report = validate_file(write_csv(df), "pay")
    [err] = report.errors
    assert err.code == "missing_columns"
    assert "hourly_rate (or ordinary_pay, pay_period_days and weekly_hours)" in err.message


def test_missing_full_pay_column_uses_the_preset_default_and_says_so(ws, write_csv):
    result = import_file(ws, write_csv(_gpg_frame(with_full_pay=False).iloc[:8]), "pay",
                         preset="esr-gender-pay-gap", snapshot_date="2024-03-31")
    assert result.imported, result.problems
    [warn] = [p for p in result.warnings if p.column == "full_pay"]
    assert warn.code == "mapped_column_absent" and "'Full Pay Relevant Employee'" in warn.message
    assert "'yes'" in warn.message


@pytest.mark.parametrize("value", ["2024-13-01", "31/03/24"])
def test_bad_snapshot_date_option_is_a_file_error(write_csv, value):
    report = validate_file(write_csv(_gpg_frame()), "pay", preset="esr-gender-pay-gap", snapshot_date=value)
    [err] = report.errors
    assert err.code == "bad_snapshot_date" and err.row is None and "--snapshot-date" in err.message


def test_snapshot_date_option_and_column_together_are_refused(write_csv):
    df = _gpg_frame().assign(**{"Snapshot Date": "31/03/2024"})
    report = validate_file(write_csv(df), "pay", preset="esr-gender-pay-gap", snapshot_date="2024-03-31")
    [err] = report.errors
    assert err.code == "bad_snapshot_date" and "'Snapshot Date'" in err.message


def test_without_snapshot_date_the_missing_column_is_named(write_csv):
    report = validate_file(write_csv(_gpg_frame()), "pay", preset="esr-gender-pay-gap")
    [err] = report.errors
    assert err.code == "missing_columns" and "snapshot_date" in err.message


def test_blank_bonus_reads_as_no_bonus_with_a_count(ws, write_csv):
    df = _gpg_frame()
    df.loc[df["Bonus"] == "0", "Bonus"] = ""  # M2, W3, W4
    result = import_file(ws, write_csv(df), "pay", preset="esr-gender-pay-gap", snapshot_date="2024-03-31")
    assert result.imported, result.errors
    [note] = [p for p in result.warnings if p.code == "blank_read_as"]
    assert note.column == "bonus_12m" and note.message.startswith("3 row(s) had a blank bonus_12m; read as '0'")
    [gender] = paygap(ws.path, year=2024, n_resamples=20).results
    assert gender.gov_uk_row() == EXPECTED


def test_blank_bonus_without_the_preset_is_still_an_error(write_csv):
    df = _gpg_frame().rename(columns={"Employee Number": "person_id", "Gender": "sex", "Hourly Rate": "hourly_rate",
                                      "Bonus": "bonus_12m", "Full Pay Relevant Employee": "full_pay"})
    df.loc[0, "bonus_12m"] = ""
    report = validate_file(write_csv(df.assign(snapshot_date="2024-03-31")), "pay")
    assert [(p.row, p.column, p.code) for p in report.errors] == [(2, "bonus_12m", "blank_value")]
