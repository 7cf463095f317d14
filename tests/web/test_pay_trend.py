"""The overview's pay cards carry a trend line of the mean hourly gap, every year up to the page's,
from the protected pay gap results (issue 14)."""

from __future__ import annotations

import html
import re

from web_helpers import sign_in

from parity.web.paygaps import BY, paygaps


def test_pay_cards_show_the_mean_hourly_gap_by_year(shared_app):
    client = sign_in(shared_app, "viewer@example.org")
    page = client.get("/o/R0A/overview").text
    pay = page[page.index("<h2>Pay</h2>"):]
    titles = [html.unescape(t) for t in re.findall(r"<title>(Mean hourly pay gap, percent[^<]*)</title>", pay)]
    assert titles, "no pay trend line"
    years = sorted(shared_app.state.results.years("R0A"))
    cache = paygaps(shared_app)
    expected = []
    for by in BY:  # independently: each year's protected result, as the pay gap page reads it
        if not isinstance(cache.get("R0A", years[-1], by), dict):
            continue
        parts = []
        for y in years:
            pg = cache.get("R0A", y, by)
            value = (pg.get("results") or [{}])[0].get("mean_hourly_gap") if isinstance(pg, dict) else None
            parts.append(f"{y}: {value:.1f}" if isinstance(value, int | float) else f"{y}: withheld or not available")
        expected.append("; ".join(parts))
    got = [t.split(". ", 1)[1].rstrip(".") for t in titles]
    assert got == expected[:len(got)] and len(got) >= 1
