"""Issue 14: no code-style labels in the report ("career_grade", "WDES.4A.I", "male vs female",
"exclude_declined_offers: True"): the HTML report, the PDF's board pack and the workbook's sheet names
read as words. (The tidy CSV's columns and codes are a public interface and stay as they are.)"""

from __future__ import annotations

import re

import openpyxl
import pytest

from parity.report import pdf
from parity.report.html import render_html
from parity.report.pages import build_pages, settings_text
from parity.report.view import indicator_code, plain, words

SNAKE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b", re.IGNORECASE)
DOTTED = re.compile(r"\b(?:WRES|WDES|PAYGAP)\.\w+")
VERSUS = re.compile(r"\b(?:male|female) vs\b|\bvs (?:male|female)\b")


def visible_text(html: str) -> str:
    """What a reader sees: no markup, styles or chart internals (their text is checked in test_chart_specs)."""
    body = html[html.index("<body"):]
    body = re.sub(r"<svg.*?</svg>|<style.*?</style>|<img[^>]*>", " ", body, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


@pytest.fixture(scope="module")
def texts(report) -> dict[str, str]:
    pages = build_pages(report, with_charts=False)
    return {"html": visible_text(render_html(report, pages=pages)),
            "pdf": visible_text(pdf.pdf_html(report, pages, ""))}


@pytest.mark.parametrize("kind", ["html", "pdf"])
def test_no_code_style_labels(texts, kind):
    text = texts[kind]
    assert not SNAKE.findall(text), sorted(set(SNAKE.findall(text)))
    assert not DOTTED.findall(text), sorted(set(DOTTED.findall(text)))
    assert not VERSUS.findall(text)
    assert "WRES 2" in text and "Settings" in text
    # pay gap groups as people: "White staff … than ethnic minority staff", not "White … than All ethnic minority"
    assert "White staff were paid on average" in text and "than ethnic minority staff" in text
    assert "than All ethnic minority" not in text


def test_words_for_codes():
    assert [words(b) for b in ("career_grade", "medical_other", "consultant", "8a", "VSM", "Band 5")] == [
        "Career grade", "Medical other", "Consultant", "8a", "VSM", "Band 5"]
    assert plain("No `survey_responses` table has been imported (a survey_responses or survey_results table)") == (
        "No staff survey responses table has been imported (a staff survey responses or staff survey results table)")
    assert [indicator_code(i) for i in ("wres.2", "wdes.4a.iii", "wdes.9b", "paygap.sex")] == [
        "WRES 2", "WDES 4a(iii)", "WDES 9b", ""]
    assert settings_text({"min_events": 5, "exclude_declined_offers": True, "disciplinary_period": "two_year_rolling",
                          "organisations": ["R0A", "R1B"]}) == (
        "Disciplinary period: two year rolling; exclude declined offers: yes; min events: 5; organisations: R0A, R1B")


def test_workbook_sheet_names_are_words(outputs):
    names = openpyxl.load_workbook(outputs["xlsx"], read_only=True).sheetnames
    assert names[:2] == ["WRES", "WDES"] and "Pay gaps" in names
    assert not [n for n in names if SNAKE.search(n) or n != n.strip()]
