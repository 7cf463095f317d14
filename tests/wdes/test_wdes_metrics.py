"""WDES metrics on hand-built tables: directions, capability definitions, survey, score, board."""

import math
from datetime import date

import pytest
from scipy import stats as st

import parity
from parity import WdesConfig

SINGLE = WdesConfig(capability_period="single_year")


def test_metric_2_is_non_disabled_over_disabled(trust):
    # non-disabled 300 of 1,000 shortlisted appointed; Disabled 20 of 100
    trust.add("applications", 300, disability="no", appointed=True)
    trust.add("applications", 700, disability="no")
    trust.add("applications", 20, disability="yes", appointed=True)
    trust.add("applications", 80, disability="yes")
    trust.add("applications", 40, disability="unknown", appointed=True)
    trust.staff(10)
    m2 = parity.wdes(trust.connect(), year=2025)["wdes.2"]
    assert m2.value == pytest.approx(0.30 / 0.20)
    assert m2.groups["Unknown"].denominator == 40
    assert m2.assessment == "adverse"
    assert m2.narrative.startswith("Non-disabled applicants were 1.50 times as likely as Disabled applicants")


def test_metric_3_is_disabled_over_non_disabled_with_and_without_ill_health(trust):
    disabled = trust.staff(100, disability="yes")
    non = trust.staff(900, disability="no")
    for p in disabled[:4]:
        trust.add("capability", person_id=p)
    for p in disabled[4:6]:
        trust.add("capability", person_id=p, ill_health=True)
    for p in non[:9]:
        trust.add("capability", person_id=p)
    trust.add("capability", person_id=non[10], formal=False)
    m3 = parity.wdes(trust.connect(), year=2025, config=SINGLE)["wdes.3"]
    # default: performance grounds only, as NHS England's national figures (docs/wdes.md)
    assert m3.value == pytest.approx((4 / 100) / (9 / 900))
    assert m3.basis == "performance_only"
    assert m3.period_rule == "single_year"
    with_ill_health = m3.breakdowns[0]
    assert with_ill_health["breakdown"] == "including_ill_health"
    assert with_ill_health["value"] == pytest.approx((6 / 100) / (9 / 900))
    alt = parity.wdes(trust.connect(), year=2025,
                      config=WdesConfig(capability_period="single_year", capability_ill_health=True))["wdes.3"]
    assert alt.value == pytest.approx(with_ill_health["value"])
    assert alt.basis == "including_ill_health" and alt.breakdowns[0]["breakdown"] == "excluding_ill_health"


def test_a_person_is_disabled_if_any_record_says_so(trust):
    people = trust.staff(10, disability="no")
    trust.staff(1, person_id=people[0], disability="yes", primary_assignment=False)
    trust.staff(5, disability="unknown")
    m1 = parity.wdes(trust.connect(), year=2025)["wdes.1"]
    assert m1.groups["Disabled"].numerator == 1
    assert m1.groups["Non-disabled"].numerator == 9
    assert m1.data_quality["declaration_rate"] == pytest.approx(round(100 * 10 / 15, 1))
    assert m1.data_quality["disabled_percent"] == pytest.approx(round(100 / 15, 1))


def test_survey_metrics_and_disabled_only_metric_8(trust):
    trust.staff(10)
    for ind, group, n, k in (("wdes.5", "Disabled", 200, 90), ("wdes.5", "Non-disabled", 800, 440),
                             ("wdes.8", "Disabled", 150, 105)):
        trust.add("survey_results", survey_year=2024, indicator=ind, group=group, responses=n, positive=k)
    res = parity.wdes(trust.connect(), year=2025)
    assert res["wdes.5"].value == pytest.approx(45.0 - 55.0)
    m8 = res["wdes.8"]
    assert m8.value == pytest.approx(70.0) and list(m8.groups) == ["Disabled"]


def test_engagement_score_against_a_hand_calculation(trust):
    trust.staff(10)
    # respondent scores: Disabled (0+10)/2=5, 7.5, 2.5 ; Non-disabled 10, 7.5, 7.5, 5
    answers = {
        "D1": ("yes", ["1", "5"]), "D2": ("yes", ["Agree"]), "D3": ("yes", ["Disagree", None]),
        "N1": ("no", ["Strongly agree"]), "N2": ("no", ["4", "4"]), "N3": ("no", ["Often"]), "N4": ("no", ["3"]),
    }
    for rid, (dis, items) in answers.items():
        for i, answer in enumerate(items, start=1):
            trust.add("survey_responses", response_id=rid, survey_year=2024, org_code="ORG", ethnic_category="A",
                      disability=dis, sex="female", question=f"q_eng_{i}", answer=answer)
    m9 = parity.wdes(trust.connect(), year=2025)["wdes.9a"]
    disabled, non = [5.0, 7.5, 2.5], [10.0, 7.5, 7.5, 5.0]
    assert m9.groups["Disabled"].percent == pytest.approx(5.0)
    assert m9.groups["Non-disabled"].percent == pytest.approx(7.5)
    assert m9.value == pytest.approx(-2.5)
    welch = st.ttest_ind(disabled, non, equal_var=False)
    ci = welch.confidence_interval(0.95)
    assert (m9.ci_low, m9.ci_high) == (pytest.approx(ci.low), pytest.approx(ci.high))
    assert m9.data_quality["overall_score"] == pytest.approx(sum(disabled + non) / 7)
    assert not math.isnan(m9.groups["Disabled"].ci_low)


def test_board_metric_10_and_narrative_9b(trust, tmp_path):
    trust.staff(2, disability="yes", board_member=True, board_voting=True, board_role="executive", pay_band="VSM")
    trust.staff(8, disability="no", board_member=True, board_voting=True, board_role="non_executive", pay_band="VSM")
    trust.staff(40, disability="yes", snapshot_date=date(2025, 3, 31))
    trust.staff(950, disability="no")
    res = parity.wdes(trust.connect(), year=2025)
    assert res["wdes.10"].value == pytest.approx(20.0 - 4.2)
    assert res["wdes.9b"].kind == "narrative" and "no narrative" in res["wdes.9b"].narrative.lower()
