"""`parity.report.findings`: the board's ranked findings, on constructed protected results (issue 14)."""

from __future__ import annotations

import math

import pytest
from scipy.stats import chi2_contingency

from parity.report.findings import (
    NotProtected,
    board_findings,
    indicator_finding,
    paygap_finding,
    rank,
    trend_words,
)

PROTECTED = {"protected": True}


def rl(ind_id: str, value, low, high, assessment, certainty, change=None):
    return {"id": ind_id, "title": ind_id, "kind": "relative_likelihood", "value": value, "ci_low": low,
            "ci_high": high, "assessment": assessment, "certainty": certainty, "change": change}


def survey(ind_id: str, value, low, high, certainty, statement, white_percent=50.0, change=None):
    return {"id": ind_id, "title": ind_id, "kind": "percentages", "value": value, "ci_low": low, "ci_high": high,
            "certainty": certainty, "statement": statement, "groups": {"White": {"percent": white_percent}},
            "change": change}


def doc(*indicators):
    return {"standard": "WRES", "disclosure": PROTECTED, "indicators": list(indicators)}


def test_severity_then_certainty_then_size():
    found = board_findings({"WRES": {2025: doc(
        rl("wres.4", 1.20, 1.10, 1.31, "within_range", "clear"),          # worse, inside 0.80-1.25
        rl("wres.3", 3.00, 0.90, 10.0, "adverse", "uncertain"),           # large but could be chance
        rl("wres.2", 1.30, 1.26, 1.34, "adverse", "clear"),               # small but clear
        survey("wres.6", -2.0, -5.0, 1.0, "uncertain", "better for BME staff by 2.0 points"),
        survey("wres.5", 4.0, 1.0, 7.0, "clear", "worse for BME staff by 4.0 points"),
    )}}, 2025)
    assert [f.id for f in found] == ["wres.2", "wres.5", "wres.3", "wres.4", "wres.6"]
    assert [f.severity for f in found] == ["adverse", "adverse", "adverse", "within_range", "not_adverse"]
    assert found[2].label == "Adverse — uncertain: could be chance"


def test_within_a_tier_the_smallest_disparity_the_interval_allows_decides():
    # A: 2.00 (1.05 to 3.80) could be as small as 1.05; B: 1.50 (1.30 to 1.70) is at least 1.30
    a = indicator_finding(rl("wres.3", 2.0, 1.05, 3.8, "adverse", "clear"), "WRES")
    b = indicator_finding(rl("wres.2", 1.5, 1.3, 1.7, "adverse", "clear"), "WRES")
    assert (a.size, b.size) == pytest.approx((math.log(1.05), math.log(1.3)))
    assert [f.id for f in rank([a, b])] == ["wres.2", "wres.3"]
    # a survey gap of +4 points (1 to 7) on a 20% White rate: at least 21/20 = 1.05 as a ratio of rates
    s = indicator_finding(survey("wres.5", 4.0, 1.0, 7.0, "clear", "worse for BME staff by 4.0 points", 20.0), "WRES")
    assert s.size == pytest.approx(math.log(21 / 20))


def test_sentences_carry_the_interval():
    f = indicator_finding(rl("wres.2", 1.49, 1.31, 1.68, "adverse", "clear"), "WRES")
    assert f.sentence == ("White applicants were 1.49 times as likely as BME applicants to be appointed from "
                          "shortlisting (95% interval 1.31 to 1.68).")
    assert f.link == "indicator/wres.2" and f.topic == "recruitment"


def test_trend_words():
    assert trend_words(["none", "worse", "worse", "worse"]) == "worsening in each of the last three years"
    assert trend_words(["worse", "better"]) == "improving since last year"
    assert trend_words(["none", "none", "none", "none"]) == "no clear change over the last four years"
    assert trend_words([]) is None  # one year: nothing to compare
    assert trend_words(["worse", None]) == "change on last year not available"  # withheld this year
    assert trend_words(None) == "no test of change across years"  # a measure without a change test


def test_trend_reads_the_change_test_of_every_year():
    up = {"ratio": 1.3, "beyond_chance": True}
    same = {"ratio": 1.1, "beyond_chance": False}
    years = {y: doc(rl("wres.2", 1.5, 1.3, 1.7, "adverse", "clear", change))
             for y, change in ((2021, None), (2022, same), (2023, up), (2024, up), (2025, up))}
    assert board_findings({"WRES": years}, 2025)[0].trend == "worsening in each of the last three years"
    # harassment (higher is worse): BME's own percentage fell beyond chance — improving
    fell = {"difference": -3.0, "beyond_chance": True}
    years = {2024: doc(survey("wres.5", 1.0, -1.0, 3.0, "uncertain", "worse for BME staff by 1.0 points")),
             2025: doc(survey("wres.5", 1.0, -1.0, 3.0, "uncertain", "worse for BME staff by 1.0 points", change=fell))}
    assert board_findings({"WRES": years}, 2025)[0].trend == "improving since last year"


