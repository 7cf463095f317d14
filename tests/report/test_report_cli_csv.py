"""`parity report` end to end on a workspace, and the CSV outputs."""

from __future__ import annotations

import csv

import duckdb
import typer
from typer.testing import CliRunner

from parity.commands.report import register
from parity.paygap.results import GOV_UK_COLUMNS
from parity.report.csv import GOV_UK_HEADER
from parity.report.tidy import COLUMNS
from parity.workspace import Workspace


def test_gov_uk_csv(outputs, report):
    with outputs["csv_gov_uk"].open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == GOV_UK_HEADER and len(GOV_UK_HEADER) == 14
    assert GOV_UK_HEADER[0] == "DiffMeanHourlyPercent" and GOV_UK_HEADER[-1] == "FemaleTopQuartile"
    assert set(GOV_UK_COLUMNS) <= set(GOV_UK_HEADER)
    sex = report.paygap["sex"]["results"][0]
    assert float(rows[0]["DiffMeanHourlyPercent"]) == sex["mean_hourly_gap"]


def test_tidy_csv_columns(outputs):
    with outputs["csv"].open(encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert tuple(reader.fieldnames) == COLUMNS
    assert {r["standard"] for r in rows} == {"WRES", "WDES", "PAYGAP"}


def test_cli_writes_the_report(trust, tmp_path):
    ws = Workspace.open(tmp_path / "ws")
    con = duckdb.connect(str(ws.db_path))
    for table in trust.rows:
        frame = trust.frame(table)  # noqa: F841 (read by DuckDB by name)
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM frame")
    con.close()
    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)  # a second command keeps "report" a named sub-command
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["report", "--workspace", str(ws.path), "--year", "2025", "--out", str(out),
                                      "--standards", "wres", "--formats", "html,csv", "--k", "5"])
    assert result.exit_code == 0, result.output
    assert sorted(p.suffix for p in out.iterdir()) == [".csv", ".html"]
    assert "1 to 4" in next(out.glob("*.html")).read_text(encoding="utf-8")


def test_tidy_csv_numbers_are_numbers(outputs, report):
    """Issue 14: no marker in a number column — withheld numbers are empty and named in `suppressed`."""
    from parity.report.csv import NUMERIC
    from parity.report.tidy import tidy_rows

    with outputs["csv"].open(encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    rows = list(csv.DictReader(lines))
    for r in rows:
        for col in NUMERIC:
            if r[col] != "":
                float(r[col])  # a number, or it raises
    marker = report.rule.marker
    withheld = [(i, col) for i, t in enumerate(tidy_rows(report)) for col in NUMERIC if t.get(col) == marker]
    assert withheld, "the fixture report withholds something"
    for i, col in withheld:
        assert rows[i][col] == "" and col in rows[i]["suppressed"].split(";")
