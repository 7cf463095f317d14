"""Issue 13 "Statements" and issue 12 item 9 on constructed trusts: every number worked out by hand
or by SciPy, never read back from the code under test."""

from __future__ import annotations

import copy
import math
from datetime import date

import pandas as pd
import pytest
from scipy.stats import binomtest, chi2_contingency, fisher_exact
from typer.testing import CliRunner

from parity import wdes, wres
from parity.indicators.build import StatsSettings, percentages_result, relative_likelihood_result
from parity.indicators.catalogue import CATALOGUE, indicators
from parity.indicators.groups import ETHNICITY_GROUPS
from parity.indicators.narrative import p_value
from parity.report.questions import findings
from parity.report.view import indicator_section

YEAR = 2025


def senior_trust(t, *, senior_bme: int):
    """25 senior staff (20 non-clinical band 8a, 5 clinical VSM) of whom `senior_bme` are BME
    (all in 8a), and 100 clinical band 5 staff of whom 30 are BME."""
    t.staff(senior_bme, ethnic_category="H", pay_band="8a", clinical=False)
    t.staff(20 - senior_bme, ethnic_category="A", pay_band="8a", clinical=False)
    t.staff(5, ethnic_category="A", pay_band="VSM", clinical=True)
    t.staff(30, ethnic_category="H", pay_band="5")
    t.staff(70, ethnic_category="A", pay_band="5")
    return t


def newcombe(k1, n1, k2, n2):
    """Newcombe's hybrid score interval (method 10) from SciPy's Wilson limits, in points."""
    a, b = binomtest(k1, n1).proportion_ci(method="wilson"), binomtest(k2, n2).proportion_ci(method="wilson")
    p1, p2 = k1 / n1, k2 / n2
    d = p1 - p2
    return (100 * (d - math.sqrt((p1 - a.low) ** 2 + (b.high - p2) ** 2)),
            100 * (d + math.sqrt((a.high - p1) ** 2 + (p2 - b.low) ** 2)))


def test_senior_share_is_one_aggregate_with_interval_and_test(trust):
    ind = wres(senior_trust(trust, senior_bme=2).connect(), year=YEAR)["wres.1"]
    s = ind.senior
    # by hand: 2 of 25 senior staff are BME (8.0%); 32 of 125 overall (25.6%); 30 of 100 of the rest
    assert (s["count"], s["total"], s["rest"]["count"], s["rest"]["total"]) == (2, 25, 30, 100)
    assert s["percent"] == pytest.approx(8.0) and s["overall_percent"] == pytest.approx(25.6)
    assert s["difference"] == pytest.approx(-17.6)
    wilson = binomtest(2, 25).proportion_ci(method="wilson")
    assert (s["ci_low"], s["ci_high"]) == pytest.approx((100 * wilson.low, 100 * wilson.high))
    low, high = newcombe(2, 25, 30, 100)
    assert (s["difference_vs_rest"]["ci_low"], s["difference_vs_rest"]["ci_high"]) == pytest.approx((low, high))
    assert high < 0  # -33.2 to -3.2 points
    # a cell of 2 sends the 2x2 table to Fisher's exact test: p = 0.023
    assert s["test"] == "fisher_exact"
    assert s["p_value"] == pytest.approx(fisher_exact([[2, 23], [30, 70]]).pvalue)
    assert ind.certainty == s["certainty"] == "clear"
    assert ind.statement == "worse for BME staff by 17.6 points (under-represented in bands 8a to 9 and VSM)"
    assert "8.0% of staff in bands 8a to 9 and VSM" in ind.narrative
    assert "beyond chance (p = 0.023)" in ind.narrative


