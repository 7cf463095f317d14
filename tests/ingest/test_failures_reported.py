"""Failures say what happened (issue 12 item 14): a header below row 20, Ctrl-C during an import,
a storage failure after validation."""

from __future__ import annotations

import json
import re

import openpyxl
import pytest
from typer.testing import CliRunner

from parity.cli import app
from parity.ingest import import_file, validate_file

runner = CliRunner()


def _titles_then_table(sample, n_titles):
    df = sample("leavers", n=5)
    lines = [f"Leavers report, page header line {i}" for i in range(n_titles)]
    return lines, df


def test_csv_header_below_row_20_is_a_clear_message(sample, tmp_path):
    lines, df = _titles_then_table(sample, 24)
    path = tmp_path / "late.csv"
    path.write_text("\n".join(lines) + "\n" + df.to_csv(index=False))
    report = validate_file(path, "leavers")
    [problem] = report.errors
    assert problem.code == "header_not_found" and problem.row is None
    assert "row 25" in problem.message and "first 20 rows" in problem.message
    assert "ParserError" not in problem.message and "Expected" not in problem.message


def test_xlsx_header_below_row_20_is_a_clear_message(sample, tmp_path):
    lines, df = _titles_then_table(sample, 30)
    wb = openpyxl.Workbook()
    for line in lines:
        wb.active.append([line])
    wb.active.append(list(df.columns))
    for row in df.itertuples(index=False):
        wb.active.append(list(row))
    path = tmp_path / "late.xlsx"
    wb.save(path)
    report = validate_file(path, "leavers")
    assert [p.code for p in report.errors] == ["header_not_found"]
    assert "row 31" in report.errors[0].message


def test_ragged_csv_names_the_line(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("person_id,leave_date\nE1,2023-07-31\nE2,2023-07-31,extra,cells\n")
    report = validate_file(path, "leavers")
    [problem] = report.errors
    assert "line 3" in problem.message and "4 fields" in problem.message and "2" in problem.message
    assert "ParserError" not in problem.message


def test_ctrl_c_during_import_prints_one_line(sample, write_csv, tmp_path, monkeypatch):
    import parity.ingest.load as load

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(load, "store", interrupted)
    result = runner.invoke(app, ["import", write_csv(sample("leavers")), "--table", "leavers", "--workspace",
                                 str(tmp_path / "ws")])
    assert result.exit_code == 130
    assert result.output.strip() == "interrupted; nothing was changed"


def test_storage_failure_keeps_the_reconciliation(sample, write_csv, tmp_path, monkeypatch):
    """Issue 12.14: after a storage failure the reconciliation said "read 0"."""
    import parity.ingest.load as load

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(load, "store", full)
    result = runner.invoke(app, ["import", write_csv(sample("leavers", n=12)), "--table", "leavers",
                                 "--workspace", str(tmp_path / "ws"), "--format", "json"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    data = json.loads(result.stdout)
    assert data["imported"] is False and data["rows_read"] == 12 and data["rows_accepted"] == 12
    [problem] = data["problems"]
    assert problem["code"] == "storage_failed" and "No space left" in problem["message"]
    screen = runner.invoke(app, ["import", write_csv(sample("leavers", n=12)), "--table", "leavers",
                                 "--workspace", str(tmp_path / "ws")])
    assert re.search(r"read\s*│\s*12\s*│", screen.output), screen.output


@pytest.mark.parametrize("exc", [KeyboardInterrupt, OSError])
def test_python_api_failures(sample, write_csv, ws, monkeypatch, exc):
    import parity.ingest.load as load

    def fail(*args, **kwargs):
        raise exc("boom")

    monkeypatch.setattr(load, "store", fail)
    if exc is KeyboardInterrupt:
        with pytest.raises(KeyboardInterrupt):  # the API lets Ctrl-C through; the CLI reports it
            import_file(ws, write_csv(sample("leavers")), "leavers")
    else:  # the API raises as before, and the exception carries the file's reconciliation
        with pytest.raises(OSError) as err:
            import_file(ws, write_csv(sample("leavers")), "leavers")
        assert not err.value.report.imported and err.value.report.rows_read == 30
