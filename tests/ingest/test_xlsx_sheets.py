"""XLSX read as Excel shows it (issue 12 item 4): the active sheet, merged cells, formulas without
saved values. Expected values are read off the workbooks built here."""

from __future__ import annotations

import openpyxl
import pytest

from parity.ingest import validate_file
from parity.ingest.prepare import prepare


def _leavers_sheet(ws, n, org="R0A"):
    ws.append(["org_code", "person_id", "leave_date", "reason"])
    for i in range(n):
        ws.append([org, f"E{i}", "2023-07-31", "Retirement"])


@pytest.fixture
def hidden_first(tmp_path):
    wb = openpyxl.Workbook()
    old = wb.active
    old.title = "Old extract"
    _leavers_sheet(old, 3, org="OLD")
    old.sheet_state = "hidden"
    _leavers_sheet(wb.create_sheet("March 2024"), 7)
    wb.create_sheet("Notes").append(["Produced by ESR"])
    wb.active = 1
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return path


def test_active_sheet_is_read_not_a_hidden_first_sheet(hidden_first):
    """Issue 12.4: a hidden first sheet was read (100 stale rows instead of 500)."""
    prep = prepare(hidden_first, "leavers")
    assert prep.report.ok, prep.report.errors
    assert prep.report.rows_read == 7 and set(prep.frame["org_code"]) == {"R0A"}
    assert prep.report.sheet == "March 2024"
    [note] = [p for p in prep.report.warnings if p.code == "sheet_read"]
    assert "'March 2024'" in note.message and "'Old extract' (hidden)" in note.message and "--sheet" in note.message


def test_sheet_option_still_chooses(hidden_first):
    report = validate_file(hidden_first, "leavers", sheet="Old extract")
    assert report.rows_read == 3 and report.sheet == "Old extract"
    assert not [p for p in report.warnings if p.code == "sheet_read"]


def test_hidden_active_sheet_falls_back_to_first_visible(tmp_path):
    wb = openpyxl.Workbook()
    _leavers_sheet(wb.active, 2)
    wb.active.title = "Visible"
    hidden = wb.create_sheet("Hidden")
    _leavers_sheet(hidden, 5)
    hidden.sheet_state = "hidden"
    wb.active = 1
    path = tmp_path / "b.xlsx"
    wb.save(path)
    report = validate_file(path, "leavers")
    assert report.sheet == "Visible" and report.rows_read == 2


def test_merged_cells_are_filled_from_their_top_left_cell(tmp_path):
    """Issue 12.4: a merged org_code gave 499 rows the wrong org; merged ethnicity became unknown."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["org_code", "person_id", "snapshot_date", "ethnic_category", "sex", "disability", "pay_band",
               "staff_group", "assignment_category", "fte", "primary_assignment"])
    for i in range(6):
        ws.append(["R0A" if i == 0 else None, f"E{i}", "2024-03-31", "A" if i in (0, 3) else None, "F", "No",
                   "5", "03", "permanent", 1, "Y"])
    ws.merge_cells("A2:A7")
    ws.merge_cells("D2:D3")
    ws.merge_cells("D5:D7")
    path = tmp_path / "m.xlsx"
    wb.save(path)
    prep = prepare(path, "workforce")
    assert prep.report.ok, prep.report.errors
    assert list(prep.frame["org_code"]) == ["R0A"] * 6
    assert list(prep.frame["ethnic_category"]) == ["A", "A", "99", "A", "A", "A"]
    [note] = [p for p in prep.report.warnings if p.code == "merged_cells_filled"]
    assert "A2:A7" in note.message and "D5:D7" in note.message


def test_formula_without_saved_value_is_an_error_naming_the_cell(tmp_path):
    """Issue 12.4: formula cells without cached values became blanks."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["person_id", "leave_date", "reason", "Cost Centre"])
    ws.append(["E1", "2023-07-31", "Retirement", "=1+1"])  # a dropped column: not our business
    ws.append(["E2", "=DATE(2023,8,1)", "Relocation", "X"])
    ws.append(["E3", "2023-09-01", '=CONCAT("Re","tirement")', "Y"])
    path = tmp_path / "f.xlsx"
    wb.save(path)  # openpyxl saves formulas without values, as a file never opened in Excel
    report = validate_file(path, "leavers")
    bad = [(p.row, p.column, p.code) for p in report.errors]
    assert bad == [(3, "leave_date", "formula_without_value"), (4, "reason", "formula_without_value")]
    assert "B3" in report.errors[0].message and "=DATE(2023,8,1)" in report.errors[0].message
    assert report.rows_accepted == 1
