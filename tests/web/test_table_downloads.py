"""Download buttons for every table (CSV and Excel) and a print view on indicator, pay gap,
explore and change-over-time pages (issue 14): the download is the page's own release."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from openpyxl import load_workbook
from web_helpers import sign_in

from parity.web import tables

#: page → how many tables it shows at least (the demo's explore scan may find nothing to tabulate)
PAGES = {"/o/R0A/indicator/wres.2": 2, "/o/R0A/paygap/sex": 3, "/o/R0A/explore": 0,
         "/o/R0A/spc?measure=disciplinary&by=ethnicity": 1}


def _links(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'<a href="([^"]*download=csv[^"]*)" download>CSV', page)]


@pytest.mark.parametrize("path", PAGES)
def test_every_table_has_csv_and_excel_downloads_and_the_page_a_print_view(shared_app, path):
    client = sign_in(shared_app, "viewer@example.org")
    page = client.get(path).text
    n_tables = page.count("<table")
    assert n_tables >= PAGES[path]
    links = _links(page)
    assert len(links) == n_tables
    assert page.count("download=xlsx") == n_tables
    assert "print=1" in page
    printed = client.get(re.search(r'href="([^"]*print=1[^"]*)"', page).group(1).replace("&amp;", "&"))
    assert printed.status_code == 200 and 'class="nhsuk-template__body parity-print"' in printed.text
    if not links:
        return
    first = client.get(links[0])
    assert first.status_code == 200 and first.headers["content-type"].startswith("text/csv")
    assert first.headers["content-disposition"].startswith('attachment; filename="r0a-')


def test_the_csv_is_the_table_the_page_shows_with_numbers_as_numbers(shared_app):
    client = sign_in(shared_app, "viewer@example.org")
    page = client.get("/o/R0A/indicator/wres.2").text
    shown = tables.tables(page)[0]
    assert shown.caption == "Counts by group"
    got = client.get(_links(page)[0]).text
    rows = list(csv.reader(io.StringIO(got)))
    assert rows[0] == ["Group", "Number", "Out of", "Percent", "95% interval"]
    # the page's own cells, read independently from its HTML: commas dropped, dashes empty
    cells = re.findall(r"<tbody class=\"nhsuk-table__body\">(.*?)</tbody>", page, re.S)[0]
    first_row = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", cells, re.S)[:5]
    expect = [html.unescape(c).strip().replace(",", "") for c in first_row]
    expect = ["" if c == "–" else c for c in expect]
    assert [c.rstrip("0").rstrip(".") if re.fullmatch(r"[\d.]+", c) else c for c in rows[1]] == \
           [c.rstrip("0").rstrip(".") if re.fullmatch(r"[\d.]+", c) else c for c in expect]
    assert len(rows) - 1 == len(shown.rows)


def test_the_excel_has_frozen_headers_filters_and_numbers(shared_app):
    client = sign_in(shared_app, "viewer@example.org")
    page = client.get("/o/R0A/indicator/wres.2").text
    link = _links(page)[0].replace("download=csv", "download=xlsx")
    got = client.get(link)
    assert got.headers["content-type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(got.content)).active
    assert ws["A1"].value.endswith("Counts by group")
    assert [c.value for c in ws[2]] == ["Group", "Number", "Out of", "Percent", "95% interval"]
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref.startswith("A2:E")
    numbers = [ws.cell(row=3, column=c).value for c in (2, 3)]
    assert all(isinstance(v, int | float) or v is None for v in numbers)
    assert ws.column_dimensions["A"].width >= 8


def test_a_viewer_cannot_download_the_unsuppressed_view_and_bad_tables_are_404(shared_app):
    viewer = sign_in(shared_app, "viewer@example.org")
    assert viewer.get("/o/R0A/indicator/wres.2?view=unsuppressed&download=csv&table=1").status_code == 403
    assert viewer.get("/o/R0A/indicator/wres.2?download=csv&table=99").status_code == 404
    assert viewer.get("/o/R0A/indicator/wres.2?download=pdf&table=1").status_code == 404
    analyst = sign_in(shared_app, "analyst@example.org")
    marked = analyst.get("/o/R0A/indicator/wres.2?view=unsuppressed&download=xlsx&table=1")
    assert marked.status_code == 200 and "not-for-publication" in marked.headers["content-disposition"]
    assert load_workbook(io.BytesIO(marked.content)).active["A1"].value.startswith("Not for publication")


def test_parsing_numbers_and_withheld_cells():
    page = ('<table><caption>C</caption><thead><tr><th>G</th><th class="x--numeric">N</th></tr></thead>'
            '<tbody><tr><th>A</th><td class="nhsuk-table__cell--numeric">1,234</td></tr>'
            '<tr><th>B</th><td class="nhsuk-table__cell--numeric">–</td></tr>'
            '<tr><th>=cmd</th><td class="nhsuk-table__cell--numeric">12.5%</td></tr>'
            '<tr><th>D</th><td class="nhsuk-table__cell--numeric">1.1 to 2.2</td></tr></tbody></table>')
    (t,) = tables.tables(page)
    assert t.caption == "C" and t.header == ["G", "N"]
    assert t.rows == [["A", 1234], ["B", None], ["=cmd", 12.5], ["D", "1.1 to 2.2"]]
    assert "'=cmd" in tables.to_csv(t)  # formula injection neutralised


def test_the_quick_caption_scan_reads_what_the_html_parser_reads(shared_app):
    """`with_links` names each table from a regular-expression scan (issue 11: no full parse per render);
    it must agree with the HTML parser the downloads use, on real pages and on awkward markup."""
    client = sign_in(shared_app, "viewer@example.org")
    pages = [client.get(path).text for path in PAGES]
    awkward = ('<table><tr><td>no caption</td></tr></table>'
               '<TABLE class="x"><CAPTION class="c">Pay &amp; <span class="nhsuk-u-visually-hidden">hidden\n'
               '  words</span> &lt;band&gt;</CAPTION><tr><td>1</td></tr></TABLE>'
               '<caption>outside any table</caption>'
               '<table><caption>\n first </caption><caption>second&nbsp;one</caption></table>'
               '<table><tr><td>x</td></tr></table  >')
    for page in pages + [awkward]:
        assert tables.captions(page) == [t.caption for t in tables.tables(page)]
    assert tables.captions(awkward) == ["", "Pay & hidden words <band>", "second one", ""]  # str.split: a no-break space is a space
    assert "Counts by group" in tables.captions(pages[0])
