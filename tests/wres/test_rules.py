"""WRES counting rules: people not assignments, bank excluded, periods, zero events, no BME staff."""

import re
from datetime import date

import pytest

import parity
from parity import WresConfig

SINGLE = WresConfig(disciplinary_period="single_year")


def test_people_with_several_assignments_count_once_and_bank_is_excluded(trust):
    white = trust.staff(30, ethnic_category="A", pay_band="5")
    bme = trust.staff(10, ethnic_category="N", pay_band="6")
    # a second, non-primary assignment for ten White staff in band 2: must not add people or move them
    for person in white[:10]:
        trust.staff(1, person_id=person, ethnic_category="A", pay_band="2", primary_assignment=False, fte=0.2)
    # bank-only staff are excluded entirely
    trust.staff(25, ethnic_category="N", assignment_category="bank")
    # a substantive person who also works bank shifts is counted once, by their substantive post
    trust.staff(1, person_id=bme[0], ethnic_category="N", assignment_category="bank", pay_band="3")
    result = parity.wres(trust.connect(), year=2025)["wres.1"]
    assert result.groups["White"].numerator == 30
    assert result.groups["BME"].numerator == 10
    assert result.groups["White"].denominator == 40
    bands = {(r["band"], r["clinical"]): r for r in result.rows}
    assert ("2", True) not in bands and ("3", True) not in bands
    assert bands[("5", True)]["groups"]["White"]["count"] == 30
    assert bands[("6", True)]["groups"]["BME"]["percent"] == pytest.approx(100.0)
    assert result.value == pytest.approx(25.0)  # BME share of the overall workforce


def test_clinical_and_non_clinical_rows_and_medical_grade_groups(trust):
    trust.staff(6, ethnic_category="A", pay_band="5", staff_group="08", clinical=False)
    trust.staff(2, ethnic_category="H", pay_band="5", staff_group="08", clinical=False)
    trust.staff(3, ethnic_category="H", pay_band="5", staff_group="03", clinical=True)
    trust.staff(4, ethnic_category="H", pay_band="consultant", staff_group="01", clinical=True)
    trust.staff(1, ethnic_category="", pay_band="consultant", staff_group="01", clinical=True)
    rows = parity.wres(trust.connect(), year=2025)["wres.1"].rows
    keys = [(r["band"], r["clinical"]) for r in rows]
    assert keys == [("5", False), ("5", True), ("consultant", True)]
    non_clinical = rows[0]
    assert non_clinical["total"] == 8
    assert non_clinical["groups"]["BME"]["percent"] == pytest.approx(25.0)
    consultants = rows[2]
    assert consultants["groups"]["Unknown"]["count"] == 1
    assert consultants["groups"]["BME"]["percent"] == pytest.approx(80.0)


def test_only_31_march_snapshots_count(trust):
    trust.staff(5, ethnic_category="A")
    trust.staff(7, ethnic_category="A", snapshot_date=date(2025, 4, 1))
    trust.staff(9, ethnic_category="A", snapshot_date=date(2024, 3, 31))
    res = parity.wres(trust.connect(), year=2025)["wres.1"]
    assert res.groups["White"].numerator == 5


def test_zero_events_give_undefined_value_not_infinity(trust):
    trust.staff(200, ethnic_category="A")
    bme = trust.staff(50, ethnic_category="N")
    trust.add("disciplinary", person_id=bme[0])
    result = parity.wres(trust.connect(), year=2025, config=SINGLE)["wres.3"]
    assert result.value is None
    assert "no events" in result.undefined_reason.lower() or "undefined" in result.undefined_reason.lower()
    d = result.to_dict()
    assert d["value"] is None and d["assessment"] == "inconclusive"
    assert d["ci_low"] is not None and d["ci_high"] is not None  # continuity-corrected interval
    assert not re.search(r"\binf\b|\bnan\b", result.narrative.lower())  # no infinity printed as a number
    assert "cannot be calculated" in result.narrative


def test_organisation_with_no_bme_staff(trust):
    trust.staff(80, ethnic_category="A")
    trust.add("training", 40, person_id="someone-not-in-post")  # not staff in post: never counted
    result = parity.wres(trust.connect(), year=2025)
    assert result["wres.1"].groups["BME"].numerator == 0
    assert result["wres.1"].value == 0.0
    assert result["wres.4"].value is None
    assert result["wres.9"].value is not None or result["wres.9"].breakdowns[1]["members"] == 0
    result.to_json()  # serialisable, nothing infinite


def test_training_counts_people_in_post_once(trust):
    white = trust.staff(100, ethnic_category="A")
    bme = trust.staff(100, ethnic_category="N")
    for person in white[:60]:
        trust.add("training", 2, person_id=person)  # two courses: one person
    for person in bme[:40]:
        trust.add("training", person_id=person)
    trust.add("training", person_id=bme[50], non_mandatory=False)  # mandatory never counts
    trust.add("training", person_id=bme[51], course_date=date(2025, 4, 1))  # next year
    result = parity.wres(trust.connect(), year=2025)["wres.4"]
    assert result.value == pytest.approx(0.6 / 0.4)
    assert result.groups["BME"].numerator == 40


