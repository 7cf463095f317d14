"""'What staff told us' in the report and the agenda: protected results only, no free text."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from pulse_helpers import store, survey

from parity.actions.agenda import Agenda
from parity.actions.agenda_render import to_markdown
from parity.pulse.published import agenda_lines, staff_told_us
from parity.pulse.store import FILE
from parity.report.html import _env


def _fill(s, sid):
    # White: 15, 14 agree; BME: 12, 3 agree; Prefer not to say: 6 → withheld with BME (6 alone is recoverable);
    # 33 answers, three whole steps (answers after the last step are never used)
    for i in range(15):
        s.submit(sid, {"q1": "agree" if i else "disagree", "q2": "yes", "q3": "my mobile is 07700 900123"},
                 {"ethnicity": "A", "disability": "no"})
    for i in range(12):
        s.submit(sid, {"q1": "agree" if i < 3 else "disagree", "q2": "yes"}, {"ethnicity": "N", "disability": "no"})
    for _ in range(6):
        s.submit(sid, {"q1": "agree", "q2": "no"}, {"ethnicity": "prefer_not_to_say", "disability": "no"})


def test_report_section_and_agenda_item(tmp_path):
    assert staff_told_us(tmp_path, "R0A") is None and agenda_lines(tmp_path, "R0A", date(2026, 1, 1)) == []
    assert not (tmp_path / FILE).exists()  # looking creates nothing
    s = store(tmp_path)
    sid = s.create(survey(access="open"))
    _fill(s, sid)
    s.close(sid)
    told = staff_told_us(tmp_path, "R0A")
    assert len(told) == 1 and told[0]["used"] == 33
    q1 = told[0]["questions"][0]
    assert (q1["positive"], q1["n"]) == (14 + 3 + 6, 33)
    assert [g["group"] for g in q1["groups"] if g["attribute"] == "ethnicity"] == ["White"]
    assert "ethnicity: BME" in q1["withheld"] and "ethnicity: Prefer not to say" in q1["withheld"]

    env = _env()
    html = env.get_template("pulse.html.j2").render(report=SimpleNamespace(pulse=told), marking=None,
                                                    m=env.get_template("macros.html.j2").module)
    assert "What staff told us" in html and "Speaking up pulse" in html
    assert "70% positive (23 of 33" in html and "White: 93% (n = 15)" in html
    assert "Withheld: ethnicity: BME" in html
    assert "07700" not in html and "mobile" not in html  # free text never reaches the report

    lines = agenda_lines(tmp_path, "R0A", date(2026, 1, 1))
    assert lines[0].startswith('Speaking up pulse (closed, 33 responses): "I feel able to speak up')
    assert agenda_lines(tmp_path, "R0A", date(2026, 2, 1)) == []  # closed before the last meeting
    md = to_markdown(Agenda("R0A", date(2026, 1, 22), date(2026, 1, 1), None, pulse=lines))
    assert "## 6. What staff told us (pulse surveys)\n\n- Speaking up pulse" in md
    assert "## 10. Decisions and new actions\n\n- Decision:" in md


def test_open_pulse_below_threshold_in_agenda(tmp_path):
    s = store(tmp_path)
    sid = s.create(survey(access="open"))
    s.submit(sid, {"q1": "agree", "q2": "yes"}, {"ethnicity": "A", "disability": "no"})
    assert agenda_lines(tmp_path, "R0A", date(2026, 1, 1), date(2026, 1, 8)) == [
        "Speaking up pulse: open until 19 January 2026, 1 response so far; results appear at 11."]
    assert staff_told_us(tmp_path, "R0A") is None


def test_excel_sheet(tmp_path):
    from openpyxl import load_workbook

    from parity.disclosure import DisclosureRule
    from parity.report.build import Report
    from parity.report.excel import write_excel

    s = store(tmp_path)
    sid = s.create(survey(access="open"))
    _fill(s, sid)
    s.close(sid)
    report = Report(year=2026, organisation="R0A", rule=DisclosureRule(), pulse=staff_told_us(tmp_path, "R0A"))
    wb = load_workbook(write_excel(report, tmp_path / "r.xlsx"))
    rows = [[c.value for c in r] for r in wb["What staff told us"].iter_rows()]
    q1 = [r for r in rows if r[2] == "I feel able to speak up about things that concern me"]
    assert q1[0][3:7] == ["Everyone", 33, 23, 69.7]
    assert ["Ethnicity: White", 15, None, 93.33] == q1[1][3:7]
    withheld = {r[3]: r[4] for r in q1 if r[4] == report.rule.marker}
    assert set(withheld) >= {"Ethnicity: BME", "Ethnicity: Prefer not to say"}
    assert "07700" not in str(rows)


def test_prefer_not_to_say_is_named_with_its_question():
    from parity.pulse.published import _label

    assert _label({"attribute": "age_band", "group": "Prefer not to say"}) == "Prefer not to say (age band)"
    assert _label({"attribute": "ethnicity", "group": "BME"}) == "BME"
