"""Results: the issue's JSON shape, the threshold, stepped refresh, and figures checked with SciPy."""

from __future__ import annotations

import math

import pytest
from pulse_helpers import store, survey
from scipy import stats as sps

from parity.pulse.results import question_results, results


def _rows(spec):
    """spec: list of (count, q1 answer, q2 answer, ethnicity code, disability)."""
    return [({"q1": q1, "q2": q2}, {"ethnicity": eth, "disability": dis})
            for count, q1, q2, eth, dis in spec for _ in range(count)]


def _wilson_scipy(k, n):
    ci = sps.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    return 100 * ci.low, 100 * ci.high


def test_nothing_but_counts_until_the_threshold(tmp_path):
    s = store(tmp_path)
    sid = s.create(survey(access="open"))
    for _ in range(10):
        s.submit(sid, {"q1": "agree", "q2": "yes"}, {"ethnicity": "A", "disability": "no"})
    assert results(s, sid) == {"survey": sid, "responses": 10, "published": False, "threshold": 11}
    s.submit(sid, {"q1": "agree", "q2": "yes"}, {"ethnicity": "A", "disability": "no"})
    res = results(s, sid)
    assert res["published"] is True and [q["id"] for q in res["questions"]] == ["q1", "q2"]
    q1 = res["questions"][0]
    assert set(q1) >= {"id", "text", "overall", "groups"}
    assert set(q1["overall"]) == {"n", "positive", "percent", "ci_low", "ci_high"}
    # while open, no group breakdown: a step's change in a group would give away its few new members
    assert res["groups_published"] is False and len(q1["groups"]) == 6
    assert all(g["withheld"] and g["n"] is None and g["reason"] == "until_close" for g in q1["groups"])
    s.close(sid)
    res = results(s, sid)
    groups = res["questions"][0]["groups"]
    assert res["groups_published"] is True and len(groups) == 3 + 3  # ethnicity and disability, each with PNTS
    for g in groups:
        assert set(g) >= {"attribute", "group", "n", "percent", "ci_low", "ci_high", "withheld"}


def test_stepped_refresh_one_answer_never_changes_the_page(tmp_path):
    s = store(tmp_path)
    sid = s.create(survey(access="open"))
    pages = []
    for i in range(30):
        s.submit(sid, {"q1": "agree" if i % 3 else "disagree", "q2": "yes"}, {"ethnicity": "A", "disability": "no"})
        res = results(s, sid)
        pages.append(res.get("questions"))
    changes = [i + 1 for i in range(1, 30) if pages[i] != pages[i - 1]]
    assert changes == [11, 22]  # published at the 11th answer; the figures change next at the 22nd
    s.close(sid)
    closed = results(s, sid)
    # the 8 answers after the last step stay out at the close: the difference between the 22-answer
    # figures and 30-answer ones would be those 8 people's answers
    assert closed["responses"] == 30 and closed["used"] == 22
    assert closed["questions"][0]["overall"]["n"] == 22 and closed["questions"][0]["overall"] == pages[-1][0]["overall"]


def test_figures_match_scipy_and_hand_worked_newcombe():
    # q1 — White: 15 of 20 agree; BME: 7 of 14; Prefer not to say: 12 of 12 (every group shown)
    rows = _rows([(15, "agree", "yes", "A", "no"), (5, "disagree", "no", "A", "no"),
                  (7, "strongly_agree", "yes", "N", "no"), (7, "neither", "no", "H", "no"),
                  (12, "agree", "no", "prefer_not_to_say", "no")])
    q1 = question_results(survey(), rows)[0]
    o = q1["overall"]
    assert (o["n"], o["positive"]) == (46, 34)
    low, high = _wilson_scipy(34, 46)
    assert o["percent"] == pytest.approx(100 * 34 / 46, abs=0.01)
    assert (o["ci_low"], o["ci_high"]) == (pytest.approx(low, abs=0.01), pytest.approx(high, abs=0.01))
    eth = {g["group"]: g for g in q1["groups"] if g["attribute"] == "ethnicity"}
    assert (eth["White"]["n"], eth["BME"]["n"], eth["Prefer not to say"]["n"]) == (20, 14, 12)
    c = eth["BME"]["comparison"]
    # Newcombe (1998) method 10 by hand from SciPy's Wilson limits: BME 7/14 vs White 15/20
    la, ua = (x / 100 for x in _wilson_scipy(7, 14))
    lb, ub = (x / 100 for x in _wilson_scipy(15, 20))
    d = 0.5 - 0.75
    lower = d - math.sqrt((0.5 - la) ** 2 + (ub - 0.75) ** 2)
    upper = d + math.sqrt((ua - 0.5) ** 2 + (0.75 - lb) ** 2)
    assert c["vs"] == "White" and c["difference"] == pytest.approx(-25.0)
    assert (c["ci_low"], c["ci_high"]) == (pytest.approx(100 * lower, abs=0.01), pytest.approx(100 * upper, abs=0.01))
    # a 2x2 with an expected count under 5 → Fisher's exact test, as SciPy gives it
    assert c["test"] == "fisher_exact"
    assert c["p_value"] == pytest.approx(sps.fisher_exact([[7, 7], [15, 5]]).pvalue, abs=1e-4)
    assert c["certainty"] == ("clear" if upper < 0 else "uncertain")
    assert "50.0% of BME respondents (7 of 14)" in c["narrative"]
    # Benjamini–Hochberg across all comparisons of the survey, as SciPy computes it
    comps = [g["comparison"] for q in question_results(survey(), rows) for g in q["groups"] if "comparison" in g]
    expected = sps.false_discovery_control([x["p_value"] for x in comps], method="bh")
    assert [x["p_adjusted"] for x in comps] == pytest.approx(list(expected), abs=2e-4)


def test_small_group_and_its_partner_are_withheld():
    rows = _rows([(30, "agree", "yes", "A", "no"), (12, "agree", "no", "N", "no"),
                  (4, "disagree", "no", "prefer_not_to_say", "no")])
    eth = {g["group"]: g for g in question_results(survey(), rows)[0]["groups"] if g["attribute"] == "ethnicity"}
    assert eth["Prefer not to say"]["withheld"] and eth["BME"]["withheld"]  # 4 alone would be 46 − 30 − 12
    assert eth["White"]["n"] == 30 and "comparison" not in eth["White"]
    assert eth["BME"]["n"] is None and eth["BME"]["percent"] is None
