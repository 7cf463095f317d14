"""Issue 13 statements on the demo trust (parity.synth, seed 2025): the figures the issue quotes."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from parity import wdes, wres
from parity.report.questions import findings

YEAR = 2025


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from parity.commands.demo import build_demo_workspace

    root = tmp_path_factory.mktemp("demo")
    build_demo_workspace(root / "data", root / "ws")
    return root / "ws"


def test_wres1_says_bme_staff_are_fewer_in_senior_bands(demo):
    ind = wres(demo, year=YEAR)["wres.1"]
    s = ind.senior
    assert round(s["percent"], 1) == 17.9 and round(s["overall_percent"], 1) == 26.7
    assert 100 * s["count"] / s["total"] == pytest.approx(s["percent"])
    assert ind.certainty == "clear" and s["p_value"] < 0.001
    assert findings(ind.to_dict(), "WRES")[0] == "lower_share_in_senior_bands"
    assert "(p < 0.001)" in ind.narrative and "worse for BME staff" in ind.narrative


def test_certainty_and_direction_on_the_demo(demo):
    r = wres(demo, year=YEAR)
    assert (r["wres.2"].assessment, r["wres.2"].certainty) == ("adverse", "clear")
    assert (r["wres.3"].assessment, r["wres.3"].certainty) == ("adverse", "uncertain")
    assert (r["wres.3"].ci_low, r["wres.3"].ci_high) == pytest.approx((0.90, 1.87), abs=0.005)
    # +0.9 on harassment is worse for BME staff; -3.0 on career progression is worse too
    assert r["wres.5"].statement == "worse for BME staff by 0.9 points"
    assert r["wres.7"].statement == "worse for BME staff by 3.0 points"
    assert all("0.000" not in i.narrative for i in r.indicators)


def test_cli_shows_certainty_beside_the_assessment(demo):
    from parity.cli import app

    out = CliRunner().invoke(app, ["wres", "--workspace", str(demo), "--year", str(YEAR)])
    text = " ".join(out.output.split())  # the console wraps at 80 columns
    assert out.exit_code == 0
    assert "wres.3 Entering the formal disciplinary process. Adverse — uncertain: could be chance." in text
    assert "adverse, clear" in text and "0.000" not in text
    bad = CliRunner().invoke(app, ["wres", "--workspace", str(demo), "--year", "2030"])
    assert bad.exit_code == 2 and "2021, 2022, 2023, 2024, 2025" in bad.output


def test_wdes3_states_its_basis(demo):
    m3 = wdes(demo, year=YEAR)["wdes.3"]
    # performance grounds only: the basis of NHS England's national figures (docs/wdes.md)
    assert m3.basis == "performance_only"
    assert "(performance grounds only, ill health excluded)" in m3.title and "performance grounds only" in m3.narrative
    assert m3.breakdowns[0]["basis"] == "including_ill_health"
    assert "including ill health" in m3.breakdowns[0]["narrative"]


def test_ethnicity_pay_gap_headline_is_all_ethnic_minority_staff_together(demo):
    from parity.indicators.source import open_source
    from parity.paygap.api import paygap, relevant_employees
    from parity.paygap.inputs import prepare

    report = paygap(demo, year=YEAR, by="ethnicity", n_resamples=50)
    head = report.results[0]
    assert (head.reference_group, head.comparison_group) == ("White", "All ethnic minority")
    assert head.mean_hourly_gap == -17.0
    assert [r.comparison_group for r in report.results[1:]] == ["Asian", "Black", "Mixed", "Other", "White other"]
    # by hand: mean hourly pay of full-pay White (A-C) against ethnic minority (D-S) staff
    frame = prepare(relevant_employees(open_source(demo)[0], year=YEAR), "ethnic_category")
    full = frame[frame["full_pay"]]
    code = full["attr"].astype(str).str.strip().str.upper().str[0]
    white = full.loc[code.isin(list("ABC")), "hourly"].mean()
    minority = full.loc[code.isin(list("DEFGHJKLMNPRS")), "hourly"].mean()
    assert round(100 * (white - minority) / white, 1) == -17.0


def test_demo_actions_one_moved_one_did_not(demo):
    """Issue 15: the demo's plan shows an action whose number moved (WRES 4: the training bias ends
    from 2024) and one whose did not (WRES 2: the appointment bias stays)."""
    from parity.actions import ActionStore, evaluate
    from parity.commands.demo import _demo_actions

    _demo_actions(demo)
    _demo_actions(demo)  # added once
    actions = ActionStore(demo).list(org="R0A")
    assert len(actions) == 2
    verdicts = {e["indicator"]: e["verdict"] for e in evaluate(demo, actions, org="R0A")["actions"]}
    assert verdicts == {"wres.4": "improved", "wres.2": "no_clear_change"}


def test_meeting_agenda_on_the_demo(demo, tmp_path):
    """Issue 15: the weekly agenda — board findings from the protected release (appointment gap
    first), what moved beyond chance (WRES 4, whose bias ends from 2024), actions due, the last
    meeting's decisions; Markdown, HTML (no network references) and PDF."""
    from datetime import date

    from pypdf import PdfReader

    from parity.actions.agenda import build_agenda
    from parity.actions.agenda_render import write_agenda
    from parity.actions.meetings import Meeting, MeetingStore
    from parity.commands.demo import _demo_actions

    _demo_actions(demo)
    MeetingStore(demo).record(Meeting("R0A", date(2025, 4, 10), "Invite the Director of People", actions=[2]),
                              who="chair")
    a = build_agenda(demo, org="R0A", on=date(2025, 4, 17))
    assert a.year == 2025 and a.since == date(2025, 4, 10)
    assert a.findings[0]["link"] == "indicator/wres.2"
    earlier = build_agenda(demo, org="R0A", on=date(2024, 4, 17))  # 2024: the first year without the bias
    assert earlier.year == 2024 and earlier.last_meeting is None
    assert any(m.startswith("WRES 4 ") and "lower than last year" in m for m in earlier.moved)
    # the WRES 4 action is done; WRES 2's (in progress) was due on 31 March 2025
    assert [d["title"] for d in a.overdue] == ["Diverse interview panels and de-biased shortlisting"]
    assert a.due == []
    assert a.last_meeting["decisions"] == "Invite the Director of People" and a.last_meeting["actions"] == [2]
    md = write_agenda(a, tmp_path / "agenda.md").read_text()
    assert "## 2. What the board should know (2025)" in md and "Invite the Director of People" in md
    page = write_agenda(a, tmp_path / "agenda.html").read_text()
    assert "http" not in page and "<h2>10. Decisions and new actions</h2>" in page  # 6 is now pulse surveys
    pdf = PdfReader(str(write_agenda(a, tmp_path / "agenda.pdf")))
    assert "What the board should know" in "".join(p.extract_text() for p in pdf.pages)


