"""The worked examples of shared/domain/wres.md, reproduced through real tables."""

from datetime import date

import pytest

import parity
from parity import WresConfig


def test_indicator_2_rl_3_2_from_46_99_vs_14_65(trust):
    # White 4,699 of 10,000 shortlisted appointed (46.99%), BME 1,465 of 10,000 (14.65%)
    trust.add("applications", 4699, ethnic_category="A", appointed=True)
    trust.add("applications", 10000 - 4699, ethnic_category="A")
    trust.add("applications", 1465, ethnic_category="N", appointed=True)
    trust.add("applications", 10000 - 1465, ethnic_category="H")
    # left out of the ratio: unknown ethnicity, declined offers, not shortlisted
    trust.add("applications", 50, ethnic_category="Z", appointed=True)
    trust.add("applications", 30, ethnic_category="A", appointed=True, offer_declined=True)
    trust.add("applications", 500, ethnic_category="N", shortlisted=False)
    trust.staff(20)
    result = parity.wres(trust.connect(), year=2025)["wres.2"]
    assert result.value == pytest.approx(0.4699 / 0.1465, rel=1e-12)
    assert round(result.value, 1) == 3.2
    assert result.groups["White"].numerator == 4699 and result.groups["White"].denominator == 10000
    assert result.groups["BME"].numerator == 1465 and result.groups["BME"].denominator == 10000
    assert result.groups["Unknown"].denominator == 50
    assert result.assessment == "adverse" and result.within_non_adverse_range is False
    assert "3.21 times as likely" in result.narrative


def test_indicator_3_rl_1_71_from_1_2_vs_0_7_percent(trust):
    bme = trust.staff(1000, ethnic_category="M")
    white = trust.staff(1000, ethnic_category="B")
    for person in bme[:12]:
        trust.add("disciplinary", person_id=person)
    for person in white[:7]:
        trust.add("disciplinary", person_id=person)
    # informal cases never count
    trust.add("disciplinary", person_id=white[100], formal=False)
    config = WresConfig(disciplinary_period="single_year")
    result = parity.wres(trust.connect(), year=2025, config=config)["wres.3"]
    assert result.value == pytest.approx((12 / 1000) / (7 / 1000))
    assert f"{result.value:.2f}" == "1.71"
    assert result.period_rule == "single_year"


def test_indicator_9_minus_4_points_from_17_vs_21_percent(trust):
    # board: 17 of 100 voting members BME; workforce: 210 of 1,000 BME
    trust.staff(17, ethnic_category="H", board_member=True, board_voting=True, board_role="executive", pay_band="VSM")
    trust.staff(83, ethnic_category="A", board_member=True, board_voting=True, board_role="non_executive", pay_band="VSM")
    trust.staff(210 - 17, ethnic_category="H")
    trust.staff(1000 - 100 - (210 - 17), ethnic_category="A")
    result = parity.wres(trust.connect(), year=2025)["wres.9"]
    assert result.value == pytest.approx(17.0 - 21.0)
    voting = next(b for b in result.breakdowns if b["breakdown"] == "voting")
    assert voting["members"] == 100
    assert "-4.0 percentage points" in result.narrative


def test_financial_year_boundaries(trust):
    trust.staff(10)
    # 31 March 2025 belongs to reporting year 2025; 1 April 2025 to 2026; 1 April 2024 to 2025
    trust.add("applications", 3, ethnic_category="A", application_date=date(2025, 3, 31), appointed=True)
    trust.add("applications", 5, ethnic_category="A", application_date=date(2025, 4, 1), appointed=True)
    trust.add("applications", 7, ethnic_category="A", application_date=date(2024, 4, 1))
    trust.add("applications", 11, ethnic_category="A", application_date=date(2024, 3, 31))
    result = parity.wres(trust.connect(), year=2025)["wres.2"]
    assert result.groups["White"].denominator == 3 + 7
    assert result.groups["White"].numerator == 3
