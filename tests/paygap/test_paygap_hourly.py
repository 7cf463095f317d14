"""Hourly rate of pay (reg 6)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from parity.paygap import PERIOD_DAYS, compute_hourly_rate


def _row(**values) -> pd.DataFrame:
    base = {"person_id": "a", "ordinary_pay": 2500.0, "pay_period_days": 30.44, "weekly_hours": 37.5}
    return pd.DataFrame([{**base, **values}])


def test_monthly_example_from_the_guidance():
    # 2500 × 7 / 30.44 / 37.5 = 15.3307…
    assert compute_hourly_rate(_row()).iloc[0] == pytest.approx(15.33, abs=0.005)
    assert compute_hourly_rate(_row()).iloc[0] == pytest.approx(2500 * 7 / 30.44 / 37.5, rel=1e-12)


def test_period_days():
    assert PERIOD_DAYS["monthly"] == 30.44
    assert PERIOD_DAYS["weekly"] == 7


def test_supplied_rate_wins_and_blank_supplied_rate_is_computed():
    df = pd.concat([_row(hourly_rate=20.0), _row(person_id="b", hourly_rate=np.nan)], ignore_index=True)
    rates = compute_hourly_rate(df)
    assert rates.iloc[0] == 20.0
    assert rates.iloc[1] == pytest.approx(15.3307, abs=1e-4)


def test_bonus_in_the_pay_period_counts():
    # £100 of bonus paid in a weekly period at 10 hours adds £10 an hour
    rate = compute_hourly_rate(_row(ordinary_pay=200.0, pay_period_days=7.0, weekly_hours=10.0, bonus_in_period=100.0))
    assert rate.iloc[0] == pytest.approx(30.0)


@pytest.mark.parametrize("column, value", [("weekly_hours", 0.0), ("pay_period_days", np.nan), ("ordinary_pay", -1.0)])
def test_bad_inputs_raise(column, value):
    with pytest.raises(ValueError, match="Cannot compute an hourly rate"):
        compute_hourly_rate(_row(**{column: value}))
