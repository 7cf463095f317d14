"""Issue 17: Explore › time to promotion and to leaving — published medians, curves and sentences only."""

from __future__ import annotations

from html import unescape

from web_helpers import ORG, sign_in

from parity.explore.survival import survival


def test_time_page_shows_published_curves_and_sentences(shared_app):
    client = sign_in(shared_app, "viewer@example.org")
    explore = unescape(client.get(f"/o/{ORG}/explore").text)
    assert f"/o/{ORG}/explore/time?year=" in explore
    html = unescape(client.get(f"/o/{ORG}/explore/time").text)
    assert "Time in band until promotion" in html and "Time in post until leaving" in html
    year = shared_app.state.results.years(ORG)[0]
    k = shared_app.state.results.rule.k
    for kind in ("progression", "retention"):
        doc = shared_app.state.explore_time.get(ORG, year, kind)
        assert doc["disclosure"]["protected"] is True
        for f in doc["findings"]:
            assert f["narrative"] in html
            n = f["counts"]["n"]
            assert n is None or n >= k
        curves = doc["tables"]["curves"]
        assert all(set(r) == {"attribute", "group", "time", "survival"} for r in curves)
        analyst = survival(shared_app.state.results.workspace.path, kind=kind, year=year, by=("ethnicity",), org=ORG)
        big = set(analyst.tables["groups"].query("n >= @k").group)
        assert {r["group"] for r in curves} <= big and {r["group"] for r in curves}
    assert 'role="img"' in html and "Kaplan–Meier" in html  # at least one chart drawn
