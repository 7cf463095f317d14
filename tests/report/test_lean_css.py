"""Issue 19: the PDF is laid out with only the stylesheet rules that can apply to the report
(`parity.report.lean_css`). The cut must never change a printed page: the demo-sized report is laid
out with the full and the cut stylesheet, and every box compared by position, size, text and the
style that shows (colours, borders, font)."""

from __future__ import annotations

import pytest
import weasyprint

from parity.report import pdf
from parity.report.lean_css import can_match, cut, document_classes, lean
from parity.report.pages import build_pages

SHOWN = ("color", "background_color", "font_weight", "font_size", "font_style", "text_decoration_line",
         "border_top_width", "border_top_color", "border_bottom_width", "border_left_width", "padding_left",
         "display", "list_style_type")


def _boxes(document) -> list[list[tuple]]:
    pages = []
    for page in document.pages:
        found: list[tuple] = []
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            style = tuple(str(box.style[name]) for name in SHOWN)
            found.append((type(box).__name__, getattr(box, "element_tag", None), round(box.position_x, 2),
                          round(box.position_y, 2), round(box.width or 0, 2), round(box.height or 0, 2),
                          getattr(box, "text", None), style))
            stack.extend(reversed(getattr(box, "children", None) or []))
        pages.append(found)
    return pages


def test_the_cut_stylesheet_prints_the_same_pages(report, tmp_path):
    css = pdf.print_css(report)
    full = {"screen.css": "\n".join(pdf.asset(n) for n in pdf.ASSETS), "print.css": css}
    html = pdf.pdf_html(report, build_pages(report), css, stylesheets=tuple(pdf.SCHEME + n for n in full),
                        chart_images=True)
    cut_css = lean(full["screen.css"], html)
    assert len(cut_css) < len(full["screen.css"]) / 3  # most of the NHS.UK rules cannot apply
    assert "--nhsuk-breakpoint-mobile" in full["screen.css"] and "--nhsuk-breakpoint-mobile" not in cut_css

    def layout(sheets):
        return _boxes(weasyprint.HTML(string=html, base_url=str(tmp_path), url_fetcher=pdf._fetcher(sheets)).render())

    old, new = layout(full), layout({**full, "screen.css": cut_css})
    assert len(new) == len(old) > 1
    for number, (a, b) in enumerate(zip(old, new, strict=True), start=1):
        assert a == b, f"page {number} differs"


def test_a_rule_is_dropped_only_when_a_class_it_needs_is_absent():
    classes = {"card", "card__body"}
    assert can_match(".card .card__body p", classes)
    assert not can_match(".card .nhsuk-header", classes)
    assert can_match("p:not(.nhsuk-header)", classes)  # an absent class inside :not() matches everything
    assert can_match(":is(.card,.absent) a", classes)
    assert can_match(".nhsuk-u-width-one-half\\@tablet", classes)  # escapes: kept, not judged
    css = (".card{color:red}.absent,.card__body{margin:0}:is(.absent,.card) b{x:1}.absent{color:blue}"
           "@media print{.absent{a:b}.card{c:d}}@media (min-width:1px){.absent{e:f}}@page{margin:1cm}")
    assert cut(css, classes) == (".card{color:red}.card__body{margin:0}:is(.absent,.card) b{x:1}"
                                 "@media print{.card{c:d}}@page{margin:1cm}")


@pytest.mark.parametrize("broken", [".a{color:red", ".a{color:red}}", ".a{b{c:d}}", ".a{x:1} stray"])
def test_a_stylesheet_it_cannot_read_is_kept_whole(broken):
    assert cut(broken, set()) == broken


def test_document_classes():
    assert document_classes('<p class="a  b"><span class="c">x</span><i data-class="d">') == {"a", "b", "c"}


def test_custom_properties_no_var_reads_are_dropped():
    css = ":root{--a: 1px;--b: var(--c);--c: red;--d: 2px}.x{margin:var(--b)}.y{--e: 3px;color:blue}"
    assert lean(css, '<p class="x y">') == ":root{--b: var(--c);--c: red;}.x{margin:var(--b)}.y{color:blue}"
    assert "--d: 2px" in lean(css, '<p class="x y" style="width: var(--d)">')
