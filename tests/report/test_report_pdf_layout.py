"""The PDF's faster route (linked stylesheets, charts as SVG images; issue 19) prints the same pages.

The old route inlined the stylesheets and the charts' SVG markup into the HTML WeasyPrint lays out.
Both routes are laid out here and every text fragment and every chart compared, page by page,
by position and size: the new route may only be faster, never different.
"""

from __future__ import annotations

import pytest
import weasyprint
from weasyprint.formatting_structure import boxes

from parity.report import pdf
from parity.report.pages import build_pages


def _boxes(document) -> list[list[tuple]]:
    pages = []
    for page in document.pages:
        found: list[tuple] = []
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            at = (round(box.position_x, 2), round(box.position_y, 2))
            if isinstance(box, boxes.TextBox):
                found.append(("text", *at, box.text))
            elif isinstance(box, boxes.ReplacedBox):
                found.append(("chart", *at, round(box.width, 2), round(box.height, 2)))
            stack.extend(reversed(getattr(box, "children", None) or []))
        pages.append(found)
    return pages


@pytest.fixture(scope="module")
def pages(report):
    return build_pages(report)


def test_pdf_route_lays_out_the_same_pages(report, pages, tmp_path):
    css = pdf.print_css(report)
    inline = pdf.pdf_html(report, pages, css)
    assert "<svg" in inline and "<link" not in inline
    old = _boxes(weasyprint.HTML(string=inline, base_url=str(tmp_path)).render())

    sheets = {"screen.css": "\n".join(pdf.asset(n) for n in pdf.ASSETS), "print.css": css}
    linked = pdf.pdf_html(report, pages, css, stylesheets=tuple(pdf.SCHEME + n for n in sheets), chart_images=True)
    assert "<svg" not in linked and "<style>" not in linked and linked.count("<link") == 2
    new = _boxes(weasyprint.HTML(string=linked, base_url=str(tmp_path), url_fetcher=pdf._fetcher(sheets)).render())

    assert len(new) == len(old) > 1
    charts = sum(1 for page in old for b in page if b[0] == "chart")
    # the board pack's one chart (issue 14): the forest plot of the relative likelihoods
    assert charts == len(pages.summary_charts) > 0
    for number, (a, b) in enumerate(zip(old, new, strict=True), start=1):
        assert a == b, f"page {number} differs"


def test_pdf_fetcher_serves_only_its_stylesheets_and_data_urls():
    fetcher = pdf._fetcher({"print.css": "body { color: black; }"})
    assert fetcher.fetch(pdf.SCHEME + "print.css").read() == b"body { color: black; }"
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    for url in ("file:///etc/passwd", "https://example.org/x.css", pdf.SCHEME + "other.css"):
        with pytest.raises(ValueError, match="may only load"):
            fetcher.fetch(url)
