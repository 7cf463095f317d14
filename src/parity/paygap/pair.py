"""Assemble one checked `PayGapResult`: a reference group against a comparison group.

Shared by the gender, ethnicity and disability pay gaps, which differ only in who is in which
group (see `parity.paygap.groups`). Populations follow regs 8–13: hourly measures and quarters
over full-pay relevant employees, bonus measures over all relevant employees.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from parity.paygap.checks import check_result
from parity.paygap.measures import bonus_measures, hourly_measures
from parity.paygap.quarters import assign_quarters, quarter_table
from parity.paygap.results import PayGapResult
from parity.paygap.rounding import percent, round1

GAPS = ("mean_hourly_gap", "median_hourly_gap", "mean_bonus_gap", "median_bonus_gap")


def quarters_for(frame: pd.DataFrame, labels: pd.Series, groups: list[str]) -> list[dict]:
    """Quarters (reg 13) of the full-pay employees whose label is one of `groups`."""
    keep = frame["full_pay"] & labels.isin(groups)
    codes = pd.Categorical(labels[keep], categories=groups).codes.astype(int)
    quarter = assign_quarters(frame.loc[keep, "hourly"].to_numpy(), codes, len(groups))
    return quarter_table(quarter, codes, groups)


def build_result(
    frame: pd.DataFrame,
    labels: pd.Series,
    *,
    attribute: str,
    reference: str,
    comparison: str,
    quarters: list[dict] | None = None,
    notes: tuple[str, ...] = (),
    not_disclosed_percent: float | None = None,
    excluded: dict[str, int] | None = None,
    snapshot_date: object = None,
) -> PayGapResult:
    """The six measures for `comparison` against `reference`, rounded and checked.

    `frame` comes from `parity.paygap.inputs.prepare`; `labels` gives each row's group. `quarters`
    defaults to the two groups' own quarters; pass a table over more groups to share it.
    """
    full = frame["full_pay"]
    recipient = frame["bonus"] > 0
    counts, bonus_percent, hourly, bonus = {}, {}, [], []
    for group in (reference, comparison):
        member = labels == group
        counts[group] = {
            "relevant": int(member.sum()),
            "full_pay": int((member & full).sum()),
            "bonus_recipients": int((member & recipient).sum()),
        }
        bonus_percent[group] = percent(counts[group]["bonus_recipients"], counts[group]["relevant"])
        hourly.append(frame.loc[member & full, "hourly"].to_numpy())
        bonus.append(frame.loc[member, "bonus"].to_numpy())
    raw = {**hourly_measures(*hourly), **bonus_measures(*bonus)}
    if quarters is None:
        quarters = quarters_for(frame, labels, [reference, comparison])
    result = PayGapResult(
        attribute=attribute,
        reference_group=reference,
        comparison_group=comparison,
        counts=counts,
        **{name: round1(raw[name]) for name in GAPS},
        bonus_percent=bonus_percent,
        quarters=quarters,
        notes=tuple(notes),
        not_disclosed_percent=not_disclosed_percent,
        excluded=dict(excluded or {}),
        snapshot_date=_iso(snapshot_date),
        unrounded=raw,
    )
    return check_result(result)


def withheld_result(
    *, attribute: str, reference: str, comparison: str, notes: tuple[str, ...],
    not_disclosed_percent: float | None = None, excluded: dict[str, int] | None = None,
    snapshot_date: object = None,
) -> PayGapResult:
    """A comparison that is not published; `notes` must say why. No counts (they may identify)."""
    return PayGapResult(
        attribute=attribute, reference_group=reference, comparison_group=comparison, counts={},
        mean_hourly_gap=None, median_hourly_gap=None, mean_bonus_gap=None, median_bonus_gap=None,
        bonus_percent={}, quarters=[], notes=tuple(notes), withheld=True,
        not_disclosed_percent=not_disclosed_percent, excluded=dict(excluded or {}),
        snapshot_date=_iso(snapshot_date),
    )


def not_disclosed(labels: pd.Series, unknown: str) -> float | None:
    """% of relevant employees whose attribute is not known (one decimal place)."""
    return percent(int((labels == unknown).sum()), len(labels))


def _iso(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date | pd.Timestamp | np.datetime64):
        return pd.Timestamp(value).date().isoformat()
    return str(value)
