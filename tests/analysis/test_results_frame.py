"""`PayGapReport.to_frame()` and `parity.results(...)`: a hand-worked small case, then the synthetic
demo trust checked row by row against the result objects' own fields."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import parity
from parity.paygap.api import paygap
from parity.standards.wres import wres

YEAR = 2025


@pytest.fixture
def small(trust):
    # men 10, 20, 30 an hour (mean 20, median 20); women 10, 10, 16 (mean 12, median 10); no bonus
    for rate, sex in [(10, "male"), (20, "male"), (30, "male"), (10, "female"), (10, "female"), (16, "female")]:
        trust.add("pay", snapshot_date=date(YEAR, 3, 31), ordinary_pay=1.0, pay_period_days=7.0,
                  weekly_hours=37.5, bonus_12m=0.0, full_pay=True, hourly_rate=float(rate), sex=sex,
                  ethnic_category="A" if sex == "male" else "H", disability="no" if sex == "male" else "yes")
    return trust.connect()


def test_paygap_frame_hand_worked(small):
    frame = paygap(small, year=YEAR, by="sex", n_resamples=50).to_frame()
    gaps = frame.set_index("measure")
    # (20 - 12) / 20 = 40 %; (20 - 10) / 20 = 50 %
    assert gaps.loc["mean_hourly_gap", "value"] == pytest.approx(40.0)
    assert gaps.loc["median_hourly_gap", "value"] == pytest.approx(50.0)
    assert gaps.loc["mean_hourly_gap", "value_unrounded"] == pytest.approx(40.0)
    assert gaps.loc["mean_hourly_gap", "group"] == "female"
    assert pd.isna(gaps.loc["mean_bonus_gap", "value"])  # no man paid bonus: not computable
    bonus = frame[frame.measure == "bonus_percent"].set_index("group")
    assert bonus.loc["male", "numerator"] == 0 and bonus.loc["male", "denominator"] == 3
    assert bonus.loc["female", "value"] == 0.0
    quarters = frame[frame.measure == "quarter_percent"]
    assert len(quarters) == 8  # 4 quarters x 2 groups
    per_quarter = quarters.groupby("quarter").agg(n=("numerator", "sum"), size=("denominator", "first"),
                                                  pct=("value", "sum"))
    assert (per_quarter["n"] == per_quarter["size"]).all() and per_quarter["size"].sum() == 6
    assert per_quarter["pct"].to_numpy() == pytest.approx([100.0] * 4)
    # top quarter (6 / 4 = 1.5 seats): the 30 and half of the 20: all men
    top = quarters[quarters.quarter == "top"].set_index("group")
    assert top.loc["male", "value"] == 100.0 and top.loc["female", "value"] == 0.0
    for col in ("value", "value_unrounded", "ci_low", "ci_high"):
        assert pd.api.types.is_float_dtype(frame[col])
    assert pd.api.types.is_integer_dtype(frame["numerator"])


def test_results_paygap_only_hand_worked(small):
    frame = parity.results(small, year=YEAR, standards=("paygap",), paygap_resamples=50)
    row = frame[frame.indicator == "paygap.sex.mean_hourly_gap"].iloc[0]
    assert row["value"] == pytest.approx(40.0) and row["breakdown"] == "male vs female"
    assert row["standard"] == "PAYGAP" and not row["protected"]
    assert set(frame["indicator"].str.split(".").str[1]) == {"sex", "ethnicity", "disability"}
    # the same six people by ethnicity (men White British, women Asian) and disability (women Disabled)
    binary = frame[frame.indicator.isin(["paygap.ethnicity.mean_hourly_gap", "paygap.disability.mean_hourly_gap"])]
    assert binary.dropna(subset=["ci_low"])["breakdown"].tolist() == ["White vs All ethnic minority",
                                                                      "Non-disabled vs Disabled"]
    with pytest.raises(ValueError, match="standards must be among"):
        parity.results(small, year=YEAR, standards=("wrse",))


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory) -> Path:
    sys.path.insert(0, str(Path(__file__).parents[1] / "web"))
    from web_helpers import import_demo

    from parity.synth import generate

    data = tmp_path_factory.mktemp("demo-data")
    generate(data, staff=600, years=2, seed=7)
    ws = tmp_path_factory.mktemp("ws") / "ws"
    import_demo(ws, data)
    return ws


@pytest.fixture(scope="module")
def demo_frame(demo_ws) -> pd.DataFrame:
    return parity.results(demo_ws, year=YEAR, paygap_resamples=100)


def test_results_columns_and_types(demo_frame):
    assert list(demo_frame.columns[:12]) == ["standard", "year", "organisation", "indicator", "breakdown", "group",
                                             "numerator", "denominator", "value", "ci_low", "ci_high", "protected"]
    assert set(demo_frame["standard"]) == {"WRES", "WDES", "PAYGAP"}
    assert (demo_frame["protected"] == False).all()  # noqa: E712
    assert (demo_frame["year"] == YEAR).all()
    for col in ("value", "ci_low", "ci_high", "percent", "p_value"):
        assert pd.api.types.is_float_dtype(demo_frame[col]), col
    for col in ("numerator", "denominator"):
        assert pd.api.types.is_integer_dtype(demo_frame[col]), col


def test_results_match_wres_objects(demo_ws, demo_frame):
    result = wres(demo_ws, year=YEAR)
    rows = demo_frame[(demo_frame.standard == "WRES") & (demo_frame.breakdown == "overall")]
    checked = 0
    for ind in result.indicators:
        for name, g in ind.groups.items():
            row = rows[(rows.indicator == ind.id) & (rows.group == name)]
            assert len(row) == 1, (ind.id, name)
            row = row.iloc[0]
            assert _same(row["numerator"], g.numerator) and _same(row["denominator"], g.denominator)
            assert _same(row["percent"], g.percent) and _same(row["ci_low"], g.ci_low)
            assert _same(row["value"], ind.value)
            checked += 1
    assert checked >= 9


def test_results_match_paygap_objects(demo_ws, demo_frame):
    for by in ("sex", "ethnicity", "disability"):
        report = paygap(demo_ws, year=YEAR, by=by, n_resamples=100)
        rows = demo_frame[demo_frame.indicator.str.startswith(f"paygap.{by}.")]
        for res in report.results:
            mine = rows[rows.breakdown == f"{res.reference_group} vs {res.comparison_group}"].set_index("measure")
            for measure in ("mean_hourly_gap", "median_hourly_gap", "mean_bonus_gap", "median_bonus_gap"):
                assert _same(mine.loc[measure, "value"], getattr(res, measure)), (by, measure)
            for group, count in res.counts.items():
                b = mine.loc["bonus_percent"].set_index("group").loc[group]
                assert b["numerator"] == count["bonus_recipients"] and b["denominator"] == count["relevant"]
                assert _same(b["value"], res.bonus_percent[group])
        binary = rows[rows.indicator == f"paygap.{by}.mean_hourly_gap"].dropna(subset=["ci_low"])
        assert len(binary) == 1  # the interval sits on the binary comparison only
        assert binary.iloc[0]["ci_low"] == pytest.approx(report.intervals["mean"]["ci_low"])
        assert binary.iloc[0]["ci_high"] == pytest.approx(report.intervals["mean"]["ci_high"])


def _same(frame_value, object_value) -> bool:
    if object_value is None:
        return bool(pd.isna(frame_value))
    return frame_value == pytest.approx(object_value)