def test_senior_share_trend_uses_the_two_proportion_test():
    def wres1(count, total, rest_percent):
        percent = 100 * count / total
        return {"id": "wres.1", "title": "Staff in each pay band by ethnicity", "kind": "distribution", "value": 25.0,
                "senior": {"group": "BME", "count": count, "total": total, "percent": percent,
                           "rest": {"percent": rest_percent}, "certainty": "clear",
                           "statement": "worse for BME staff by 10.0 points (under-represented)",
                           "difference_vs_rest": {"value": percent - rest_percent, "ci_low": -20.0, "ci_high": -2.0}}}
    # 100 of 500 senior staff were BME last year, 60 of 500 this year: a fall beyond chance (chi-square)
    p = chi2_contingency([[100, 400], [60, 440]], correction=False)[1]
    assert p < 0.05
    found = board_findings({"WRES": {2024: doc(wres1(100, 500, 27.0)), 2025: doc(wres1(60, 500, 27.0))}}, 2025)
    assert found[0].trend == "worsening since last year"
    assert found[0].sentence.startswith("BME staff are 12.0% of staff in bands 8a to 9 and VSM against 27.0% of "
                                        "other staff, 15.0 points fewer (95% interval -20.0 to -2.0)")
    # 100 then 95 of 500: within chance
    assert chi2_contingency([[100, 400], [95, 405]], correction=False)[1] > 0.05
    found = board_findings({"WRES": {2024: doc(wres1(100, 500, 27.0)), 2025: doc(wres1(95, 500, 27.0))}}, 2025)
    assert found[0].trend == "no clear change since last year"


def test_withheld_and_undefined_give_no_finding():
    assert indicator_finding(rl("wres.3", None, None, None, None, None), "WRES") is None
    assert indicator_finding({"id": "wres.9", "kind": "difference", "value": None}, "WRES") is None


def test_unprotected_results_are_refused():
    raw = {"standard": "WRES", "indicators": [rl("wres.2", 1.5, 1.3, 1.7, "adverse", "clear")]}
    with pytest.raises(NotProtected):
        board_findings({"WRES": {2025: raw}}, 2025)
    with pytest.raises(NotProtected):
        board_findings({}, 2025, {"sex": {"results": [{"mean_hourly_gap": 10.0}]}})


def test_pay_gap_finding():
    pg = {"disclosure": {}, "bootstrap_intervals": {"mean": {"ci_low": 5.0, "ci_high": 15.0}},
          "results": [{"reference_group": "male", "comparison_group": "female", "mean_hourly_gap": 10.0,
                       "disclosure": {}}]}
    f = paygap_finding("sex", pg)
    assert (f.severity, f.certainty, f.link) == ("adverse", "clear", "paygap/sex")
    assert f.sentence == "Men were paid on average 10.0% more per hour than women (95% interval +5.0 to +15.0)."
    # at least a 5% gap: men's pay is at least 1 / (1 - 0.05) times women's
    assert f.size == pytest.approx(math.log(1 / 0.95))
    withheld = {**pg, "results": [{**pg["results"][0], "mean_hourly_gap": None}]}
    assert paygap_finding("sex", withheld) is None


def test_a_survey_sentence_is_its_statement_with_the_interval():
    f = indicator_finding(survey("wres.5", 4.0, 1.0, 7.0, "clear", "worse for BME staff by 4.0 points"), "WRES")
    assert f.sentence == "Worse for BME staff by 4.0 points (95% interval +1.0 to +7.0)."


def test_pay_gap_sentence_names_staff_groups():
    pg = {"disclosure": {}, "bootstrap_intervals": {"mean": {"ci_low": -19.0, "ci_high": -13.0}},
          "results": [{"reference_group": "White", "comparison_group": "All ethnic minority", "mean_hourly_gap": -17.0,
                       "disclosure": {}}]}
    f = paygap_finding("ethnicity", pg)
    assert f.sentence == ("White staff were paid on average 17.0% less per hour than ethnic minority staff "
                          "(95% interval -19.0 to -13.0).")
    assert (f.severity, f.certainty) == ("not_adverse", "clear")


def test_inconclusive_outside_the_range_is_adverse_not_within_range():
    # 1.60 (0.85 to 3.02) with too few events: "inconclusive", but not inside 0.80-1.25
    ind = {**rl("wres.2", 1.60, 0.85, 3.02, "inconclusive", "uncertain"), "within_non_adverse_range": False}
    f = indicator_finding(ind, "WRES")
    assert (f.severity, f.label) == ("adverse", "Adverse — uncertain: could be chance")
    inside = {**rl("wres.2", 1.10, 0.70, 1.70, "inconclusive", "uncertain"), "within_non_adverse_range": True}
    assert indicator_finding(inside, "WRES").severity == "within_range"


def test_a_missing_year_breaks_the_senior_trend():
    def wres1(count, total):
        return {"id": "wres.1", "title": "t", "kind": "distribution", "value": 25.0,
                "senior": {"group": "BME", "count": count, "total": total, "percent": 100 * count / total,
                           "rest": {"percent": 27.0}, "certainty": "clear", "statement": "worse for BME staff by 9 points",
                           "difference_vs_rest": {"value": -9.0, "ci_low": -15.0, "ci_high": -3.0}}}
    # 2023 then 2025 (no 2024): a fall beyond chance over two years is not "since last year"
    found = board_findings({"WRES": {2023: doc(wres1(100, 500)), 2025: doc(wres1(60, 500))}}, 2025)
    assert found[0].trend == "change on last year not available"
