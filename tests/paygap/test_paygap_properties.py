"""Hypothesis properties of the quarters, the rounding and the gaps."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from parity.paygap import decompose_gap, ethnicity_pay_gap, gender_pay_gap
from parity.paygap.quarters import assign_quarters

SETTINGS = settings(max_examples=60, deadline=None)
# few distinct rates, so ties across quarter cuts are common
rates_st = st.lists(st.sampled_from([9.5, 10.0, 10.0, 12.25, 15.0, 20.0, 31.0]), min_size=1, max_size=60)
people = st.lists(
    st.tuples(st.sampled_from([9.5, 10.0, 12.25, 15.0, 20.0, 31.0]), st.sampled_from(["male", "female"]),
              st.booleans(), st.sampled_from([0.0, 0.0, 50.0, 400.0])),
    min_size=2, max_size=60,
)


def _expected_sizes(n):
    # the remainder rule written out independently: extras by N mod 4
    extras = {0: [0, 0, 0, 0], 1: [1, 0, 0, 0], 2: [1, 0, 1, 0], 3: [1, 1, 1, 0]}[n % 4]
    return [n // 4 + e for e in extras]


def _df(make_frame, rows, *, everyone_full_pay=True):
    rates, sexes, full, bonus = zip(*rows, strict=True)
    return make_frame(list(rates), list(sexes), bonus=list(bonus),
                      full_pay=None if everyone_full_pay else list(full))


def _has_both(rows):
    return {"male", "female"} <= {s for _, s, *_ in rows}


@SETTINGS
@given(rates=rates_st, data=st.data())
def test_quarters_partition_rank_and_split_ties_proportionally(rates, data):
    n = len(rates)
    groups = np.array(data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)))
    rates = np.array(rates)
    quarter = assign_quarters(rates, groups, 3)
    assert quarter.shape == (n,) and set(quarter.tolist()) <= {0, 1, 2, 3}  # one quarter each
    assert np.bincount(quarter, minlength=4).tolist() == _expected_sizes(n)
    for k in range(3):  # ranked: nobody in a quarter earns more than anybody in the next
        lower, upper = rates[quarter == k], rates[quarter > k]
        if len(lower) and len(upper):
            assert lower.max() <= upper.min()
    for rate in np.unique(rates):  # reg 13(2): each group's tied people split in proportion to seats
        on_rate = rates == rate
        seats = np.bincount(quarter[on_rate], minlength=4)
        for g in range(3):
            count = int((on_rate & (groups == g)).sum())
            got = np.bincount(quarter[on_rate & (groups == g)], minlength=4)
            share = count * seats / on_rate.sum()
            assert np.all((got == np.floor(share)) | (got == np.ceil(share))), (rate, g, got, share)


@SETTINGS
@given(rows=people)
def test_quarter_percents_sum_to_exactly_100(make_frame, rows):
    result = gender_pay_gap(_df(make_frame, rows))
    for q in result.quarters:
        if q["size"]:
            assert sum(Decimal(str(p)) for p in q["percent"].values()) == Decimal("100.0")


@SETTINGS
@given(codes=st.lists(st.sampled_from(list("ABCDHMR") + ["Z"]), min_size=1, max_size=60), data=st.data())
def test_multi_group_quarter_percents_sum_to_exactly_100(make_frame, codes, data):
    rates = data.draw(st.lists(st.sampled_from([10.0, 11.0, 17.0]), min_size=len(codes), max_size=len(codes)))
    df = make_frame(rates, ["female"] * len(codes), ethnic_category=codes)
    for result in ethnicity_pay_gap(df, min_group_size=1):
        for q in result.quarters:
            if q["size"]:
                assert sum(Decimal(str(p)) for p in q["percent"].values()) == Decimal("100.0")


@SETTINGS
@given(rows=people)
def test_swapping_sexes_gives_the_mirror_gap(make_frame, rows):
    # gap = (m − w)/m; swapped gap' = (w − m)/w = −gap · m / w, so the sign flips too
    if not _has_both(rows):
        return
    df = _df(make_frame, rows)
    swapped = df.assign(sex=df["sex"].map({"male": "female", "female": "male"}))
    before, after = gender_pay_gap(df).unrounded, gender_pay_gap(swapped).unrounded
    m, w = before["reference_mean_hourly"], before["comparison_mean_hourly"]
    assert math.isclose(after["mean_hourly_gap"], -before["mean_hourly_gap"] * m / w, abs_tol=1e-9)
    assert np.sign(round(after["mean_hourly_gap"], 9)) == -np.sign(round(before["mean_hourly_gap"], 9))


@SETTINGS
@given(rows=people, factor=st.sampled_from([0.37, 2.0, 13.0, 1000.0]))
def test_scaling_all_pay_leaves_every_gap_unchanged(make_frame, rows, factor):
    df = _df(make_frame, rows, everyone_full_pay=False)
    scaled = df.assign(ordinary_pay=df["ordinary_pay"] * factor, bonus_12m=df["bonus_12m"] * factor)
    a, b = gender_pay_gap(df), gender_pay_gap(scaled)
    for name in ("mean_hourly_gap", "median_hourly_gap", "mean_bonus_gap", "median_bonus_gap"):
        x, y = a.unrounded[name], b.unrounded[name]
        assert (x is None and y is None) or math.isclose(x, y, abs_tol=1e-9), name
    assert a.quarters == b.quarters and a.bonus_percent == b.bonus_percent


@SETTINGS
@given(rows=people, data=st.data())
def test_decomposition_parts_sum_to_the_total(make_frame, rows, data):
    if not _has_both(rows):
        return
    bands = data.draw(st.lists(st.sampled_from(["2", "5", "6", "8a"]), min_size=len(rows), max_size=len(rows)))
    df = _df(make_frame, rows).assign(pay_band=bands)
    d = decompose_gap(df)
    assert math.isclose(d.band_mix + d.within_band, d.total_gap, abs_tol=1e-9)
    assert math.isclose(d.total_gap, gender_pay_gap(df).unrounded["mean_hourly_gap"], abs_tol=1e-9)