def test_finding_stands_on_the_aggregate_when_senior_rows_are_withheld(trust):
    """The small senior rows vanish under disclosure control; the aggregate still says 'fewer'."""
    d = wres(senior_trust(trust, senior_bme=2).connect(), year=YEAR)["wres.1"].to_dict()
    assert findings(d, "WRES")[0] == "lower_share_in_senior_bands"
    withheld = copy.deepcopy(d)
    for row in withheld["rows"]:
        if row["band"] in ("8a", "VSM"):
            row["total"] = None
            for g in row["groups"].values():
                g["count"] = g["percent"] = None
    assert findings(withheld, "WRES")[0] == "lower_share_in_senior_bands"
    # and when the aggregate itself is withheld the finding is not available, never "similar"
    gone = copy.deepcopy(withheld)
    gone["senior"] = {k: None for k in gone["senior"]}
    assert findings(gone, "WRES")[0] == "undefined"


def test_similar_only_when_the_difference_could_be_chance(trust):
    ind = wres(senior_trust(trust, senior_bme=6).connect(), year=YEAR)["wres.1"]
    # 6 of 25 (24%) against 30 of 100: every cell and expected count >= 5, so Pearson's chi-square
    assert ind.senior["test"] == "chi_square"
    expected = chi2_contingency([[6, 19], [30, 70]], correction=False).pvalue
    assert ind.senior["p_value"] == pytest.approx(expected) and expected > 0.05
    assert ind.certainty == "uncertain"
    assert findings(ind.to_dict(), "WRES")[0] == "similar_shares"
    assert "within what chance alone could explain" in ind.narrative


def _pct(ind_id: str, bme: tuple[int, int], white: tuple[int, int]):
    counts = pd.DataFrame({"group": ["BME", "White"], "numerator": [bme[0], white[0]],
                           "denominator": [bme[1], white[1]]})
    indicators("WRES")
    return percentages_result(CATALOGUE[ind_id], counts, None, ETHNICITY_GROUPS, StatsSettings(),
                              survey_year=2024, source="survey_responses")


def test_direction_words_follow_the_catalogue():
    """The same +5 points is worse for BME staff on harassment (WRES 5), better on progression (WRES 7)."""
    harassment = _pct("wres.5", (35, 100), (30, 100))
    progression = _pct("wres.7", (35, 100), (30, 100))
    assert harassment.statement == "worse for BME staff by 5.0 points"
    assert progression.statement == "better for BME staff by 5.0 points"
    assert "worse for BME staff by 5.0 points (BME − White +5.0 percentage points" in harassment.narrative
    low, high = newcombe(35, 100, 30, 100)
    assert (harassment.ci_low, harassment.ci_high) == pytest.approx((low, high))
    assert harassment.certainty == "uncertain" and low < 0 < high
    clear = _pct("wres.7", (300, 1000), (400, 1000))
    assert clear.statement == "worse for BME staff by 10.0 points" and clear.certainty == "clear"
    assert clear.to_dict()["certainty"] == "clear" and clear.to_dict()["statement"] == clear.statement


def _rl(events_bme: int, n_bme: int, events_white: int, n_white: int):
    counts = pd.DataFrame({"group": ["BME", "White"], "numerator": [events_bme, events_white],
                           "denominator": [n_bme, n_white]})
    indicators("WRES")
    return relative_likelihood_result(CATALOGUE["wres.3"], counts, None, ETHNICITY_GROUPS, StatsSettings(),
                                      disadvantaged="BME staff")


def test_certainty_beside_an_unchanged_assessment_everywhere():
    """WRES 3 at 1.30 (0.90-1.87): adverse by the range rule, uncertain: could be chance."""
    r = _rl(44, 3597, 83, 8820)
    assert r.assessment == "adverse" and r.certainty == "uncertain"
    assert "p = 0.156" in r.narrative and "could be chance" in r.narrative
    section = indicator_section(r.to_dict(), "WRES", [], "[c]")
    assert section.tag[0] == "Adverse — uncertain: could be chance"
    clear = _rl(400, 3597, 400, 8820)
    assert clear.certainty == "clear"
    assert indicator_section(clear.to_dict(), "WRES", [], "[c]").tag[0] == "Adverse — clear"


