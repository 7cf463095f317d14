"""Change over time (issue 15): everyone sees each series' Making Data Count verdict in words, never
its monthly values (a rate times a headcount gives back small counts); analysts see every point in
the audited unsuppressed view."""

from __future__ import annotations

import re

from web_helpers import sign_in

from parity.spc import spc


def test_viewer_sees_verdicts_not_values(shared_app):
    client = sign_in(shared_app, "viewer@example.org")
    page = client.get("/o/R0A/spc?measure=disciplinary&by=ethnicity&period=month")
    assert page.status_code == 200
    text = re.sub(r"<[^>]+>", " ", page.text)
    result = spc(shared_app.state.workspace, org="R0A", measure="disciplinary", by="ethnicity")
    for s in result.series:
        assert s.group in text
        if s.chart:
            words = {"common_cause": "Common cause", "special_cause_concern": "Special cause: concern",
                     "special_cause_improvement": "Special cause: improvement"}[s.variation]
            assert words in text
    values = {f"{p['value']:.2f}" for s in result.series for p in s.points if p["value"] not in (0, 1)}
    assert not [v for v in values if v in text], "a monthly value reached the published page"
    assert "Every point" not in text


def test_analyst_unsuppressed_sees_every_point(shared_app):
    client = sign_in(shared_app, "analyst@example.org")
    page = client.get("/o/R0A/spc?measure=appointment&by=ethnicity&view=unsuppressed")
    assert page.status_code == 200 and "Every point (not for publication)" in page.text
    result = spc(shared_app.state.workspace, org="R0A", measure="appointment", by="ethnicity")
    first = next(s for s in result.series if s.chart)
    assert f"{first.points[0]['value']:.2f}" in page.text
