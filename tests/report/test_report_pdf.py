"""The PDF: A4, page numbers, every headline figure present in its text."""

from __future__ import annotations

from pypdf import PdfReader

from parity.report.pages import build_pages
from parity.report.view import DASH

A4 = (595, 842)  # points


def test_pdf_is_a4_with_page_numbers(outputs, pdf_text):
    reader = PdfReader(outputs["pdf"])
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4
    assert f"Page 1 of {len(reader.pages)}" in pdf_text


def test_pdf_contains_each_headline(report, pdf_text):
    text = " ".join(pdf_text.split())
    for section in build_pages(report, with_charts=False).all_sections:
        if section.headline not in (DASH, report.rule.marker):
            assert section.headline in text, section.id


def test_pdf_is_tagged_with_a_structure_tree(outputs):
    """Issue 14: a tagged PDF (screen readers follow its headings and tables): pypdf finds the
    structure tree, marked content, and heading and table structure elements in it."""
    reader = PdfReader(outputs["pdf"])
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    tree = root["/StructTreeRoot"].get_object()
    kinds, stack = set(), [tree]
    while stack and len(kinds) < 200:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if "/S" in node:
                kinds.add(str(node["/S"]))
            kids = node.get("/K")
            if kids is not None:
                stack.extend(kids if isinstance(kids, list) else [kids])
        elif isinstance(node, list):
            stack.extend(node)
    assert {"/H1", "/Table"} <= kinds, sorted(kinds)
