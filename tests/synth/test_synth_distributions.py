"""Realistic defaults: the generated trust looks like a large acute trust."""

from __future__ import annotations

import pandas as pd
import pytest
from synth_helpers import group, headcount

from parity.synth import build


@pytest.fixture(scope="module")
def trust() -> dict[str, pd.DataFrame]:
    return build()  # defaults: 7,000 staff, 5 years, one organisation


@pytest.fixture(scope="module")
def people(trust) -> pd.DataFrame:
    w = trust["workforce"]
    return w[w.primary_assignment]


def test_snapshots_and_size(people):
    per_year = people.groupby("snapshot_date").size()
    assert list(per_year.index.year) == [2021, 2022, 2023, 2024, 2025]
    assert per_year.between(6800, 7300).all()


def test_group_shares(people):
    last = people[people.snapshot_date == people.snapshot_date.max()]
    g = group(last.ethnic_category)
    assert 0.20 <= (g == "BME").mean() <= 0.30
    assert 0.05 <= (g == "Unknown").mean() <= 0.11
    assert {"Z", "99"} <= set(last.ethnic_category.dropna()) and last.ethnic_category.isna().any()
    assert 0.72 <= (last.sex == "female").mean() <= 0.82
    assert 0.03 <= (last.disability == "yes").mean() <= 0.06
    assert 0.05 <= (last.disability == "unknown").mean() <= 0.11


def test_staff_groups_and_bands(people):
    last = people[people.snapshot_date == people.snapshot_date.max()]
    sg = last.staff_group.value_counts(normalize=True)
    assert 0.26 <= sg["03"] <= 0.34 and 0.20 <= sg["08"] <= 0.30 and 0.09 <= sg["01"] <= 0.15
    doctors = last[last.staff_group == "01"]
    assert set(doctors.pay_band) <= {"consultant", "career_grade", "trainee", "medical_other", "VSM"}
    nurses = last[last.staff_group == "03"].pay_band.value_counts()
    assert set(nurses.index[:2]) == {"5", "6"}
    senior = group(last[last.pay_band.isin(["8a", "8b", "8c", "8d", "9", "VSM"])].ethnic_category)
    assert (senior == "BME").mean() < (group(last.ethnic_category) == "BME").mean()


def test_board_and_assignments(trust, people):
    w = trust["workforce"]
    last = w[w.snapshot_date == w.snapshot_date.max()]
    board = last[last.board_member]
    assert 14 <= len(board) <= 16 and set(board.board_role) == {"executive", "non_executive"}
    assert (board.pay_band == "VSM").all() and board.board_voting.notna().all()
    assert (board[board.board_role == "non_executive"].staff_group == "10").all()
    second = last[~last.primary_assignment]
    assert 0.01 <= len(second) / len(last) <= 0.06 and second.person_id.isin(last.person_id[last.primary_assignment]).all()
    assert (last.assignment_category == "bank").any() and (w.fte > 0).all()


def test_event_rates(trust, people):
    hc = headcount(trust["workforce"])
    years = hc.snapshot_date.dt.year
    d = trust["disciplinary"]
    formal = d[d.formal]
    assert 0.005 <= len(formal) / len(hc) <= 0.015 and (~d.formal).any()
    cap = trust["capability"]
    assert 0.002 <= cap.formal.sum() / len(hc) <= 0.01 and cap.ill_health.any()
    apps = trust["applications"]
    per_year = apps.groupby(apps.application_date.dt.year.where(apps.application_date.dt.month > 3,
                                                                apps.application_date.dt.year - 1)).size()
    assert per_year.between(15000 * 0.75, 15000 * 1.25).all()
    assert 0.25 <= apps.shortlisted.mean() <= 0.35
    assert 0.20 <= apps.appointed.sum() / apps.shortlisted.sum() <= 0.30
    assert apps.offer_declined.any() and (apps.appointed <= apps.offered).all() and (apps.offered <= apps.interviewed).all()
    internal = apps[apps.internal]
    assert internal.applicant_id.isin(trust["workforce"].person_id).all()
    t = trust["training"]
    nm = t[t.non_mandatory]
    share = nm.groupby(nm.course_date.dt.year).person_id.nunique().mean() / hc.groupby(years).size().mean()
    assert 0.40 <= share <= 0.60 and (~t.non_mandatory).any()
    leavers = trust["leavers"]
    assert 0.07 <= len(leavers) / len(people) <= 0.13 and leavers.reason.notna().all()


def test_survey_and_pay(trust, people):
    s = trust["survey_responses"]
    assert sorted(s.survey_year.unique()) == [2020, 2021, 2022, 2023, 2024]
    assert 0.20 <= (s.disability == "yes").mean() <= 0.24
    assert 0.40 <= len(s) / len(headcount(trust["workforce"])) <= 0.50
    assert set(s.q_harassment_public.dropna()) == {"Never", "1-2", "3-5", "6-10", "More than 10"}
    pay = trust["pay"]
    assert sorted(pay.snapshot_date.dt.year.unique()) == [2023, 2024, 2025]
    assert (pay.pay_period_days == 30.44).all() and "hourly_rate" not in pay
    assert 0.01 <= (~pay.full_pay).mean() <= 0.06
    w = trust["workforce"]
    consultants = w[(w.pay_band == "consultant") & w.primary_assignment]
    merged = pay.merge(consultants[["person_id", "snapshot_date"]], on=["person_id", "snapshot_date"])
    assert 0.30 <= (merged.bonus_12m > 0).mean() <= 0.40
    assert (pay.bonus_12m > 0).sum() == (merged.bonus_12m > 0).sum()
