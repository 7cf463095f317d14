"""The PDF: A4, page numbers, every headline figure present in its text."""

from __future__ import annotations

from pypdf import PdfReader

from parity.report.pages import build_pages
from parity.report.view import DASH

A4 = (595, 842)  # points


def test_pdf_is_a4_with_page_numbers(outputs, pdf_text):
    reader = PdfReader(outputs["pdf"])
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4
    assert f"Page 1 of {len(reader.pages)}" in pdf_text


def test_pdf_contains_each_headline(report, pdf_text):
    text = " ".join(pdf_text.split())
    for section in build_pages(report, with_charts=False).all_sections:
        if section.headline not in (DASH, report.rule.marker):
            assert section.headline in text, section.id
