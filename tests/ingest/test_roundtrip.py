"""Every table and every file format goes in and comes back out as canonical, typed columns."""

from __future__ import annotations

import pandas as pd
import pytest

from parity.contract.schema import TABLES
from parity.ingest import import_file
from parity.ingest.load import SURVEY_LONG

DUCK_TYPES = {"date": "DATE", "bool": "BOOLEAN", "float": "DOUBLE", "int": "BIGINT"}


@pytest.mark.parametrize("table", list(TABLES))
def test_each_table_round_trips_with_contract_columns_and_types(sample, table, ws, write_csv):
    df = sample(table)
    result = import_file(ws, write_csv(df), table, org="RAB")
    assert result.imported, result.problems
    assert result.rows_read == result.rows_accepted == len(df)
    t = TABLES[table]
    with ws.connect() as con:
        types = dict(con.execute(f"SELECT column_name, data_type FROM information_schema.columns "
                                 f"WHERE table_name = '{table}' ORDER BY ordinal_position").fetchall())
        n = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    if t.open_columns:
        assert list(types) == [*SURVEY_LONG, "import_id"]
        assert n == len(df) * 2  # two question columns, stored long
    else:
        assert list(types) == [*(c.name for c in t.columns if c.stored), "import_id"]
        for c in t.columns:
            if not c.stored:  # date_of_birth: read to derive the age band, never stored
                assert c.name not in types
                continue
            assert types[c.name] == DUCK_TYPES.get(c.kind, "VARCHAR"), c.name
        assert n == len(df)
    assert types["import_id"] == "INTEGER"
    assert ws.tables() == [table]


def test_workforce_values_are_canonical(sample, ws, write_csv, read_table):
    df = sample("workforce")
    import_file(ws, write_csv(df), "workforce")
    got = read_table(ws, "workforce")
    assert set(got["org_code"]) == {"ORG"}
    assert set(got["sex"]) <= {"female", "male"}
    assert set(got["ethnic_category"]) <= set("ABCDHJMNRS")
    assert got["clinical"].tolist() == got["staff_group"].isin(["03", "04", "07"]).tolist()
    assert not got["board_member"].any()
    assert got["age_band"].isna().all()
    assert str(got["snapshot_date"].iloc[0])[:10] == "2024-03-31"


def test_survey_responses_stored_long(sample, ws, write_csv, read_table):
    df = sample("survey_responses", n=4)
    import_file(ws, write_csv(df), "survey_responses")
    got = read_table(ws, "survey_responses")
    assert sorted(got["question"].unique()) == ["Q14a", "Q15"]
    q15 = got[got["question"] == "Q15"].sort_values("response_id")["answer"].tolist()
    pseud = ws.pseudonymise(df["response_id"])
    expected = df.assign(response_id=pseud).sort_values("response_id")["Q15"].tolist()
    assert q15 == expected
    blank = (df["Q14a"] == "").sum()
    assert got.loc[got["question"] == "Q14a", "answer"].isna().sum() == blank


def _check_wf(ws, read_table, n):
    got = read_table(ws, "workforce")
    assert len(got) == n
    return got


def test_csv_utf8_sig_and_cp1252(sample, ws, tmp_path, read_table):
    df = sample("training", n=5)
    df["course"] = ["Café skills £", "Résumé", "Plain", "Naïve", "Über"]
    for enc in ("utf-8", "utf-8-sig", "cp1252"):
        path = tmp_path / f"t-{enc}.csv"
        df.to_csv(path, index=False, encoding=enc)
        assert import_file(ws, path, "training").imported
        got = read_table(ws, "training")
        assert sorted(got["course"]) == sorted(df["course"]), enc  # same rows replaced, not duplicated


def test_xlsx_with_title_rows_above_header(sample, ws, tmp_path, read_table):
    import openpyxl

    df = sample("workforce", n=6)
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "Staff"
    sheet.append(["Staff in post report"])
    sheet.append(["Run on 01/04/2024"])
    sheet.append([])
    sheet.append(list(df.columns))
    for row in df.itertuples(index=False):
        values = list(row)
        values[df.columns.get_loc("fte")] = float(values[df.columns.get_loc("fte")])  # real numbers
        sheet.append(values)
    path = tmp_path / "staff.xlsx"
    wb.save(path)
    result = import_file(ws, path, "workforce")
    assert result.imported and result.rows_read == 6
    _check_wf(ws, read_table, 6)
    bad = import_file(ws, path, "workforce", sheet="Nope")
    assert not bad.imported and "Staff" in bad.problems[0].message


def test_xlsx_row_numbers_are_sheet_rows(sample, tmp_path):
    import openpyxl

    from parity.ingest import validate_file

    df = sample("leavers", n=3)
    df.loc[1, "leave_date"] = "31/02/2024"
    wb = openpyxl.Workbook()
    wb.active.append(["Leavers 2023/24"])
    wb.active.append(list(df.columns))
    for row in df.itertuples(index=False):
        wb.active.append(list(row))
    wb.save(tmp_path / "l.xlsx")
    report = validate_file(tmp_path / "l.xlsx", "leavers")
    assert [(p.row, p.code) for p in report.errors] == [(4, "impossible_date")]


def test_parquet_with_typed_columns(sample, ws, tmp_path, read_table):
    df = sample("pay", n=5)
    typed = df.assign(snapshot_date=pd.to_datetime(df["snapshot_date"]),
                      ordinary_pay=df["ordinary_pay"].astype(float), full_pay=True)
    typed.to_parquet(tmp_path / "pay.parquet")
    result = import_file(ws, tmp_path / "pay.parquet", "pay")
    assert result.imported, result.problems
    got = read_table(ws, "pay")
    assert sorted(got["ordinary_pay"]) == sorted(typed["ordinary_pay"])
    assert got["full_pay"].all()


def test_csv_row_numbers_count_the_header_as_row_1(sample, tmp_path, write_csv):
    from parity.ingest import validate_file

    df = sample("leavers", n=4)
    df.loc[2, "leave_date"] = "not a date"
    report = validate_file(write_csv(df), "leavers")
    assert [p.row for p in report.errors] == [4]
