"""Within-band gaps, the band-mix / within-band decomposition and the bootstrap interval."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from parity.paygap import bootstrap_gap_ci, decompose_gap, gender_pay_gap, within_band_gaps


def test_within_band_gaps_by_hand(make_frame):
    # band 5: men 10, 12 / women 10 → mean gap (11 − 10)/11; band 6: men 20 / women 18, 20, 22
    df = make_frame([10, 12, 10, 20, 18, 20, 22], ["male", "male", "female", "male", "female", "female", "female"],
                    pay_band=["5", "5", "5", "6", "6", "6", "6"])
    table = within_band_gaps(df)
    assert table["pay_band"].tolist() == ["5", "6"]
    assert table[["n_reference", "n_comparison"]].to_numpy().tolist() == [[2, 1], [1, 3]]
    assert table["mean_gap"].tolist() == pytest.approx([100 / 11, 0.0])
    assert table["median_gap"].tolist() == pytest.approx([100 / 11, 0.0])
    assert set(table["reference"]) == {"male"} and set(table["comparison"]) == {"female"}


def test_band_order_and_missing_band(make_frame):
    df = make_frame([30, 10, 20, 40], ["male", "female", "male", "female"], pay_band=["8a", "2", "VSM", None])
    assert within_band_gaps(df)["pay_band"].tolist() == ["2", "8a", "VSM", "(missing)"]


def test_decomposition_all_band_mix(make_frame):
    # same pay in each band (A £10, B £20); men 2 in A / 6 in B, women 6 / 2 → means 17.5 and 12.5
    df = make_frame([10] * 8 + [20] * 8, ["male"] * 2 + ["female"] * 6 + ["male"] * 6 + ["female"] * 2,
                    pay_band=["2"] * 8 + ["5"] * 8)
    d = decompose_gap(df)
    assert d.total_gap == pytest.approx(5 / 17.5 * 100)
    assert d.band_mix == pytest.approx(5 / 17.5 * 100) and d.within_band == pytest.approx(0.0)
    json.dumps(d.to_dict(), allow_nan=False)


def test_decomposition_all_within_band(make_frame):
    # same band mix (one each per band), women paid £1 less in each band: men mean 15, women 14
    df = make_frame([10, 9, 20, 19], ["male", "female", "male", "female"], pay_band=["2", "2", "5", "5"])
    d = decompose_gap(df)
    assert d.band_mix == pytest.approx(0.0)
    assert d.within_band == pytest.approx(100 / 15)


def test_bootstrap_is_seeded_and_brackets_the_estimate(make_frame):
    rng = np.random.default_rng(7)
    men, women = rng.normal(20, 3, 150), rng.normal(18, 3, 200)
    df = make_frame(np.r_[men, women], ["male"] * 150 + ["female"] * 200)
    point = gender_pay_gap(df).unrounded["mean_hourly_gap"]
    low, high = bootstrap_gap_ci(df, n_resamples=400, seed=3)
    assert (low, high) == bootstrap_gap_ci(df, n_resamples=400, seed=3)
    assert low < point < high
    # normal-theory check: the half-width is about 1.96 standard errors of the gap (~±2.5 points)
    assert 1.0 < (high - low) / 2 < 4.0
    m_low, m_high = bootstrap_gap_ci(df, measure="median", n_resamples=400, seed=3)
    assert m_low < m_high
    with pytest.raises(ValueError, match="measure"):
        bootstrap_gap_ci(df, measure="mode")


def test_bootstrap_needs_both_groups(make_frame):
    with pytest.raises(ValueError, match="both groups"):
        bootstrap_gap_ci(make_frame([10, 11], ["male", "male"]))


def test_result_to_dict_is_strict_json(make_frame):
    result = gender_pay_gap(make_frame([10, 11, 12], ["male", "female", "male"]))
    payload = json.dumps(result.to_dict(), allow_nan=False)
    assert math.isfinite(json.loads(payload)["mean_hourly_gap"])
