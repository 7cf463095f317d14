"""The report as one self-contained HTML file (NHS.UK frontend styles, inline SVG charts).

Self-contained means no request of any kind when opened: the stylesheet is inlined (vendored,
without web fonts — see assets/README.md), charts are inline SVG, and nothing links out.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import jinja2

from parity import __version__
from parity.report.build import Report
from parity.report.pages import Pages, build_pages

ASSETS = ("nhsuk-frontend.min.css", "report.css")
#: the HTML report: the analyst's document, a section per indicator with its charts
TEMPLATE = "report.html.j2"


@cache
def _env() -> jinja2.Environment:
    from parity.report.view import indicator_code

    env = jinja2.Environment(loader=jinja2.PackageLoader("parity.report", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["code"] = indicator_code  # "WDES 4a(i)", never "WDES.4A.I" (issue 14)
    return env


@cache
def asset(name: str) -> str:
    return resources.files("parity.report").joinpath("assets", name).read_text(encoding="utf-8")


def render_html(report: Report, *, pages: Pages | None = None, print_css: str = "", open_details: bool = False,
                stylesheets: tuple[str, ...] = (), chart_images: bool = False, template: str = TEMPLATE,
                **context) -> str:
    """The HTML text. `print_css` is appended for the PDF; `open_details` expands "Questions to ask".

    For the PDF only: ``stylesheets`` links these URLs instead of inlining the styles (WeasyPrint then
    parses the CSS once as CSS, not character by character as HTML text), and ``chart_images`` puts
    each chart in as an SVG image rather than inline markup (its elements are not styled and laid out
    as part of the page). The result is the same printed page, about a sixth faster (issue 19).
    ``template`` and ``context``: another layout of the same page model (the PDF's board pack,
    `parity.report.board_pack`) and the variables it needs."""
    pages = pages or build_pages(report)
    css = "\n".join(asset(name) for name in ASSETS)
    if "</" in css + print_css:  # inlined unescaped (entities do not work in <style>): keep it inert
        raise ValueError("stylesheet text must not contain '</'")
    return _env().get_template(template).render(
        report=report, pages=pages, css=css, extra_css=print_css, marking=report.marking,
        open_details=open_details, version=__version__, stylesheets=stylesheets, chart_images=chart_images, **context)


def write_html(report: Report, path: Path, *, pages: Pages | None = None) -> Path:
    path.write_text(render_html(report, pages=pages), encoding="utf-8")
    return path
