"""Shared test data for the pay gap tests: the government's Acme Ltd worked example, constructed
row by row, and a small frame builder. Expected figures come from the guidance (see
docs/pay-gaps.md), never from the code under test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


def frame(rates, sexes, *, full_pay=None, bonus=None, hours=None, **extra) -> pd.DataFrame:
    """Rows from hourly rates: weekly pay period (7 days), so ordinary_pay = rate × hours."""
    n = len(rates)
    hours = np.full(n, 37.5) if hours is None else np.asarray(hours, dtype=float)
    data = {
        "person_id": [f"p{i}" for i in range(n)],
        "ordinary_pay": np.asarray(rates, dtype=float) * hours,
        "pay_period_days": 7.0,
        "weekly_hours": hours,
        "bonus_12m": np.zeros(n) if bonus is None else np.asarray(bonus, dtype=float),
        "full_pay": np.ones(n, dtype=bool) if full_pay is None else np.asarray(full_pay, dtype=bool),
        "sex": list(sexes),
    }
    data.update(extra)
    return pd.DataFrame(data)


# Acme Ltd ranking: (men, women) in each stretch of the ranking, lowest paid first. The 40-person tie
# (4 men, 36 women) occupies positions 1,102–1,141: 10 seats in the lower quarter (1,112 people) and
# 30 in the lower-middle. Outside the tie: lower 187 − 1 men, 925 − 9 women; lower-middle 110 − 3,
# 1,001 − 27; upper-middle 298, 813; top 750, 361.
ACME_STRETCHES = [(186, 916), (4, 36), (107, 974), (298, 813), (750, 361)]
TIE_START, TIE_SIZE = 1102, 40


def acme_rows() -> pd.DataFrame:
    """Construction A: quarters, the tie, mean hourly pay and all bonus figures at once.

    The median hourly figures cannot join them (proof in test_acme.py), so they have their own
    construction (`acme_median_rows`).
    """
    sexes = []
    for men, women in ACME_STRETCHES:
        sexes += ["male"] * men + ["female"] * women  # tied men first: a naive cut would take all 4
    sexes = np.array(sexes)
    position = np.arange(len(sexes), dtype=float)
    position[TIE_START:TIE_START + TIE_SIZE] = TIE_START  # one rate for the whole tie
    # rate = a + b × position; solve a, b so men's rates total £23,550 and women's £46,900
    male = sexes == "male"
    lhs = np.array([[male.sum(), position[male].sum()], [(~male).sum(), position[~male].sum()]])
    a, b = np.linalg.solve(lhs, [23_550.0, 46_900.0])
    assert b > 0 and a > 0, "construction must give positive rates rising with rank"
    rates = a + b * position
    full = frame(rates, sexes)
    # 55 more relevant employees on reduced pay for leave (paid nothing this period): 30 men, 25 women
    reduced = frame(np.zeros(55), ["male"] * 30 + ["female"] * 25, full_pay=np.zeros(55, bool))
    df = pd.concat([full, reduced], ignore_index=True)
    df["person_id"] = [f"acme{i}" for i in range(len(df))]
    men = np.flatnonzero(df["sex"] == "male")[::-1]  # reduced-pay men first: they get bonuses too
    women = np.flatnonzero(df["sex"] == "female")[::-1]
    men_bonus = [998.0] * 647 + [997.0] * 2 + [2300.0] * 651  # 1,300: mean 1,650, median 2,300
    women_bonus = [2250.0] * 1000 + [2200.0] + [729.0] * 528 + [728.0] * 471  # 2,000: 1,490, 2,225
    bonus = np.zeros(len(df))
    bonus[men[: len(men_bonus)]] = men_bonus
    bonus[women[: len(women_bonus)]] = women_bonus
    df["bonus_12m"] = bonus
    return df


def acme_median_rows() -> pd.DataFrame:
    """Construction B: mean and median hourly pay (supplied as hourly_rate).

    Men: 672 at £12, the 673rd at £15, 657 at £23, 15 at £24 → total £23,550, median £15.
    Women: 1,550 at £13, 1 at £15, 1,147 at £17, 402 at £18 → total £46,900, median (13+15)/2.
    """
    men = [12.0] * 672 + [15.0] + [23.0] * 657 + [24.0] * 15
    women = [13.0] * 1550 + [15.0] + [17.0] * 1147 + [18.0] * 402
    df = frame(men + women, ["male"] * 1345 + ["female"] * 3100)
    df["hourly_rate"] = men + women
    df["ordinary_pay"] = 1.0  # ignored: the supplied hourly rate wins
    return df


@pytest.fixture(scope="session")
def make_frame():
    """`frame(rates, sexes, *, full_pay, bonus, hours, **extra_columns)`."""
    return frame


@pytest.fixture(scope="session")
def acme() -> pd.DataFrame:
    return acme_rows()


@pytest.fixture(scope="session")
def acme_medians() -> pd.DataFrame:
    return acme_median_rows()
