"""Charts as Vega-Lite specs, rendered offline to accessible inline SVG with vl-convert.

Each chart gets a ``<title>`` and ``<desc>`` inside the SVG (``role="img"``, ``aria-labelledby``)
plus a text description the templates print visually hidden; every plotted value is also in a
table next to it. Colours are Okabe–Ito (safe for the common colour-vision deficiencies). Values
withheld by disclosure control are None and are left out of the data, so they are never plotted.

The specs are written as plain Vega-Lite dictionaries, the same ones Altair produced (issue 19:
Altair's schema validation took about as long as drawing the charts; `tests/report/test_chart_specs.py`
checks that each chart draws the same SVG as the Altair version did).
"""

from __future__ import annotations

import base64
import math
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from html import escape

#: Okabe & Ito (2008) colour-blind-safe palette
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
NON_ADVERSE = (0.80, 1.25)
WIDTH = 560  # px; fits A4 portrait with 2 cm margins at 96 dpi
FONT = "Arial, Helvetica, sans-serif"
SVG_NS, XLINK_NS = "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"
#: the Vega-Lite version the specs are written for (vl-convert draws them with it)
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"
#: `specs_only`: the list collecting specs instead of drawing them
_SPECS: ContextVar[list[dict] | None] = ContextVar("parity_chart_specs", default=None)


@dataclass(frozen=True)
class Chart:
    """One rendered chart: ``svg`` is inline markup; ``description`` the text alternative."""

    key: str
    title: str
    description: str
    svg: str
    spec: dict

    @property
    def image(self) -> str:
        """The same SVG as an ``<img>`` (a data URL) for the PDF: WeasyPrint draws it without
        styling and laying out each of its elements as part of the page. The figure's caption
        carries the title and description, so the image itself is decorative (``alt=""``)."""
        svg = self.svg.replace("<svg ", f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}" ', 1)
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        return f'<img class="parity-chart-image" alt="" src="data:image/svg+xml;base64,{data}">'


def _num(value) -> float | None:
    """A plotted number as JSON wants it: None for missing or NaN, else a float."""
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def _field(name: str, kind: str = "nominal", **more) -> dict:
    return {"field": name, "type": kind, **more}


def _top_legend_colour(name: str) -> dict:
    return _field(name, scale={"range": list(OKABE_ITO[:2])}, title=None, legend={"orient": "top"})


def distribution_chart(key: str, ind: dict, group: str) -> Chart | None:
    """Indicator 1 / metric 1: the `group` share in each band (clinical and not) against overall."""
    rows = [{"band": str(r["band"]), "staff": "Clinical" if r.get("clinical") else "Non-clinical",
             "percent": _num(r["groups"].get(group, {}).get("percent"))} for r in ind.get("rows") or []]
    data = [r for r in rows if r["percent"] is not None]
    overall = _num(ind.get("value"))
    if not data:
        return None
    title = f"{group} staff as a share of each pay band"
    order = list(dict.fromkeys(r["band"] for r in rows))
    layers = [{"data": {"values": data}, "mark": {"type": "bar"}, "encoding": {
        "x": _field("band", sort=order, title="Pay band"), "xOffset": _field("staff"),
        "y": _field("percent", "quantitative", title=f"{group} share (%)"), "color": _top_legend_colour("staff"),
        "tooltip": [_field("band"), _field("staff"), _field("percent", "quantitative", format=".1f")]}}]
    if overall is not None:
        layers.append({"data": {"values": [{"overall": overall}]},
                       "mark": {"type": "rule", "color": OKABE_ITO[7], "strokeDash": [6, 3]},
                       "encoding": {"y": _field("overall", "quantitative")}})
    desc = (f"Bar chart of the {group} share of staff in each pay band, clinical and non-clinical"
            + (f", against the overall share of {overall:.1f}% (dashed line)" if overall is not None else "")
            + ". Withheld values are not plotted; the table gives every value.")
    return render(key, {"layer": layers}, title, desc)


