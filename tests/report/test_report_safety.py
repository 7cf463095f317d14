"""Formula injection: labels that a spreadsheet would run are neutralised in Excel and CSV."""

from __future__ import annotations

import csv

import openpyxl
import pytest

from parity.report import write_report
from parity.report.safety import is_dangerous, neutralise

from .conftest import INJECTION, make_trust, report_for


@pytest.mark.parametrize("text", [INJECTION, "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1"])
def test_neutralise_prefixes_formula_text(text):
    assert neutralise(text) == "'" + text and not is_dangerous(neutralise(text))


@pytest.mark.parametrize("value", [-2.5, 0, 3, None, "Band 5", "White"])
def test_neutralise_leaves_numbers_and_plain_text(value):
    assert neutralise(value) == value


@pytest.fixture(scope="module")
def injected(tmp_path_factory):
    report = report_for(make_trust(org=INJECTION, band_8a="+cmd|' /C calc'!A0"), standards=("wres", "paygap"))
    return write_report(report, tmp_path_factory.mktemp("inj"), formats=("xlsx", "csv"))


def test_excel_has_no_formula_cells(injected):
    book = openpyxl.load_workbook(injected["xlsx"])
    seen = 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if isinstance(cell.value, str):
                    assert not is_dangerous(cell.value), (ws.title, cell.coordinate)
                    seen += "HYPERLINK" in cell.value or "calc" in cell.value
    assert seen  # the labels are there, defused


def test_csv_has_no_formula_text(injected):
    with injected["csv"].open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["organisation"] for r in rows} == {"'" + INJECTION}
    for row in rows:
        for field in row.values():
            if "HYPERLINK" in field or "calc" in field:
                assert not is_dangerous(field)
