"""Hourly rate of pay — Gender Pay Gap Information Regulations 2017, reg 6 (applied to public
authorities by the Specific Duties Regulations 2017, Schedule 1).

Hourly rate = (ordinary pay + the share of any bonus pay that falls in the pay period)
× (7 / days in the pay period) ÷ weekly working hours (excluding overtime).

Day counts are supplied per person in ``pay_period_days``; the usual values are in `PERIOD_DAYS`
(monthly 30.44 = 365.25 / 12, the figure used in the government's worked examples). Example:
£2,500 a month at 37.5 hours → 2500 × 7 / 30.44 / 37.5 = £15.33.
"""

from __future__ import annotations

import pandas as pd

#: Days in common pay periods (365.25-day year: monthly 30.44, quarterly 121.76 rounded to 2 dp).
PERIOD_DAYS: dict[str, float] = {
    "weekly": 7.0,
    "fortnightly": 14.0,
    "four_weekly": 28.0,
    "monthly": 30.44,
    "quarterly": 121.76,
    "annual": 365.25,
}

INVALID_HOURLY_INPUTS = (
    "Cannot compute an hourly rate for {n} row(s) with no hourly_rate supplied: ordinary_pay must be "
    "present and >= 0, pay_period_days and weekly_hours present and > 0 (first person_id: {first})"
)


def compute_hourly_rate(df: pd.DataFrame) -> pd.Series:
    """Hourly rate of pay for every row of `df` (a float Series on `df`'s index, named ``hourly_rate``).

    A non-null ``hourly_rate`` column value is used as supplied (ESR already offers one); otherwise
    the rate is computed from ``ordinary_pay``, ``pay_period_days`` and ``weekly_hours``, adding
    ``bonus_in_period`` (the bonus falling in the pay period, reg 6(1)(b)) when that column exists.
    Raises ValueError when a rate must be computed and its inputs are missing or not positive.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"person_id": ["a"], "ordinary_pay": [2500.0],
    ...                    "pay_period_days": [30.44], "weekly_hours": [37.5]})
    >>> round(float(compute_hourly_rate(df).iloc[0]), 2)
    15.33
    """
    supplied = _column(df, "hourly_rate")
    need = supplied.isna()
    pay = _column(df, "ordinary_pay")
    bonus = _column(df, "bonus_in_period").fillna(0.0)
    days = _column(df, "pay_period_days")
    hours = _column(df, "weekly_hours")
    bad = need & ~((pay >= 0) & (bonus >= 0) & (days > 0) & (hours > 0))  # NaN compares False
    if bad.any():
        ids = df["person_id"] if "person_id" in df else pd.Series(df.index, index=df.index)
        raise ValueError(INVALID_HOURLY_INPUTS.format(n=int(bad.sum()), first=ids[bad].iloc[0]))
    computed = (pay + bonus) * 7.0 / days / hours
    return supplied.where(~need, computed).rename("hourly_rate")


def _column(df: pd.DataFrame, name: str) -> pd.Series:
    """`df[name]` as float64 (missing → NaN), or an all-NaN Series when the column is absent."""
    if name not in df:
        return pd.Series(float("nan"), index=df.index, dtype="float64")
    return pd.to_numeric(df[name], errors="raise").astype("float64")
