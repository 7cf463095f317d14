"""Charts as Vega-Lite (via Altair), rendered offline to accessible inline SVG with vl-convert.

Each chart gets a ``<title>`` and ``<desc>`` inside the SVG (``role="img"``, ``aria-labelledby``)
plus a text description the templates print visually hidden; every plotted value is also in a
table next to it. Colours are Okabe–Ito (safe for the common colour-vision deficiencies). Values
withheld by disclosure control are None and are left out of the data, so they are never plotted.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from html import escape

import altair as alt
import pandas as pd

#: Okabe & Ito (2008) colour-blind-safe palette
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
NON_ADVERSE = (0.80, 1.25)
WIDTH = 560  # px; fits A4 portrait with 2 cm margins at 96 dpi
FONT = "Arial, Helvetica, sans-serif"
SVG_NS, XLINK_NS = "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"


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


def distribution_chart(key: str, ind: dict, group: str) -> Chart | None:
    """Indicator 1 / metric 1: the `group` share in each band (clinical and not) against overall."""
    rows = [{"band": str(r["band"]), "staff": "Clinical" if r.get("clinical") else "Non-clinical",
             "percent": r["groups"].get(group, {}).get("percent")} for r in ind.get("rows") or []]
    data = pd.DataFrame([r for r in rows if r["percent"] is not None])
    overall = ind.get("value")
    if data.empty:
        return None
    title = f"{group} staff as a share of each pay band"
    order = list(dict.fromkeys(r["band"] for r in rows))
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("band:N", sort=order, title="Pay band"), xOffset="staff:N",
        y=alt.Y("percent:Q", title=f"{group} share (%)"),
        color=alt.Color("staff:N", scale=alt.Scale(range=OKABE_ITO[:2]), title=None, legend=alt.Legend(orient="top")),
        tooltip=["band", "staff", alt.Tooltip("percent:Q", format=".1f")])
    layers = [bars]
    if overall is not None:
        rule = alt.Chart(pd.DataFrame({"overall": [overall]})).mark_rule(color=OKABE_ITO[7], strokeDash=[6, 3]).encode(
            y="overall:Q")
        layers.append(rule)
    desc = (f"Bar chart of the {group} share of staff in each pay band, clinical and non-clinical"
            + (f", against the overall share of {overall:.1f}% (dashed line)" if overall is not None else "")
            + ". Withheld values are not plotted; the table gives every value.")
    return render(key, alt.layer(*layers), title, desc)


def forest_plot(key: str, items: list[dict]) -> Chart | None:
    """Every relative likelihood with its interval; the non-adverse range 0.80–1.25 shaded."""
    data = pd.DataFrame([i for i in items if i.get("value") is not None])
    if data.empty:
        return None
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
    title = "Relative likelihoods with 95% confidence intervals"
    desc = ("Forest plot: each relative likelihood as a diamond with its confidence interval as a line, on a log "
            "scale; the shaded area is the non-adverse range 0.80 to 1.25 and the grey line marks 1 (equal "
            "likelihood). Withheld values are not plotted.")
    return render(key, alt.layer(band, one, bars, points), title, desc, height=max(60, 28 * len(data)))


def trend_chart(key: str, title: str, points: list[dict], unit: str) -> Chart | None:
    """Year-on-year values with their intervals (only years with a shown value)."""
    data = pd.DataFrame([p for p in points if p.get("value") is not None])
    if len(data) < 2:
        return None
    data["year"] = data["year"].astype(str)
    base = alt.Chart(data).encode(x=alt.X("year:O", title="Reporting year"))
    ci = base.transform_filter("isValid(datum.ci_low)").mark_rule(color=OKABE_ITO[5], strokeWidth=3).encode(
        y="ci_low:Q", y2="ci_high:Q")
    line = base.mark_line(point=True, color=OKABE_ITO[0]).encode(
        y=alt.Y("value:Q", title=unit, scale=alt.Scale(zero=False)), tooltip=["year", alt.Tooltip("value:Q", format=".2f")])
    desc = (f"Line chart of {title.lower()} by reporting year, " + ", ".join(
        f"{r.year}: {r.value:.2f}" for r in data.itertuples()) + "; vertical lines show confidence intervals.")
    return render(key, alt.layer(ci, line), f"Trend: {title}", desc, height=160)


def quarter_chart(key: str, quarters: list[dict], groups: tuple[str, str], labels: dict[str, str]) -> Chart | None:
    """Pay quarter composition: each group's share of each quarter, lower to top."""
    rows = [{"quarter": q["quarter"].replace("_", " ").capitalize(), "group": labels.get(g, g),
             "percent": (q.get("percent") or {}).get(g)} for q in quarters for g in groups]
    data = pd.DataFrame([r for r in rows if r["percent"] is not None])
    if data.empty:
        return None
    order = list(dict.fromkeys(r["quarter"] for r in rows))
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("quarter:N", sort=order, title="Pay quarter"), x=alt.X("percent:Q", stack="zero", title="% of quarter"),
        color=alt.Color("group:N", scale=alt.Scale(range=OKABE_ITO[:2]), title=None, legend=alt.Legend(orient="top")),
        tooltip=["quarter", "group", alt.Tooltip("percent:Q", format=".1f")])
    desc = "Stacked bars: the share of each pay quarter (lower to top) by group. " + "; ".join(
        f"{r['quarter']} {r['group']} {r['percent']:.1f}%" for r in data.to_dict("records")) + "."
    return render(key, chart, "Pay quarter composition", desc, height=150)


def within_band_chart(key: str, rows: list[dict]) -> Chart | None:
    """Mean hourly pay gap within each pay band (bands with a withheld gap are left out)."""
    data = pd.DataFrame([{"band": str(r["pay_band"]), "gap": r["mean_gap"]} for r in rows
                         if r.get("mean_gap") is not None])
    if data.empty:
        return None
    chart = alt.Chart(data).mark_bar(color=OKABE_ITO[0]).encode(
        x=alt.X("band:N", sort=list(data["band"]), title="Pay band"),
        y=alt.Y("gap:Q", title="Mean hourly gap (%)"), tooltip=["band", alt.Tooltip("gap:Q", format=".1f")])
    desc = "Bar chart of the mean hourly pay gap within each pay band: " + ", ".join(
        f"band {r.band} {r.gap:.1f}%" for r in data.itertuples()) + ". Withheld bands are not plotted."
    return render(key, chart, "Mean hourly pay gap within pay bands", desc, height=180)


def render(key: str, chart: alt.TopLevelMixin, title: str, description: str, *, height: int = 220) -> Chart:
    """Vega-Lite → SVG offline; the SVG made accessible and safe to inline more than once."""
    import vl_convert as vlc

    spec = chart.properties(width=WIDTH, height=height, title=title, description=description).configure(
        font=FONT, background="white").configure_view(stroke=None).to_dict()
    svg = vlc.vegalite_to_svg(spec)
    return Chart(key, title, description, accessible_svg(svg, key, title, description), spec)


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
