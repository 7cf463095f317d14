"""The workbook re-opened and checked cell by cell against the protected results JSON."""

from __future__ import annotations

import numbers

import openpyxl
import pytest

from parity.report.excel import INDICATOR_COLUMNS, STAT_COLUMNS
from parity.report.tidy import Withheld
from parity.report.view import GROUPS


@pytest.fixture(scope="module")
def book(outputs):
    return openpyxl.load_workbook(outputs["xlsx"])


def rows_by_indicator(ws, header_first: str = "Indicator"):
    header_row = next(r for r in ws.iter_rows() if r[0].value == header_first and r[1].value == "Title")
    labels = [c.value for c in header_row]
    out = {}
    for r in ws.iter_rows(min_row=header_row[0].row + 1):
        if r[0].value:
            out[r[0].value] = dict(zip(labels, (c.value for c in r), strict=False))
    return out


def test_sheets(book, report):
    assert book.sheetnames == ["WRES", "WDES", "Pay gaps", "Data", "Methods"]


@pytest.mark.parametrize("standard", ["WRES", "WDES"])
def test_indicator_rows_match_json(book, report, standard):
    result, marker = report.standards[standard], report.rule.marker
    withheld = Withheld(result["suppressed"])
    rows = rows_by_indicator(book[standard])
    checked = 0
    for i, ind in enumerate(result["indicators"]):
        if ind["kind"] in ("distribution", "narrative"):
            assert ind["id"] not in rows
            continue
        row = rows[ind["id"]]
        for g in GROUPS[standard]:
            fig = ind["groups"].get(g)
            for col in INDICATOR_COLUMNS[:2]:
                cell = row[f"{g} {col}"]
                expected = None if fig is None else fig[col]
                if withheld(f"indicators[{i}].groups.{g}.{col}"):
                    assert cell == marker
                else:
                    assert cell == expected
                    if expected is not None:
                        assert isinstance(cell, numbers.Number) and not isinstance(cell, bool)
                        checked += 1
        value = row[STAT_COLUMNS[0]]
        if withheld(f"indicators[{i}].value"):
            assert value == marker
        elif ind["value"] is None:
            assert value is None
        else:
            assert value == pytest.approx(ind["value"]) and isinstance(value, float)
    assert checked > 10


def test_band_table_matches_json(book, report):
    ws, ind = book["WRES"], report.standards["WRES"]["indicators"][0]
    header = next(r for r in ws.iter_rows() if r[0].value == "Staff" and r[1].value == "Pay band")
    labels = [c.value for c in header]
    body = list(ws.iter_rows(min_row=header[0].row + 1, max_row=header[0].row + len(ind["rows"]), values_only=True))
    for r, cells in zip(ind["rows"], body, strict=True):
        got = dict(zip(labels, cells, strict=False))
        assert got["Pay band"] == str(r["band"])
        for g in ("White", "BME", "Unknown"):
            count = r["groups"][g]["count"]
            assert got[g] == (report.rule.marker if count is None else count)


def test_data_sheet_numbers_are_numbers(book):
    ws = book["Data"]
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    col = header.index("denominator")
    values = [r[col] for r in ws.iter_rows(min_row=2, values_only=True) if r[col] not in (None, "*")]
    assert values and all(isinstance(v, int | float) for v in values)