def test_two_year_rolling_disciplinary(trust):
    for year, (bme_cases, white_cases) in ((2024, (3, 2)), (2025, (5, 4))):
        snap = date(year, 3, 31)
        bme = trust.staff(100, ethnic_category="N", snapshot_date=snap, person_id=None)
        white = trust.staff(300, ethnic_category="A", snapshot_date=snap, person_id=None)
        for p in bme[:bme_cases]:
            trust.add("disciplinary", person_id=p, case_start_date=date(year, 1, 10))
        for p in white[:white_cases]:
            trust.add("disciplinary", person_id=p, case_start_date=date(year, 1, 10))
    con = trust.connect()
    rolling = parity.wres(con, year=2025)["wres.3"]
    assert rolling.period_rule == "two_year_rolling"
    assert rolling.value == pytest.approx((8 / 200) / (6 / 600))
    single = parity.wres(con, year=2025, config=SINGLE)["wres.3"]
    assert single.period_rule == "single_year"
    assert single.value == pytest.approx((5 / 100) / (4 / 300))
    assert single.previous["value"] == pytest.approx((3 / 100) / (2 / 300))
    assert single.change["ratio"] == pytest.approx(single.value / single.previous["value"])


def test_survey_uses_previous_calendar_year(trust):
    trust.staff(10)
    rows = [("wres.5", "White", 400, 100), ("wres.5", "BME", 200, 70)]
    for ind, group, responses, positive in rows:
        trust.add("survey_results", survey_year=2024, indicator=ind, group=group, responses=responses, positive=positive)
    # a 2025 survey must not feed reporting year 2025
    trust.add("survey_results", survey_year=2025, indicator="wres.5", group="BME", responses=10, positive=10)
    result = parity.wres(trust.connect(), year=2025)["wres.5"]
    assert result.survey_year == 2024
    assert result.groups["BME"].percent == pytest.approx(35.0)
    assert result.groups["White"].percent == pytest.approx(25.0)
    assert result.value == pytest.approx(10.0)


def test_survey_from_row_level_responses_with_question_map(trust):
    trust.staff(10)
    answers = [("A", "Never")] * 6 + [("A", "1-2")] * 2 + [("N", "3-5")] * 3 + [("N", "Never")] * 1 + [("N", None)] * 2
    for i, (eth, answer) in enumerate(answers):
        trust.add("survey_responses", response_id=f"R{i}", survey_year=2024, org_code="ORG",
                  ethnic_category=eth, disability="no", sex="female", question="q_harassment_public", answer=answer)
    result = parity.wres(trust.connect(), year=2025)["wres.5"]
    assert (result.groups["White"].numerator, result.groups["White"].denominator) == (2, 8)
    assert (result.groups["BME"].numerator, result.groups["BME"].denominator) == (3, 4)
    assert result.source == "responses"


def test_percent_only_aggregates_become_counts(trust):
    trust.staff(10)
    trust.add("survey_results", survey_year=2024, indicator="wres.7", group="White", responses=200, percent=55.0)
    trust.add("survey_results", survey_year=2024, indicator="wres.7", group="BME", responses=100, percent=41.0)
    result = parity.wres(trust.connect(), year=2025)["wres.7"]
    assert result.groups["White"].numerator == 110 and result.groups["BME"].numerator == 41


def test_per_organisation_and_all_together(trust):
    trust.staff(50, org_code="R1", ethnic_category="A")
    trust.staff(50, org_code="R1", ethnic_category="N")
    trust.staff(90, org_code="R2", ethnic_category="A")
    trust.staff(10, org_code="R2", ethnic_category="N")
    con = trust.connect()
    assert parity.wres(con, year=2025, org="R1")["wres.1"].value == pytest.approx(50.0)
    assert parity.wres(con, year=2025, org="R2")["wres.1"].value == pytest.approx(10.0)
    together = parity.wres(con, year=2025)
    assert together.organisation == "All organisations"
    assert together["wres.1"].value == pytest.approx(30.0)
    every = parity.wres_all(con)
    assert {(r.organisation, r.year) for r in every} == {("R1", 2025), ("R2", 2025), ("All organisations", 2025)}


def test_data_quality_reports_the_unknown_share(trust):
    trust.staff(54, ethnic_category="A")
    trust.staff(3, ethnic_category="Z")
    trust.staff(3, ethnic_category="")
    result = parity.wres(trust.connect(), year=2025)
    for ind in ("wres.1", "wres.9"):
        quality = result[ind].data_quality
        assert (quality["unknown_count"], quality["total"]) == (6, 60)
        assert quality["unknown_percent"] == pytest.approx(10.0)
