"""Charts for indicator pages, drawn on the server (pages work without JavaScript).

The report's charts (`parity.report.charts`: distribution, forest plot, trend) are reused as they
are — the same accessible inline SVG (role="img", title, desc) and Vega-Lite spec; this module adds
only the per-group bars the report does not draw. When JavaScript is on, `app.js` redraws a chart
from its spec with the locally served Vega for tooltips. Withheld (None) figures are never plotted.
"""

from __future__ import annotations

import copy
import re
import threading
from dataclasses import dataclass
from typing import Any

from parity.report import charts as report_charts
from parity.web.plain import band_label

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
#: groups in the order charts show them
ORDER = ("White", "BME", "Disabled", "Non-disabled", "Unknown")
MINORITY = {"WRES": "BME", "WDES": "Disabled"}

_lock = threading.Lock()  # vl-convert's JavaScript runtime is not for concurrent calls


@dataclass(frozen=True)
class PageChart:
    name: str
    title: str
    description: str
    svg: str
    spec: dict


def indicator_charts(ind: dict[str, Any], standard: str, trend: list[dict]) -> list[PageChart]:
    """The charts of one indicator page, in page order."""
    kind, key = ind.get("kind"), ind["id"].replace(".", "-")
    made: list[tuple[str, Any]] = []
    with _lock:
        if kind == "distribution":  # bands in words on the axis: "Career grade", never "career_grade"
            worded = {**ind, "rows": [{**r, "band": band_label(r["band"])} for r in ind.get("rows") or []]}
            made.append(("distribution", report_charts.distribution_chart(f"{key}-dist", worded, MINORITY[standard])))
        elif kind in ("relative_likelihood", "percentages", "score", "difference"):
            made.append(("groups", group_chart(f"{key}-groups", ind)))
        if kind == "relative_likelihood":
            item = {"label": ind["id"].upper(), "value": ind.get("value"), "ci_low": ind.get("ci_low"),
                    "ci_high": ind.get("ci_high")}
            made.append(("forest", report_charts.forest_plot(f"{key}-forest", [item])))
        made.append(("trend", report_charts.trend_chart(f"{key}-trend", ind.get("title", ""), trend,
                                                        ind.get("unit") or "value")))
    return [PageChart(name, c.title, c.description, quiet_svg(c.svg), live_spec(c.spec))
            for name, c in made if c is not None]


#: ARIA roles Vega puts on inner marks; inside an SVG that is one role="img" with a title and
#: description they only add unlabelled "graphics-symbol" nodes (axe: svg-img-alt)
_INNER_ARIA = re.compile(r'\s(?:role="graphics-[a-z]+"|aria-roledescription="[^"]*"|aria-label="[^"]*")')


def quiet_svg(svg: str) -> str:
    """The SVG with Vega's inner ARIA removed; the root keeps role="img", its title and desc."""
    head, sep, body = svg.partition(">")
    return head + sep + _INNER_ARIA.sub("", body)


def live_spec(spec: dict) -> dict:
    """The spec for the browser's Vega: no inner ARIA either (app.js labels the whole SVG)."""
    out = copy.deepcopy(spec)
    out.setdefault("config", {})["aria"] = False
    return out


def group_chart(key: str, ind: dict[str, Any]):
    """Bars per group: percent (or score) with its interval; for relative likelihoods, each group's rate."""
    kind = ind.get("kind")
    values = []
    for name, g in sorted((ind.get("groups") or {}).items(), key=lambda kv: _rank(kv[0])):
        pct = g.get("percent")
        if pct is None and kind == "relative_likelihood":
            num, den = g.get("numerator"), g.get("denominator")
            pct = 100.0 * num / den if num is not None and den else None
        if pct is not None:
            values.append({"group": name, "value": round(pct, 2), "low": _r(g.get("ci_low")), "high": _r(g.get("ci_high"))})
    if not values:
        return None
    score = kind == "score"
    title = "Score by group" if score else "Rate by group (%)" if kind == "relative_likelihood" else "Percentage by group"
    desc = (f"Bar chart, {title.lower()}: " + "; ".join(f"{v['group']} {v['value']:.1f}" for v in values)
            + (". Lines show 95% confidence intervals" if any(v["low"] is not None for v in values) else "")
            + ". Withheld values are not plotted; the table gives every value.")
    x = {"field": "group", "type": "nominal", "sort": list(ORDER), "title": None, "axis": {"labelAngle": 0}}
    layers = [{"mark": {"type": "bar", "color": report_charts.OKABE_ITO[0]},
               "encoding": {"x": x, "y": {"field": "value", "type": "quantitative", "title": "score" if score else "%"},
                            "tooltip": [{"field": "group"}, {"field": "value", "format": ".1f"}]}}]
    if any(v["low"] is not None for v in values):
        layers.append({"mark": {"type": "rule", "color": "#000000", "strokeWidth": 2},
                       "encoding": {"x": x, "y": {"field": "low", "type": "quantitative"}, "y2": {"field": "high"}}})
    spec = {"$schema": SCHEMA, "title": title, "description": desc, "width": 360, "height": 200,
            "data": {"values": values}, "layer": layers, "background": "white",
            "config": {"font": report_charts.FONT, "view": {"stroke": None}}}
    import vl_convert

    svg = vl_convert.vegalite_to_svg(spec)
    return report_charts.Chart(key, title, desc, report_charts.accessible_svg(svg, key, title, desc), spec)


def _rank(name: str) -> int:
    return ORDER.index(name) if name in ORDER else len(ORDER)


def _r(x):
    return None if x is None else round(float(x), 3)