def test_small_p_values_print_as_less_than_one_in_a_thousand():
    assert p_value(0.0004) == "< 0.001" and p_value(1e-12) == "< 0.001" and p_value(0.0) == "< 0.001"
    assert p_value(0.001) == "0.001" and p_value(0.156) == "0.156"
    r = _rl(400, 3597, 400, 8820)
    assert r.p_value < 0.001
    assert "p < 0.001" in r.narrative and "0.000" not in r.narrative
    table = indicator_section(r.to_dict(), "WRES", [], "[c]").tables[-1]
    assert table.rows[0][2] == "< 0.001"


def test_web_tag_and_p_value_filters():
    from parity.web.pages import env

    html = env.from_string('{% import "macros.html" as m %}{{ m.tag("adverse", "uncertain") }}'
                           '|{{ 0.00001 | pvalue }}').render()
    assert "Adverse — uncertain: could be chance" in html and "&lt; 0.001" in html


def workforce_only(t):
    for year in (2024, 2025):
        t.staff(40, ethnic_category="H", snapshot_date=date(year, 3, 31), person_id=None)
        t.staff(60, ethnic_category="A", snapshot_date=date(year, 3, 31), person_id=None)
    return t


def test_missing_tables_are_not_available_never_zero_events(trust):
    con = workforce_only(trust).connect()
    result = wres(con, year=YEAR)
    r3 = result["wres.3"]
    assert r3.value is None and r3.assessment is None and r3.certainty is None
    assert r3.undefined_reason == "not available: import the disciplinary table"
    assert r3.missing_tables == ["disciplinary"]
    assert r3.narrative.startswith("Not available: import the disciplinary table")
    assert "no events" not in r3.narrative and "0 of" not in r3.narrative
    assert all(g.numerator is None for g in r3.groups.values())
    d = r3.to_dict()
    assert d["value"] is None and d["missing_tables"] == ["disciplinary"]
    for ind_id in ("wres.5", "wres.6", "wres.7", "wres.8"):
        assert result[ind_id].undefined_reason.startswith("not available: import the staff survey")
    assert result["wres.1"].value == pytest.approx(40.0)  # what is there is still computed
    assert wdes(con, year=YEAR)["wdes.3"].undefined_reason == (
        "not available: import the capability table")


def test_a_year_missing_from_an_event_table_is_not_available(trust):
    t = workforce_only(trust)
    t.add("disciplinary", person_id="P1", case_start_date=date(2023, 6, 1))  # 2023/24 only
    r3 = wres(t.connect(), year=YEAR)["wres.3"]
    assert r3.value is None
    assert r3.undefined_reason == ("not available: the disciplinary table holds no records for 2024/25 "
                                   "(it holds 2023/24); import that year")


def test_a_year_with_no_data_is_an_error_naming_the_years(trust, tmp_path):
    con = workforce_only(trust).connect()
    with pytest.raises(ValueError, match=r"no data for reporting year 2030 .*holds data for 2024, 2025"):
        wres(con, year=2030)
    with pytest.raises(ValueError, match="2024, 2025"):
        wdes(con, year=2030)


def test_cli_year_with_no_data_exits_2(tmp_path):
    from parity.cli import app
    from parity.ingest import import_file
    from parity.workspace import Workspace

    csv = tmp_path / "workforce.csv"
    rows = ["org_code,person_id,snapshot_date,ethnic_category,sex,disability,pay_band,staff_group,clinical,"
            "assignment_category,primary_assignment,fte"]
    rows += [f"ORG,P{i},2025-03-31,{'H' if i < 4 else 'A'},female,no,5,03,true,permanent,true,1.0"
             for i in range(10)]
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    ws = Workspace.open(tmp_path / "ws", create=True)
    import_file(ws, csv, "workforce")
    out = CliRunner().invoke(app, ["wres", "--workspace", str(tmp_path / "ws"), "--year", "2030"])
    assert out.exit_code == 2
    assert "no data for reporting year 2030" in out.output and "2025" in out.output
    ok = CliRunner().invoke(app, ["wres", "--workspace", str(tmp_path / "ws"), "--year", "2025"])
    assert ok.exit_code == 0 and "not available" in ok.output
