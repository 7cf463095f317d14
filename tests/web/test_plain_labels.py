"""No code-style labels on the pages people read (issue 14): "career_grade", "ethnic_category",
"male vs female" are the code's words, not the board's."""

from __future__ import annotations

import html
import re

import pytest
from web_helpers import sign_in

PAGES = ["/organisations", "/o/R0A/overview", "/o/R0A/indicator/wres.2", "/o/R0A/indicator/wdes.1",
         "/o/R0A/paygaps", "/o/R0A/paygap/sex", "/o/R0A/paygap/ethnicity", "/o/R0A/explore",
         "/o/R0A/spc?measure=disciplinary&by=ethnicity", "/o/R0A/reports", "/o/R0A/actions", "/o/R0A/data",
         "/o/R0A/data/history", "/o/R0A/meetings", "/o/R0A/pulse", "/o/R0A/explore/time", "/o/R0A/explore/units",
         "/o/R0A/indicator/wres.1", "/o/R0A/indicator/wres.2?print=1", "/o/R0A/explore/funnel?by=ethnicity%2Bsex"]
SNAKE = re.compile(r"(?<![\w@./-])[a-z]+(?:_[a-z0-9]+)+(?![\w@./-])")


def visible_text(page: str) -> str:
    body = re.sub(r"<(script|style|head)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.mark.parametrize("path", PAGES)
def test_no_code_style_labels(shared_app, path):
    page = sign_in(shared_app, "analyst@example.org").get(path)
    assert page.status_code == 200
    text = visible_text(page.text)
    assert not SNAKE.findall(text), sorted(set(SNAKE.findall(text)))
    assert not re.search(r"\b(fe)?male vs (fe)?male\b", text)
