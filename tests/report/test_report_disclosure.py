"""One BME person was disciplined: no output may show, or let anyone work out, that count."""

from __future__ import annotations

import csv

import openpyxl
import pytest

from parity.report import NOT_FOR_PUBLICATION, write_report

from .conftest import BME_DISCIPLINED, report_for


def wres3(d: dict) -> dict:
    return next(i for i in d["indicators"] if i["id"] == "wres.3")


@pytest.fixture(scope="module")
def forbidden(raw_wres) -> list[str]:
    """Texts that would reveal (or let a reader rebuild) the withheld count: the ratio and its
    interval, the BME rate, and the narrative's "1 of 80"."""
    raw = wres3(raw_wres)
    assert raw["groups"]["BME"]["numerator"] == BME_DISCIPLINED
    den = raw["groups"]["BME"]["denominator"]
    texts = [f"{BME_DISCIPLINED} of {den}", f"{100 * BME_DISCIPLINED / den:.2f}%"]
    for key in ("value", "ci_low", "ci_high"):
        texts.append(f"{raw[key]:.2f}")
        texts.append(f"{raw[key]:.3f}")
    return texts


def test_protected_json_withholds_the_count(report):
    ind = wres3(report.standards["WRES"])
    assert ind["groups"]["BME"]["numerator"] is None and ind["value"] is None
    assert "indicators[2].groups.BME.numerator" in report.standards["WRES"]["suppressed"]


def test_html_and_pdf_text(outputs, pdf_text, forbidden):
    html = outputs["html"].read_text(encoding="utf-8")
    section = html[html.index('id="wres-3"'):html.index('id="wres-4"')]
    for text in forbidden:
        assert text not in section
        assert text not in " ".join(pdf_text.split())


def test_excel_cells(outputs, raw_wres):
    raw = wres3(raw_wres)
    book = openpyxl.load_workbook(outputs["xlsx"])
    for row in book["WRES"].iter_rows(values_only=True):
        if row[0] == "wres.3":
            assert BME_DISCIPLINED not in row
            for key in ("value", "ci_low", "ci_high", "p_value"):
                assert not any(isinstance(v, float) and v == pytest.approx(raw[key]) for v in row)
    for row in book["Data"].iter_rows(values_only=True):
        if row[3] == "wres.3" and row[12] == "BME" and row[11] == "overall":
            assert row[13] == "*"


def test_csv_rows(outputs):
    with outputs["csv"].open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["indicator"] == "wres.3"]
    bme = next(r for r in rows if r["group"] == "BME" and r["breakdown"] == "overall")
    # withheld: empty number columns, named in `suppressed` (issue 14: never the marker in a number column)
    assert bme["numerator"] == "" and bme["value"] == ""
    assert {"numerator", "value"} <= set(bme["suppressed"].split(";"))
    assert all(r["value"] == "" and "value" in r["suppressed"].split(";") for r in rows)


def test_unsuppressed_is_marked_on_every_page(trust, tmp_path):
    report = report_for(trust, unsuppressed=True, standards=("wres",))
    assert wres3(report.standards["WRES"])["groups"]["BME"]["numerator"] == BME_DISCIPLINED
    paths = write_report(report, tmp_path, formats=("html", "xlsx", "csv"))
    assert "NOT-FOR-PUBLICATION" in paths["html"].name
    html = paths["html"].read_text(encoding="utf-8")
    assert html.count('class="parity-page') == html.count(f"{NOT_FOR_PUBLICATION}</span></h3>")
    book = openpyxl.load_workbook(paths["xlsx"])
    for ws in book.worksheets:
        assert ws["A1"].value == NOT_FOR_PUBLICATION and ws.oddHeader.center.text == NOT_FOR_PUBLICATION
    assert paths["csv"].read_text(encoding="utf-8").startswith(f"# {NOT_FOR_PUBLICATION}")


def test_unsuppressed_pdf_marks_each_page(trust, tmp_path):
    from pypdf import PdfReader

    report = report_for(trust, unsuppressed=True, standards=("wres",))
    path = write_report(report, tmp_path, formats=("pdf",))["pdf"]
    pages = PdfReader(path).pages
    assert all(NOT_FOR_PUBLICATION in " ".join(p.extract_text().split()) for p in pages)
