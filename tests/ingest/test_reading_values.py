"""Values read as the user meant them (issue 12 items 5, 7, 14): decimal commas, organisation
codes, timestamps with a time of day. Expected values are worked by hand from the file contents."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from parity.cli import app
from parity.ingest import import_file, validate_file
from parity.ingest.parse import parse_column
from parity.ingest.prepare import prepare

from .conftest import stored


def _pay(sample, n=6, comma=False):
    df = sample("pay", n=n)
    df["ordinary_pay"] = "2100.50"
    if comma:  # the other numbers of a decimal-comma file
        df["pay_period_days"], df["weekly_hours"] = "30,44", df["weekly_hours"].str.replace(".", ",")
    return df


def test_decimal_comma_is_never_a_thousands_separator(sample, write_csv):
    """Issue 12.5: "3882,71" was stored as 388271 (100x too high), exit 0."""
    df = _pay(sample)
    df.loc[[1, 4], "ordinary_pay"] = ["3882,71", "1,5"]
    report = validate_file(write_csv(df), "pay")
    bad = [p for p in report.errors if p.code == "ambiguous_number"]
    assert [(p.row, p.value) for p in bad] == [(3, "3882,71"), (6, "1,5")]
    assert "--decimal ," in bad[0].message
    assert report.rows_accepted == 4


def test_thousands_grouping_is_ambiguous_when_the_column_uses_decimal_commas(sample, write_csv):
    df = _pay(sample)
    df.loc[[1, 2], "ordinary_pay"] = ["3882,71", "1,234"]  # 1,234 may be 1.234 in this column
    report = validate_file(write_csv(df), "pay")
    assert sorted(p.row for p in report.errors if p.code == "ambiguous_number") == [3, 4]


def test_thousands_separators_still_read_when_unambiguous(sample, write_csv):
    df = _pay(sample)
    df.loc[[0, 1], "ordinary_pay"] = ["£3,882.71", "12,345"]
    prep = prepare(write_csv(df), "pay")
    assert prep.report.ok, prep.report.errors
    assert list(prep.frame["ordinary_pay"][:2]) == [3882.71, 12345.0]


def test_decimal_comma_option(sample, write_csv):
    df = _pay(sample, comma=True)
    df["ordinary_pay"] = ["3882,71", "3.882,71", "2100", "1 234,5", "0,5", "3.5"]
    prep = prepare(write_csv(df), "pay", decimal=",")
    assert [p.row for p in prep.report.errors] == [7]  # "3.5" with --decimal , is ambiguous
    assert list(prep.frame["ordinary_pay"]) == [3882.71, 3882.71, 2100.0, 1234.5, 0.5]


def test_decimal_flag_on_cli(sample, write_csv, tmp_path):
    df = _pay(sample)
    df.loc[1, "ordinary_pay"] = "3882,71"
    path = write_csv(df)
    runner = CliRunner()
    plain = runner.invoke(app, ["validate", path, "--table", "pay", "--format", "json"])
    assert plain.exit_code == 2
    comma = runner.invoke(app, ["validate", path, "--table", "pay", "--format", "json", "--decimal", ","])
    assert comma.exit_code == 2  # "2100.50" is ambiguous once commas are decimal
    assert "ambiguous with --decimal ," in comma.output
    df = _pay(sample, comma=True)
    df["ordinary_pay"] = "2100,50"
    df.loc[1, "ordinary_pay"] = "3882,71"
    ok = runner.invoke(app, ["import", write_csv(df, "c.csv"), "--table", "pay", "--decimal", ",",
                             "--workspace", str(tmp_path / "ws"), "--format", "json"])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(app, ["validate", path, "--table", "pay", "--decimal", ";"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_parse_numbers_by_hand():
    raw = pd.Series(["1,234,567.5", "1,23", "12,3456", "-1,000", "7"])
    got = parse_column(raw, "float", "x")
    # "-1,000" could be -1.000 once "1,23" shows decimal commas; "1,234,567.5" has both marks
    assert list(got.error_code) == [None, "ambiguous_number", "ambiguous_number", "ambiguous_number", None]
    assert got.values[0] == 1234567.5 and got.values[4] == 7.0
    alone = parse_column(pd.Series(["-1,000", "2,500.25"]), "float", "x")
    assert list(alone.values) == [-1000.0, 2500.25]


def test_org_codes_normalised(sample, write_csv, ws):
    """Issue 12.7: ` r0a ` and `R0A` are one organisation."""
    df = sample("leavers", n=4)
    df["org_code"] = [" r0a ", "R0A", "r 0a", "RXX"]
    prep = prepare(write_csv(df), "leavers")
    assert list(prep.frame["org_code"]) == ["R0A", "R0A", "R0A", "RXX"]
    import_file(ws, write_csv(sample("leavers", n=3, seed=1), "b.csv"), "leavers", org=" rxx")
    assert set(stored(ws, "leavers")["org_code"]) == {"RXX"}


@pytest.mark.parametrize("fmt", ["parquet", "xlsx"])
def test_timestamps_with_time_of_day_are_dates(sample, tmp_path, fmt):
    """Issue 12.14: 500 of 500 rows invalid_date for timestamps with a time of day."""
    df = sample("leavers", n=5)
    stamps = [pd.Timestamp(s) for s in ("2023-07-31 09:30", "2024-01-05 17:45:10", "2023-07-31",
                                        "2023-12-01 00:00:01", "2024-03-31 23:59")]
    df["leave_date"] = stamps
    path = tmp_path / f"x.{fmt}"
    if fmt == "parquet":
        df.to_parquet(path)
    else:
        wb = openpyxl.Workbook()
        wb.active.append(list(df.columns))
        for row in df.itertuples(index=False):
            wb.active.append([v.to_pydatetime() if isinstance(v, pd.Timestamp) else v for v in row])
        wb.save(path)
    prep = prepare(path, "leavers")
    assert prep.report.ok, prep.report.errors
    assert [str(d) for d in prep.frame["leave_date"]] == [
        "2023-07-31", "2024-01-05", "2023-07-31", "2023-12-01", "2024-03-31"]


def test_text_timestamps_in_csv(sample, write_csv):
    df = sample("leavers", n=3)
    df["leave_date"] = ["2023-07-31 09:30", "2023-07-31T09:30:00", "2023-07-31 25:00"]
    report = validate_file(write_csv(df), "leavers")
    assert [(p.row, p.code) for p in report.errors] == [(4, "invalid_date")]


def test_json_has_decimal_problem_code(sample, write_csv):
    df = _pay(sample)
    df.loc[0, "ordinary_pay"] = "3882,71"
    out = CliRunner().invoke(app, ["validate", write_csv(df), "--table", "pay", "--format", "json"])
    assert {p["code"] for p in json.loads(out.stdout)["problems"]} == {"ambiguous_number"}
