"""Issue 12.1: an import replaces exactly what it covers (table x organisation x snapshot/period).

Before the fix the identical file (same SHA-256) replaced its own earlier rows, so importing one
multi-year file a year at a time kept only the last year.
"""

from __future__ import annotations

import json

import pandas as pd
from typer.testing import CliRunner

from parity.cli import app
from parity.ingest import import_file

# application dates in three reporting years (1 April Y-1 to 31 March Y): 4 + 3 + 5 rows
DATES = {2023: ["2022-04-01", "2022-09-30", "2023-01-15", "2023-03-31"],
         2024: ["2023-04-01", "2023-12-01", "2024-03-31"],
         2025: ["2024-04-01", "2024-06-30", "2024-11-11", "2025-02-01", "2025-03-31"]}


def multi_year(sample) -> pd.DataFrame:
    dates = [d for year in DATES for d in DATES[year]]
    df = sample("applications", n=len(dates))
    df["application_date"] = dates
    return df


def count_by_year(ws) -> dict[int, int]:
    with ws.connect() as con:
        rows = con.execute("SELECT CASE WHEN month(application_date) <= 3 THEN year(application_date) "
                           "ELSE year(application_date) + 1 END AS y, count(*) FROM applications "
                           "GROUP BY y ORDER BY y").fetchall()
    return {int(y): int(n) for y, n in rows}


def test_one_multi_year_file_imported_a_year_at_a_time_keeps_every_year(ws, sample, write_csv):
    path = write_csv(multi_year(sample), "apps-2022-2025.csv")
    for year in DATES:
        r = import_file(ws, path, "applications", year=year, exclude_invalid=True)
        assert r.imported and r.rows_stored == len(DATES[year])
        assert r.replaced_rows == 0
    assert count_by_year(ws) == {y: len(d) for y, d in DATES.items()}  # 12 of 12 rows, not the last 5


def test_reimporting_a_year_replaces_only_that_year_and_the_log_says_so(ws, sample, write_csv):
    df = multi_year(sample)
    path = write_csv(df, "apps.csv")
    for year in DATES:
        import_file(ws, path, "applications", year=year, exclude_invalid=True, org="R1")
    # a corrected 2024 extract: one application withdrawn, so the 2024 scope now holds 2 rows
    fixed = df[df["application_date"].isin(DATES[2024][:2])]
    r = import_file(ws, write_csv(fixed, "apps-2024-fixed.csv"), "applications", year=2024, org="R1")
    assert r.imported and r.replaced_rows == 3
    assert count_by_year(ws) == {2023: 4, 2024: 2, 2025: 5}
    log = ws.import_log().iloc[-1]
    assert int(log.rows_replaced) == 3
    assert "R1" in log.replaced_scope and "2023-04-01" in log.replaced_scope and "2024-03-31" in log.replaced_scope
    assert ws.import_log()["rows_replaced"].tolist() == [0, 0, 0, 3]


def test_another_organisation_is_outside_the_scope(ws, sample, write_csv):
    df = multi_year(sample)
    import_file(ws, write_csv(df, "a.csv"), "applications", year=2024, exclude_invalid=True, org="R1")
    r = import_file(ws, write_csv(df, "b.csv"), "applications", year=2024, exclude_invalid=True, org="R2")
    assert r.replaced_rows == 0
    with ws.connect() as con:
        assert con.execute("SELECT org_code, count(*) FROM applications GROUP BY 1 ORDER BY 1").fetchall() == [
            ("R1", 3), ("R2", 3)]


def test_snapshot_scope_is_org_and_snapshot_date(ws, sample, write_csv, read_table):
    wf = sample("workforce", n=6)
    two = pd.concat([wf, wf.assign(snapshot_date="2025-03-31")], ignore_index=True)
    path = write_csv(two, "wf-two-years.csv")
    import_file(ws, path, "workforce", org="R1")
    r = import_file(ws, write_csv(wf.iloc[:2].assign(snapshot_date="2025-03-31"), "wf25.csv"), "workforce", org="R1")
    assert r.replaced_rows == 6
    got = read_table(ws, "workforce")
    assert got.groupby(got["snapshot_date"].astype(str).str[:4]).size().to_dict() == {"2024": 6, "2025": 2}
    scope = ws.import_log().iloc[-1].replaced_scope
    assert "snapshot 2025-03-31" in scope and "2024-03-31" not in scope


def test_cli_reports_the_replaced_scope(sample, write_csv, tmp_path):
    path, ws = write_csv(multi_year(sample), "apps.csv"), tmp_path / "ws"
    runner = CliRunner()
    for year in DATES:
        out = runner.invoke(app, ["import", path, "-t", "applications", "-w", str(ws), "--year", str(year),
                                  "--exclude-invalid", "--format", "json"])
        assert out.exit_code == 0, out.output
        data = json.loads(out.stdout)
        assert data["rows_stored"] == len(DATES[year]) and data["replaced_rows"] == 0
        assert str(year - 1) + "-04-01" in data["replaced_scope"]
    again = runner.invoke(app, ["import", path, "-t", "applications", "-w", str(ws), "--year", "2025",
                                "--exclude-invalid"])
    assert again.exit_code == 0 and "5 earlier rows replaced" in again.output
    assert "2024-04-01 to 2025-03-31" in again.output