def test_report_change_over_time_gives_verdicts_not_values(demo):
    """Issue 15: the report's "Change over time" section states each monthly series' Making Data Count
    verdict in words; no monthly value of those series reaches the report."""
    import re

    from parity.report import build_report
    from parity.report.html import render_html
    from parity.spc import spc

    report = build_report(demo, year=YEAR, org="R0A", standards=("wres",))
    html = render_html(report)
    assert 'id="change-over-time"' in html
    section = html[html.index('id="change-over-time"'):]
    text = re.sub(r"<[^>]+>", " ", section[:section.index("</section>")])
    result = spc(demo, org="R0A", measure="disciplinary", by="ethnicity")
    bme = next(s for s in result.series if s.group == "BME")
    words = {"common_cause": "Common cause", "special_cause_concern": "Special cause: concern",
             "special_cause_improvement": "Special cause: improvement"}
    assert any(r["group"] == "BME" and r["words"].startswith(words[bme.variation]) for r in report.spc
               if r["measure"] == result.measure.label)
    rates = {f"{p['value']:.2f}" for p in bme.points if p["value"] > 0}
    assert not [r for r in rates if re.search(rf"(?<![\d.]){re.escape(r)}(?![\d])", text)]
    assert build_report(demo, year=YEAR, org="R0A", standards=("wres",), unsuppressed=True).spc is None
