"""Injected biases are recovered from raw counts (within 3 standard errors on the log scale),
and with no bias every ratio is near 1."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from synth_helpers import group, headcount, rl_within

from parity.synth import build
from parity.synth.config import BAND_SHARES, BANDS

SIZE = {"staff": 20000, "years": 3, "seed": 7}


def _appointment_rl(t, column_fn, a, b):
    short = t["applications"][t["applications"].shortlisted]
    g = column_fn(short)
    sa, sb = short[g == a], short[g == b]
    return sa.appointed.sum(), len(sa), sb.appointed.sum(), len(sb)


def _case_rl(t, table, a, b, key):
    """Formal cases per person-year at risk, group a over group b; `key` labels people."""
    hc = headcount(t["workforce"])
    hc = hc.assign(fy=hc.snapshot_date.dt.year)
    cases = t[table][t[table].formal]
    cases = cases.assign(fy=cases.case_start_date.dt.year + (cases.case_start_date.dt.month > 3))
    cases = cases.merge(hc[["person_id", "fy"]].assign(g=key(hc)), on=["person_id", "fy"])
    g = key(hc)
    return (cases.g == a).sum(), (g == a).sum(), (cases.g == b).sum(), (g == b).sum()


def _training_rl(t, a, b):
    hc = headcount(t["workforce"])
    hc = hc.assign(fy=hc.snapshot_date.dt.year, g=group(hc.ethnic_category))
    tr = t["training"][t["training"].non_mandatory]
    tr = tr.assign(fy=tr.course_date.dt.year + (tr.course_date.dt.month > 3))[["person_id", "fy"]].drop_duplicates()
    m = tr.merge(hc[["person_id", "fy", "g"]], on=["person_id", "fy"])
    return (m.g == a).sum(), (hc.g == a).sum(), (m.g == b).sum(), (hc.g == b).sum()


def _progression_rl(t, a, b):
    w = t["workforce"]
    w = w[w.primary_assignment & w.pay_band.isin(BANDS[:12])]
    top = {sg: max(BANDS.index(x) for x in shares) for sg, shares in BAND_SHARES.items()}
    w = w.assign(order=w.pay_band.map(BANDS.index), fy=w.snapshot_date.dt.year)
    prev = w.assign(fy=w.fy + 1)
    m = prev.merge(w[["person_id", "fy", "order"]], on=["person_id", "fy"], suffixes=("", "_next"))
    m = m[(m.order < m.staff_group.map(top)) & (m.staff_group != "02")]
    g = group(m.ethnic_category)
    up = m.order_next > m.order
    return (up & (g == a)).sum(), (g == a).sum(), (up & (g == b)).sum(), (g == b).sum()


def _black_women(df):
    return np.where(df.ethnic_category.isin(["M", "N", "P"]) & (df.sex == "female"), "in", "out")


def _disability(df):
    return df.disability.map({"yes": "Disabled", "no": "Non-disabled"})


CASES = {
    "appointment": (1.6, lambda t: _appointment_rl(t, lambda d: group(d.ethnic_category), "White", "BME")),
    "appointment_disability": (1.5, lambda t: _appointment_rl(t, _disability, "Non-disabled", "Disabled")),
    "disciplinary": (2.0, lambda t: _case_rl(t, "disciplinary", "BME", "White", lambda d: group(d.ethnic_category))),
    "capability": (2.5, lambda t: _case_rl(t, "capability", "Disabled", "Non-disabled", _disability)),
    "training": (1.5, lambda t: _training_rl(t, "White", "BME")),
    "progression": (1.5, lambda t: _progression_rl(t, "White", "BME")),
    "intersection": (3.0, lambda t: _case_rl(t, "disciplinary", "in", "out", _black_women)),
}


@pytest.fixture(scope="module")
def neutral() -> dict[str, pd.DataFrame]:
    return build(**SIZE)


@pytest.mark.parametrize("name", list(CASES))
def test_bias_recovered(name):
    value, counts = CASES[name]
    t = build(**SIZE, bias={name: value})
    rl, z = rl_within(*counts(t), expected=value)
    assert z < 3, f"{name}: injected {value}, observed {rl:.3f} ({z:.1f} SE away)"
    rl1, z1 = rl_within(*counts(t), expected=1.0)
    assert z1 > 3, f"{name}: {rl1:.3f} is not distinguishable from 1"


@pytest.mark.parametrize("name", list(CASES))
def test_no_bias_means_parity(name, neutral):
    rl, z = rl_within(*CASES[name][1](neutral), expected=1.0)
    assert z < 3.5, f"{name}: no bias injected but RL = {rl:.3f} ({z:.1f} SE from 1)"


def _within_band_gap(pay: pd.DataFrame, wf: pd.DataFrame, column: str, a: str, b: str) -> float:
    p = pay[pay.full_pay].merge(wf[wf.primary_assignment][["person_id", "snapshot_date", "pay_band"]],
                                on=["person_id", "snapshot_date"])
    p = p.assign(hourly=p.ordinary_pay * 7 / p.pay_period_days / p.weekly_hours,
                 g=group(p.ethnic_category) if column == "ethnicity" else p.sex)
    means = p.groupby(["pay_band", "g"]).hourly.mean().unstack()
    gaps = 1 - means[b] / means[a]
    weights = p[p.g == b].groupby("pay_band").size()
    return float((gaps * weights).sum() / weights.sum())


@pytest.mark.parametrize(("name", "column", "a", "b"), [("pay_gap_sex", "sex", "male", "female"),
                                                      ("pay_gap_ethnicity", "ethnicity", "White", "BME")])
def test_pay_gap_within_band(name, column, a, b, neutral):
    t = build(**SIZE, bias={name: 0.1})
    assert _within_band_gap(t["pay"], t["workforce"], column, a, b) == pytest.approx(0.1, abs=0.015)
    assert _within_band_gap(neutral["pay"], neutral["workforce"], column, a, b) == pytest.approx(0.0, abs=0.015)
