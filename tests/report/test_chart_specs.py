"""Issue 19: the report's charts are plain Vega-Lite dictionaries, not Altair objects (Altair's schema
validation cost about as much as drawing). Each chart must draw exactly the SVG the Altair version
drew: the Altair code is kept here as the reference, and both specs go through vl-convert.
"""

from __future__ import annotations

import json
import math

import altair as alt
import pandas as pd
import pytest
import vl_convert as vlc

from parity.report import charts
from parity.report.charts import FONT, NON_ADVERSE, OKABE_ITO, WIDTH


def _altair_svg(chart, title: str, description: str, height: int = 220) -> str:
    spec = chart.properties(width=WIDTH, height=height, title=title, description=description).configure(
        font=FONT, background="white").configure_view(stroke=None).to_dict()
    return vlc.vegalite_to_svg(spec)


def altair_distribution(ind: dict, group: str) -> str:
    rows = [{"band": str(r["band"]), "staff": "Clinical" if r.get("clinical") else "Non-clinical",
             "percent": r["groups"].get(group, {}).get("percent")} for r in ind.get("rows") or []]
    data = pd.DataFrame([r for r in rows if r["percent"] is not None])
    overall = ind.get("value")
    order = list(dict.fromkeys(r["band"] for r in rows))
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("band:N", sort=order, title="Pay band"), xOffset="staff:N",
        y=alt.Y("percent:Q", title=f"{group} share (%)"),
        color=alt.Color("staff:N", scale=alt.Scale(range=OKABE_ITO[:2]), title=None, legend=alt.Legend(orient="top")),
        tooltip=["band", "staff", alt.Tooltip("percent:Q", format=".1f")])
    layers = [bars]
    if overall is not None:
        layers.append(alt.Chart(pd.DataFrame({"overall": [overall]})).mark_rule(
            color=OKABE_ITO[7], strokeDash=[6, 3]).encode(y="overall:Q"))
    return alt.layer(*layers)


def altair_forest(items: list[dict]):
    data = pd.DataFrame([i for i in items if i.get("value") is not None])
    order = list(data["label"])
    band = alt.Chart(pd.DataFrame({"lo": [NON_ADVERSE[0]], "hi": [NON_ADVERSE[1]]})).mark_rect(
        color=OKABE_ITO[2], opacity=0.18).encode(x="lo:Q", x2="hi:Q")
    one = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(color="#768692").encode(x="x:Q")
    x = alt.X("value:Q", scale=alt.Scale(type="log"), title="Relative likelihood (log scale)")
    has_ci = data.dropna(subset=["ci_low", "ci_high"])
    bars = alt.Chart(has_ci).mark_rule(color=OKABE_ITO[0], strokeWidth=2).encode(
        y=alt.Y("label:N", sort=order, title=None), x=alt.X("ci_low:Q", scale=alt.Scale(type="log")), x2="ci_high:Q")
    points = alt.Chart(data).mark_point(filled=True, size=70, shape="diamond", color=OKABE_ITO[0]).encode(
        y=alt.Y("label:N", sort=order, title=None), x=x, tooltip=["label", alt.Tooltip("value:Q", format=".2f")])
    return alt.layer(band, one, bars, points)


def altair_trend(points: list[dict], unit: str):
    data = pd.DataFrame([p for p in points if p.get("value") is not None])
    data["year"] = data["year"].astype(str)
    base = alt.Chart(data).encode(x=alt.X("year:O", title="Reporting year"))
    ci = base.transform_filter("isValid(datum.ci_low)").mark_rule(color=OKABE_ITO[5], strokeWidth=3).encode(
        y="ci_low:Q", y2="ci_high:Q")
    line = base.mark_line(point=True, color=OKABE_ITO[0]).encode(
        y=alt.Y("value:Q", title=unit, scale=alt.Scale(zero=False)), tooltip=["year", alt.Tooltip("value:Q", format=".2f")])
    return alt.layer(ci, line)


def altair_quarters(quarters: list[dict], groups, labels):
    rows = [{"quarter": q["quarter"].replace("_", " ").capitalize(), "group": labels.get(g, g),
             "percent": (q.get("percent") or {}).get(g)} for q in quarters for g in groups]
    data = pd.DataFrame([r for r in rows if r["percent"] is not None])
    order = list(dict.fromkeys(r["quarter"] for r in rows))
    return alt.Chart(data).mark_bar().encode(
        y=alt.Y("quarter:N", sort=order, title="Pay quarter"), x=alt.X("percent:Q", stack="zero", title="% of quarter"),
        color=alt.Color("group:N", scale=alt.Scale(range=OKABE_ITO[:2]), title=None, legend=alt.Legend(orient="top")),
        tooltip=["quarter", "group", alt.Tooltip("percent:Q", format=".1f")])