def forest_plot(key: str, items: list[dict]) -> Chart | None:
    """Every relative likelihood with its interval; the non-adverse range 0.80–1.25 shaded."""
    data = [{"label": i["label"], "value": _num(i["value"]), "ci_low": _num(i.get("ci_low")),
             "ci_high": _num(i.get("ci_high"))} for i in items if _num(i.get("value")) is not None]
    if not data:
        return None
    order = [d["label"] for d in data]
    has_ci = [d for d in data if d["ci_low"] is not None and d["ci_high"] is not None]
    log = {"type": "log"}
    y = _field("label", sort=order, title=None)
    layers = [
        {"data": {"values": [{"lo": NON_ADVERSE[0], "hi": NON_ADVERSE[1]}]},
         "mark": {"type": "rect", "color": OKABE_ITO[2], "opacity": 0.18},
         "encoding": {"x": _field("lo", "quantitative"), "x2": {"field": "hi"}}},
        {"data": {"values": [{"x": 1.0}]}, "mark": {"type": "rule", "color": "#768692"},
         "encoding": {"x": _field("x", "quantitative")}},
        {"data": {"values": has_ci}, "mark": {"type": "rule", "color": OKABE_ITO[0], "strokeWidth": 2},
         "encoding": {"y": y, "x": _field("ci_low", "quantitative", scale=log), "x2": {"field": "ci_high"}}},
        {"data": {"values": data},
         "mark": {"type": "point", "filled": True, "size": 70, "shape": "diamond", "color": OKABE_ITO[0]},
         "encoding": {"y": y, "x": _field("value", "quantitative", scale=log, title="Relative likelihood (log scale)"),
                      "tooltip": [_field("label"), _field("value", "quantitative", format=".2f")]}},
    ]
    title = "Relative likelihoods with 95% confidence intervals"
    desc = ("Forest plot: each relative likelihood as a diamond with its confidence interval as a line, on a log "
            "scale; the shaded area is the non-adverse range 0.80 to 1.25 and the grey line marks 1 (equal "
            "likelihood). Withheld values are not plotted.")
    return render(key, {"layer": layers}, title, desc, height=max(60, 28 * len(data)))


def trend_chart(key: str, title: str, points: list[dict], unit: str) -> Chart | None:
    """Year-on-year values with their intervals (only years with a shown value)."""
    data = [{"year": str(p["year"]), "value": _num(p["value"]), "ci_low": _num(p.get("ci_low")),
             "ci_high": _num(p.get("ci_high"))} for p in points if _num(p.get("value")) is not None]
    if len(data) < 2:
        return None
    x = _field("year", "ordinal", title="Reporting year")
    layers = [
        {"mark": {"type": "rule", "color": OKABE_ITO[5], "strokeWidth": 3},
         "encoding": {"x": x, "y": _field("ci_low", "quantitative"), "y2": {"field": "ci_high"}},
         "transform": [{"filter": "isValid(datum.ci_low)"}]},
        {"mark": {"type": "line", "point": True, "color": OKABE_ITO[0]},
         "encoding": {"x": x, "y": _field("value", "quantitative", title=unit, scale={"zero": False}),
                      "tooltip": [_field("year"), _field("value", "quantitative", format=".2f")]}},
    ]
    desc = (f"Line chart of {title.lower()} by reporting year, " + ", ".join(
        f"{r['year']}: {r['value']:.2f}" for r in data) + "; vertical lines show confidence intervals.")
    return render(key, {"data": {"values": data}, "layer": layers}, f"Trend: {title}", desc, height=160)


