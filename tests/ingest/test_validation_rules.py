"""One test per validation rule: each names the file, row, column and value it complains about."""

from __future__ import annotations

import pytest

from parity.ingest import validate_file
from parity.ingest.problems import MSG_EMPTY


def codes(report, severity=None):
    return [(p.row, p.column, p.code) for p in report.problems if severity in (None, p.severity)]


def test_empty_file_and_header_only(tmp_path):
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "header.csv").write_text("person_id,leave_date\n")
    for name in ("empty.csv", "header.csv"):
        report = validate_file(tmp_path / name, "leavers")
        assert [p.code for p in report.errors] == ["empty_file"]
        assert report.errors[0].message == MSG_EMPTY and report.errors[0].file == name


def test_missing_required_columns_lists_found_and_closest(sample, write_csv):
    df = sample("leavers").rename(columns={"leave_date": "leaving date"})
    report = validate_file(write_csv(df), "leavers")
    [err] = report.errors
    assert err.code == "missing_columns" and err.row is None
    assert "leave_date" in err.message and "Columns found: person_id, leaving date" in err.message
    assert "'leaving date'" in err.message  # the closest name
    assert report.rows_accepted == 0 and report.rows_read == report.rows_excluded


def test_wrong_table_named(sample, write_csv):
    report = validate_file(write_csv(sample("applications")), "workforce")
    wrong = [p for p in report.errors if p.code == "wrong_table"]
    assert wrong and "'applications'" in wrong[0].message


@pytest.mark.parametrize("value,code", [
    ("31/02/2024", "impossible_date"), ("03/04/24", "ambiguous_date"), ("03/31/2024", "ambiguous_date"),
    ("2024-13-01", "impossible_date"), ("yesterday", "invalid_date"), ("", "blank_value")])
def test_bad_dates(sample, write_csv, value, code):
    df = sample("leavers", n=3)
    df.loc[1, "leave_date"] = value
    report = validate_file(write_csv(df), "leavers")
    assert codes(report, "error") == [(3, "leave_date", code)]
    assert report.errors[0].value == (value or "")


@pytest.mark.parametrize("good", ["2024-01-05", "05/01/2024", "5/1/2024", "05-Jan-2024"])
def test_good_dates(sample, write_csv, good):
    df = sample("leavers", n=3)
    df.loc[1, "leave_date"] = good
    assert validate_file(write_csv(df), "leavers").ok


@pytest.mark.parametrize("column,value,code", [
    ("fte", "abc", "invalid_number"), ("fte", "0", "out_of_range"), ("fte", "2.5", "out_of_range"),
    ("fte", "-1", "out_of_range"), ("sex", "Q", "unknown_code"), ("disability", "maybe", "unknown_code"),
    ("pay_band", "Band 10", "unknown_code"), ("staff_group", "Astronauts", "unknown_code"),
    ("assignment_category", "Volunteer", "unknown_code"), ("primary_assignment", "perhaps", "unknown_code"),
    ("ethnic_category", "Martian", "unknown_ethnicity"), ("person_id", "", "blank_value")])
def test_workforce_bad_values(sample, write_csv, column, value, code):
    df = sample("workforce", n=5)
    df.loc[2, column] = value
    report = validate_file(write_csv(df), "workforce")
    assert codes(report, "error") == [(4, column, code)]
    assert report.excluded_by_reason == {"invalid value": 1} and report.rows_accepted == 4


def test_unknown_ethnicity_message_and_override(sample, write_csv):
    df = sample("workforce", n=40)
    df.loc[[3, 7], "ethnic_category"] = "Martian"
    path = write_csv(df)
    report = validate_file(path, "workforce")
    assert {p.row for p in report.errors} == {5, 9}
    assert "add it to your mapping under values: ethnic_category" in report.errors[0].message
    relaxed = validate_file(path, "workforce", unknown_as_not_stated=True)
    assert relaxed.ok
    [warn] = [p for p in relaxed.warnings if p.code == "unknown_ethnicity_as_99"]
    assert warn.message.startswith("2 row(s)") and "'Martian'" in warn.message


@pytest.mark.parametrize("column,value", [
    ("ordinary_pay", "-5"), ("bonus_12m", "-0.01"), ("weekly_hours", "0"), ("weekly_hours", "101"),
    ("pay_period_days", "0"), ("full_pay", "sometimes")])
def test_pay_impossible_values(sample, write_csv, column, value):
    df = sample("pay", n=4)
    df.loc[0, column] = value
    report = validate_file(write_csv(df), "pay")
    assert [(p.row, p.column) for p in report.errors] == [(2, column)]


def test_duplicate_key_names_both_rows(sample, write_csv):
    df = sample("applications", n=6)
    df.loc[4, "application_id"] = df.loc[1, "application_id"]
    report = validate_file(write_csv(df), "applications")
    dup = [p for p in report.errors if p.code == "duplicate_key"]
    assert [p.row for p in dup] == [3, 6]
    assert all("Rows 3, 6" in p.message for p in dup)
    assert report.excluded_by_reason == {"duplicate key": 2}