def altair_within_band(rows: list[dict]):
    data = pd.DataFrame([{"band": str(r["pay_band"]), "gap": r["mean_gap"]} for r in rows
                         if r.get("mean_gap") is not None])
    return alt.Chart(data).mark_bar(color=OKABE_ITO[0]).encode(
        x=alt.X("band:N", sort=list(data["band"]), title="Pay band"),
        y=alt.Y("gap:Q", title="Mean hourly gap (%)"), tooltip=["band", alt.Tooltip("gap:Q", format=".1f")])


DISTRIBUTION = {"value": 23.4, "rows": [
    {"band": b, "clinical": c, "groups": {"BME": {"percent": p}}}
    for b, c, p in [("Band 2", True, 31.0), ("Band 2", False, 12.5), ("Band 5", True, 40.25), ("Band 5", False, None),
                    ("Band 8a", True, 8.0), ("Band 8a", False, 3.5), ("VSM", False, None)]]}
FOREST = [{"label": "WRES.2 Appointment", "value": 1.62, "ci_low": 1.21, "ci_high": 2.17},
          {"label": "WRES.3 Disciplinary", "value": 0.74, "ci_low": None, "ci_high": None},
          {"label": "WRES.4 Training", "value": None, "ci_low": None, "ci_high": None},
          {"label": "WDES.2 Appointment", "value": 1.05, "ci_low": 0.81, "ci_high": 1.36}]
TREND = [{"year": 2021, "value": 1.4, "ci_low": 1.1, "ci_high": 1.8}, {"year": 2022, "value": None},
         {"year": 2023, "value": 1.25, "ci_low": 0.95, "ci_high": 1.6},
         {"year": 2024, "value": 1.1, "ci_low": float("nan"), "ci_high": float("nan")},
         {"year": 2025, "value": 0.98, "ci_low": 0.8, "ci_high": 1.2}]
QUARTERS = [{"quarter": q, "percent": {"female": f, "male": m}} for q, f, m in
            [("lower", 80.5, 19.5), ("lower_middle", 77.0, 23.0), ("upper_middle", None, None), ("top", 60.25, 39.75)]]
BANDS = [{"pay_band": "Band 5", "mean_gap": 2.5}, {"pay_band": "Band 6", "mean_gap": None},
         {"pay_band": "Band 7", "mean_gap": -1.75}, {"pay_band": 8, "mean_gap": 4.0}]


def _same(new: charts.Chart, reference, height: int = 220) -> None:
    expected = charts.accessible_svg(_altair_svg(reference, new.title, new.description, height), new.key,
                                     new.title, new.description)
    assert new.svg == expected
    json.dumps(new.spec, allow_nan=False)  # the web serves the spec to the browser as JSON


def test_distribution_chart_draws_what_altair_drew():
    new = charts.distribution_chart("d", DISTRIBUTION, "BME")
    assert "against the overall share of 23.4%" in new.description
    _same(new, altair_distribution(DISTRIBUTION, "BME"))
    without_overall = {**DISTRIBUTION, "value": None}
    _same(charts.distribution_chart("d", without_overall, "BME"), altair_distribution(without_overall, "BME"))


def test_forest_plot_draws_what_altair_drew():
    new = charts.forest_plot("f", FOREST)
    _same(new, altair_forest(FOREST), height=max(60, 28 * 3))


def test_trend_chart_draws_what_altair_drew():
    new = charts.trend_chart("t", "Relative likelihood", TREND, "ratio")
    assert "2023: 1.25" in new.description and "2022" not in new.description
    _same(new, altair_trend(TREND, "ratio"), height=160)


def test_quarter_and_within_band_charts_draw_what_altair_drew():
    labels = {"female": "Women", "male": "Men"}
    _same(charts.quarter_chart("q", QUARTERS, ("female", "male"), labels), altair_quarters(QUARTERS, ("female", "male"),
                                                                                            labels), height=150)
    new = charts.within_band_chart("b", BANDS)
    assert "band Band 6" not in new.description and "band 8 4.0%" in new.description
    _same(new, altair_within_band(BANDS), height=180)


def test_the_charts_differ_when_the_data_does():
    """The comparison can fail: a changed value draws a different SVG."""
    changed = [dict(p) for p in TREND]
    changed[0]["value"] = 1.9
    a = charts.trend_chart("t", "x", TREND, "ratio")
    b = charts.trend_chart("t", "x", changed, "ratio")
    assert a.svg != b.svg


@pytest.mark.parametrize("empty", [[], [{"year": 2025, "value": 1.0}], [{"year": 2024, "value": math.nan}]])
def test_too_few_points_draw_no_trend(empty):
    assert charts.trend_chart("t", "x", empty, "ratio") is None