def quarter_chart(key: str, quarters: list[dict], groups: tuple[str, str], labels: dict[str, str]) -> Chart | None:
    """Pay quarter composition: each group's share of each quarter, lower to top."""
    rows = [{"quarter": q["quarter"].replace("_", " ").capitalize(), "group": labels.get(g, g),
             "percent": _num((q.get("percent") or {}).get(g))} for q in quarters for g in groups]
    data = [r for r in rows if r["percent"] is not None]
    if not data:
        return None
    order = list(dict.fromkeys(r["quarter"] for r in rows))
    chart = {"data": {"values": data}, "mark": {"type": "bar"}, "encoding": {
        "y": _field("quarter", sort=order, title="Pay quarter"),
        "x": _field("percent", "quantitative", stack="zero", title="% of quarter"), "color": _top_legend_colour("group"),
        "tooltip": [_field("quarter"), _field("group"), _field("percent", "quantitative", format=".1f")]}}
    desc = "Stacked bars: the share of each pay quarter (lower to top) by group. " + "; ".join(
        f"{r['quarter']} {r['group']} {r['percent']:.1f}%" for r in data) + "."
    return render(key, chart, "Pay quarter composition", desc, height=150)


def within_band_chart(key: str, rows: list[dict]) -> Chart | None:
    """Mean hourly pay gap within each pay band (bands with a withheld gap are left out)."""
    data = [{"band": str(r["pay_band"]), "gap": _num(r["mean_gap"])} for r in rows if _num(r.get("mean_gap")) is not None]
    if not data:
        return None
    chart = {"data": {"values": data}, "mark": {"type": "bar", "color": OKABE_ITO[0]}, "encoding": {
        "x": _field("band", sort=[r["band"] for r in data], title="Pay band"),
        "y": _field("gap", "quantitative", title="Mean hourly gap (%)"),
        "tooltip": [_field("band"), _field("gap", "quantitative", format=".1f")]}}
    desc = "Bar chart of the mean hourly pay gap within each pay band: " + ", ".join(
        f"band {r['band']} {r['gap']:.1f}%" for r in data) + ". Withheld bands are not plotted."
    return render(key, chart, "Mean hourly pay gap within pay bands", desc, height=180)


def render(key: str, chart: dict, title: str, description: str, *, height: int = 220) -> Chart:
    """Vega-Lite → SVG offline; the SVG made accessible and safe to inline more than once."""
    spec = {"$schema": SCHEMA, **chart, "width": WIDTH, "height": height, "title": title, "description": description,
            "config": {"view": {"continuousWidth": 300, "continuousHeight": 300, "stroke": None},
                       "background": "white", "font": FONT}}
    collected = _SPECS.get()
    if collected is not None:  # `specs_only`: what would be drawn, not drawn
        collected.append(spec)
        return Chart(key, title, description, "", spec)
    from parity.report.chart_worker import active

    worker = active()  # drawn ahead in a worker process (`parity.report.chart_worker`), when it was
    svg = worker.svg(spec) if worker is not None else None
    if svg is None:
        import vl_convert as vlc

        svg = vlc.vegalite_to_svg(spec)
    return Chart(key, title, description, accessible_svg(svg, key, title, description), spec)


@contextmanager
def specs_only():
    """Within this block `render` draws nothing: it collects each chart's Vega-Lite spec in the
    yielded list (for `parity.report.chart_worker.prefetch`) and returns the chart without its SVG."""
    collected: list[dict] = []
    token = _SPECS.set(collected)
    try:
        yield collected
    finally:
        _SPECS.reset(token)


def accessible_svg(svg: str, key: str, title: str, description: str) -> str:
    """Add role/title/desc, drop namespace URLs (not needed inline) and make ids unique per chart."""
    svg = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", svg)
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{key}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{key}-\1)", svg)
    svg = re.sub(r'(xlink:)?href="#([^"]+)"', rf'href="#{key}-\2"', svg)
    head = (f'<svg role="img" aria-labelledby="{key}-title {key}-desc" focusable="false" '
            f'preserveAspectRatio="xMinYMin meet" ')
    svg = svg.replace("<svg ", head, 1)
    end = svg.index(">") + 1
    return (svg[:end] + f'<title id="{key}-title">{escape(title)}</title>'
            f'<desc id="{key}-desc">{escape(description)}</desc>' + svg[end:])
