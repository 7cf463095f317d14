"""The same report as an A4 PDF, via WeasyPrint (page numbers from CSS @page counters).

WeasyPrint needs Pango (Debian: ``libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0``) and a
sans-serif font (``fonts-liberation`` gives a metric-compatible Arial).

The PDF is the board pack (`parity.report.board_pack`, template ``board_pack.html.j2``): the same
page model as the HTML report, laid out for a board (issue 14). Two further differences only change
how fast WeasyPrint gets there (issue 19): the stylesheets are linked (served from memory by
`_fetcher`, never from disk or the network) rather than inlined, and each chart is an SVG image
rather than inline SVG markup.
"""

from __future__ import annotations

from pathlib import Path

from parity.report.build import Report
from parity.report.html import ASSETS, asset, render_html
from parity.report.lean_css import lean
from parity.report.pages import Pages, build_pages

#: the URL scheme of the stylesheets the PDF's HTML links to
SCHEME = "parity-asset:"
#: the PDF's layout: the board pack (page 1 the ranked findings, the questions, the standards
#: condensed, the detail in an appendix), not the HTML report's page per indicator (issue 14)
TEMPLATE = "board_pack.html.j2"
REFUSED = "the PDF may only load the report's own stylesheets and embedded images, not {url}"


def print_css(report: Report) -> str:
    """Print rules, plus the "Not for publication" mark in the top margin of every page."""
    css = asset("print.css")
    if report.marking:
        text = report.marking.replace('"', '\\"')
        css += f'\n@page {{ @top-center {{ content: "{text}"; font: bold 11pt Arial, sans-serif; color: #d5281b; }} }}\n'
    return css


def _fetcher(sheets: dict[str, str]):
    """Serve the linked stylesheets from memory and embedded (``data:``) images; refuse anything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):
        def fetch(self, url, headers=None):
            name = url[len(SCHEME):] if url.startswith(SCHEME) else None
            if name in sheets:
                return URLFetcherResponse(url, sheets[name], {"Content-Type": "text/css"})
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(REFUSED.format(url=url[:80]))

    return Fetcher(allowed_protocols=["data"])


def pdf_html(report: Report, pages: Pages, print_css: str, **kwargs) -> str:
    """The board pack's HTML (`parity.report.board_pack`): the layout the PDF prints."""
    from parity.report.board_pack import board_pack

    return render_html(report, pages=pages, print_css=print_css, open_details=True, template=TEMPLATE,
                       pack=board_pack(pages), **kwargs)


def pdf_document(report: Report, pages: Pages | None = None) -> tuple[str, dict[str, str]]:
    """The PDF's HTML and the stylesheets it links (name -> CSS text): all `render_pdf` needs."""
    # in the same order as the HTML report's <style> elements: the cascade is unchanged
    sheets = {"screen.css": "\n".join(asset(name) for name in ASSETS), "print.css": print_css(report)}
    html = pdf_html(report, pages or build_pages(report), sheets["print.css"],
                    stylesheets=tuple(SCHEME + name for name in sheets), chart_images=True)
    # only the rules that can apply to this document: the same printed page, less to parse and match
    sheets["screen.css"] = lean(sheets["screen.css"], html)
    return html, sheets


def render_pdf(html: str, sheets: dict[str, str], path: Path) -> Path:
    """Lay out and write the PDF (WeasyPrint); `parity report` may run this in its forked child."""
    import weasyprint

    # base_url: a local folder, so a stray relative link could never reach the network
    # pdf_tags: a tagged PDF (structure tree of headings, tables, lists) that screen readers follow (issue 14)
    weasyprint.HTML(string=html, base_url=str(path.parent), url_fetcher=_fetcher(sheets)).write_pdf(path, pdf_tags=True)
    return path


def write_pdf(report: Report, path: Path, *, pages: Pages | None = None) -> Path:
    return render_pdf(*pdf_document(report, pages), path)
