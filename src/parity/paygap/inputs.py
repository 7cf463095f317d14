"""The input population: relevant employees (reg 1) and who among them is full-pay (reg 2).

One row per relevant employee — employed on the snapshot date. ``full_pay`` is False for anyone
paid at a reduced rate or nothing in the pay period because of leave; they stay in the bonus
measures (reg 8–9 count all relevant employees) but leave the hourly measures and quarters
(regs 8(1)(a)–(b), 10).
"""

from __future__ import annotations

import pandas as pd

from parity.paygap.hourly import compute_hourly_rate

REQUIRED = ("person_id", "ordinary_pay", "pay_period_days", "weekly_hours", "bonus_12m", "full_pay")

MISSING_COLUMNS = "Pay gap input lacks column(s): {cols}"
DUPLICATE_PEOPLE = "Pay gap input has {n} duplicated person_id value(s): one row per relevant employee"
BAD_FULL_PAY = "full_pay must be True or False for every row ({n} row(s) missing or not boolean)"
BAD_BONUS = "bonus_12m must be present and >= 0 for every row ({n} row(s) are not)"


def prepare(df: pd.DataFrame, attribute: str) -> pd.DataFrame:
    """A checked working frame: ``person_id``, ``full_pay``, ``bonus``, ``hourly`` and ``attr``.

    ``hourly`` is the reg 6 hourly rate for full-pay employees and NaN for the others (their rate
    is never needed, so their hours may be blank). Raises ValueError on a missing column, duplicated
    people, a missing or non-boolean ``full_pay`` or a missing or negative bonus.
    """
    missing = [c for c in (*REQUIRED, attribute) if c not in df]
    if missing:
        raise ValueError(MISSING_COLUMNS.format(cols=", ".join(missing)))
    dup = df["person_id"].duplicated()
    if dup.any():
        raise ValueError(DUPLICATE_PEOPLE.format(n=int(dup.sum())))
    full = df["full_pay"]
    # infer_dtype rejects 1/0 and "yes": booleans must already be parsed (parity.ingest does it)
    if full.isna().any() or pd.api.types.infer_dtype(full, skipna=True) not in ("boolean", "empty"):
        raise ValueError(BAD_FULL_PAY.format(n=int(full.isna().sum()) or len(full)))
    full = full.astype(bool)
    bonus = pd.to_numeric(df["bonus_12m"]).astype("float64")
    if not (bonus >= 0).all():
        raise ValueError(BAD_BONUS.format(n=int((~(bonus >= 0)).sum())))
    hourly = pd.Series(float("nan"), index=df.index, dtype="float64")
    hourly[full] = compute_hourly_rate(df.loc[full])
    return pd.DataFrame(
        {
            "person_id": df["person_id"],
            "full_pay": full,
            "bonus": bonus,
            "hourly": hourly,
            "attr": df[attribute],
        },
        index=df.index,
    )
