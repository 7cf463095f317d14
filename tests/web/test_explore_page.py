"""Issue 14: the Explore page shows the bias explorer's protected scan, with filters over that one scan."""

from __future__ import annotations

import re
from html import unescape

import pytest
from web_helpers import ORG, sign_in

COUNTS = re.compile(r"(\d[\d,]*) of (\d[\d,]*)")


@pytest.fixture(scope="module")
def page_for(shared_app):
    client = sign_in(shared_app, "viewer@example.org")
    return lambda query="": unescape(client.get(f"/o/{ORG}/explore{query}").text)


def shown_rows(html: str) -> list[str]:
    body = html[html.index('<tbody class="nhsuk-table__body">'):html.index("</tbody>")] if "<tbody" in html else ""
    return re.findall(r"<tr class=\"nhsuk-table__row\">(.*?)</tr>", body, re.S)


def test_explore_in_the_menu_and_only_published_counts(shared_app, page_for):
    html = page_for("?show=all")
    assert f'href="/o/{ORG}/explore">Explore</a>' in html
    assert "Findings, most important first" in html and shown_rows(html)
    k = shared_app.state.results.rule.k
    for a, b in COUNTS.findall(html):  # every "x of n" in the sentences: 0 or at least k people
        for n in (a, b):
            assert int(n.replace(",", "")) == 0 or int(n.replace(",", "")) >= k, (a, b)
    year = shared_app.state.results.years(ORG)[0]
    scan = shared_app.state.explore.get(ORG, year)
    assert scan["disclosure"]["protected"] is True and scan["settings"]["by"] == ["ethnicity", "sex"]


def test_filters_choose_rows_of_the_same_scan(shared_app, page_for):
    year = shared_app.state.results.years(ORG)[0]
    scan = shared_app.state.explore.get(ORG, year)
    everything = page_for("?show=all")
    appointment = page_for("?show=all&outcome=appointment")
    rows = shown_rows(appointment)
    expected = [f for f in scan["findings"] if f["outcome"] == "appointment"]
    assert len(rows) == min(len(expected), 40) and all("shortlisting" in r for r in rows)
    significant = [f for f in scan["findings"] if f.get("significant")]
    assert f"{len(significant)} comparison" in page_for("?show=significant")
    worse = page_for("?show=worse")
    for r in shown_rows(worse):
        rl = float(re.search(r'numeric">([\d.]+)', r).group(1))
        assert rl > 1
    # the attributes are fixed: a query cannot ask for another scan (another release)
    # (the download links keep the page's own query, unknown keys included, and nothing else changes)
    assert page_for("?show=all&by=disability").replace("&by=disability", "").replace("&amp;by=disability", "") == everything
