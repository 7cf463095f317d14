"""Progression and retention across hand-built 31 March snapshots."""

from __future__ import annotations

from datetime import date

import pytest

from parity.explore import progression, retention

Y0, Y1 = date(2024, 3, 31), date(2025, 3, 31)


def _moves(trust, eth: str, start: str, end: str | None, count: int, *, org_end: str = "ORG", **kw) -> None:
    for pid in trust.staff(count, ethnic_category=eth, pay_band=start, snapshot_date=Y0, **kw):
        if end is not None:
            trust.staff(1, person_id=pid, ethnic_category=eth, pay_band=end, snapshot_date=Y1, org_code=org_end, **kw)


@pytest.fixture
def moving_trust(trust):
    _moves(trust, "A", "5", "5", 30)
    _moves(trust, "A", "5", "6", 10)          # White: 10 of 40 promoted from band 5
    _moves(trust, "A", "6", "6", 10)
    _moves(trust, "N", "5", "5", 36)
    _moves(trust, "N", "5", "6", 4)           # Black: 4 of 40 promoted from band 5
    _moves(trust, "N", "6", "6", 8)
    _moves(trust, "N", "6", "5", 2)           # demoted: not progression
    _moves(trust, "A", "5", None, 5)          # leavers: out
    trust.staff(5, ethnic_category="N", pay_band="7", snapshot_date=Y1)  # joiners: out
    _moves(trust, "N", "5", "6", 3, org_end="ORG2")  # changed organisation: out
    return trust


def test_promotion_by_starting_band(moving_trust):
    f = progression(moving_trust.connect(), year=2025, by=("ethnicity",), min_cell=5).frame
    black = f[f["ethnicity"] == "Black"].set_index("start_band")
    assert (black.loc["5", "events"], black.loc["5", "n"]) == (4, 40)
    assert (black.loc["5", "ref_events"], black.loc["5", "ref_n"]) == (10, 40)
    assert black.loc["5", "rl"] == pytest.approx(0.25 / 0.10)
    assert (black.loc["6", "events"], black.loc["6", "n"], black.loc["6", "demoted"]) == (0, 10, 2)
    assert (black.loc["All", "events"], black.loc["All", "n"]) == (4, 50)
    assert (black.loc["All", "ref_events"], black.loc["All", "ref_n"]) == (10, 50)


def test_medical_ladder(trust):
    _moves(trust, "A", "trainee", "consultant", 1, staff_group="01")
    _moves(trust, "A", "7", "consultant", 1)  # between ladders: not comparable, out
    f = progression(trust.connect(), year=2025, by=("ethnicity",), min_cell=1).frame
    white = f[f["ethnicity"] == "White"].set_index("start_band")
    assert (white.loc["All", "events"], white.loc["All", "n"]) == (1, 1)


def test_retention_rates_and_reasons(trust):
    white = trust.staff(100, ethnic_category="A", snapshot_date=Y0)
    black = trust.staff(50, ethnic_category="N", snapshot_date=Y0)
    for pid in white[:4]:
        trust.add("leavers", person_id=pid, leave_date=date(2024, 9, 1), reason="Retirement")
    for pid in white[4:10]:
        trust.add("leavers", person_id=pid, leave_date=date(2024, 9, 1), reason="Voluntary Resignation")
    for pid in black[:10]:
        trust.add("leavers", person_id=pid, leave_date=date(2024, 9, 1))
    trust.add("leavers", person_id="JOINED-AND-LEFT", leave_date=date(2024, 9, 1))
    trust.add("leavers", person_id=white[20], leave_date=date(2025, 6, 1))  # next year's leaver
    result = retention(trust.connect(), year=2025, by=("ethnicity",), min_cell=5)
    row = result.frame[result.frame["ethnicity"] == "Black"].iloc[0]
    assert (row["events"], row["n"], row["ref_events"], row["ref_n"]) == (10, 50, 10, 100)
    assert row["rl"] == pytest.approx(2.0)
    assert row["orientation"].startswith("cell rate ÷ reference rate")
    reasons = result.tables["reasons"].set_index(["ethnicity", "reason"])["leavers"]
    assert reasons[("White", "Retirement")] == 4 and reasons[("Black", "Not given")] == 10
