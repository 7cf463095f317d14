"""The report workbook is readable as it opens (issue 14): rounded display formats, frozen and
filtered header rows, column widths that fit; the stored numbers keep full precision."""

from __future__ import annotations

import openpyxl
import pytest

from parity.report.excel import COUNT, P_VALUE, PERCENT, RATIO, number_format


@pytest.fixture(scope="module")
def book(outputs):
    return openpyxl.load_workbook(outputs["xlsx"])


def _header_row(ws, first: str) -> int:
    return next(r[0].row for r in ws.iter_rows() if r[0].value == first)


def test_the_data_sheet_header_is_frozen_and_filtered(book):
    ws = book["Data"]
    head = _header_row(ws, "standard") if ws["A1"].value == "standard" else 1
    assert ws.freeze_panes == f"A{head + 1}"
    assert ws.auto_filter.ref.startswith(f"A{head}:")
    assert ws.auto_filter.ref.endswith(str(ws.max_row))


@pytest.mark.parametrize("standard", ["WRES", "WDES"])
def test_indicator_table_is_filtered_and_numbers_rounded_for_display(book, standard):
    ws = book[standard]
    head = next(r[0].row for r in ws.iter_rows() if r[0].value == "Indicator" and r[1].value == "Title")
    assert ws.auto_filter.ref.startswith(f"A{head}:")
    labels = [c.value for c in ws[head]]
    seen = set()
    for row in ws.iter_rows(min_row=head + 1):
        for cell in row:
            if isinstance(cell.value, float):
                label = labels[cell.column - 1]
                want = P_VALUE if label == "p-value" else PERCENT if label.endswith("rate") else RATIO
                assert cell.number_format == want, (label, cell.number_format)
                seen.add(want)
            elif isinstance(cell.value, int) and not isinstance(cell.value, bool):
                assert cell.number_format == (PERCENT if labels[cell.column - 1].endswith("rate") else COUNT)
    assert RATIO in seen
    # columns fit: the title column is wide, none is wider than the cap
    assert ws.column_dimensions["B"].width >= 40
    assert all((d.width or 0) <= 60 for d in ws.column_dimensions.values())


def test_a_long_value_keeps_its_precision(book):
    ws = book["WRES"]
    floats = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, float)]
    assert any(round(v, 2) != v for v in floats)  # stored unrounded; only the display is rounded


def test_pay_gap_comparisons_are_in_words(book):
    ws = book["Pay gaps"]
    comparisons = {c.value for c in ws["B"] if isinstance(c.value, str) and "compared with" in c.value}
    assert "Women compared with Men" in comparisons
    assert not [c.value for c in ws["B"] if isinstance(c.value, str) and " vs " in c.value]


@pytest.mark.parametrize(("label", "value", "want"), [
    ("p-value", 0.0123, P_VALUE), ("White rate", 12.345, PERCENT), ("Mean hourly gap %", 3.2, PERCENT),
    ("Value", 1.234, RATIO), ("CI low", 0.9, RATIO), ("White numerator", 12, COUNT)])
def test_number_formats(label, value, want):
    assert number_format(label, value) == want
