"""Issue 14: the report opens with the dashboard's ranked findings and a "Questions for the board" page."""

from __future__ import annotations

import re

from parity.report.findings import board_findings, rank
from parity.report.html import render_html
from parity.report.pages import build_pages

from .conftest import report_for


def test_report_opens_with_the_ranked_findings(report):
    html = render_html(report)
    first_section = html.index('class="parity-page parity-indicator"')
    assert html.index("What the board should know") < html.index("at a glance") < first_section
    listed = re.findall(r'<a href="#([a-z0-9-]+)">[^<]+</a>\. ', html[:html.index("at a glance")])
    # the same function and order as the dashboard's panel, over the report's protected results
    # (the bias explorer's findings have no section of their own to link to: the dashboard has them)
    expected = [f for f in board_findings(report.history, report.year, report.paygap, report.explore)
                if f.severity != "not_adverse" and not f.exploratory]
    assert listed == [f.id.replace(".", "-") for f in expected] and listed
    assert rank(list(reversed(expected))) == expected
    for anchor in listed:
        assert f'id="{anchor}"' in html  # every link reaches its evidence


def test_questions_for_the_board_page(report):
    pages = build_pages(report, with_charts=False)
    html = render_html(report, pages=pages)
    start = html.index('id="board-questions"')
    assert start < html.index('class="parity-page parity-indicator"')
    page = html[start:html.index("</section>", start)]
    sections = {s.id: s for s in pages.all_sections}
    for f in pages.board_findings:
        for q in sections[f.id].questions if f.id in sections else []:
            assert q.replace("'", "&#39;") in page
    assert page.count("<h3") == len([f for f in pages.board_findings if f.id in sections and sections[f.id].questions])


def test_unsuppressed_report_ranks_nothing(trust):
    # the ranking reads protected results only; the analyst's marked copy leaves it to the published one
    unsuppressed = report_for(trust, unsuppressed=True, standards=("wres",))
    html = render_html(unsuppressed)
    assert "What the board should know" not in html and 'id="board-questions"' not in html


def test_contents_page_links_every_part(report):
    html = render_html(report)
    nav = html[html.index('<nav class="parity-contents"'):html.index("</nav>")]
    targets = re.findall(r'href="#([a-z0-9-]+)"', nav)
    assert targets[:2] == ["board", "board-questions"] and targets[-1] == "methods"
    assert {"wres-1", "wdes-1", "paygap-sex"} <= set(targets)
    for target in targets:
        assert f'id="{target}"' in html
