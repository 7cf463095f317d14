"""The same report as an A4 PDF, via WeasyPrint (page numbers from CSS @page counters).

WeasyPrint needs Pango (Debian: ``libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0``) and a
sans-serif font (``fonts-liberation`` gives a metric-compatible Arial).
"""

from __future__ import annotations

from pathlib import Path

from parity.report.build import Report
from parity.report.html import asset, render_html
from parity.report.pages import Pages, build_pages


def print_css(report: Report) -> str:
    """Print rules, plus the "Not for publication" mark in the top margin of every page."""
    css = asset("print.css")
    if report.marking:
        text = report.marking.replace('"', '\\"')
        css += f'\n@page {{ @top-center {{ content: "{text}"; font: bold 11pt Arial, sans-serif; color: #d5281b; }} }}\n'
    return css


def write_pdf(report: Report, path: Path, *, pages: Pages | None = None) -> Path:
    import weasyprint

    html = render_html(report, pages=pages or build_pages(report), print_css=print_css(report), open_details=True)
    # base_url: a local folder, so a stray relative link could never reach the network
    weasyprint.HTML(string=html, base_url=str(path.parent)).write_pdf(path)
    return path
