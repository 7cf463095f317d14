"""The HTML report: a reviewed snapshot, self-contained (no URL), accessible charts."""

from __future__ import annotations

import re

from parity.report.html import render_html
from parity.report.pages import build_pages

#: anything that would make a browser fetch: a URL in an attribute, CSS url() or @import
FETCHING = re.compile(r"""(?:src|href|action|poster|data)\s*=\s*["']?(?!#|data:)[a-z]+:|url\(\s*(?!["']?(?:data:|#))|@import""",
                      re.IGNORECASE)


def normalised(html: str) -> str:
    """Snapshot form: the vendored stylesheet and the chart drawings replaced by short stand-ins
    (their specs have their own snapshot), so a reviewed diff shows content, not bytes of SVG."""
    html = re.sub(r"<style>.*?</style>", lambda m: f"<style>/* {len(m.group(0)) > 1000 and 'vendored' or 'small'} */</style>",
                  html, flags=re.DOTALL)
    return re.sub(r"(<svg[^>]*>)(<title[^>]*>.*?</title>).*?</svg>", r"\1\2…</svg>", html, flags=re.DOTALL)


def test_html_snapshot(report, snapshot):
    assert normalised(render_html(report)) == snapshot


def test_chart_specs_snapshot(report, snapshot):
    pages = build_pages(report)
    specs = {c.key: c.spec for s in pages.all_sections for c in s.charts}
    specs.update({c.key: c.spec for c in pages.summary_charts})
    assert specs == snapshot


def test_no_url_anywhere(outputs):
    html = outputs["html"].read_text(encoding="utf-8")
    assert not re.findall(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", html, re.IGNORECASE)
    assert not FETCHING.findall(html)


def test_every_chart_has_a_text_alternative(outputs):
    html = outputs["html"].read_text(encoding="utf-8")
    svgs = re.findall(r"<svg[^>]*>", html)
    assert svgs
    for tag in svgs:
        assert 'role="img"' in tag and "aria-labelledby=" in tag
    assert html.count("<title id=") == len(svgs) == html.count("<desc id=")
    assert html.count('class="parity-chart"') == len(svgs)


def test_sections_summary_and_methods(report, outputs):
    html = outputs["html"].read_text(encoding="utf-8")
    for ind in report.standards["WRES"]["indicators"] + report.standards["WDES"]["indicators"]:
        assert f'id="{ind["id"].replace(".", "-")}"' in html
    assert "Questions to ask" in html and "nhsuk-details" in html
    assert report.rule.methods_note().replace('"', "&#34;") in html
    assert "Not for publication" not in html  # a protected report carries no marking
    assert "Are shortlisting and interview panels diverse?" in html  # wres.2 is adverse in this trust
