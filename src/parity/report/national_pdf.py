"""`parity report --national` as a tagged A4 PDF (issue 18), by the board report's route
(`parity.report.pdf`): WeasyPrint lays out the summary's own HTML with its stylesheets linked and
served from memory (`national.css` and the report's `print.css`: A4, page numbers, the title in the
footer), each cut to the rules that can apply (`parity.report.lean_css`), and the funnel plots as
SVG images rather than inline markup. ``pdf_tags`` writes the structure tree (headings, tables,
lists) that screen readers follow, as the board report's PDF does (PDF/UA-style tagging, issue 14).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def write_national_pdf(summary: dict[str, Any], path: Path) -> Path:
    import weasyprint

    from parity.report.html import asset
    from parity.report.lean_css import lean
    from parity.report.national import render_national
    from parity.report.pdf import SCHEME, _fetcher

    sheets = {"national.css": asset("national.css"), "print.css": asset("print.css")}
    html = render_national(summary, stylesheets=tuple(SCHEME + name for name in sheets), chart_images=True)
    sheets = {name: lean(css, html) for name, css in sheets.items()}
    # base_url: a local folder, so a stray relative link could never reach the network
    weasyprint.HTML(string=html, base_url=str(path.parent), url_fetcher=_fetcher(sheets)).write_pdf(path, pdf_tags=True)
    return path