def test_exact_duplicate_blank_and_total_rows_are_excluded_with_warnings(sample, write_csv):
    df = sample("leavers", n=4)
    df.loc[len(df)] = df.loc[1]
    df.loc[len(df)] = ["", "", ""]
    df.loc[len(df)] = ["Grand Total", "", ""]
    report = validate_file(write_csv(df), "leavers")
    assert report.ok
    assert codes(report, "warning") == [(6, None, "duplicate_row"), (7, None, "blank_row"), (8, None, "total_row")]
    assert "row 3" in report.warnings[0].message
    assert report.excluded_by_reason == {"duplicate row": 1, "blank row": 1, "total row": 1}
    assert report.rows_read == 7 == report.rows_accepted + report.rows_excluded


def test_total_label_with_an_identifier_is_not_a_total_row(sample, write_csv):
    df = sample("workforce", n=3)
    df.insert(0, "Directorate", ["Surgery", "Total", "Medicine"])
    report = validate_file(write_csv(df), "workforce")
    assert report.rows_accepted == 3 and report.dropped_columns == ["Directorate"]
    df.loc[1, "person_id"] = ""
    assert validate_file(write_csv(df), "workforce").excluded_by_reason == {"total row": 1}


def test_event_dates_outside_reporting_year(sample, write_csv):
    df = sample("disciplinary", n=4)
    df.loc[0, "case_start_date"] = "2023-03-31"  # the day before FY 2023/24 starts
    df.loc[1, "case_start_date"] = "2024-04-01"
    df.loc[2, "case_start_date"] = "2023-04-01"
    report = validate_file(write_csv(df), "disciplinary", year=2024)
    assert codes(report, "error") == [(2, "case_start_date", "outside_year"), (3, "case_start_date", "outside_year")]
    assert validate_file(write_csv(df), "disciplinary").ok  # no --year, no check


def test_snapshot_date_not_31_march_is_a_warning(sample, write_csv):
    df = sample("workforce", n=4)
    df.loc[0, "snapshot_date"] = "2024-03-30"
    report = validate_file(write_csv(df), "workforce")
    assert report.ok
    assert [p.code for p in report.warnings] == ["snapshot_not_31_march"]
    other_year = validate_file(write_csv(sample("workforce", n=4)), "workforce", year=2025)
    assert other_year.ok and [p.code for p in other_year.warnings] == ["snapshot_not_31_march"]


def test_recruitment_rules(sample, write_csv):
    df = sample("applications", n=6)
    df.loc[0, ["shortlisted", "offered", "appointed"]] = ["No", "Yes", "Yes"]
    df.loc[1, ["shortlisted", "offered", "appointed"]] = ["Yes", "No", "Yes"]
    report = validate_file(write_csv(df), "applications")
    assert codes(report, "error") == [(2, "appointed", "appointed_not_shortlisted")]
    assert codes(report, "warning") == [(3, "offered", "appointed_not_offered")]


def test_unknown_ethnicity_share_warning(sample, write_csv):
    df = sample("workforce", n=20)
    df.loc[:1, "ethnic_category"] = ["Z", ""]  # 2 of 20 = 10%
    report = validate_file(write_csv(df), "workforce")
    [warn] = [p for p in report.warnings if p.code == "unknown_ethnicity_share"]
    assert "10.0%" in warn.message
    df.loc[1, "ethnic_category"] = "A"  # 1 of 20 = 5%: not more than 5%
    assert not validate_file(write_csv(df), "workforce").warnings


def test_two_primary_assignments(sample, write_csv):
    df = sample("workforce", n=4)
    df.loc[3, "person_id"] = df.loc[0, "person_id"]
    df.loc[3, "pay_band"] = "9" if df.loc[0, "pay_band"] != "9" else "8a"
    report = validate_file(write_csv(df), "workforce")
    assert report.ok
    [warn] = report.warnings
    assert warn.code == "two_primary_assignments" and "rows 2, 5" in warn.message


def test_all_problems_are_collected_not_just_the_first(sample, write_csv):
    df = sample("workforce", n=10)
    df.loc[1, "fte"] = "x"
    df.loc[2, "sex"] = "?"
    df.loc[2, "snapshot_date"] = "31/02/2024"
    report = validate_file(write_csv(df), "workforce")
    assert len(report.errors) == 3
    assert report.excluded_by_reason == {"invalid value": 2}


def test_mapping_values_and_list_columns(sample, write_csv, tmp_path):
    df = sample("workforce", n=4).rename(columns={"person_id": "Staff No", "pay_band": "Band"})
    df["Grade"] = ""
    df.loc[0, "Band"] = ""
    df.loc[0, "Grade"] = "Top Doc"
    df.loc[1, "Band"] = "Level Five"
    (tmp_path / "map.yaml").write_text(
        "table: workforce\ncolumns:\n  person_id: staff no\n  pay_band: [BAND, Grade]\n"
        "values:\n  pay_band: {Top doc: consultant, 'level five': '5'}\n")
    report = validate_file(write_csv(df), "workforce", mapping=tmp_path / "map.yaml")
    assert report.ok, report.problems
    wrong = validate_file(write_csv(df), "applications", mapping=tmp_path / "map.yaml")
    assert [p.code for p in wrong.errors] == ["mapping_table_mismatch"]


def test_blank_demographics_mean_unknown(sample, write_csv):
    df = sample("workforce", n=5)
    df.loc[1, ["sex", "disability", "ethnic_category"]] = ["", "", ""]
    report = validate_file(write_csv(df), "workforce")
    assert report.ok and codes(report, "warning")[0] == (3, "sex", "blank_sex")
