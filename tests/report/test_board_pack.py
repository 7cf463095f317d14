"""Issue 14: the PDF is a board pack — page 1 the ranked findings, then the questions for the board
on one page, the contents, each standard condensed to one table, an appendix with the full ranking
and the methods, and every indicator's detail left to the HTML report and the workbook it names —
much shorter than the HTML report's page per indicator (docs/reports.md, "PDF")."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from parity.report.board_pack import PER_CLEAR, PER_OTHER, QUESTIONS, board_pack, board_questions, short_name
from parity.report.pages import build_pages
from parity.report.questions import load_questions

#: the fixture trust's pack (measured: 16 pages; the page-per-indicator layout before it printed 51)
MAX_PAGES = 18
#: the body (everything before the appendix; measured: 5 pages, 6 on the demo trust)
MAX_BODY = 6


@pytest.fixture(scope="module")
def texts(outputs) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(outputs["pdf"]).pages]


@pytest.fixture(scope="module")
def pages(report):
    return build_pages(report, with_charts=False)


def test_the_pdf_is_short_and_names_where_the_detail_is(texts, outputs):
    assert len(texts) <= MAX_PAGES, len(texts)
    appendix = next(i for i, t in enumerate(texts, start=1) if t.startswith("Appendix"))
    assert appendix - 1 <= MAX_BODY
    assert "All findings, ranked" in texts[appendix - 1]
    # the files holding every indicator's detail, written with the PDF
    for kind in ("html", "xlsx", "csv"):
        assert f"({outputs[kind].name})" in texts[appendix - 1], kind


def test_page_one_is_the_ranked_summary(texts, pages):
    first = texts[0]
    assert "What the board should know" in first and "Questions for the board" not in first
    ranked = pages.board_findings
    assert ranked, "the fixture trust has adverse findings"
    # every ranked finding on page 1, in the ranking's order (the dashboard's, parity.report.findings)
    at = [first.index(f"{f.source}: {f.title}. {f.sentence.split(' (95%')[0]}") for f in ranked]
    assert at == sorted(at)


def test_page_two_is_the_questions_and_page_three_the_contents(texts, pages):
    assert texts[1].startswith("Questions for the board")
    assert texts[2].startswith("Contents") and "Contents" not in texts[1]
    # the contents give the page each part starts on
    listed = dict(re.findall(r"(Questions for the board|Results by standard|Methods) \.+ ?(\d+)", texts[2]))
    assert set(listed) == {"Questions for the board", "Results by standard", "Methods"}
    assert listed["Questions for the board"] == "2"
    assert texts[int(listed["Results by standard"]) - 1].startswith("Results by standard")
    assert texts[int(listed["Methods"]) - 1].startswith("Methods")
    for _f, _anchor, questions in board_questions(pages).items:
        for q in questions:
            assert q in texts[1], q


def test_questions_are_consolidated(pages):
    common = {q for qs in load_questions()["common"].values() for q in qs}
    pack = board_questions(pages)
    shown = [q for _f, _a, qs in pack.items for q in qs]
    assert len(shown) + len(pack.shared) <= QUESTIONS
    assert not common & set(shown)  # a question any indicator can raise is asked once, below
    for f, _anchor, qs in pack.items:
        own = [q for q in dict((s.id, s) for s in pages.all_sections)[f.id].questions if q not in common]
        assert qs == own[:PER_CLEAR if (f.severity, f.certainty) == ("adverse", "clear") else PER_OTHER]
    # each shared question names every ranked finding that raises it
    for question, names in pack.shared:
        raising = [short_name(f.id) for f, _a, qs in pages.board_questions if question in qs]
        assert names == raising and len(set(names)) == len(names)


def test_each_standard_is_one_table_with_value_interval_and_trend(report, pages):
    rows = board_pack(pages).rows
    assert list(rows) == list(pages.sections)
    wres = {r.name: r for r in rows["WRES"]}
    ind = next(i for i in report.standards["WRES"]["indicators"] if i["id"] == "wres.2")
    assert wres["WRES 2"].value == f"{ind['value']:.2f}"
    assert wres["WRES 2"].interval == f"{ind['ci_low']:.2f} to {ind['ci_high']:.2f}"
    # the senior bands' share against the rest of the staff is what the board reads for indicator 1
    senior = next(i for i in report.standards["WRES"]["indicators"] if i["id"] == "wres.1")["senior"]
    gap = senior["difference_vs_rest"]
    assert wres["WRES 1"].value == f"{gap['value']:+.1f} pts"
    assert wres["WRES 1"].interval == f"{gap['ci_low']:+.1f} to {gap['ci_high']:+.1f}"
    assert f"{senior['percent']:.1f}%" in wres["WRES 1"].detail
    assert all("↑" not in r.trend and "↓" not in r.trend for group in rows.values() for r in group)


def test_the_html_report_keeps_a_section_per_indicator(outputs, pages):
    html = outputs["html"].read_text(encoding="utf-8")
    assert html.count('class="parity-page parity-indicator"') == sum(1 for s in pages.all_sections
                                                                     if not s.id.startswith("paygap.")) + 3
